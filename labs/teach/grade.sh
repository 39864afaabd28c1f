#!/bin/sh
# grade.sh — make grade, and the Gradescope autograder's run_autograder.
#
#   sh labs/teach/grade.sh --build BUILD --labs "1 2 3" --submissions DIR
#       grades every folder and every .tar.gz / .tgz in DIR; writes
#       BUILD/grades/NAME/results.json, BUILD/grades/gradebook.csv and
#       BUILD/grades/verdicts.csv (every test's diagnosis code, labs/teach/verdict.h)
#   sh labs/teach/grade.sh --build BUILD --labs "3" --one SUBMISSION RESULTS_JSON
#       grades one submission folder (Gradescope: /autograder/submission)
# More: --grades DIR (instead of BUILD/grades), --timeout S (per test, 10),
# --base-tree DIR (a stripped tree built already, instead of this tree's:
# the Gradescope zip, which holds no solution),
# --jobs N (students graded at once; the number of cores), --unsafe (grade
# even with no isolation at all: see below). The labs graded are those
# --labs names (default: every lab with a grading table), each graded by
# its table labs/labN/teach/table.txt.
#
# Student code never runs here: BUILD/grade takes each submission's
# student-editable src/*.c (regular files only), compiles them over a base
# tree (this tree with its solutions stripped, built once, outside this
# tree) in a sandbox, and asks the resulting probe for numbers only. The
# sandbox is bubblewrap, as an unprivileged uid each grade process leases
# for itself alone (from UID_BASE, 61000, on) when run as root, with a
# control group per run; without bubblewrap, as root, that uid with
# rlimits; as a normal user without bubblewrap the grader refuses unless
# --unsafe. GRADLAB_BWRAP=PATH names another bubblewrap ("": none, to try
# the fallback). The isolation used is logged here and kept in each
# results.json's extra_data.
#
# Exit: 0 every submission graded; 1 the grader failed on some (a sandbox
# that could not be set up, a compiler or test killed from outside its
# limits): they are named at the end, their gradebook rows say "regrade",
# and they must be graded again; 2 bad usage.
set -u
build=build
grades=""
# Every lab with a grading table, by number.
labs=$(sh labs/list.sh teach/table.txt | tr '\n' ' ')
subs=""
one=""
one_out=""
limits=""
unsafe=""
jobs=$(nproc 2>/dev/null || echo 2)
uid_base=${UID_BASE:-61000}
# As root, the kernel's last choice when memory runs out (the sandboxes are its first).
[ "$(id -u)" != 0 ] || echo -1000 > /proc/$$/oom_score_adj 2>/dev/null || true
base_tree=""
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --grades) grades=$2; shift 2 ;;
        --labs) labs=$2; shift 2 ;;
        --submissions) subs=$2; shift 2 ;;
        --one) one=$2; one_out=$3; shift 3 ;;
        --timeout) [ -z "$2" ] || limits="--timeout $2"; shift 2 ;;
        --jobs) [ -z "$2" ] || jobs=$2; shift 2 ;;
        --base-tree) base_tree=$2; shift 2 ;;
        --unsafe) unsafe=--unsafe-no-sandbox; shift ;;
        *) echo "grade: unknown argument $1" >&2; exit 2 ;;
    esac
done
die() { printf 'grade: %s\n' "$*" >&2; exit 2; }
case $jobs in ''|*[!0-9]*|0) die "--jobs needs a whole number >= 1, not '$jobs'" ;; esac

tables=""
for n in $labs; do
    [ -f "labs/lab$n/teach/table.txt" ] || die "no grading table labs/lab$n/teach/table.txt (LABS=\"$labs\")"
    tables="$tables labs/lab$n/teach/table.txt"
done
[ -n "$tables" ] || die "LABS is empty: say which labs to grade, e.g. LABS=\"1 2\""
[ -n "$grades" ] || grades="$build/grades"

# The grader and the isolation it will use (it refuses when there is none).
check_grader() {
    sh labs/ensure-deps.sh bwrap || true
    grader=$(cd "$(dirname "$build/grade")" 2>/dev/null && pwd)/grade
    [ -x "$grader" ] || die "no grader $build/grade (make $build/grade)"
    [ -z "${GRADLAB_BWRAP+set}" ] || unsafe="$unsafe --bwrap ${GRADLAB_BWRAP:-none}"
    isolation=$("$grader" --isolation --uid-base "$uid_base" $unsafe) || exit 2
    echo "grade: isolation: $isolation"
}

