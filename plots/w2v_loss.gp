# w2v_loss.gp — lab 3: a word2vec loss curve (epoch, mean loss per pair).
# gnuplot -e "datafile='build/lab3/vectors.loss.dat'; outfile='loss.png'; title='...'" plots/w2v_loss.gp
# outfile='' draws the ASCII preview on the terminal instead.
if (!exists('title')) title = 'word2vec training loss'
if (outfile eq '') {
    set terminal dumb size 79,20
    set title title
    plot datafile using 1:2 with lines notitle
    exit
}
set terminal pngcairo size 900,560 font ',11'
set output outfile
set title title
set xlabel 'epoch'
set ylabel 'mean loss per (centre, outside) pair'
set grid
plot datafile using 1:2 with linespoints pt 7 ps 0.5 lw 2 lc rgb '#1f4e99' notitle
