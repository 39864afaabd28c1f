#!/bin/sh
# anchor_bench.sh — make bench's side-by-side timing of train_word2vec against
# the original word2vec.c on one job (skip-gram, d = 100, window 5, sample
# 1e-3, min-count 5, 5 epochs, the lab 3 corpus), when the anchor's source is
# there (ANCHOR, default ../shared/anchors/word2vec): built with its own
# flags into BUILD/anchor, never part of gradlab. For each loss (negative
# sampling, hierarchical softmax) and 1 and 2 threads: RUNS alternated runs
# of each program; the median wall times, the largest peak memory (GNU time
# for word2vec.c, when it is installed), their ratio, and how many of the
# lab's related pairs each program's last vectors have in each other's top 10
# (w2v_explore --pairs). Hierarchical softmax has targets, 0.80x word2vec.c
# on one thread and 0.50x on two; a run that misses one is followed by its
# floor: the job's pairs x distinct nodes per pair x the least time of a
# node at this machine's kernel rates (BUILD/bench/kernel.txt, which make
# bench writes first), shared by the threads, beside the target's seconds.
#   sh labs/lab3/anchor_bench.sh BUILD [RUNS]
set -eu
build=${1:-build}
runs=${2:-3}
anchor=${ANCHOR:-../shared/anchors/word2vec}
out="$build/anchor"
corpus=labs/lab3/data/kjv.txt
pairs=moses:aaron,gold:silver,sheep:oxen,peter:john,jesus:christ,bread:eat,sword:famine,egypt:canaan,david:saul,jerusalem:judah,aaron:eleazar,pharaoh:egypt
if [ ! -f "$anchor/word2vec.c" ]; then
    echo "bench: no anchor at $anchor (set ANCHOR=DIR): the side-by-side timing is skipped"
    exit 0
fi
mkdir -p "$out"
gcc "$anchor/word2vec.c" -o "$out/word2vec" -lm -pthread -O3 -march=native -Wall -funroll-loops \
    -Wno-unused-result
clock() { date +%s.%N; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
largest() { sort -n | tail -n 1; }
gnu_time=""
[ -x /usr/bin/time ] && /usr/bin/time -f %M true > /dev/null 2>&1 && gnu_time=/usr/bin/time
row_ns=$(sed -n 's/.* hs \([0-9.]*\) ns.*/\1/p' "$build/bench/kernel.txt" 2>/dev/null || true)
found() { "$build/w2v_explore" --vectors "$1" --pairs "$pairs" | sed -n 's/.*: \([0-9]* of [0-9]*\) pairs.*/\1/p'; }
printf 'bench: %-20s %7s %20s %20s %7s %8s\n' "job" threads "train_word2vec" "word2vec.c" ratio target
for loss in neg hs; do
    if [ "$loss" = neg ]; then flags="-negative 5 -hs 0"; else flags="-negative 0 -hs 1"; fi
    for threads in 1 2; do
        for f in ours theirs ours_mib theirs_mib cost; do : > "$out/$f.txt"; done
        i=0
        while [ "$i" -lt "$runs" ]; do
            t0=$(clock)
            "$build/train_word2vec" --loss "$loss" --dim 100 --window 5 --negative 5 --sample 1e-3 \
                --min-count 5 --epochs 5 --threads "$threads" --quiet --out "$out/ours.vec" > "$out/run.txt"
            t1=$(clock)
            # shellcheck disable=SC2086
            set -- "$out/word2vec" -train "$corpus" -output "$out/theirs.vec" -size 100 -window 5 \
                -sample 1e-3 $flags -min-count 5 -iter 5 -threads "$threads" -cbow 0 -binary 0
            if [ -n "$gnu_time" ]; then
                "$gnu_time" -f %M -o "$out/rss.txt" "$@" > /dev/null
                awk '{print $1 / 1024}' "$out/rss.txt" >> "$out/theirs_mib.txt"
            else
                "$@" > /dev/null
            fi
            t2=$(clock)
            echo "$t1 $t0" | awk '{print $1 - $2}' >> "$out/ours.txt"
            echo "$t2 $t1" | awk '{print $1 - $2}' >> "$out/theirs.txt"
            sed -n 's/.*peak memory \([0-9.]*\) MiB.*/\1/p' "$out/run.txt" >> "$out/ours_mib.txt"
            sed -n 's/.*: \([0-9]*\) pairs, \([0-9.]*\) score rows per pair.*/\1 \2/p' "$out/run.txt" >> "$out/cost.txt"
            i=$((i + 1))
        done
        a=$(median < "$out/ours.txt")
        b=$(median < "$out/theirs.txt")
        am=$(largest < "$out/ours_mib.txt")
        bm=$(largest < "$out/theirs_mib.txt")
        target=-
        [ "$loss" = hs ] && target=$([ "$threads" = 1 ] && echo 0.80 || echo 0.50)
        awk -v n="skip-gram $loss" -v t="$threads" -v a="$a" -v b="$b" -v am="$am" -v bm="$bm" \
            -v target="$target" 'BEGIN {
            r = a / b
            verdict = target == "-" ? "" : r <= target + 0 ? " met" : " MISSED"
            printf "bench: %-20s %7s %9.2f s %5.0f MiB %9.2f s %5s MiB %6.2fx %8s%s\n", n, t, a, am, b,
                   bm == "" ? "-" : sprintf("%.0f", bm), r, target, verdict }'
        echo "bench: $(printf '%-20s %7s' "  pairs found" "$threads") train_word2vec $(found "$out/ours.vec") of the lab's pairs, word2vec.c $(found "$out/theirs.vec")"
        if [ "$target" != - ] && [ -n "$row_ns" ]; then
            pr=$(head -n 1 "$out/cost.txt")
            awk -v pr="$pr" -v ns="$row_ns" -v a="$a" -v b="$b" -v t="$threads" -v target="$target" 'BEGIN {
                split(pr, c, " ")
                f = c[1] * c[2] * ns / 1e9 / t
                goal = target * b
                if (a / b <= target + 0)
                    exit
                if (f > goal)
                    where = "the floor itself is above it"
                else
                    where = sprintf("%.2f s above the floor", goal - f)
                printf "bench:   floor %.2f s = %d pairs x %.2f distinct nodes per pair x %.1f ns / %d thread(s)", f, c[1], c[2], ns, t
                printf " (the window loss at the kernel rates, nothing else); the target is %.2f s (%.2f x %.2f s), %s;", goal, target, b, where
                printf " the run took %.2f s, %.2f s above the floor\n", a, a - f
            }'
        fi
    done
done
echo "bench: (median of $runs alternated runs each; memory: the largest peak of the runs; ratio = train_word2vec / word2vec.c, below 1 is faster)"
[ -n "$gnu_time" ] || echo "bench: word2vec.c's memory needs GNU time (Debian's time package)"
rm -f "$out"/*.vec "$out"/*.loss.dat "$out"/ours*.txt "$out"/theirs*.txt "$out/run.txt" "$out/rss.txt" \
    "$out/cost.txt"
