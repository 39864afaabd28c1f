/* labs/lab2/checks.c — lab 2's checks: tanh', then every parameter block of
 * the 2-layer net (W1, b1, W2, b2) and its input X, each named in the report,
 * with sigmoid hidden units and with tanh and ReLU ones. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "lab.h"
#include "gradlab.h"
#include "lab1/checks.h"

/* Two parts, each of which may be NULL: dJ/dparams (W1 | b1 | W2 | b2) and dJ/dX. */
static double f_net2(void *ctx, const double *x, double *const *g)
{
    const net2_ctx *c = ctx;
    size_t P = net2_param_count(c->dims);
    return net2_loss_and_grad(c->dims, x, x + P, c->labels, c->n, g[0], g[1]);
}

/* f(x) = sum_i w_i tanh(x_i);  df/dx_i = w_i tanh'(x_i) = w_i (1 - t^2), t = tanh(x_i) */
static double f_tanh(void *ctx, const double *x, double *grad)
{
    const vec_ctx *c = ctx;
    double f = 0;
    for (size_t i = 0; i < c->n; i++) {
        double t = tanh(x[i]);
        f += c->w[i] * t;
        if (grad)
            grad[i] += c->w[i] * tanh_grad(t);
    }
    return f;
}

/* What tanh_grad most likely does wrong, each written as a function of x. */
static double one_minus_t(double x) { return 1 - tanh(x); }
static double tanh_again(double x) { double t = tanh(tanh(x)); return 1 - t * t; }
static double sigmoid_rule(double x) { double t = tanh(x); return t * (1 - t); }
static double one_plus_t2(double x) { double t = tanh(x); return 1 + t * t; }

/* The likely slips, tried in order. */
static void explain_tanh(const gc_problem *p, const double *a, const double *num, char *buf,
                         size_t size)
{
    if (lab1_every_entry(p, a, num, one_minus_t))
        snprintf(buf, size, "tanh_grad returns 1 - t: the derivative is 1 - t^2, t squared");
    else if (lab1_every_entry(p, a, num, tanh_again))
        snprintf(buf, size, "tanh_grad applies tanh to its argument again: it is given "
                 "t = tanh(x), so tanh'(x) is 1 - t^2 of the argument itself");
    else if (lab1_every_entry(p, a, num, sigmoid_rule))
        snprintf(buf, size, "tanh_grad uses sigma's rule t (1 - t): for tanh it is 1 - t^2");
    else if (lab1_every_entry(p, a, num, one_plus_t2))
        snprintf(buf, size, "tanh_grad returns 1 + t^2: the sign of t^2 is flipped");
}

/* 12 points uniform in [-4, 4] (tanh' from 1 down to 1.3e-3), weights in [-1, 1). */
static int setup_tanh(gc_problem *p, uint64_t seed)
{
    if (lab1_setup_weighted(p, seed, LAB1_N, f_tanh, -4, 4, -1, 1) != 0)
        return -1;
    p->explain = explain_tanh;
    return 0;
}

/* dJ/db1 as a backward pass would give it that reads W2 transposed: unit j
 * gets sum_k delta2_k W2[k][j] of a Dy x H layout, not W2[j][k] of the
 * H x Dy one. delta2 of each row is the student's own dJ/db2 of that row
 * alone (right when the report finds dJ/db2 right), h from the student's
 * activation. Into b1 (H); 0, or -1 out of memory. */
static int b1_from_w2_transposed(const gc_problem *p, double *b1)
{
    const net2_ctx *c = p->ctx;
    net2_dims d = c->dims;
    size_t P = net2_param_count(d), w2_at = d.dx * d.h + d.h;
    const double *W2_read = p->x + w2_at;
    double *row = calloc(P, sizeof *row);
    if (!row)
        return -1;
    const double *delta2 = row + w2_at + d.h * d.dy;
    for (size_t j = 0; j < d.h; j++)
        b1[j] = 0;
    for (size_t r = 0; r < c->n; r++) {
        const double *x = p->x + P + r * d.dx;
        for (size_t i = 0; i < P; i++)
            row[i] = 0;
        net2_loss_and_grad(d, p->x, x, c->labels + r, 1, row, NULL);
        for (size_t j = 0; j < d.h; j++) {
            double slope = activation_grad(d.act, activation_apply(d.act, net2_z1(d, p->x, x, j)));
            for (size_t k = 0; k < d.dy; k++)
                b1[j] += slope * W2_read[k * d.h + j] * delta2[k];
        }
    }
    free(row);
    return 0;
}

/* W2 read transposed inside the chain rule: dJ/dW2 and dJ/db2 right, and
 * dJ/db1 what the transposed read gives (and not the right one). */
