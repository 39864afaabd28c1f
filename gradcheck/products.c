/* products.c — what a check of a user's products J v and u^T J (a loss's
 * H v) tests beyond finite differences: their contract (contract.c: jvp
 * writes its whole buffer, vjp and hvp add into it, each linear and leaving
 * its vector alone), and that the two are transposes of each other,
 * <u, J v> = <J^T u, v> (for a loss's gradient: H symmetric, and hvp and the
 * Hessian the same matrix). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gc_internal.h"

enum { PAIRS = 4 };

static int prod_jvp(void *arg, const double *d, double *buf)
{
    gc_view *v = arg;
    return gc_view_jvp(v, v->x, d, buf);
}

static int prod_vjp(void *arg, const double *u, double *buf)
{
    gc_view *v = arg;
    return gc_view_vjp(v, v->x, u, buf);
}

/* Names entry i of a product's output: "Jv: x[1]", "u^T J: z[0]", "Hv: W[0][1]". */
static void name_jv(void *arg, size_t i, char *buf, size_t size)
{
    const gc_view *v = arg;
    size_t at, P = gc_view_part(v->out, v->nout, i, &at);
    char c[96];
    gc_coord_suffix(&v->out[P], at, c, sizeof c);
    snprintf(buf, size, "%s: %s", v->p ? "Hv" : "Jv", c);
}

static void name_uj(void *arg, size_t i, char *buf, size_t size)
{
    const gc_view *v = arg;
    size_t at, R = gc_view_part(v->in, v->nin, i, &at);
    char c[96];
    gc_coord_suffix(&v->in[R], at, c, sizeof c);
    snprintf(buf, size, "%s: %s", v->p ? "Hv" : "u^T J", c);
}

/* J d, by jvp or from J. */
static int left_product(gc_view *v, const double *J, const double *d, double *Jd)
{
    if (v->has_jvp)
        return gc_view_jvp(v, v->x, d, Jd);
    for (size_t i = 0; i < v->m; i++)
        Jd[i] = gc_dot(J + i * v->n, d, v->n);
    return 0;
}

/* u^T J by vjp (a loss's gradient: H u by hvp), or from J (a loss's: H u, so
 * that the identity is H's symmetry). */
static int right_product(gc_view *v, const double *J, const double *u, double *uJ)
{
    size_t n = v->n;
    if (v->p && v->has_jacobian) {
        for (size_t i = 0; i < n; i++)
            uJ[i] = gc_dot(J + i * n, u, n);
        return 0;
    }
    memset(uJ, 0, n * sizeof *uJ);
    return gc_view_vjp(v, v->x, u, uJ);
}

int gc_products_identity(gc_view *v, const double *J, const gc_judging *j, uint64_t seed,
                         double *scratch, gc_report *r)
{
    double *vin = scratch, *d = vin + v->n, *vout = d + v->n, *u = vout + v->m;
    gc_rng rng;
    gc_rng_seed(&rng, seed ^ 0x1d3a4f7e9b2c5a60ULL);
    double worst = 0;
    const char *lhs = v->p ? "<u, H v>" : "<u, J v>", *rhs = v->p ? "<H u, v>" : "<J^T u, v>";
    for (int k = 0; k < PAIRS; k++) {
        gc_rng_direction(&rng, d, v->n);
        gc_rng_direction(&rng, u, v->m);
        for (size_t i = 0; i < v->n; i++)
            d[i] = gc_round(v->prec, d[i]);
        for (size_t i = 0; i < v->m; i++)
            u[i] = gc_round(v->prec, u[i]);
        if (left_product(v, J, d, vout) != 0 || right_product(v, J, u, vin) != 0) {
            snprintf(r->note, sizeof r->note, "a product refused the check point");
            r->status = GC_FAIL;
            return 0;
        }
        double a = gc_dot(u, vout, v->m), b = gc_dot(vin, d, v->n);
        double size = fmax(sqrt(gc_dot(vout, vout, v->m)), sqrt(gc_dot(vin, vin, v->n)));
        double mag = fmax(fmax(fabs(a), fabs(b)), 1e-3 * size);
        double err = a == b ? 0.0 : fabs(a - b) / mag;
        worst = fmax(worst, err);
        if (err <= j->rtol || gc_within(j, a, b, mag))
            continue;
        snprintf(r->note, sizeof r->note, "%s = %.10g but %s = %.10g for random unit u and v "
                 "(pair %d; error %.2e): the two products are not transposes of each other",
                 lhs, a, rhs, b, k + 1, err);
        snprintf(r->diagnosis, sizeof r->diagnosis, v->p ? "H v is not symmetric in the way a "
                 "Hessian is: one of the products (or an entry of H) is wrong, or H is stored "
                 "transposed in part" : "jvp and vjp disagree: one of them is wrong (the finite "
                 "differences above name which, or it is J^T where J belongs)");
        r->status = GC_FAIL;
        return 0;
    }
    snprintf(r->extra + strlen(r->extra), sizeof r->extra - strlen(r->extra), "%s%s = %s for %d "
             "random pairs (largest relative difference %.1e)", r->extra[0] ? "; " : "", lhs, rhs,
             PAIRS, worst);
    return 1;
}

int gc_products_contract(gc_view *v, gc_kind kind, const gc_judging *j, uint64_t seed,
                         gc_report *r)
{
    int rows = kind == GC_VJP || v->p;        /* reverse mode (and hvp) adds */
    if (kind == GC_JACOBIAN && !v->p)
        return 0;
    if (v->p ? !v->has_jvp : kind == GC_JVP ? !v->has_jvp : !v->has_vjp)
        return 0;
    const char *what = v->p ? "hvp" : rows ? "vjp" : "jvp";
    int rc = rows ? gc_product_contract(prod_vjp, v, v->m, v->n, 1, j, seed, what, name_uj, r)
                  : gc_product_contract(prod_jvp, v, v->n, v->m, 0, j, seed, what, name_jv, r);
    return rc == 0 ? 0 : -1;
}
