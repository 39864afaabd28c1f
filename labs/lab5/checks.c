/* labs/lab5/checks.c — lab 5's checks: the coupling layer's Jacobian (entry by
 * entry, its log-determinant by LU, the round trip and the inverse's
 * log-determinant), the layer's backward pass, and the gradient of a stacked
 * flow's negative log-likelihood. Scales are random, away from +-1 and partly
 * negative, so a missing abs or a sign slip cannot pass. Then the same for the
 * layer whose scale exp(s(u)) depends on the point (realnvp.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "lab.h"
#include "gradlab.h"

static void release_flow(void *ctx)
{
    free(((flow_ctx *)ctx)->P);
}

/* x = params | z | u for the map checks; params | (z, u) below. The layer
 * one way or the other (flow_forward or flow_inverse, which share their
 * shape), NaN everywhere when it refuses. */
typedef int (*layer_fn)(flow_dims d, const double *params, const double *a, const double *b,
                        double *c, double *e);

static void through(layer_fn fn, const flow_ctx *c, const double *in, double *out)
{
    if (fn(c->d, lab5_layer_params(c), in, in + c->d.n, out, out + c->d.n) != GL_OK)
        for (size_t i = 0; i < c->map.m; i++)
            out[i] = NAN;
}

static void map_forward(void *ctx, const double *in, double *out) { through(flow_forward, ctx, in, out); }
static void map_inverse(void *ctx, const double *out, double *in) { through(flow_inverse, ctx, out, in); }

static int map_jacobian(void *ctx, const double *in, double *J)
{
    flow_ctx *c = ctx;
    const double *params = lab5_layer_params(c);
    return flow_jacobian(c->d, params, in, in + c->d.n, J);
}

/* The closed form (it does not depend on the point). */
static int map_log_det(void *ctx, const double *in, double *ld)
{
    (void)in;
    flow_ctx *c = ctx;
    return flow_log_abs_det(c->d, lab5_layer_params(c), ld);
}

/* Random layer parameters: scales of size 0.5..2 with random signs, network
 * weights ~ N(0, 0.6^2). */
static void random_layer(flow_dims d, double *params, rng_t *r)
{
    size_t Q = flow_param_count(d);
    for (size_t i = 0; i < Q; i++)
        params[i] = 0.6 * rng_normal(r);
    for (size_t i = 0; i < d.n + d.h; i++) {
        double s = exp(rng_range(r, log(0.5), log(2.0)));
        params[i] = rng_uniform(r) < 0.4 ? -s : s;
    }
    params[0] = -fabs(params[0]);                  /* at least one negative scale */
}

/* What a failing map check of the coupling layer most likely is, read from
 * the values laid out as gc_outputs gives them: a = (output, closed-form
 * log|det J|, J), num = (output, LU's log|det J|, J by differences). */
static void explain_layer(const gc_problem *p, const double *a, const double *num, char *buf,
                          size_t size)
{
    const flow_ctx *c = p->ctx;
    size_t m = c->map.m;
    const double *scales = lab5_layer_params(c);
    (void)num;
    if (isnan(a[m])) {
        snprintf(buf, size, "flow_log_abs_det gives NaN: the log of a negative scale (alpha or "
                 "beta < 0 here); is the abs missing?");
        return;
    }
    if (!isnan(a[m + 1]))
        return;
    for (size_t i = 0; i < m; i++)
        if (scales[i] == 0) {
            snprintf(buf, size, "the layer is singular: %s[%zu] is 0, so flow_jacobian rightly "
                     "refuses it", i < c->d.n ? "alpha" : "beta", i < c->d.n ? i : i - c->d.n);
            return;
        }
    snprintf(buf, size, "flow_jacobian refused (or gave NaN for) a layer whose scales alpha and "
             "beta are all non-zero: only a zero scale makes the layer singular");
}

/* A map check: x = params | z | u (Q parameters drawn by init); the map
 * acts on (z, u) through the functions of ops. */
