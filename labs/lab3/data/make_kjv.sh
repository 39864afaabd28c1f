#!/bin/sh
# make_kjv.sh — rebuilds kjv.txt, lab 3's corpus, from Debian's bible-kjv package.
# The King James Version is in the public domain. Output: one verse per line,
# the verse reference removed, lower case, apostrophes dropped (lord's -> lords),
# every other character that is not a letter turned into a space.
#   sh labs/lab3/data/make_kjv.sh > labs/lab3/data/kjv.txt
set -eu
command -v bible >/dev/null 2>&1 || {
    echo "make_kjv.sh: needs the 'bible' program: apt-get install bible-kjv" >&2
    exit 2
}
bible -f gen1:1-rev22:21 |
    sed -e 's/^[^ ]* //' |
    tr 'A-Z' 'a-z' |
    tr -d "'" |
    tr -c 'a-z\n' ' ' |
    tr -s ' ' |
    sed -e 's/^ //' -e 's/ $//'
