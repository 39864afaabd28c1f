#!/bin/sh
# autograder.sh — make autograder: the Gradescope autograder zip, from the
# same grader as make grade.
#   sh labs/teach/autograder.sh BUILD "LABS"
# Writes BUILD/autograder/autograder.zip holding setup.sh and run_autograder
# at its root next to this tree's sources (no tests, no corpus). On
# Gradescope, setup.sh installs gcc and make and builds the grader once;
# run_autograder grades /autograder/submission with labs/teach/grade.sh --one
# and writes /autograder/results/results.json (always, even when the
# submission breaks everything). The zip is then tried here: unpacked into a
# scratch /autograder, it must give the reference solution full marks and a
# submission with nothing in it no points.
set -eu
build=${1:-build}
labs=${2:-1 2 3 4 5}
out="$build/autograder"
tree="$out/tree"
say() { printf 'autograder: %s\n' "$*"; }
die() { printf 'autograder: %s\n' "$*" >&2; exit 1; }

sh labs/ensure-deps.sh zip || exit 2
for n in $labs; do
    [ -f "labs/teach/tables/lab$n.txt" ] || die "no grading table labs/teach/tables/lab$n.txt (LABS=\"$labs\")"
done

rm -rf "$out"
mkdir -p "$tree"
cp Makefile "$tree/"
cp -R src gradcheck "$tree/"
find labs -type f ! -path '*/data/*' | while read -r f; do
    mkdir -p "$tree/$(dirname "$f")"
    cp "$f" "$tree/$f"
done

cat > "$tree/setup.sh" <<'EOF'
#!/bin/sh
# Gradescope runs this once, as root, in /autograder/source: the compiler,
# then the grader and the stripper.
set -e
if ! command -v gcc >/dev/null 2>&1 || ! command -v make >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc make >/dev/null
fi
cd "$(dirname "$0")"
make -s build/grade build/strip
EOF

cat > "$tree/run_autograder" <<EOF
#!/bin/sh
# Gradescope runs this for each submission: grades /autograder/submission
# (labs: $labs) into /autograder/results/results.json.
root=\$(cd "\${AUTOGRADER_ROOT:-/autograder}" && pwd) || exit 1
cd "\$root/source" || exit 1
mkdir -p "\$root/results"
out="\$root/results/results.json"
if ! make -s build/grade build/strip > "\$root/results/grader-build.log" 2>&1; then
    printf '{"score": 0, "output": "The grader could not be built; please tell the instructor.", "tests": []}\n' > "\$out"
    exit 0
fi
sh labs/teach/grade.sh --build build --labs "$labs" --one "\$root/submission" "\$out"
[ -s "\$out" ] || printf '{"score": 0, "output": "The grader failed; please tell the instructor.", "tests": []}\n' > "\$out"
EOF
chmod +x "$tree/setup.sh" "$tree/run_autograder"
(cd "$tree" && zip -qr ../autograder.zip .)
say "wrote $out/autograder.zip ($(wc -c < "$out/autograder.zip") bytes; labs $labs)"

# Try it: a scratch /autograder, the reference solution, then an empty submission.
try="$out/try"
mkdir -p "$try/source" "$try/submission"
(cd "$try/source" && unzip -q ../../autograder.zip)
cp src/*.c "$try/submission/"
points=$(awk '$1 == "gradient" || $1 == "reference" { s += $3 } END { print s }' \
    $(for n in $labs; do echo "labs/teach/tables/lab$n.txt"; done))
score_of() { sed -n 's/^  "score": \([0-9.]*\),$/\1/p' "$try/results/results.json"; }
AUTOGRADER_ROOT="$try" sh "$try/source/run_autograder" > "$out/try.log" 2>&1 ||
    die "run_autograder failed (see $out/try.log)"
[ "$(score_of)" = "$points" ] ||
    die "the reference solution scored $(score_of), not $points (see $try/results/results.json)"
rm -f "$try/submission"/*
AUTOGRADER_ROOT="$try" sh "$try/source/run_autograder" >> "$out/try.log" 2>&1 ||
    die "run_autograder failed on an empty submission (see $out/try.log)"
[ "$(score_of)" = 0 ] || die "an empty submission scored $(score_of), not 0"
say "verified: unpacked as /autograder, the reference scores $points of $points, an empty submission 0"
rm -rf "$try"
