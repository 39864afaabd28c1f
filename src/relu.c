/* relu.c — max(0, x) and its derivative, with the convention relu'(0) = 0.
 * Handout: handouts/02-sigmoid-derivative.md (ReLU and its kink) */
#include "relu.h"

double relu(double x)
{
    /* BEGIN SOLUTION */
    return x > 0 ? x : 0.0;
    /* END SOLUTION */
}

double relu_grad(double x)
{
    /* BEGIN SOLUTION */
    return x > 0 ? 1.0 : 0.0;
    /* END SOLUTION */
}
