# attention_loss.gp — lab 6: the attention model's loss per token (log scale)
# and its accuracy on held-out sequences, step by step.
# gnuplot -e "datafile='build/lab6/loss.dat'; outfile='loss.png'" plots/attention_loss.gp
# outfile='' draws the ASCII preview on the terminal instead.
if (outfile eq '') {
    set terminal dumb size 79,20
    set title 'loss per token (nats), smoothed'
    set logscale y
    plot datafile using 1:3 with lines notitle
    exit
}
set terminal pngcairo size 900,560 font ',11'
set output outfile
set title 'Attention learning to reverse sequences: loss and held-out accuracy'
set xlabel 'Adam step'
set ylabel 'cross-entropy per token (nats)'
set logscale y
set y2label 'held-out accuracy'
set y2range [0:1.02]
set y2tics 0.2
set ytics nomirror
set grid
set key center right
plot datafile using 1:2 with lines lc rgb '#b0c4de' title 'minibatch loss', \
     datafile using 1:3 with lines lw 2 lc rgb '#1f4e99' title 'smoothed (EMA 0.95)', \
     datafile using 1:($4 == $4 ? $4 : 1/0) axes x1y2 with linespoints pt 7 ps 0.5 \
         lc rgb '#2e8b57' title 'tokens right', \
     datafile using 1:($5 == $5 ? $5 : 1/0) axes x1y2 with linespoints pt 7 ps 0.5 \
         lc rgb '#c0504d' title 'whole sequences right'
