/* softmax.h — the stable softmax and log-sum-exp (lab 1).
 *
 * Shapes: x and out have n entries, n >= 1.
 * softmax(x)_i = exp(x_i) / sum_j exp(x_j), and softmax(x + c) = softmax(x) for
 * every constant c; both functions subtract max_j x_j first, so that no exp
 * overflows (handout 01).
 */
#ifndef GRADLAB_SOFTMAX_H
#define GRADLAB_SOFTMAX_H

#include <stddef.h>

/* softmax: writes softmax(x) into out[0..n). out may alias x.
 * Finite for any finite x (e.g. entries of +-1e4); the entries sum to 1. */
void softmax(const double *x, size_t n, double *out);

/* logsumexp: returns log(sum_i exp(x_i)) without overflow or underflow.
 * Its gradient is softmax(x). */
double logsumexp(const double *x, size_t n);

#endif
