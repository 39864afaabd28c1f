/* jacobian.c — the checker for vector-valued maps f: R^m -> R^m (lab 5):
 * the analytic Jacobian against central differences entry by entry, its
 * log |det| by LU with partial pivoting against the closed form, the round
 * trip inverse(f(x)) = x, and log |det| of the inverse (its Jacobian by
 * differences, then LU) against minus the forward one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"

double gc_log_abs_det(const double *A, size_t m, int *sign)
{
    int s = 1, ignored;
    if (!sign)
        sign = &ignored;
    *sign = 0;
    if (!A || m == 0 || m > 65536)
        return NAN;
    double *a = malloc(m * m * sizeof *a), logdet = 0.0;
    if (!a)
        return NAN;
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
            for (size_t j = 0; j < m; j++) {
                double t = a[k * m + j];
                a[k * m + j] = a[piv * m + j];
                a[piv * m + j] = t;
            }
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

/* The central-difference step for a coordinate at xj: eps^(1/3) max(1, |xj|). */
static double fd_step(double xj)
{
    return 6.0554544523933395e-06 * fmax(1.0, fabs(xj));
}

/* dF/din by central differences: column j from F(x +- h_j e_j). */
static void numeric_jacobian(void (*F)(void *, const double *, double *), void *ctx,
                             const double *x, size_t m, double *J, double *tmp, size_t *evals)
{
    double *xp = tmp, *fp = tmp + m, *fm = tmp + 2 * m;
    memcpy(xp, x, m * sizeof *xp);
    for (size_t j = 0; j < m; j++) {
        double h = fd_step(x[j]);
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

/* Which named part of a split vector index i falls in, and its offset. */
static size_t part_of(const gc_block *parts, size_t nparts, size_t i, size_t *at)
{
    size_t p = 0;
    for (*at = i; p + 1 < nparts && *at >= parts[p].rows; p++)
        *at -= parts[p].rows;
    return p;
}

/* The error of one entry: |a - n| / max(|a|, |n|, floor), floor = 1e-3 of J's
 * largest magnitude (as for a gradient's coordinates). */
static double entry_err(double a, double n, double floor)
{
    return a == n ? 0.0 : fabs(a - n) / fmax(fmax(fabs(a), fabs(n)), floor);
}

static double largest(const double *J, size_t count)
{
    double scale = 0.0;
    for (size_t k = 0; k < count; k++)
        scale = fmax(scale, fabs(J[k]));
    return scale;
}

/* Compares J (analytic) with N (numeric, both finite) entry by entry into
 * one block report per (output part, input part); returns the number of
 * entries over tol. */
static size_t compare(const gc_map *f, const double *J, const double *N, double tol,
                      gc_report *r)
{
    size_t m = f->m, wrong = 0;
    double floor = 1e-3 * largest(J, m * m);
    r->nblocks = f->nout * f->nin;
    for (size_t k = 0; k < r->nblocks; k++)
        snprintf(r->blocks[k].name, sizeof r->blocks[k].name, "d%s/d%s",
                 f->out[k / f->nin].name, f->in[k % f->nin].name);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++) {
            size_t oi, ij, po = part_of(f->out, f->nout, i, &oi), pi = part_of(f->in, f->nin, j, &ij);
            gc_block_report *b = &r->blocks[po * f->nin + pi];
            double a = J[i * m + j], n = N[i * m + j];
            double err = entry_err(a, n, floor);
            b->total++, b->checked++;
            b->wrong += err > tol;
            wrong += err > tol;
            if (err >= b->max_err || b->checked == 1) {
                b->max_err = err, b->analytic = a, b->numeric = n, b->step = fd_step(f->x[j]);
                char where[64] = "";                    /* every byte set: it is sent whole */
                snprintf(where, sizeof where, "%s[%zu][%zu]", b->name, oi, ij);
                memcpy(b->where, where, sizeof b->where);
            }
            if (err > r->max_err || (i == 0 && j == 0)) {
                r->max_err = err, r->analytic = a, r->numeric = n;
                memcpy(r->where, b->where, sizeof r->where);
            }
        }
    return wrong;
}

/* The diagnosis of gradient checks, read block by block: the Jacobian laid
 * out as one matrix per (output part, input part), named "dx/dz". */
static int diagnose_map(const gc_map *f, const double *J, const double *N, double tol,
                        gc_report *r)
{
    size_t m = f->m, at = 0;
    double floor = 1e-3 * largest(J, m * m);
    double *a = malloc(2 * m * m * sizeof *a), *n = a ? a + m * m : NULL;
    unsigned char *w = malloc(m * m);
    gc_problem blocks = { 0 };
    if (!a || !w) {
        free(a), free(w);
        return -1;
    }
    size_t i0 = 0;
    for (size_t po = 0; po < f->nout; i0 += f->out[po].rows, po++) {
        size_t j0 = 0;
        for (size_t pi = 0; pi < f->nin; j0 += f->in[pi].rows, pi++) {
            size_t k = po * f->nin + pi, rows = f->out[po].rows, cols = f->in[pi].rows;
            blocks.blocks[k] = (gc_block){ r->blocks[k].name, rows, cols };
            for (size_t i = 0; i < rows; i++)
                for (size_t j = 0; j < cols; j++, at++) {
                    double u = J[(i0 + i) * m + j0 + j], v = N[(i0 + i) * m + j0 + j];
                    a[at] = u, n[at] = v;
                    w[at] = entry_err(u, v, floor) > tol;
                }
        }
    }
    blocks.n = m * m;
    blocks.nblocks = r->nblocks;
    gc_diagnose(&blocks, a, n, w, r);
    free(a), free(w);
    return 0;
}

static int all_finite(const double *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(a[i]))
            return 0;
    return 1;
}

