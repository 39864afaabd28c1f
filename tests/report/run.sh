#!/bin/sh
# run.sh — the class report end to end on the broken class of
# tests/grade/run.sh (its grades must be there: make check runs that first):
# what it must count (worked out from what each submission breaks, as
# run.sh's expectations are), the comparison with an earlier run, the
# students' pages safe to post (safe.sh), and every input that is not a
# results.json refused with one line naming it, exit 2, and no report
# written or changed.
#   sh tests/report/run.sh BUILD
set -u
build=${1:-build}
grades="$build/grade-test/grades"
dir="$build/report-test"
out="$dir/report"
failures=0
fail() { printf 'report-test: FAIL: %s\n' "$*"; failures=$((failures + 1)); }
[ -f "$grades/gradebook.csv" ] || { echo "report-test: no $grades: run sh tests/grade/run.sh $build first"; exit 2; }
rm -rf "$dir"
mkdir -p "$dir"

sh labs/teach/report.sh --build "$build" --out "$out" --title "the broken class" "$grades" > "$dir/log" 2>&1 ||
    { echo "report-test: the report failed: $(cat "$dir/log")"; exit 1; }
for f in index.html report.md report.csv scores.png student-lab1.html student-lab5.md; do
    [ -s "$out/$f" ] || fail "no $f in the report"
done

# diagnosis FUNCTION CODE STUDENTS: the report's row, with exactly these students.
diagnosis() {
    got=$(awk -F, -v f="$1" -v c="$2" '$1 == "diagnosis" && $3 == f && $4 == c { print $9 }' "$out/report.csv")
    [ "$got" = "$3" ] || fail "$1 $2: the report names '$got', not '$3'"
}
diagnosis softmax_cross_entropy sign_flipped wrong_sign
diagnosis sigmoid_grad constant_factor wrong_factor
diagnosis naive_softmax_loss_and_grad loss_other_function self_consistent
diagnosis log_sigmoid not_finite nan
diagnosis softmax crash crash
diagnosis hsoftmax_loss_and_grad crash exit0
diagnosis hs_tree_build crash exit0       # hs_pair builds a tree, hs_probabilities calls hsoftmax: which of
                                          # the two exits is not told by the tests, so neither is put down to the other
diagnosis cbow_loss_and_grad crash abort
diagnosis flow_jacobian crash huge_alloc
diagnosis relu_grad timeout loop          # the relu check's function: the loop is in relu, which it calls
diagnosis sigmoid not_implemented 'bad_archive stub'
# What breaks one function is not counted against the functions that call it.
for f in backward_row logsumexp neg_sampling_loss_and_grad skipgram_loss_and_grad; do
    ! awk -F, -v f="$f" '$1 == "diagnosis" && $3 == f && $4 != "not_implemented"' "$out/report.csv" | grep -q . ||
        fail "$f is diagnosed, though only the functions it calls are broken: $(grep ",$f," "$out/report.csv" | head -n 1)"
done
for s in correct tarball garbage; do
    ! awk -F, '$1 == "diagnosis" { print " " $9 " " }' "$out/report.csv" | grep -q " $s " ||
        fail "$s passes every test but is diagnosed"
done
follows=$(awk -F, '$1 == "test" && $3 == "lab2:gradient:net2" { print $10 }' "$out/report.csv")
case $follows in "2 follow"*) ;; *) fail "lab2:gradient:net2: '$follows', not 2 failures that follow" ;; esac
grep -q '^failure,0,compile_error,compile_error,1,16,.*unknown type name' "$out/report.csv" ||
    fail "the compile error and its first message are not counted: $(grep '^failure,0,compile_error' "$out/report.csv")"
grep -q '^failure,0,crash,crash,4,16,.*Segmentation fault' "$out/report.csv" ||
    fail "the 4 crashes and their first message are not counted: $(grep '^failure,0,crash' "$out/report.csv")"

# An earlier run: the class without four of its broken students.
mkdir -p "$dir/earlier"
for s in correct tarball garbage wrong_sign wrong_factor stub partial; do cp -R "$grades/$s" "$dir/earlier/"; done
sh labs/teach/report.sh --build "$build" --out "$dir/compared" --earlier "$dir/earlier" "$grades" > "$dir/log" 2>&1 ||
    fail "the report with an earlier run failed: $(cat "$dir/log")"
grep -q 'Compared with the earlier run' "$dir/compared/index.html" || fail "no comparison with the earlier run"
grep -q 'Earlier: 7 students graded' "$dir/compared/report.md" || fail "the earlier run is not counted: $(grep Earlier "$dir/compared/report.md")"
awk -F, '$1 == "diagnosis" && $3 == "softmax_cross_entropy" && $4 == "sign_flipped" { exit !($8 > 0) }' \
    "$dir/compared/report.csv" || fail "the earlier share of a diagnosis is missing"

sh tests/report/safe.sh "$grades" "$out" || fail "the students' pages are not safe to post"

# refused PATH WHAT: the report of PATH is refused with one line naming it,
# exit 2, and neither the report's folder nor anything beside it changes.
before=$(cd "$out" && cat index.html report.md report.csv | cksum)
refused() {
    sh labs/teach/report.sh --build "$build" --out "$out" "$1" > "$dir/out" 2> "$dir/err"
    rc=$?
    [ "$rc" = 2 ] || fail "$2: exit $rc, not 2"
    [ "$(wc -l < "$dir/err")" = 1 ] && grep -qF "$1" "$dir/err" || fail "$2: not one line naming $1: $(cat "$dir/err")"
    [ "$(cd "$out" && cat index.html report.md report.csv | cksum)" = "$before" ] || fail "$2: the report changed"
    ! ls -a "$dir" | grep -q '^\.report\.tmp' || fail "$2: a scratch folder is left"
    "$build/report" --out-dir "$dir/new" "$1" > /dev/null 2> "$dir/err"
    rc=$?
    [ "$rc" = 2 ] && [ ! -e "$dir/new" ] && [ "$(wc -l < "$dir/err")" = 1 ] ||
        fail "$2: build/report exited $rc and left $(ls "$dir/new" 2>/dev/null | wc -l) files"
}
bad="$dir/bad"
mkdir -p "$bad/cut/ann" "$bad/list/bob" "$bad/bytes/cy" "$bad/none/dee" "$bad/strict/eve"
cp -R "$grades/correct" "$bad/cut/"
head -c 300 "$grades/correct/results.json" > "$bad/cut/ann/results.json"
echo '[1, 2, 3]' > "$bad/list/bob/results.json"
printf '{"score": 1, "output": "\377", "tests": []}' > "$bad/bytes/cy/results.json"
echo 'not json' > "$bad/none/dee/notes.txt"
printf '{"score": 1, "tests": [],}' > "$bad/strict/eve/results.json"
refused "$grades/gradebook.csv" "the gradebook"
refused "$bad/cut/ann/results.json" "a results.json cut short"
refused "$bad/cut" "a folder holding a results.json cut short"
refused "$bad/list" "a results.json that is a list"
refused "$bad/bytes" "a results.json with bytes that are not UTF-8"
refused "$bad/none" "a folder with no results.json"
refused "$bad/strict" "a results.json with a trailing comma"
refused "$dir/no-such-folder" "a path that does not exist"

if [ "$failures" -gt 0 ]; then
    echo "report-test: $failures failures"
    exit 1
fi
echo "report-test: the broken class counted as it broke; an earlier run compared; 8 kinds of bad input refused"
