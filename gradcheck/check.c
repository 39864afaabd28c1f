/* check.c — the gradient check: analytic vs finite differences, coordinate by
 * coordinate (sampled plus random directions for large blocks), each value
 * judged by judge.c; and gc_check_gradient, which checks what a problem's
 * kind names. */
#define _POSIX_C_SOURCE 200809L
#include "gradcheck.h"
#include "gc_internal.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


gc_options gc_default_options(void)
{
    gc_options o = { GC_CENTRAL, 0.0, 1, 2048, 64, 8, 0.0, 0.0, 0.0 };
    return o;
}

const char *gc_status_name(gc_status s)
{
    static const char *names[] = { "PASS", "FAIL", "VACUOUS", "NOT IMPLEMENTED",
                                   "CRASH", "TIMEOUT", "ERROR" };
    return s >= GC_PASS && s <= GC_ERROR ? names[s] : "UNKNOWN";
}

const char *gc_method_name(gc_method m)
{
    return m == GC_RICHARDSON ? "richardson" : m == GC_TAYLOR ? "taylor" : "central";
}

const char *gc_kind_name(gc_kind k)
{
    static const char *names[] = { "auto", "gradient", "Jacobian", "JVP", "VJP", "second order" };
    return k >= GC_AUTO && k <= GC_SECOND ? names[k] : "unknown";
}

/* Inserts coordinate i into idx[0..k), kept sorted by decreasing |a|; the
 * list holds at most cap entries. Returns the new length. */
static size_t insert_top(const double *a, size_t *idx, size_t k, size_t cap, size_t i)
{
    if (k == cap && (cap == 0 || fabs(a[i]) <= fabs(a[idx[cap - 1]])))
        return k;
    size_t j = k < cap ? k++ : cap - 1;
    for (; j > 0 && fabs(a[idx[j - 1]]) < fabs(a[i]); j--)
        idx[j] = idx[j - 1];
    idx[j] = i;
    return k;
}

/* Picks the coordinates of a block to check: all of them when small, else
 * o->sample of them: the half with the largest |a|, and a seeded random half. */
static size_t pick_coords(const gc_options *o, const double *a, size_t len, gc_rng *rng, size_t *idx)
{
    if (len <= o->full_limit) {
        for (size_t i = 0; i < len; i++)
            idx[i] = i;
        return len;
    }
    size_t want = o->sample < len ? o->sample : len, k = 0;
    for (size_t i = 0; i < len; i++)
        k = insert_top(a, idx, k, want / 2, i);
    while (k < want) {
        size_t c = gc_rng_index(rng, len), j = 0;
        while (j < k && idx[j] != c)
            j++;
        if (j == k)
            idx[k++] = c;
    }
    return k;
}

/* What the per-value verdicts leave for the diagnosis and the report. */
typedef struct {
    double *num;             /* numeric derivative per coordinate, NaN where unchecked */
    unsigned char *wrong;    /* verdict per coordinate */
    verdict kink;            /* the first accepted kink (kink.kink == 0: none) */
    size_t kinks;
    gc_report *r;            /* for the noise-allowance record */
} coord_log;

static void record(gc_block_report *br, verdict *bworst, const verdict *v, coord_log *log)
{
    br->wrong += v->wrong;
    br->wrong_directions += v->wrong && v->direction;
    br->kinks += v->kink && !v->wrong;
    if (gc_worse(v, bworst))
        *bworst = *v;
    if (v->kink && !v->wrong && log->kinks++ == 0)
        log->kink = *v;
    gc_note_allowance(log->r, v);
}

/* Every (or every sampled) coordinate of one block: numeric values first, so
 * that the error floor knows the block's scale, then the verdicts. */
static int check_coords(evaluator *e, const gc_options *o, const gc_block *b, size_t off,
                        const double *a, gc_rng *rng, gc_block_report *br, verdict *bworst,
                        coord_log *log)
{
    size_t len = gc_block_size(b), cap = len <= o->full_limit ? len : o->sample;
    size_t *idx = malloc((cap + 1) * sizeof *idx);
    double *num = malloc((cap + 1) * sizeof *num), *steps = malloc((cap + 1) * sizeof *steps);
    if (!idx || !num || !steps) {
        free(idx), free(num), free(steps);
        return -1;
    }
    size_t k = pick_coords(o, a + off, len, rng, idx);
    double gmax = 0;
    char label[96];
    for (size_t c = 0; c < k && !e->bad; c++) {
        size_t i = off + idx[c];
        gc_coord_name(b, idx[c], label, sizeof label);
        probe q = { i, NULL, 0, 0, label };
        num[c] = gc_numeric(e, o->method, &q, fabs(e->x0[i]), &steps[c]);
        gmax = fmax(gmax, fmax(fabs(num[c]), fabs(a[i])));
    }
    for (size_t c = 0; c < k && !e->bad; c++) {
        size_t i = off + idx[c];
        gc_coord_name(b, idx[c], label, sizeof label);
        probe q = { i, NULL, 0, 0, label };
        verdict v = gc_judge(e, &q, a[i], num[c], steps[c], fabs(e->x0[i]), 1e-3 * gmax);
        br->checked++;
        record(br, bworst, &v, log);
        log->num[i] = v.n;
        log->wrong[i] = (unsigned char)v.wrong;
    }
    free(idx), free(num), free(steps);
    return 0;
}

