/* slips.h — the catalogue of common slips (instructor only; never shipped):
 * each a lab check whose function is made wrong the way students make it
 * wrong, by transforming the right function's outputs or by a one-line
 * change compiled from the reference itself (net2_slip.c). Every slip must
 * be caught by the checker and diagnosed with the catalogue's phrase: this is
 * the test that the checker can fail. Run by build/gradcheck-slips. */
#ifndef GRADLAB_SLIPS_H
#define GRADLAB_SLIPS_H

#include <stdio.h>

#include "gradcheck.h"

typedef struct {
    const char *name;        /* "ce_sign" */
    const char *what;        /* the slip, as a student would write it */
    const char *check;       /* the right check it changes */
    const char *expect;      /* a phrase the report must contain (note or diagnosis) */
    int (*setup)(gc_problem *p, uint64_t seed);
} slip_entry;

extern const slip_entry slips[];          /* ended by an entry whose name is NULL */

/* slip_find: the slip named `name`, or NULL when the catalogue has none. */
const slip_entry *slip_find(const char *name);

/* slip_check: s as a named check, the way slips_run runs it: its set-up,
 * and the golden losses of the right check it changes. */
gc_check slip_check(const slip_entry *s);

/* slips_run: every slip, each in a child process; prints one table row per
 * slip to out; returns how many were not caught with the expected phrase. */
size_t slips_run(FILE *out, const gc_options *o, unsigned timeout);

#endif
