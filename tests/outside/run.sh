#!/bin/sh
# run.sh — libgradcheck as an outside C (and C++) programmer meets it:
# make install into a scratch DESTDIR, then build tests/outside/wrong_gradient.c
# with `pkg-config --cflags --libs gradcheck` alone, against the shared and
# the static library, and run it: it must see FAIL at the wrong coordinate.
# Also: nothing installed is built for this machine's CPU only (no AVX2).
#   sh tests/outside/run.sh BUILD
set -eu
build=${1:-build}
dest=$(pwd)/$build/outside/dest
rm -rf "$build/outside"
mkdir -p "$build/outside"
make -s install DESTDIR="$dest" PREFIX=/usr/local BUILD="$build" > "$build/outside/install.log"
export PKG_CONFIG_PATH="$dest/usr/local/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest"
flags=$(pkg-config --cflags --libs gradcheck)
echo "outside: pkg-config --cflags --libs gradcheck: $flags"
cc -std=c99 -Wall -Wextra -Werror tests/outside/wrong_gradient.c $flags -lm -o "$build/outside/wrong_c"
LD_LIBRARY_PATH="$dest/usr/local/lib" "$build/outside/wrong_c"
cc -std=c99 tests/outside/wrong_gradient.c $(pkg-config --cflags gradcheck) \
    "$dest/usr/local/lib/libgradcheck.a" -lm -o "$build/outside/wrong_static"
"$build/outside/wrong_static" > /dev/null
if command -v g++ >/dev/null 2>&1; then
    g++ -x c++ -Wall -Werror tests/outside/wrong_gradient.c $flags -o "$build/outside/wrong_cxx"
    LD_LIBRARY_PATH="$dest/usr/local/lib" "$build/outside/wrong_cxx" > /dev/null
    echo "outside: the same program as C++ (g++) links and finds the slip"
else
    echo "outside: g++ is not here: the C++ build is not tried"
fi
for f in gradcheck.h libgradcheck.a libgradcheck.so gradcheck.pc gradcheck.1 gradcheck.3; do
    [ -n "$(find "$dest" -name "$f*")" ] || { echo "outside: FAIL: $f not installed"; exit 1; }
done
if objdump -d "$dest/usr/local/lib/libgradcheck.a" | grep -q '%ymm'; then
    echo "outside: FAIL: the installed library uses AVX registers"
    exit 1
fi
echo "outside: installed alone (static, shared, header, gradcheck.pc, man 1 and 3), no AVX"
