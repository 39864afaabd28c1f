#!/bin/sh
# browser.sh — the rendered handouts in a real browser: every page of
# BUILD/handouts opened in headless Chromium (Debian's chromium), which fails
# the test when an image on it does not load, when a handout page has no
# MathML laid out as MathML (the index has no math and is only checked for
# images), when a sum or a product of display math is drawn no taller than
# the text or its limits overlap it (no math font), when a line of a code
# block wraps, or, with --require-pictures, when a picture was not drawn yet.
# A screenshot of every page is kept in BUILD/handouts-screenshots/.
# First it checks the renderer's error paths, and itself: a page with a
# broken image, a page without math, and a page with a sum and a wide code
# block styled as pandoc alone styles them, written for the purpose, must be
# failed, and the same sum and block with the handouts' style sheet passed.
#   sh tests/handouts/browser.sh BUILD [--require-pictures]
set -u
build=${1:-build}
require_pictures=${2:-}
pages=$build/handouts
shots=$build/handouts-screenshots
failures=0
fail() { printf 'handouts-test: FAIL: %s\n' "$*"; failures=$((failures + 1)); }

command -v chromium >/dev/null 2>&1 || { echo "handouts-test: chromium is missing (sh labs/ensure-deps.sh chromium)"; exit 2; }
[ -f "$pages/index.html" ] || { echo "handouts-test: no $pages/index.html: run make handouts first"; exit 2; }
rm -rf "$shots"
mkdir -p "$shots"

. tests/handouts/chromium.sh
chromium_probe "$shots"

# field VERDICT NAME: the number after NAME in the verdict.
field() { echo "$1" | awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'; }

# judge HTML NEEDS_MATH: fails the page for what its verdict shows.
judge() {
    v=$(page_verdict "$1")
    name=$(basename "$1")
    case $v in
        "") fail "$name: the browser gave no verdict"; return ;;
        *BAD*) fail "$name: ${v#*BAD }" ;;
    esac
    maths=$(echo "$v" | awk '{ print $2 }') drawn=$(echo "$v" | awk '{ print $4 }')
    missing=$(echo "$v" | awk '{ print $6 }')
    big=$(field "$v" bigops) short=$(field "$v" short) overlapping=$(field "$v" overlapping)
    wrapped=$(field "$v" wrapped) blocks=$(field "$v" code-blocks)
    if [ "$2" = math ] && { [ "$maths" = 0 ] || [ "$drawn" != "$maths" ]; }; then
        fail "$name: $drawn of $maths math elements laid out as MathML"
    fi
    [ "${short:-0}" = 0 ] || fail "$name: $short of $big sums and products drawn no taller than the text (no math font?)"
    [ "${overlapping:-0}" = 0 ] || fail "$name: $overlapping limits of sums and products overlap their operator"
    [ "${wrapped:-0}" = 0 ] || fail "$name: $wrapped of $blocks code blocks have a wrapped line (their columns broken)"
    [ -n "$short" ] && [ -n "$wrapped" ] || fail "$name: the browser's verdict has no figures for sums and code blocks: $v"
    if [ -n "$require_pictures" ] && [ "$missing" != 0 ]; then
        fail "$name: $missing pictures not drawn yet"
    fi
    echo "handouts-test: $name: $v"
}

# The renderer's error paths: no build folder named, and one that cannot be
# made (under a regular file): exit 2, one line, and no pages anywhere.
sh handouts/render/render.sh > /dev/null 2> "$shots/render.err"
rc=$?
[ "$rc" = 2 ] && grep -q '^usage: ' "$shots/render.err" || fail "render.sh with no BUILD exited $rc"
: > "$shots/a-file"
sh handouts/render/render.sh "$shots/a-file/build" > /dev/null 2> "$shots/render.err"
rc=$?
[ "$rc" = 2 ] && [ "$(wc -l < "$shots/render.err")" = 1 ] && [ ! -e "$shots/a-file/build" ] ||
    fail "render.sh into a folder under a file exited $rc: $(head -n 2 "$shots/render.err")"
rm -f "$shots/a-file" "$shots/render.err"
[ "$failures" = 0 ] && echo "handouts-test: the renderer refuses a missing or impossible build folder"

# The test of the test: both of these pages must fail.
mkdir -p "$shots/self"
printf '<html><body><p><math><mi>x</mi></math></p><img src="no-such.png"></body></html>\n' > "$shots/self/broken-image.html"
printf '<html><body><p>x = 1, and no math element.</p></body></html>\n' > "$shots/self/no-math.html"
before=$failures
judge "$shots/self/broken-image.html" math > /dev/null
[ "$failures" = $((before + 1)) ] || { echo "handouts-test: a page with a broken image was not failed"; exit 1; }
judge "$shots/self/no-math.html" math > /dev/null
[ "$failures" = $((before + 2)) ] || { echo "handouts-test: a page without MathML was not failed"; exit 1; }
# A sum with limits and a code block wider than the page, styled as pandoc
# alone styles them (code wraps, no math font): failed twice (the sum drawn
# at text size, the block wrapped); with the handouts' style sheet: passed.
sum='<math display="block"><munderover><mo>&#x2211;</mo><mrow><mi>k</mi><mo>=</mo><mn>1</mn></mrow><mi>K</mi></munderover><msub><mi>x</mi><mi>k</mi></msub></math>'
wide='<pre><code>dJ/dW1       50/50 coords   max err 1.84e+00 at dJ/dW1[8][1]: analytic -0.1122196333, numeric 0.09375770589 (extrapolated; first h 6.1e-06)</code></pre>'
printf '<html><head><style>code{white-space: pre-wrap;} body{max-width: 30em}</style></head><body><p>%s</p>%s</body></html>\n' \
    "$sum" "$wide" > "$shots/self/pandoc-style.html"
judge "$shots/self/pandoc-style.html" math > /dev/null
[ "$failures" = $((before + 4)) ] ||
    { echo "handouts-test: a text-size sum and a wrapped code block were not both failed ($((failures - before - 2)) failures)"; exit 1; }
cp "$pages/style.css" "$pages"/*.ttf "$shots/self/" 2>/dev/null
printf '<html><head><style>code{white-space: pre-wrap;}</style><link rel="stylesheet" href="style.css"></head><body><p>%s</p>%s</body></html>\n' \
    "$sum" "$wide" > "$shots/self/handout-style.html"
judge "$shots/self/handout-style.html" math > /dev/null
[ "$failures" = $((before + 4)) ] ||
    { echo "handouts-test: the same sum and code block with the handouts' style sheet were failed"; exit 1; }
failures=$before
rm -rf "$shots/self"
echo "handouts-test: a broken image, a page without MathML, a sum at text size and a wrapped code block are failed"
echo "handouts-test: the same sum and code block pass with the handouts' style sheet"

n=0
for html in "$pages"/*.html; do
    case $(basename "$html") in
        index.html) judge "$html" none ;;
        *) judge "$html" math ;;
    esac
    chrome --screenshot="$shots/$(basename "$html" .html).png" --window-size=1100,1500 \
        "file://$(cd "$pages" && pwd)/$(basename "$html")" > /dev/null
    [ -s "$shots/$(basename "$html" .html).png" ] || fail "$(basename "$html"): no screenshot"
    n=$((n + 1))
done
rm -f "$shots/probe.js"
if [ "$failures" -gt 0 ]; then
    echo "handouts-test: $failures failures"
    exit 1
fi
echo "handouts-test: all $n pages pass; screenshots in $shots/"
