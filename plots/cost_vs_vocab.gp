# cost_vs_vocab.gp — lab 4: microseconds per (centre, outside) pair against the
# vocabulary size V, log-log, for the three losses, each with its fitted slope.
# gnuplot -e "datafile='build/lab4/cost.dat'; outfile='cost_vs_vocab.png'" plots/cost_vs_vocab.gp
# outfile='' draws the ASCII preview on the terminal instead.
# Columns (hs_cost): V, naive_us, hs_us, neg_us, path_freq, path_uniform, log2V, ...
set fit quiet
stats datafile using (log($1)):(log($2)) nooutput
naive = STATS_slope
stats datafile using (log($1)):(log($3)) nooutput
hs = STATS_slope
stats datafile using (log($1)):(log($4)) nooutput
neg = STATS_slope
set logscale xy
if (outfile eq '') {
    set terminal dumb size 79,22
    set title 'time per pair against V (log-log)'
    set key bottom right
    plot datafile using 1:2 with linespoints title sprintf('naive %.2f', naive), \
         '' using 1:3 with linespoints title sprintf('hs %.2f', hs), \
         '' using 1:4 with linespoints title sprintf('neg %.2f', neg)
    exit
}
set terminal pngcairo size 900,600 font ',11'
set output outfile
set title 'cost of one (centre, outside) pair with its gradients, d = 100 (log-log; slope = fitted exponent of V)'
set xlabel 'vocabulary size V'
set ylabel 'microseconds per pair (median)'
set grid
set key top left
plot datafile using 1:2 with linespoints pt 7 lw 2 lc rgb '#b2182b' title sprintf('naive softmax, O(Vd): slope %.2f', naive), \
     '' using 1:3 with linespoints pt 5 lw 2 lc rgb '#1f4e99' title sprintf('hierarchical softmax, O(d log V): slope %.2f', hs), \
     '' using 1:4 with linespoints pt 9 lw 2 lc rgb '#1a9850' title sprintf('negative sampling, O(d(K+1)): slope %.2f', neg)
