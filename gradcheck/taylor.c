/* taylor.c — the Taylor test. Along a direction d,
 *     R(t) = | f(x + t d) - f(x) - t grad . d |
 * shrinks like t^2 when grad is right (the first-order terms cancel) and only
 * like t when it is wrong (t (grad - true grad) . d is left over). The fitted
 * slope of log R against log t is that order: reading it needs no tolerance.
 * Three random unit directions per parameter block (so a wrong block is named,
 * and one direction nearly orthogonal to the error cannot hide it); the
 * block's order is the smallest of the three. The steps t are absolute, not
 * scaled to |x|: a loss's curvature need not grow with its inputs (logits of
 * 1e4 whose softmax changes winner within a step of 1e3 gave order 1 for a
 * right gradient), and smaller steps only make a wrong gradient's t term
 * stand out more. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"

enum { STEPS = 13, DIRECTIONS = 3 };              /* t = 10^(-k/2), k = 0 .. 12: 1 down to 1e-6 */
#define PASS_ORDER 1.5

/* Least-squares slope of y against x. */
static double slope(const double *x, const double *y, size_t n)
{
    double mx = 0, my = 0, sxy = 0, sxx = 0;
    for (size_t i = 0; i < n; i++)
        mx += x[i] / (double)n, my += y[i] / (double)n;
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxy / sxx;
}

/* The order along dir over one block; INFINITY when R stays at round-off
 * (f is linear along d, so the first-order model is exact), NAN when f is
 * not finite somewhere on the way. *kink is set when the second difference
 * f(x + td) + f(x - td) - 2 f(x) also shrinks only like t: then f itself is
 * not differentiable at x along d, and no gradient could give t^2. */
static double block_order(evaluator *e, const probe *q, double ad, double scale, int *kink)
{
    double logt[STEPS], logr[STEPS], logs[STEPS];
    double moved = 0;              /* x + t d is rounded: f moves by up to eps sum |g_i x_i| */
    for (size_t j = 0; j < q->len; j++)
        moved += fabs(e->grad[q->lo + j] * e->p->x[q->lo + j]);
    double noise = 32 * DBL_EPSILON * fmax(fabs(e->f0), 1e-300) + 4 * DBL_EPSILON * moved;
    size_t k = 0, ks = 0;
    for (int s = STEPS - 1; s >= 0 && k < 5; s--) {     /* smallest t first */
        double t = pow(10.0, -s / 2.0) * scale;
        gc_displace(e, q, t);
        double fp = gc_eval(e, NULL);
        gc_displace(e, q, -t);
        double fm = gc_eval(e, NULL);
        gc_restore(e, q);
        if (!isfinite(fp) || !isfinite(fm))
            return NAN;
        double R = fabs(fp - e->f0 - t * ad), S = fabs(fp + fm - 2 * e->f0);
        if (R > noise && t <= 0.1 * scale) {
            logt[k] = log(t);
            logr[k] = log(R);
            logs[k] = log(fmax(S, noise));
            ks += S > noise;
            k++;
        }
    }
    *kink = k >= 3 && ks >= 3 && slope(logt, logs, k) < 1.5;
    return k >= 3 ? slope(logt, logr, k) : INFINITY;
}

static void unit_direction(gc_rng *rng, double *dir, size_t len)
{
    double s = 1.0 / sqrt((double)len);
    for (size_t j = 0; j < len; j++)
        dir[j] = (gc_rng_next(rng) >> 63) ? s : -s;
}

static void judge_orders(gc_report *r)
{
    char wrong[200] = "";
    r->order = INFINITY;
    for (size_t b = 0; b < r->nblocks; b++) {
        gc_block_report *br = &r->blocks[b];
        if (br->kinks && !r->kinks++) {
            snprintf(r->kink_where, sizeof r->kink_where, "%s", br->name);
            r->kink_left = r->kink_right = r->kink_analytic = NAN;
        }
        r->order = fmin(r->order, br->order);
        br->wrong = br->order < PASS_ORDER;
        if (br->wrong)
            snprintf(wrong + strlen(wrong), sizeof wrong - strlen(wrong), "%s%s (t^%.2f)",
                     wrong[0] ? ", " : "", br->name, br->order);
    }
    r->status = wrong[0] ? GC_FAIL : GC_PASS;
    if (wrong[0])
        snprintf(r->note, sizeof r->note, "the Taylor remainder shrinks only like t along %s: "
                 "that gradient is wrong (a right one gives t^2)", wrong);
}

gc_status gc_taylor(const gc_problem *p, const gc_options *o, gc_report *r)
{
    evaluator e;
    double *dir = malloc(p->n * sizeof *dir);
    if (gc_open(&e, p, r) != 0 || gc_contract(&e, o, r) != 0)
        goto done;
    if (!dir) {
        r->status = GC_ERROR;
        snprintf(r->note, sizeof r->note, "out of memory");
        goto done;
    }
    gc_rng rng;
    gc_rng_seed(&rng, o->seed ^ 0x7a11e5d3c0ffee01ULL);
    size_t off = 0;
    for (size_t b = 0; b < p->nblocks; off += r->blocks[b].total, b++) {
        gc_block_report *br = &r->blocks[b];
        snprintf(br->name, sizeof br->name, "dJ/d%s", p->blocks[b].name);
        br->total = gc_block_size(&p->blocks[b]);
        br->directions = DIRECTIONS;
        br->order = INFINITY;
        for (int k = 0; k < DIRECTIONS && !isnan(br->order); k++) {
            unit_direction(&rng, dir, br->total);
            double ad = 0;
            for (size_t j = 0; j < br->total; j++)
                ad += e.grad[off + j] * dir[j];
            probe q = { 0, dir, off, br->total, br->name };
            int kink = 0;
            double ord = block_order(&e, &q, ad, 1.0, &kink);   /* t from 1e-6 to 0.1, absolute */
            br->kinks += (size_t)kink;
            br->order = isnan(ord) ? ord : kink ? br->order : fmin(br->order, ord);
        }
        r->nblocks = b + 1;
        if (isnan(br->order)) {
            snprintf(r->note, sizeof r->note, "the loss is not finite along a direction in %s",
                     br->name);
            goto done;
        }
    }
    judge_orders(r);
done:
    gc_close(&e, r);
    free(dir);
    return r->status;
}
