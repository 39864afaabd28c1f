#!/bin/sh
# run.sh — libgradcheck as an outside C (and C++) programmer meets it:
# make install into a scratch DESTDIR, then build each program of
# tests/outside/ with `pkg-config --cflags --libs gradcheck` alone, against
# the shared and the static library and as C++, and run it: each checks its
# function right and with a slip and exits 0 only when the library said what
# it should (a gradient, a non-square map, a jvp/vjp pair, a Hessian-vector
# product, a float loss). Then two installs under real prefixes: each
# gradcheck.pc names its own prefix, and a program built from it finds the
# shared library with no LD_LIBRARY_PATH. Also: nothing installed is built
# for this machine's CPU only (no AVX2), and the soname is the one the
# version promises.
#   sh tests/outside/run.sh BUILD
set -eu
build=${1:-build}
out=$(pwd)/$build/outside
dest=$out/dest
programs="wrong_gradient nonsquare_map jvp_vjp hvp float_loss"
rm -rf "$out"
mkdir -p "$out"
make -s install DESTDIR="$dest" PREFIX=/usr/local BUILD="$build" > "$out/install.log"
flags=$(PKG_CONFIG_PATH="$dest/usr/local/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest" \
        pkg-config --cflags --libs gradcheck)
cflags=$(PKG_CONFIG_PATH="$dest/usr/local/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest" \
         pkg-config --cflags gradcheck)
echo "outside: pkg-config --cflags --libs gradcheck: $flags"
cxx=$(command -v g++ || true)
for p in $programs; do
    src=tests/outside/$p.c
    cc -std=c99 -Wall -Wextra -Werror "$src" $flags -lm -o "$out/${p}_c"
    LD_LIBRARY_PATH="$dest/usr/local/lib" "$out/${p}_c" > "$out/$p.txt" ||
        { cat "$out/$p.txt"; echo "outside: FAIL: $p (shared)"; exit 1; }
    tail -n 1 "$out/$p.txt"
    cc -std=c99 "$src" $cflags "$dest/usr/local/lib/libgradcheck.a" -lm -o "$out/${p}_static"
    "$out/${p}_static" > /dev/null || { echo "outside: FAIL: $p (static)"; exit 1; }
    if [ -n "$cxx" ]; then
        g++ -x c++ -Wall -Werror "$src" $flags -o "$out/${p}_cxx"
        LD_LIBRARY_PATH="$dest/usr/local/lib" "$out/${p}_cxx" > /dev/null ||
            { echo "outside: FAIL: $p (C++)"; exit 1; }
    fi
done
if [ -n "$cxx" ]; then
    echo "outside: the same programs as C++ (g++) link and see the same"
else
    echo "outside: g++ is not here: the C++ builds are not tried"
fi
for f in gradcheck.h libgradcheck.a libgradcheck.so gradcheck.pc gradcheck.1 gradcheck.3; do
    [ -n "$(find "$dest" -name "$f*")" ] || { echo "outside: FAIL: $f not installed"; exit 1; }
done
if objdump -d "$dest/usr/local/lib/libgradcheck.a" | grep -q '%ymm'; then
    echo "outside: FAIL: the installed library uses AVX registers"
    exit 1
fi
version=$(sed -n 's/^#define GC_VERSION "\(.*\)"/\1/p' gradcheck/gradcheck.h)
major=${version%%.*} minor=${version#*.}
minor=${minor%%.*}
[ "$major" = 0 ] && soname=libgradcheck.so.0.$minor || soname=libgradcheck.so.$major
objdump -p "$dest/usr/local/lib/libgradcheck.so.$version" | grep -q "SONAME *$soname\$" ||
    { echo "outside: FAIL: the soname is not $soname"; exit 1; }
[ -L "$dest/usr/local/lib/$soname" ] || { echo "outside: FAIL: no $soname link"; exit 1; }
echo "outside: installed alone (static, shared as $soname, header, gradcheck.pc, man 1 and 3), no AVX"

# Two installs under real prefixes, one after the other: each .pc is its own.
for tag in a b; do
    prefix=$out/prefix_$tag
    make -s install PREFIX="$prefix" BUILD="$build" >> "$out/install.log"
    pc_prefix=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --variable=prefix gradcheck)
    [ "$pc_prefix" = "$prefix" ] ||
        { echo "outside: FAIL: install under $prefix wrote a gradcheck.pc for $pc_prefix"; exit 1; }
done
pc_a=$(PKG_CONFIG_PATH="$out/prefix_a/lib/pkgconfig" pkg-config --variable=prefix gradcheck)
[ "$pc_a" = "$out/prefix_a" ] || { echo "outside: FAIL: the second install changed the first"; exit 1; }
cc -std=c99 tests/outside/wrong_gradient.c \
    $(PKG_CONFIG_PATH="$out/prefix_b/lib/pkgconfig" pkg-config --cflags --libs gradcheck) -lm \
    -o "$out/wrong_rpath"
env -u LD_LIBRARY_PATH "$out/wrong_rpath" > /dev/null ||
    { echo "outside: FAIL: a program built with pkg-config does not find the shared library"; exit 1; }
ldd "$out/wrong_rpath" | grep -q "$out/prefix_b/lib/$soname" ||
    { echo "outside: FAIL: the program did not load the library of its own prefix"; exit 1; }
echo "outside: installs under two prefixes each write their own gradcheck.pc; a program built" \
     "from one runs without LD_LIBRARY_PATH (its rpath)"
