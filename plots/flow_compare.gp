# flow_compare.gp — lab 5: the constant-scale flow (flow.h) beside the RealNVP
# flow (realnvp.h), both trained on the same two moons: their smoothed NLL
# curves, and samples from each over the training points.
# gnuplot -e "datafile='build/lab5/loss.dat'; realnvpfile='build/lab5/realnvp/loss.dat';
#   pointsfile='build/lab5/data.dat'; samplesfile='build/lab5/samples.dat';
#   realnvpsamples='build/lab5/realnvp/samples.dat'; outfile='c.png'" plots/flow_compare.gp
# outfile='' draws the ASCII preview of the two NLL curves on the terminal instead.
if (outfile eq '') {
    set terminal dumb size 79,20
    set title 'NLL per point (nats), smoothed: constant scale (A), RealNVP (B)'
    plot datafile using 1:3 with lines title 'A', realnvpfile using 1:3 with lines title 'B'
    exit
}
set terminal pngcairo size 1500,520 font ',11'
set output outfile
set multiplot layout 1,3
set grid
set title 'Negative log-likelihood (smoothed, EMA 0.99)'
set xlabel 'Adam step'
set ylabel 'NLL per point (nats)'
plot datafile using 1:3 with lines lw 2 lc rgb '#1f4e99' title 'constant scale alpha, beta', \
     realnvpfile using 1:3 with lines lw 2 lc rgb '#c0392b' title 'RealNVP scale exp(s(u))'
set size ratio -1
set xrange [-3:3]
set yrange [-3:3]
unset xlabel
unset ylabel
set key top left
set title 'Samples: constant-scale flow'
plot pointsfile using 1:2 with points pt 7 ps 0.3 lc rgb '#b0b0b0' title 'data', \
     samplesfile using 1:2 with points pt 7 ps 0.3 lc rgb '#1f4e99' title 'samples'
set title 'Samples: RealNVP flow'
plot pointsfile using 1:2 with points pt 7 ps 0.3 lc rgb '#b0b0b0' title 'data', \
     realnvpsamples using 1:2 with points pt 7 ps 0.3 lc rgb '#c0392b' title 'samples'
unset multiplot
