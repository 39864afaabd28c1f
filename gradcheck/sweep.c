/* sweep.c — finite-difference error against the step size h: the V-shaped
 * curve of step-size plots. Truncation error falls with h (like h for
 * forward, h^2 for central, h^4 for Richardson differences); round-off error
 * grows like eps |f| / h. The analytic gradient is taken as the truth here.
 * Also the Taylor remainder against t, with the analytic gradient (slope 2)
 * and with it scaled by 1.1 (slope 1: what a wrong gradient gives). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "gc_internal.h"

/* f at the point moved by s along q; *taken is the step actually taken. */
static double f_at(evaluator *e, const probe *q, double s, double *taken)
{
    *taken = gc_displace(e, q, s);
    double f = gc_eval(e, NULL);
    gc_restore(e, q);
    return f;
}

static double central_at(evaluator *e, const probe *q, double h)
{
    double hp, hm;
    double fp = f_at(e, q, h, &hp), fm = f_at(e, q, -h, &hm);
    return (fp - fm) / (hp - hm);
}

/* The three errors at one step size (h scaled by max(1, |x_i|)). */
static void errors_at(evaluator *e, double floor, double h, double err[3])
{
    const double *a = e->grad;
    err[0] = err[1] = err[2] = 0;
    for (size_t i = 0; i < e->p->n; i++) {
        probe q = { i, NULL, 0, 0, "" };
        double hi = h * fmax(1.0, fabs(e->x0[i])), taken;
        double fwd = (f_at(e, &q, hi, &taken) - e->f0) / taken;
        double c1 = central_at(e, &q, hi), c2 = central_at(e, &q, hi / 2);
        double rich = (4.0 * c2 - c1) / 3.0;
        double d = fmax(fabs(a[i]), floor);
        err[0] = fmax(err[0], fabs(fwd - a[i]) / d);
        err[1] = fmax(err[1], fabs(c1 - a[i]) / d);
        err[2] = fmax(err[2], fabs(rich - a[i]) / d);
    }
}

/* Taylor remainders at step t along the direction of q (grad . d = ad): with
 * the analytic gradient (shrinks like t^2) and with it scaled by 1.1 (like t). */
static void taylor_at(evaluator *e, const probe *q, double ad, double t, double rem[2])
{
    double taken, f = f_at(e, q, t, &taken);
    rem[0] = fabs(f - e->f0 - t * ad);
    rem[1] = fabs(f - e->f0 - t * 1.1 * ad);
}

int gc_sweep(const gc_problem *p, FILE *out)
{
    evaluator e;
    gc_report r;
    gc_options o = gc_default_options();
    if (gc_problem_valid(p, NULL, 0) != 0 || p->custom || (p->map && p->kind != GC_GRADIENT) ||
        !out) {
        errno = EINVAL;
        return -1;
    }
    double *d = malloc(p->n * sizeof *d);
    if (!d) {
        errno = ENOMEM;
        return -1;
    }
    int status = 0;
    if (gc_open(&e, p, &o, &r) != 0) {
        errno = r.status == GC_ERROR ? ENOMEM : EDOM;
        status = -1;
        goto done;
    }
    double amax = gc_max_abs(e.grad, p->n), xmax = fmax(1.0, gc_max_abs(e.x0, p->n)), ad = 0;
    for (size_t i = 0; i < p->n; i++) {
        d[i] = (i * 2654435761u >> 7) % 2 ? 1.0 / sqrt((double)p->n) : -1.0 / sqrt((double)p->n);
        ad += e.grad[i] * d[i];
    }
    probe along = { 0, d, 0, p->n, "" };
    fprintf(out, "# gradcheck step sweep: largest error over %zu coordinates, "
                 "err = |numeric - analytic| / max(|analytic|, 1e-3 max|analytic|)\n", p->n);
    fprintf(out, "# taylor: |f(x + t d) - f(x) - t grad.d| at t = h * max(1, max|x|) along a fixed "
                 "unit direction d; taylor_wrong: the same with grad scaled by 1.1\n");
    fprintf(out, "# h\tforward\tcentral\trichardson\ttaylor\ttaylor_wrong\n");
    for (int k = 4; k <= 60; k++) {           /* h = 10^(-k/4): 1e-1 .. 1e-15 */
        double h = pow(10.0, -k / 4.0), err[3], rem[2];
        errors_at(&e, 1e-3 * amax, h, err);
        taylor_at(&e, &along, ad, h * xmax, rem);
        fprintf(out, "%.6e\t%.6e\t%.6e\t%.6e\t%.6e\t%.6e\n", h, err[0], err[1], err[2], rem[0],
                rem[1]);
    }
    if (fflush(out) != 0 || ferror(out)) {
        errno = errno ? errno : EIO;
        status = -1;
    }
done:
    gc_close(&e, &r);
    free(d);
    return status;
}
