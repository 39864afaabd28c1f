# zigzag.gp — lab 2: SGD's path on the two weights of one linear unit, with
# all-positive inputs (index 0) and centred ones (index 1), from
# lab2_activations' zigzag.dat.
# gnuplot -e "datafile='build/lab2/zigzag.dat'; outfile='zigzag.png'" plots/zigzag.gp
# outfile='' draws the ASCII preview on the terminal instead.
if (outfile eq '') {
    set terminal dumb size 79,24
    set title 'SGD path: positive inputs (1) against centred (2)'
    plot datafile index 0 using 2:3 with lines title 'positive', \
         datafile index 1 using 2:3 with lines title 'centred'
    exit
}
set terminal pngcairo size 760,700 font ',11'
set output outfile
set title "SGD on y = w . x from w = (-1, 1) to w* = (1, -1), learning rate 0.3"
set xlabel 'w_1'
set ylabel 'w_2'
set size ratio -1
set grid
set key top right
set object 1 circle at 1,-1 size 0.1 fc rgb '#444444' fs transparent solid 0.3 noborder
plot datafile index 0 using 2:3 with linespoints pt 7 ps 0.4 lw 1 lc rgb '#b03a2e' \
       title 'inputs in [0.5, 1.5): each step moves both weights the same way', \
     datafile index 1 using 2:3 with linespoints pt 7 ps 0.4 lw 1 lc rgb '#1f4e99' \
       title 'the same inputs centred', \
     '+' using (1):(-1) every ::0::0 with points pt 3 ps 2 lc rgb 'black' title 'w*'
