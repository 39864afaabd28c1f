/* check.c — the gradient check: analytic vs finite differences, coordinate by
 * coordinate (sampled plus random directions for large blocks).
 *
 * Error of one coordinate (handout 00):
 *     err = |a - n| / max(|a|, |n|, floor),  floor = 1e-3 * (largest |a| or |n| in the block)
 * A coordinate with err > tol is re-derived by Richardson extrapolation over a
 * tableau of shrinking steps, which also estimates its own error e; it is
 * wrong only if |a - n*| > tol * max(|a|, |n*|, floor) + 4 e.
 */
#define _POSIX_C_SOURCE 200809L
#include "gradcheck.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rng.h"

/* One evaluation context: the problem, a working copy of x, the counters. */
typedef struct {
    const gc_problem *p;
    double *x;
    size_t evals;
    int bad;                 /* a displaced evaluation was NaN/Inf */
    char bad_note[160];
} evaluator;

/* A direction to differentiate along: coordinate i, or the unit vector dir
 * (len entries) laid over x[lo .. lo+len). */
typedef struct {
    size_t i;
    const double *dir;
    size_t lo, len;
    const char *label;       /* for messages */
} probe;

gc_options gc_default_options(void)
{
    gc_options o = { GC_CENTRAL, 1e-6, 1, 2048, 64, 8 };
    return o;
}

const char *gc_status_name(gc_status s)
{
    static const char *names[] = { "PASS", "FAIL", "VACUOUS", "NOT IMPLEMENTED",
                                   "CRASH", "TIMEOUT", "ERROR" };
    return names[s];
}

