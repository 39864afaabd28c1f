/* precision.c — the two precisions a checked function may compute in, and
 * everything that follows from its epsilon: the finite-difference steps, the
 * default tolerance, the slack of the contract tests, and what a point or a
 * displaced point is (rounded to float for a float function).
 *
 * The steps are the textbook optima: eps^(1/3) for a central difference
 * (truncation h^2 against round-off eps / h), eps^(1/5) for Richardson's
 * (h^4 against eps / h). The default relative tolerance is 1e-6 for double
 * and scales with the step for float: 1e-6 (eps_float / eps_double)^(1/3) =
 * 8.1e-4, so that tol / h is the same in both. */
#include <float.h>
#include <math.h>

#include "gc_internal.h"

static const gc_prec precisions[2] = {
    { GC_DOUBLE, DBL_EPSILON, 6.0554544523933395e-06, 7.4009597974140505e-04, 1e-6, 1e-9,
      "double" },
    /* rtol 1e-6 cbrt(2^29); contract slack 2^8 eps: a float add and a conversion, with room */
    { GC_FLOAT, FLT_EPSILON, 4.9215666011518484e-03, 4.1234622211652937e-02,
      8.1274933860771812e-04, 256 * FLT_EPSILON, "float" },
};

const gc_prec *gc_prec_of(gc_precision p)
{
    return &precisions[p == GC_FLOAT];
}

double gc_round(const gc_prec *q, double v)
{
    return q->kind == GC_FLOAT ? (double)(float)v : v;
}

void gc_to_float(float *dst, const double *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = (float)src[i];
}

void gc_to_double(double *dst, const float *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = (double)src[i];
}

/* v is exactly a float and needs more than 12 significant bits (so it is not
 * a round number that any double function may return). */
static int float_with_many_bits(double v, int *many)
{
    if ((double)(float)v != v)
        return 0;
    int e;
    double mant = frexp(v, &e) * 4096.0;          /* 12 bits before the point */
    *many += v != 0 && mant != floor(mant);
    return 1;
}

int gc_looks_float(double f0, const double *g, size_t n)
{
    int many = 0;
    for (size_t i = 0; i < n; i++)
        if (!float_with_many_bits(g[i], &many))
            return 0;
    float_with_many_bits(f0, &many);
    return many >= 2;
}

gc_judging gc_judging_of(const gc_options *o, gc_precision p)
{
    const gc_prec *q = gc_prec_of(p);
    gc_judging j = { q, o->rtol > 0 ? o->rtol : q->rtol, o->atol, o->nondet_tol, o->step };
    return j;
}

double gc_step(const gc_judging *j, gc_method m, double scale)
{
    double rel = j->step > 0 ? j->step
               : m == GC_RICHARDSON ? j->prec->step_richardson : j->prec->step_central;
    return rel * fmax(1.0, scale);
}

int gc_within(const gc_judging *j, double a, double n, double mag)
{
    return fabs(a - n) <= j->atol + j->rtol * mag;
}
