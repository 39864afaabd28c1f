/* compare.h — a student's values against the reference solution's at one
 * input (the loss J and dJ/dx, a map's output, log|det J| and Jacobian, or a
 * custom check's values; gc_outputs gives both), and a description of how
 * they differ that a student may read: which values and blocks, the
 * relative error, a relation they share (a flipped sign, a constant factor,
 * left at zero, the loss alone), but never a reference value, since the
 * input is one the student never saw.
 *
 * Two values agree when |s - r| <= COMPARE_RTOL max(|r|, 1e-6 (1 + max |r|)). */
#ifndef GRADLAB_COMPARE_H
#define GRADLAB_COMPARE_H

#include <stddef.h>

#include "gradcheck.h"

#define COMPARE_RTOL 1e-6

typedef struct {
    size_t count, wrong;      /* values compared, values that differ */
    size_t worst;             /* the index of the worst one */
    double worst_err;         /* its relative error (inf: not a number) */
    int loss_named;           /* value 0 is the loss J */
} comparison;

/* compare_values: s[0 .. count) against r[0 .. count); fills *c. Returns 1
 * when every value agrees, else 0. */
int compare_values(const double *s, const double *r, const gc_name *names, size_t count,
                   comparison *c);

/* compare_describe: what differs, as a few sentences into buf (appended to
 * what is there): how many values, which blocks, the worst one's name and
 * relative error, and the relation they share when there is one. */
void compare_describe(const comparison *c, const double *s, const double *r,
                      const gc_name *names, char *buf, size_t size);

/* compare_factor_text: k with as many digits as it needs to be told from 1
 * (1.0001, not 1), into buf. */
void compare_factor_text(double k, char *buf, size_t size);

#endif