# Everything student code may see lives in a scratch folder outside this tree.
root=$(mktemp -d "${TMPDIR:-/tmp}/gradlab-class.XXXXXX") || die "cannot make a scratch folder"
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT INT TERM
base="$root/base"

# The base tree: this tree with every solution stripped and no instructor
# material but the probe, built once by us (never by student code).
make_base() {
    if [ -n "$base_tree" ]; then
        cp -R "$base_tree" "$base" && chmod -R a+rX "$base" || die "cannot copy $base_tree"
        return
    fi
    sh labs/teach/base_tree.sh "$build/strip" "$base" || exit 2
    make -s -C "$base" BUILD=build build/grade-probe > "$root/base.log" 2>&1 || {
        cat "$root/base.log" >&2
        die "the stripped base tree does not build"
    }
    chmod -R a+rX "$base"
}

# unpack ARCHIVE DIR: only folders and regular files, no absolute or ..
# paths, at most 64 MiB in all; prints why not and fails otherwise.
unpack() {
    listing=$(tar -tvzf "$1" 2>/dev/null) || { echo "it is not a gzip'd tar archive"; return 1; }
    bad=$(printf '%s\n' "$listing" | awk 'substr($1, 1, 1) != "-" && substr($1, 1, 1) != "d"' | head -n 1)
    [ -z "$bad" ] || { echo "it holds something that is not a file or folder: $bad"; return 1; }
    names=$(tar -tzf "$1" 2>/dev/null)
    badname=$(printf '%s\n' "$names" | awk '/^\// || /(^|\/)\.\.(\/|$)/' | head -n 1)
    [ -z "$badname" ] || { echo "it holds an absolute or .. path: $badname"; return 1; }
    total=$(printf '%s\n' "$listing" | awk '{ s += $3 } END { print s + 0 }')
    [ "$total" -le 67108864 ] || { echo "it unpacks to $total bytes, more than 64 MiB"; return 1; }
    tar -xzf "$1" -C "$2" --no-same-owner --no-same-permissions 2>&1 | head -n 1
}

# grade_one NAME SUBMISSION RESULTS_JSON ROW_CSV [NOTE]: grades one (its
# verdicts into ROW_CSV.verdicts); a submission the grader failed on is
# added to $root/regrade.
grade_one() {
    mkdir -p "$(dirname "$3")"
    set -- "$@" ""
    # shellcheck disable=SC2086
    "$grader" --base "$base" --submission "$2" --student "$1" --out "$3" --csv "$4" \
        --verdicts "$4.verdicts" --uid-base "$uid_base" --scratch "$root" --note "$5" \
        $unsafe $limits $tables
    rc=$?
    if [ ! -s "$3" ]; then
        printf '{"score": 0, "output": "The grader failed on this submission (not your code); it will be graded again.", "tests": []}\n' > "$3"
        rm -f "$4" "$4.verdicts"
    fi
    # grade's exit statuses (src/exits.h): 0 graded; 4 results written, but
    # the grader failed on part of them; anything else (1 results not
    # written, a signal, ...) is the grader's failure too. Either way the
    # submission is graded again, never scored by what was left.
    case $rc in
        0) ;;
        4) echo "$1" >> "$root/regrade" ;;
        *) echo "grade: $1: the grader exited $rc" >&2; echo "$1" >> "$root/regrade" ;;
    esac
}

if [ -n "$one" ]; then
    [ -d "$one" ] || die "no submission folder $one"
    check_grader
    make_base
    grade_one submission "$one" "$one_out" "$root/row.csv" ""
    [ ! -s "$root/regrade" ] || { echo "grade: the grader failed on this submission: grade it again" >&2; exit 1; }
    exit 0
fi

[ -n "$subs" ] || die "say where the submissions are: make grade SUBMISSIONS=DIR"
[ -d "$subs" ] || die "SUBMISSIONS=$subs is not a folder"
# Every folder and archive in SUBMISSIONS but the grades folder itself
# (nothing is made before the submissions are known to be there).
grades_abs=$(cd "$grades" 2>/dev/null && pwd -P) || grades_abs=""
find "$subs" -mindepth 1 -maxdepth 1 \( -type d -o -name '*.tar.gz' -o -name '*.tgz' \) |
    LC_ALL=C sort | while IFS= read -r e; do
        if [ -z "$grades_abs" ] || [ "$(cd "$e" 2>/dev/null && pwd -P)" != "$grades_abs" ]; then
            printf '%s\n' "$e"
        fi
    done > "$root/entries"
