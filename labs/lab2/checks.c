/* labs/lab2/checks.c — lab 2's checks: every parameter block of the 2-layer net
 * (W1, b1, W2, b2) and its input X, each named in the report. */
#include <math.h>
#include <stdlib.h>

#include "checks.h"
#include "gradlab.h"

/* Two parts, each of which may be NULL: dJ/dparams (W1 | b1 | W2 | b2) and dJ/dX. */
static double f_net2(void *ctx, const double *x, double *const *g)
{
    const net2_ctx *c = ctx;
    size_t P = net2_param_count(c->dims);
    return net2_loss_and_grad(c->dims, x, x + P, c->labels, c->n, g[0], g[1]);
}

/* Random weights (scale 1/sqrt(fan-in), so the sigmoids are not saturated),
 * inputs and labels from the seed. */
static int setup_net2(gc_problem *p, uint64_t seed, net2_dims d, size_t n)
{
    size_t P = net2_param_count(d);
    if (gc_problem_alloc(p, P + n * d.dx, sizeof(net2_ctx) + n * sizeof(size_t)) != 0)
        return -1;
    net2_ctx *c = p->ctx;
    rng_t r;
    rng_seed(&r, seed);
    c->dims = d;
    c->n = n;
    for (size_t i = 0; i < n; i++)
        c->labels[i] = rng_index(&r, d.dy);
    for (size_t i = 0; i < P + n * d.dx; i++)
        p->x[i] = rng_normal(&r);
    for (size_t i = 0; i < d.dx * d.h; i++)
        p->x[i] /= sqrt((double)d.dx);
    for (size_t i = d.dx * d.h + d.h; i < d.dx * d.h + d.h + d.h * d.dy; i++)
        p->x[i] /= sqrt((double)d.h);
    p->f_parts = f_net2;
    p->part_blocks[0] = 4, p->part_blocks[1] = 1, p->nparts = 2;
    p->blocks[0] = (gc_block){ "W1", d.dx, d.h };
    p->blocks[1] = (gc_block){ "b1", d.h, 0 };
    p->blocks[2] = (gc_block){ "W2", d.h, d.dy };
    p->blocks[3] = (gc_block){ "b2", d.dy, 0 };
    p->blocks[4] = (gc_block){ "X", n, d.dx };
    p->nblocks = 5;
    return 0;
}

static int setup_small(gc_problem *p, uint64_t seed)
{
    return setup_net2(p, seed, (net2_dims){ 10, 5, 10 }, 20);
}

static int setup_large(gc_problem *p, uint64_t seed)
{
    return setup_net2(p, seed, (net2_dims){ 24, 40, 7 }, 50);
}

static int setup_one(gc_problem *p, uint64_t seed)
{
    return setup_net2(p, seed, (net2_dims){ 3, 1, 2 }, 1);
}

/* The loss at the golden points (seeds GC_GOLDEN_SEED + 0, 1, 2), worked out
 * once from the reference solution: a loss that agrees with its own wrong
 * gradient fails on these. */
static const double golden_net2[] = { 52.17072606390024, 62.731334812903782, 50.627367669603046 };
static const double golden_net2_large[] = {
    110.38087479462283, 109.72863357937355, 115.75102072653722 };
static const double golden_net2_tiny[] = {
    0.22264719348605744, 0.41537839750141781, 1.5456326548581092 };
#define GOLDEN(name) golden_##name, sizeof golden_##name / sizeof golden_##name[0]

const gc_check lab2_checks[] = {
    { "net2", 2, "2-layer net, grads of W1, b1, W2, b2 and X; n = 20, Dx = 10, H = 5, Dy = 10",
      setup_small, GOLDEN(net2) },
    { "net2_large", 2, "2-layer net, n = 50, Dx = 24, H = 40, Dy = 7 (1,287 params + 1,200 inputs)",
      setup_large, GOLDEN(net2_large) },
    { "net2_tiny", 2, "2-layer net, one row, Dx = 3, H = 1, Dy = 2 (edge sizes)",
      setup_one, GOLDEN(net2_tiny) },
    { 0 }
};

