/* cross_entropy.c — d CE(y, softmax(theta)) / d theta = yhat - y.
 * Handout: handouts/03-cross-entropy-gradient.md */
#include "cross_entropy.h"

#include <math.h>

#include "softmax.h"

double softmax_cross_entropy(const double *theta, const double *y, size_t n,
                             double *grad_theta)
{
    /* BEGIN SOLUTION */
    double lse = logsumexp(theta, n);
    double loss = 0.0;
    for (size_t i = 0; i < n; i++)
        if (y[i] != 0.0)                     /* 0 * log 0 counts as 0 */
            loss -= y[i] * (theta[i] - lse); /* log yhat_i = theta_i - lse */
    if (grad_theta == NULL)
        return loss;
    for (size_t i = 0; i < n; i++)
        grad_theta[i] += exp(theta[i] - lse) - y[i];  /* yhat_i - y_i */
    return loss;
    /* END SOLUTION */
}
