/* word2vec.h — skip-gram and CBOW (lab 3): the naive-softmax loss of one
 * (centre, outside) pair, and the loss of a whole window built from a per-pair
 * loss the caller chooses (naive softmax, negative sampling or, from lab 4,
 * hierarchical softmax).
 *
 * Shapes:  V words, embedding size d
 *          Vc   V x d   centre ("input") vectors, row c is v_c
 *          U    V x d   outside ("output") vectors, row w is u_w
 *          o, c         word ids < V
 * Naive softmax for one pair:
 *   yhat = softmax(U v_c)                       (V)
 *   J    = -log yhat_o
 *   dJ/dv_c = U^T (yhat - y)                    (d)      y = one-hot at o
 *   dJ/dU   = (yhat - y) v_c^T                  (V x d)  every row
 * Handouts: handouts/05-word2vec-naive-softmax.md, handouts/06-negative-sampling.md
 */
#ifndef GRADLAB_WORD2VEC_H
#define GRADLAB_WORD2VEC_H

#include <stddef.h>

#include "hsoftmax.h"

/* naive_softmax_loss_and_grad: returns J = -log softmax(U v_c)_o. When not
 * NULL, ADDS dJ/dv_c (d) into grad_v_c and dJ/dU (V x d, dense) into grad_U.
 * Returns NaN with errno ENOMEM if scratch memory (V doubles) cannot be
 * allocated: out of memory is told apart from a diverging loss by errno. */
double naive_softmax_loss_and_grad(const double *v_c, size_t o, const double *U, size_t V,
                                   size_t d, double *grad_v_c, double *grad_U);

/* The per-pair loss a window uses: naive softmax (lab 3), negative sampling
 * (lab 3) or hierarchical softmax (lab 4). */
typedef enum { W2V_SOFTMAX, W2V_NEG, W2V_HS } w2v_kind;

typedef struct {
    w2v_kind kind;
    size_t K;                  /* W2V_NEG: negatives per pair */
    const size_t *negatives;   /* W2V_NEG: K for the first pair, K for the second, ... */
    const hs_path *paths;      /* W2V_HS: the predicted word's path, one per pair */
} w2v_loss;

/* w2v_pair_loss_and_grad: the loss of pair number `pair` of a window,
 * (v_c, o), by L's kind; W2V_NEG uses negatives[pair K .. pair K + K);
 * W2V_HS uses paths[pair] (o's path; U then holds the inner-node vectors
 * Theta). Adds gradients as the functions above do. */
double w2v_pair_loss_and_grad(const w2v_loss *L, size_t pair, const double *v_c, size_t o,
                              const double *U, size_t V, size_t d, double *grad_v_c,
                              double *grad_U);

/* skipgram_loss_and_grad: the centre word c predicts each of its m outside
 * words: J = sum_j pair_loss(v_c, outside[j]), pair j using negatives batch j.
 * ADDS dJ/dVc (only row c is nonzero) into grad_Vc and dJ/dU into grad_U
 * (V x d each, may be NULL). An outside word listed twice counts twice. */
double skipgram_loss_and_grad(const w2v_loss *L, size_t c, const size_t *outside, size_t m,
                              const double *Vc, const double *U, size_t V, size_t d,
                              double *grad_Vc, double *grad_U);

/* cbow_loss_and_grad: the mean of the m context vectors,
 * h = (1/m) sum_j v_{context[j]}, predicts the centre word c:
 * J = pair_loss(h, c), pair 0 (W2V_NEG: negatives[0..K)).
 * dJ/dv_{context[j]} += dJ/dh / m for each j (a repeated context word gets it
 * each time). m >= 1. Returns NaN with errno ENOMEM if scratch memory (2d
 * doubles) runs out. */
double cbow_loss_and_grad(const w2v_loss *L, size_t c, const size_t *context, size_t m,
                          const double *Vc, const double *U, size_t V, size_t d,
                          double *grad_Vc, double *grad_U);

#endif
