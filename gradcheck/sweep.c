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

int gc_sweep(const gc_problem *p, FILE *out)
{
    double *a = calloc(p->n, sizeof *a), *x = malloc(p->n * sizeof *x);
    if (!a || !x) {
        free(a), free(x);
        return -1;
    }
    memcpy(x, p->x, p->n * sizeof *x);
    point pt = { p, x };
    if (p->reset)
        p->reset(p->ctx);
    double f0 = p->f(p->ctx, x, a), amax = 0;
    for (size_t i = 0; i < p->n; i++)
        amax = fmax(amax, fabs(a[i]));
    fprintf(out, "# gradcheck step sweep: largest error over %zu coordinates, "
                 "err = |numeric - analytic| / max(|analytic|, 1e-3 max|analytic|)\n", p->n);
    fprintf(out, "# h\tforward\tcentral\trichardson\n");
    for (int k = 4; k <= 60; k++) {           /* h = 10^(-k/4): 1e-1 .. 1e-15 */
        double h = pow(10.0, -k / 4.0), err[3];
        errors_at(&pt, a, f0, 1e-3 * amax, h, err);
        fprintf(out, "%.6e\t%.6e\t%.6e\t%.6e\n", h, err[0], err[1], err[2]);
    }
    free(a), free(x);
    return ferror(out) ? -1 : 0;
}
