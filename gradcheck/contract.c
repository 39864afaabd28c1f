/* contract.c — the contract of the functions a user gives, tested before any
 * difference is taken. A loss f(x, grad) ADDS its gradient into grad (the
 * caller zeroed it, or holds earlier gradients there), touches no entry it
 * has no gradient for, adds again on a second call, and f(x, NULL) returns the
 * same loss. A reverse-mode product (vjp, hvp) adds the same way; a
 * forward-mode one (jvp) writes its whole buffer whatever it held; both are
 * linear in their vector and leave it as it was. A function that writes (=)
 * instead of adding (+=), clears the caller's buffer, or scribbles on rows it
 * has nothing for passes a plain gradient check when the caller's buffer is
 * zero, and still breaks every trainer that adds several gradients into one
 * buffer. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"

/* a and b agree but for rounding of sums of magnitude `size`. */
static int close_to(double slack, double a, double b, double size)
{
    return fabs(a - b) <= slack * size + 1e-300;
}

/* The contract's slack: the precision's, or the non-determinism allowed. */
static double slack_of(const gc_judging *j)
{
    return fmax(j->prec->contract, 2.0 * j->nondet_tol);
}

/* Names entry i of a checked buffer. */
typedef void (*namer)(void *arg, size_t i, char *buf, size_t size);

/* Names the entry i in *r's note, with what was there, what came back and
 * what should have. */
static void say(namer name, void *arg, gc_report *r, size_t i, const double *before,
                const double *after, double expect, const char *what, const char *why)
{
    char label[96];
    name(arg, i, label, sizeof label);
    snprintf(r->note, sizeof r->note, "%s: %s was %.6g before the call and came back %.6g, "
             "not %.6g", what, label, before[i], after[i], expect);
    snprintf(r->diagnosis, sizeof r->diagnosis, "%s", why);
    snprintf(r->where, sizeof r->where, "%s", label);
    r->analytic = after[i], r->numeric = expect;
}

/* One call into a buffer holding R that must come back R + g (g: the same
 * call into a zeroed buffer): classifies what came back. Returns 0 when it
 * is R + g, else fills *r. `who` names the function ("it", "vjp"). */
static int judge_adds(namer name, void *arg, const char *noun, double slack, const double *R,
                      const double *g, const double *out, size_t n, gc_report *r)
{
    char what[4][96];
    snprintf(what[0], sizeof what[0], "the %s buffer lost what the caller had put there", noun);
    snprintf(what[1], sizeof what[1], "the %s was written over what the buffer held", noun);
    snprintf(what[2], sizeof what[2], "an entry with no %s changed", noun);
    snprintf(what[3], sizeof what[3], "the buffer did not come back as what it held plus the %s",
             noun);
    size_t first_zeroed = n, first_lost = n, first_moved = n, first_other = n;
    for (size_t i = 0; i < n; i++) {
        double size = fabs(R[i]) + fabs(g[i]) + fabs(out[i]);
        if (close_to(slack, out[i], R[i] + g[i], size))
            continue;
        if (g[i] == 0 && out[i] == 0)
            first_zeroed = first_zeroed < n ? first_zeroed : i;
        else if (g[i] == 0)
            first_moved = first_moved < n ? first_moved : i;
        else if (close_to(slack, out[i], g[i], size))
            first_lost = first_lost < n ? first_lost : i;
        else
            first_other = first_other < n ? first_other : i;
    }
    if (first_zeroed < n)
        say(name, arg, r, first_zeroed, R, out, R[first_zeroed], what[0],
            "it zeroes the caller's buffer (a memset or = 0) before adding: the entries it has "
            "no gradient for came back 0; the caller zeroes it, the function only adds (+=)");
    else if (first_lost < n)
        say(name, arg, r, first_lost, R, out, R[first_lost] + g[first_lost], what[1],
            "it overwrites instead of adding: grad = ... where grad += ... belongs, so the "
            "buffer holds this call's gradient alone");
    else if (first_moved < n)
        say(name, arg, r, first_moved, R, out, R[first_moved], what[2],
            "it touches entries it has no gradient for (a row it must not write: the wrong "
            "index, or a whole matrix written where a few rows belong)");
    else if (first_other < n)
        say(name, arg, r, first_other, R, out, R[first_other] + g[first_other], what[3],
            "with a non-zero buffer the function adds something other than its gradient: does "
            "it read the buffer it writes (grad[i] *= ..., or uses grad as scratch)?");
    return r->note[0] ? -1 : 0;
}

