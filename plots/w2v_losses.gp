# w2v_losses.gp — lab 4: the loss curves of the three losses trained on the same
# corpus slice. datafile: naive softmax; hsfile: hierarchical softmax; negfile:
# negative sampling (each: epoch, mean loss per pair).
# gnuplot -e "datafile='a.dat'; hsfile='b.dat'; negfile='c.dat'; outfile='losses.png'" plots/w2v_losses.gp
# outfile='' draws the ASCII preview on the terminal instead.
if (outfile eq '') {
    set terminal dumb size 79,22
    set title 'loss per pair: softmax (A), hs (B), neg (C)'
    set key off
    plot datafile using 1:2 with linespoints, hsfile using 1:2 with linespoints, \
         negfile using 1:2 with linespoints
    exit
}
set terminal pngcairo size 900,560 font ',11'
set output outfile
set title "skip-gram on the same 40000 words: the three losses\n(naive and hierarchical softmax are both -log P(o | c); negative sampling is a different objective)"
set xlabel 'epoch'
set ylabel 'mean loss per (centre, outside) pair'
set grid
plot datafile using 1:2 with linespoints pt 7 ps 0.5 lw 2 lc rgb '#b2182b' title 'naive softmax', \
     hsfile using 1:2 with linespoints pt 5 ps 0.5 lw 2 lc rgb '#1f4e99' title 'hierarchical softmax', \
     negfile using 1:2 with linespoints pt 9 ps 0.5 lw 2 lc rgb '#1a9850' title 'negative sampling (K = 5)'
