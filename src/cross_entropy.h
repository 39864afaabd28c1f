/* cross_entropy.h — softmax cross-entropy and its gradient (lab 1).
 *
 * Shapes: theta, y, grad_theta have n entries.
 * CE(y, yhat) = -sum_i y_i log yhat_i with yhat = softmax(theta).
 * For a probability vector y (y_i >= 0, sum y_i = 1): dCE/dtheta = yhat - y.
 * Handout: handouts/03-cross-entropy-gradient.md
 */
#ifndef GRADLAB_CROSS_ENTROPY_H
#define GRADLAB_CROSS_ENTROPY_H

#include <stddef.h>

/* softmax_cross_entropy: returns CE(y, softmax(theta)), computed through
 * log softmax(theta) = theta - logsumexp(theta), so it stays finite for
 * logits like +-1e4. If grad_theta is not NULL, ADDS dCE/dtheta into it
 * (the caller zeroes it). y is any probability vector. */
double softmax_cross_entropy(const double *theta, const double *y, size_t n,
                             double *grad_theta);

#endif
