/* taylor.c — the Taylor test. Along a direction d,
 *     R(t) = | f(x + t d) - f(x) - t grad . d |
 * shrinks like t^2 when grad is right (the first-order terms cancel) and only
 * like t when it is wrong (t (grad - true grad) . d is left over). The fitted
 * slope of log R against log t is that order: reading it needs no tolerance.
 * Second order subtracts t^2/2 d.H d too: the remainder shrinks like t^3 when
 * H is right, like t^2 when it is wrong (and like t when the gradient is).
 * Three random unit directions per parameter block (so a wrong block is named,
 * and one direction nearly orthogonal to the error cannot hide it); the
 * block's order is the smallest of the three. The steps t are absolute, not
 * scaled to |x|: a loss's curvature need not grow with its inputs (logits of
 * 1e4 whose softmax changes winner within a step of 1e3 gave order 1 for a
 * right gradient), and smaller steps only make a wrong gradient's t term
 * stand out more.
 *
 * Only remainders above f's round-off are fitted. The round-off is first
 * estimated from |f| and the size of the move; when that gives a failing
 * order (or a kink), it is measured: f a hair away from x along d, where no
 * Taylor term is left, shows the rounding that a flat remainder is made of
 * (a loss that sums to nearly zero rounds like its terms, not like its sum;
 * a layer norm is exactly flat along its shift invariance). */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"

enum { STEPS = 13, DIRECTIONS = 3, FIT = 5 };     /* t = 10^(-k/2), k = 0 .. 12: 1 down to 1e-6 */

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

/* One line x + t d: the model's terms along it. */
typedef struct {
    evaluator *e;
    const probe *q;
    double ad;               /* grad . d */
    double dhd;              /* d . H d (second order), else 0 */
    int second;
} line;

/* f at x + t d and x - t d; 0, or -1 when either is not finite. */
static int both_sides(const line *l, double t, double *fp, double *fm)
{
    gc_displace(l->e, l->q, t);
    *fp = gc_eval(l->e, NULL);
    gc_displace(l->e, l->q, -t);
    *fm = gc_eval(l->e, NULL);
    gc_restore(l->e, l->q);
    return isfinite(*fp) && isfinite(*fm) ? 0 : -1;
}

/* The remainder at t from f(x + t d). */
static double taylor_remainder(const line *l, double t, double fp)
{
    return fabs(fp - l->e->f0 - t * l->ad - (l->second ? 0.5 * t * t * l->dhd : 0.0));
}

/* The round-off a remainder is made of where no Taylor term is left: f at
 * x +- s d for s a hair above the rounding of x. */
static double measured_noise(const line *l, double scale)
{
    double worst = 0;
    for (int k = 1; k <= 2; k++) {
        double s = k * 1e-9 * scale, fp, fm;
        if (both_sides(l, s, &fp, &fm) != 0)
            return INFINITY;
        worst = fmax(worst, fmax(taylor_remainder(l, s, fp), taylor_remainder(l, -s, fm)));
    }
    return worst;
}

/* The fitted order over the `fit` smallest steps whose remainder is above
 * noise (t <= 0.1 scale); INFINITY when fewer than 3 are (f follows its
 * model to round-off along d), NAN when f is not finite on the way. *kink:
 * the second difference f(x + td) + f(x - td) - 2 f(x) shrinks only like t,
 * so f itself is not differentiable at x along d.
 * The first reading (`again` 0) evaluates from the smallest t up until 5
 * steps are found, and fits the second difference over the same steps (at
 * noise where it is below). The re-examination (`again` 1) evaluates every
 * step and fits the 3 smallest steps above 4 noise, remainder and second
 * difference each on its own: the asymptotic order, which a remainder whose
 * t^2 and t^3 terms cancel further out (a small d.H d) cannot lower. */
static double fit_order(const line *l, double scale, double noise, int again, int *kink)
{
    double logt[STEPS], logr[STEPS], logs[STEPS], logts[STEPS], logsa[STEPS];
    size_t k = 0, ks = 0, ka = 0, fit = again ? 3 : FIT;
    double floor = again ? 4 * noise : noise;
    for (int s = STEPS - 1; s >= 0 && (again || k < FIT); s--) {     /* smallest t first */
        double t = pow(10.0, -s / 2.0) * scale, fp, fm;
        if (both_sides(l, t, &fp, &fm) != 0)
            return NAN;
        double R = taylor_remainder(l, t, fp), S = fabs(fp + fm - 2 * l->e->f0);
        if (t > 0.1 * scale)
            continue;
        if (R > floor && k < fit) {
            logt[k] = log(t);
            logr[k] = log(R);
            logs[k] = log(fmax(S, noise));
            ks += S > noise;
            k++;
        }
        if (again && S > floor && ka < fit)
            logts[ka] = log(t), logsa[ka++] = log(S);
    }
    if (again)
        *kink = !l->second && ka >= 3 && slope(logts, logsa, ka) < 1.5;
    else
        *kink = !l->second && k >= 3 && ks >= 3 && slope(logt, logs, k) < 1.5;
    return k >= 3 ? slope(logt, logr, k) : INFINITY;
}

