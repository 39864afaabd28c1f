/* labs/lab5/teach/slips.c — lab 5's slips: the coupling layer's backward pass and its Jacobian's
 * log-determinant, and those of the layer whose scale exp(s(u)) depends on u (realnvp.h). Each
 * slip is a right check made wrong the way students make it wrong (labs/teach/slips.h);
 * instructors only, never shipped. */
#include "slips.h"

#include <assert.h>
#include <math.h>

#include "gradlab.h"
#include "lab5/checks.h"
#include "registry.h"

/* The layer's backward pass without tanh' = 1 - t^2 in dF/da: dL/da grows by
 * the factor 1 / (1 - t^2), which carries into b1, W1 and u. x = params | z | u. */
static double flow_no_tanh_prime(const gc_problem *p, const double *x, double J, const double *g,
                                 double *grad)
{
    const flow_ctx *c = p->ctx;
    flow_dims d = c->d;
    size_t Q = flow_param_count(d), W1 = d.n + d.h, b1 = W1 + d.H * d.h, u = Q + d.n;
    slip_add(grad, g, p->n, 1.0);
    for (size_t k = 0; grad && k < d.H; k++) {
        double a = x[b1 + k];
        for (size_t j = 0; j < d.h; j++)
            a += x[W1 + k * d.h + j] * x[u + j];
        double t = tanh(a), extra = g[b1 + k] * t * t / (1.0 - t * t);
        grad[b1 + k] += extra;
        for (size_t j = 0; j < d.h; j++) {
            grad[W1 + k * d.h + j] += extra * x[u + j];
            grad[u + j] += extra * x[W1 + k * d.h + j];
        }
    }
    return J;
}

/* A Jacobian check with its closed-form log|det J| changed: the map's other
 * functions are the right ones. */
typedef struct {
    const gc_map *right;
    const flow_ctx *layer;
    int slip;                /* NO_ABS, ... INVERSE_TIMES_EXP */
} map_slip;

enum { NO_ABS, OFF_BY_ONE, DF_DU_SIGN, LOGDET_SUM_EXP, INVERSE_TIMES_EXP };

enum { MAX_M = 8 };          /* the map checks' n + h */

/* The first n entries of the diagonal of the right Jacobian at `in`: the
 * scales exp(s_i(u)) of a RealNVP layer. */
static void right_scales(const map_slip *s, const double *in, double *scale)
{
    double J[MAX_M * MAX_M];
    size_t m = s->layer->d.n + s->layer->d.h;
    assert(m <= MAX_M);
    s->right->jacobian(s->right->ctx, in, J);
    for (size_t i = 0; i < s->layer->d.n; i++)
        scale[i] = J[i * m + i];
}

static void ms_map(void *ctx, const double *in, double *out)
{
    const gc_map *r = ((map_slip *)ctx)->right;
    r->map(r->ctx, in, out);
}

/* The right Jacobian, or (DF_DU_SIGN) with its block dx/du negated: the
 * shift net's derivative taken for x = alpha z - F(u). */
static int ms_jacobian(void *ctx, const double *in, double *J)
{
    const map_slip *s = ctx;
    int rc = s->right->jacobian(s->right->ctx, in, J);
    flow_dims d = s->layer->d;
    size_t m = d.n + d.h;
    for (size_t i = 0; s->slip == DF_DU_SIGN && i < d.n; i++)
        for (size_t j = d.n; j < m; j++)
            J[i * m + j] = -J[i * m + j];
    return rc;
}

/* The right inverse, or (INVERSE_TIMES_EXP) z = (x - t(u)) * exp(s(u)):
 * the right z = (x - t) exp(-s) times exp(2 s). */
static void ms_inverse(void *ctx, const double *out, double *in)
{
    const map_slip *s = ctx;
    s->right->inverse(s->right->ctx, out, in);
    double scale[MAX_M];
    if (s->slip != INVERSE_TIMES_EXP)
        return;
    right_scales(s, in, scale);
    for (size_t i = 0; i < s->layer->d.n; i++)
        in[i] *= scale[i] * scale[i];
}