/* Random unit directions d over a large block: grad . d against the
 * directional difference; catches a wrong entry that sampling missed. */
static int check_directions(evaluator *e, const gc_options *o, const gc_block *b, size_t off,
                            const double *a, gc_rng *rng, gc_block_report *br, verdict *bworst,
                            coord_log *log)
{
    size_t len = gc_block_size(b);
    double *dir = malloc(len * sizeof *dir);
    if (!dir)
        return -1;
    double anorm = 0, xmax = gc_max_abs(e->x0 + off, len);
    for (size_t j = 0; j < len; j++)
        anorm += a[off + j] * a[off + j];
    anorm = sqrt(anorm);
    for (size_t d = 0; d < o->directions && !e->bad; d++) {
        double ad = 0, step;
        gc_rng_direction(rng, dir, len);
        for (size_t j = 0; j < len; j++)
            ad += a[off + j] * dir[j];
        char label[96];
        snprintf(label, sizeof label, "dJ/d%s . d%zu", b->name, d + 1);
        probe q = { 0, dir, off, len, label };
        double n = gc_numeric(e, o->method, &q, xmax, &step);
        verdict v = gc_judge(e, &q, ad, n, step, xmax, 1e-3 * anorm);
        br->directions++;
        record(br, bworst, &v, log);
    }
    free(dir);
    return 0;
}

static int check_block(evaluator *e, const gc_options *o, const gc_block *b, size_t off,
                       const double *a, gc_rng *rng, gc_block_report *br, verdict *worst,
                       coord_log *log)
{
    verdict bworst = GC_NO_VERDICT;
    snprintf(br->name, sizeof br->name, "dJ/d%s", b->name);
    br->total = gc_block_size(b);
    if (check_coords(e, o, b, off, a, rng, br, &bworst, log) != 0)
        return -1;
    if (br->total > o->full_limit && check_directions(e, o, b, off, a, rng, br, &bworst, log) != 0)
        return -1;
    br->max_err = bworst.err < 0 ? 0 : bworst.err;
    snprintf(br->where, sizeof br->where, "%s", bworst.where);
    br->analytic = bworst.a;
    br->numeric = bworst.n;
    br->step = bworst.step;
    br->refined = bworst.refined;
    if (gc_worse(&bworst, worst))
        *worst = bworst;
    return 0;
}

static void fill_worst(gc_report *r, const verdict *w)
{
    r->max_err = w->err < 0 ? 0 : w->err;
    snprintf(r->where, sizeof r->where, "%s", w->where);
    r->analytic = w->a;
    r->numeric = w->n;
    r->step = w->step;
    r->refined = w->refined;
    r->refined_err_est = w->err_est;
}

/* The problem's own explanation, when it has one and it fits, before the
 * diagnosis's general findings. */
static void explain(const gc_problem *p, const double *a, const double *num, gc_report *r)
{
    char known[sizeof r->diagnosis] = "";
    if (p->explain)
        p->explain(p, a, num, known, sizeof known);
    gc_lead_diagnosis(r, known);
}

/* "3 checked coordinates disagree with finite differences", or with random
 * directions checked too, how many of each. */
static int count_wrong(const gc_report *r, const char *unit, char *buf, size_t size)
{
    size_t wc = 0, wd = 0, nc = 0, nd = 0;
    for (size_t b = 0; b < r->nblocks; b++) {
        wc += r->blocks[b].wrong - r->blocks[b].wrong_directions;
        wd += r->blocks[b].wrong_directions;
        nc += r->blocks[b].checked;
        nd += r->blocks[b].directions;
    }
    if (nd == 0)
        return snprintf(buf, size, "%zu checked %s%s disagree%s with finite differences", wc,
                        unit, wc == 1 ? "" : "s", wc == 1 ? "s" : "");
    if (wc == 0)
        return snprintf(buf, size, "%zu of %zu random direction%s disagree%s with finite "
                        "differences (the %zu checked %ss agree%s)", wd, nd, nd == 1 ? "" : "s",
                        wd == 1 ? "s" : "", nc, unit, r->relied ? ", within the noise allowance"
                        : "");
    return snprintf(buf, size, "%zu of %zu checked %ss and %zu of %zu random directions "
                    "disagree with finite differences", wc, nc, unit, wd, nd);
}

