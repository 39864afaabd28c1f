#!/bin/sh
# grade.sh — make grade, and the Gradescope autograder's run_autograder.
#
#   sh labs/teach/grade.sh --build BUILD --labs "1 2 3" --submissions DIR
#       grades every folder and every .tar.gz / .tgz in DIR; writes
#       BUILD/grades/NAME/results.json and BUILD/grades/gradebook.csv
#   sh labs/teach/grade.sh --build BUILD --labs "3" --one SUBMISSION RESULTS_JSON
#       grades one submission folder (Gradescope: /autograder/submission)
# More: --grades DIR (instead of BUILD/grades), --timeout S (per test, 10).
#
# A submission holds the student's src/*.c, anywhere inside it (src/x.c,
# x.c, or a whole tree). Only the student-editable files are taken: the
# src/*.c that hold solution blocks in this tree; a file the submission
# lacks stays a stub (its tests say "not implemented"). Each submission is
# built in a scratch copy of a base tree (this tree with its solutions
# stripped, built once), so only the student's files are compiled again.
# A compile error gives every test 0 and the compiler's messages on top.
# BUILD/grade then runs the tests of labs/teach/tables/labN.txt, each in its own
# limited process. Whatever happens, results.json is written.
set -u
build=build
grades=""
labs="1 2 3 4 5"
subs=""
one=""
one_out=""
limits=""
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --grades) grades=$2; shift 2 ;;
        --labs) labs=$2; shift 2 ;;
        --submissions) subs=$2; shift 2 ;;
        --one) one=$2; one_out=$3; shift 3 ;;
        --timeout) [ -z "$2" ] || limits="--timeout $2"; shift 2 ;;
        *) echo "grade: unknown argument $1" >&2; exit 2 ;;
    esac
done
die() { printf 'grade: %s\n' "$*" >&2; exit 2; }

tables=""
for n in $labs; do
    [ -f "labs/teach/tables/lab$n.txt" ] || die "no grading table labs/teach/tables/lab$n.txt (LABS=\"$labs\")"
    tables="$tables labs/teach/tables/lab$n.txt"
