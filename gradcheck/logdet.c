/* logdet.c — log |det A| by LU with partial pivoting, and the tests of a
 * square map that use it: its closed-form log|det J| against LU of J, and
 * its inverse (the round trip, and log|det J^-1| = -log|det J|). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "gc_internal.h"

/* Swaps rows k and piv of the m x m matrix a. */
static void swap_rows(double *a, size_t m, size_t k, size_t piv)
{
    for (size_t j = 0; j < m; j++) {
        double t = a[k * m + j];
        a[k * m + j] = a[piv * m + j];
        a[piv * m + j] = t;
    }
}

double gc_log_abs_det(const double *A, size_t m, int *sign)
{
    int s = 1, ignored;
    if (!sign)
        sign = &ignored;
    *sign = 0;
    if (!A || m == 0 || m > 65536) {
        errno = EINVAL;
        return NAN;
    }
    double *a = malloc(m * m * sizeof *a), logdet = 0.0;
    if (!a) {
        errno = ENOMEM;
        return NAN;
    }
    memcpy(a, A, m * m * sizeof *a);
    for (size_t k = 0; k < m; k++) {
        size_t piv = k;                               /* the largest |a[i][k]|, i >= k */
        for (size_t i = k + 1; i < m; i++)
            if (fabs(a[i * m + k]) > fabs(a[piv * m + k]))
                piv = i;
        if (a[piv * m + k] == 0.0) {
            free(a);
            *sign = 0;
            return -INFINITY;
        }
        if (piv != k) {
            swap_rows(a, m, k, piv);
            s = -s;
        }
        double pivot = a[k * m + k];
        logdet += log(fabs(pivot));
        s = pivot < 0 ? -s : s;
        for (size_t i = k + 1; i < m; i++) {          /* eliminate below the pivot */
            double f = a[i * m + k] / pivot;
            for (size_t j = k + 1; j < m; j++)
                a[i * m + j] -= f * a[k * m + j];
        }
    }
    free(a);
    *sign = s;
    return logdet;
}

/* dF/din by central differences: column j from F(x +- h_j e_j). */
static void numeric_jacobian(void (*F)(void *, const double *, double *), void *ctx,
                             const double *x, size_t m, double *J, double *tmp, size_t *evals)
{
    double *xp = tmp, *fp = tmp + m, *fm = tmp + 2 * m;
    memcpy(xp, x, m * sizeof *xp);
    for (size_t j = 0; j < m; j++) {
        double h = gc_prec_of(GC_DOUBLE)->step_central * fmax(1.0, fabs(x[j]));
        xp[j] = x[j] + h;
        double up = xp[j];
        F(ctx, xp, fp);
        xp[j] = x[j] - h;
        double down = xp[j];
        F(ctx, xp, fm);
        xp[j] = x[j];
        for (size_t i = 0; i < m; i++)
            J[i * m + j] = (fp[i] - fm[i]) / (up - down);   /* the step actually taken */
        *evals += 2;
    }
}

int gc_check_log_det(const double *J, size_t m, double closed, double lu, gc_report *r)
{
    double diff = closed - lu;
    if (fabs(diff) <= 1e-9 * fmax(1.0, fabs(lu)))
        return 1;
    int n = snprintf(r->note, sizeof r->note, "the closed-form log|det J| is %.10g but LU of the "
                     "Jacobian gives %.10g (off by %.6g)", closed, lu, diff);
    for (size_t k = 0; k < m; k++) {
        double term = log(fabs(J[k * m + k]));
        if (fabs(fabs(diff) - fabs(term)) <= 1e-9 * fmax(1.0, fabs(term)) && term != 0.0) {
            snprintf(r->note + n, sizeof r->note - (size_t)n, ": exactly log|J[%zu][%zu]|, a "
                     "diagonal term %s (an index range off by one?)", k, k,
                     (diff > 0) == (term > 0) ? "counted twice or one too many" : "left out");
            break;
        }
    }
    return 0;
}

int gc_check_inverse(const gc_map *f, double ld, double *work, gc_report *r, size_t *evals,
                     double *trip, double *inv_sum)
{
    size_t m = f->m;
    const double *x = f->x;
    double *y = work, *back = work + m, *NI = work + 2 * m, *tmp = NI + m * m;
    f->map(f->ctx, x, y);
    f->inverse(f->ctx, y, back);
    *evals += 2;
    double xmax = 1.0;
    *trip = 0.0;
    for (size_t i = 0; i < m; i++) {
        *trip = fmax(*trip, fabs(back[i] - x[i]));
        xmax = fmax(xmax, fabs(x[i]));
    }
    *trip /= xmax;
    if (!(*trip <= 1e-11)) {
        snprintf(r->note, sizeof r->note, "inverse(forward(x)) misses x by %.3g (relative to "
                 "max(1, |x|)); it should be round-off, about 1e-15", *trip);
        return 0;
    }
    numeric_jacobian(f->inverse, f->ctx, y, m, NI, tmp, evals);
    int sign;
    *inv_sum = gc_log_abs_det(NI, m, &sign) + ld;
    if (!(fabs(*inv_sum) <= 1e-6 * fmax(1.0, fabs(ld)))) {
        snprintf(r->note, sizeof r->note, "log|det| of the inverse's Jacobian (by differences "
                 "and LU) is %.10g, not minus the forward's %.10g", *inv_sum - ld, ld);
        return 0;
    }
    return 1;
}
