/* contract.c — the loss's contract, tested before any difference is taken:
 * f(x, grad) ADDS its gradient into grad (the caller zeroed it, or holds
 * earlier gradients there), touches no entry it has no gradient for, adds
 * again on a second call, and f(x, NULL) returns the same loss. A function
 * that writes (=) instead of adding (+=), clears the caller's buffer, or
 * scribbles on rows it has nothing for passes a plain gradient check when
 * the caller's buffer is zero, and still breaks every trainer that adds
 * several gradients into one buffer. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"

/* a and b agree but for rounding of sums of magnitude `size`. */
static int close_to(double a, double b, double size)
{
    return fabs(a - b) <= 1e-9 * size + 1e-300;
}

/* Names the first entry i with want[i] set in *r's note, with what was
 * there, what came back and what should have. */
static void say(const evaluator *e, gc_report *r, size_t i, const double *before,
                const double *after, double expect, const char *what, const char *why)
{
    char name[64];
    gc_name_coord(e->p, i, name, sizeof name);
    snprintf(r->note, sizeof r->note, "%s: %s was %.6g before the call and came back %.6g, "
             "not %.6g", what, name, before[i], after[i], expect);
    snprintf(r->diagnosis, sizeof r->diagnosis, "%s", why);
    snprintf(r->where, sizeof r->where, "%s", name);
    r->analytic = after[i], r->numeric = expect;
}

/* One call into a buffer holding R: classifies what came back. Returns 0
 * when it is R + g (g the gradient into a zeroed buffer), else fills *r. */
static int judge_buffer(const evaluator *e, const double *R, const double *out, gc_report *r)
{
    const double *g = e->grad;
    size_t n = e->p->n, kept = 0, zeroed = 0, lost = 0, moved = 0, first_zeroed = n,
           first_lost = n, first_moved = n, first_other = n;
    for (size_t i = 0; i < n; i++) {
        double size = fabs(R[i]) + fabs(g[i]) + fabs(out[i]);
        if (close_to(out[i], R[i] + g[i], size)) {
            kept += g[i] == 0;
            continue;
        }
        if (g[i] == 0 && out[i] == 0) {
            zeroed++, first_zeroed = first_zeroed < n ? first_zeroed : i;
        } else if (g[i] == 0) {
            moved++, first_moved = first_moved < n ? first_moved : i;
        } else if (close_to(out[i], g[i], size)) {
            lost++, first_lost = first_lost < n ? first_lost : i;
        } else {
            first_other = first_other < n ? first_other : i;
        }
    }
    if (first_zeroed < n)
        say(e, r, first_zeroed, R, out, R[first_zeroed], "the gradient buffer lost what the "
            "caller had put there", "it zeroes the caller's buffer (a memset or = 0) before "
            "adding: the entries it has no gradient for came back 0; the caller zeroes it, "
            "the function only adds (+=)");
    else if (first_lost < n)
        say(e, r, first_lost, R, out, R[first_lost] + g[first_lost], "the gradient was written "
            "over what the buffer held", "it overwrites instead of adding: grad = ... where "
            "grad += ... belongs, so the buffer holds this call's gradient alone");
    else if (first_moved < n)
        say(e, r, first_moved, R, out, R[first_moved], "an entry with no gradient changed",
            "it touches entries it has no gradient for (a row it must not write: the wrong "
            "index, or a whole matrix written where a few rows belong)");
    else if (first_other < n)
        say(e, r, first_other, R, out, R[first_other] + g[first_other], "the buffer did not "
            "come back as what it held plus the gradient", "with a non-zero buffer the "
            "function adds something other than its gradient: does it read the buffer it "
            "writes (grad[i] *= ..., or uses grad as scratch)?");
    (void)kept, (void)zeroed, (void)lost, (void)moved;
    return r->note[0] ? -1 : 0;
}

/* Random values in every entry, seeded, of the gradient's size. */
static void fill(double *R, const double *g, size_t n, uint64_t seed)
{
    gc_rng rng;
    gc_rng_seed(&rng, seed ^ 0x3c6ef372fe94f82bULL);
    double scale = fmax(1.0, gc_max_abs(g, n));
    for (size_t i = 0; i < n; i++)
        R[i] = scale * ((double)(gc_rng_next(&rng) >> 11) * 0x1.0p-53 - 0.5);
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
static int check_parts(evaluator *e, const double *R, double *out, gc_report *r)
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
        if (!close_to(J, e->f0, fabs(e->f0))) {
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
            int ok = mask >> k & 1 ? close_to(out[i], expect, fabs(R[i]) + fabs(e->grad[i]) +
                                              fabs(out[i])) : out[i] == R[i];
            if (!ok) {
                say(e, r, i, R, out, expect, asked, mask >> k & 1 ? "a gradient that is asked "
                    "for comes out different when another one is NULL" : "a gradient that is "
                    "not asked for (NULL) was written anyway, into another part's buffer");
                return -1;
            }
        }
    }
    return 0;
}

int gc_contract(evaluator *e, const gc_options *o, gc_report *r)
{
    size_t n = e->p->n;
    double *R = malloc(3 * n * sizeof *R), *out = R + n, *twice = out + n;
    if (!R) {
        r->status = GC_ERROR;
        snprintf(r->note, sizeof r->note, "out of memory");
        return -1;
    }
    fill(R, e->grad, n, o->seed);
    memcpy(out, R, n * sizeof *out);
    double J = gc_eval(e, out);
    int rc = judge_buffer(e, R, out, r);
    if (rc == 0) {                           /* again into the same buffer: R + 2 g */
        memcpy(twice, out, n * sizeof *twice);
        gc_eval(e, twice);
        for (size_t i = 0; rc == 0 && i < n; i++)
            if (!close_to(twice[i], out[i] + e->grad[i],
                          fabs(out[i]) + fabs(e->grad[i]) + fabs(twice[i]))) {
                say(e, r, i, out, twice, out[i] + e->grad[i], "a second call did not add its "
                    "gradient again", "it adds only on the first call (a static flag, a "
                    "cached result, or state kept between calls)");
                rc = -1;
            }
    }
    if (rc == 0 && e->p->f_parts)
        rc = check_parts(e, R, out, r);
    double J0 = gc_eval(e, NULL);
    if (rc == 0 && !(J == e->f0 && J0 == e->f0 ? 1 : close_to(J, e->f0, fabs(e->f0)) &&
                     close_to(J0, e->f0, fabs(e->f0)))) {
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