const char *gc_method_name(gc_method m)
{
    return m == GC_RICHARDSON ? "richardson" : "central";
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double eval(evaluator *e, double *grad)
{
    if (e->p->reset)
        e->p->reset(e->p->ctx);
    e->evals++;
    return e->p->f(e->p->ctx, e->x, grad);
}

/* Moves the working point to x0 + s * (probe direction); returns the exact
 * displacement for a coordinate probe (x0 + s is rounded to a double). */
static double displace(evaluator *e, const probe *q, double s)
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

static void restore(evaluator *e, const probe *q)
{
    if (q->dir == NULL) {
        e->x[q->i] = e->p->x[q->i];
        return;
    }
    memcpy(e->x + q->lo, e->p->x + q->lo, q->len * sizeof(double));
}

/* Central difference (f(x + h d) - f(x - h d)) / (2h) with the steps actually
 * taken. A non-finite evaluation returns NaN; when `flag` is set it also
 * marks the whole check bad (the main pass), else it is quietly skipped
 * (the extrapolation tries large steps that may leave the domain). */
static double central(evaluator *e, const probe *q, double h, int flag)
{
    double hp = displace(e, q, h);
    double fp = eval(e, NULL);
    double hm = -displace(e, q, -h);
    double fm = eval(e, NULL);
    restore(e, q);
    if (isfinite(fp) && isfinite(fm))
        return (fp - fm) / (hp + hm);
    if (flag && !e->bad)
        snprintf(e->bad_note, sizeof e->bad_note,
                 "the loss is %g at %s %s %.3g (the analytic point itself is finite)",
                 isfinite(fp) ? fm : fp, q->label, isfinite(fp) ? "-" : "+", h);
    e->bad |= flag;
    return NAN;
}

/* Richardson: (4 D(h/2) - D(h)) / 3 cancels the h^2 term of the central
 * difference; the best step is larger, about eps^(1/5). */
static double richardson(evaluator *e, const probe *q, double h)
{
    double d1 = central(e, q, h, 1);
    double d2 = central(e, q, h / 2, 1);
    return (4.0 * d2 - d1) / 3.0;
}

static double base_step(const gc_options *o, double scale)
{
    double rel = o->method == GC_RICHARDSON ? pow(DBL_EPSILON, 0.2) : cbrt(DBL_EPSILON);
    return rel * fmax(1.0, scale);
}

static double numeric(evaluator *e, const gc_options *o, const probe *q, double scale, double *step)
{
    double h = base_step(o, scale);
    *step = h;
    return o->method == GC_RICHARDSON ? richardson(e, q, h) : central(e, q, h, 1);
}

/* Extrapolates central differences over steps h0, h0/1.6, h0/1.6^2, ... (a
 * Neville tableau in h^2) until round-off starts to dominate. Returns the
 * estimate and its own error estimate in *err (Inf when nothing was finite). */
static double extrapolate(evaluator *e, const probe *q, double h0, double *err)
{
    enum { LEVELS = 12 };
    const double shrink2 = 1.6 * 1.6;
    double T[LEVELS][LEVELS], h = h0, best = NAN;
    *err = INFINITY;
    T[0][0] = central(e, q, h, 0);
    for (int k = 1; k < LEVELS && isfinite(T[k - 1][0]); k++) {
        h /= 1.6;
        T[k][0] = central(e, q, h, 0);
        double fac = shrink2;
        for (int j = 1; j <= k; j++) {
            T[k][j] = (fac * T[k][j - 1] - T[k - 1][j - 1]) / (fac - 1.0);
            fac *= shrink2;
            double ej = fmax(fabs(T[k][j] - T[k][j - 1]), fabs(T[k][j] - T[k - 1][j - 1]));
            if (ej <= *err) {
                *err = ej;
                best = T[k][j];
            }
        }
        if (fabs(T[k][k] - T[k - 1][k - 1]) >= 2.0 * *err)
            break;
    }
    return best;
}

/* Re-derives a disagreeing derivative as accurately as finite differences
 * can: extrapolation from a step scaled to |x| and from two absolute steps
 * (the curvature of f need not grow with |x|), keeping the estimate whose
 * own error is smallest. */
static double refine(evaluator *e, const probe *q, double scale, double *err)
{
    const double starts[3] = { 1e-2 * fmax(1.0, scale), 1e-1, 1e-3 };
    double best = NAN;
    *err = INFINITY;
    for (int s = 0; s < 3; s++) {
        double es, d = extrapolate(e, q, starts[s], &es);
        if (isfinite(d) && es < *err) {
            *err = es;
            best = d;
        }
    }
    return best;
}

static double rel_err(double a, double n, double floor)
{
    double d = fmax(fmax(fabs(a), fabs(n)), floor);
    return d > 0 ? fabs(a - n) / d : 0.0;
}

void gc_coord_name(const gc_block *b, size_t i, char *buf, size_t size)
{
    if (b->cols == 0)
        snprintf(buf, size, "dJ/d%s[%zu]", b->name, i);
    else
        snprintf(buf, size, "dJ/d%s[%zu][%zu]", b->name, i / b->cols, i % b->cols);
}

static size_t block_size(const gc_block *b)
{
    return b->cols == 0 ? b->rows : b->rows * b->cols;
}

/* Inserts coordinate i into idx[0..k), kept sorted by decreasing |a|; the
 * list holds at most cap entries. Returns the new length. */
static size_t insert_top(const double *a, size_t *idx, size_t k, size_t cap, size_t i)
{
    if (k == cap && (cap == 0 || fabs(a[i]) <= fabs(a[idx[cap - 1]])))
        return k;
    size_t j = k < cap ? k++ : cap - 1;
    for (; j > 0 && fabs(a[idx[j - 1]]) < fabs(a[i]); j--)
        idx[j] = idx[j - 1];
    idx[j] = i;
    return k;
}

/* Picks the coordinates of a block to check: all of them when small, else
 * o->sample of them: the half with the largest |a|, and a seeded random half. */
static size_t pick_coords(const gc_options *o, const double *a, size_t len, rng_t *rng, size_t *idx)
{
    if (len <= o->full_limit) {
        for (size_t i = 0; i < len; i++)
            idx[i] = i;
        return len;
    }
    size_t want = o->sample < len ? o->sample : len, k = 0;
    for (size_t i = 0; i < len; i++)
        k = insert_top(a, idx, k, want / 2, i);
    while (k < want) {
        size_t c = rng_index(rng, len), j = 0;
        while (j < k && idx[j] != c)
            j++;
        if (j == k)
            idx[k++] = c;
    }
    return k;
}

typedef struct {
    double err, a, n, step, err_est;
    int refined, wrong;
    char where[64];
} verdict;

/* A wrong coordinate is worse than any right one; then the larger error. */
static int worse(const verdict *v, const verdict *w)
{
    return v->wrong != w->wrong ? v->wrong > w->wrong : v->err > w->err;
}

/* Compares a with the numeric derivative n along q; re-derives before a FAIL. */
static verdict judge(evaluator *e, const gc_options *o, const probe *q, double a,
                     double n, double step, double scale, double floor)
{
    verdict v = { rel_err(a, n, floor), a, n, step, 0.0, 0, 0, "" };
    snprintf(v.where, sizeof v.where, "%s", q->label);
    if (v.err <= o->tol || e->bad)
        return v;
    double est_err, n2 = refine(e, q, scale, &est_err);
    if (e->bad || !isfinite(n2)) {
        v.wrong = 1;
        return v;
    }
    v.refined = 1;
    v.n = n2;
    v.err_est = est_err;
    v.err = rel_err(a, n2, floor);
    double mag = fmax(fmax(fabs(a), fabs(n2)), floor);
    double allowed = o->tol * mag + 4.0 * fmin(est_err, 1e-3 * mag);  /* noise, not doubt */
    v.wrong = fabs(a - n2) > allowed;
    return v;
}

static double max_abs(const double *v, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m = fmax(m, fabs(v[i]));
    return m;
}

static void record(gc_block_report *br, verdict *bworst, const verdict *v)
{
    br->wrong += v->wrong;
    if (worse(v, bworst))
        *bworst = *v;
}

/* Every (or every sampled) coordinate of one block: numeric values first, so
 * that the error floor knows the block's scale, then the verdicts. */
static int check_coords(evaluator *e, const gc_options *o, const gc_block *b, size_t off,
                        const double *a, rng_t *rng, gc_block_report *br, verdict *bworst)
{
    size_t len = block_size(b), cap = len <= o->full_limit ? len : o->sample;
    size_t *idx = malloc((cap + 1) * sizeof *idx);
    double *num = malloc((cap + 1) * sizeof *num), *steps = malloc((cap + 1) * sizeof *steps);
    if (!idx || !num || !steps) {
        free(idx), free(num), free(steps);
        return -1;
    }
    size_t k = pick_coords(o, a + off, len, rng, idx);
    double gmax = 0;
    char label[64];
    for (size_t c = 0; c < k && !e->bad; c++) {
        size_t i = off + idx[c];
        gc_coord_name(b, idx[c], label, sizeof label);
        probe q = { i, NULL, 0, 0, label };
        num[c] = numeric(e, o, &q, fabs(e->p->x[i]), &steps[c]);
        gmax = fmax(gmax, fmax(fabs(num[c]), fabs(a[i])));
    }
    for (size_t c = 0; c < k && !e->bad; c++) {
        size_t i = off + idx[c];
        gc_coord_name(b, idx[c], label, sizeof label);
        probe q = { i, NULL, 0, 0, label };
        verdict v = judge(e, o, &q, a[i], num[c], steps[c], fabs(e->p->x[i]), 1e-3 * gmax);
        br->checked++;
        record(br, bworst, &v);
    }
    free(idx), free(num), free(steps);
    return 0;
}

/* Random unit directions d over a large block: grad . d against the
 * directional difference; catches a wrong entry that sampling missed. */
static int check_directions(evaluator *e, const gc_options *o, const gc_block *b, size_t off,
                            const double *a, rng_t *rng, gc_block_report *br, verdict *bworst)
{
    size_t len = block_size(b);
    double *dir = malloc(len * sizeof *dir);
    if (!dir)
        return -1;
    double anorm = 0, xmax = max_abs(e->p->x + off, len), s = 1.0 / sqrt((double)len);
    for (size_t j = 0; j < len; j++)
        anorm += a[off + j] * a[off + j];
    anorm = sqrt(anorm);
    for (size_t d = 0; d < o->directions && !e->bad; d++) {
        double ad = 0, step;
        for (size_t j = 0; j < len; j++) {
            dir[j] = (rng_next(rng) >> 63) ? s : -s;
            ad += a[off + j] * dir[j];
        }
        char label[64];
        snprintf(label, sizeof label, "dJ/d%s . d%zu", b->name, d + 1);
        probe q = { 0, dir, off, len, label };
        double n = numeric(e, o, &q, xmax, &step);
        verdict v = judge(e, o, &q, ad, n, step, xmax, 1e-3 * anorm);
        br->directions++;
        record(br, bworst, &v);
    }
    free(dir);
    return 0;
}

static int check_block(evaluator *e, const gc_options *o, const gc_block *b, size_t off,
                       const double *a, rng_t *rng, gc_block_report *br, verdict *worst)
{
    verdict bworst = { -1.0, 0, 0, 0, 0, 0, 0, "" };
    snprintf(br->name, sizeof br->name, "dJ/d%s", b->name);
    br->total = block_size(b);
    if (check_coords(e, o, b, off, a, rng, br, &bworst) != 0)
        return -1;
    if (br->total > o->full_limit && check_directions(e, o, b, off, a, rng, br, &bworst) != 0)
        return -1;
    br->max_err = bworst.err < 0 ? 0 : bworst.err;
    snprintf(br->where, sizeof br->where, "%s", bworst.where);
    br->analytic = bworst.a;
    br->numeric = bworst.n;
    br->step = bworst.step;
    br->refined = bworst.refined;
    if (worse(&bworst, worst))
        *worst = bworst;
    return 0;
}

/* Names coordinate i of the whole vector x by its block. */
static void name_coord(const gc_problem *p, size_t i, char *buf, size_t size)
{
    for (size_t b = 0; b < p->nblocks; b++) {
        size_t len = block_size(&p->blocks[b]);
        if (i < len) {
            gc_coord_name(&p->blocks[b], i, buf, size);
            return;
        }
        i -= len;
    }
    snprintf(buf, size, "x[%zu]", i);
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
static int check_point(evaluator *e, double *a, double *a2, gc_report *r)
{
    const gc_problem *p = e->p;
    char name[64];
    r->loss = eval(e, a);
    if (!isfinite(r->loss)) {
        snprintf(r->note, sizeof r->note, "the loss at the check point is %g", r->loss);
        return -1;
    }
    size_t i = first_nonfinite(a, p->n);
    if (i < p->n) {
        name_coord(p, i, name, sizeof name);
        snprintf(r->note, sizeof r->note, "the analytic %s is %g", name, a[i]);
        return -1;
    }
    double again = eval(e, a2);
    i = first_difference(a, a2, p->n);
    if (again != r->loss || i < p->n) {
        if (i < p->n)
            name_coord(p, i, name, sizeof name);
        snprintf(r->note, sizeof r->note,
                 "non-deterministic: two evaluations at the same point differ (%s: %.17g vs %.17g); "
                 "hidden state, uninitialised memory or a random stream that is not reset",
                 i < p->n ? name : "loss", i < p->n ? a[i] : r->loss, i < p->n ? a2[i] : again);
        return -1;
    }
    return 0;
}

static void fill_worst(gc_report *r, const verdict *w)
{
    r->max_err = w->err < 0 ? 0 : w->err;
    snprintf(r->where, sizeof r->where, "%s", w->where);
    r->analytic = w->a;
    r->numeric = w->n;
    r->step = w->step;
    r->refined = w->refined;
    r->refined_err_est = w->err_est;
}

gc_status gc_check_gradient(const gc_problem *p, const gc_options *o, gc_report *r)
{
    memset(r, 0, sizeof *r);
    double t0 = now_seconds();
    double *a = calloc(p->n, sizeof *a), *a2 = calloc(p->n, sizeof *a2);
    double *x = malloc(p->n * sizeof *x);
    evaluator e = { p, x, 0, 0, "" };
    verdict worst = { -1.0, 0, 0, 0, 0, 0, 0, "" };
    r->status = GC_ERROR;
    if (!a || !a2 || !x) {
        snprintf(r->note, sizeof r->note, "out of memory");
        goto done;
    }
    memcpy(x, p->x, p->n * sizeof *x);
    r->status = GC_FAIL;
    if (check_point(&e, a, a2, r) != 0)
        goto done;
    rng_t rng;
    rng_seed(&rng, o->seed ^ 0x9c3f1a27d5b0e846ULL);
    size_t off = 0;
    for (size_t b = 0; b < p->nblocks && !e.bad; b++) {
        if (check_block(&e, o, &p->blocks[b], off, a, &rng, &r->blocks[b], &worst) != 0) {
            r->status = GC_ERROR;
            snprintf(r->note, sizeof r->note, "out of memory");
            goto done;
        }
        r->nblocks = b + 1;
        off += block_size(&p->blocks[b]);
    }
    fill_worst(r, &worst);
    if (e.bad) {
        snprintf(r->note, sizeof r->note, "%s", e.bad_note);
    } else if (max_abs(a, p->n) == 0 && !worst.wrong) {
        r->status = GC_VACUOUS;
        snprintf(r->note, sizeof r->note, "the gradient is zero at every checked coordinate and "
                 "the loss does not move there: this check proves nothing");
    } else if (max_abs(a, p->n) == 0) {
        snprintf(r->note, sizeof r->note, "the analytic gradient is zero everywhere but the loss "
                 "moves: was anything added into the gradient buffer?");
    } else if (worst.wrong) {
        size_t wrong = 0;
        for (size_t b = 0; b < r->nblocks; b++)
            wrong += r->blocks[b].wrong;
        snprintf(r->note, sizeof r->note, "%zu checked coordinate%s disagree%s with finite differences",
                 wrong, wrong == 1 ? "" : "s", wrong == 1 ? "s" : "");
    } else {
        r->status = GC_PASS;
    }
done:
    r->evals = e.evals;
    r->seconds = now_seconds() - t0;
    free(a), free(a2), free(x);
    return r->status;
}

int gc_problem_alloc(gc_problem *p, size_t n, size_t ctx_bytes)
{
    memset(p, 0, sizeof *p);
    p->x = calloc(n ? n : 1, sizeof *p->x);
    p->ctx = calloc(1, ctx_bytes ? ctx_bytes : 1);
    if (!p->x || !p->ctx) {
        gc_problem_free(p);
        return -1;
    }
    p->n = n;
    return 0;
}

void gc_problem_free(gc_problem *p)
{
    free(p->x);
    free(p->ctx);
    memset(p, 0, sizeof *p);
}
