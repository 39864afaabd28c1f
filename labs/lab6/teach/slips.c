/* labs/lab6/teach/slips.c — lab 6's slips: the attention's missing
 * 1/sqrt(dk) (in the backward pass, and everywhere), the softmax's Jacobian
 * taken down the columns, dV = A G for A^T G, and layer norm's backward pass
 * without the variance's or the mean's gradient. Each is a right check made
 * wrong the way students make it wrong (labs/teach/slips.h); instructors
 * only, never shipped, so a slip may work out anything it needs. */
#include "slips.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lab6/checks.h"
#include "vec.h"

/* ---- attention: x = Q | K | V ---- */

/* The weights A (n x n) of the right attention at x, at the start of a block
 * of n n + n dv + extra doubles (the output, then extra for the caller) the
 * caller frees; NULL when out of memory. */
static double *weights_at(attn_dims d, const double *x, size_t extra)
{
    size_t nk = d.n * d.dk;
    double *A = malloc((d.n * d.n + d.n * d.dv + extra) * sizeof *A);
    if (A && attention_forward(d, x, x + nk, x + 2 * nk, A, A + d.n * d.n) != GL_OK) {
        free(A);
        return NULL;
    }
    return A;
}

/* The backward pass without the 1/sqrt(dk): dJ/dQ and dJ/dK sqrt(dk) times too large. */
static double attn_no_scale_backward(const gc_problem *p, const double *x, double J,
                                     const double *g, double *grad)
{
    (void)x;
    attn_dims d = ((const lab6_ctx *)p->ctx)->at;
    slip_add_block(grad, g, p->n, 2 * d.n * d.dk, sqrt((double)d.dk));
    return J;
}

/* The scale left out everywhere: S = Q K^T, the right attention at
 * Q' = sqrt(dk) Q, so J and its gradient agree with each other. */
static double attn_unscaled(const gc_problem *p, const double *x, double J, const double *g,
                            double *grad)
{
    (void)J, (void)g;
    attn_dims d = ((const lab6_ctx *)p->ctx)->at;
    size_t nq = d.n * d.dk;
    double root = sqrt((double)d.dk), *y = malloc(p->n * sizeof *y);
    double *gy = grad ? calloc(p->n, sizeof *gy) : NULL;
    if (!y || (grad && !gy)) {
        free(y), free(gy);
        return NAN;
    }
    for (size_t i = 0; i < p->n; i++)
        y[i] = i < nq ? root * x[i] : x[i];
    double out = gc_loss(p, y, gy);
    slip_add_block(grad, gy, p->n, nq, root);
    free(y), free(gy);
    return out;
}

/* The softmax's Jacobian with its sum taken down the columns:
 * dJ/dS_ij = A_ij (dJ/dA_ij - sum_k A_kj dJ/dA_kj); dJ/dV stays right. */
static double attn_softmax_columns(const gc_problem *p, const double *x, double J,
                                   const double *g, double *grad)
{
    const lab6_ctx *c = p->ctx;
    attn_dims d = c->at;
    size_t n = d.n, nk = n * d.dk;
    const double *Q = x, *K = Q + nk, *V = K + nk;
    if (!grad)
        return J;
    double *A = weights_at(d, x, n * n), *dA = A ? A + n * n + n * d.dv : NULL;
    if (!A)
        return NAN;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            dA[i * n + j] = dot(c->w + i * d.dv, V + j * d.dv, d.dv);
    double root = sqrt((double)d.dk);
    for (size_t j = 0; j < n; j++) {
        double column = 0.0;
        for (size_t k = 0; k < n; k++)
            column += A[k * n + j] * dA[k * n + j];
        for (size_t i = 0; i < n; i++) {
            double dS = A[i * n + j] * (dA[i * n + j] - column) / root;
            axpy(dS, K + j * d.dk, grad + i * d.dk, d.dk);
            axpy(dS, Q + i * d.dk, grad + nk + j * d.dk, d.dk);
        }
    }
    slip_add(grad + 2 * nk, g + 2 * nk, n * d.dv, 1.0);
    free(A);
    return J;
}

