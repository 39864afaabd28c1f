/* checks_lab2.c — lab 2's checks: every parameter block of the 2-layer net
 * (W1, b1, W2, b2) and its input X, each named in the report. */
#include <math.h>
#include <stdlib.h>

#include "gradcheck.h"
#include "gradlab.h"

/* x = params (W1 | b1 | W2 | b2) | X; the labels live in the context. */
typedef struct {
    net2_dims dims;
    size_t n;
    size_t labels[];
} net2_ctx;

static double f_net2(void *ctx, const double *x, double *grad)
{
    const net2_ctx *c = ctx;
    size_t P = net2_param_count(c->dims);
    return net2_loss_and_grad(c->dims, x, x + P, c->labels, c->n, grad, grad ? grad + P : NULL);
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
    p->f = f_net2;
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

const gc_check gc_lab2_checks[] = {
    { "net2", 2, "2-layer net, grads of W1, b1, W2, b2 and X; n = 20, Dx = 10, H = 5, Dy = 10",
      setup_small },
    { "net2_large", 2, "2-layer net, n = 50, Dx = 24, H = 40, Dy = 7 (1,287 params + 1,200 inputs)",
      setup_large },
    { "net2_tiny", 2, "2-layer net, one row, Dx = 3, H = 1, Dy = 2 (edge sizes)", setup_one },
    { 0 }
};

/* ---- slips: lab 2's common mistakes ---- */

/* The backward pass without sigma': delta1 = delta2 W2^T (handout 04). */
static double f_net2_no_sigma_prime(void *ctx, const double *params, double *grad)
{
    const net2_ctx *c = ctx;
    net2_dims d = c->dims;
    size_t P = net2_param_count(d);
    const double *X = params + P, *W1 = params, *b1 = W1 + d.dx * d.h, *W2 = b1 + d.h;
    double loss = net2_loss_and_grad(d, params, X, c->labels, c->n, NULL, NULL);
    double h[64], yhat[64];
    for (size_t r = 0; grad && r < c->n; r++) {
        const double *x = X + r * d.dx;
        net2_predict(d, params, x, 1, yhat);
        for (size_t j = 0; j < d.h; j++) {
            double z = b1[j];
            for (size_t i = 0; i < d.dx; i++)
                z += x[i] * W1[i * d.h + j];
            h[j] = sigmoid(z);
        }
        yhat[c->labels[r]] -= 1.0;                               /* delta2 */
        for (size_t j = 0; j < d.h; j++) {
            double delta1 = 0;
            for (size_t k = 0; k < d.dy; k++) {
                delta1 += yhat[k] * W2[j * d.dy + k];            /* the slip: no * h (1 - h) */
                grad[d.dx * d.h + d.h + j * d.dy + k] += h[j] * yhat[k];
            }
            grad[d.dx * d.h + j] += delta1;
            for (size_t i = 0; i < d.dx; i++) {
                grad[i * d.h + j] += x[i] * delta1;
                grad[P + r * d.dx + i] += delta1 * W1[i * d.h + j];
            }
        }
        for (size_t k = 0; k < d.dy; k++)
            grad[P - d.dy + k] += yhat[k];
    }
    return loss;
}

/* Slips made from the right gradient: dW2 stored transposed, the loss averaged
 * while the gradient is summed, dW2 overwritten by each row (= for +=). */
typedef enum { W2_TRANSPOSED, MEAN_LOSS, LAST_ROW_W2 } net2_slip;

static double net2_with_slip(const net2_ctx *c, const double *x, double *grad, net2_slip slip)
{
    net2_dims d = c->dims;
    size_t P = net2_param_count(d), N = P + c->n * d.dx, w2 = d.dx * d.h + d.h;
    double *g = calloc(2 * N, sizeof *g), *last = g + N;
    if (!g)
        return NAN;
    double loss = net2_loss_and_grad(d, x, x + P, c->labels, c->n, g, g + P);
    net2_loss_and_grad(d, x, x + P + (c->n - 1) * d.dx, c->labels + c->n - 1, 1, last, NULL);
    for (size_t i = 0; grad && i < N; i++)
        grad[i] += g[i];
    for (size_t j = 0; grad && slip != MEAN_LOSS && j < d.h; j++)
        for (size_t k = 0; k < d.dy; k++) {
            size_t at = w2 + j * d.dy + k;
            grad[at] -= g[at];
            if (slip == W2_TRANSPOSED)
                grad[w2 + k * d.h + j] += g[at];
            else
                grad[at] += last[at];
        }
    free(g);
    return slip == MEAN_LOSS ? loss / (double)c->n : loss;
}

static double f_w2_t(void *ctx, const double *x, double *g) { return net2_with_slip(ctx, x, g, W2_TRANSPOSED); }
static double f_mean(void *ctx, const double *x, double *g) { return net2_with_slip(ctx, x, g, MEAN_LOSS); }
static double f_last(void *ctx, const double *x, double *g) { return net2_with_slip(ctx, x, g, LAST_ROW_W2); }

#define SLIP_SETUP(NAME, WRONG_F)                            \
    static int NAME(gc_problem *p, uint64_t seed)            \
    {                                                        \
        if (setup_small(p, seed) != 0)                       \
            return -1;                                       \
        p->f = WRONG_F;                                      \
        return 0;                                            \
    }
SLIP_SETUP(slip_no_sigma_prime, f_net2_no_sigma_prime)
SLIP_SETUP(slip_w2_transposed, f_w2_t)
SLIP_SETUP(slip_mean_loss, f_mean)
SLIP_SETUP(slip_last_row, f_last)

const gc_slip gc_lab2_slips[] = {
    { "net2_no_sigma_prime", "dJ/dx without sigma': delta1 = delta2 W2^T", "net2",
      "wrong: dJ/dW1, dJ/db1, dJ/dX; right: dJ/dW2, dJ/db2", slip_no_sigma_prime },
    { "net2_dW2_transposed", "dJ/dW2 written as delta2^T h (Dy x H, stored as H x Dy)", "net2",
      "transposed layout", slip_w2_transposed },
    { "net2_mean_loss", "loss averaged over the 20 rows, gradient summed", "net2",
      "20.00x the true one", slip_mean_loss },
    { "net2_dW2_last_row", "dJ/dW2 overwritten by each row (= instead of +=)", "net2",
      "wrong: dJ/dW2; right:", slip_last_row },
    { 0 }
};
