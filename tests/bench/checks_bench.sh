#!/bin/sh
# checks_bench.sh — the time of one check of each kind libgradcheck offers,
# on the right functions of tests/outside/ (a gradient, a map R^3 -> R^2, a
# jvp and a vjp, a Hessian-vector product by differences and by Taylor, a
# float loss), median of RUNS runs each; and, when python3 with torch is
# installed, torch.autograd.gradcheck / gradgradcheck on the same functions in
# float64 (tests/bench/torch_bench.py), side by side with the ratio. Without
# torch it says so in one line and still prints libgradcheck's times.
#   sh tests/bench/checks_bench.sh BUILD [RUNS] [PYTHON]
set -eu
build=${1:-build}
runs=${2:-200}
python=${3:-python3}
out=$build/bench/checks
mkdir -p "$out"
: > "$out/gradlab.txt"
for p in wrong_gradient nonsquare_map jvp_vjp hvp float_loss; do
    cc -std=c99 -O2 -Igradcheck tests/outside/$p.c "$build/libgradcheck.a" -lm -o "$out/$p"
    "$out/$p" --bench "$runs" >> "$out/gradlab.txt"
done
echo "bench: libgradcheck, one check of each kind (median of $runs runs, ms):"
awk '{ printf "bench:   %-18s %8.4f ms  (min %.4f, max %.4f)\n", $2, $3, $4, $5 }' "$out/gradlab.txt"
torch_runs=$(( runs < 50 ? runs : 50 ))
if ! command -v "$python" >/dev/null 2>&1; then
    echo "bench: torch side by side: skipped ($python is not installed)"
    exit 0
fi
if ! "$python" -c 'import torch' >/dev/null 2>&1; then
    echo "bench: torch side by side: skipped ($python has no torch: pip install torch to see it)"
    exit 0
fi
"$python" tests/bench/torch_bench.py "$torch_runs" > "$out/torch.txt"
echo "bench: torch.autograd.gradcheck/gradgradcheck on the same functions, float64 (median of" \
     "$torch_runs runs), beside libgradcheck:"
awk 'NR == FNR { t[$2] = $3; next }
     ($2 in t) { printf "bench:   %-18s gradlab %8.4f ms   torch %8.3f ms   torch/gradlab %6.0fx\n",
                        $2, $3, t[$2], t[$2] / $3 }' "$out/torch.txt" "$out/gradlab.txt"
