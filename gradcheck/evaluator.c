/* evaluator.c — evaluating the loss at the check point and at displaced
 * copies of it, shared by the gradient check, the Taylor test, the sweep and
 * the map checks' re-derivation. A float loss (f32) sees the point and every
 * displaced point rounded to float, so the step taken is the one it saw. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
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
    const gc_problem *p = e->p;
    if (p->reset)
        p->reset(p->ctx);
    e->evals++;
    if (!e->xf)
        return gc_loss(p, e->x, grad);
    gc_to_float(e->xf, e->x, p->n);
    if (grad)
        gc_to_float(e->gf, grad, p->n);
    double J = p->f32(p->ctx, e->xf, grad ? e->gf : NULL);
    if (grad)
        gc_to_double(grad, e->gf, p->n);
    return J;
}

/* Moves the working point to x0 + s * (probe direction); returns the exact
 * displacement for a coordinate probe (x0 + s is rounded to a double, or to
 * a float for a float loss). */
double gc_displace(evaluator *e, const probe *q, double s)
{
    const double *x0 = e->x0;
    if (q->dir == NULL) {
        volatile double moved = gc_round(e->j.prec, x0[q->i] + s);
        e->x[q->i] = moved;
        return moved - x0[q->i];
    }
    for (size_t j = 0; j < q->len; j++)
        e->x[q->lo + j] = gc_round(e->j.prec, x0[q->lo + j] + s * q->dir[j]);
    return s;
}

void gc_restore(evaluator *e, const probe *q)
{
    if (q->dir == NULL) {
        e->x[q->i] = e->x0[q->i];
        return;
    }
    memcpy(e->x + q->lo, e->x0 + q->lo, q->len * sizeof(double));
}

double gc_roundoff(const evaluator *e, double h)
{
    return 8.0 * e->j.prec->eps * fabs(e->f0) * sqrt((double)e->p->n) / h
         + e->j.nondet_tol * fabs(e->f0) / h;
}

static size_t first_nonfinite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return i;
    return n;
}

/* u and v differ by more than tol relative (floor: 1e-3 of the largest). */
static int differ(double u, double v, double tol, double floor)
{
    return tol == 0 ? u != v : fabs(u - v) > tol * fmax(fmax(fabs(u), fabs(v)), floor);
}

static size_t first_difference(const double *u, const double *v, size_t n, double tol)
{
    double floor = 1e-3 * gc_max_abs(u, n);
    for (size_t i = 0; i < n; i++)
        if (differ(u[i], v[i], tol, floor))
            return i;
    return n;
}

/* The point itself: finite loss, finite gradient, the same twice (within
 * nondet_tol when one is allowed). */
static int check_point(evaluator *e, gc_report *r)
{
    const gc_problem *p = e->p;
    double *a = e->grad, *a2 = e->grad2, tol = e->j.nondet_tol;
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
    i = first_difference(a, a2, p->n, tol);
    if (differ(again, r->loss, tol, 0) || i < p->n) {
        if (i < p->n)
            gc_name_coord(p, i, name, sizeof name);
        char beyond[48] = "";
        if (tol > 0)
            snprintf(beyond, sizeof beyond, " by more than nondet_tol %.1e", tol);
        snprintf(r->note, sizeof r->note,
                 "non-deterministic: two evaluations at the same point differ%s (%s: %.17g vs "
                 "%.17g); hidden state, uninitialised memory or a random stream that is not reset",
                 beyond, i < p->n ? name : "loss", i < p->n ? a[i] : r->loss,
                 i < p->n ? a2[i] : again);
        return -1;
    }
    e->looks_float = e->j.prec->kind == GC_DOUBLE && gc_looks_float(e->f0, a, p->n);
    if (e->looks_float)
        snprintf(r->warning, sizeof r->warning, "the loss and every gradient entry are "
                 "single-precision numbers: f computes in float, and this double check (step "
                 "%.1e, rtol %.0e) reads float's round-off as error; give it as a float loss "
                 "(f32) to check it with float's steps and tolerances", e->j.prec->step_central,
                 e->j.rtol);
    return 0;
}

/* The buffers of an evaluator over p with the judging j; x0 = p->x as the
 * function sees it. 0 or -1 (ENOMEM). */
static int alloc_buffers(evaluator *e, const gc_problem *p, const gc_judging *j, int with_grad)
{
    memset(e, 0, sizeof *e);
    e->p = p;
    e->j = *j;
    e->t0 = gc_clock();
    e->x0 = malloc(2 * p->n * sizeof *e->x0);
    e->x = e->x0 ? e->x0 + p->n : NULL;
    if (with_grad) {
        e->grad = calloc(p->n, sizeof *e->grad);
        e->grad2 = calloc(p->n, sizeof *e->grad2);
    }
    if (p->f32 && !p->f && !p->f_parts) {
        e->xf = malloc(2 * p->n * sizeof *e->xf);
        e->gf = e->xf ? e->xf + p->n : NULL;
    }
    if (!e->x0 || (with_grad && (!e->grad || !e->grad2)) || (p->f32 && !e->xf)) {
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = 0; i < p->n; i++)
        e->x0[i] = e->x[i] = gc_round(j->prec, p->x[i]);
    return 0;
}

int gc_open(evaluator *e, const gc_problem *p, const gc_options *o, gc_report *r)
{
    memset(r, 0, sizeof *r);
    gc_judging j = gc_judging_of(o, gc_problem_precision(p));
    int rc = alloc_buffers(e, p, &j, 1);
    r->precision = j.prec->kind;
    r->rtol = j.rtol, r->atol = j.atol;
    if (rc != 0) {
        r->status = GC_ERROR;
        r->error = ENOMEM;
        snprintf(r->note, sizeof r->note, "out of memory");
        return -1;
    }
    r->status = GC_FAIL;
    return check_point(e, r);
}

int gc_open_at(evaluator *e, const gc_problem *p, const gc_judging *j, double f0)
{
    if (alloc_buffers(e, p, j, 0) != 0)
        return -1;
    e->f0 = f0;
    return 0;
}

void gc_close(evaluator *e, gc_report *r)
{
    if (r) {
        r->evals = e->evals;
        r->seconds = gc_clock() - e->t0;
    }
    free(e->x0), free(e->grad), free(e->grad2), free(e->xf);
    e->x0 = e->x = e->grad = e->grad2 = NULL;
    e->xf = e->gf = NULL;
}