/* The verdict of the whole check, once every block is done. */
static void conclude(const gc_problem *p, const double *a, const evaluator *e, const verdict *worst,
                     const coord_log *log, gc_report *r)
{
    fill_worst(r, worst);
    r->status = GC_FAIL;
    if (e->bad) {
        snprintf(r->note, sizeof r->note, "%s", e->bad_note);
    } else if (gc_max_abs(a, p->n) == 0 && !worst->wrong) {
        r->status = GC_VACUOUS;
        snprintf(r->note, sizeof r->note, "the gradient is zero at every checked coordinate and "
                 "the loss does not move there: this check proves nothing");
    } else if (gc_max_abs(a, p->n) == 0) {
        snprintf(r->note, sizeof r->note, "the analytic gradient is zero everywhere but the loss "
                 "moves: was anything added into the gradient buffer?");
    } else if (worst->wrong) {
        int n = count_wrong(r, "coordinate", r->note, sizeof r->note);
        if (worst->kink && n > 0 && (size_t)n < sizeof r->note)
            snprintf(r->note + n, sizeof r->note - (size_t)n, "; %s is at a kink (left derivative "
                     "%.6g, right %.6g) and the analytic %.6g %s", worst->where, worst->left,
                     worst->right, worst->a, p->kink_side < 0 ? "is not the left one, which the "
                     "check's convention asks for" : p->kink_side > 0 ? "is not the right one, "
                     "which the check's convention asks for" : "lies outside them");
        gc_diagnose(p, a, log->num, log->wrong, r);
        explain(p, a, log->num, r);
    } else {
        r->status = GC_PASS;
    }
    r->kinks = log->kinks;
    if (log->kinks) {
        snprintf(r->kink_where, sizeof r->kink_where, "%s", log->kink.where);
        r->kink_left = log->kink.left;
        r->kink_right = log->kink.right;
        r->kink_analytic = log->kink.a;
        r->kink_side = log->kink.direction ? 0 : p->kink_side;   /* the rule judge.c used */
    }
}

gc_status gc_check_loss(const gc_problem *p, const gc_options *o, gc_report *r)
{
    if (o->method == GC_TAYLOR)
        return gc_taylor(p, o, NULL, NULL, r);
    evaluator e;
    double *num = malloc(p->n * sizeof *num);
    unsigned char *wrong = calloc(p->n, 1);
    coord_log log = { num, wrong, GC_NO_VERDICT, 0, r };
    verdict worst = GC_NO_VERDICT;
    if (gc_open(&e, p, o, r) != 0 || gc_contract(&e, o, r) != 0)
        goto done;
    if (!num || !wrong) {
        r->status = GC_ERROR, r->error = ENOMEM;
        snprintf(r->note, sizeof r->note, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < p->n; i++)
        num[i] = NAN;
    gc_rng rng;
    gc_rng_seed(&rng, o->seed ^ 0x9c3f1a27d5b0e846ULL);
    size_t off = 0;
    for (size_t b = 0; b < p->nblocks && !e.bad; b++) {
        if (check_block(&e, o, &p->blocks[b], off, e.grad, &rng, &r->blocks[b], &worst, &log) != 0) {
            r->status = GC_ERROR, r->error = ENOMEM;
            snprintf(r->note, sizeof r->note, "out of memory");
            goto done;
        }
        r->nblocks = b + 1;
        off += gc_block_size(&p->blocks[b]);
    }
    conclude(p, e.grad, &e, &worst, &log, r);
done:
    gc_close(&e, r);
    free(num), free(wrong);
    return r->status;
}

/* Fills *r as an ERROR saying why p or o cannot be checked; returns 1 then. */
static int refuse(const gc_problem *p, const gc_options *o, gc_report *r)
{
    char why[200];
    if (gc_problem_valid(p, why, sizeof why) == 0 && gc_options_valid(o, why, sizeof why) == 0)
        return 0;
    gc_refuse(r, EINVAL, why);
    return 1;
}

gc_status gc_check_gradient(const gc_problem *p, const gc_options *o, gc_report *r)
{
    if (!r)
        return GC_ERROR;
    if (refuse(p, o, r))
        return GC_ERROR;
    if (p->custom)
        return p->custom(p, o, r);
    gc_kind kind = p->kind != GC_AUTO ? p->kind : p->map ? GC_JACOBIAN : GC_GRADIENT;
    gc_status s;
    if (kind == GC_GRADIENT)
        s = gc_check_loss(p, o, r);
    else if (kind == GC_SECOND)
        s = gc_check_second(p, o, r);
    else
        s = gc_map_check(p->map, o, kind, p, r);
    r->kind = kind;
    return s;
}
