/* flow.c — the affine coupling layer x = alpha * z + F(u), v = beta * u: its
 * inverse, Jacobian, log-determinant and backward pass; and a stack of layers
 * as a density on the plane. Handout: handouts/08-flow-jacobian.md */
#include "flow.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Views of one packed layer. */
typedef struct { const double *alpha, *beta, *W1, *b1, *W2, *b2; } flow_params;

size_t flow_param_count(flow_dims d)
{
    return d.n + d.h + d.H * d.h + d.H + d.n * d.H + d.n;
}

static flow_params unpack(flow_dims d, const double *p)
{
    flow_params q;
    q.alpha = p;
    q.beta = q.alpha + d.n;
    q.W1 = q.beta + d.h;
    q.b1 = q.W1 + d.H * d.h;
    q.W2 = q.b1 + d.H;
    q.b2 = q.W2 + d.n * d.H;
    return q;
}

int flow_check(flow_dims d, const double *params)
{
    if (d.n == 0 || d.h == 0 || d.H == 0 || d.H > FLOW_MAX_HIDDEN)
        return GL_BAD_INPUT;
    flow_params q = unpack(d, params);
    for (size_t i = 0; i < d.n; i++)
        if (q.alpha[i] == 0.0 || !isfinite(q.alpha[i]))
            return GL_SINGULAR;
    for (size_t j = 0; j < d.h; j++)
        if (q.beta[j] == 0.0 || !isfinite(q.beta[j]))
            return GL_SINGULAR;
    return GL_OK;
}

/* BEGIN SOLUTION */
/* t = tanh(W1 u + b1) (H), and F = W2 t + b2 (n) when F is not NULL. */
static void shift_net(flow_dims d, flow_params q, const double *u, double *t, double *F)
{
    for (size_t k = 0; k < d.H; k++) {
        double a = q.b1[k];
        for (size_t j = 0; j < d.h; j++)
            a += q.W1[k * d.h + j] * u[j];
        t[k] = tanh(a);
    }
    for (size_t i = 0; F && i < d.n; i++) {
        F[i] = q.b2[i];
        for (size_t k = 0; k < d.H; k++)
            F[i] += q.W2[i * d.H + k] * t[k];
    }
}
/* END SOLUTION */

int flow_forward(flow_dims d, const double *params, const double *z, const double *u,
                 double *x, double *v)
{
    int rc = flow_check(d, params);
    if (rc != GL_OK)
        return rc;
    /* BEGIN SOLUTION */
    flow_params q = unpack(d, params);
    double t[FLOW_MAX_HIDDEN];
    shift_net(d, q, u, t, x);                    /* x = F(u) ... */
    for (size_t i = 0; i < d.n; i++)
        x[i] += q.alpha[i] * z[i];               /* ... + alpha * z */
    for (size_t j = 0; j < d.h; j++)
        v[j] = q.beta[j] * u[j];
    /* END SOLUTION */
    return GL_OK;
}

int flow_inverse(flow_dims d, const double *params, const double *x, const double *v,
                 double *z, double *u)
{
    int rc = flow_check(d, params);
    if (rc != GL_OK)
        return rc;
    /* BEGIN SOLUTION */
    flow_params q = unpack(d, params);
    double t[FLOW_MAX_HIDDEN];
    for (size_t j = 0; j < d.h; j++)
        u[j] = v[j] / q.beta[j];                 /* u first: F needs it */
    shift_net(d, q, u, t, z);                    /* z = F(u) ... */
    for (size_t i = 0; i < d.n; i++)
        z[i] = (x[i] - z[i]) / q.alpha[i];       /* ... then (x - F(u)) / alpha */
    /* END SOLUTION */
    return GL_OK;
}

int flow_jacobian(flow_dims d, const double *params, const double *z, const double *u,
                  double *J)
{
    (void)z;                                     /* J does not depend on z */
    int rc = flow_check(d, params);
    if (rc != GL_OK)
        return rc;
    /* BEGIN SOLUTION */
    flow_params q = unpack(d, params);
    size_t m = d.n + d.h;
    double t[FLOW_MAX_HIDDEN];
    memset(J, 0, m * m * sizeof *J);
    shift_net(d, q, u, t, NULL);
    for (size_t i = 0; i < d.n; i++) {
        J[i * m + i] = q.alpha[i];               /* dx/dz = diag(alpha) */
        for (size_t j = 0; j < d.h; j++)         /* dx/du = W2 diag(1 - t^2) W1 */
            for (size_t k = 0; k < d.H; k++)
                J[i * m + d.n + j] += q.W2[i * d.H + k] * (1 - t[k] * t[k]) * q.W1[k * d.h + j];
    }
    for (size_t j = 0; j < d.h; j++)             /* dv/dz = 0, dv/du = diag(beta) */
        J[(d.n + j) * m + d.n + j] = q.beta[j];
    /* END SOLUTION */
    return GL_OK;
}

int flow_log_abs_det(flow_dims d, const double *params, double *logdet)
{
    int rc = flow_check(d, params);
    if (rc != GL_OK)
        return rc;
    /* BEGIN SOLUTION */
    flow_params q = unpack(d, params);
    double s = 0.0;
    for (size_t i = 0; i < d.n; i++)             /* triangular: the product of the diagonal */
        s += log(fabs(q.alpha[i]));
    for (size_t j = 0; j < d.h; j++)
        s += log(fabs(q.beta[j]));
    *logdet = s;
    /* END SOLUTION */
    return GL_OK;
}

