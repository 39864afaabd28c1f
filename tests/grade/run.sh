#!/bin/sh
# run.sh — the grader end to end: grades the test class of submissions.sh
# with make grade's script and checks every student's score test by test,
# and what each results.json says.
#   sh tests/grade/run.sh BUILD
# The expected verdicts below are worked out from which functions each check
# calls (a broken function fails the tests that call it and no other); the points come from the grading tables, read here
# with awk, not from the grader.
set -u
build=${1:-build}
dir="$build/grade-test"
subs="$dir/submissions"
grades="$dir/grades"
failures=0
fail() { printf 'grade-test: FAIL: %s\n' "$*"; failures=$((failures + 1)); }

sh tests/grade/submissions.sh "$build/strip" "$subs" || { echo "grade-test: cannot make the submissions"; exit 1; }
rm -rf "$grades"
start=$(date +%s)
sh labs/teach/grade.sh --build "$build" --grades "$grades" --submissions "$subs" --timeout 2 \
    > "$dir/grade.log" 2>&1
rc=$?
echo "grade-test: make grade's script took $(( $(date +%s) - start )) s (log: $dir/grade.log)"
[ "$rc" = 0 ] || fail "grade.sh exited $rc"
book="$grades/gradebook.csv"
[ -s "$book" ] || { fail "no gradebook"; exit 1; }

# id -> points, from the tables: "lab1:gradient:sigmoid_grad 2".
awk '$1 == "gradient" || $1 == "reference" {
        n = split(FILENAME, p, "/"); sub(/\.txt$/, "", p[n]); print p[n] ":" $1 ":" $2, $3 }' \
    labs/teach/tables/lab*.txt > "$dir/points.txt"

# expect STUDENT 'PATTERN ...': the tests whose id matches a pattern score 0,
# every other test scores its full points ("all": every test scores 0).
expect() {
    student=$1 patterns=$2
    row=$(awk -F, -v s="$student" '$1 == s' "$book")
    [ -n "$row" ] || { fail "$student has no gradebook row"; return; }
    header=$(head -n 1 "$book")
    ncols=$(echo "$header" | awk -F, '{ print NF }')
    i=4
    while [ "$i" -le "$ncols" ]; do
        id=$(echo "$header" | cut -d, -f"$i")
        got=$(echo "$row" | cut -d, -f"$i")
        full=$(awk -v id="$id" '$1 == id { print $2 }' "$dir/points.txt")
        want=$full
        for p in $patterns; do
            # shellcheck disable=SC2254
            case $id in $p) want=0 ;; esac
            [ "$p" = all ] && want=0
        done
        [ "$got" = "$want" ] || fail "$student: $id scored $got, expected $want"
        i=$((i + 1))
    done
}

# says STUDENT 'TEXT': results.json contains TEXT.
says() {
    grep -qF -- "$2" "$grades/$1/results.json" || fail "$1: results.json does not say '$2'"
}

expect correct ''
expect tarball ''
expect garbage ''
expect stub all
expect no_compile all
expect bad_archive all
expect wrong_sign 'lab1:*:cross_entropy lab1:*:cross_entropy_soft lab1:*:cross_entropy_1e4 lab2:*:net2*'
expect wrong_factor 'lab1:*:sigmoid_grad lab2:*:net2 lab2:*:net2_large lab2:*:net2_tiny'
expect self_consistent 'lab3:*:naive_softmax'        # the golden losses show it to the student too
expect crash 'lab1:*:logsumexp lab1:*:softmax lab3:*:naive_softmax lab3:*:skipgram_softmax lab3:*:cbow_softmax'
expect loop 'lab1:*:relu lab2:*:net2_relu'
expect nan 'lab1:*:log_sigmoid lab3:*:neg_sampling lab3:*:neg_sampling_dup lab3:*:neg_sampling_seed1 lab3:*:neg_sampling_seed2 lab3:*:skipgram_neg lab3:*:cbow_neg'
expect exit0 'lab4:*:hs_pair lab4:*:hs_pair_short lab4:*:hs_probabilities lab4:*:skipgram_hs lab4:*:cbow_hs'   # hs_window does not call the pair function
expect abort 'lab3:*:cbow_softmax lab3:*:cbow_neg lab4:*:cbow_hs'
expect huge_alloc 'lab5:*:flow_jacobian lab5:*:flow_jacobian_wide'
expect partial 'lab1:*:relu lab1:*:cross_entropy lab1:*:cross_entropy_soft lab1:*:cross_entropy_1e4 lab2:* lab3:* lab4:* lab5:*'

says stub 'not implemented: sigmoid (src/sigmoid.c)'
says stub 'not implemented: flow_forward (src/flow.c)'
says no_compile 'Your code did not compile'
says no_compile 'error'
says bad_archive 'was not unpacked'
says wrong_sign 'FAIL'
says self_consistent 'The loss J itself differs'
says self_consistent '2 times it, every term counted 2 times?'
says crash 'crashed: Segmentation fault'
says loop 'no answer after 2 s'
says garbage 'your functions printed'
says nan 'The loss J is not a number'
says exit0 'exit() called inside a function?'
says abort 'abort() was called'
says huge_alloc 'crashed'
says partial 'Not in your submission, so graded as not implemented: src/activation.c src/cross_entropy.c'
says tarball 'Graded with your src/activation.c src/cross_entropy.c'

# Every results.json is valid JSON with Gradescope's fields (when python3 is here).
if command -v python3 >/dev/null 2>&1; then
    for f in "$grades"/*/results.json; do
        python3 - "$f" <<'EOF' || fail "$f is not a valid results.json"
import json, sys
r = json.load(open(sys.argv[1]))
assert isinstance(r["score"], (int, float)) and isinstance(r["tests"], list) and r["tests"]
for t in r["tests"]:
    assert set(("name", "score", "max_score", "status", "output", "visibility")) <= set(t)
    assert t["status"] in ("passed", "failed") and 0 <= t["score"] <= t["max_score"]
assert abs(r["score"] - sum(t["score"] for t in r["tests"])) < 1e-9
EOF
    done
else
    echo "grade-test: python3 is not here: results.json syntax not checked (the Check tests cover its escaping)"
fi

students=$(($(wc -l < "$book") - 1))
[ "$students" = 16 ] || fail "the gradebook has $students students, not 16"
if [ "$failures" -gt 0 ]; then
    echo "grade-test: $failures failures"
    exit 1
fi
echo "grade-test: all $students submissions scored as expected"
cut -d, -f1-3 "$book" | column -t -s, 2>/dev/null || cut -d, -f1-3 "$book"
