/* remote.c — the checker's calls into student code, answered by the probe
 * (see remote.h). */
#include "remote.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

typedef struct {
    remote_conn *conn;
    gc_problem local;        /* the grader's own set-up: its ctx, functions, map */
    gc_map map;              /* local.map with every function routed to the probe */
    size_t n, m, count;
    double *buf;             /* 1 + max(n, m*m, count) doubles */
} remote_ctx;

static void breaks(remote_conn *conn, const char *why)
{
    if (!conn->broken)
        snprintf(conn->why, sizeof conn->why, "%s", why);
    conn->broken = 1;
}

/* Sends a request and its payloads; reads `back` doubles into buf. */
static int ask(remote_ctx *r, uint32_t op, uint32_t flags, const double *a, size_t na,
               const double *b, size_t nb, size_t back)
{
    remote_conn *conn = r->conn;
    if (conn->broken)
        return -1;
    if (sandbox_unasked(conn->run))
        return breaks(conn, "the test program sent answers nobody asked for"), -1;
    probe_req q = { op, flags, 0, "" };
    if (sandbox_write(conn->run, &q, sizeof q) != 0 ||
        (na && sandbox_write(conn->run, a, na * sizeof *a) != 0) ||
        (nb && sandbox_write(conn->run, b, nb * sizeof *b) != 0) ||
        (back && sandbox_read(conn->run, r->buf, back * sizeof *r->buf) != 0))
        return breaks(conn, ""), -1;
    return 0;
}

static double remote_f(void *ctx, const double *x, double *grad)
{
    remote_ctx *r = ctx;
    if (ask(r, PROBE_LOSS, grad != NULL, x, r->n, grad, grad ? r->n : 0, 1 + (grad ? r->n : 0)))
        return NAN;
    if (grad)
        memcpy(grad, r->buf + 1, r->n * sizeof *grad);
    return r->buf[0];
}

/* The parts as one buffer of n: the asked ones where they lie, zeros elsewhere. */
static double remote_parts(void *ctx, const double *x, double *const *parts)
{
    remote_ctx *r = ctx;
    const gc_problem *p = &r->local;
    double *whole = calloc(r->n ? r->n : 1, sizeof *whole);
    size_t len[GC_MAX_PARTS], off[GC_MAX_PARTS], at = 0, blk = 0;
    uint32_t mask = 0;
    for (size_t k = 0; k < p->nparts; k++) {
        off[k] = at, len[k] = 0;
        for (size_t j = 0; j < p->part_blocks[k]; j++, blk++)
            len[k] += p->blocks[blk].rows * (p->blocks[blk].cols ? p->blocks[blk].cols : 1);
        at += len[k];
        if (parts[k] && whole)
            mask |= 1u << k, memcpy(whole + off[k], parts[k], len[k] * sizeof *whole);
    }
    double J = NAN;
    if (!whole)
        breaks(r->conn, "the grader ran out of memory");
    else if (ask(r, PROBE_PARTS, mask, x, r->n, whole, r->n, 1 + r->n) == 0) {
        J = r->buf[0];
        for (size_t k = 0; k < p->nparts; k++)
            if (parts[k])
                memcpy(parts[k], r->buf + 1 + off[k], len[k] * sizeof *parts[k]);
    }
    free(whole);
    return J;
}

static void remote_reset(void *ctx)
{
    ask(ctx, PROBE_RESET, 0, NULL, 0, NULL, 0, 0);
}

static void remote_map(void *ctx, const double *in, double *out)
{
    remote_ctx *r = ctx;
    int bad = ask(r, PROBE_MAP, 0, in, r->m, NULL, 0, r->m);
    for (size_t i = 0; i < r->m; i++)
        out[i] = bad ? NAN : r->buf[i];
}

static void remote_inverse(void *ctx, const double *out, double *in)
{
    remote_ctx *r = ctx;
    int bad = ask(r, PROBE_INVERSE, 0, out, r->m, NULL, 0, r->m);
    for (size_t i = 0; i < r->m; i++)
        in[i] = bad ? NAN : r->buf[i];
}

static int remote_jacobian(void *ctx, const double *in, double *J)
{
    remote_ctx *r = ctx;
    if (ask(r, PROBE_JACOBIAN, 0, in, r->m, NULL, 0, 1 + r->m * r->m) != 0)
        return -1;
    memcpy(J, r->buf + 1, r->m * r->m * sizeof *J);
    return r->buf[0] == 0 ? 0 : -1;
}

static int remote_log_det(void *ctx, const double *in, double *ld)
{
    remote_ctx *r = ctx;
    if (ask(r, PROBE_LOGDET, 0, in, r->m, NULL, 0, 2) != 0)
        return -1;
    *ld = r->buf[1];
    return r->buf[0] == 0 ? 0 : -1;
}

/* A custom check's outputs: the values from the probe, the names from the
 * grader's own set-up (they depend on the shapes only). */
