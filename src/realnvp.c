/* realnvp.c — the coupling layer x = z * exp(s(u)) + t(u), v = u: its
 * inverse, Jacobian, log-determinant sum s(u) and backward pass; and a stack
 * of layers as a density on the plane. Handout: handouts/08-flow-jacobian.md */
#include "realnvp.h"

#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t realnvp_param_count(realnvp_dims d)
{
    return d.H * d.h + d.H + 2 * d.n * d.H + 2 * d.n;
}

int realnvp_check(realnvp_dims d, const double *params)
{
    if (d.n == 0 || d.h == 0 || d.H == 0 || d.n > REALNVP_MAX || d.H > REALNVP_MAX)
        return GL_BAD_INPUT;
    for (size_t i = 0; i < realnvp_param_count(d); i++)
        if (!isfinite(params[i]))
            return GL_SINGULAR;
    return GL_OK;
}

/* BEGIN SOLUTION */
/* Views of one packed layer. */
typedef struct { const double *W1, *b1, *Ws, *bs, *Wt, *bt; } realnvp_params;

static realnvp_params unpack(realnvp_dims d, const double *p)
{
    realnvp_params q;
    q.W1 = p;
    q.b1 = q.W1 + d.H * d.h;
    q.Ws = q.b1 + d.H;
    q.bs = q.Ws + d.n * d.H;
    q.Wt = q.bs + d.n;
    q.bt = q.Wt + d.n * d.H;
    return q;
}

/* The conditioner at u: r = tanh(W1 u + b1) (H), s and t (n each; t may be
 * NULL). GL_SINGULAR when some exp(s_i) is 0, Inf or NaN. */
static int conditioner(realnvp_dims d, realnvp_params q, const double *u, double *r, double *s,
                       double *t)
{
    for (size_t k = 0; k < d.H; k++) {
        double a = q.b1[k];
        for (size_t j = 0; j < d.h; j++)
            a += q.W1[k * d.h + j] * u[j];
        r[k] = tanh(a);
    }
    for (size_t i = 0; i < d.n; i++) {
        s[i] = q.bs[i];
        for (size_t k = 0; k < d.H; k++)
            s[i] += q.Ws[i * d.H + k] * r[k];
        double e = exp(s[i]);
        if (!(e > 0.0 && isfinite(e)))
            return GL_SINGULAR;
    }
    for (size_t i = 0; t && i < d.n; i++) {
        t[i] = q.bt[i];
        for (size_t k = 0; k < d.H; k++)
            t[i] += q.Wt[i * d.H + k] * r[k];
    }
    return GL_OK;
}
/* END SOLUTION */

int realnvp_forward(realnvp_dims d, const double *params, const double *z, const double *u,
                    double *x, double *v)
{
    int rc = realnvp_check(d, params);
    if (rc != GL_OK)
        return rc;
    /* BEGIN SOLUTION */
    double r[REALNVP_MAX], s[REALNVP_MAX], t[REALNVP_MAX];
    if (conditioner(d, unpack(d, params), u, r, s, t) != GL_OK)
        return GL_SINGULAR;
    for (size_t i = 0; i < d.n; i++)
        x[i] = z[i] * exp(s[i]) + t[i];
    memmove(v, u, d.h * sizeof *v);
    /* END SOLUTION */
    return GL_OK;
}

int realnvp_inverse(realnvp_dims d, const double *params, const double *x, const double *v,
                    double *z, double *u)
{
    int rc = realnvp_check(d, params);
    if (rc != GL_OK)
        return rc;
    /* BEGIN SOLUTION */
    double r[REALNVP_MAX], s[REALNVP_MAX], t[REALNVP_MAX];
    if (conditioner(d, unpack(d, params), v, r, s, t) != GL_OK)   /* u = v: s and t are known */
        return GL_SINGULAR;
    for (size_t i = 0; i < d.n; i++)
        z[i] = (x[i] - t[i]) * exp(-s[i]);
    memmove(u, v, d.h * sizeof *u);
    /* END SOLUTION */
    return GL_OK;
}

