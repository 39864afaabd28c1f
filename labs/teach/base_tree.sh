#!/bin/sh
# base_tree.sh — the base tree student code is built over (make grade, the
# Gradescope zip): this tree with every solution stripped, without
# instructor material (labs/teach/, each lab's labs/labN/teach/) but the
# probe and the make fragment that builds it, and editable.txt naming the
# src files a student may submit. Not built here.
#   sh labs/teach/base_tree.sh STRIP DIR
# Exit: 0, or 1 with one line when a file cannot be stripped.
set -eu
strip=$1
base=$2
mkdir -p "$base/src" "$base/labs/teach"
cp Makefile "$base/"
cp -R gradcheck "$base/"
find labs -type f \( -name '*.[ch]' -o -name '*.mk' \) ! -path 'labs/teach/*' ! -path 'labs/*/teach/*' |
while read -r f; do
    mkdir -p "$base/$(dirname "$f")"
    cp "$f" "$base/$f"
done
cp labs/list.sh "$base/labs/"                # the Makefile finds the labs with it
cp labs/teach/probe.c labs/teach/probe.h labs/teach/teach.mk "$base/labs/teach/"
cp src/*.h "$base/src/"
for f in src/*.c; do
    "$strip" "$f" "$f" "$base/$f" || { echo "base_tree: cannot strip $f (see make release)" >&2; exit 1; }
done
grep -l 'BEGIN SOLUTION' src/*.c | sed 's|^src/||' > "$base/editable.txt"
