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
#include "gc_internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


gc_options gc_default_options(void)
{
    gc_options o = { GC_CENTRAL, 1e-6, 1, 2048, 64, 8 };
    return o;
}

const char *gc_status_name(gc_status s)
{
    static const char *names[] = { "PASS", "FAIL", "VACUOUS", "NOT IMPLEMENTED",
                                   "CRASH", "TIMEOUT", "ERROR" };
    return s >= GC_PASS && s <= GC_ERROR ? names[s] : "UNKNOWN";
}

const char *gc_method_name(gc_method m)
{
    return m == GC_RICHARDSON ? "richardson" : m == GC_TAYLOR ? "taylor" : "central";
}

/* Central difference (f(x + h d) - f(x - h d)) / (2h) with the steps actually
 * taken. A non-finite evaluation returns NaN; when `flag` is set it also
 * marks the whole check bad (the main pass), else it is quietly skipped
 * (the extrapolation tries large steps that may leave the domain). */
static double central(evaluator *e, const probe *q, double h, int flag)
{
    double hp = gc_displace(e, q, h);
    double fp = gc_eval(e, NULL);
    double hm = -gc_displace(e, q, -h);
    double fm = gc_eval(e, NULL);
    gc_restore(e, q);
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
 * estimate, its own error estimate in *err (Inf when nothing was finite) and
 * the smallest step it used in *h_used. */
static double extrapolate(evaluator *e, const probe *q, double h0, double *err, double *h_used)
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
                *h_used = h;
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
 * own error is smallest (the smallest step it used in *h_used). */
static double refine(evaluator *e, const probe *q, double scale, double *err, double *h_used)
{
    const double starts[3] = { 1e-2 * fmax(1.0, scale), 1e-1, 1e-3 };
    double best = NAN;
    *err = INFINITY;
    for (int s = 0; s < 3; s++) {
        double es, hs = starts[s], d = extrapolate(e, q, starts[s], &es, &hs);
        if (isfinite(d) && es < *err) {
            *err = es;
            best = d;
            *h_used = hs;
        }
    }
    return best;
}

/* What rounding f alone can put into a difference quotient at step h: f is
 * known to about eps |f| at best, a sum over n coordinates is rounded once
 * per term after the one that moved (the errors add up like a random walk,
 * sqrt(n)), and the quotient divides by h. Negligible for losses of ordinary
 * size; for sum x_i^3 over 10^6 coordinates (|f| ~ 1e11) it is what stops
 * finite differences resolving 1e-6. */
static double roundoff(const evaluator *e, double h)
{
    return 8.0 * DBL_EPSILON * fabs(e->f0) * sqrt((double)e->p->n) / h;
}

static double rel_err(double a, double n, double floor)
{
    double d = fmax(fmax(fabs(a), fabs(n)), floor);
    return d > 0 ? fabs(a - n) / d : 0.0;
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
static size_t pick_coords(const gc_options *o, const double *a, size_t len, gc_rng *rng, size_t *idx)
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
        size_t c = gc_rng_index(rng, len), j = 0;
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
    int kink;                /* f has a kink inside the stencil */
    double left, right;      /* its one-sided derivatives */
} verdict;

/* No coordinate judged yet: any verdict is worse than this one. */
static const verdict NO_VERDICT = { -1.0, 0, 0, 0, 0, 0, 0, "", 0, 0, 0 };

/* A wrong coordinate is worse than any right one; then the larger error. */
static int worse(const verdict *v, const verdict *w)
{
    return v->wrong != w->wrong ? v->wrong > w->wrong : v->err > w->err;
}

/* One-sided differences (f(x + h) - f0) / h and (f0 - f(x - h)) / h. */
static int one_sided(evaluator *e, const probe *q, double h, double *left, double *right)
{
    double hp = gc_displace(e, q, h);
    double fp = gc_eval(e, NULL);
    double hm = -gc_displace(e, q, -h);
    double fm = gc_eval(e, NULL);
    gc_restore(e, q);
    if (!isfinite(fp) || !isfinite(fm))
        return -1;
    *right = (fp - e->f0) / hp;
    *left = (e->f0 - fm) / hm;
    return 0;
}

/* Is f not differentiable inside the stencil (ReLU at 0, a max changing
 * winner)? On a smooth f the gap between the one-sided derivatives shrinks
 * with h; at a kink it stays. Fills v->left/right and returns 1 then. */
static int find_kink(evaluator *e, const probe *q, double h, double mag, verdict *v)
{
    double l1, r1, l2, r2;
    if (one_sided(e, q, h, &l1, &r1) != 0 || one_sided(e, q, h / 16, &l2, &r2) != 0)
        return 0;
    double gap1 = fabs(r1 - l1), gap2 = fabs(r2 - l2);
    if (gap1 <= 1e-3 * mag || gap2 < 0.5 * gap1 || gap2 <= 4.0 * roundoff(e, h / 16))
        return 0;                              /* no gap, a shrinking one, or rounding's */
    v->left = l2;
    v->right = r2;
    return 1;
}

/* Compares a with the numeric derivative n along q; re-derives before a FAIL,
 * and accepts a kink when a lies between the one-sided derivatives. */
static verdict judge(evaluator *e, const gc_options *o, const probe *q, double a,
                     double n, double step, double scale, double floor)
{
    verdict v = { rel_err(a, n, floor), a, n, step, 0.0, 0, 0, "", 0, 0, 0 };
    snprintf(v.where, sizeof v.where, "%s", q->label);
    if (v.err <= o->tol || e->bad)
        return v;
    double est_err, h_used = step, n2 = refine(e, q, scale, &est_err, &h_used);
    if (e->bad || !isfinite(n2)) {
        v.wrong = 1;
        return v;
    }
    v.refined = 1;
    v.n = n2;
    v.err_est = est_err;
    v.err = rel_err(a, n2, floor);
    double mag = fmax(fmax(fabs(a), fabs(n2)), floor);
    double allowed = o->tol * mag + 4.0 * fmin(est_err, 1e-3 * mag)   /* noise, not doubt */
                   + roundoff(e, h_used);
    v.wrong = fabs(a - n2) > allowed;
    if (v.wrong && find_kink(e, q, step, mag, &v)) {
        v.kink = 1;
        double slack = o->tol * mag;
        v.wrong = a < fmin(v.left, v.right) - slack || a > fmax(v.left, v.right) + slack;
        if (!v.wrong)
            v.err = 0;       /* an accepted kink is reported on its own line, not as an error */
    }
    return v;
}

static void record(gc_block_report *br, verdict *bworst, const verdict *v)
{
    br->wrong += v->wrong;
    br->kinks += v->kink && !v->wrong;
    if (worse(v, bworst))
        *bworst = *v;
}

/* What the per-coordinate verdicts leave for the diagnosis and the report. */
typedef struct {
    double *num;             /* numeric derivative per coordinate, NaN where unchecked */
    unsigned char *wrong;    /* verdict per coordinate */
    verdict kink;            /* the first accepted kink (kink.kink == 0: none) */
    size_t kinks;
} coord_log;

/* Every (or every sampled) coordinate of one block: numeric values first, so
 * that the error floor knows the block's scale, then the verdicts. */
static int check_coords(evaluator *e, const gc_options *o, const gc_block *b, size_t off,
                        const double *a, gc_rng *rng, gc_block_report *br, verdict *bworst,
                        coord_log *log)
{
    size_t len = gc_block_size(b), cap = len <= o->full_limit ? len : o->sample;
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
        log->num[i] = v.n;
        log->wrong[i] = (unsigned char)v.wrong;
        if (v.kink && !v.wrong && log->kinks++ == 0)
            log->kink = v;
    }
    free(idx), free(num), free(steps);
    return 0;
}

