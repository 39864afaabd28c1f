/* sigmoid.c — sigma, sigma' = sigma (1 - sigma), and a stable log sigma.
 * Handout: handouts/02-sigmoid-derivative.md */
#include "sigmoid.h"

#include <math.h>

double sigmoid(double x)
{
    /* BEGIN SOLUTION */
    if (x >= 0)
        return 1.0 / (1.0 + exp(-x));  /* exp(-x) <= 1: no overflow */
    double e = exp(x);                 /* x < 0: sigma(x) = e^x / (1 + e^x) */
    return e / (1.0 + e);
    /* END SOLUTION */
}

double sigmoid_grad(double s)
{
    /* BEGIN SOLUTION */
    return s * (1.0 - s);
    /* END SOLUTION */
}

double log_sigmoid(double x)
{
    /* BEGIN SOLUTION */
    if (x >= 0)
        return -log1p(exp(-x));        /* log1p keeps the tiny exp(-x) exact */
    return x - log1p(exp(x));          /* log sigma(x) = x - log(1 + e^x) */
    /* END SOLUTION */
}
