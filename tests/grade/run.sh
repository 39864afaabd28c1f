#!/bin/sh
# run.sh — the grader end to end: grades the test class of submissions.sh
# with make grade's script and checks every student's score test by test,
# and what each results.json says.
#   sh tests/grade/run.sh BUILD
# The expected verdicts are worked out from which functions each check calls
# (a broken function fails the tests that call it and no other), lab by lab
# in labs/labN/teach/grade-expect.txt; the points come from the grading
# tables, read here with awk, not from the grader.
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
        n = split(FILENAME, p, "/"); print p[n - 2] ":" $1 ":" $2, $3 }' \
    labs/lab*/teach/table.txt > "$dir/points.txt"

# expect STUDENT 'PATTERN ...': the tests whose id matches a pattern score 0,
# every other test scores its full points ("all": every test scores 0).
expect() {
    student=$1 patterns=$2
    row=$(awk -F, -v s="$student" '$1 == s' "$book")
    [ -n "$row" ] || { fail "$student has no gradebook row"; return; }
    header=$(head -n 1 "$book")
    ncols=$(echo "$header" | awk -F, '{ print NF }')
    [ "$(echo "$header" | cut -d, -f"$ncols")" = status ] || fail "the gradebook's last column is not status"
    [ "$(echo "$row" | cut -d, -f"$ncols")" = graded ] || fail "$student: status $(echo "$row" | cut -d, -f"$ncols"), not graded"
    i=4
    while [ "$i" -lt "$ncols" ]; do
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
# The tests each broken submission fails: every lab's own list
# (labs/labN/teach/grade-expect.txt), as patterns labN:*:CHECK.
fails() {
    for n in $(sh labs/list.sh teach/grade-expect.txt); do
        awk -v s="$1" -v n="$n" '$1 == s { for (i = 2; i <= NF; i++) printf "lab%s:*:%s ", n, $i }' \
            "labs/lab$n/teach/grade-expect.txt"
    done
}
for student in wrong_sign wrong_factor self_consistent crash loop nan exit0 abort huge_alloc partial; do
    expect "$student" "$(fails "$student")"
done

says stub 'not implemented: sigmoid (src/sigmoid.c)'
says stub 'not implemented: flow_forward (src/flow.c)'
says no_compile 'Your code did not compile'
says no_compile 'error'
says bad_archive 'was not unpacked'
says wrong_sign 'FAIL'
says self_consistent 'The loss J itself differs'
says self_consistent '2 times it, every term counted 2 times?'
says crash 'crashed: Segmentation fault'
says loop 'used more than 2 s of CPU time'
says garbage 'your functions printed'
says nan 'The loss J is not a number'
says exit0 'exit() called inside a function?'
says abort 'abort() was called'
says huge_alloc 'crashed'
# The files a student may submit (those with solution blocks), in the grader's order.
editable=$(LC_ALL=C grep -l 'BEGIN SOLUTION' src/*.c | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
says partial "Not in your submission, so graded as not implemented: $(echo "$editable" |
    sed 's| src/sigmoid.c||; s| src/softmax.c||')."
says tarball "Graded with your $editable."

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

# When the grader, not the student, fails (here a bubblewrap that runs its
# trial but then cannot set up a sandbox), the submission is not scored as
# the student's: its row says regrade, with every column, its results say
# so, and the script exits 1 naming it.
if [ "$(id -u)" = 0 ] && [ -x /usr/bin/bwrap ]; then
    fake="$(pwd)/$dir/fake-bwrap"
    printf '#!/bin/sh\nfor a; do [ "$a" = /usr/bin/true ] && exec /usr/bin/bwrap "$@"; done\n'"echo 'bwrap: Creating new namespace failed: Resource temporarily unavailable' >&2; exit 1\n" > "$fake"
    chmod 755 "$fake"
    mkdir -p "$dir/regrade/correct" && cp -R "$subs/correct/." "$dir/regrade/correct/"
    GRADLAB_BWRAP=$fake sh labs/teach/grade.sh --build "$build" --grades "$dir/regrade-grades" \
        --submissions "$dir/regrade" --timeout 2 > "$dir/regrade.log" 2>&1
    rc=$?
    [ "$rc" = 1 ] || fail "a grader failure: grade.sh exited $rc, not 1"
    grep -q 'grade them again: correct' "$dir/regrade.log" || fail "a grader failure: the log does not name the submission"
    rrow=$(tail -n 1 "$dir/regrade-grades/gradebook.csv")
    [ "${rrow##*,}" = regrade ] || fail "a grader failure: the row says '${rrow##*,}', not regrade"
    [ "$(echo "$rrow" | awk -F, '{ print NF }')" = "$(head -n 1 "$book" | awk -F, '{ print NF }')" ] ||
        fail "a grader failure: the row lacks columns"
    grep -q 'The grader failed on this submission (not your code)' "$dir/regrade-grades/correct/results.json" ||
        fail "a grader failure: results.json does not say so"
fi
if [ "$failures" -gt 0 ]; then
    echo "grade-test: $failures failures"
    exit 1
fi
echo "grade-test: all $students submissions scored as expected"
cut -d, -f1-3 "$book" | column -t -s, 2>/dev/null || cut -d, -f1-3 "$book"