static int setup_map_of(gc_problem *p, uint64_t seed, flow_dims d, size_t Q,
                        void (*init)(flow_dims, double *, rng_t *), gc_map ops,
                        void (*explain)(const gc_problem *, const double *, const double *, char *,
                                        size_t))
{
    size_t m = d.n + d.h;
    if (gc_problem_alloc(p, Q + m, sizeof(flow_ctx)) != 0)
        return -1;
    flow_ctx *c = p->ctx;
    rng_t r;
    rng_seed(&r, seed);
    init(d, p->x, &r);
    for (size_t i = 0; i < m; i++)
        p->x[Q + i] = rng_normal(&r);
    c->d = d;
    c->Q = Q;
    c->map = (gc_map){ .map = ops.map, .jacobian = ops.jacobian, .log_abs_det = ops.log_abs_det,
                       .inverse = ops.inverse, .ctx = c, .m = m, .x = p->x + Q,
                       .in = { { "z", d.n, 0 }, { "u", d.h, 0 } },
                       .out = { { "x", d.n, 0 }, { "v", d.h, 0 } }, .nin = 2, .nout = 2 };
    p->map = &c->map;
    p->explain = explain;
    p->blocks[0] = (gc_block){ "z", d.n, 0 };
    p->blocks[1] = (gc_block){ "u", d.h, 0 };
    p->nblocks = 2;
    return 0;
}

static int setup_map(gc_problem *p, uint64_t seed, flow_dims d)
{
    gc_map ops = { .map = map_forward, .jacobian = map_jacobian, .log_abs_det = map_log_det,
                   .inverse = map_inverse };
    return setup_map_of(p, seed, d, flow_param_count(d), random_layer, ops, explain_layer);
}

static int setup_jac(gc_problem *p, uint64_t seed) { return setup_map(p, seed, (flow_dims){ 3, 2, 4 }); }
static int setup_jac_wide(gc_problem *p, uint64_t seed) { return setup_map(p, seed, (flow_dims){ 1, 4, 3 }); }

/* ---- the layer's backward pass: L = |x - a|^2 / 2 + |v|^2 / 2, a fixed ---- */

/* x = params | z | u; the target a is taken from the tail of the context. */
static double f_layer(void *ctx, const double *x, double *grad)
{
    flow_ctx *c = ctx;
    flow_dims d = c->d;
    size_t Q = flow_param_count(d);
    const double *z = x + Q, *u = z + d.n;
    double out[64], gx[32], gv[32], gz[32], gu[32];
    if (flow_forward(d, x, z, u, out, out + d.n) != GL_OK)
        return NAN;
    double L = 0.0;
    for (size_t i = 0; i < d.n; i++) {
        gx[i] = out[i] - c->P[i];
        L += 0.5 * gx[i] * gx[i];
    }
    for (size_t j = 0; j < d.h; j++) {
        gv[j] = out[d.n + j];
        L += 0.5 * gv[j] * gv[j];
    }
    if (!grad)
        return L;
    flow_backward(d, x, z, u, gx, gv, grad, gz, gu);
    for (size_t i = 0; i < d.n; i++)
        grad[Q + i] += gz[i];
    for (size_t j = 0; j < d.h; j++)
        grad[Q + d.n + j] += gu[j];
    return L;
}

static int setup_layer(gc_problem *p, uint64_t seed)
{
    flow_dims d = { 3, 2, 4 };
    size_t Q = flow_param_count(d);
    if (gc_problem_alloc(p, Q + d.n + d.h, sizeof(flow_ctx)) != 0)
        return -1;
    flow_ctx *c = p->ctx;
    rng_t r;
    rng_seed(&r, seed);
    random_layer(d, p->x, &r);
    for (size_t i = 0; i < d.n + d.h; i++)
        p->x[Q + i] = rng_normal(&r);
    *c = (flow_ctx){ .d = d, .P = malloc(d.n * sizeof(double)) };
    p->release = release_flow;
    if (!c->P) {
        gc_problem_free(p);
        return -1;
    }
    for (size_t i = 0; i < d.n; i++)
        c->P[i] = rng_normal(&r);
    p->f = f_layer;
    const char *names[8] = { "alpha", "beta", "W1", "b1", "W2", "b2", "z", "u" };
    size_t rows[8] = { d.n, d.h, d.H, d.H, d.n, d.n, d.n, d.h }, cols[8] = { 0, 0, d.h, 0, d.H, 0, 0, 0 };
    for (size_t b = 0; b < 8; b++)
        p->blocks[b] = (gc_block){ names[b], rows[b], cols[b] };
    p->nblocks = 8;
    return 0;
}