/* The order along one direction: with the noise estimated from |f| and the
 * move; when that fails (or sees a kink), re-examined above the measured
 * noise when that is higher. */
static double line_order(const line *l, double scale, double pass, int *kink)
{
    evaluator *e = l->e;
    const probe *q = l->q;
    double moved = 0;              /* x + t d is rounded: f moves by up to eps sum |g_i x_i| */
    for (size_t j = 0; j < q->len; j++)
        moved += fabs(e->grad[q->lo + j] * e->x0[q->lo + j]);
    double eps = e->j.prec->eps;
    double noise = 32 * eps * fmax(fabs(e->f0), 1e-300) + 4 * eps * moved
                 + 2 * e->j.nondet_tol * fabs(e->f0);
    double ord = fit_order(l, scale, noise, 0, kink);
    if (isnan(ord) || (!(ord < pass) && !*kink))
        return ord;
    double measured = measured_noise(l, scale);
    if (!isfinite(measured))
        return NAN;
    return fit_order(l, scale, fmax(noise, 8 * measured), 1, kink);
}

static void judge_orders(gc_report *r)
{
    char wrong[200] = "";
    double pass = r->order_want - 0.5;
    r->order = INFINITY;
    for (size_t b = 0; b < r->nblocks; b++) {
        gc_block_report *br = &r->blocks[b];
        if (br->kinks && !r->kinks++) {
            snprintf(r->kink_where, sizeof r->kink_where, "%s", br->name);
            r->kink_left = r->kink_right = r->kink_analytic = NAN;
        }
        r->order = fmin(r->order, br->order);
        br->wrong = br->order < pass;
        br->wrong_directions = br->wrong;
        if (br->wrong)
            snprintf(wrong + strlen(wrong), sizeof wrong - strlen(wrong), "%s%s (t^%.2f)",
                     wrong[0] ? ", " : "", br->name, br->order);
    }
    r->status = wrong[0] ? GC_FAIL : GC_PASS;
    if (wrong[0] && r->order_want == 2)
        snprintf(r->note, sizeof r->note, "the Taylor remainder shrinks only like t along %s: "
                 "that gradient is wrong (a right one gives t^2)", wrong);
    else if (wrong[0])
        snprintf(r->note, sizeof r->note, "the second-order Taylor remainder shrinks too slowly "
                 "along %s: a right Hessian gives t^3, a wrong one t^2, a wrong gradient t", wrong);
}

/* H d for d laid over [off, off + len) of an n-vector of zeros. */
static int along(gc_hv_fn hv, void *arg, const double *dir, size_t off, size_t len, size_t n,
                 double *full, double *Hd, double *dhd)
{
    memset(full, 0, n * sizeof *full);
    memcpy(full + off, dir, len * sizeof *full);
    memset(Hd, 0, n * sizeof *Hd);
    if (hv(arg, full, Hd) != 0)
        return -1;
    *dhd = 0;
    for (size_t j = 0; j < len; j++)
        *dhd += dir[j] * Hd[off + j];
    return 0;
}

gc_status gc_taylor(const gc_problem *p, const gc_options *o, gc_hv_fn hv, void *arg,
                    gc_report *r)
{
    evaluator e;
    size_t n = p->n;
    double *dir = malloc((hv ? 3 : 1) * n * sizeof *dir), *full = dir ? dir + n : NULL,
           *Hd = full ? full + n : NULL;
    if (gc_open(&e, p, o, r) != 0 || gc_contract(&e, o, r) != 0)
        goto done;
    if (!dir) {
        r->status = GC_ERROR, r->error = ENOMEM;
        snprintf(r->note, sizeof r->note, "out of memory");
        goto done;
    }
    r->order_want = hv ? 3 : 2;
    gc_rng rng;
    gc_rng_seed(&rng, o->seed ^ 0x7a11e5d3c0ffee01ULL);
    size_t off = 0;
    for (size_t b = 0; b < p->nblocks; off += r->blocks[b].total, b++) {
        gc_block_report *br = &r->blocks[b];
        if (hv)
            snprintf(br->name, sizeof br->name, "d2J/d%s d%s", p->blocks[b].name,
                     p->blocks[b].name);
        else
            snprintf(br->name, sizeof br->name, "dJ/d%s", p->blocks[b].name);
        br->total = gc_block_size(&p->blocks[b]);
        br->directions = DIRECTIONS;
        br->order = INFINITY;
        for (int k = 0; k < DIRECTIONS && !isnan(br->order); k++) {
            gc_rng_direction(&rng, dir, br->total);
            double ad = 0, dhd = 0;
            for (size_t j = 0; j < br->total; j++)
                ad += e.grad[off + j] * dir[j];
            if (hv && along(hv, arg, dir, off, br->total, n, full, Hd, &dhd) != 0) {
                snprintf(r->note, sizeof r->note, "the Hessian-vector product refused the check "
                         "point (returned non-zero)");
                goto done;
            }
            probe q = { 0, dir, off, br->total, br->name };
            line l = { &e, &q, ad, dhd, hv != NULL };
            int kink = 0;
            double ord = line_order(&l, 1.0, r->order_want - 0.5, &kink);   /* t: 1e-6 .. 0.1 */
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
