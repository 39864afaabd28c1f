/* judge.c — one analytic derivative against finite differences along one
 * probe (a coordinate or a unit direction) of whatever the evaluator
 * evaluates: a loss, or one entry (or one projection) of a map.
 *
 * Error of one value (handout 00):
 *     err = |a - n| / max(|a|, |n|, floor),  floor = 1e-3 * (largest |a| or |n| in the block)
 * It agrees when |a - n| <= atol + rtol max(|a|, |n|, floor) (with atol 0: err <= rtol).
 * A value that does not is re-derived by Richardson extrapolation over a
 * tableau of shrinking steps, which also estimates its own error e; it is
 * wrong only if |a - n*| > atol + rtol max(|a|, |n*|, floor) + 4 e + (f's
 * round-off at the step used). A value that agrees only thanks to those last
 * two terms says so (verdict.relied), with their size.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gc_internal.h"

const verdict GC_NO_VERDICT = { -1.0, 0, 0, 0, 0, 0, 0, "", 0, 0, 0, 0, 0, 0, 0 };

int gc_worse(const verdict *v, const verdict *w)
{
    return v->wrong != w->wrong ? v->wrong > w->wrong : v->err > w->err;
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

double gc_numeric(evaluator *e, gc_method m, const probe *q, double scale, double *step)
{
    double h = gc_step(&e->j, m, scale);
    *step = h;
    return m == GC_RICHARDSON ? richardson(e, q, h) : central(e, q, h, 1);
}

/* Extrapolates central differences over steps h0, h0/1.6, h0/1.6^2, ... (a
 * Neville tableau in h^2) until the diagonal moves by twice the smallest
 * error seen (round-off starts to dominate). Returns the
 * estimate whose own error estimate plus f's round-off at its step is
 * smallest, that error estimate in *err (Inf when nothing was finite) and
 * the smallest step it used in *h_used. */
static double extrapolate(evaluator *e, const probe *q, double h0, double *err, double *h_used)
{
    enum { LEVELS = 12 };
    const double shrink2 = 1.6 * 1.6;
    double T[LEVELS][LEVELS], h = h0, best = NAN, total = INFINITY, smallest = INFINITY;
    *err = INFINITY;
    T[0][0] = central(e, q, h, 0);
    for (int k = 1; k < LEVELS && isfinite(T[k - 1][0]); k++) {
        h /= 1.6;
        T[k][0] = central(e, q, h, 0);
        double fac = shrink2, rounding = gc_roundoff(e, h);
        for (int j = 1; j <= k; j++) {
            T[k][j] = (fac * T[k][j - 1] - T[k - 1][j - 1]) / (fac - 1.0);
            fac *= shrink2;
            double ej = fmax(fabs(T[k][j] - T[k][j - 1]), fabs(T[k][j] - T[k - 1][j - 1]));
            smallest = fmin(smallest, ej);
            if (ej + rounding <= total) {
                total = ej + rounding;
                *err = ej;
                best = T[k][j];
                *h_used = h;
            }
        }
        if (fabs(T[k][k] - T[k - 1][k - 1]) >= 2.0 * smallest)
            break;
    }
    return best;
}

/* Re-derives a disagreeing derivative as accurately as finite differences
 * can: extrapolation from a step scaled to |x| and from two absolute steps
 * (the curvature of f need not grow with |x|), keeping the estimate whose
 * own error plus f's round-off at its step is smallest (that step in *h_used). */
static double refine(evaluator *e, const probe *q, double scale, double *err, double *h_used)
{
    const double starts[3] = { 1e-2 * fmax(1.0, scale), 1e-1, 1e-3 };
    double best = NAN, total = INFINITY;
    *err = INFINITY;
    for (int s = 0; s < 3; s++) {
        double es, hs = starts[s], d = extrapolate(e, q, starts[s], &es, &hs);
        if (isfinite(d) && es + gc_roundoff(e, hs) < total) {
            total = es + gc_roundoff(e, hs);
            *err = es;
            best = d;
            *h_used = hs;
        }
    }
    return best;
}

static double rel_err(double a, double n, double floor)
{
    double d = fmax(fmax(fabs(a), fabs(n)), floor);
    return d > 0 ? fabs(a - n) / d : 0.0;
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
    if (gap1 <= 1e-3 * mag || gap2 < 0.5 * gap1 || gap2 <= 4.0 * gc_roundoff(e, h / 16))
        return 0;                              /* no gap, a shrinking one, or rounding's */
    v->left = l2;
    v->right = r2;
    return 1;
}

/* At a kink: a passes anywhere between the one-sided derivatives (a
 * subgradient) or, when the problem names a side (a convention such as
 * relu'(0) = 0) and the probe is a coordinate, only at that side's
 * derivative. (Along a direction d the convention's side is that of the sign
 * of d's entries at the kink, which the checker does not know.) */
static int side_of(const evaluator *e, const probe *q)
{
    return q->dir ? 0 : e->p->kink_side;
}

static void judge_kink(const evaluator *e, const probe *q, verdict *v, double a, double slack,
                       double floor)
{
    int side = side_of(e, q);
    double want = side < 0 ? v->left : v->right;
    v->kink = 1;
    if (side)
        v->wrong = fabs(a - want) > slack;
    else
        v->wrong = a < fmin(v->left, v->right) - slack || a > fmax(v->left, v->right) + slack;
    if (!v->wrong)
        v->err = 0;          /* an accepted kink is reported on its own line, not as an error */
    else if (side)
        v->err = rel_err(a, want, floor);
}

verdict gc_judge(evaluator *e, const probe *q, double a, double n, double step, double scale,
                 double floor)
{
    verdict v = GC_NO_VERDICT;
    v.err = rel_err(a, n, floor), v.a = a, v.n = n, v.step = step;
    v.direction = q->dir != NULL;
    snprintf(v.where, sizeof v.where, "%s", q->label);
    if (v.err <= e->j.rtol || e->bad ||
        gc_within(&e->j, a, n, fmax(fmax(fabs(a), fabs(n)), floor))) {
        double mag = fmax(fmax(fabs(a), fabs(n)), floor);   /* a value a convention forbids may */
        if (!e->bad && side_of(e, q) && find_kink(e, q, step, mag, &v))   /* agree with n */
            judge_kink(e, q, &v, a, e->j.atol + e->j.rtol * mag, floor);
        return v;
    }
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
    double tolerated = e->j.atol + e->j.rtol * mag;
    double noise = 4.0 * fmin(est_err, 1e-3 * mag);           /* noise, not doubt */
    double rounding = gc_roundoff(e, h_used);
    double allowed = tolerated + noise + rounding;
    v.wrong = fabs(a - n2) > allowed;
    if (!v.wrong && fabs(a - n2) > tolerated) {
        v.relied = 1;
        v.allowance = (noise + rounding) / mag;
        v.roundoff = rounding / mag;
    }
    if (v.wrong && find_kink(e, q, step, mag, &v))
        judge_kink(e, q, &v, a, tolerated, floor);
    return v;
}

void gc_note_allowance(gc_report *r, const verdict *v)
{
    if (!v->relied || v->wrong || v->kink)
        return;
    if (r->relied++ && v->err <= r->allowance_err)
        return;
    r->allowance = v->allowance;
    r->allowance_err = v->err;
    r->allowance_roundoff = v->roundoff;
    snprintf(r->allowance_where, sizeof r->allowance_where, "%s", v->where);
}
