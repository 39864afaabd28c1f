/* softmax.c — softmax(x + c) = softmax(x): shift by the max, then exponentiate.
 * Handout: handouts/01-softmax-shift-invariance.md */
#include "softmax.h"

#include <math.h>

/* BEGIN SOLUTION */
static double max_of(const double *x, size_t n)
{
    double m = x[0];
    for (size_t i = 1; i < n; i++)
        if (x[i] > m)
            m = x[i];
    return m;
}
/* END SOLUTION */

void softmax(const double *x, size_t n, double *out)
{
    /* BEGIN SOLUTION */
    double m = max_of(x, n);          /* the shift c = -max: every exponent <= 0 */
    double z = 0.0;
    for (size_t i = 0; i < n; i++) {
        out[i] = exp(x[i] - m);
        z += out[i];                  /* z >= 1: the max entry contributes exp(0) */
    }
    for (size_t i = 0; i < n; i++)
        out[i] /= z;
    /* END SOLUTION */
}

double logsumexp(const double *x, size_t n)
{
    /* BEGIN SOLUTION */
    double m = max_of(x, n);          /* log sum exp(x) = m + log sum exp(x - m) */
    double z = 0.0;
    for (size_t i = 0; i < n; i++)
        z += exp(x[i] - m);
    return m + log(z);
    /* END SOLUTION */
}