/* ---- the stacked flow's NLL over N points ---- */

static double f_nll(void *ctx, const double *x, double *grad)
{
    const flow_ctx *c = ctx;
    return flow_nll(c->d, c->L, x, c->P, c->N, grad);
}

static int setup_nll(gc_problem *p, uint64_t seed)
{
    enum { L = 2, N = 10 };
    static const char *names[L][6] = {
        { "alpha_1", "beta_1", "W1_1", "b1_1", "W2_1", "b2_1" },
        { "alpha_2", "beta_2", "W1_2", "b1_2", "W2_2", "b2_2" },
    };
    flow_dims d = { 1, 1, 3 };
    size_t Q = flow_param_count(d);
    if (gc_problem_alloc(p, L * Q, sizeof(flow_ctx)) != 0)
        return -1;
    flow_ctx *c = p->ctx;
    *c = (flow_ctx){ .d = d, .L = L, .N = N, .P = malloc(2 * N * sizeof(double)) };
    p->release = release_flow;
    if (!c->P) {
        gc_problem_free(p);
        return -1;
    }
    rng_t r;
    rng_seed(&r, seed);
    for (size_t l = 0; l < L; l++)
        random_layer(d, p->x + l * Q, &r);
    for (size_t i = 0; i < 2 * N; i++)
        c->P[i] = rng_normal(&r);
    p->f = f_nll;
    for (size_t l = 0; l < L; l++) {
        size_t rows[6] = { 1, 1, d.H, d.H, 1, 1 }, cols[6] = { 0, 0, 1, 0, d.H, 0 };
        for (size_t b = 0; b < 6; b++)
            p->blocks[l * 6 + b] = (gc_block){ names[l][b], rows[b], cols[b] };
    }
    p->nblocks = L * 6;
    return 0;
}

/* ---- the coupling layer whose scale depends on u (realnvp.h) ---- */

/* Through realnvp_forward or realnvp_inverse (they share flow's shape). */
static void rn_forward(void *ctx, const double *in, double *out) { through(realnvp_forward, ctx, in, out); }
static void rn_inverse(void *ctx, const double *out, double *in) { through(realnvp_inverse, ctx, out, in); }

static int rn_jacobian(void *ctx, const double *in, double *J)
{
    flow_ctx *c = ctx;
    return realnvp_jacobian(c->d, lab5_layer_params(c), in, in + c->d.n, J);
}

/* sum s(u): it depends on the point, through u only. */
static int rn_log_det(void *ctx, const double *in, double *ld)
{
    flow_ctx *c = ctx;
    return realnvp_log_abs_det(c->d, lab5_layer_params(c), in + c->d.n, ld);
}

/* Random weights ~ N(0, 0.6^2): s(u) of size about 1, never near 0 for
 * every coordinate at once. */
static void random_realnvp(flow_dims d, double *params, rng_t *r)
{
    for (size_t i = 0; i < realnvp_param_count(d); i++)
        params[i] = 0.6 * rng_normal(r);
}

/* A failing map check of the layer read from a = (output, closed-form
 * log|det J|, J) and num = (output, LU's log|det J|, J by differences): the
 * diagonal of dx/dz holds the scales exp(s_i), so a closed form equal to
 * their sum (or to their product) is the scales added up, not their logs. */
static void explain_realnvp(const gc_problem *p, const double *a, const double *num, char *buf,
                            size_t size)
{
    const flow_ctx *c = p->ctx;
    size_t m = c->map.m;
    const double *Jn = num + m + 1;
    double sum = 0.0, prod = 1.0, ld = a[m];
    for (size_t i = 0; i < c->d.n; i++)
        sum += Jn[i * m + i], prod *= Jn[i * m + i];
    if (!isfinite(ld))
        return;
    if (fabs(ld - sum) < 1e-6 * (1 + fabs(sum)))
        snprintf(buf, size, "log|det J| is the sum of the scales exp(s_i) (dx/dz's diagonal): the "
                 "determinant is their product, so its log is sum s_i(u)");
    else if (fabs(ld - prod) < 1e-6 * (1 + fabs(prod)))
        snprintf(buf, size, "log|det J| is det J itself, the product of the scales exp(s_i): "
                 "its log is sum s_i(u)");
}

