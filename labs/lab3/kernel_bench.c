/* kernel_bench.c — this machine's single-core ceiling for what every
 * word2vec loss is made of: the loops of src/vec.h in double at d = 100,
 * dot (2d FLOPs) and axpy (2d FLOPs), and the four-row dot4 (8d) and axpy4
 * (16d) the skip-gram window of hierarchical softmax uses, over 64 rows
 * that stay in the L1/L2 cache as the trainers' hot rows do; and lab 1's
 * sigmoid and log_sigmoid,
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

enum { DOT, AXPY, DOT4, AXPY4 };

/* One call of kind on rows of M picked by c; returns its FLOPs. The
 * four-row kinds take ten different rows (axpy4 writes five of them). */
static double call(int kind, double *M, size_t d, size_t c, double *sink)
{
    double *a = M + (c % ROWS) * d, *b = M + ((c * 7 + 3) % ROWS) * d, *r[10], s[4];
    for (size_t k = 0; k < 10; k++)
        r[k] = M + ((c + 6 * k) % ROWS) * d;
    const double alpha[4] = { 1e-9, -1e-9, 2e-9, -2e-9 };
    switch (kind) {
    case DOT:
        *sink += dot(a, b, d);
        return 2.0 * (double)d;
    case AXPY:
        axpy(1e-9, a, b, d);
        return 2.0 * (double)d;
    case DOT4:
        dot4(r[0], r[1], r[2], r[3], r[4], d, s);
        *sink += s[0] + s[1] + s[2] + s[3];
        return 8.0 * (double)d;
    default:                                  /* four rows' two gradient updates */
        axpy4(alpha, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], d);
        return 16.0 * (double)d;
    }
}

/* GFLOP/s of `calls` calls of kind (dot, axpy: 2d FLOPs; dot4: 8d; axpy4:
 * 16d) over the rows, median of TIMINGS. */
static double rate(int kind, double *M, size_t d, double seconds)
{
    double t[TIMINGS], sink = 0.0;
    size_t calls = 1u << 16;
    for (int k = 0; k < TIMINGS; k++) {
        double t0 = gc_clock(), flops = 0;
        while (gc_clock() - t0 < seconds / TIMINGS)
            for (size_t c = 0; c < calls; c++)
                flops += call(kind, M, d, c, &sink);
        t[k] = flops / (gc_clock() - t0) / 1e9;
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
    double r_dot = rate(DOT, M, d, seconds), r_axpy = rate(AXPY, M, d, seconds);
    double r_dot4 = rate(DOT4, M, d, seconds), r_axpy4 = rate(AXPY4, M, d, seconds);
    double ns_sig = ns_per_call(0, seconds / 2), ns_log = ns_per_call(1, seconds / 2);
    double ns_loops = 2.0 * (double)d * (1.0 / r_dot + 2.0 / r_axpy);
    double ns_node = 2.0 * (double)d * (1.0 / r_dot4 + 2.0 / r_axpy4);
    printf("kernel_bench: one core, d = %zu, double: dot %.2f GFLOP/s, axpy %.2f GFLOP/s "
           "(a score row, 1 dot + 2 axpy = 6d FLOPs: at most %.2f GFLOP/s); four rows at once: "
           "dot4 %.2f, axpy4 %.2f GFLOP/s (at most %.2f)\n", d, r_dot, r_axpy,
           3.0 / (1.0 / r_dot + 2.0 / r_axpy), r_dot4, r_axpy4,
           3.0 / (1.0 / r_dot4 + 2.0 / r_axpy4));
    printf("kernel_bench: sigmoid %.1f ns, log_sigmoid %.1f ns per call; a score row takes at "
           "least: neg %.1f ns (its loops %.1f, one sigmoid, one log_sigmoid), hs %.1f ns (a "
           "distinct node of a skip-gram window: a quarter of dot4 and of axpy4, %.1f, one "
           "sigmoid; one pair at a time: %.1f)\n", ns_sig, ns_log, ns_loops + ns_sig + ns_log,
           ns_loops, ns_node + ns_sig, ns_node, ns_loops + ns_sig);
    free(M);
    return 0;
}
