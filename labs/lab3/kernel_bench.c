/* kernel_bench.c — this machine's single-core ceiling for what every
 * word2vec loss is made of: the two loops of src/vec.h in double at d = 100,
 * dot (2d FLOPs) and axpy (2d FLOPs), over 64 rows that stay in the L1/L2
 * cache as the trainers' hot rows do; and lab 1's sigmoid and log_sigmoid,
 * which every score row calls once each. make bench prints it beside the
 * trainers' GFLOP/s (train_word2vec's cost line), and the least time a
 * score row can take, all of it at these rates.
 *   kernel_bench [--dim D] [--seconds S]
 * Prints the medians of 5 timings of S / 5 seconds each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "gradcheck.h"
#include "sigmoid.h"
#include "vec.h"

enum { ROWS = 64, TIMINGS = 5 };

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of the TIMINGS timings in t (t is sorted). */
static double median(double *t)
{
    qsort(t, TIMINGS, sizeof t[0], by_value);
    return t[TIMINGS / 2];
}

/* GFLOP/s of `calls` dots (kind 0) or axpys (kind 1) over the rows, median of TIMINGS. */
static double rate(int kind, double *M, size_t d, double seconds)
{
    double t[TIMINGS], sink = 0.0;
    size_t calls = 1u << 16;
    for (int k = 0; k < TIMINGS; k++) {
        double t0 = gc_clock(), n = 0;
        while (gc_clock() - t0 < seconds / TIMINGS) {
            for (size_t c = 0; c < calls; c++) {
                double *a = M + (c % ROWS) * d, *b = M + ((c * 7 + 3) % ROWS) * d;
                if (kind == 0)
                    sink += dot(a, b, d);
                else
                    axpy(1e-9, a, b, d);
            }
            n += (double)calls;
        }
        t[k] = 2.0 * (double)d * n / (gc_clock() - t0) / 1e9;
    }
    if (sink == 42.0)
        puts("");                             /* keeps the dots from being optimised away */
    return median(t);
}

/* Nanoseconds per call of f (kind 0: sigmoid, 1: log_sigmoid) on scores
 * spread over [-8, 8), median of TIMINGS. */
static double ns_per_call(int kind, double seconds)
{
    double t[TIMINGS], sink = 0.0, s[256];
    for (int i = 0; i < 256; i++)
        s[i] = -8.0 + 16.0 * (double)((i * 97) % 256) / 256.0;
    for (int k = 0; k < TIMINGS; k++) {
        double t0 = gc_clock(), n = 0;
        while (gc_clock() - t0 < seconds / TIMINGS) {
            for (int c = 0; c < 1 << 16; c++)
                sink += kind == 0 ? sigmoid(s[c & 255]) : log_sigmoid(s[c & 255]);
            n += 1 << 16;
        }
        t[k] = (gc_clock() - t0) / n * 1e9;
    }
    if (sink == 42.0)
        puts("");
    return median(t);
}

int main(int argc, char **argv)
{
    size_t d = 100;
    double seconds = 2.0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dim") == 0 && i + 1 < argc)
            d = arg_size("kernel_bench", argv[i], argv[i + 1], 1, 4096), i++;
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = arg_real("kernel_bench", argv[i], argv[i + 1], 0.05, 600), i++;
        else
            arg_fail("kernel_bench", "usage: kernel_bench [--dim D] [--seconds S]");
    }
    double *M = malloc(ROWS * d * sizeof *M);
    if (!M)
        return out_of_memory("kernel_bench");
    for (size_t i = 0; i < ROWS * d; i++)
        M[i] = 1.0 / (double)(i + 1);
    double r_dot = rate(0, M, d, seconds), r_axpy = rate(1, M, d, seconds);
    double ns_sig = ns_per_call(0, seconds / 2), ns_log = ns_per_call(1, seconds / 2);
    double ns_loops = 2.0 * (double)d * (1.0 / r_dot + 2.0 / r_axpy);
    printf("kernel_bench: one core, d = %zu, double: dot %.2f GFLOP/s, axpy %.2f GFLOP/s "
           "(a score row, 1 dot + 2 axpy = 6d FLOPs: at most %.2f GFLOP/s)\n", d, r_dot, r_axpy,
           3.0 / (1.0 / r_dot + 2.0 / r_axpy));
    printf("kernel_bench: sigmoid %.1f ns, log_sigmoid %.1f ns per call; a score row takes at "
           "least: neg %.1f ns (its loops %.1f, one sigmoid, one log_sigmoid), hs %.1f ns (its "
           "loops, one sigmoid)\n", ns_sig, ns_log, ns_loops + ns_sig + ns_log, ns_loops,
           ns_loops + ns_sig);
    free(M);
    return 0;
}
