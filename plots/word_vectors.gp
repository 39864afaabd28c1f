# word_vectors.gp — lab 3: chosen words on the top two principal components
# of their (unit-length) vectors; data: word, pc1, pc2.
# gnuplot -e "datafile='build/lab3/projection.dat'; outfile='word_vectors.png'" plots/word_vectors.gp
if (outfile eq '') exit
set terminal pngcairo size 900,760 font ',11'
set output outfile
set title 'Word vectors, top two principal components (skip-gram, negative sampling, KJV)'
set xlabel 'PC 1'
set ylabel 'PC 2'
set grid
set offsets graph 0.08, graph 0.08, graph 0.08, graph 0.08
plot datafile using 2:3 with points pt 7 ps 1 lc rgb '#1f4e99' notitle, \
     datafile using 2:3:1 with labels offset char 0,1 notitle
