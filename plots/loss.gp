# loss.gp — a training loss curve: raw (column 2) and smoothed (column 3).
# gnuplot -e "datafile='build/lab2/loss.dat'; outfile='loss.png'; title='...'" plots/loss.gp
# outfile='' draws the ASCII preview on the terminal instead.
if (!exists('title')) title = 'training loss'
if (outfile eq '') {
    set terminal dumb size 79,22
    set title title
    set logscale y
    plot datafile using 1:3 with lines title 'smoothed loss'
    exit
}
set terminal pngcairo size 900,560 font ',11'
set output outfile
set title title
set xlabel 'iteration'
set ylabel 'loss per example'
set logscale y
set grid
set key top right
plot datafile using 1:2 with lines lc rgb '#b0c4de' title 'minibatch loss', \
     datafile using 1:3 with lines lw 2 lc rgb '#1f4e99' title 'smoothed (EMA 0.99)'
