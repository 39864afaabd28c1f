#!/bin/sh
# anchor_bench.sh — make bench's side-by-side timing of train_word2vec against
# the original word2vec.c on one job (skip-gram, d = 100, window 5, sample
# 1e-3, min-count 5, 5 epochs, the lab 3 corpus), when the anchor's source is
# there (ANCHOR, default ../shared/anchors/word2vec): built with its own
# flags into BUILD/anchor, never part of gradlab. For each loss (negative
# sampling, hierarchical softmax) and 1 and 2 threads: RUNS alternated runs
# of each program, the median wall times and their ratio.
#   sh labs/lab3/anchor_bench.sh BUILD [RUNS]
set -eu
build=${1:-build}
runs=${2:-3}
anchor=${ANCHOR:-../shared/anchors/word2vec}
out="$build/anchor"
corpus=labs/lab3/data/kjv.txt
if [ ! -f "$anchor/word2vec.c" ]; then
    echo "bench: no anchor at $anchor (set ANCHOR=DIR): the side-by-side timing is skipped"
    exit 0
fi
mkdir -p "$out"
gcc "$anchor/word2vec.c" -o "$out/word2vec" -lm -pthread -O3 -march=native -Wall -funroll-loops \
    -Wno-unused-result
clock() { date +%s.%N; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
printf 'bench: %-22s %7s %16s %16s %7s\n' "job" threads "train_word2vec" "word2vec.c" ratio
for loss in neg hs; do
    if [ "$loss" = neg ]; then flags="-negative 5 -hs 0"; else flags="-negative 0 -hs 1"; fi
    for threads in 1 2; do
        : > "$out/ours.txt"
        : > "$out/theirs.txt"
        i=0
        while [ "$i" -lt "$runs" ]; do
            t0=$(clock)
            "$build/train_word2vec" --loss "$loss" --dim 100 --window 5 --negative 5 --sample 1e-3 \
                --min-count 5 --epochs 5 --threads "$threads" --quiet --out "$out/ours.vec" > /dev/null
            t1=$(clock)
            # shellcheck disable=SC2086
            "$out/word2vec" -train "$corpus" -output "$out/theirs.vec" -size 100 -window 5 \
                -sample 1e-3 $flags -min-count 5 -iter 5 -threads "$threads" -cbow 0 -binary 0 \
                > /dev/null
            t2=$(clock)
            echo "$t1 $t0" | awk '{print $1 - $2}' >> "$out/ours.txt"
            echo "$t2 $t1" | awk '{print $1 - $2}' >> "$out/theirs.txt"
            i=$((i + 1))
        done
        a=$(median < "$out/ours.txt")
        b=$(median < "$out/theirs.txt")
        name="skip-gram $loss"
        awk -v n="$name" -v t="$threads" -v a="$a" -v b="$b" \
            'BEGIN {printf "bench: %-22s %7s %14.2f s %14.2f s %6.2fx\n", n, t, a, b, a / b}'
    done
done
echo "bench: (median of $runs alternated runs each; ratio = train_word2vec / word2vec.c, below 1 is faster)"
rm -f "$out"/*.vec "$out"/*.loss.dat "$out/ours.txt" "$out/theirs.txt"
