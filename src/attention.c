/* attention.c — single-head scaled dot-product self-attention, forward and
 * backward, and the layer that projects its input into queries, keys and
 * values. Handout: handouts/10-layernorm-attention.md */
#include "attention.h"

#include <math.h>
#include <stdlib.h>

#include "softmax.h"
#include "vec.h"

static int usable(attn_dims d)
{
    return d.n > 0 && d.dk > 0 && d.dv > 0;
}

size_t attention_param_count(attn_dims d)
{
    return d.dm * (2 * d.dk + d.dv);
}

size_t attention_cache_count(attn_dims d)
{
    return d.n * (2 * d.dk + d.dv) + d.n * d.n;
}

int attention_forward(attn_dims d, const double *Q, const double *K, const double *V, double *A,
                      double *O)
{
    if (!usable(d))
        return GL_BAD_INPUT;
    /* BEGIN SOLUTION */
    size_t n = d.n;
    double scale = 1.0 / sqrt((double)d.dk);
    for (size_t i = 0; i < n; i++) {
        double *a = A + i * n, *o = O + i * d.dv;
        for (size_t j = 0; j < n; j++)
            a[j] = dot(Q + i * d.dk, K + j * d.dk, d.dk) * scale;
        softmax(a, n, a);                            /* row i, over the keys j */
        for (size_t c = 0; c < d.dv; c++)
            o[c] = 0.0;
        for (size_t j = 0; j < n; j++)
            axpy(a[j], V + j * d.dv, o, d.dv);
    }
    return GL_OK;
    /* END SOLUTION */
}

int attention_backward(attn_dims d, const double *Q, const double *K, const double *V,
                       const double *A, const double *G, double *grad_Q, double *grad_K,
                       double *grad_V)
{
    if (!usable(d))
        return GL_BAD_INPUT;
    /* BEGIN SOLUTION */
    size_t n = d.n;
    double scale = 1.0 / sqrt((double)d.dk), *dS = malloc(n * sizeof *dS);
    if (!dS)
        return GL_NO_MEMORY;
    for (size_t i = 0; i < n; i++) {
        const double *a = A + i * n, *g = G + i * d.dv;
        double expected = 0.0;                       /* sum_k A_ik dJ/dA_ik */
        for (size_t j = 0; j < n; j++) {
            dS[j] = dot(g, V + j * d.dv, d.dv);      /* dJ/dA_ij = g_i . v_j */
            expected += a[j] * dS[j];
        }
        for (size_t j = 0; j < n; j++) {
            dS[j] = a[j] * (dS[j] - expected) * scale;   /* dJ/dS_ij, times 1/sqrt(dk) */
            if (grad_Q)
                axpy(dS[j], K + j * d.dk, grad_Q + i * d.dk, d.dk);
            if (grad_K)
                axpy(dS[j], Q + i * d.dk, grad_K + j * d.dk, d.dk);
            if (grad_V)
                axpy(a[j], g, grad_V + j * d.dv, d.dv);
        }
    }
    free(dS);
    return GL_OK;
    /* END SOLUTION */
}

/* BEGIN SOLUTION */
/* Y = X W, written: X is n x m, W m x c, Y n x c. Row r of Y is the sum
 * of W's rows i, each times x_ri. */
static void project(const double *X, const double *W, size_t n, size_t m, size_t c, double *Y)
{
    for (size_t r = 0; r < n; r++) {
        double *y = Y + r * c;
        for (size_t k = 0; k < c; k++)
            y[k] = 0.0;
        for (size_t i = 0; i < m; i++)
            axpy(X[r * m + i], W + i * c, y, c);
    }
}

/* The projection's backward pass, given D = dJ/dY (n x c): adds X^T D into
 * grad_W (m x c) and D W^T into grad_X (n x m), each when not NULL. */
static void project_back(const double *X, const double *W, const double *D, size_t n, size_t m,
                         size_t c, double *grad_W, double *grad_X)
{
    for (size_t r = 0; r < n; r++) {
        const double *x = X + r * m, *d = D + r * c;
        for (size_t i = 0; grad_W && i < m; i++)
            axpy(x[i], d, grad_W + i * c, c);                /* x_ri d_r into row i */
        for (size_t i = 0; grad_X && i < m; i++)
            grad_X[r * m + i] += dot(d, W + i * c, c);
    }
}
/* END SOLUTION */

int attention_layer_forward(attn_dims d, const double *W, const double *X, double *cache,
                            double *O)
{
    if (!usable(d) || d.dm == 0)
        return GL_BAD_INPUT;
    /* BEGIN SOLUTION */
    const double *Wq = W, *Wk = Wq + d.dm * d.dk, *Wv = Wk + d.dm * d.dk;
    double *Q = cache, *K = Q + d.n * d.dk, *V = K + d.n * d.dk, *A = V + d.n * d.dv;
    project(X, Wq, d.n, d.dm, d.dk, Q);
    project(X, Wk, d.n, d.dm, d.dk, K);
    project(X, Wv, d.n, d.dm, d.dv, V);
    return attention_forward(d, Q, K, V, A, O);
    /* END SOLUTION */
}

int attention_layer_backward(attn_dims d, const double *W, const double *X, const double *cache,
                             const double *G, double *grad_W, double *grad_X)
{
    if (!usable(d) || d.dm == 0)
        return GL_BAD_INPUT;
    /* BEGIN SOLUTION */
    size_t qk = d.dm * d.dk;
    const double *Wq = W, *Wk = Wq + qk, *Wv = Wk + qk;
    const double *Q = cache, *K = Q + d.n * d.dk, *V = K + d.n * d.dk, *A = V + d.n * d.dv;
    double *dQ = calloc(d.n * (2 * d.dk + d.dv), sizeof *dQ);
    if (!dQ)
        return GL_NO_MEMORY;
    double *dK = dQ + d.n * d.dk, *dV = dK + d.n * d.dk;
    int rc = attention_backward(d, Q, K, V, A, G, dQ, dK, dV);
    if (rc == GL_OK) {
        project_back(X, Wq, dQ, d.n, d.dm, d.dk, grad_W ? grad_W : NULL, grad_X);
        project_back(X, Wk, dK, d.n, d.dm, d.dk, grad_W ? grad_W + qk : NULL, grad_X);
        project_back(X, Wv, dV, d.n, d.dm, d.dv, grad_W ? grad_W + 2 * qk : NULL, grad_X);
    }
    free(dQ);
    return rc;
    /* END SOLUTION */
}