int realnvp_jacobian(realnvp_dims d, const double *params, const double *z, const double *u,
                     double *J)
{
    int rc = realnvp_check(d, params);
    if (rc != GL_OK)
        return rc;
    /* BEGIN SOLUTION */
    realnvp_params q = unpack(d, params);
    size_t m = d.n + d.h;
    double r[REALNVP_MAX], s[REALNVP_MAX];
    if (conditioner(d, q, u, r, s, NULL) != GL_OK)
        return GL_SINGULAR;
    memset(J, 0, m * m * sizeof *J);
    for (size_t i = 0; i < d.n; i++) {
        double e = exp(s[i]);
        J[i * m + i] = e;                                   /* dx/dz = diag(exp s) */
        for (size_t k = 0; k < d.H; k++) {                  /* dx/du = (z e Ws + Wt) diag(1 - r^2) W1 */
            double c = (z[i] * e * q.Ws[i * d.H + k] + q.Wt[i * d.H + k]) * (1 - r[k] * r[k]);
            for (size_t j = 0; j < d.h; j++)
                J[i * m + d.n + j] += c * q.W1[k * d.h + j];
        }
    }
    for (size_t j = 0; j < d.h; j++)                        /* dv/dz = 0, dv/du = I */
        J[(d.n + j) * m + d.n + j] = 1.0;
    /* END SOLUTION */
    return GL_OK;
}

int realnvp_log_abs_det(realnvp_dims d, const double *params, const double *u, double *logdet)
{
    int rc = realnvp_check(d, params);
    if (rc != GL_OK)
        return rc;
    /* BEGIN SOLUTION */
    double r[REALNVP_MAX], s[REALNVP_MAX], sum = 0.0;
    if (conditioner(d, unpack(d, params), u, r, s, NULL) != GL_OK)
        return GL_SINGULAR;
    for (size_t i = 0; i < d.n; i++)                        /* log of the diagonal exp(s_i) */
        sum += s[i];
    *logdet = sum;
    /* END SOLUTION */
    return GL_OK;
}

int realnvp_backward(realnvp_dims d, const double *params, const double *z, const double *u,
                     const double *gx, const double *gv, double gld, double *grad_params,
                     double *gz, double *gu)
{
    int rc = realnvp_check(d, params);
    if (rc != GL_OK)
        return rc;
    /* BEGIN SOLUTION */
    realnvp_params q = unpack(d, params);
    double r[REALNVP_MAX], s[REALNVP_MAX], t[REALNVP_MAX], gs[REALNVP_MAX], ga[REALNVP_MAX];
    if (conditioner(d, q, u, r, s, t) != GL_OK)
        return GL_SINGULAR;
    for (size_t i = 0; i < d.n; i++) {
        double e = exp(s[i]);
        gs[i] = gx[i] * z[i] * e + gld;                     /* dL/ds: through x and log|det| */
        if (gz)
            gz[i] += gx[i] * e;
    }
    for (size_t k = 0; k < d.H; k++) {                      /* ga = dL/da, a = W1 u + b1 */
        ga[k] = 0.0;
        for (size_t i = 0; i < d.n; i++)
            ga[k] += q.Ws[i * d.H + k] * gs[i] + q.Wt[i * d.H + k] * gx[i];
        ga[k] *= 1 - r[k] * r[k];
    }
    for (size_t j = 0; gu && j < d.h; j++) {                /* v = u, and u feeds s and t */
        gu[j] += gv[j];
        for (size_t k = 0; k < d.H; k++)
            gu[j] += q.W1[k * d.h + j] * ga[k];
    }
    if (!grad_params)
        return GL_OK;
    double *gW1 = grad_params, *gb1 = gW1 + d.H * d.h, *gWs = gb1 + d.H;
    double *gbs = gWs + d.n * d.H, *gWt = gbs + d.n, *gbt = gWt + d.n * d.H;
    for (size_t k = 0; k < d.H; k++) {
        gb1[k] += ga[k];
        for (size_t j = 0; j < d.h; j++)
            gW1[k * d.h + j] += ga[k] * u[j];
    }
    for (size_t i = 0; i < d.n; i++) {
        gbs[i] += gs[i];
        gbt[i] += gx[i];
        for (size_t k = 0; k < d.H; k++) {
            gWs[i * d.H + k] += gs[i] * r[k];
            gWt[i * d.H + k] += gx[i] * r[k];
        }
    }
    /* END SOLUTION */
    return GL_OK;
}

