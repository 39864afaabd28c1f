/* labs/lab2/teach/slips.c — lab 2's slips: tanh', and the 2-layer net's backward pass (x = W1 |
 * b1 | W2 | b2 | X). Each slip is a right check made wrong the way students make it wrong
 * (labs/teach/slips.h); instructors only, never shipped. */
#include "slips.h"

#include <math.h>
#include <stdlib.h>

#include "gradlab.h"
#include "lab2/checks.h"
#include "net2_slip.h"

/* tanh_grad written as wrong(t) instead of 1 - t^2: each entry of the right
 * gradient rescaled by wrong(t) / (1 - t^2). */
static double tanh_as(const gc_problem *p, const double *x, double J, const double *g,
                      double *grad, double (*wrong)(double t))
{
    for (size_t i = 0; grad && i < p->n; i++) {
        double t = tanh(x[i]);
        grad[i] += g[i] * wrong(t) / (1 - t * t);
    }
    return J;
}

static double one_minus(double t) { return 1 - t; }
static double times_one_minus(double t) { return t * (1 - t); }

/* tanh_grad returning 1 - t, the square forgotten. */
static double tanh_no_square(const gc_problem *p, const double *x, double J, const double *g,
                             double *grad)
{
    return tanh_as(p, x, J, g, grad, one_minus);
}

/* tanh_grad written with sigma's rule t (1 - t). */
static double tanh_sigma_rule(const gc_problem *p, const double *x, double J, const double *g,
                              double *grad)
{
    return tanh_as(p, x, J, g, grad, times_one_minus);
}

/* The gradient of a variant of net2_loss_and_grad compiled from the
 * reference with one change (net2_slip.c, net2_slip_rule.c); the loss stays. */
typedef double (*net2_fn)(net2_dims, const double *, const double *, const size_t *, size_t,
                          double *, double *);

static double net2_variant(const gc_problem *p, const double *x, double J, double *grad,
                           net2_fn variant)
{
    const net2_ctx *c = p->ctx;
    size_t P = net2_param_count(c->dims);
    if (grad)
        variant(c->dims, x, x + P, c->labels, c->n, grad, grad + P);
    return J;
}

static double net2_no_sigma_prime(const gc_problem *p, const double *x, double J, const double *g,
                                  double *grad)
{
    (void)g;
    return net2_variant(p, x, J, grad, net2_loss_without_sigma_prime);
}

/* net2 with tanh units whose backward pass still multiplies by h (1 - h). */
static double net2_tanh_sigma_rule(const gc_problem *p, const double *x, double J,
                                   const double *g, double *grad)
{
    (void)g;
    return net2_variant(p, x, J, grad, net2_loss_with_sigma_rule);
}

/* Where W2 starts, and its H x Dy shape. */
static size_t w2_offset(net2_dims d) { return d.dx * d.h + d.h; }

/* dJ/dW2 written delta2^T h: Dy x H numbers stored where H x Dy belongs. */
static double net2_w2_transposed(const gc_problem *p, const double *x, double J, const double *g,
                                 double *grad)
{
    (void)x;
    const net2_ctx *c = p->ctx;
    net2_dims d = c->dims;
    size_t w2 = w2_offset(d);
    for (size_t i = 0; grad && i < p->n; i++)
        if (i < w2 || i >= w2 + d.h * d.dy)
            grad[i] += g[i];
    for (size_t j = 0; grad && j < d.h; j++)
        for (size_t k = 0; k < d.dy; k++)
            grad[w2 + k * d.h + j] += g[w2 + j * d.dy + k];
    return J;
}

/* The loss averaged over the rows, the gradient summed. */
static double net2_mean_loss(const gc_problem *p, const double *x, double J, const double *g,
                             double *grad)
{
    (void)x;
    slip_add(grad, g, p->n, 1.0);
    return J / (double)((const net2_ctx *)p->ctx)->n;
}

/* The loss and its gradient both averaged over the rows: consistent, so
 * only the loss's value shows it. */
static double net2_mean_both(const gc_problem *p, const double *x, double J, const double *g,
                             double *grad)
{
    (void)x;
    double n = (double)((const net2_ctx *)p->ctx)->n;
    slip_add(grad, g, p->n, 1.0 / n);
    return J / n;
}

/* dJ/dW2 overwritten by each row (= for +=): only the last row's is left. */
static double net2_last_row(const gc_problem *p, const double *x, double J, const double *g,
                            double *grad)
{
    const net2_ctx *c = p->ctx;
    net2_dims d = c->dims;
    size_t P = net2_param_count(d), w2 = w2_offset(d), last = c->n - 1;
    double *row = grad ? calloc(P, sizeof *row) : NULL;
    if (grad && !row)
        return NAN;
    if (row)
        net2_loss_and_grad(d, x, x + P + last * d.dx, c->labels + last, 1, row, NULL);
    for (size_t i = 0; grad && i < p->n; i++)
        grad[i] += i >= w2 && i < w2 + d.h * d.dy ? row[i] : g[i];
    free(row);
    return J;
}

/* net2 with relu_grad(0) = 1: every unit passes its gradient back. */
static int setup_net2_relu_grad_one(gc_problem *p, uint64_t seed)
{
    return slip_variant(lab2_relu_grad_one_checks(), "net2_relu", p, seed);
}

