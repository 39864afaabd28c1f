/* layernorm.c — layer normalization, forward and backward, row by row.
 * Handout: handouts/10-layernorm-attention.md */
#include "layernorm.h"

#include <math.h>

static int usable(ln_dims d)
{
    return d.n > 0 && d.d > 0 && isfinite(d.eps) && d.eps > 0;
}

/* BEGIN SOLUTION */
/* The row x's mean, and s = 1 / sqrt(var + eps): the variance is taken about
 * the mean (two passes), which stays exact for a row far from 0, where
 * E[x^2] - E[x]^2 would cancel. */
static double row_stats(const double *x, size_t d, double eps, double *s)
{
    double mu = 0.0, var = 0.0;
    for (size_t j = 0; j < d; j++)
        mu += x[j];
    mu /= (double)d;
    for (size_t j = 0; j < d; j++)
        var += (x[j] - mu) * (x[j] - mu);
    *s = 1.0 / sqrt(var / (double)d + eps);
    return mu;
}
/* END SOLUTION */

int layernorm_forward(ln_dims dims, const double *X, const double *gamma, const double *beta,
                      double *Y, double *xhat, double *s)
{
    if (!usable(dims))
        return GL_BAD_INPUT;
    /* BEGIN SOLUTION */
    size_t d = dims.d;
    for (size_t r = 0; r < dims.n; r++) {
        const double *x = X + r * d;
        double sr, mu = row_stats(x, d, dims.eps, &sr);
        for (size_t j = 0; j < d; j++) {
            double xh = (x[j] - mu) * sr;
            Y[r * d + j] = gamma[j] * xh + beta[j];
            if (xhat)
                xhat[r * d + j] = xh;
        }
        if (s)
            s[r] = sr;
    }
    return GL_OK;
    /* END SOLUTION */
}

int layernorm_backward(ln_dims dims, const double *X, const double *gamma, const double *G,
                       double *grad_X, double *grad_gamma, double *grad_beta)
{
    if (!usable(dims))
        return GL_BAD_INPUT;
    /* BEGIN SOLUTION */
    size_t d = dims.d;
    for (size_t r = 0; r < dims.n; r++) {
        const double *x = X + r * d, *g = G + r * d;
        double s, mu = row_stats(x, d, dims.eps, &s), mean_h = 0.0, mean_hx = 0.0;
        for (size_t j = 0; j < d; j++) {
            double xh = (x[j] - mu) * s, h = gamma[j] * g[j];
            mean_h += h;
            mean_hx += h * xh;
            if (grad_gamma)
                grad_gamma[j] += g[j] * xh;
            if (grad_beta)
                grad_beta[j] += g[j];
        }
        mean_h /= (double)d;
        mean_hx /= (double)d;
        for (size_t j = 0; grad_X && j < d; j++) {
            double xh = (x[j] - mu) * s;
            grad_X[r * d + j] += s * (gamma[j] * g[j] - mean_h - xh * mean_hx);
        }
    }
    return GL_OK;
    /* END SOLUTION */
}
