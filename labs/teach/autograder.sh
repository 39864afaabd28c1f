#!/bin/sh
# autograder.sh — make autograder: the Gradescope autograder zip, from the
# same grader as make grade.
#   sh labs/teach/autograder.sh BUILD "LABS"
# Writes BUILD/autograder/autograder.zip. It holds no reference source: the
# reference is only inside the grader, BUILD/grade-static (linked
# statically, as Gradescope's image is another distribution); the rest is
# the stripped base tree (what students get, plus the probe), the grading
# tables, grade.sh, setup.sh and run_autograder. On Gradescope, setup.sh
# installs gcc, make and bubblewrap and builds the base tree once;
# run_autograder makes /autograder/source and /autograder/results root-only,
# grades /autograder/submission with grade.sh --one (student code as an
# unprivileged uid it leases, in bubblewrap when the container allows it,
# in a control group per run where it has cgroups) and always writes
# /autograder/results/results.json. The zip is then tried here: unpacked
# into a scratch /autograder, it must hold no solution (leakcheck), give the
# reference solution full marks and an empty submission no points.
set -eu
build=${1:-build}
# The labs: those given, or every lab with a grading table.
labs=$(echo ${2:-$(sh labs/list.sh teach/table.txt)})
out="$build/autograder"
tree="$out/tree"
say() { printf 'autograder: %s\n' "$*"; }
die() { printf 'autograder: %s\n' "$*" >&2; exit 1; }

sh labs/ensure-deps.sh zip || exit 2
for n in $labs; do
    [ -f "labs/lab$n/teach/table.txt" ] || die "no grading table labs/lab$n/teach/table.txt (LABS=\"$labs\")"
done

rm -rf "$out"
mkdir -p "$tree/build" "$tree/labs/teach"

# The base tree, as grade.sh makes it, unbuilt.
sh labs/teach/base_tree.sh "$build/strip" "$tree/base" || exit 1

cp "$build/grade-static" "$tree/build/grade"
cp labs/teach/grade.sh "$tree/labs/teach/"
cp labs/ensure-deps.sh "$tree/labs/"
for n in $labs; do
    mkdir -p "$tree/labs/lab$n/teach"
    cp "labs/lab$n/teach/table.txt" "$tree/labs/lab$n/teach/"
done

cat > "$tree/setup.sh" <<'EOF'
#!/bin/sh
# Gradescope runs this once, as root, in /autograder/source: the compiler
# and bubblewrap, then the stripped base tree (no solution in it) is built.
set -e
cd "$(dirname "$0")"
if ! command -v gcc >/dev/null 2>&1 || ! command -v make >/dev/null 2>&1 || [ ! -x /usr/bin/bwrap ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc make bubblewrap >/dev/null
fi
make -s -C base BUILD=build build/grade-probe
EOF

cat > "$tree/run_autograder" <<EOF
#!/bin/sh
# Gradescope runs this for each submission, as root: grades
# /autograder/submission (labs: $labs) into /autograder/results/results.json.
# Student code runs as an unprivileged uid (61000 on), which can neither
# read nor write the grader's source folder or the results.
root=\$(cd "\${AUTOGRADER_ROOT:-/autograder}" && pwd) || exit 1
cd "\$root/source" || exit 1
mkdir -p "\$root/results"
chmod 700 "\$root/source" "\$root/results"
out="\$root/results/results.json"
[ -x base/build/grade-probe ] || make -s -C base BUILD=build build/grade-probe > "\$root/results/base-build.log" 2>&1 || {
    printf '{"score": 0, "output": "The grader could not be built; please tell the instructor.", "tests": []}\n' > "\$out"
    exit 0
}
sh labs/teach/grade.sh --build build --base-tree base --labs "$labs" --one "\$root/submission" "\$out"
[ -s "\$out" ] || printf '{"score": 0, "output": "The grader failed; please tell the instructor.", "tests": []}\n' > "\$out"
EOF
chmod +x "$tree/setup.sh" "$tree/run_autograder"
(cd "$tree" && zip -qr ../autograder.zip .)
say "wrote $out/autograder.zip ($(wc -c < "$out/autograder.zip") bytes; labs $labs)"

# Try it: a scratch /autograder; no solution in any text file; the
# reference solution, then an empty submission.
try="$out/try"
mkdir -p "$try/source" "$try/submission"
(cd "$try/source" && unzip -q ../../autograder.zip)
find "$try/source" -type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.txt' -o -name Makefile \) \
    > "$out/shipped.txt"
if ! xargs "$build/leakcheck" --allow labs/teach/leak-allow.txt src/*.c -- < "$out/shipped.txt" \
        > "$out/leaks.txt" 2> "$out/leakcheck.log"; then
    cat "$out/leaks.txt" "$out/leakcheck.log" >&2
    die "the zip holds solution code (above)"
fi
! grep -rlF '/* BEGIN SOLUTION */' "$try/source" >/dev/null || die "the zip holds a solution block"
(cd "$try/source" && sh setup.sh) > "$out/try.log" 2>&1 || die "setup.sh failed (see $out/try.log)"
cp src/*.c "$try/submission/"
points=$(awk '$1 == "gradient" || $1 == "reference" { s += $3 } END { print s }' \
    $(for n in $labs; do echo "labs/lab$n/teach/table.txt"; done))
score_of() { sed -n 's/^  "score": \([0-9.]*\),$/\1/p' "$try/results/results.json"; }
AUTOGRADER_ROOT="$try" sh "$try/source/run_autograder" >> "$out/try.log" 2>&1 ||
    die "run_autograder failed (see $out/try.log)"
[ "$(score_of)" = "$points" ] ||
    die "the reference solution scored $(score_of), not $points (see $try/results/results.json)"
rm -f "$try/submission"/*
AUTOGRADER_ROOT="$try" sh "$try/source/run_autograder" >> "$out/try.log" 2>&1 ||
    die "run_autograder failed on an empty submission (see $out/try.log)"
[ "$(score_of)" = 0 ] || die "an empty submission scored $(score_of), not 0"
say "verified: no solution in the zip ($(tail -n 1 "$out/leakcheck.log" | sed 's/^leakcheck: //')); unpacked as /autograder, the reference scores $points of $points, an empty submission 0"
rm -rf "$try"
