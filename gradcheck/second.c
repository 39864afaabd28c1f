/* second.c — the second order of a loss: its Hessian-vector product (hvp)
 * and/or its Hessian (the gradient's own gradient), checked as the
 * derivative of the map x -> grad f(x) (view.c: central differences of the
 * analytic gradient, entry by entry or along directions, the contract of hvp,
 * and H's symmetry <u, H v> = <H u, v>), or by the Taylor test of order 3
 * (taylor.c). As with torch's gradgradcheck, the gradient is taken as right:
 * check it first. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"

/* H d for the Taylor test: by hvp, or from H computed once. */
typedef struct {
    gc_view v;
    double *H;
} along;

static int h_along(void *arg, const double *d, double *Hd)
{
    along *a = arg;
    gc_view *v = &a->v;
    if (v->has_jvp)
        return gc_view_jvp(v, v->x, d, Hd);
    for (size_t i = 0; i < v->n; i++) {
        double s = 0;
        for (size_t j = 0; j < v->n; j++)
            s += a->H[i * v->n + j] * d[j];
        Hd[i] = s;
    }
    return 0;
}

gc_status gc_check_second(const gc_problem *p, const gc_options *o, gc_report *r)
{
    if (!r)
        return GC_ERROR;
    char why[200];
    if (gc_problem_valid(p, why, sizeof why) != 0 || gc_options_valid(o, why, sizeof why) != 0)
        return gc_refuse(r, EINVAL, why);
    int fl = gc_problem_precision(p) == GC_FLOAT;
    if (!p->f && !p->f_parts && !p->f32)
        return gc_refuse(r, EINVAL, "the problem has no loss function (f, f_parts and f32 are NULL)");
    if (fl ? !p->hvp32 && !p->hessian32 : !p->hvp && !p->hessian)
        return gc_refuse(r, EINVAL, fl ? "a second-order check of a float loss needs hvp32 or "
                         "hessian32" : "a second-order check needs hvp or hessian (both NULL)");
    along a = { { 0 }, NULL };
    if (gc_view_of_gradient(&a.v, p) != 0)
        return gc_refuse(r, ENOMEM, "out of memory");
    gc_status s;
    if (o->method == GC_TAYLOR) {
        if (!a.v.has_jvp && (!(a.H = malloc(p->n * p->n * sizeof *a.H)) ||
                             gc_view_jacobian(&a.v, a.v.x, a.H) != 0)) {
            s = a.H ? gc_refuse(r, 0, "the Hessian refused the check point (returned non-zero)")
                    : gc_refuse(r, ENOMEM, "out of memory");
            if (a.H)
                r->status = s = GC_FAIL;
        } else {
            s = gc_taylor(p, o, h_along, &a, r);
        }
    } else {
        s = gc_view_check(&a.v, o, a.v.has_jvp ? GC_JVP : GC_JACOBIAN, NULL, r);
    }
    r->kind = GC_SECOND;
    free(a.H);
    gc_view_free(&a.v);
    return s;
}
