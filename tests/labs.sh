#!/bin/sh
# labs.sh — the labs are the folders labs/labN/, and every list of them that
# people read agrees with the folders (make check runs this):
#   - README.md's lab table has one row per lab, in order, `make labN` in
#     it, and as handouts exactly those the lab's labs/labN/README.md names;
#   - the students' README (labs/teach/README.student.md) has one row per
#     lab, its assignment labs/labN/README.md, and as files to write exactly
#     the src/ files the lab's README asks for;
#   - no README says "labs 1 to N" for another N than the last lab;
#   - .ci/run names no lab by hand (it loops over the folders);
#   - no file a student gets of the labs names instructor material.
#   sh tests/labs.sh [TREE]      (default: the current folder)
# Exit: 0, or 1 with a line per disagreement.
set -u
cd "${1:-.}" || exit 2
bad=0
fail() { echo "labs: $*" >&2; bad=1; }

labs=$(sh labs/list.sh)
[ -n "$labs" ] || { fail "no lab folders (labs/labN/checks.c)"; exit 1; }
last=$(echo "$labs" | tail -n 1)

# rows FILE: the lab table's rows of FILE (lines "| N | ..." under "## The labs").
rows() {
    awk '/^## The labs/ { t = 1; next } /^## / { t = 0 } t && /^\| *[0-9]+ *\|/' "$1"
}
# field ROW K: column K of a table row, trimmed (an escaped \| is not a column's end).
field() {
    printf '%s\n' "$1" | sed 's/\\|/~/g' |
        awk -F'|' -v k="$2" '{ gsub(/^ +| +$/, "", $(k + 1)); print $(k + 1) }'
}
# numbers TEXT: the two-digit handout numbers in TEXT, "00 to 03" as 00 01 02 03.
numbers() {
    printf '%s\n' "$1" | awk '{
        gsub(/,/, " ")
        for (i = 1; i <= NF; i++) {
            if ($i == "to" && i > 1 && i < NF) { for (k = $(i - 1) + 1; k < $(i + 1); k++) printf "%02d\n", k }
            else if ($i ~ /^[0-9][0-9]$/) print $i
        }
    }' | sort -u | tr '\n' ' '
}
# named N: the handouts labs/labN/README.md names.
named() { grep -o 'handouts/[0-9][0-9]-' "labs/lab$1/README.md" | sed 's|handouts/||; s|-||' | sort -u | tr '\n' ' '; }
# asked N: the src/ files labs/labN/README.md's "What to write" table names.
asked() {
    awk '/^## What to write/ { t = 1; next } /^## / { t = 0 } t' "labs/lab$1/README.md" |
        grep -o 'src/[a-z0-9_]*\.c' | sort -u | tr '\n' ' '
}

for readme in README.md labs/teach/README.student.md; do
    [ -f "$readme" ] || continue
    got=$(rows "$readme" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | tr '\n' ' ')
    want=$(echo $labs | tr '\n' ' ')
    [ "$(echo $got)" = "$(echo $want)" ] || fail "$readme: the lab table's rows are labs '$(echo $got)', the folders are labs '$(echo $want)'"
    for n in $labs; do
        row=$(rows "$readme" | awk -F'|' -v n="$n" '{ v = $2; gsub(/ /, "", v) } v == n')
        [ -n "$row" ] || continue
        if [ "$readme" = README.md ]; then
            [ "$(field "$row" 2)" = "\`make lab$n\`" ] || fail "$readme: lab $n's command is not \`make lab$n\`"
            [ "$(numbers "$(field "$row" 4)")" = "$(named "$n")" ] ||
                fail "$readme: lab $n's handouts are '$(field "$row" 4)'; labs/lab$n/README.md names $(named "$n")"
        else
            [ "$(field "$row" 3)" = "\`labs/lab$n/README.md\`" ] || fail "$readme: lab $n's assignment is not labs/lab$n/README.md"
            [ "$(numbers "$(field "$row" 4)")" = "$(named "$n")" ] ||
                fail "$readme: lab $n's handouts are '$(field "$row" 4)'; labs/lab$n/README.md names $(named "$n")"
            files=$(printf '%s\n' "$(field "$row" 2)" | grep -o 'src/[a-z0-9_]*\.c' | sort -u | tr '\n' ' ')
            [ "$files" = "$(asked "$n")" ] ||
                fail "$readme: lab $n asks for '$files'; labs/lab$n/README.md asks for $(asked "$n")"
        fi
    done
    grep -n 'labs* 1 to [0-9]' "$readme" | grep -v "1 to $last\b" | while IFS= read -r l; do
        echo "labs: $readme:$l: the labs run from 1 to $last" >&2; echo x; done | grep -q x && bad=1
done

# No file a student gets of the labs names instructor material (make release
# refuses that too, three minutes later).
refs=$(find labs -type f \( -name '*.[ch]' -o -name '*.md' -o -name '*.mk' -o -name '*.sh' \) \
       ! -path 'labs/teach/*' ! -path 'labs/*/teach/*' -exec \
       grep -nE 'make (check|release|grade|autograder)|tests/|labs/teach|gradcheck-slips' {} + | head -n 3)
[ -z "$refs" ] || fail "a shipped file names instructor material: $refs"

! grep -n 'make lab[0-9]' .ci/run >/dev/null || fail ".ci/run names a lab by hand: $(grep -n 'make lab[0-9]' .ci/run | head -n 1)"

[ "$bad" = 0 ] && echo "labs: labs $(echo $labs): README.md's and the students' lab tables and .ci/run agree with the folders"
exit $bad
