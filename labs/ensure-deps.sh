#!/bin/sh
# ensure-deps.sh WHAT — makes sure the Debian packages a make target needs are here.
#   check    pkg-config, Check and libsubunit, for the unit tests.  Missing and not
#            installable: prints the apt-get line and exits 2.
#   gnuplot  gnuplot, to draw the plots.  Missing and not installable: prints one
#            line and exits 1 (the labs still run and write their .dat files).
#   zip      zip and unzip, to pack the Gradescope zip.  Missing and not installable:
#            prints the apt-get line and exits 2.
#   bwrap    bubblewrap, the grader's sandbox.  Missing and not installable: prints
#            one line and exits 1 (the grader then falls back or refuses: grade.sh).
#   pandoc   pandoc, for make handouts.  Missing and not installable: prints the
#            apt-get line and exits 2.
#   chromium Debian's chromium, for the handouts' browser test.  Missing and not
#            installable: prints the apt-get line and exits 2.
#   mathfont DejaVu Math TeX Gyre (fonts-dejavu-extra), the handouts' math font.
#            Missing and not installable: prints one line and exits 1 (the pages
#            are still written; the browser draws their math with its own fonts).
#   time     GNU time, for make bench's peak memory of word2vec.c.  Missing and not
#            installable: prints one line and exits 1 (the figure is left out).
# Installs with apt-get when run as root or with passwordless sudo.
set -u

have_check() {
    command -v pkg-config >/dev/null 2>&1 && pkg-config --exists check || return 1
    case $(pkg-config --libs check) in
        *-lsubunit*) pkg-config --exists libsubunit ;;
        *) return 0 ;;
    esac
}

have_gnuplot() { command -v gnuplot >/dev/null 2>&1; }

have_zip() { command -v zip >/dev/null 2>&1 && command -v unzip >/dev/null 2>&1; }

have_bwrap() { [ -x /usr/bin/bwrap ]; }

have_pandoc() { command -v pandoc >/dev/null 2>&1; }

have_chromium() { command -v chromium >/dev/null 2>&1; }

have_mathfont() {
    if command -v fc-list >/dev/null 2>&1; then
        fc-list | grep -q 'DejaVu Math TeX Gyre'
    else
        [ -f /usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf ]
    fi
}

have_time() { [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; }

case ${1:-} in
    check)   have=have_check;   pkgs="pkg-config check libsubunit-dev"; why="Check (the unit-test library)"; fail=2 ;;
    gnuplot) have=have_gnuplot; pkgs="gnuplot-nox"; why="gnuplot (draws the plots)"; fail=1 ;;
    zip)     have=have_zip;     pkgs="zip unzip"; why="zip and unzip (the Gradescope zip)"; fail=2 ;;
    bwrap)   have=have_bwrap;   pkgs="bubblewrap"; why="bubblewrap (the grader's sandbox)"; fail=1 ;;
    pandoc)  have=have_pandoc;  pkgs="pandoc"; why="pandoc (renders the handouts)"; fail=2 ;;
    chromium) have=have_chromium; pkgs="chromium"; why="chromium (the handouts' browser test)"; fail=2 ;;
    mathfont) have=have_mathfont; pkgs="fonts-dejavu-extra"; why="DejaVu Math TeX Gyre (the handouts' math font)"; fail=1 ;;
    time)    have=have_time;    pkgs="time"; why="GNU time (make bench's memory figures)"; fail=1 ;;
    *) echo "usage: sh labs/ensure-deps.sh check|gnuplot|zip|bwrap|pandoc|chromium|mathfont|time" >&2; exit 2 ;;
esac

$have && exit 0

if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
else
    sudo=none
fi

if [ "$sudo" != none ] && command -v apt-get >/dev/null 2>&1; then
    echo "gradlab: installing $pkgs for $why ..."
    $sudo apt-get update -qq >/dev/null 2>&1
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null 2>&1
    $have && exit 0
fi

if [ "$1" = bwrap ]; then
    echo "gradlab: $why is missing: student code gets the weaker isolation; to have it: sudo apt-get install -y $pkgs" >&2
elif [ "$1" = mathfont ]; then
    echo "gradlab: $why is missing: the handouts' sums and products are drawn at text size; to have it: sudo apt-get install -y $pkgs"
elif [ "$1" = time ]; then
    echo "gradlab: $why is missing: make bench leaves out word2vec.c's peak memory; to have it: sudo apt-get install -y $pkgs"
elif [ "$fail" = 1 ]; then
    echo "gradlab: $why is missing: no pictures, the .dat files are still written; to draw them: sudo apt-get install -y $pkgs"
else
    echo "gradlab: $why is missing; install it with: sudo apt-get install -y $pkgs" >&2
fi
exit $fail
