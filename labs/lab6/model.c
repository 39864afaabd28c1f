/* labs/lab6/model.c — see model.h. */
#include "model.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gradlab.h"
#include "layernorm.h"
#include "vec.h"

model_layout model_layout_of(model_dims m)
{
    model_layout L;
    L.E = 0;
    L.P = L.E + m.V * m.d;
    L.gamma = L.P + m.n * m.d;
    L.beta = L.gamma + m.d;
    L.W = L.beta + m.d;
    L.Wo = L.W + attention_param_count(model_attn(m));
    L.bo = L.Wo + m.d * m.V;
    L.count = L.bo + m.V;
    return L;
}

/* One sequence's activations, kept for its backward pass. */
typedef struct {
    double *X0, *H, *cache, *O, *Z;        /* n x d, n x d, the layer's cache, n x d, n x V */
    double *dZ, *dO, *dH, *dX0;            /* their gradients */
} scratch;

static int scratch_alloc(scratch *s, model_dims m)
{
    size_t nd = m.n * m.d, nV = m.n * m.V, nc = attention_cache_count(model_attn(m));
    double *all = malloc((6 * nd + 2 * nV + nc) * sizeof *all);
    if (!all)
        return GL_NO_MEMORY;
    s->X0 = all, s->H = s->X0 + nd, s->O = s->H + nd, s->Z = s->O + nd, s->dZ = s->Z + nV;
    s->dO = s->dZ + nV, s->dH = s->dO + nd, s->dX0 = s->dH + nd, s->cache = s->dX0 + nd;
    return GL_OK;
}

/* The forward pass of one sequence up to the logits Z. */
static int forward(model_dims m, const double *params, const size_t *t, scratch *s)
{
    model_layout L = model_layout_of(m);
    for (size_t i = 0; i < m.n; i++)
        for (size_t k = 0; k < m.d; k++)
            s->X0[i * m.d + k] = params[L.E + t[i] * m.d + k] + params[L.P + i * m.d + k];
    int rc = layernorm_forward(model_ln(m), s->X0, params + L.gamma, params + L.beta, s->H,
                               NULL, NULL);
    if (rc == GL_OK)
        rc = attention_layer_forward(model_attn(m), params + L.W, s->H, s->cache, s->O);
    for (size_t i = 0; rc == GL_OK && i < m.n; i++) {
        double *z = s->Z + i * m.V;
        memcpy(z, params + L.bo, m.V * sizeof *z);
        for (size_t k = 0; k < m.d; k++)
            axpy(s->O[i * m.d + k], params + L.Wo + k * m.V, z, m.V);
    }
    return rc;
}

/* The backward pass of one sequence from dZ, adding into grad. */
static int backward(model_dims m, const double *params, const size_t *t, scratch *s,
                    double *grad)
{
    model_layout L = model_layout_of(m);
    for (size_t i = 0; i < m.n; i++) {
        const double *dz = s->dZ + i * m.V;
        axpy(1.0, dz, grad + L.bo, m.V);
        for (size_t k = 0; k < m.d; k++) {
            axpy(s->O[i * m.d + k], dz, grad + L.Wo + k * m.V, m.V);
            s->dO[i * m.d + k] = dot(params + L.Wo + k * m.V, dz, m.V);
        }
    }
    memset(s->dH, 0, m.n * m.d * sizeof *s->dH);
    memset(s->dX0, 0, m.n * m.d * sizeof *s->dX0);
    int rc = attention_layer_backward(model_attn(m), params + L.W, s->H, s->cache, s->dO,
                                      grad + L.W, s->dH);
    if (rc == GL_OK)
        rc = layernorm_backward(model_ln(m), s->X0, params + L.gamma, s->dH, s->dX0,
                                grad + L.gamma, grad + L.beta);
    for (size_t i = 0; rc == GL_OK && i < m.n; i++) {
        axpy(1.0, s->dX0 + i * m.d, grad + L.E + t[i] * m.d, m.d);
        axpy(1.0, s->dX0 + i * m.d, grad + L.P + i * m.d, m.d);
    }
    return rc;
}

double model_loss_and_grad(model_dims m, const double *params, const size_t *tokens,
                           const size_t *targets, size_t B, double *grad)
{
    scratch s;
    double *y = calloc(m.V, sizeof *y);
    if (!y || scratch_alloc(&s, m) != GL_OK) {
        free(y);
        return errno = ENOMEM, NAN;
    }
    double J = 0.0;
    int rc = GL_OK;
    for (size_t b = 0; rc == GL_OK && b < B; b++) {
        const size_t *t = tokens + b * m.n, *target = targets + b * m.n;
        rc = forward(m, params, t, &s);
        memset(s.dZ, 0, m.n * m.V * sizeof *s.dZ);
        for (size_t i = 0; rc == GL_OK && i < m.n; i++) {
            y[target[i]] = 1.0;
            J += softmax_cross_entropy(s.Z + i * m.V, y, m.V, grad ? s.dZ + i * m.V : NULL);
            y[target[i]] = 0.0;
        }
        if (rc == GL_OK && grad)
            rc = backward(m, params, t, &s, grad);
    }
    free(s.X0), free(y);
    if (rc == GL_NO_MEMORY)
        errno = ENOMEM;
    return rc == GL_OK ? J : NAN;
}

int model_predict(model_dims m, const double *params, const size_t *tokens, size_t *out,
                  double *A)
{
    scratch s;
    if (scratch_alloc(&s, m) != GL_OK)
        return GL_NO_MEMORY;
    int rc = forward(m, params, tokens, &s);
    for (size_t i = 0; rc == GL_OK && i < m.n; i++) {
        const double *z = s.Z + i * m.V;
        size_t best = 0;
        for (size_t v = 1; v < m.V; v++)
            best = z[v] > z[best] ? v : best;
        out[i] = best;
    }
    size_t A_at = 2 * m.n * m.dk + m.n * m.d;          /* the cache is Q | K | V | A */
    if (rc == GL_OK && A)
        memcpy(A, s.cache + A_at, m.n * m.n * sizeof *A);
    free(s.X0);
    return rc;
}
