# step_sweep.gp — finite-difference error against the step h (lab 1).
# gnuplot -e "datafile='build/lab1/step_sweep.dat'; outfile='x.png'" plots/step_sweep.gp
# outfile='' draws the ASCII preview on the terminal instead.
if (outfile eq '') {
    set terminal dumb size 79,26
} else {
    set terminal pngcairo size 900,600 font ',11'
    set output outfile
}
set logscale xy
set format x '1e%L'
set format y '1e%L'
set xlabel 'step h (relative to max(1, |x_i|))'
set ylabel 'largest relative error'
set title 'Finite differences: truncation (right) against round-off (left)'
set key top center
set grid

plot datafile using 1:2 with linespoints title 'forward  O(h)', \
     datafile using 1:3 with linespoints title 'central  O(h^2)', \
     datafile using 1:4 with linespoints title 'Richardson  O(h^4)'