/* Random unit directions d over a large block: grad . d against the
 * directional difference; catches a wrong entry that sampling missed. */
static int check_directions(evaluator *e, const gc_options *o, const gc_block *b, size_t off,
                            const double *a, gc_rng *rng, gc_block_report *br, verdict *bworst,
                            coord_log *log)
{
    size_t len = gc_block_size(b);
    double *dir = malloc(len * sizeof *dir);
    if (!dir)
        return -1;
    double anorm = 0, xmax = gc_max_abs(e->p->x + off, len), s = 1.0 / sqrt((double)len);
    for (size_t j = 0; j < len; j++)
        anorm += a[off + j] * a[off + j];
    anorm = sqrt(anorm);
    for (size_t d = 0; d < o->directions && !e->bad; d++) {
        double ad = 0, step;
        for (size_t j = 0; j < len; j++) {
            dir[j] = (gc_rng_next(rng) >> 63) ? s : -s;
            ad += a[off + j] * dir[j];
        }
        char label[64];
        snprintf(label, sizeof label, "dJ/d%s . d%zu", b->name, d + 1);
        probe q = { 0, dir, off, len, label };
        double n = numeric(e, o, &q, xmax, &step);
        verdict v = judge(e, o, &q, ad, n, step, xmax, 1e-3 * anorm);
        br->directions++;
        record(br, bworst, &v);
        if (v.kink && !v.wrong && log->kinks++ == 0)     /* a kink along d, as along a coordinate */
            log->kink = v;
    }
    free(dir);
    return 0;
}