static size_t remote_outputs(const gc_problem *p, double *out, gc_name *names)
{
    remote_ctx *r = p->ctx;
    if (!out)
        return r->count;
    if (names)
        r->local.outputs(&r->local, r->buf, names);
    int bad = ask(r, PROBE_OUTPUTS, 0, NULL, 0, NULL, 0, r->count);
    for (size_t i = 0; i < r->count; i++)
        out[i] = bad ? NAN : r->buf[i];
    return r->count;
}

/* The explain hook reads the grader's own context (sizes, weights). */
static void remote_explain(const gc_problem *p, const double *a, const double *num, char *buf,
                           size_t size)
{
    const remote_ctx *r = p->ctx;
    r->local.explain(&r->local, a, num, buf, size);
}

static void remote_explain_loss(const gc_problem *p, double J, char *buf, size_t size)
{
    const remote_ctx *r = p->ctx;
    r->local.explain_loss(&r->local, J, buf, size);
}

/* A custom check never runs here: its code would call the reference. */
static gc_status remote_custom(const gc_problem *p, const gc_options *o, gc_report *rep)
{
    (void)p, (void)o;
    memset(rep, 0, sizeof *rep);
    rep->status = GC_ERROR;
    snprintf(rep->note, sizeof rep->note, "a custom check is graded by its outputs");
    return rep->status;
}

static void remote_release(void *ctx)
{
    remote_ctx *r = ctx;
    gc_problem_free(&r->local);
    free(r->buf);
}

/* The probe's shape must be the grader's: the same check at the same seed. */
static int same_shape(remote_ctx *r, const gc_check *c, uint64_t seed)
{
    probe_req q = { PROBE_SETUP, 0, seed, "" };
    snprintf(q.name, sizeof q.name, "%s", c->name);
    probe_shape s;
    if (r->conn->broken)
        return -1;
    if (sandbox_write(r->conn->run, &q, sizeof q) != 0 ||
        sandbox_read(r->conn->run, &s, sizeof s) != 0)
        return breaks(r->conn, ""), -1;
    if (s.status != 0 || s.n != (double)r->n || s.m != (double)r->m || s.count != (double)r->count)
        return breaks(r->conn, "the test program set up another problem than the grader's"), -1;
    return 0;
}

int remote_setup(remote_conn *conn, const gc_check *c, uint64_t seed, gc_problem *p)
{
    memset(p, 0, sizeof *p);
    remote_ctx *r = calloc(1, sizeof *r);
    if (!r || c->setup(&r->local, seed) != 0) {
        free(r);
        return breaks(conn, "the grader ran out of memory"), -1;
    }
    const gc_problem *l = &r->local;
    r->conn = conn;
    r->n = l->n, r->m = l->map ? l->map->m : 0, r->count = gc_output_count(l);
    size_t big = r->n > r->m * r->m ? r->n : r->m * r->m;
    r->buf = malloc((1 + (big > r->count ? big : r->count)) * sizeof *r->buf);
    *p = *l;
    p->ctx = r;
    p->release = remote_release;
    p->x = malloc((r->n ? r->n : 1) * sizeof *p->x);
    if (!r->buf || !p->x) {
        free(p->x), p->x = NULL;
        gc_problem_free(p);
        return breaks(conn, "the grader ran out of memory"), -1;
    }
    memcpy(p->x, l->x, r->n * sizeof *p->x);
    p->f = l->f ? remote_f : NULL;
    p->f_parts = l->f_parts ? remote_parts : NULL;
    p->reset = l->reset ? remote_reset : NULL;
    p->explain = l->explain ? remote_explain : NULL;
    p->explain_loss = l->explain_loss ? remote_explain_loss : NULL;
    p->custom = l->custom ? remote_custom : NULL;
    p->outputs = l->outputs ? remote_outputs : NULL;
    /* the kinds the probe does not answer: none of their functions may be
     * reached with this context (no lab's check sets them) */
    assert(!l->f32 && !l->hvp && !l->hessian && !l->hvp32 && !l->hessian32);
    p->f32 = NULL, p->hvp = NULL, p->hessian = NULL, p->hvp32 = NULL, p->hessian32 = NULL;
    if (l->map) {
        assert(!l->map->m_out && !l->map->jvp && !l->map->vjp && !l->map->map32);
        r->map = *l->map;
        r->map.ctx = r;
        r->map.map = remote_map, r->map.jacobian = remote_jacobian;
        r->map.log_abs_det = remote_log_det;
        r->map.inverse = l->map->inverse ? remote_inverse : NULL;
        r->map.jvp = NULL, r->map.vjp = NULL, r->map.map32 = NULL, r->map.jacobian32 = NULL;
        r->map.jvp32 = NULL, r->map.vjp32 = NULL;
        p->map = &r->map;
    }
    if (same_shape(r, c, seed) != 0) {
        gc_problem_free(p);
        return -1;
    }
    return 0;
}

void remote_close(remote_conn *conn)
{
    probe_req q = { PROBE_BYE, 0, 0, "" };
    if (!conn->broken && sandbox_write(conn->run, &q, sizeof q) != 0)
        breaks(conn, "");
}