void flow_backward(flow_dims d, const double *params, const double *z, const double *u,
                   const double *gx, const double *gv, double *grad_params, double *gz,
                   double *gu)
{
    /* BEGIN SOLUTION */
    flow_params q = unpack(d, params);
    double t[FLOW_MAX_HIDDEN], ga[FLOW_MAX_HIDDEN];
    double *galpha = grad_params, *gbeta = galpha + d.n, *gW1 = gbeta + d.h;
    double *gb1 = gW1 + d.H * d.h, *gW2 = gb1 + d.H, *gb2 = gW2 + d.n * d.H;
    shift_net(d, q, u, t, NULL);
    for (size_t k = 0; k < d.H; k++) {           /* ga = dL/da, a = W1 u + b1 */
        ga[k] = 0.0;
        for (size_t i = 0; i < d.n; i++)
            ga[k] += gx[i] * q.W2[i * d.H + k];
        ga[k] *= 1 - t[k] * t[k];
    }
    for (size_t i = 0; i < d.n; i++)
        gz[i] = gx[i] * q.alpha[i];
    for (size_t j = 0; j < d.h; j++) {
        gu[j] = gv[j] * q.beta[j];
        for (size_t k = 0; k < d.H; k++)
            gu[j] += ga[k] * q.W1[k * d.h + j];
    }
    if (!grad_params)
        return;
    for (size_t i = 0; i < d.n; i++) {
        galpha[i] += gx[i] * z[i];
        gb2[i] += gx[i];
        for (size_t k = 0; k < d.H; k++)
            gW2[i * d.H + k] += gx[i] * t[k];
    }
    for (size_t j = 0; j < d.h; j++)
        gbeta[j] += gv[j] * u[j];
    for (size_t k = 0; k < d.H; k++) {
        gb1[k] += ga[k];
        for (size_t j = 0; j < d.h; j++)
            gW1[k * d.h + j] += ga[k] * u[j];
    }
    /* END SOLUTION */
}

/* ---- a stack of 2-D layers (n = h = 1) as a density ---- */

static const double LOG_2PI = 1.8378770664093454836;

/* Layer l transforms coordinate l % 2 (its z) given the other one (its u). */
static double *zpart(double *p, size_t l) { return p + l % 2; }
static double *upart(double *p, size_t l) { return p + 1 - l % 2; }

/* GL_OK when d is a 2-D layer (n = h = 1) and each of the L layers is valid. */
static int check_stack(flow_dims d, size_t L, const double *params)
{
    if (d.n != 1 || d.h != 1)
        return GL_BAD_INPUT;
    for (size_t l = 0; l < L; l++) {
        int rc = flow_check(d, params + l * flow_param_count(d));
        if (rc != GL_OK)
            return rc;
    }
    return GL_OK;
}

double flow_nll(flow_dims d, size_t L, const double *params, const double *P, size_t N,
                double *grad_params)
{
    size_t Q = flow_param_count(d);
    double logdet = 0.0, J = 0.0;
    if (check_stack(d, L, params) != GL_OK)
        return NAN;
    for (size_t l = 0; l < L; l++) {
        double ld = 0.0;                                 /* the layers were checked above */
        flow_log_abs_det(d, params + l * Q, &ld);
        logdet += ld;
    }
    double *in = malloc(2 * (L + 1) * sizeof *in);   /* the point before each layer */
    if (!in)
        return errno = ENOMEM, NAN;
    for (size_t r = 0; r < N; r++) {
        memcpy(in, P + 2 * r, 2 * sizeof *in);
        for (size_t l = 0; l < L; l++) {
            double *p = in + 2 * l, *next = in + 2 * (l + 1);
            flow_forward(d, params + l * Q, zpart(p, l), upart(p, l), zpart(next, l),
                         upart(next, l));
        }
        const double *y = in + 2 * L;
        J += 0.5 * (y[0] * y[0] + y[1] * y[1]) + LOG_2PI - logdet;
        if (!grad_params)
            continue;
        double g[2] = { y[0], y[1] }, gz, gu;         /* dJ/dy of |y|^2 / 2 */
        for (size_t l = L; l-- > 0;) {
            double *p = in + 2 * l;
            flow_backward(d, params + l * Q, zpart(p, l), upart(p, l), zpart(g, l), upart(g, l),
                          grad_params + l * Q, &gz, &gu);
            *zpart(g, l) = gz;
            *upart(g, l) = gu;
        }
    }
    for (size_t l = 0; grad_params && l < L; l++) {   /* -N log|alpha| - N log|beta| */
        grad_params[l * Q] -= (double)N / params[l * Q];
        grad_params[l * Q + 1] -= (double)N / params[l * Q + 1];
    }
    free(in);
    return J;
}

int flow_sample(flow_dims d, size_t L, const double *params, const double *B, size_t N,
                double *S)
{
    size_t Q = flow_param_count(d);
    int rc = check_stack(d, L, params);
    if (rc != GL_OK)
        return rc;
    for (size_t r = 0; r < N; r++) {
        double p[2] = { B[2 * r], B[2 * r + 1] }, q[2] = { 0.0, 0.0 };
        for (size_t l = L; l-- > 0;) {
            flow_inverse(d, params + l * Q, zpart(p, l), upart(p, l), zpart(q, l), upart(q, l));
            p[0] = q[0];
            p[1] = q[1];
        }
        S[2 * r] = p[0];
        S[2 * r + 1] = p[1];
    }
    return GL_OK;
}
