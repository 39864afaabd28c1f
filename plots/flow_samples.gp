# flow_samples.gp — lab 5: points drawn from the trained flow over the training data.
# gnuplot -e "datafile='build/lab5/data.dat'; samplesfile='build/lab5/samples.dat'; outfile='s.png'" plots/flow_samples.gp
if (outfile eq '') exit
set terminal pngcairo size 800,700 font ',11'
set output outfile
set title 'Two moons: training points (grey) and samples from the trained flow (blue)'
set size ratio -1
set xrange [-3:3]
set yrange [-3:3]
set grid
set key top left
plot datafile using 1:2 with points pt 7 ps 0.35 lc rgb '#b0b0b0' title 'data', \
     samplesfile using 1:2 with points pt 7 ps 0.35 lc rgb '#1f4e99' title 'flow samples'