[ -s "$root/entries" ] || die "no submissions in $subs (one folder or .tar.gz per student)"
check_grader
mkdir -p "$grades" "$root/rows" "$root/unpacked"
make_base

# A student's name is the entry's name without .tar.gz; only plain names.
name_of() {
    n=$(basename "$1"); n=${n%.tar.gz}; n=${n%.tgz}
    case $n in *[!A-Za-z0-9._@+-]*|.*) return 1 ;; esac
    echo "$n"
}

# The students of job k (round robin), graded one after another.
worker() {
    k=$1 i=0
    while IFS= read -r entry; do
        i=$((i + 1))
        [ $(( (i - 1) % jobs )) = "$k" ] || continue
        name=$(name_of "$entry") || { echo "grade: skipped '$entry': use letters, digits and . _ @ + - only" >&2; continue; }
        sub=$entry note=""
        if [ -f "$entry" ]; then
            sub="$root/unpacked/$name"
            mkdir -p "$sub"
            why=$(unpack "$entry" "$sub") || {
                note="Your archive $(basename "$entry") was not unpacked: $why."
                rm -rf "$sub"; mkdir -p "$sub"
                echo "grade: $name: $note" >&2
            }
        fi
        grade_one "$name" "$sub" "$grades/$name/results.json" "$root/rows/$name.csv" "$note"
        rm -rf "$root/unpacked/$name"
    done < "$root/entries"
}
k=0
while [ "$k" -lt "$jobs" ]; do
    worker "$k" &
    k=$((k + 1))
done
wait

# The gradebook, in the submissions' order: one header, then every row; a
# student the grader failed on gets a full row of zeros and "regrade".
book="$grades/gradebook.csv"
# shellcheck disable=SC2086
header=$("$grader" --csv-header $tables) || die "cannot read the grading tables"
ntests=$(printf '%s\n' "$header" | awk -F, '{ print NF - 4 }')
max=$(awk '$1 == "gradient" || $1 == "reference" { s += $3 } END { print s + 0 }' $tables)
count=0
: > "$root/book"
while IFS= read -r entry; do
    name=$(name_of "$entry") || continue
    row="$root/rows/$name.csv"
    if [ -f "$row" ]; then
        tail -n 1 "$row" >> "$root/book"
    else
        awk -v n="$ntests" -v name="$name" -v max="$max" 'BEGIN {
            c = substr(name, 1, 1); if (c ~ /[=+@-]/) name = "\047" name
            printf "%s,0,%s", name, max; for (i = 0; i < n; i++) printf ",0"; print ",regrade" }' >> "$root/book"
    fi
    count=$((count + 1))
done < "$root/entries"
{ echo "$header"; cat "$root/book"; } > "$book.tmp" && mv -f "$book.tmp" "$book"

# The record of verdicts beside it: every student's rows, in the same
# order; a student the grader failed on gets grader_failure on every test.
record="$grades/verdicts.csv"
{
    "$grader" --verdicts-header
    while IFS= read -r entry; do
        name=$(name_of "$entry") || continue
        rows="$root/rows/$name.csv.verdicts"
        if [ -f "$rows" ]; then
            tail -n +2 "$rows"
        else
            printf '%s\n' "$header" | tr ',' '\n' | sed -e '1,3d' -e '$d' |
                awk -v name="$name" '{ c = substr(name, 1, 1); n = name
                    if (c ~ /[=+@-]/) n = "\047" name
                    printf "%s,%s,,0,0,grader_failure,,,,,\n", n, $0 }'
        fi
    done < "$root/entries"
} > "$record.tmp" && mv -f "$record.tmp" "$record"
echo "grade: graded $count submissions ($jobs at a time): $book, $record"
if [ -s "$root/regrade" ]; then
    echo "grade: the grader failed on these submissions (not the students' doing); grade them again: $(LC_ALL=C sort "$root/regrade" | tr '\n' ' ')" >&2
    exit 1
fi
