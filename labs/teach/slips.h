/* slips.h — the catalogue of common slips (instructor only; never shipped):
 * each a lab check whose function is made wrong the way students make it
 * wrong, by transforming the right function's outputs or by a one-line
 * change compiled from the reference itself (labs/lab2/teach/net2_slip.c).
 * Every slip must be caught by the checker and diagnosed with the
 * catalogue's phrase: this is the test that the checker can fail. Run by
 * build/gradcheck-slips.
 *
 * Each lab keeps its own slips in labs/labN/teach/slips.c, a table
 * labN_slips[] of slips of its own checks; the catalogue is those tables, in
 * lab order, found from the folders like the labs' checks (labs/registry.c). */
#ifndef GRADLAB_SLIPS_H
#define GRADLAB_SLIPS_H

#include <stdio.h>

#include "gradcheck.h"

typedef struct {
    const char *name;        /* "ce_sign" */
    const char *what;        /* the slip, as a student would write it */
    const char *check;       /* the right check it changes, a check of the slip's own lab */
    const char *expect;      /* a phrase the report must contain (note or diagnosis) */
    int (*setup)(gc_problem *p, uint64_t seed);
} slip_entry;

/* slip_count, slip_at: the catalogue's slips, lab by lab; slip_at says the
 * lab whose table holds slip i in *lab (when lab is not NULL) and returns
 * NULL past the end. */
size_t slip_count(void);
const slip_entry *slip_at(size_t i, int *lab);

/* slip_find: the slip named `name`, or NULL when the catalogue has none. */
const slip_entry *slip_find(const char *name);

/* slip_check: s as a named check, the way slips_run runs it: its set-up,
 * and the golden losses of the right check it changes. */
gc_check slip_check(const slip_entry *s);

/* slips_run: every slip, each in a child process; prints one table row per
 * slip to out; returns how many were not caught with the expected phrase. */
size_t slips_run(FILE *out, const gc_options *o, unsigned timeout);

/* ---- for a lab's slips (labs/labN/teach/slips.c) ---- */

/* A wrapped slip takes a check's problem as the check sets it up and wraps
 * its loss: the right function runs, then `apply` turns its loss J and
 * gradient g (NULL when no gradient was asked) at the point x into the
 * slip's, adding the slipped gradient into grad (NULL: none asked). */
typedef double (*slip_apply)(const gc_problem *right, const double *x, double J, const double *g,
                             double *grad);

typedef struct {
    gc_problem right;        /* the check's own problem, owned */
    slip_apply apply;
} slip_wrapped;

/* slip_wrap: sets check `check` up at seed into *p with its loss wrapped by
 * apply (p->ctx is a slip_wrapped). 0, or -1 (no such check, out of memory). */
int slip_wrap(gc_problem *p, uint64_t seed, const char *check, slip_apply apply);

/* slip_add: grad += k g over n entries (nothing when grad or g is NULL). */
void slip_add(double *grad, const double *g, size_t n, double k);

/* slip_add_block: grad += g, its first `len` entries (one block) times k. */
void slip_add_block(double *grad, const double *g, size_t n, size_t len, double k);

/* A variant slip is a check compiled again with one of the student's functions
 * replaced by a wrong one (labs/lab1/teach/variant_sigmoid.c): the check, its
 * explain hook included, calls the wrong function, as it would in a student's
 * build. slip_variant sets check `check` of such a table up at seed into *p;
 * 0, or -1 (no such check, out of memory). */
int slip_variant(const gc_check *table, const char *check, gc_problem *p, uint64_t seed);

/* One set-up per variant slip: setup_NAME sets CHECK of TABLE up. */
#define SLIP_VARIANT(NAME, TABLE, CHECK) \
    static int setup_##NAME(gc_problem *p, uint64_t seed) { return slip_variant(TABLE, CHECK, p, seed); }

/* One set-up per wrapped slip: setup_APPLY sets CHECK up with its loss through APPLY. */
#define SLIP_WRAPPED(APPLY, CHECK) \
    static int setup_##APPLY(gc_problem *p, uint64_t seed) { return slip_wrap(p, seed, CHECK, APPLY); }

#endif
