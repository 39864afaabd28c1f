/* evaluator.c — evaluating the loss at the check point and at displaced
 * copies of it, shared by the gradient check, the Taylor test and
 * the diagnosis. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gc_internal.h"

double gc_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

double gc_eval(evaluator *e, double *grad)
{
    if (e->p->reset)
        e->p->reset(e->p->ctx);
    e->evals++;
    return gc_loss(e->p, e->x, grad);
}

/* Moves the working point to x0 + s * (probe direction); returns the exact
 * displacement for a coordinate probe (x0 + s is rounded to a double). */
double gc_displace(evaluator *e, const probe *q, double s)
{
    const double *x0 = e->p->x;
    if (q->dir == NULL) {
        volatile double moved = x0[q->i] + s;
        e->x[q->i] = moved;
        return moved - x0[q->i];
    }
    for (size_t j = 0; j < q->len; j++)
        e->x[q->lo + j] = x0[q->lo + j] + s * q->dir[j];
    return s;
}

void gc_restore(evaluator *e, const probe *q)
{
    if (q->dir == NULL) {
        e->x[q->i] = e->p->x[q->i];
        return;
    }
    memcpy(e->x + q->lo, e->p->x + q->lo, q->len * sizeof(double));
}


static size_t first_nonfinite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return i;
    return n;
}

static size_t first_difference(const double *u, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (u[i] != v[i])
            return i;
    return n;
}

/* The point itself: finite loss, finite gradient, the same twice. */
static int check_point(evaluator *e, gc_report *r)
{
    const gc_problem *p = e->p;
    double *a = e->grad, *a2 = e->grad2;
    char name[64];
    r->loss = e->f0 = gc_eval(e, a);
    if (!isfinite(r->loss)) {
        snprintf(r->note, sizeof r->note, "the loss at the check point is %s",
                 isnan(r->loss) ? "NaN" : r->loss > 0 ? "inf" : "-inf");
        return -1;
    }
    size_t i = first_nonfinite(a, p->n);
    if (i < p->n) {
        gc_name_coord(p, i, name, sizeof name);
        snprintf(r->note, sizeof r->note, "the analytic %s is %g", name, a[i]);
        return -1;
    }
    double again = gc_eval(e, a2);
    i = first_difference(a, a2, p->n);
    if (again != r->loss || i < p->n) {
        if (i < p->n)
            gc_name_coord(p, i, name, sizeof name);
        snprintf(r->note, sizeof r->note,
                 "non-deterministic: two evaluations at the same point differ (%s: %.17g vs %.17g); "
                 "hidden state, uninitialised memory or a random stream that is not reset",
                 i < p->n ? name : "loss", i < p->n ? a[i] : r->loss, i < p->n ? a2[i] : again);
        return -1;
    }
    return 0;
}

int gc_open(evaluator *e, const gc_problem *p, gc_report *r)
{
    memset(r, 0, sizeof *r);
    memset(e, 0, sizeof *e);
    e->p = p;
    e->t0 = gc_clock();
    e->x = malloc(p->n * sizeof *e->x);
    e->grad = calloc(p->n, sizeof *e->grad);
    e->grad2 = calloc(p->n, sizeof *e->grad2);
    if (!e->x || !e->grad || !e->grad2) {
        r->status = GC_ERROR;
        snprintf(r->note, sizeof r->note, "out of memory");
        return -1;
    }
    memcpy(e->x, p->x, p->n * sizeof *e->x);
    r->status = GC_FAIL;
    return check_point(e, r);
}

void gc_close(evaluator *e, gc_report *r)
{
    r->evals = e->evals;
    r->seconds = gc_clock() - e->t0;
    free(e->x), free(e->grad), free(e->grad2);
    e->x = e->grad = e->grad2 = NULL;
}