/* A forward-mode product into a buffer holding R must come back as g whatever R was. */
static int judge_writes(namer name, void *arg, double slack, const double *R, const double *g,
                        const double *out, size_t n, gc_report *r)
{
    for (size_t i = 0; i < n; i++) {
        double size = fabs(R[i]) + fabs(g[i]) + fabs(out[i]);
        if (close_to(slack, out[i], g[i], size))
            continue;
        int kept = out[i] == R[i], added = !kept && close_to(slack, out[i], R[i] + g[i], size);
        say(name, arg, r, i, R, out, g[i], added ? "the product was added to what the buffer "
            "held" : kept ? "an entry of the buffer was left as it was" : "the buffer's "
            "earlier content changed the product", added ? "a forward-mode product writes its "
            "buffer (Jv[i] = ...): it added into it (+=), so stale values leak into J v"
            : kept ? "it does not write every entry of J v: the entries it skips keep whatever "
            "the caller's buffer held (write zeros where J v is 0)"
            : "it reads the buffer it writes (uses Jv as scratch, or *=)");
        return -1;
    }
    return 0;
}

/* Random values in every entry, seeded, of size `scale`, as the function sees them. */
static void fill(double *R, double scale, size_t n, uint64_t seed, const gc_prec *q)
{
    gc_rng rng;
    gc_rng_seed(&rng, seed ^ 0x3c6ef372fe94f82bULL);
    for (size_t i = 0; i < n; i++)
        R[i] = gc_round(q, scale * ((double)(gc_rng_next(&rng) >> 11) * 0x1.0p-53 - 0.5));
}

/* ---- a loss ---- */

static void name_coord(void *arg, size_t i, char *buf, size_t size)
{
    gc_name_coord(arg, i, buf, size);
}

/* Where part k starts and how long it is. */
static void part_span(const gc_problem *p, size_t k, size_t *off, size_t *len)
{
    size_t b = 0, at = 0;
    for (size_t j = 0; j < k; j++)
        for (size_t m = 0; m < p->part_blocks[j]; m++)
            at += gc_block_size(&p->blocks[b++]);
    *off = at;
    *len = 0;
    for (size_t m = 0; m < p->part_blocks[k]; m++)
        *len += gc_block_size(&p->blocks[b++]);
}

/* "dJ/dv_c" for part k, or "dJ/dW1..dJ/db2" for a part of several blocks. */
static void part_name(const gc_problem *p, size_t k, char *buf, size_t size)
{
    size_t b = 0;
    for (size_t j = 0; j < k; j++)
        b += p->part_blocks[j];
    size_t last = b + p->part_blocks[k] - 1;
    if (last == b)
        snprintf(buf, size, "dJ/d%s", p->blocks[b].name);
    else
        snprintf(buf, size, "dJ/d%s..dJ/d%s", p->blocks[b].name, p->blocks[last].name);
}

/* Every combination of parts but all (f itself): the same loss, the asked
 * parts of a buffer holding R back as R + g, the others untouched. */
static int check_parts(evaluator *e, const double *R, double *out, double slack, gc_report *r)
{
    const gc_problem *p = e->p;
    size_t n = p->n, all = ((size_t)1 << p->nparts) - 1;
    for (size_t mask = 0; mask < all; mask++) {
        double *parts[GC_MAX_PARTS] = { 0 };
        char asked[160] = "";
        memcpy(out, R, n * sizeof *out);
        for (size_t k = 0; k < p->nparts; k++) {
            size_t off, len;
            char name[64];
            part_span(p, k, &off, &len);
            part_name(p, k, name, sizeof name);
            if (mask >> k & 1)
                parts[k] = out + off;
            snprintf(asked + strlen(asked), sizeof asked - strlen(asked), "%s%s %s",
                     k ? ", " : "", name, mask >> k & 1 ? "asked" : "NULL");
        }
        if (p->reset)
            p->reset(p->ctx);
        e->evals++;
        double J = p->f_parts(p->ctx, e->x, parts);
        if (!close_to(slack, J, e->f0, fabs(e->f0))) {
            snprintf(r->note, sizeof r->note, "with %s the loss is %.17g, not %.17g", asked, J,
                     e->f0);
            snprintf(r->diagnosis, sizeof r->diagnosis, "the loss changes with which gradients "
                     "are asked for: a NULL gradient must skip its work, not the loss's");
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            size_t k = 0, off, len;
            for (part_span(p, k, &off, &len); i >= off + len; part_span(p, ++k, &off, &len))
                ;
            double expect = mask >> k & 1 ? R[i] + e->grad[i] : R[i];
            int ok = mask >> k & 1 ? close_to(slack, out[i], expect, fabs(R[i]) +
                                              fabs(e->grad[i]) + fabs(out[i])) : out[i] == R[i];
            if (!ok) {
                say(name_coord, (void *)p, r, i, R, out, expect, asked, mask >> k & 1 ? "a "
                    "gradient that is asked for comes out different when another one is NULL"
                    : "a gradient that is not asked for (NULL) was written anyway, into another "
                    "part's buffer");
                return -1;
            }
        }
    }
    return 0;
}

