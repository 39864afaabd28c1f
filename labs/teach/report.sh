#!/bin/sh
# report.sh — make report: the class report of a grades folder, or of any
# folder of results.json files (a Gradescope export), into a folder of pages:
#   sh labs/teach/report.sh --build BUILD --out DIR [--earlier INPUT] [--title TEXT] INPUT...
# BUILD/report counts the class and writes the pages (labs/teach/report.c);
# gnuplot draws the score histogram (labs/teach/report_scores.gp). All of it
# is made in a scratch folder beside DIR and moved into place at the end, so
# a refused input or a failure leaves the previous report (or none), never
# part of one. Exit: 0, 1 a file could not be written or drawn, 2 bad usage
# or an input that is not a results.json (named), 3 out of memory.
set -u
build=build out="" earlier="" title="the class"
die() { printf 'report: %s\n' "$*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --earlier) earlier=$2; shift 2 ;;
        --title) title=$2; shift 2 ;;
        --) shift; break ;;
        -*) die "unknown option $1 (see labs/teach/report.sh)" ;;
        *) break ;;
    esac
done
[ -n "$out" ] && [ $# -gt 0 ] || die "usage: sh labs/teach/report.sh --build BUILD --out DIR [--earlier INPUT] INPUT..."
[ -x "$build/report" ] || die "no $build/report (make $build/report)"
if [ -L "$out" ] || { [ -e "$out" ] && [ ! -d "$out" ]; }; then
    die "$out is not a folder (a report is a folder of pages)"
fi
sh labs/ensure-deps.sh gnuplot > /dev/null 2>&1 || true
command -v gnuplot > /dev/null 2>&1 || die "gnuplot is missing: apt-get install -y gnuplot-nox"
parent=$(dirname "$out")
mkdir -p "$parent" || exit 2
scratch="$parent/.report.tmp.$$"
rm -rf "$scratch"
trap 'rm -rf "$scratch" "$out.old.$$"' EXIT INT TERM
# The handouts' pages (make handouts) as seen from the report's folder.
handouts_url=$(realpath -m --relative-to="$out" "$build/handouts" 2>/dev/null)/ || handouts_url=../handouts/
set -- --out-dir "$scratch" --title "$title" --handouts-url "$handouts_url" "$@"
[ -z "$earlier" ] || set -- --earlier "$earlier" "$@"
"$build/report" "$@" || exit $?
gnuplot -e "datafile='$scratch/scores.dat'; outfile='$scratch/scores.png'; earlier=$([ -n "$earlier" ] && echo 1 || echo 0)" \
    -e "title='score distribution'" labs/teach/report_scores.gp 2> "$scratch/gnuplot.err" ||
    { echo "report: gnuplot could not draw the score histogram: $(head -n 1 "$scratch/gnuplot.err")" >&2; exit 1; }
rm -f "$scratch/gnuplot.err"
[ -s "$scratch/scores.png" ] || { echo "report: gnuplot drew no scores.png" >&2; exit 1; }
if [ -d "$out" ]; then
    mv "$out" "$out.old.$$" || exit 1
fi
mv "$scratch" "$out" || exit 1
rm -rf "$out.old.$$"
trap - EXIT INT TERM
echo "report: the class report in $out/ (open $out/index.html; to post: $out/student-lab*.html)"
[ -f "$build/handouts/index.html" ] ||
    echo "report: the handout links point at $build/handouts/: make handouts draws them"
