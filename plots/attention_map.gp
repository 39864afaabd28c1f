# attention_map.gp — lab 6: the attention weights A_ij of one held-out
# sequence, query i against key j, before training (startfile) and after
# (datafile): from nearly flat to the anti-diagonal j = n - 1 - i.
# gnuplot -e "datafile='build/lab6/attention.dat'; startfile='build/lab6/attention_start.dat'; outfile='a.png'" plots/attention_map.gp
# (No ASCII preview: train_attention prints the accuracy the picture explains.)
if (outfile eq '') exit
set terminal pngcairo size 1100,520 font ',11'
set output outfile
set multiplot layout 1,2 title 'Attention weights of one held-out sequence: row i attends to key j'
set size ratio -1
set xlabel 'key j'
set ylabel 'query i'
set autoscale xfix
set autoscale yfix
set yrange [*:*] reverse
set cbrange [0:1]
set palette defined (0 '#ffffff', 0.5 '#6a8fc7', 1 '#1f2f66')
set title 'before training'
plot startfile using 2:1:3 with image notitle
set title 'after training: i attends to n - 1 - i'
plot datafile using 2:1:3 with image notitle
unset multiplot