int gc_contract(evaluator *e, const gc_options *o, gc_report *r)
{
    size_t n = e->p->n;
    double slack = fmax(slack_of(&e->j), e->looks_float ? gc_prec_of(GC_FLOAT)->contract : 0);
    double *R = malloc(3 * n * sizeof *R), *out = R + n, *twice = out + n;
    if (!R) {
        r->status = GC_ERROR;
        r->error = ENOMEM;
        snprintf(r->note, sizeof r->note, "out of memory");
        return -1;
    }
    fill(R, fmax(1.0, gc_max_abs(e->grad, n)), n, o->seed, e->j.prec);
    memcpy(out, R, n * sizeof *out);
    double J = gc_eval(e, out);
    int rc = judge_adds(name_coord, (void *)e->p, "gradient", slack, R, e->grad, out, n, r);
    if (rc == 0) {                           /* again into the same buffer: R + 2 g */
        memcpy(twice, out, n * sizeof *twice);
        gc_eval(e, twice);
        for (size_t i = 0; rc == 0 && i < n; i++)
            if (!close_to(slack, twice[i], out[i] + e->grad[i],
                          fabs(out[i]) + fabs(e->grad[i]) + fabs(twice[i]))) {
                say(name_coord, (void *)e->p, r, i, out, twice, out[i] + e->grad[i], "a second "
                    "call did not add its gradient again", "it adds only on the first call (a "
                    "static flag, a cached result, or state kept between calls)");
                rc = -1;
            }
    }
    if (rc == 0 && e->p->f_parts)
        rc = check_parts(e, R, out, slack, r);
    double J0 = gc_eval(e, NULL);
    if (rc == 0 && !(J == e->f0 && J0 == e->f0 ? 1 : close_to(slack, J, e->f0, fabs(e->f0)) &&
                     close_to(slack, J0, e->f0, fabs(e->f0)))) {
        snprintf(r->note, sizeof r->note, "the loss depends on the gradient buffer: %.17g with "
                 "a zeroed buffer, %.17g with a filled one, %.17g with none (NULL)", e->f0, J, J0);
        snprintf(r->diagnosis, sizeof r->diagnosis, "the loss must not read the gradient buffer, "
                 "nor change when no gradient is asked for (NULL)");
        rc = -1;
    }
    if (rc != 0)
        r->status = r->status == GC_ERROR ? GC_ERROR : GC_FAIL;
    free(R);
    return rc;
}

/* ---- a product: J v, u^T J, H v ---- */

typedef struct {
    gc_product_fn fn;
    void *arg;
    size_t in, out;
} product;

/* buf = fn(v), into a zeroed buffer (adds) or over `stale` (writes). 0 or refused. */
static int call(const product *f, const double *v, double *buf)
{
    memset(buf, 0, f->out * sizeof *buf);
    return f->fn(f->arg, v, buf);
}

static int refused(gc_report *r, const char *what)
{
    snprintf(r->note, sizeof r->note, "%s refused the check point (returned non-zero)", what);
    r->status = GC_FAIL;
    return -2;
}

