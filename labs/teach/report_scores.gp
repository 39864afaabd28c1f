# report_scores.gp — the class report's score histogram: the share of the
# graded students in each tenth of the maximum score, and an earlier run's
# beside it when there is one (labs/teach/report.sh draws it).
# gnuplot -e "datafile='scores.dat'; outfile='scores.png'; earlier=1; title='...'" labs/teach/report_scores.gp
# datafile's columns: from, to (percent of the maximum), students, share (%),
# the earlier run's students and share.
if (!exists('title')) title = 'score distribution'
if (!exists('earlier')) earlier = 0
set terminal pngcairo size 900,500 font ',11'
set output outfile
set title title
set xlabel 'score (percent of the maximum)'
set ylabel 'share of the graded students (%)'
set xrange [0:100]
set yrange [0:*]
set xtics 10
set grid ytics
set style fill solid 0.8 border -1
set key top left
if (earlier) {
    plot datafile using (($1 + $2) / 2 - 2):4:(4) with boxes lc rgb '#1f4e99' title 'this run', \
         datafile using (($1 + $2) / 2 + 2):6:(4) with boxes lc rgb '#b0c4de' title 'earlier run'
} else {
    plot datafile using (($1 + $2) / 2):4:(8) with boxes lc rgb '#1f4e99' title 'this run'
}
