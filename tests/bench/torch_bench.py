"""torch_bench.py -- the functions of tests/outside/ written with torch in
float64, at the same points, checked by torch.autograd.gradcheck (the
Jacobian by reverse mode, and by forward mode for the JVP) and gradgradcheck
(second order), each timed over RUNS runs. Prints one line per check:
    torch NAME MEDIAN_MS MIN_MS MAX_MS RUNS
for tests/bench/checks_bench.sh, which sets them beside libgradcheck's.
    python3 tests/bench/torch_bench.py RUNS
"""
import math
import sys
import time

import torch
from torch.autograd import gradcheck, gradgradcheck

D64 = torch.float64


def leaf(values):
    return torch.tensor(values, dtype=D64, requires_grad=True)


def gradient_case():
    """wrong_gradient.c, right: f(a, b) = sum a^2 b + sin b at x_i = 0.3 (i + 1) - 1."""
    x = [0.3 * (i + 1) - 1.0 for i in range(8)]
    a, b = leaf(x[:4]), leaf(x[4:])
    return lambda: gradcheck(lambda a, b: (a * a * b + torch.sin(b)).sum(), (a, b))


def jacobian_case():
    """nonsquare_map.c: R^3 -> R^2, y0 = x0 x1 + sin x2, y1 = exp x0 - x1 x2."""
    x = leaf([0.4, -1.3, 0.9])

    def f(x):
        return torch.stack((x[0] * x[1] + torch.sin(x[2]), torch.exp(x[0]) - x[1] * x[2]))
    return lambda: gradcheck(f, (x,))


def tanh_layer():
    """jvp_vjp.c: y = tanh(A x), A_ij = 0.5 sin(1 + 3 i + j), 3 x 4."""
    A = torch.tensor([[0.5 * math.sin(1.0 + 3 * i + j) for j in range(4)] for i in range(3)],
                     dtype=D64)
    x = leaf([0.3, -0.8, 1.1, 0.25])
    return (lambda x: torch.tanh(A @ x)), x


def jvp_case():
    f, x = tanh_layer()
    return lambda: gradcheck(f, (x,), check_forward_ad=True, check_backward_ad=False)


def vjp_case():
    f, x = tanh_layer()
    return lambda: gradcheck(f, (x,))


def hvp_case():
    """hvp.c: logistic regression, d = 5, 7 points, lambda 0.7: its second order."""
    a = torch.tensor([[math.sin(1.7 * k + 0.9 * j + 0.3) for j in range(5)] for k in range(7)],
                     dtype=D64)
    y = torch.tensor([1.0 if k % 3 else -1.0 for k in range(7)], dtype=D64)
    w = leaf([0.4 * math.cos(2.0 * j) for j in range(5)])

    def f(w):
        return torch.nn.functional.softplus(-y * (a @ w)).sum() + 0.35 * (w * w).sum()
    return lambda: gradgradcheck(f, (w,))


CASES = [("gradient", gradient_case), ("jacobian_3to2", jacobian_case),
         ("jvp_tanh", jvp_case), ("vjp_tanh", vjp_case), ("hvp_central", hvp_case)]


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    torch.set_num_threads(1)
    for name, make in CASES:
        check = make()
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            assert check()
            times.append(1e3 * (time.perf_counter() - t0))
        times.sort()
        print("torch %s %.4f %.4f %.4f %d" % (name, times[len(times) // 2], times[0], times[-1],
                                              runs))


if __name__ == "__main__":
    main()
