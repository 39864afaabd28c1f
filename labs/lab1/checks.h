/* labs/lab1/checks.h — lab 1's checks (gradcheck --lab 1): sigma', log sigma,
 * log-sum-exp, softmax, ReLU and the cross-entropy gradient, each a scalar
 * loss built from the lab's functions. The context is public so that tools
 * can build on a check's problem. */
#ifndef GRADLAB_LAB1_CHECKS_H
#define GRADLAB_LAB1_CHECKS_H

#include <stddef.h>

#include "gradcheck.h"

enum { LAB1_N = 12 };

/* Shared context: a weight vector w (to mix coordinates into one scalar) and
 * a target distribution y. */
typedef struct {
    size_t n;
    double w[LAB1_N];
    double y[LAB1_N];
} vec_ctx;

/* The lab's table, ended by an entry whose name is NULL. */
extern const gc_check lab1_checks[];

#endif