done
[ -n "$tables" ] || die "LABS is empty: say which labs to grade, e.g. LABS=\"1 2\""
[ -n "$grades" ] || grades="$build/grades"
base="$grades/base"
editable=$(grep -l 'BEGIN SOLUTION' src/*.c | sed 's|^src/||')

# The base tree: this tree with every solution stripped, built once.
make_base() {
    rm -rf "$base"
    mkdir -p "$base/src"
    mkdir -p "$base/labs"
    cp Makefile "$base/"
    cp -R gradcheck "$base/"
    find labs -type f -name '*.[ch]' | while read -r f; do
        mkdir -p "$base/$(dirname "$f")"
        cp "$f" "$base/$f"
    done
    cp src/*.h "$base/src/"
    for f in src/*.c; do
        "$build/strip" "$f" "$f" "$base/$f" || die "cannot strip $f (see make release)"
    done
    make -s -C "$base" BUILD=build build/grade-probe > "$grades/base.log" 2>&1 ||
        die "the stripped base tree does not build (see $grades/base.log)"
}

# The file of the submission in folder $1 for the editable file $2, or "".
find_file() {
    for c in "$1/src/$2" "$1/$2"; do
        if [ -f "$c" ] && [ ! -L "$c" ]; then echo "$c"; return; fi
    done
    find "$1" -type f -name "$2" 2>/dev/null | LC_ALL=C sort | head -n 1
}

# A results.json with every table's tests at 0 and one message, written by
# the shell when BUILD/grade itself could not (never expected, but the
# grader always leaves results).
fallback() {
    printf '{"score": 0, "output": "%s", "tests": []}\n' "$2" > "$1.tmp" && mv -f "$1.tmp" "$1"
}

# grade_one NAME SUBMISSION_FOLDER RESULTS_JSON [NOTE]: the scratch build,
# then the tests; NOTE (e.g. why a tarball did not unpack) heads the output.
grade_one() {
    name=$1 sub=$2 out=$3 note=${4:-}
    work="$grades/work/$name"
    outdir=$(dirname "$out")
    mkdir -p "$outdir" "$grades/work"
    rm -rf "$work"
    cp -Rp "$base" "$work"
    notes="$work/notes.txt" log="$work/build.log"
    taken="" missing=""
    for f in $editable; do
        got=$(find_file "$sub" "$f")
        if [ -n "$got" ]; then
            cat "$got" > "$work/src/$f" && touch "$work/src/$f"
            taken="$taken src/$f"
        else
            missing="$missing src/$f"
        fi
    done
    {
        [ -n "$note" ] && echo "$note"
        [ -n "$taken" ] && echo "Graded with your$taken."
        [ -n "$missing" ] && echo "Not in your submission, so graded as not implemented:$missing."
    } > "$notes"
    set -- --probe "$work/build/grade-probe" --student "$name" --out "$out" \
        --csv "$work/row.csv" --notes "$notes" --build-log "$log"
    if ! run_make "$work" > "$log" 2>&1; then
        set -- "$@" --build-failed
    fi
    # shellcheck disable=SC2086
    if ! "$build/grade" "$@" $limits $tables || [ ! -s "$out" ]; then
        fallback "$out" "The grader failed on this submission; please tell the instructor."
        rm -f "$work/row.csv"
    fi
}

# Builds the student's probe: make, with a time limit when coreutils has one.
run_make() {
    if command -v timeout >/dev/null 2>&1; then
        timeout 300 make -s -C "$1" BUILD=build build/grade-probe
    else
        make -s -C "$1" BUILD=build build/grade-probe
    fi
}

if [ -n "$one" ]; then
    [ -d "$one" ] || die "no submission folder $one"
    mkdir -p "$grades"
    make_base
    grade_one submission "$one" "$one_out"
    exit 0
fi

[ -n "$subs" ] || die "say where the submissions are: make grade SUBMISSIONS=DIR"
[ -d "$subs" ] || die "SUBMISSIONS=$subs is not a folder"
entries() {
    find "$subs" -mindepth 1 -maxdepth 1 \( -type d -o -name '*.tar.gz' -o -name '*.tgz' \) |
        LC_ALL=C sort
}
[ -n "$(entries)" ] || die "no submissions in $subs (one folder or .tar.gz per student)"
mkdir -p "$grades"
make_base
book="$grades/gradebook.csv"
rows="$grades/gradebook.rows"
header=""
: > "$rows"
count=0
entries > "$grades/submissions.txt"
while IFS= read -r entry; do
    name=$(basename "$entry")
    name=${name%.tar.gz}
    name=${name%.tgz}
    sub=$entry
    note=""
    if [ -f "$entry" ]; then
        sub="$grades/unpacked/$name"
        rm -rf "$sub"
        mkdir -p "$sub"
        if ! tar -xzf "$entry" -C "$sub" --no-same-owner --no-same-permissions 2>"$grades/tar.err"; then
            note="Your archive $(basename "$entry") could not be unpacked: $(head -n 1 "$grades/tar.err")"
            echo "grade: $name: $note" >&2
        fi
    fi
    grade_one "$name" "$sub" "$grades/$name/results.json" "$note"
    row="$grades/work/$name/row.csv"
    if [ -f "$row" ]; then
        [ -n "$header" ] || header=$(head -n 1 "$row")
        tail -n 1 "$row" >> "$rows"
    else
        echo "$name,0," >> "$rows"                 # the grader failed: no score
    fi
    count=$((count + 1))
done < "$grades/submissions.txt"

# The gradebook: one header, then every student's row.
{ [ -z "$header" ] || echo "$header"; cat "$rows"; } > "$book.tmp" && mv -f "$book.tmp" "$book"
rm -f "$rows"
echo "grade: graded $count submissions: $book"