/* ---- a stack of 2-D layers (n = h = 1) as a density ---- */

static const double LOG_2PI = 1.8378770664093454836;

/* Layer l moves coordinate l % 2 (its z) given the other one (its u). */
static double *moved(double *p, size_t l) { return p + l % 2; }
static double *kept(double *p, size_t l) { return p + 1 - l % 2; }

/* Point P through the L layers: the point before each layer and after the
 * last into `in` (2 (L + 1)); the point's NLL into *nll. GL_OK or a layer's
 * refusal. */
static int push_forward(realnvp_dims d, size_t L, const double *params, const double *P,
                        double *in, double *nll)
{
    size_t Q = realnvp_param_count(d);
    double sum_s = 0.0;
    memcpy(in, P, 2 * sizeof *in);
    for (size_t l = 0; l < L; l++) {
        double *p = in + 2 * l, *next = p + 2, ld = 0.0;
        int rc = realnvp_forward(d, params + l * Q, moved(p, l), kept(p, l), moved(next, l),
                                 kept(next, l));
        if (rc == GL_OK)
            rc = realnvp_log_abs_det(d, params + l * Q, kept(p, l), &ld);
        if (rc != GL_OK)
            return rc;
        sum_s += ld;
    }
    const double *y = in + 2 * L;
    *nll = 0.5 * (y[0] * y[0] + y[1] * y[1]) + LOG_2PI - sum_s;
    return GL_OK;
}

/* dNLL/dy = y, back through the layers, last first; -1 for each log-det. */
static void pull_back(realnvp_dims d, size_t L, const double *params, const double *in,
                      double *grad_params, double *grad_point)
{
    size_t Q = realnvp_param_count(d);
    double g[2] = { in[2 * L], in[2 * L + 1] };
    for (size_t l = L; l-- > 0;) {
        double p[2] = { in[2 * l], in[2 * l + 1] }, gin[2] = { 0.0, 0.0 };
        realnvp_backward(d, params + l * Q, moved(p, l), kept(p, l), moved(g, l), kept(g, l),
                         -1.0, grad_params ? grad_params + l * Q : NULL, moved(gin, l),
                         kept(gin, l));
        g[0] = gin[0];
        g[1] = gin[1];
    }
    if (grad_point)
        grad_point[0] += g[0], grad_point[1] += g[1];
}

double realnvp_nll(realnvp_dims d, size_t L, const double *params, const double *P, size_t N,
                   double *grad_params, double *grad_P)
{
    if (d.n != 1 || d.h != 1)
        return NAN;
    int asked = grad_params || grad_P;
    size_t per = 2 * (L + 1), kept = asked && N ? N : 1;     /* every point's states, or one's */
    if (kept > SIZE_MAX / sizeof(double) / per)
        return errno = ENOMEM, NAN;
    double *in = malloc(per * kept * sizeof *in);
    if (!in)
        return errno = ENOMEM, NAN;
    double J = 0.0;
    for (size_t r = 0; r < N; r++) {                    /* all forward first: a refusal adds nothing */
        double nll = 0.0;
        if (push_forward(d, L, params, P + 2 * r, in + per * (asked ? r : 0), &nll) != GL_OK) {
            free(in);
            return NAN;
        }
        J += nll;
    }
    for (size_t r = 0; asked && r < N; r++)
        pull_back(d, L, params, in + per * r, grad_params, grad_P ? grad_P + 2 * r : NULL);
    free(in);
    return J;
}

int realnvp_sample(realnvp_dims d, size_t L, const double *params, const double *B, size_t N,
                   double *S)
{
    if (d.n != 1 || d.h != 1)
        return GL_BAD_INPUT;
    size_t Q = realnvp_param_count(d);
    for (size_t r = 0; r < N; r++) {
        double p[2] = { B[2 * r], B[2 * r + 1] };
        for (size_t l = L; l-- > 0;) {
            double q[2];
            int rc = realnvp_inverse(d, params + l * Q, moved(p, l), kept(p, l), moved(q, l),
                                     kept(q, l));
            if (rc != GL_OK)
                return rc;
            p[0] = q[0];
            p[1] = q[1];
        }
        S[2 * r] = p[0];
        S[2 * r + 1] = p[1];
    }
    return GL_OK;
}
