# saturation.gp — lab 2: the gradient reaching W1 (top) and the fraction of
# hidden units with phi' < 0.01 (bottom) against the initial weight scale s,
# for sigmoid, tanh and ReLU units, from lab2_activations' saturation.dat.
# gnuplot -e "datafile='build/lab2/saturation.dat'; outfile='saturation.png'" plots/saturation.gp
# outfile='' draws the ASCII preview (the gradient norms) on the terminal instead.
if (outfile eq '') {
    set terminal dumb size 79,20
    set title '|dJ/dW1| per row against the initial scale s'
    set logscale xy
    plot datafile using 1:2 with linespoints title 'sigmoid', \
         datafile using 1:4 with linespoints title 'tanh', \
         datafile using 1:6 with linespoints title 'relu'
    exit
}
set terminal pngcairo size 900,760 font ',11'
set output outfile
set multiplot layout 2,1
set title 'gradient reaching the first layer, |dJ/dW1| per row'
set xlabel 'initial weight scale s: W1 drawn from N(0, s^2/Dx), so z1 has spread s'
set xrange [0.07:45]
set logscale xy
set grid
set key bottom left
plot datafile using 1:2 with linespoints pt 7 lw 2 lc rgb '#1f4e99' title 'sigmoid', \
     datafile using 1:4 with linespoints pt 5 lw 2 lc rgb '#b03a2e' title 'tanh', \
     datafile using 1:6 with linespoints pt 9 lw 2 lc rgb '#2e7d32' title 'ReLU'
set title "hidden units (row, unit pairs) with phi'(z1) < 0.01"
unset logscale y
set ylabel 'fraction'
set yrange [0:1]
set key top left
plot datafile using 1:3 with linespoints pt 7 lw 2 lc rgb '#1f4e99' title 'sigmoid (saturated)', \
     datafile using 1:5 with linespoints pt 5 lw 2 lc rgb '#b03a2e' title 'tanh (saturated)', \
     datafile using 1:7 with linespoints pt 9 lw 2 lc rgb '#2e7d32' title 'ReLU (z1 < 0: off, not saturated)'
unset multiplot