static int setup_rn_jac(gc_problem *p, uint64_t seed)
{
    flow_dims d = { 3, 2, 4 };
    gc_map ops = { .map = rn_forward, .jacobian = rn_jacobian, .log_abs_det = rn_log_det,
                   .inverse = rn_inverse };
    return setup_map_of(p, seed, d, realnvp_param_count(d), random_realnvp, ops, explain_realnvp);
}

/* The layer under a standard normal base: x = params | z | u,
 * J = |x|^2/2 + |v|^2/2 + (n + h)/2 log(2 pi) - sum s(u). */
static double f_rn_layer(void *ctx, const double *x, double *grad)
{
    const flow_ctx *c = ctx;
    flow_dims d = c->d;
    size_t Q = realnvp_param_count(d);
    const double *z = x + Q, *u = z + d.n;
    double out[16], ld;
    if (realnvp_forward(d, x, z, u, out, out + d.n) != GL_OK ||
        realnvp_log_abs_det(d, x, u, &ld) != GL_OK)
        return NAN;
    double J = 0.5 * (double)(d.n + d.h) * 1.8378770664093454836 - ld;
    for (size_t i = 0; i < d.n + d.h; i++)
        J += 0.5 * out[i] * out[i];
    if (grad && realnvp_backward(d, x, z, u, out, out + d.n, -1.0, grad, grad + Q,
                                 grad + Q + d.n) != GL_OK)
        return NAN;
    return J;
}

/* 1 when a - num is `want` (within round-off) in each of the n entries. */
static int off_by(const double *a, const double *num, const double *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(fabs(a[i] - num[i] - want[i]) <= 1e-5 * (1 + fabs(want[i]))))
            return 0;
    return 1;
}

/* The two ways dJ/dbs goes wrong, read from its error: +1 in each entry is
 * the log-det term's -1 left out; -x_i z_i exp(s_i) is the path through
 * x = z exp(s) + t left out (exp(s) taken for a constant). The scales
 * exp(s_i) and x are read off the layer's own realnvp_jacobian and
 * realnvp_forward at the check's point. */
static void explain_rn_layer(const gc_problem *p, const double *a, const double *num, char *buf,
                             size_t size)
{
    const flow_ctx *c = p->ctx;
    flow_dims d = c->d;
    size_t m = d.n + d.h, bs = d.H * d.h + d.H + d.n * d.H;
    const double *z = p->x + c->Q, *u = z + d.n;
    double ones[8], through_x[8], out[8], J[64];
    if (m > 8)
        return;
    for (size_t i = 0; i < d.n; i++)
        ones[i] = 1.0;
    if (off_by(a + bs, num + bs, ones, d.n)) {
        snprintf(buf, size, "dJ/dbs is off by +1 in every entry: the gradient of the log-det "
                 "term - sum s_i(u) (-1 for each s_i) is left out");
        return;
    }
    if (realnvp_forward(d, p->x, z, u, out, out + d.n) != GL_OK ||
        realnvp_jacobian(d, p->x, z, u, J) != GL_OK)
        return;
    for (size_t i = 0; i < d.n; i++)
        through_x[i] = -out[i] * z[i] * J[i * m + i];
    if (off_by(a + bs, num + bs, through_x, d.n))
        snprintf(buf, size, "dJ/dbs misses dJ/dx_i z_i exp(s_i): exp(s(u)) is treated as a "
                 "constant, but s moves x = z exp(s) + t as well as log|det J|, so the "
                 "gradients of s's parameters and of u go through it");
}