/* dJ/dV = A G where A^T G belongs. */
static double attn_dv_untransposed(const gc_problem *p, const double *x, double J,
                                   const double *g, double *grad)
{
    const lab6_ctx *c = p->ctx;
    attn_dims d = c->at;
    size_t n = d.n, nk = n * d.dk;
    if (!grad)
        return J;
    double *A = weights_at(d, x, 0);
    if (!A)
        return NAN;
    slip_add(grad, g, 2 * nk, 1.0);
    for (size_t j = 0; j < n; j++)
        for (size_t k = 0; k < n; k++)
            axpy(A[j * n + k], c->w + k * d.dv, grad + 2 * nk + j * d.dv, d.dv);
    free(A);
    return J;
}

/* ---- layer norm: x = X | gamma | beta ---- */

/* dJ/dX of layer norm with what it keeps: the mean's term (keep_mean) and
 * the variance's (keep_var); dJ/dgamma and dJ/dbeta stay right. */
static double ln_without(const gc_problem *p, const double *x, double J, const double *g,
                         double *grad, int keep_mean, int keep_var)
{
    const lab6_ctx *c = p->ctx;
    ln_dims d = c->ln;
    size_t nd = d.n * d.d;
    if (!grad)
        return J;
    const double *gamma = x + nd;
    for (size_t r = 0; r < d.n; r++) {
        const double *row = x + r * d.d, *w = c->w + r * d.d;
        double mu = 0.0, var = 0.0, mean_h = 0.0, mean_hx = 0.0;
        for (size_t j = 0; j < d.d; j++)
            mu += row[j] / (double)d.d;
        for (size_t j = 0; j < d.d; j++)
            var += (row[j] - mu) * (row[j] - mu) / (double)d.d;
        double s = 1.0 / sqrt(var + d.eps);
        for (size_t j = 0; j < d.d; j++) {
            mean_h += gamma[j] * w[j] / (double)d.d;
            mean_hx += gamma[j] * w[j] * (row[j] - mu) * s / (double)d.d;
        }
        for (size_t j = 0; j < d.d; j++)
            grad[r * d.d + j] += s * (gamma[j] * w[j] - keep_mean * mean_h -
                                      keep_var * (row[j] - mu) * s * mean_hx);
    }
    slip_add(grad + nd, g + nd, 2 * d.d, 1.0);
    return J;
}

static double ln_no_variance_grad(const gc_problem *p, const double *x, double J,
                                  const double *g, double *grad)
{
    return ln_without(p, x, J, g, grad, 1, 0);
}

static double ln_no_mean_grad(const gc_problem *p, const double *x, double J, const double *g,
                              double *grad)
{
    return ln_without(p, x, J, g, grad, 0, 1);
}

/* One set-up per wrapped slip: check CHECK with its loss through APPLY. */
SLIP_WRAPPED(attn_no_scale_backward, "attention")
SLIP_WRAPPED(attn_unscaled, "attention")
SLIP_WRAPPED(attn_softmax_columns, "attention")
SLIP_WRAPPED(attn_dv_untransposed, "attention")
SLIP_WRAPPED(ln_no_variance_grad, "layernorm")
SLIP_WRAPPED(ln_no_mean_grad, "layernorm")

const slip_entry lab6_slips[] = {
    { "attn_no_scale_backward", "the backward pass without the 1/sqrt(dk) the forward pass "
      "scaled the scores by", "attention", "leaves out the 1/sqrt(dk)",
      setup_attn_no_scale_backward },
    { "attn_unscaled", "S = Q K^T, the 1/sqrt(dk) left out of the forward and backward passes "
      "alike", "attention", "computes another function", setup_attn_unscaled },
    { "attn_softmax_columns", "the softmax's Jacobian with its sum down the columns: dS_ij = "
      "A_ij (dA_ij - sum_k A_kj dA_kj)", "attention", "applied on the wrong axis",
      setup_attn_softmax_columns },
    { "attn_dV_untransposed", "dJ/dV = A G where A^T G belongs", "attention",
      "wrong: dJ/dV; right: dJ/dQ, dJ/dK", setup_attn_dv_untransposed },
    { "ln_no_variance_grad", "layer norm's dJ/dX = s (h - mean h): the variance's gradient "
      "dropped", "layernorm", "the variance term is dropped", setup_ln_no_variance_grad },
    { "ln_no_mean_grad", "layer norm's dJ/dX = s (h - xhat mean(h xhat)): the mean's gradient "
      "forgotten", "layernorm", "the gradient through the row's mean is forgotten",
      setup_ln_no_mean_grad },
    { 0 }
};
