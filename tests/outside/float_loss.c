/* float_loss.c — a loss computed in float, as most C machine-learning code
 * is, checked through the installed libgradcheck: softmax cross-entropy of
 * a linear layer, L = CE(y, softmax(W x)), W 4 x 6 in float,
 *   dL/dW = (softmax(W x) - y) x^T.
 * Given as a float loss (f32) it must PASS with float's steps and tolerance;
 * with dL/dW[2][3] 1% too large it must FAIL there. Given as a double loss
 * that computes in float, the report must say so (a warning). Exit 0 when
 * the library said all three. C and C++. --bench N: the float check timed. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gradcheck.h>

#include "bench.h"

enum { C = 4, D = 6 };

typedef struct {
    float x[D];
    int label, slip;
} linear_ce;

static float loss32(void *ctx, const float *W, float *grad)
{
    const linear_ce *c = (const linear_ce *)ctx;
    float z[C], zmax = -INFINITY, sum = 0;
    for (int i = 0; i < C; i++) {
        z[i] = 0;
        for (int j = 0; j < D; j++)
            z[i] += W[i * D + j] * c->x[j];
        zmax = z[i] > zmax ? z[i] : zmax;
    }
    for (int i = 0; i < C; i++)
        sum += expf(z[i] - zmax);
    for (int i = 0; grad && i < C; i++) {
        float p = expf(z[i] - zmax) / sum - (i == c->label ? 1.0f : 0.0f);
        for (int j = 0; j < D; j++)
            grad[i * D + j] += p * c->x[j] * (c->slip && i == 2 && j == 3 ? 1.01f : 1.0f);
    }
    return logf(sum) + zmax - z[c->label];
}

/* The same float computation behind a double signature. */
static double loss64(void *ctx, const double *W, double *grad)
{
    float Wf[C * D], gf[C * D];
    for (int i = 0; i < C * D; i++)
        Wf[i] = (float)W[i], gf[i] = grad ? (float)grad[i] : 0.0f;
    float L = loss32(ctx, Wf, grad ? gf : NULL);
    for (int i = 0; grad && i < C * D; i++)
        grad[i] = gf[i];
    return L;
}

static gc_status run(gc_problem *p, int number, gc_report *r)
{
    gc_options o = gc_default_options();
    gc_status s = gc_check_gradient(p, &o, r);
    gc_check chk = { "float_softmax_ce", 0, "CE(y, softmax(W x)) in float, W 4 x 6", NULL, NULL,
                     0 };
    gc_print_report(stdout, GC_TEXT, 1, (size_t)number, NULL, &chk, r);
    return s;
}

int main(int argc, char **argv)
{
    gc_problem p;
    gc_report r;
    if (gc_problem_alloc(&p, C * D, sizeof(linear_ce)) != 0)
        return 3;
    linear_ce *c = (linear_ce *)p.ctx;
    for (int j = 0; j < D; j++)
        c->x[j] = (float)sin(0.7 * j + 0.2);
    c->label = 1;
    for (int i = 0; i < C * D; i++)
        p.x[i] = 0.5 * cos(1.3 * i);
    p.f32 = loss32;
    p.blocks[0].name = "W", p.blocks[0].rows = C, p.blocks[0].cols = D, p.nblocks = 1;
    int runs = bench_runs(argc, argv);
    if (runs) {
        int failed = bench("float_softmax_ce", &p, GC_CENTRAL, runs);
        gc_problem_free(&p);
        return failed;
    }
    gc_status right = run(&p, 1, &r);
    int in_float = r.precision == GC_FLOAT;
    c->slip = 1;
    gc_status slipped = run(&p, 2, &r);
    int named = strcmp(r.where, "dJ/dW[2][3]") == 0;
    c->slip = 0;
    p.f32 = NULL, p.f = loss64;
    run(&p, 3, &r);
    int warned = strstr(r.warning, "single-precision") != NULL;
    gc_problem_free(&p);
    int ok = right == GC_PASS && in_float && slipped == GC_FAIL && named && warned;
    printf("outside: float_loss: %s\n", ok ? "passes in float, the 1% slip is named, the double "
                                             "check says it reads float" : "NOT AS EXPECTED");
    return ok ? 0 : 1;
}