static int w2_read_transposed(const gc_problem *p, const double *a, const double *num)
{
    const net2_ctx *c = p->ctx;
    net2_dims d = c->dims;
    size_t b1_at = d.dx * d.h, P = net2_param_count(d);
    double b1[64], big = 0;
    int right = 1, same = 1, other = 0;
    if (d.h > 64 || b1_from_w2_transposed(p, b1) != 0)
        return 0;
    for (size_t i = b1_at + d.h; i < P; i++)          /* W2, b2 */
        right &= isnan(num[i]) || fabs(a[i] - num[i]) <= 1e-6 * fmax(fabs(num[i]), 1e-9);
    for (size_t j = 0; j < d.h; j++)
        big = fmax(big, fabs(b1[j]));
    for (size_t j = 0; j < d.h; j++) {
        same &= fabs(a[b1_at + j] - b1[j]) <= 1e-6 * big;
        other |= !isnan(num[b1_at + j]) && fabs(num[b1_at + j] - b1[j]) > 1e-4 * big;
    }
    return right && same && other && big > 0;
}

/* What the backward pass most likely does wrong, tried in order. */
static void explain_net2(const gc_problem *p, const double *a, const double *num, char *buf,
                         size_t size)
{
    const net2_ctx *c = p->ctx;
    if (c->dims.act == ACT_RELU && relu_grad(0.0) != 0.0) {
        lab1_relu_convention(relu_grad(0.0), buf, size);
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "; here relu_grad is given h = relu(z), 0 for every "
                 "unit that is off, so each of them passes its gradient back");
    }
    else if (c->dims.act == ACT_SIGMOID && lab1_sigmoid_wrong(p, buf, size))
        ;
    else if (w2_read_transposed(p, a, num))
        snprintf(buf, size, "W2 read transposed inside backprop: dJ/db1 is what delta1 = "
                 "(delta2 W2^T) * phi'(z1) gives with W2[k][j] of a Dy x H layout read for "
                 "W2[j][k] (W2 is H x Dy); dJ/dW2 and dJ/db2 are right");
}

/* Is every hidden pre-activation of row r at least `margin` away from 0? */
static int row_clear_of_kink(net2_dims d, const double *params, const double *x, double margin)
{
    for (size_t j = 0; j < d.h; j++)
        if (fabs(net2_z1(d, params, x, j)) < margin)
            return 0;
    return 1;
}

/* Random weights (scale 1/sqrt(fan-in), so the sigmoids are not saturated),
 * inputs and labels from the seed. For ReLU units each input row is drawn
 * again (from the same stream) until no pre-activation lies within 0.05 of
 * the kink, which a finite difference of step h would straddle. */
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
    for (size_t row = 0; d.act == ACT_RELU && row < n; row++) {
        double *x = p->x + P + row * d.dx;
        while (!row_clear_of_kink(d, p->x, x, 0.05))
            for (size_t i = 0; i < d.dx; i++)
                x[i] = rng_normal(&r);
    }
    p->f_parts = f_net2;
    p->explain = explain_net2;
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
    return setup_net2(p, seed, (net2_dims){ 10, 5, 10, ACT_SIGMOID }, 20);
}

static int setup_large(gc_problem *p, uint64_t seed)
{
    return setup_net2(p, seed, (net2_dims){ 24, 40, 7, ACT_SIGMOID }, 50);
}

static int setup_tanh_net(gc_problem *p, uint64_t seed)
{
    return setup_net2(p, seed, (net2_dims){ 10, 5, 10, ACT_TANH }, 20);
}

static int setup_relu_net(gc_problem *p, uint64_t seed)
{
    return setup_net2(p, seed, (net2_dims){ 10, 5, 10, ACT_RELU }, 20);
}

static int setup_one(gc_problem *p, uint64_t seed)
{
    return setup_net2(p, seed, (net2_dims){ 3, 1, 2, ACT_SIGMOID }, 1);
}

#include "golden.h"

const gc_check lab2_checks[] = {
    { "tanh_grad", LAB_NUMBER, "tanh'(x) = 1 - t^2: f = sum w_i tanh(x_i), 12 points in [-4, 4]",
      setup_tanh, GOLDEN(tanh_grad) },
    { "net2", LAB_NUMBER,
      "2-layer net, grads of W1, b1, W2, b2 and X; n = 20, Dx = 10, H = 5, Dy = 10",
      setup_small, GOLDEN(net2) },
    { "net2_large", LAB_NUMBER,
      "2-layer net, n = 50, Dx = 24, H = 40, Dy = 7 (1,287 params + 1,200 inputs)",
      setup_large, GOLDEN(net2_large) },
    { "net2_tiny", LAB_NUMBER, "2-layer net, one row, Dx = 3, H = 1, Dy = 2 (edge sizes)",
      setup_one, GOLDEN(net2_tiny) },
    { "net2_tanh", LAB_NUMBER, "2-layer net with tanh units; n = 20, Dx = 10, H = 5, Dy = 10",
      setup_tanh_net, GOLDEN(net2_tanh) },
    { "net2_relu", LAB_NUMBER,
      "2-layer net with ReLU units, every pre-activation 0.05 or more from the kink",
      setup_relu_net, GOLDEN(net2_relu) },
    { 0 }
};

