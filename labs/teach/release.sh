#!/bin/sh
# release.sh — make release: the student tree and its tarball, then a check
# of what was made.
#   sh labs/teach/release.sh BUILD_DIR
# Writes BUILD_DIR/release/gradlab-student/ and gradlab-student.tar.gz:
# src/*.c with every solution block replaced by a stub (BUILD_DIR/strip), the
# headers, the checker, the labs, plots, handouts, and the student's README
# (labs/teach/README.student.md); nothing of tests/, labs/teach/ (this
# script, the stripper, the grader) or any lab's labs/labN/teach/ (its
# slips, grading table and tests). Then, in a scratch copy unpacked from the
# tarball:
#   1. no marker and no solution line (24 characters or more) is left; no
#      shipped file holds solution code in any wording (leakcheck: runs of 32
#      C tokens with the names of variables ignored); no shipped file names
#      a file or a target that is not shipped, or a grading table's seed;
#   2. the tree builds with -Werror;
#   3. every check reports NOT IMPLEMENTED, every make labN stops naming a
#      function not written yet, and the trainers refuse to start, naming the
#      functions each lab's labs/labN/teach/refusals.txt says they need;
#   4. with the reference src/*.c copied in, every check passes and make labs
#      (every lab: checks, trainers, plots) succeeds.
# Exit 0 only when all four hold.
set -eu
build=${1:-build}
out="$build/release"
tree="$out/gradlab-student"
verify="$out/verify"
strip="$build/strip"
say() { printf 'release: %s\n' "$*"; }
die() { printf 'release: %s\n' "$*" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$tree"
sed '/^#>instructor/,/^#<instructor/d' Makefile > "$tree/Makefile"
cp labs/teach/README.student.md "$tree/README.md"
cp -R src gradcheck plots handouts "$tree/"
find labs -type f ! -path 'labs/teach/*' ! -path 'labs/*/teach/*' | while read -r f; do
    mkdir -p "$tree/$(dirname "$f")"
    cp "$f" "$tree/$f"
done

removed="$out/solution-lines.txt"
: > "$removed"
stubs=0
for f in src/*.c; do
    "$strip" "$f" "$f" "$tree/$f" "$removed" || die "stopped: fix the markers in $f"
    n=$(grep -c 'gradlab_not_implemented(' "$tree/$f" || true)
    stubs=$((stubs + n))
done
say "stubbed $stubs functions in src/ ($(wc -l < "$removed") solution lines removed)"

(cd "$out" && tar czf gradlab-student.tar.gz gradlab-student)
say "wrote $tree and $out/gradlab-student.tar.gz"

# 1. No marker and no solution line left. The solution lines are found again
# here, independently of the stripper, by a loose match on the markers; a
# long line (24 characters or more) that occurs only inside solution blocks
# (nowhere else in src/, gradcheck/ or labs/) must not occur in the tree.
if grep -rniE --include='*.[ch]' '(BEGIN|END)[ _]*SOLUTION' "$tree"; then
    die "a solution marker (or a misspelt one) is left in the tree"
fi
awk 'FNR == 1 { inside = 0 } { up = toupper($0) }
     up ~ /BEGIN[ _]*SOLUTION/ { inside = 1; next }
     up ~ /END[ _]*SOLUTION/ { inside = 0; next }
     { line = $0; gsub(/^[ \t]+|[ \t]+$/, "", line)
       if (length(line) >= 24) print (inside ? "S" : "K") "\t" line }' \
    $(find src gradcheck labs -name '*.[ch]' ! -path 'labs/teach/*' ! -path 'labs/*/teach/*') > "$out/lines.txt"
awk -F '\t' '$1 == "K" { kept[$2] = 1 } $1 == "S" { sol[$2] = 1 }
     END { for (l in sol) if (!(l in kept)) print l }' "$out/lines.txt" > "$out/secret.txt"
left=$(find "$tree" -name '*.[ch]' -exec awk 'NR == FNR { secret[$0] = 1; next }
    { line = $0; gsub(/^[ \t]+|[ \t]+$/, "", line); if (line in secret) print FILENAME ": " line }' \
    "$out/secret.txt" {} + 2>/dev/null | head -n 3)
[ -z "$left" ] || die "solution text left in the tree: $left"
say "verified: no marker, and none of the $(wc -l < "$out/secret.txt") lines found only in solutions is left"
# ... nor a reworded copy: every shipped text file against the solution blocks.
find "$tree" -type f ! -path '*/data/*' ! -name '*.gz' | LC_ALL=C sort > "$out/shipped.txt"
if ! xargs "$build/leakcheck" --allow labs/teach/leak-allow.txt src/*.c -- < "$out/shipped.txt" \
        > "$out/leaks.txt" 2> "$out/leakcheck.log"; then
    cat "$out/leaks.txt" "$out/leakcheck.log" >&2
    die "solution code, reworded, is left in the tree (see $out/leaks.txt)"
fi
say "verified: $(tail -n 1 "$out/leakcheck.log" | sed 's/^leakcheck: //')"
# No shipped file points at what is not shipped, and no table seed is in it.
refs=$(grep -rnE 'make (check|release|grade|autograder)|tests/|labs/teach|gradcheck-slips|grading\.txt' \
       "$tree" --include='*.md' --include='*.c' --include='*.h' --include='*.[13]' --include='*.gp' \
       --include='*.sh' --include='*.mk' --include=Makefile | head -n 3)
[ -z "$refs" ] || die "a shipped file refers to instructor material: $refs"
for seed in $(sed -n 's/^seed 0x\([0-9a-fA-F]*\).*/\1/p' labs/lab*/teach/table.txt); do
    ! grep -rqi "$seed" "$tree" || die "a grading table's seed $seed is in the student tree"
done
say "verified: nothing shipped names instructor material or a grading seed"

# 2. It builds warning-free (from the tarball, in a scratch directory).
rm -rf "$verify"
mkdir -p "$verify"
tar xzf "$out/gradlab-student.tar.gz" -C "$verify"
student="$verify/gradlab-student"
make -s -C "$student" all CFLAGS="-O2 -Werror" > "$out/build.log" 2>&1 ||
    die "the student tree does not build with -Werror (see $out/build.log)"
say "verified: the student tree builds with -Werror"

# 3. Every check reports not implemented; every make labN stops, naming a
# function not written yet.
total=$("$student/build/gradcheck" --list | grep -c ' lab ')
set +e
"$student/build/gradcheck" --all > "$out/checks.txt" 2>&1
rc=$?
set -e
ni=$(grep -c '^NOT IMPLEMENTED' "$out/checks.txt" || true)
[ "$rc" = 1 ] || die "gradcheck --all exited $rc in the student tree, not 1"
[ "$ni" = "$total" ] || die "$ni of $total checks report NOT IMPLEMENTED (see $out/checks.txt)"
labs=$(sh labs/list.sh | tr '\n' ' ')
for n in $labs; do
    set +e
    make -C "$student" "lab$n" > "$verify/lab$n.txt" 2>&1
    rc=$?
    set -e
    [ "$rc" != 0 ] || die "make lab$n exited 0 in the student tree"
    grep -q 'not implemented: [a-z_0-9]* (src/[a-z_0-9]*\.c)' "$verify/lab$n.txt" ||
        die "make lab$n does not name a function not written yet (see $verify/lab$n.txt)"
done
say "verified: all $total checks report NOT IMPLEMENTED; make lab$(echo $labs | sed 's/ /, lab/g') each stop naming a function"
# The trainers refuse before reading any data, naming what they need: each
# lab's labs/labN/teach/refusals.txt, lines "PROGRAM FUNCTION (src/FILE.c)".
refused=""
for list in labs/lab*/teach/refusals.txt; do
    [ -f "$list" ] || continue
    grep -v '^#' "$list" | grep . | while IFS= read -r t; do
        prog=${t%% *} want=${t#* }
        set +e
        "$student/build/$prog" > /dev/null 2> "$verify/refuse.txt"
        rc=$?
        set -e
        [ "$rc" = 2 ] && grep -q "^$prog: cannot start: not implemented yet: .*$want" "$verify/refuse.txt" ||
            die "$prog in the student tree exited $rc without naming $want: $(head -c 300 "$verify/refuse.txt")"
    done || exit 1
    refused="$refused $(grep -v '^#' "$list" | grep . | cut -d' ' -f1 | tr '\n' ' ')"
done
say "verified: the trainers refuse to start, naming the functions they need: $(printf '%s\n' $refused | awk '!seen[$0]++' | tr '\n' ' ')"
# Skip-gram with hierarchical softmax trains with the window function: named too.
set +e
"$student/build/train_word2vec" --loss hs > /dev/null 2> "$verify/refuse.txt"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "^train_word2vec: cannot start: not implemented yet: .*hsoftmax_window_loss_and_grad (src/hsoftmax.c)" "$verify/refuse.txt" ||
    die "train_word2vec --loss hs in the student tree exited $rc without naming hsoftmax_window_loss_and_grad: $(head -c 300 "$verify/refuse.txt")"
say "verified: train_word2vec --loss hs refuses too, naming hsoftmax_window_loss_and_grad"
grep -o 'not implemented: [a-z_0-9]* ([a-z_0-9/]*\.c)' "$out/checks.txt" | sort | uniq -c |
    sed 's/^/release:   /'

# 4. The reference solutions make every check pass.
cp src/*.c "$student/src/"
make -s -C "$student" all CFLAGS="-O2 -Werror" >> "$out/build.log" 2>&1 ||
    die "the student tree with the reference src/ does not build (see $out/build.log)"
"$student/build/gradcheck" --all > "$out/checks_reference.txt" 2>&1 ||
    die "with the reference src/, gradcheck --all fails (see $out/checks_reference.txt)"
make -s -C "$student" labs > "$out/labs.log" 2>&1 ||
    die "with the reference src/, make labs fails in the student tree (see $out/labs.log)"
say "verified: with the reference src/*.c copied in, all $total checks pass and make labs (labs $(echo $labs)) runs"
rm -rf "$verify" "$out/lines.txt" "$out/secret.txt"
