/* labs/lab2/checks.h — lab 2's checks (gradcheck --lab 2): every parameter
 * block of the 2-layer net and its input X. */
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

/* The lab's table, ended by an entry whose name is NULL. */
extern const gc_check lab2_checks[];

#endif
