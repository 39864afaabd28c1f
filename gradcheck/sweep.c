/* sweep.c — finite-difference error against the step size h: the V-shaped
 * curve of handout 00. Truncation error falls with h (like h for forward,
 * h^2 for central, h^4 for Richardson differences); round-off error grows like
 * eps |f| / h. The analytic gradient is taken as the truth here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gradcheck.h"

typedef struct {
    const gc_problem *p;
    double *x;
} point;

static double f_at(point *pt, size_t i, double s, double *taken)
{
    volatile double moved = pt->p->x[i] + s;
    pt->x[i] = moved;
    *taken = moved - pt->p->x[i];
    if (pt->p->reset)
        pt->p->reset(pt->p->ctx);
    double f = pt->p->f(pt->p->ctx, pt->x, NULL);
    pt->x[i] = pt->p->x[i];
    return f;
}

static double central_at(point *pt, size_t i, double h)
{
    double hp, hm;
    double fp = f_at(pt, i, h, &hp), fm = f_at(pt, i, -h, &hm);
    return (fp - fm) / (hp - hm);
}

/* The three errors at one step size (h scaled by max(1, |x_i|)). */
static void errors_at(point *pt, const double *a, double f0, double floor, double h, double err[3])
{
    err[0] = err[1] = err[2] = 0;
    for (size_t i = 0; i < pt->p->n; i++) {
        double hi = h * fmax(1.0, fabs(pt->p->x[i])), taken;
        double fwd = (f_at(pt, i, hi, &taken) - f0) / taken;
        double c1 = central_at(pt, i, hi), c2 = central_at(pt, i, hi / 2);
        double rich = (4.0 * c2 - c1) / 3.0;
        double d = fmax(fabs(a[i]), floor);
        err[0] = fmax(err[0], fabs(fwd - a[i]) / d);
        err[1] = fmax(err[1], fabs(c1 - a[i]) / d);
        err[2] = fmax(err[2], fabs(rich - a[i]) / d);
    }
}

/* Taylor remainders at step t along the unit direction d: with the analytic
 * gradient (shrinks like t^2) and with it scaled by 1.1 (only like t). */
static void taylor_at(point *pt, const double *d, double ad, double f0, double t, double rem[2])
{
    for (size_t j = 0; j < pt->p->n; j++)
        pt->x[j] = pt->p->x[j] + t * d[j];
    if (pt->p->reset)
        pt->p->reset(pt->p->ctx);
    double f = pt->p->f(pt->p->ctx, pt->x, NULL);
    memcpy(pt->x, pt->p->x, pt->p->n * sizeof *pt->x);
    rem[0] = fabs(f - f0 - t * ad);
    rem[1] = fabs(f - f0 - t * 1.1 * ad);
}

int gc_sweep(const gc_problem *p, FILE *out)
{
    double *a = calloc(p->n, sizeof *a), *x = malloc(p->n * sizeof *x);
    double *d = malloc(p->n * sizeof *d);
    if (!a || !x || !d) {
        free(a), free(x), free(d);
        return -1;
    }
    memcpy(x, p->x, p->n * sizeof *x);
    point pt = { p, x };
    if (p->reset)
        p->reset(p->ctx);
    double f0 = p->f(p->ctx, x, a), amax = 0;
    double ad = 0, xmax = 1;
    for (size_t i = 0; i < p->n; i++) {
        amax = fmax(amax, fabs(a[i]));
        xmax = fmax(xmax, fabs(p->x[i]));
        d[i] = (i * 2654435761u >> 7) % 2 ? 1.0 / sqrt((double)p->n) : -1.0 / sqrt((double)p->n);
        ad += a[i] * d[i];
    }
    fprintf(out, "# gradcheck step sweep: largest error over %zu coordinates, "
                 "err = |numeric - analytic| / max(|analytic|, 1e-3 max|analytic|)\n", p->n);
    fprintf(out, "# taylor: |f(x + t d) - f(x) - t grad.d| at t = h * max(1, max|x|) along a fixed "
                 "unit direction d; taylor_wrong: the same with grad scaled by 1.1\n");
    fprintf(out, "# h\tforward\tcentral\trichardson\ttaylor\ttaylor_wrong\n");
    for (int k = 4; k <= 60; k++) {           /* h = 10^(-k/4): 1e-1 .. 1e-15 */
        double h = pow(10.0, -k / 4.0), err[3], rem[2];
        errors_at(&pt, a, f0, 1e-3 * amax, h, err);
        taylor_at(&pt, d, ad, f0, h * xmax, rem);
        fprintf(out, "%.6e\t%.6e\t%.6e\t%.6e\t%.6e\t%.6e\n", h, err[0], err[1], err[2], rem[0],
                rem[1]);
    }
    free(a), free(x), free(d);
    return ferror(out) ? -1 : 0;
}
