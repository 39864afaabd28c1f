# w2v_epochs.gp — lab 3: what each epoch learned: the training loss and the
# held-out loss (top), and how many listed word pairs are in each other's
# top 10 (bottom), from train_word2vec --held-out's FILE.epochs.dat.
# gnuplot -e "datafile='build/lab3/vectors.epochs.dat'; outfile='epochs.png'" plots/w2v_epochs.gp
# outfile='' draws the ASCII preview (the held-out loss) on the terminal instead.
set datafile missing '-'
if (outfile eq '') {
    set terminal dumb size 79,18
    set title 'held-out loss per epoch'
    plot datafile using 1:3 with linespoints notitle
    exit
}
set terminal pngcairo size 900,760 font ',11'
set output outfile
set multiplot layout 2,1
set title 'mean loss per (centre, outside) pair'
set xlabel 'epoch'
set grid
set key top right
plot datafile using 1:2 with linespoints pt 7 lw 2 lc rgb '#1f4e99' title 'training (on the fly, as the vectors learn)', \
     datafile using 1:3 with linespoints pt 5 lw 2 lc rgb '#b03a2e' title 'held-out lines (vectors fixed, fixed negatives)'
set title "related pairs in each other's 10 nearest neighbours"
set ylabel 'pairs'
set yrange [0:*]
plot datafile using 1:4 with linespoints pt 7 lw 2 lc rgb '#2e7d32' notitle
unset multiplot
