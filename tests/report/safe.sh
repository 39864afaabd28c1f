#!/bin/sh
# safe.sh — the class report's pages for the students are safe to post:
#   sh tests/report/safe.sh GRADES REPORT
# GRADES is a graded class (results.json files and verdicts.csv), REPORT its
# report. Every student-labN page must hold no student's name, no hidden
# test (its id, the words of its output), and no value (no number with a
# decimal point or an exponent: a count, a rank or a percentage only).
# Then a canary student is added to a copy of the class, whose visible
# test's output holds a value and a marker and whose hidden test blames a
# function no other test names: reported again, the instructor's page must
# show both (the report read them), the students' pages neither.
set -u
grades=$1
report=$2
failures=0
fail() { printf 'safe: FAIL: %s\n' "$*"; failures=$((failures + 1)); }
build=$(dirname "$(dirname "$report")")
[ -x "$build/report" ] || build=build

# check_pages REPORT: the students' pages of REPORT against the names and hidden tests of $names, $hidden.
check_pages() {
    pages=$(ls "$1"/student-lab*.html "$1"/student-lab*.md 2>/dev/null)
    [ -n "$pages" ] || { fail "$1 has no students' pages"; return; }
    for page in $pages; do
        while IFS= read -r name; do
            [ -n "$name" ] || continue
            ! grep -qwF -- "$name" "$page" || fail "$page names the student $name"
        done < "$names"
        while IFS= read -r id; do
            ! grep -qF -- "$id" "$page" || fail "$page names the hidden test $id"
        done < "$hidden"
        for words in hidden 'drawn for this submission' 'reference solution' 'values vs the reference'; do
            ! grep -qiF -- "$words" "$page" || fail "$page says '$words'"
        done
        ! grep -qE '[0-9]\.[0-9]|[0-9][eE][-+]?[0-9]' "$page" ||
            fail "$page holds a value: $(grep -oE '[0-9.]*[0-9]\.[0-9][0-9eE.+-]*' "$page" | head -n 3 | tr '\n' ' ')"
    done
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/gradlab-safe.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT INT TERM
names="$scratch/names" hidden="$scratch/hidden"
find "$grades" -name results.json | sed 's|/results.json$||; s|.*/||' > "$names"
awk -F, 'NR > 1 && $3 == "hidden" { print $2 }' "$grades/verdicts.csv" | sort -u > "$hidden"
[ -s "$names" ] && [ -s "$hidden" ] || { echo "safe: no students or no hidden tests in $grades"; exit 1; }
check_pages "$report"

# The canary: a copy of the class with one more student.
cp -R "$grades" "$scratch/class"
mkdir -p "$scratch/class/Zyx-Canary"
cat > "$scratch/class/Zyx-Canary/results.json" <<'JSON'
{"score": 0, "output": "CANARY-TOP 0.5772157",
 "tests": [
  {"name": "lab1/cross_entropy: gradients (checker) and values vs the reference", "score": 0,
   "max_score": 2, "status": "failed", "visibility": "visible",
   "output": "CANARY-VISIBLE: analytic 0.7315926, numeric -0.7315926 at dJ/dtheta[3]",
   "extra_data": {"code": "sign_flipped", "test": "lab1:gradient:cross_entropy",
                  "check": "cross_entropy", "function": "softmax_cross_entropy",
                  "block": "dJ/dtheta", "factor": null, "cause": "", "detail": ""}},
  {"name": "lab1/canary: values vs the reference (hidden inputs)", "score": 0, "max_score": 1,
   "status": "failed", "visibility": "hidden",
   "output": "CANARY-HIDDEN: at a hidden input the reference gives 0.4142136",
   "extra_data": {"code": "transposed", "test": "lab1:reference:canary", "check": "canary",
                  "function": "canary_hidden_fn", "block": "dJ/dcanary", "factor": null,
                  "cause": "", "detail": ""}}
 ]}
JSON
echo "Zyx-Canary" >> "$names"
printf '%s\n' lab1:reference:canary canary_hidden_fn CANARY 0.7315926 0.4142136 0.5772157 >> "$hidden"
sh labs/teach/report.sh --build "$build" --out "$scratch/report" "$scratch/class" > "$scratch/log" 2>&1 ||
    fail "the report of the class with a canary failed: $(cat "$scratch/log")"
grep -qF Zyx-Canary "$scratch/report/index.html" && grep -qF canary_hidden_fn "$scratch/report/index.html" ||
    fail "the instructor's page does not show the canary: the report did not read it"
check_pages "$scratch/report"

if [ "$failures" -gt 0 ]; then
    echo "safe: $failures failures"
    exit 1
fi
echo "safe: the students' pages name no student, no hidden test and no value (and keep a canary out)"
