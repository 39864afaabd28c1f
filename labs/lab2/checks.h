/* labs/lab2/checks.h — lab 2's checks (gradcheck --lab 2): tanh', and every
 * parameter block of the 2-layer net and its input X, for each activation. */
#ifndef GRADLAB_LAB2_CHECKS_H
#define GRADLAB_LAB2_CHECKS_H

#include <stddef.h>

#include "gradcheck.h"
#include "net2.h"

/* x = params (W1 | b1 | W2 | b2) | X; the labels live in the context. */
typedef struct {
    net2_dims dims;
    size_t n;
    size_t labels[];
} net2_ctx;

/* net2_z1: hidden unit j's pre-activation z1_j = b1_j + sum_i x_i W1[i][j]
 * for the row x (Dx), params packed W1 | b1 | W2 | b2. The lab's own
 * arithmetic, not the student's net2: a check's set-up (ReLU rows kept off
 * the kink) and the activation experiment (saturated units) read it. */
static inline double net2_z1(net2_dims d, const double *params, const double *x, size_t j)
{
    const double *W1 = params, *b1 = params + d.dx * d.h;
    double z1 = b1[j];
    for (size_t i = 0; i < d.dx; i++)
        z1 += x[i] * W1[i * d.h + j];
    return z1;
}

/* The lab's table, ended by an entry whose name is NULL. */
extern const gc_check lab2_checks[];

#endif
