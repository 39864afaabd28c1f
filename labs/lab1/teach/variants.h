/* variants.h — lab 1's checks compiled again, each with one of the student's
 * functions replaced by a wrong one (variant_*.c): slips of a helper the
 * checks call, seen by the checks and their explain hooks alike. */
#ifndef GRADLAB_LAB1_VARIANTS_H
#define GRADLAB_LAB1_VARIANTS_H

#include "gradcheck.h"

/* sigmoid(x) written 1 / (1 + exp(x)): sigma(-x), the sign of x lost. */
extern const gc_check lab1_checks_sigmoid_flipped[];

/* logsumexp returning log sum exp(x - m), the + m left out. */
extern const gc_check lab1_checks_lse_no_m[];

/* relu_grad(x) returning 1 for x >= 0: relu_grad(0) = 1. */
extern const gc_check lab1_checks_relu_grad_one[];

#endif
