/* labs/lab5/teach/slips.c — lab 5's slips: the coupling layer's backward pass and its Jacobian's
 * log-determinant. Each slip is a right check made wrong the way students make it wrong
 * (labs/teach/slips.h); instructors only, never shipped. */
#include "slips.h"

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
    int slip;                /* NO_ABS, OFF_BY_ONE or DF_DU_SIGN */
} map_slip;

enum { NO_ABS, OFF_BY_ONE, DF_DU_SIGN };

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

static void ms_inverse(void *ctx, const double *out, double *in)
{
    const gc_map *r = ((map_slip *)ctx)->right;
    r->inverse(r->ctx, out, in);
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

static int map_slip_setup(gc_problem *p, uint64_t seed, gc_status_fn custom)
{
    const gc_check *c = lab_find("flow_jacobian");
    if (!c || c->setup(p, seed) != 0)
        return -1;
    p->custom = custom;
    return 0;
}

static int flow_logdet_no_abs(gc_problem *p, uint64_t seed) { return map_slip_setup(p, seed, custom_no_abs); }
static int flow_logdet_off_by_one(gc_problem *p, uint64_t seed) { return map_slip_setup(p, seed, custom_off_by_one); }
static int flow_df_du_sign(gc_problem *p, uint64_t seed) { return map_slip_setup(p, seed, custom_df_du_sign); }

/* One set-up per wrapped slip: check CHECK with its loss through APPLY. */
SLIP_WRAPPED(flow_no_tanh_prime, "flow_layer")

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
    { 0 }
};