static int setup_rn_layer(gc_problem *p, uint64_t seed)
{
    flow_dims d = { 3, 2, 4 };
    size_t Q = realnvp_param_count(d);
    if (gc_problem_alloc(p, Q + d.n + d.h, sizeof(flow_ctx)) != 0)
        return -1;
    flow_ctx *c = p->ctx;
    *c = (flow_ctx){ .d = d, .Q = Q };
    rng_t r;
    rng_seed(&r, seed);
    random_realnvp(d, p->x, &r);
    for (size_t i = 0; i < d.n + d.h; i++)
        p->x[Q + i] = rng_normal(&r);
    p->f = f_rn_layer;
    p->explain = explain_rn_layer;
    const char *names[8] = { "W1", "b1", "Ws", "bs", "Wt", "bt", "z", "u" };
    size_t rows[8] = { d.H, d.H, d.n, d.n, d.n, d.n, d.n, d.h }, cols[8] = { d.h, 0, d.H, 0, d.H, 0, 0, 0 };
    for (size_t b = 0; b < 8; b++)
        p->blocks[b] = (gc_block){ names[b], rows[b], cols[b] };
    p->nblocks = 8;
    return 0;
}

/* The stacked flow's NLL: x = the L layers | the N points. */
static double f_rn_nll(void *ctx, const double *x, double *grad)
{
    const flow_ctx *c = ctx;
    size_t n = c->L * c->Q;
    return realnvp_nll(c->d, c->L, x, x + n, c->N, grad, grad ? grad + n : NULL);
}

static int setup_rn_nll(gc_problem *p, uint64_t seed)
{
    enum { L = 2, N = 8 };
    static const char *names[L][6] = {
        { "W1_1", "b1_1", "Ws_1", "bs_1", "Wt_1", "bt_1" },
        { "W1_2", "b1_2", "Ws_2", "bs_2", "Wt_2", "bt_2" },
    };
    flow_dims d = { 1, 1, 3 };
    size_t Q = realnvp_param_count(d);
    if (gc_problem_alloc(p, L * Q + 2 * N, sizeof(flow_ctx)) != 0)
        return -1;
    flow_ctx *c = p->ctx;
    *c = (flow_ctx){ .d = d, .Q = Q, .L = L, .N = N };
    rng_t r;
    rng_seed(&r, seed);
    for (size_t l = 0; l < L; l++)
        random_realnvp(d, p->x + l * Q, &r);
    for (size_t i = 0; i < 2 * N; i++)
        p->x[L * Q + i] = rng_normal(&r);
    p->f = f_rn_nll;
    for (size_t l = 0; l < L; l++) {
        size_t rows[6] = { d.H, d.H, 1, 1, 1, 1 }, cols[6] = { 1, 0, d.H, 0, d.H, 0 };
        for (size_t b = 0; b < 6; b++)
            p->blocks[l * 6 + b] = (gc_block){ names[l][b], rows[b], cols[b] };
    }
    p->blocks[L * 6] = (gc_block){ "P", N, 2 };
    p->nblocks = L * 6 + 1;
    return 0;
}

#include "golden.h"

const gc_check lab5_checks[] = {
    { "flow_jacobian", LAB_NUMBER,
      "coupling layer n = 3, h = 2, H = 4: Jacobian, log|det| by LU, round "
      "trip, inverse", setup_jac, NO_GOLDEN },
    { "flow_jacobian_wide", LAB_NUMBER,
      "coupling layer n = 1, h = 4, H = 3 (alpha and beta of different "
      "lengths)", setup_jac_wide, NO_GOLDEN },
    { "flow_layer", LAB_NUMBER,
      "the layer's backward pass: dL/dalpha, beta, W1, b1, W2, b2, z, u of "
      "|x - a|^2/2 + |v|^2/2", setup_layer, GOLDEN(flow_layer) },
    { "flow_nll", LAB_NUMBER, "NLL of a 2-layer flow on 10 points of the plane: every parameter",
      setup_nll, GOLDEN(flow_nll) },
    { "realnvp_jacobian", LAB_NUMBER,
      "coupling layer x = z exp(s(u)) + t(u), v = u, n = 3, h = 2, H = 4: Jacobian, log|det| "
      "= sum s(u) by LU, round trip, inverse", setup_rn_jac, NO_GOLDEN },
    { "realnvp_layer", LAB_NUMBER,
      "the layer's NLL under a standard normal: dJ/dW1, b1, Ws, bs, Wt, bt, z, u", setup_rn_layer,
      GOLDEN(realnvp_layer) },
    { "realnvp_nll", LAB_NUMBER,
      "NLL of a 2-layer RealNVP flow on 8 points of the plane: every parameter and every point",
      setup_rn_nll, GOLDEN(realnvp_nll) },
    { 0 }
};

