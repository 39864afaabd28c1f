#!/bin/sh
# bench.sh — lab 3's speed benchmark (make bench): skip-gram on the whole
# corpus with word2vec's usual settings, at 1 and at 2 threads, RUNS runs each;
# prints the median words/s, training wall time and peak memory, the cost
# model (skip-gram HS: its distinct nodes per pair), and (when
# BUILD/bench/kernel.txt holds kernel_bench's figures) the floor: the time of
# the 1-thread run's score rows at the kernels' rates.
#   sh labs/lab3/bench.sh BUILD_DIR [LOSS] [RUNS]
set -eu
build=${1:-build}
loss=${2:-neg}
runs=${3:-3}
out="$build/bench"
mkdir -p "$out"
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
base=""
# The least time of a score row at this machine's kernel rates (kernel_bench, run by make bench first).
row_ns=$(sed -n "s/.* $loss \([0-9.]*\) ns.*/\1/p" "$out/kernel.txt" 2>/dev/null || true)
for threads in 1 2; do
    : > "$out/runs.txt"
    i=0
    while [ "$i" -lt "$runs" ]; do
        "$build/train_word2vec" --loss "$loss" --dim 100 --window 5 --negative 5 --sample 1e-3 \
            --min-count 5 --epochs 5 --threads "$threads" --quiet --out "$out/vectors.txt" > "$out/run.txt"
        line=$(sed -n 's/.* in \([0-9.]*\) s: \([0-9]*\)k words\/s, \([0-9]*\)k per thread.*peak memory \([0-9.]*\) MiB/\1 \2 \3 \4/p' "$out/run.txt")
        cost=$(sed -n 's/.*: \([0-9]*\) pairs, \([0-9.]*\) score rows per pair, .*: \([0-9.]*\) GFLOP\/s/\1 \2 \3/p' "$out/run.txt")
        echo "$line $cost" >> "$out/runs.txt"
        i=$((i + 1))
    done
    secs=$(cut -d' ' -f1 "$out/runs.txt" | median)
    rate=$(cut -d' ' -f2 "$out/runs.txt" | median)
    per=$(cut -d' ' -f3 "$out/runs.txt" | median)
    mem=$(cut -d' ' -f4 "$out/runs.txt" | sort -n | tail -n 1)
    all=$(cut -d' ' -f3 "$out/runs.txt" | tr '\n' ' ')
    gflops=$(cut -d' ' -f7 "$out/runs.txt" | median)
    rows=$(cut -d' ' -f6 "$out/runs.txt" | median)
    pairs=$(cut -d' ' -f5 "$out/runs.txt" | median)
    printf 'bench: word2vec %s, %d thread(s): median %sk words/s per thread (%sk in all), %s s; peak memory %s MiB  [runs: %s]\n' \
        "$loss" "$threads" "$per" "$rate" "$secs" "$mem" "$all"
    printf 'bench: word2vec %s, %d thread(s): cost model: %s pairs x %s score rows x 600 FLOPs (6d) = %s GFLOP/s (median)\n' \
        "$loss" "$threads" "$pairs" "$rows" "$gflops"
    sed -n 's/^train_word2vec: \(.* distinct path nodes per pair .*\): each.*/bench: word2vec '"$loss"', '"$threads"' thread(s): \1, each computed once per window (the last run)/p' "$out/run.txt"
    if [ "$threads" = 1 ] && [ -n "$row_ns" ]; then
        awk -v p="$pairs" -v r="$rows" -v ns="$row_ns" -v s="$secs" -v loss="$loss" 'BEGIN {
            f = p * r * ns / 1e9
            printf "bench: word2vec %s, 1 thread: floor %.2f s = pairs x rows x %.1f ns (a score row at the kernels'"'"' rates, nothing else; hs: a distinct node of a window); the run took %.2fx that\n", loss, f, ns, s / f }'
    fi
    [ "$threads" = 1 ] && base=$secs
done
awk -v a="$base" -v b="$secs" 'BEGIN {printf "bench: 2 threads are %.2fx as fast as 1 (median wall times)\n", a / b}'
rm -f "$out/vectors.txt" "$out/vectors.loss.dat" "$out/runs.txt" "$out/run.txt"
