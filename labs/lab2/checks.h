/* labs/lab2/checks.h — lab 2's checks (gradcheck --lab 2): tanh', and every
 * parameter block of the 2-layer net and its input X, for each activation. */
#ifndef GRADLAB_LAB2_CHECKS_H
#define GRADLAB_LAB2_CHECKS_H

#include <stddef.h>

#include "gradcheck.h"
#include "net2.h"

enum { TANH_N = 12 };

/* tanh_grad's check: x holds the points, w mixes them into one scalar. */
typedef struct {
    double w[TANH_N];
} tanh_ctx;

/* x = params (W1 | b1 | W2 | b2) | X; the labels live in the context. */
typedef struct {
    net2_dims dims;
    size_t n;
    size_t labels[];
} net2_ctx;

/* The lab's table, ended by an entry whose name is NULL. */
extern const gc_check lab2_checks[];

#endif