/* The closed form against LU of the analytic J (already proven equal to the
 * differences). On a mismatch, says whether it is one diagonal term too few
 * or too many: the usual index-range slip. Returns 1 when they agree. */
static int check_log_det(const double *J, size_t m, double closed, double lu, gc_report *r)
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

/* Round trip and the inverse's log-determinant. Returns 1 when both hold. */
static int check_inverse(const gc_map *f, const double *x, double ld, double *work, gc_report *r,
                         size_t *evals, double *trip, double *inv_sum)
{
    size_t m = f->m;
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

/* "" when f can be checked, else why not. */
static const char *map_valid(const gc_map *f)
{
    if (!f || !f->map || !f->jacobian || !f->log_abs_det || !f->x)
        return "the map lacks map, jacobian, log_abs_det or its point x (NULL)";
    if (f->m == 0 || f->m > 4096)
        return "the map's size m must be 1 to 4096";
    if (f->nin == 0 || f->nin > 4 || f->nout == 0 || f->nout > 4)
        return "the map needs 1 to 4 named input parts and 1 to 4 output parts";
    const gc_block *sides[2] = { f->in, f->out };
    size_t counts[2] = { f->nin, f->nout };
    for (int s = 0; s < 2; s++) {
        size_t total = 0;
        for (size_t k = 0; k < counts[s]; k++) {
            if (!sides[s][k].name || !sides[s][k].name[0] || strlen(sides[s][k].name) > 12)
                return "a part of the map has no name, or one over 12 characters";
            total += sides[s][k].rows;
        }
        if (total != f->m)
            return "the rows of the map's parts do not add up to m";
    }
    return "";
}

gc_status gc_check_map(const gc_map *f, const gc_options *o, gc_report *r)
{
    if (!r)
        return GC_ERROR;
    memset(r, 0, sizeof *r);
    const char *why = map_valid(f);
    if (!why[0])
        why = gc_options_valid(o);
    if (why[0]) {
        r->status = GC_ERROR;
        snprintf(r->note, sizeof r->note, "%s", why);
        return r->status;
    }
    double t0 = gc_clock();
    size_t m = f->m;
    double *J = malloc((2 * m * m + 6 * m) * sizeof *J), *N = J + m * m, *work = NULL;
    double ld = NAN, lu = NAN, trip = NAN, inv_sum = NAN;
    r->status = GC_ERROR;
    if (!J || !(work = malloc((m * m + 6 * m) * sizeof *work))) {
        snprintf(r->note, sizeof r->note, "out of memory");
        goto done;
    }
    r->status = GC_FAIL;
    if (f->jacobian(f->ctx, f->x, J) != 0 || !all_finite(J, m * m)) {
        snprintf(r->note, sizeof r->note, "the analytic Jacobian is not finite or was refused "
                 "at the check point (a singular layer?)");
        goto done;
    }
    numeric_jacobian(f->map, f->ctx, f->x, m, N, work, &r->evals);
    if (!all_finite(N, m * m)) {
        snprintf(r->note, sizeof r->note, "the map gives NaN or Inf next to the check point");
        goto done;
    }
    size_t wrong = compare(f, J, N, o->tol, r);
    if (wrong) {
        snprintf(r->note, sizeof r->note, "%zu Jacobian entr%s disagree%s with finite differences",
                 wrong, wrong == 1 ? "y" : "ies", wrong == 1 ? "s" : "");
        if (diagnose_map(f, J, N, o->tol, r) != 0)
            r->status = GC_ERROR, snprintf(r->note, sizeof r->note, "out of memory");
        goto done;
    }
    int sign;
    lu = gc_log_abs_det(J, m, &sign);
    if (f->log_abs_det(f->ctx, f->x, &ld) != 0 || !isfinite(ld)) {
        snprintf(r->note, sizeof r->note, "the closed-form log|det J| is %s (the log of a "
                 "negative scale: is the abs missing?); LU gives %.10g", isnan(ld) ? "NaN" :
                 "not finite or was refused", lu);
        goto done;
    }
    if (!check_log_det(J, m, ld, lu, r))
        goto done;
    if (f->inverse && !check_inverse(f, f->x, ld, work, r, &r->evals, &trip, &inv_sum))
        goto done;
    r->status = fabs(ld) < 1e-12 ? GC_VACUOUS : GC_PASS;
    if (r->status == GC_VACUOUS)
        snprintf(r->note, sizeof r->note, "log|det J| is 0 at this point, so a missing log or abs "
                 "or a sign slip would not show: check with scales away from +-1");
done:
    if (isfinite(lu) && isfinite(ld))
        snprintf(r->extra, sizeof r->extra, "log|det J|: closed form %.12g, LU of J %.12g "
                 "(diff %.1e)", ld, lu, fabs(ld - lu));
    if (isfinite(trip))
        snprintf(r->extra + strlen(r->extra), sizeof r->extra - strlen(r->extra),
                 "; round trip %.1e; log|det J^-1| + log|det J| = %.1e", trip, inv_sum);
    r->loss = ld;
    r->seconds = gc_clock() - t0;
    free(J);
    free(work);
    return r->status;
}
