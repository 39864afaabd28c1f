#!/bin/sh
# seed_sweep.sh — no false failures: every check of every lab must pass with
# each method (central, Richardson, Taylor) at seeds FIRST..LAST.
#   sh labs/seed_sweep.sh BUILD [FIRST LAST]
# Prints one line per method (passed of run) and every failure; exit 1 on any.
set -u
build=${1:-build}
first=${2:-0}
last=${3:-200}
bad=0
for m in central richardson taylor; do
    runs=0 passed=0
    s=$first
    while [ "$s" -le "$last" ]; do
        out=$("$build/gradcheck" --all --method "$m" --seed "$s" --format tap)
        runs=$((runs + $(printf '%s\n' "$out" | grep -c '^ok \|^not ok ')))
        passed=$((passed + $(printf '%s\n' "$out" | grep -c '^ok ')))
        printf '%s\n' "$out" | grep '^not ok ' | sed "s/^/seed-sweep: $m seed $s: /"
        s=$((s + 1))
    done
    echo "seed-sweep: $m, seeds $first..$last: $passed of $runs checks passed"
    [ "$passed" = "$runs" ] || bad=1
done
exit $bad
