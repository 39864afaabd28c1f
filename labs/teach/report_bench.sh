#!/bin/sh
# report_bench.sh — make bench's class-report figure: N results.json files
# (copies, each under its own student's name, of a graded class: the
# planted class of tests/report/planted.sh when it is there, else the broken
# class of tests/grade/run.sh, else make bench's copies of the reference)
# reported by make report's script, median of RUNS runs; the target is 5 s
# for 1,000 results.
#   sh labs/teach/report_bench.sh BUILD [N] [RUNS]
set -eu
build=${1:-build}
n=${2:-1000}
runs=${3:-5}
dir="$build/report-bench"
from=""
for c in "$build/planted/grades" "$build/grade-test/grades" "$build/grade-bench/grades"; do
    if [ -f "$c/gradebook.csv" ]; then from=$c; break; fi
done
[ -n "$from" ] || { echo "report-bench: no graded class to copy (make check or make bench grades one)" >&2; exit 1; }
rm -rf "$dir"
mkdir -p "$dir/class"
find "$from" -name results.json | LC_ALL=C sort > "$dir/sources"
k=$(wc -l < "$dir/sources")
i=1
while [ "$i" -le "$n" ]; do
    src=$(sed -n "$(( (i - 1) % k + 1 ))p" "$dir/sources")
    mkdir -p "$dir/class/s$i"
    cp "$src" "$dir/class/s$i/results.json"
    i=$((i + 1))
done
bytes=$(du -sk "$dir/class" | cut -f1)
r=1
while [ "$r" -le "$runs" ]; do
    start=$(date +%s%N)
    sh labs/teach/report.sh --build "$build" --out "$dir/report" "$dir/class" > "$dir/log" 2>&1 ||
        { cat "$dir/log" >&2; exit 1; }
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
    r=$((r + 1))
done | sort -n > "$dir/times"
median=$(awk '{ t[NR] = $1 } END { printf "%.2f", t[int((NR + 1) / 2)] / 1000 }' "$dir/times")
lo=$(awk 'NR == 1 { printf "%.2f", $1 / 1000 }' "$dir/times")
hi=$(awk 'END { printf "%.2f", $1 / 1000 }' "$dir/times")
verdict=$(awk -v m="$median" 'BEGIN { print (m < 5 ? "under the 5 s target" : "OVER the 5 s target") }')
echo "report-bench: $n results.json ($(( bytes / 1024 )) MiB, copies of the $k of $from) reported in median $median s (min $lo, max $hi, $runs runs; make report's script, gnuplot included): $verdict"
rm -rf "$dir/class"
awk -v m="$median" 'BEGIN { exit !(m < 5) }'
