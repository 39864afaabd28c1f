/* net2.c — backprop through h = phi(x W1 + b1), yhat = softmax(h W2 + b2),
 * phi the hidden activation (sigma unless dims.act says tanh or relu).
 * One row at a time; for a row x (1 x Dx) with one-hot target y:
 *   forward:  z1 = x W1 + b1,  h = phi(z1),  z2 = h W2 + b2,  yhat = softmax(z2)
 *   backward: delta2 = yhat - y                       (1 x Dy)
 *             dW2 += h^T delta2,   db2 += delta2
 *             delta1 = (delta2 W2^T) * phi'(z1)       (1 x H, element-wise; sigma' = h (1 - h))
 *             dW1 += x^T delta1,   db1 += delta1,   dx = delta1 W1^T
 * Handout: handouts/04-two-layer-backprop.md */
#include "net2.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "activation.h"
#include "cross_entropy.h"
#include "softmax.h"

/* Views of the packed parameter vector W1 | b1 | W2 | b2. */
typedef struct { const double *W1, *b1, *W2, *b2; } net2_params;
typedef struct { double *W1, *b1, *W2, *b2; } net2_grads;

size_t net2_param_count(net2_dims d)
{
    return d.h * (d.dx + d.dy + 1) + d.dy;
}

/* Where b1, W2 and b2 start in the packed vector (W1 starts at 0). */
typedef struct { size_t b1, W2, b2; } net2_offsets;

static net2_offsets offsets(net2_dims d)
{
    net2_offsets o = { d.dx * d.h, d.dx * d.h + d.h, d.dx * d.h + d.h + d.h * d.dy };
    return o;
}

static net2_params unpack(net2_dims d, const double *p)
{
    net2_offsets o = offsets(d);
    return (net2_params){ p, p + o.b1, p + o.W2, p + o.b2 };
}

static net2_grads unpack_grads(net2_dims d, double *g)
{
    net2_offsets o = offsets(d);
    return (net2_grads){ g, g + o.b1, g + o.W2, g + o.b2 };
}

/* Forward pass of one row x: h = phi(x W1 + b1) (H), z2 = h W2 + b2 (Dy). */
static void forward_row(net2_dims d, net2_params p, const double *x, double *h, double *z2)
{
    for (size_t j = 0; j < d.h; j++) {
        double z1 = p.b1[j];
        for (size_t i = 0; i < d.dx; i++)
            z1 += x[i] * p.W1[i * d.h + j];
        h[j] = activation_apply(d.act, z1);
    }
    for (size_t k = 0; k < d.dy; k++) {
        double z = p.b2[k];
        for (size_t j = 0; j < d.h; j++)
            z += h[j] * p.W2[j * d.dy + k];
        z2[k] = z;
    }
}

/* Backward pass of one row, given h and delta2 = yhat - y; adds into g and dx. */
static void backward_row(net2_dims d, net2_params p, const double *x, const double *h,
                         const double *delta2, double *delta1, net2_grads *g, double *dx)
{
    /* BEGIN SOLUTION */
    for (size_t j = 0; j < d.h; j++) {
        double back = 0;                                /* (delta2 W2^T)_j */
        for (size_t k = 0; k < d.dy; k++) {
            if (g)
                g->W2[j * d.dy + k] += h[j] * delta2[k];
            back += delta2[k] * p.W2[j * d.dy + k];
        }
        delta1[j] = back * activation_grad(d.act, h[j]); /* times phi'(z1), from h */
    }
    if (g)
        for (size_t k = 0; k < d.dy; k++)
            g->b2[k] += delta2[k];
    for (size_t i = 0; i < d.dx; i++) {
        double s = 0;                                   /* (delta1 W1^T)_i */
        for (size_t j = 0; j < d.h; j++) {
            if (g)
                g->W1[i * d.h + j] += x[i] * delta1[j];
            s += delta1[j] * p.W1[i * d.h + j];
        }
        if (dx)
            dx[i] += s;
    }
    if (g)
        for (size_t j = 0; j < d.h; j++)
            g->b1[j] += delta1[j];
    /* END SOLUTION */
}

double net2_loss_and_grad(net2_dims d, const double *params, const double *X,
                          const size_t *labels, size_t n, double *grad_params, double *grad_X)
{
    double *scratch = calloc(2 * d.h + 3 * d.dy, sizeof *scratch);
    if (!scratch)
        return errno = ENOMEM, NAN;
    double *h = scratch, *delta1 = h + d.h, *z2 = delta1 + d.h, *y = z2 + d.dy, *delta2 = y + d.dy;
    net2_params p = unpack(d, params);
    net2_grads g = grad_params ? unpack_grads(d, grad_params) : (net2_grads){ 0 };
    int backward = grad_params || grad_X;
    double loss = 0;
    for (size_t r = 0; r < n; r++) {
        const double *x = X + r * d.dx;
        forward_row(d, p, x, h, z2);
        y[labels[r]] = 1.0;
        memset(delta2, 0, d.dy * sizeof *delta2);
        loss += softmax_cross_entropy(z2, y, d.dy, backward ? delta2 : NULL);
        y[labels[r]] = 0.0;
        if (backward)
            backward_row(d, p, x, h, delta2, delta1, grad_params ? &g : NULL,
                         grad_X ? grad_X + r * d.dx : NULL);
    }
    free(scratch);
    return loss;
}

int net2_predict(net2_dims d, const double *params, const double *X, size_t n, double *yhat)
{
    double *h = malloc((d.h ? d.h : 1) * sizeof *h);
    if (!h)
        return -1;
    net2_params p = unpack(d, params);
    for (size_t r = 0; r < n; r++) {
        forward_row(d, p, X + r * d.dx, h, yhat + r * d.dy);
        softmax(yhat + r * d.dy, d.dy, yhat + r * d.dy);
    }
    free(h);
    return 0;
}