/* log(alpha) without the abs (NaN at a negative scale), or beta's last term
 * left out (a sum over j < h - 1). */
static int ms_log_det(void *ctx, const double *in, double *ld)
{
    const map_slip *s = ctx;
    int rc = s->right->log_abs_det(s->right->ctx, in, ld);
    flow_dims d = s->layer->d;
    const double *alpha = lab5_layer_params(s->layer), *beta = alpha + d.n;
    for (size_t i = 0; s->slip == NO_ABS && i < d.n; i++)
        *ld += log(alpha[i]) - log(fabs(alpha[i]));
    if (s->slip == OFF_BY_ONE)
        *ld -= log(fabs(beta[d.h - 1]));
    double scale[MAX_M];
    if (s->slip == LOGDET_SUM_EXP) {                /* sum exp(s_i) for sum s_i */
        right_scales(s, in, scale);
        *ld = 0.0;
        for (size_t i = 0; i < d.n; i++)
            *ld += scale[i];
    }
    return rc;
}

static gc_status check_slipped_map(const gc_problem *p, const gc_options *o, gc_report *r, int slip)
{
    const flow_ctx *c = p->ctx;
    map_slip s = { &c->map, c, slip };
    gc_map m = c->map;
    m.ctx = &s;
    m.map = ms_map, m.jacobian = ms_jacobian, m.log_abs_det = ms_log_det;
    m.inverse = c->map.inverse ? ms_inverse : NULL;
    gc_problem q = *p;                  /* through the problem, so that lab 5's explain hook runs */
    q.custom = NULL, q.map = &m;
    return gc_check_gradient(&q, o, r);
}

static gc_status custom_no_abs(const gc_problem *p, const gc_options *o, gc_report *r)
{
    return check_slipped_map(p, o, r, NO_ABS);
}

static gc_status custom_off_by_one(const gc_problem *p, const gc_options *o, gc_report *r)
{
    return check_slipped_map(p, o, r, OFF_BY_ONE);
}

static gc_status custom_df_du_sign(const gc_problem *p, const gc_options *o, gc_report *r)
{
    return check_slipped_map(p, o, r, DF_DU_SIGN);
}

static gc_status custom_sum_exp(const gc_problem *p, const gc_options *o, gc_report *r)
{
    return check_slipped_map(p, o, r, LOGDET_SUM_EXP);
}

static gc_status custom_inverse_times_exp(const gc_problem *p, const gc_options *o, gc_report *r)
{
    return check_slipped_map(p, o, r, INVERSE_TIMES_EXP);
}

static int map_slip_setup_of(gc_problem *p, uint64_t seed, const char *check, gc_status_fn custom)
{
    const gc_check *c = lab_find(check);
    if (!c || c->setup(p, seed) != 0)
        return -1;
    p->custom = custom;
    return 0;
}

static int map_slip_setup(gc_problem *p, uint64_t seed, gc_status_fn custom)
{
    return map_slip_setup_of(p, seed, "flow_jacobian", custom);
}

static int flow_logdet_no_abs(gc_problem *p, uint64_t seed) { return map_slip_setup(p, seed, custom_no_abs); }
static int flow_logdet_off_by_one(gc_problem *p, uint64_t seed) { return map_slip_setup(p, seed, custom_off_by_one); }
static int flow_df_du_sign(gc_problem *p, uint64_t seed) { return map_slip_setup(p, seed, custom_df_du_sign); }

static int realnvp_logdet_sum_exp(gc_problem *p, uint64_t seed)
{
    return map_slip_setup_of(p, seed, "realnvp_jacobian", custom_sum_exp);
}

static int realnvp_inverse_times_exp(gc_problem *p, uint64_t seed)
{
    return map_slip_setup_of(p, seed, "realnvp_jacobian", custom_inverse_times_exp);
}