/* Backpropagation through one row with W2 read transposed, W2[k][j] of a
 * Dy x H layout where W2[j][k] (H x Dy) belongs: the delta1 it gives, with
 * the slip's own forward pass. */
static void delta1_w2_transposed(net2_dims d, const double *params, const double *x,
                                 size_t label, double *h, double *delta1)
{
    const double *W2 = params + w2_offset(d), *b2 = W2 + d.h * d.dy;
    double z2[64], z = 0, top = -INFINITY;
    for (size_t j = 0; j < d.h; j++)
        h[j] = activation_apply(d.act, net2_z1(d, params, x, j));
    for (size_t k = 0; k < d.dy; k++) {
        z2[k] = b2[k];
        for (size_t j = 0; j < d.h; j++)
            z2[k] += h[j] * W2[j * d.dy + k];
        top = fmax(top, z2[k]);
    }
    for (size_t k = 0; k < d.dy; k++)
        z += exp(z2[k] - top);
    for (size_t j = 0; j < d.h; j++) {
        double back = 0;
        for (size_t k = 0; k < d.dy; k++)
            back += (exp(z2[k] - top) / z - (k == label)) * W2[k * d.h + j];
        delta1[j] = back * activation_grad(d.act, h[j]);
    }
}

/* delta1 = (delta2 W2) * phi' with W2 read as if stored Dy x H: dJ/dW2 and
 * dJ/db2 right, dJ/dW1, dJ/db1 and dJ/dX from the wrong delta1. */
static double net2_w2_read_transposed(const gc_problem *p, const double *x, double J,
                                      const double *g, double *grad)
{
    const net2_ctx *c = p->ctx;
    net2_dims d = c->dims;
    size_t P = net2_param_count(d), w2 = w2_offset(d);
    if (!grad)
        return J;
    for (size_t i = w2; i < P; i++)
        grad[i] += g[i];
    for (size_t r = 0; r < c->n; r++) {
        const double *xr = x + P + r * d.dx;
        double h[64], delta1[64];
        delta1_w2_transposed(d, x, xr, c->labels[r], h, delta1);
        for (size_t j = 0; j < d.h; j++) {
            grad[d.dx * d.h + j] += delta1[j];
            for (size_t i = 0; i < d.dx; i++) {
                grad[i * d.h + j] += xr[i] * delta1[j];
                grad[P + r * d.dx + i] += x[i * d.h + j] * delta1[j];
            }
        }
    }
    return J;
}

/* One set-up per wrapped slip: check CHECK with its loss through APPLY. */
SLIP_WRAPPED(tanh_no_square, "tanh_grad")
SLIP_WRAPPED(tanh_sigma_rule, "tanh_grad")
SLIP_WRAPPED(net2_tanh_sigma_rule, "net2_tanh")
SLIP_WRAPPED(net2_no_sigma_prime, "net2")
SLIP_WRAPPED(net2_w2_transposed, "net2")
SLIP_WRAPPED(net2_mean_loss, "net2")
SLIP_WRAPPED(net2_last_row, "net2")
SLIP_WRAPPED(net2_mean_both, "net2")
SLIP_WRAPPED(net2_w2_read_transposed, "net2")

const slip_entry lab2_slips[] = {
    { "tanh_no_square", "tanh' written 1 - t (the square forgotten)", "tanh_grad",
      "t squared", setup_tanh_no_square },
    { "tanh_sigma_rule", "tanh' written t (1 - t), sigma's rule", "tanh_grad",
      "uses sigma's rule", setup_tanh_sigma_rule },
    { "net2_tanh_sigma_rule", "tanh units, but delta1 still multiplied by h (1 - h), sigma's "
      "derivative", "net2_tanh", "wrong: dJ/dW1, dJ/db1, dJ/dX; right: dJ/dW2, dJ/db2",
      setup_net2_tanh_sigma_rule },
    { "net2_no_sigma_prime", "dJ/dx without sigma': delta1 = delta2 W2^T", "net2",
      "wrong: dJ/dW1, dJ/db1, dJ/dX; right: dJ/dW2, dJ/db2", setup_net2_no_sigma_prime },
    { "net2_dW2_transposed", "dJ/dW2 written as delta2^T h (Dy x H, stored as H x Dy)", "net2",
      "transposed layout", setup_net2_w2_transposed },
    { "net2_mean_loss", "loss averaged over the 20 rows, gradient summed", "net2",
      "20.00x the true one", setup_net2_mean_loss },
    { "net2_mean_both", "loss and gradient both averaged over the 20 rows (the contract sums)",
      "net2", "a mean over 20 terms where their sum belongs", setup_net2_mean_both },
    { "net2_dW2_last_row", "dJ/dW2 overwritten by each row (= instead of +=)", "net2",
      "wrong: dJ/dW2; right:", setup_net2_last_row },
    { "net2_relu_grad_one", "ReLU units with relu_grad(0) = 1: activation_grad is given h = "
      "relu(z), 0 for every z <= 0", "net2_relu", "relu_grad(0) returns 1; gradlab's convention "
      "is 0", setup_net2_relu_grad_one },
    { "net2_W2_read_transposed", "delta1 = delta2 W2 with W2 read as Dy x H (W2[k][j] for "
      "W2[j][k]) inside backprop", "net2", "W2 read transposed", setup_net2_w2_read_transposed },
    { 0 }
};
