/* word2vec.c — naive-softmax skip-gram, and the skip-gram and CBOW windows
 * built from a per-pair loss. Handout: handouts/05-word2vec-naive-softmax.md */
#include "word2vec.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "negsamp.h"
#include "softmax.h"
#include "vec.h"

double naive_softmax_loss_and_grad(const double *v_c, size_t o, const double *U, size_t V,
                                   size_t d, double *grad_v_c, double *grad_U)
{
    /* BEGIN SOLUTION */
    double *yhat = calloc(V, sizeof *yhat);     /* V scores, then yhat */
    if (!yhat)
        return errno = ENOMEM, NAN;
    for (size_t w = 0; w < V; w++)
        yhat[w] = dot(U + w * d, v_c, d);        /* scores theta = U v_c */
    double J = logsumexp(yhat, V) - yhat[o];     /* -log softmax(theta)_o */
    if (!grad_v_c && !grad_U) {
        free(yhat);
        return J;
    }
    softmax(yhat, V, yhat);
    yhat[o] -= 1.0;                              /* yhat - y */
    for (size_t w = 0; w < V; w++) {
        if (grad_v_c)
            axpy(yhat[w], U + w * d, grad_v_c, d);   /* U^T (yhat - y) */
        if (grad_U)
            axpy(yhat[w], v_c, grad_U + w * d, d);   /* (yhat - y) v_c^T, row w */
    }
    free(yhat);
    return J;
    /* END SOLUTION */
}

double w2v_pair_loss_and_grad(const w2v_loss *L, size_t pair, const double *v_c, size_t o,
                              const double *U, size_t V, size_t d, double *grad_v_c,
                              double *grad_U)
{
    if (L->kind == W2V_NEG)
        return neg_sampling_loss_and_grad(v_c, o, U, d, L->negatives + pair * L->K, L->K,
                                          grad_v_c, grad_U);
    if (L->kind == W2V_HS)
        return hsoftmax_loss_and_grad(v_c, L->paths[pair], U, d, grad_v_c, grad_U);
    return naive_softmax_loss_and_grad(v_c, o, U, V, d, grad_v_c, grad_U);
}

double skipgram_loss_and_grad(const w2v_loss *L, size_t c, const size_t *outside, size_t m,
                              const double *Vc, const double *U, size_t V, size_t d,
                              double *grad_Vc, double *grad_U)
{
    /* BEGIN SOLUTION */
    const double *v_c = Vc + c * d;
    double *grad_v_c = grad_Vc ? grad_Vc + c * d : NULL;
    double J = 0.0;
    for (size_t j = 0; j < m; j++)
        J += w2v_pair_loss_and_grad(L, j, v_c, outside[j], U, V, d, grad_v_c, grad_U);
    return J;
    /* END SOLUTION */
}

double cbow_loss_and_grad(const w2v_loss *L, size_t c, const size_t *context, size_t m,
                          const double *Vc, const double *U, size_t V, size_t d,
                          double *grad_Vc, double *grad_U)
{
    /* BEGIN SOLUTION */
    double *h = calloc(2 * d, sizeof *h), *grad_h = h + d;
    if (!h)
        return errno = ENOMEM, NAN;
    for (size_t j = 0; j < m; j++)
        axpy(1.0 / (double)m, Vc + context[j] * d, h, d);
    double J = w2v_pair_loss_and_grad(L, 0, h, c, U, V, d, grad_Vc ? grad_h : NULL, grad_U);
    for (size_t j = 0; grad_Vc && j < m; j++)
        axpy(1.0 / (double)m, grad_h, grad_Vc + context[j] * d, d);   /* dh/dv = I / m */
    free(h);
    return J;
    /* END SOLUTION */
}