/* fn(a v + b w) against a fn(v) + b fn(w), entry by entry. */
static int linear(const product *f, const double *v, const double *w, const double *fv,
                  double *tmp, const gc_judging *j, const char *what, namer name, gc_report *r)
{
    const double a = 0.75, b = -1.25;
    double *mix = tmp, *fw = tmp + f->in, *fmix = fw + f->out;
    for (size_t i = 0; i < f->in; i++)
        mix[i] = gc_round(j->prec, a * v[i] + b * w[i]);
    if (call(f, w, fw) != 0 || call(f, mix, fmix) != 0)
        return refused(r, what);
    double scale = 0;
    for (size_t i = 0; i < f->out; i++)
        scale = fmax(scale, fabs(a * fv[i]) + fabs(b * fw[i]));
    for (size_t i = 0; i < f->out; i++) {
        double want = a * fv[i] + b * fw[i];
        if (fabs(fmix[i] - want) <= j->atol + j->rtol * fmax(fabs(want), 1e-3 * scale))
            continue;
        char label[96];
        name(f->arg, i, label, sizeof label);
        snprintf(r->note, sizeof r->note, "%s is not linear: at %s, %s(0.75 v - 1.25 w) = %.10g "
                 "but 0.75 %s(v) - 1.25 %s(w) = %.10g", what, label, what, fmix[i], what, what,
                 want);
        snprintf(r->diagnosis, sizeof r->diagnosis, "a product with J must be linear in its "
                 "vector: does it normalise the vector, take its absolute value, or add a term "
                 "that does not depend on it?");
        snprintf(r->where, sizeof r->where, "%s", label);
        r->status = GC_FAIL;
        return -1;
    }
    return 0;
}

/* The product left its vector as it was. 0, or -1 with r filled. */
static int unchanged(const double *v0, const double *v, size_t in, const char *what, gc_report *r)
{
    for (size_t i = 0; i < in; i++)
        if (v[i] != v0[i]) {
            snprintf(r->note, sizeof r->note, "%s changed its vector: entry %zu was %.6g and "
                     "came back %.6g", what, i, v0[i], v[i]);
            snprintf(r->diagnosis, sizeof r->diagnosis, "the vector a product is given is the "
                     "caller's: use a buffer of your own as scratch");
            return -1;
        }
    return 0;
}

int gc_product_contract(gc_product_fn fn, void *arg, size_t in, size_t out, int adds,
                        const gc_judging *j, uint64_t seed, const char *what,
                        void (*name)(void *arg, size_t i, char *buf, size_t size), gc_report *r)
{
    product f = { fn, arg, in, out };
    double *v = malloc((4 * in + 5 * out) * sizeof *v);
    if (!v) {
        r->status = GC_ERROR, r->error = ENOMEM;
        snprintf(r->note, sizeof r->note, "out of memory");
        return -2;
    }
    double *w = v + in, *v0 = w + in, *fv = v0 + in, *R = fv + out, *buf = R + out,
           *tmp = buf + out;
    fill(v, 1.0, in, seed ^ 0x51ed270b27f0a3c1ULL, j->prec);
    fill(w, 1.0, in, seed ^ 0x2545f4914f6cdd1dULL, j->prec);
    memcpy(v0, v, in * sizeof *v0);
    int rc = call(&f, v, fv) != 0 ? refused(r, what) : unchanged(v0, v, in, what, r);
    double slack = slack_of(j);
    for (int k = 0; rc == 0 && k < 2; k++) {       /* into random values, then again */
        if (k == 0) {
            fill(R, fmax(1.0, gc_max_abs(fv, out)), out, seed, j->prec);
            memcpy(buf, R, out * sizeof *buf);
        } else {
            memcpy(R, buf, out * sizeof *R);
        }
        if (fn(arg, v, buf) != 0)
            rc = refused(r, what);
        else
            rc = adds ? judge_adds(name, arg, "product", slack, R, fv, buf, out, r)
                      : judge_writes(name, arg, slack, R, fv, buf, out, r);
        if (rc != 0 && k == 1 && adds)
            snprintf(r->diagnosis, sizeof r->diagnosis, "it adds only on the first call (a "
                     "static flag, a cached result, or state kept between calls)");
    }
    if (rc == 0)
        rc = unchanged(v0, v, in, what, r);
    if (rc == 0)
        rc = linear(&f, v, w, fv, tmp, j, what, name, r);
    if (rc == -1)
        r->status = GC_FAIL;
    free(v);
    return rc;
}