static int check_block(evaluator *e, const gc_options *o, const gc_block *b, size_t off,
                       const double *a, gc_rng *rng, gc_block_report *br, verdict *worst,
                       coord_log *log)
{
    verdict bworst = NO_VERDICT;
    snprintf(br->name, sizeof br->name, "dJ/d%s", b->name);
    br->total = gc_block_size(b);
    if (check_coords(e, o, b, off, a, rng, br, &bworst, log) != 0)
        return -1;
    if (br->total > o->full_limit && check_directions(e, o, b, off, a, rng, br, &bworst, log) != 0)
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

/* The problem's own explanation, when it has one and it fits, before the
 * diagnosis's general findings. */
static void explain(const gc_problem *p, const double *a, const double *num, gc_report *r)
{
    char known[sizeof r->diagnosis] = "", text[3 * sizeof r->diagnosis];
    if (p->explain)
        p->explain(p, a, num, known, sizeof known);
    if (!known[0])
        return;
    snprintf(text, sizeof text, "likely: %s. %s", known, r->diagnosis);
    gc_fit_text(r->diagnosis, sizeof r->diagnosis, text);
}

/* The verdict of the whole check, once every block is done. */
static void conclude(const gc_problem *p, const double *a, const evaluator *e, const verdict *worst,
                     const coord_log *log, gc_report *r)
{
    fill_worst(r, worst);
    r->status = GC_FAIL;
    if (e->bad) {
        snprintf(r->note, sizeof r->note, "%s", e->bad_note);
    } else if (gc_max_abs(a, p->n) == 0 && !worst->wrong) {
        r->status = GC_VACUOUS;
        snprintf(r->note, sizeof r->note, "the gradient is zero at every checked coordinate and "
                 "the loss does not move there: this check proves nothing");
    } else if (gc_max_abs(a, p->n) == 0) {
        snprintf(r->note, sizeof r->note, "the analytic gradient is zero everywhere but the loss "
                 "moves: was anything added into the gradient buffer?");
    } else if (worst->wrong) {
        size_t wrong = 0;
        for (size_t b = 0; b < r->nblocks; b++)
            wrong += r->blocks[b].wrong;
        int n = snprintf(r->note, sizeof r->note, "%zu checked coordinate%s disagree%s with finite "
                         "differences", wrong, wrong == 1 ? "" : "s", wrong == 1 ? "s" : "");
        if (worst->kink)
            snprintf(r->note + n, sizeof r->note - (size_t)n, "; %s is at a kink (left derivative "
                     "%.6g, right %.6g) and the analytic %.6g lies outside them", worst->where,
                     worst->left, worst->right, worst->a);
        gc_diagnose(p, a, log->num, log->wrong, r);
        explain(p, a, log->num, r);
    } else {
        r->status = GC_PASS;
    }
    r->kinks = log->kinks;
    if (log->kinks) {
        snprintf(r->kink_where, sizeof r->kink_where, "%s", log->kink.where);
        r->kink_left = log->kink.left;
        r->kink_right = log->kink.right;
        r->kink_analytic = log->kink.a;
    }
}

/* Fills *r as an ERROR saying why p or o cannot be checked; returns 1 then. */
static int refuse(const gc_problem *p, const gc_options *o, gc_report *r)
{
    const char *why = gc_problem_valid(p);
    if (!why[0])
        why = gc_options_valid(o);
    if (!why[0])
        return 0;
    memset(r, 0, sizeof *r);
    r->status = GC_ERROR;
    snprintf(r->note, sizeof r->note, "%s", why);
    return 1;
}

gc_status gc_check_gradient(const gc_problem *p, const gc_options *o, gc_report *r)
{
    if (!r)
        return GC_ERROR;
    if (refuse(p, o, r))
        return GC_ERROR;
    if (p->custom)
        return p->custom(p, o, r);
    if (p->map)
        return gc_check_map(p->map, o, r);
    if (o->method == GC_TAYLOR)
        return gc_taylor(p, o, r);
    evaluator e;
    double *num = malloc(p->n * sizeof *num);
    unsigned char *wrong = calloc(p->n, 1);
    coord_log log = { num, wrong, NO_VERDICT, 0 };
    verdict worst = NO_VERDICT;
    if (gc_open(&e, p, r) != 0 || gc_contract(&e, o, r) != 0)
        goto done;
    if (!num || !wrong) {
        r->status = GC_ERROR;
        snprintf(r->note, sizeof r->note, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < p->n; i++)
        num[i] = NAN;
    gc_rng rng;
    gc_rng_seed(&rng, o->seed ^ 0x9c3f1a27d5b0e846ULL);
    size_t off = 0;
    for (size_t b = 0; b < p->nblocks && !e.bad; b++) {
        if (check_block(&e, o, &p->blocks[b], off, e.grad, &rng, &r->blocks[b], &worst, &log) != 0) {
            r->status = GC_ERROR;
            snprintf(r->note, sizeof r->note, "out of memory");
            goto done;
        }
        r->nblocks = b + 1;
        off += gc_block_size(&p->blocks[b]);
    }
    conclude(p, e.grad, &e, &worst, &log, r);
done:
    gc_close(&e, r);
    free(num), free(wrong);
    return r->status;
}
