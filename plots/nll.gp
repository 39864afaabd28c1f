# nll.gp — lab 5: the flow's negative log-likelihood per point, raw and smoothed
# (linear axis: an NLL can go below zero when the density peaks above 1).
# gnuplot -e "datafile='build/lab5/loss.dat'; outfile='loss.png'" plots/nll.gp
# outfile='' draws the ASCII preview on the terminal instead.
if (outfile eq '') {
    set terminal dumb size 79,20
    set title 'NLL per point (nats), smoothed'
    plot datafile using 1:3 with lines notitle
    exit
}
set terminal pngcairo size 900,560 font ',11'
set output outfile
set title 'Normalizing flow on two moons: negative log-likelihood'
set xlabel 'Adam step'
set ylabel 'NLL per point (nats)'
set grid
plot datafile using 1:2 with lines lc rgb '#b0c4de' title 'minibatch', \
     datafile using 1:3 with lines lw 2 lc rgb '#1f4e99' title 'smoothed (EMA 0.99)'
