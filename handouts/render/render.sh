#!/bin/sh
# render.sh — make handouts: every handouts/NN-*.md to BUILD/handouts/NN-*.html
# with pandoc, math as MathML (drawn by the browser, no script, in the math
# font DejaVu Math TeX Gyre, copied beside the pages when installed), the pictures
# the student's own make labN drew (images.lua), and BUILD/handouts/index.html
# listing the handouts lab by lab: those each labs/labN/README.md names, in
# number order.
#   sh handouts/render/render.sh BUILD
# The pages are written into a scratch folder and moved into place at the
# end, so a failed run leaves the previous pages (or none), never half of them.
# Exit: 0, 1 pandoc failed on a handout (named), 2 bad usage or no pandoc.
set -u
build=${1:-}
[ -n "$build" ] || { echo "usage: sh handouts/render/render.sh BUILD" >&2; exit 2; }
command -v pandoc >/dev/null 2>&1 ||
    { echo "render: pandoc is missing (make handouts installs it: sh labs/ensure-deps.sh pandoc)" >&2; exit 2; }
here=handouts/render
out=$build/handouts
scratch=$build/handouts.tmp.$$
rm -rf "$scratch"
mkdir -p "$scratch" || exit 2
trap 'rm -rf "$scratch"' EXIT INT TERM

# title FILE: the handout's first "# " line without the "# ".
title() { sed -n '1s/^# //p' "$1"; }

# page MD HTML TITLE: one page, with a link back to the index above it.
page() {
    pandoc --standalone --mathml --from markdown --to html5 \
        --css style.css --metadata pagetitle="$3" \
        --metadata build_dir="$build/" --metadata build_from_page="../" \
        --lua-filter "$here/images.lua" --include-before-body "$scratch/nav.html" \
        --output "$2" "$1"
}

printf '<nav class="pages"><a href="index.html">gradlab handouts</a></nav>\n' > "$scratch/nav.html"
cp "$here/style.css" "$scratch/style.css"
# The math font beside the pages (style.css names it), so that they draw
# their sums and products the same in a browser on a machine without it.
font=$(fc-match -f '%{file}' 'DejaVu Math TeX Gyre' 2>/dev/null)
case $font in
    *DejaVuMathTeXGyre.ttf) ;;
    *) font=/usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf ;;
esac
[ -f "$font" ] && cp "$font" "$scratch/DejaVuMathTeXGyre.ttf"
count=0
for md in handouts/[0-9][0-9]-*.md; do
    name=$(basename "$md" .md)
    page "$md" "$scratch/$name.html" "$(title "$md")" 2> "$scratch/pandoc.err" ||
        { echo "render: pandoc failed on $md: $(head -n 1 "$scratch/pandoc.err")" >&2; exit 1; }
    count=$((count + 1))
done

# The index: a section per lab, the handouts its README names, by number.
{
    echo "# gradlab handouts"
    echo
    echo "Each lab's handouts, rendered by \`make handouts\`; a picture shows once \`make labN\` has drawn it."
    for n in $(sh labs/list.sh README.md); do
        readme=labs/lab$n/README.md
        echo
        echo "## $(title "$readme")"
        echo
        grep -o 'handouts/[0-9][0-9]-[a-z0-9-]*\.md' "$readme" | sort -u |
            while read -r md; do
                [ -f "$md" ] && echo "- [$(title "$md")]($(basename "$md" .md).html)"
            done
    done
} > "$scratch/index.md"
printf '\n' > "$scratch/nav.html"
page "$scratch/index.md" "$scratch/index.html" "gradlab handouts" 2> "$scratch/pandoc.err" ||
    { echo "render: pandoc failed on the index: $(head -n 1 "$scratch/pandoc.err")" >&2; exit 1; }
rm -f "$scratch/index.md" "$scratch/nav.html" "$scratch/pandoc.err"

rm -rf "$out"
mv "$scratch" "$out" || exit 2
trap - EXIT INT TERM
echo "render: $count handouts and the index in $out/ (open $out/index.html)"
