/* compare.h — a student's values against the reference solution's at one
 * input (the loss J and dJ/dx, a map's output, log|det J| and Jacobian, or a
 * custom check's values; gc_outputs gives both), the relation they share as
 * a value (for the grader's diagnosis codes, verdict.h), and a description of
 * how they differ that a student may read: which values and blocks, the
 * relative error, the relation (a flipped sign, a constant factor, left at
 * zero, a transposed block, rows off by their own factor, ...), but never a
 * reference value, since the input is one the student never saw.
 *
 * Names are gc_outputs': "J", "dJ/dU[7][2]", "x[0]", "log|det J|", "J[1][2]".
 * A block is the values whose names share the part before '['; a block
 * whose names carry two indices is a matrix, rows x cols read off them.
 *
 * Two values agree when |s - r| <= COMPARE_RTOL max(|r|, 1e-6 (1 + max |r|)). */
#ifndef GRADLAB_COMPARE_H
#define GRADLAB_COMPARE_H

#include <stddef.h>

#include "gradcheck.h"

#define COMPARE_RTOL 1e-6

/* What the wrong values have in common, tried in this order: over every
 * wrong value first (NOT_FINITE .. DIAGONAL_TERM), then block by block, the
 * first block with a wrong value and a relation of its own (ZERO .. FEW). */
typedef enum {
    REL_NONE,           /* every value agrees */
    REL_NOT_FINITE,     /* a value of the student's is NaN or infinite */
    REL_ZERO,           /* every wrong value (of `block`, when named) is 0: left at zero */
    REL_SIGN,           /* every wrong value is -1 times the reference's */
    REL_FACTOR,         /* every wrong value (two or more) is `factor` times the reference's */
    REL_DIAGONAL_TERM,  /* only log|det J| differs, by exactly one term log|J[k][k]| */
    REL_TRANSPOSED,     /* `block` holds the reference's block transposed */
    REL_WRONG_ROWS,     /* rows of `block` that should get something get 0, rows that should get 0 do not */
    REL_EXTRA_ROWS,     /* the wrong rows of `block` are rows the reference leaves at 0 */
    REL_ROW_FACTORS,    /* each wrong row of `block` is its own multiple of the reference's row */
    REL_FEW,            /* at most 3 of the 4 or more values of `block` differ */
    REL_OTHER           /* none of these */
} compare_relation;

typedef struct {
    size_t count, wrong;      /* values compared, values that differ */
    size_t worst;             /* the index of the worst one */
    double worst_err;         /* its relative error (inf: not a number) */
    int loss_named;           /* value 0 is the loss J */
    int loss_wrong;           /* ... and it differs */
    compare_relation relation;
    double factor;            /* REL_SIGN, REL_FACTOR: k (-1 for a sign) */
    int rows_repeat;          /* REL_ROW_FACTORS: every factor is 1/k for a whole k >= 2 */
    int rows_opposite;        /* REL_ROW_FACTORS: every factor is negative */
    int term_twice;           /* REL_DIAGONAL_TERM: counted twice (else left out) */
    char block[48];           /* the block the relation is about, "" when it holds for all */
    char blocks[160];         /* the blocks holding a wrong value: "dJ/dv_c, dJ/dU" */
} comparison;

/* compare_values: s[0 .. count) against r[0 .. count); fills *c, the
 * relation included. Returns 1 when every value agrees, else 0. */
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
