# taylor.gp — lab 1: the Taylor remainder |f(x + t d) - f(x) - t grad.d| against t.
# A right gradient leaves a remainder ~ t^2, a wrong one (grad scaled by 1.1) ~ t.
# gnuplot -e "datafile='build/lab1/step_sweep.dat'; outfile='taylor.png'" plots/taylor.gp
if (outfile eq '') {
    set terminal dumb size 79,24
} else {
    set terminal pngcairo size 900,600 font ',11'
    set output outfile
}
set logscale xy
set format x '1e%L'
set format y '1e%L'
set xlabel 'step t'
set ylabel 'Taylor remainder'
set title 'Taylor test: a right gradient leaves slope 2, a wrong one slope 1' noenhanced
set key top left
set grid
set xrange [1e-9:1]
plot datafile using 1:5 with linespoints title 'analytic gradient', \
     datafile using 1:6 with linespoints title 'gradient x 1.1', \
     datafile using 1:(0.05 * $1**2) with lines dt 2 title 't^2', \
     datafile using 1:(0.005 * $1) with lines dt 3 lw 2 title 't'
