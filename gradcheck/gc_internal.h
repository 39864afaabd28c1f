/* gc_internal.h — what the checker's own files share (not installed).
 * The evaluator runs the loss at displaced copies of the point, resetting
 * the random state first and counting evaluations. */
#ifndef GRADLAB_GC_INTERNAL_H
#define GRADLAB_GC_INTERNAL_H

#include "gradcheck.h"

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

double gc_now(void);
double gc_eval(evaluator *e, double *grad);
double gc_displace(evaluator *e, const probe *q, double s);   /* returns the exact step taken */
void gc_restore(evaluator *e, const probe *q);
size_t gc_block_size(const gc_block *b);
double gc_max_abs(const double *v, size_t n);
void gc_name_coord(const gc_problem *p, size_t i, char *buf, size_t size);

/* gc_open: zeroes *r, allocates the evaluator's buffers and evaluates loss and
 * gradient at the point twice (e->f0, e->grad, r->loss). Returns 0; or -1 with
 * r->status GC_ERROR (out of memory) or GC_FAIL (NaN/Inf at the point, or the
 * two evaluations differ) and r->note saying which. Call gc_close either way. */
int gc_open(evaluator *e, const gc_problem *p, gc_report *r);

/* gc_close: records evaluations and time in *r and frees the buffers. */
void gc_close(evaluator *e, gc_report *r);

/* Writes what the wrong coordinates have in common into r->diagnosis (or
 * leaves it empty when there is no clear pattern). num[i] is the numeric
 * derivative of coordinate i (NaN where not checked), wrong[i] its verdict. */
void gc_diagnose(const gc_problem *p, const double *a, const double *num,
                 const unsigned char *wrong, gc_report *r);

/* The Taylor test (--method taylor): see taylor.c. */
gc_status gc_taylor(const gc_problem *p, const gc_options *o, gc_report *r);

#endif
