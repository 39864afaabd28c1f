/* gc_internal.h — what the checker's own files share (not installed).
 *
 * The layers, bottom first (each file uses only those above it):
 *   blocks.c     block sizes, coordinate names, problem validation
 *   gc_rng.c     the random stream that picks coordinates and directions
 *   evaluator.c  the loss at the point and at displaced copies of it
 *   contract.c   the loss adds into the caller's buffer, and only where it should
 *   diagnose.c   what a wrong gradient has in common
 *   taylor.c     the Taylor test; jacobian.c the map check beside it
 *   check.c      the gradient check (or a map's); sweep.c, outputs.c beside it
 *   isolate.c    a check in a child process; report.c the reports
 */
#ifndef GRADCHECK_INTERNAL_H
#define GRADCHECK_INTERNAL_H

#include "gradcheck.h"

/* ---- blocks.c ---- */
size_t gc_block_size(const gc_block *b);
double gc_max_abs(const double *v, size_t n);
/* Names coordinate i of the whole vector x by its block ("dJ/dU[7][2]"). */
void gc_name_coord(const gc_problem *p, size_t i, char *buf, size_t size);
/* gc_fit_text: src into dst[size], cut at a space with " ..." when it does
 * not fit: never in the middle of a word. */
void gc_fit_text(char *dst, size_t size, const char *src);
/* "" when o can be used, else why not. */
const char *gc_options_valid(const gc_options *o);

/* ---- gc_rng.c: xoshiro256** seeded by splitmix64 (the generator of
 * gradlab's src/rng.c, so check points and sampled coordinates are the same
 * on every machine); the library keeps its own copy to stand alone. ---- */
typedef struct { uint64_t s[4]; } gc_rng;
void gc_rng_seed(gc_rng *r, uint64_t seed);
uint64_t gc_rng_next(gc_rng *r);
size_t gc_rng_index(gc_rng *r, size_t n);     /* uniform in [0, n), n > 0 */

/* ---- evaluator.c ---- */
typedef struct {
    const gc_problem *p;
    double *x;               /* working copy of p->x; always restored after a probe */
    double *grad, *grad2;    /* the analytic gradient at p->x, and its second evaluation */
    double f0;               /* the loss at p->x */
    double t0;               /* when gc_open started */
    size_t evals;
    int bad;                 /* a displaced evaluation was NaN/Inf */
    char bad_note[160];
} evaluator;

/* A direction to move along: coordinate i, or the unit vector dir (len
 * entries) laid over x[lo .. lo+len). */
typedef struct {
    size_t i;
    const double *dir;
    size_t lo, len;
    const char *label;       /* for messages: "dJ/dU[7][2]" */
} probe;

double gc_eval(evaluator *e, double *grad);
double gc_displace(evaluator *e, const probe *q, double s);   /* returns the exact step taken */
void gc_restore(evaluator *e, const probe *q);

/* gc_open: zeroes *r, allocates the evaluator's buffers and evaluates loss and
 * gradient at the point twice (e->f0, e->grad, r->loss). Returns 0; or -1 with
 * r->status GC_ERROR (out of memory) or GC_FAIL (NaN/Inf at the point, or the
 * two evaluations differ) and r->note saying which. Call gc_close either way. */
int gc_open(evaluator *e, const gc_problem *p, gc_report *r);

/* gc_close: records evaluations and time in *r and frees the buffers. */
void gc_close(evaluator *e, gc_report *r);

/* ---- contract.c ----
 * gc_contract: after gc_open, tests that f adds into a buffer holding random
 * values (and adds again on a second call), touches no entry it has no
 * gradient for, and gives the same loss with a zeroed, a filled or no
 * buffer. Returns 0; or -1 with r->status GC_FAIL, the first offending
 * entry in r->note and r->where, and what the slip is in r->diagnosis. */
int gc_contract(evaluator *e, const gc_options *o, gc_report *r);

/* ---- diagnose.c ----
 * Writes what the wrong coordinates have in common into r->diagnosis (or
 * leaves it empty when there is no clear pattern). num[i] is the numeric
 * derivative of coordinate i (NaN where not checked), wrong[i] its verdict. */
void gc_diagnose(const gc_problem *p, const double *a, const double *num,
                 const unsigned char *wrong, gc_report *r);

/* ---- taylor.c: the Taylor test (--method taylor) ---- */
gc_status gc_taylor(const gc_problem *p, const gc_options *o, gc_report *r);

#endif