/* The RealNVP layer's backward pass with exp(s(u)) taken for a constant: the
 * path u -> s -> x is dropped, so s's parameters learn only from the
 * log-determinant and u's gradient misses dx/ds ds/du. The same backward
 * pass at z = 0 is exactly that (dL/ds = gx z exp(s) + gld); dL/dz, which
 * does not go through s, is the right one. x = params | z | u. */
static double realnvp_scale_constant(const gc_problem *p, const double *x, double J,
                                     const double *g, double *grad)
{
    const flow_ctx *c = p->ctx;
    flow_dims d = c->d;
    size_t Q = realnvp_param_count(d);
    const double *z = x + Q, *u = z + d.n;
    double out[MAX_M], zero[MAX_M] = { 0 };
    if (!grad || realnvp_forward(d, x, z, u, out, out + d.n) != GL_OK)
        return J;
    for (size_t i = 0; i < d.n; i++)
        grad[Q + i] += g[Q + i];
    realnvp_backward(d, x, zero, u, out, out + d.n, -1.0, grad, NULL, grad + Q + d.n);
    return J;
}

/* The log-determinant in the loss but not in its gradient: the right
 * gradient, less what -sum s(u) adds (the backward pass of gld = -1 alone). */
static double realnvp_no_logdet_grad(const gc_problem *p, const double *x, double J,
                                     const double *g, double *grad)
{
    const flow_ctx *c = p->ctx;
    flow_dims d = c->d;
    size_t Q = realnvp_param_count(d);
    double zero[MAX_M] = { 0 };
    slip_add(grad, g, p->n, 1.0);
    if (grad)
        realnvp_backward(d, x, x + Q, x + Q + d.n, zero, zero, 1.0, grad, grad + Q, grad + Q + d.n);
    return J;
}

/* One set-up per wrapped slip: check CHECK with its loss through APPLY. */
SLIP_WRAPPED(flow_no_tanh_prime, "flow_layer")
SLIP_WRAPPED(realnvp_scale_constant, "realnvp_layer")
SLIP_WRAPPED(realnvp_no_logdet_grad, "realnvp_layer")

const slip_entry lab5_slips[] = {
    { "flow_logdet_no_abs", "log|det J| = sum log(alpha) + ...: the abs left out", "flow_jacobian",
      "is the abs missing?", flow_logdet_no_abs },
    { "flow_logdet_off_by_one", "log|det J| sums beta over j < h - 1: one index short",
      "flow_jacobian", "left out", flow_logdet_off_by_one },
    { "flow_jacobian_df_du_sign", "dx/du of the Jacobian for x = alpha z - F(u): its sign flipped",
      "flow_jacobian", "wrong: dx/du; right: dx/dz, dv/dz, dv/du. dx/du: the sign is flipped",
      flow_df_du_sign },
    { "flow_no_tanh_prime", "dF/du without tanh' = 1 - t^2 in the backward pass", "flow_layer",
      "wrong: dJ/dW1, dJ/db1, dJ/du; right:", setup_flow_no_tanh_prime },
    { "realnvp_logdet_sum_exp", "log|det J| = sum exp(s(u)), the scales added, not their logs",
      "realnvp_jacobian", "sum of the scales exp(s_i)", realnvp_logdet_sum_exp },
    { "realnvp_inverse_times_exp", "the inverse z = (x - t(u)) * exp(s(u)): times exp(s), not exp(-s)",
      "realnvp_jacobian", "inverse(forward(x)) misses x", realnvp_inverse_times_exp },
    { "realnvp_scale_constant", "dL/du and dL/dWs treat alpha = exp(s(u)) as a constant: the "
      "path through s dropped", "realnvp_layer", "treated as a constant", setup_realnvp_scale_constant },
    { "realnvp_no_logdet_grad", "the gradient leaves out the log-det term -sum s(u) the loss has",
      "realnvp_layer", "off by +1 in every entry", setup_realnvp_no_logdet_grad },
    { 0 }
};
