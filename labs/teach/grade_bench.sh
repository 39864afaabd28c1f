#!/bin/sh
# grade_bench.sh — make bench's grading figure: N copies of the reference
# submission graded by make grade's script (parallel jobs, the sandbox the
# grader picks), every one at full marks, with the wall time and seconds per
# student.
#   sh labs/teach/grade_bench.sh BUILD [N]
set -eu
build=${1:-build}
n=${2:-100}
dir="$build/grade-bench"
rm -rf "$dir"
mkdir -p "$dir/class"
editable=$(grep -l 'BEGIN SOLUTION' src/*.c)
i=1
while [ "$i" -le "$n" ]; do
    mkdir -p "$dir/class/s$i/src"
    cp $editable "$dir/class/s$i/src/"
    i=$((i + 1))
done
points=$(awk '$1 == "gradient" || $1 == "reference" { s += $3 } END { print s }' labs/lab*/teach/table.txt)
start=$(date +%s%N)
sh labs/teach/grade.sh --build "$build" --grades "$dir/grades" --submissions "$dir/class" > "$dir/grade.log" 2>&1 ||
    { tail -n 5 "$dir/grade.log" >&2; echo "grade-bench: grading failed (see $dir/grade.log)" >&2; exit 1; }
end=$(date +%s%N)
full=$(awk -F, -v p="$points" 'NR > 1 && $2 == p' "$dir/grades/gradebook.csv" | wc -l)
secs=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", (e - s) / 1e9 }')
echo "grade-bench: $n copies of the reference graded in $secs s on $(nproc) cores ($(sed -n 's/^grade: isolation: //p' "$dir/grade.log" | cut -c1-40)...): $(awk -v t="$secs" -v n="$n" 'BEGIN { printf "%.2f", t / n }') s per student; $full of $n at full marks ($points points)"
[ "$full" = "$n" ] || { echo "grade-bench: only $full of $n copies scored $points" >&2; exit 1; }
rm -rf "$dir/class"
