# decision.gp — lab 2: the learned class regions under the spiral points.
# gnuplot -e "datafile='build/lab2/decision.dat'; pointsfile='build/lab2/points.dat'; outfile='d.png'" plots/decision.gp
if (outfile eq '') exit
set terminal pngcairo size 700,700 font ',11'
set output outfile
set title 'Three spirals: learned class regions (background) and training points'
set size ratio -1
set xrange [-1.1:1.1]
set yrange [-1.1:1.1]
set palette defined (0 '#f4c7c3', 1 '#c8e6c9', 2 '#c5cae9')
set cbrange [0:2]
unset colorbox
set key off
set linetype 1 lc rgb '#c62828'
set linetype 2 lc rgb '#2e7d32'
set linetype 3 lc rgb '#283593'
plot datafile using 1:2:3 with image, \
     pointsfile using 1:2:($3 == 0 ? 1 : $3 == 1 ? 2 : 3) with points pt 7 ps 0.8 lc variable
