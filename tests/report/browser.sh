#!/bin/sh
# browser.sh — the class report in a real browser: its pages opened in
# headless Chromium (Debian's chromium, driven as tests/handouts/browser.sh
# does), which fails the test when a picture does not load, when a table the
# page must have is missing or empty, or when a handout link leads to no
# page or no section of it (BUILD/handouts, rendered by make handouts).
# First it checks itself: a copy of the report with its picture removed,
# and one with a table taken out, must both be failed. A screenshot of every
# page is kept in BUILD/class-report-screenshots/.
#   sh tests/report/browser.sh BUILD REPORT
set -u
build=${1:-build}
report=${2:-$build/class-report}
shots=$build/class-report-screenshots
failures=0
fail() { printf 'report-browser: FAIL: %s\n' "$*"; failures=$((failures + 1)); }

command -v chromium >/dev/null 2>&1 || { echo "report-browser: chromium is missing (sh labs/ensure-deps.sh chromium)"; exit 2; }
[ -f "$report/index.html" ] || { echo "report-browser: no $report/index.html: run make report first"; exit 2; }
if [ ! -f "$build/handouts/index.html" ]; then
    sh handouts/render/render.sh "$build" > /dev/null || { echo "report-browser: cannot render the handouts"; exit 2; }
fi
rm -rf "$shots"
mkdir -p "$shots"
. tests/handouts/chromium.sh
chromium_probe "$shots"

# rows_of VERDICT TABLE: the rows the browser counted in table TABLE ("" when it is not shown).
rows_of() {
    echo "$1" | sed -n "s/.* tables \([^ ]*\).*/\1/p" | tr ',' '\n' | sed -n "s/^$2://p"
}

# judge HTML TABLE...: the page's picture(s) load, and each table is shown with rows.
judge() {
    page=$1
    shift
    v=$(page_verdict "$page")
    name=$(basename "$page")
    case $v in
        "") fail "$name: the browser gave no verdict"; return ;;
        *BAD*) fail "$name: ${v#*BAD }" ;;
    esac
    for table; do
        rows=$(rows_of "$v" "$table")
        [ -n "$rows" ] && [ "$rows" -gt 0 ] || fail "$name: table $table is ${rows:+empty}${rows:-not shown}"
    done
    echo "report-browser: $name: $v"
}

# links HTML: every handout link leads to a rendered page holding its anchor.
links() {
    base=$(cd "$(dirname "$1")" && pwd)
    for href in $(grep -o 'href="[^"]*handouts/[^"]*"' "$1" | sed 's/^href="//; s/"$//' | sort -u); do
        page=${href%%#*} anchor=${href#*#}
        [ -f "$base/$page" ] || { fail "$(basename "$1"): link $href: no page $page"; continue; }
        [ "$anchor" = "$href" ] || grep -q "id=\"$anchor\"" "$base/$page" ||
            fail "$(basename "$1"): link $href: $page has no section $anchor"
    done
}

main_tables="score-table test-table diagnosis-table failure-table code-table"

# The test of the test: no picture, and a table taken out.
mkdir -p "$shots/self"
cp "$report"/*.html "$shots/self/"
before=$failures
judge "$shots/self/index.html" $main_tables > /dev/null     # scores.png is not in the copy's folder
[ "$failures" = $((before + 1)) ] || { echo "report-browser: a page whose picture does not load was not failed"; exit 1; }
cp "$report/scores.png" "$shots/self/"
sed 's|<table id="diagnosis-table">|<table id="removed" style="display:none">|' "$report/index.html" > "$shots/self/index.html"
judge "$shots/self/index.html" $main_tables > /dev/null
[ "$failures" = $((before + 2)) ] || { echo "report-browser: a page without its table of diagnoses was not failed"; exit 1; }
failures=$before
rm -rf "$shots/self"
echo "report-browser: a picture that does not load and a missing table are both failed"

judge "$report/index.html" $main_tables
links "$report/index.html"
n=1
for page in "$report"/student-lab*.html; do
    if grep -q 'id="mistake-table"' "$page"; then
        judge "$page" mistake-table
    else
        judge "$page"
    fi
    links "$page"
    n=$((n + 1))
done
for page in "$report"/*.html; do
    chrome --screenshot="$shots/$(basename "$page" .html).png" --window-size=1200,1600 \
        "file://$(cd "$report" && pwd)/$(basename "$page")" > /dev/null
    [ -s "$shots/$(basename "$page" .html).png" ] || fail "$(basename "$page"): no screenshot"
done
rm -f "$shots/probe.js"
if [ "$failures" -gt 0 ]; then
    echo "report-browser: $failures failures"
    exit 1
fi
echo "report-browser: all $n pages pass; screenshots in $shots/"
