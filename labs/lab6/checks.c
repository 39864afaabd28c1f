/* labs/lab6/checks.c — lab 6's checks: layer normalization (with a small and
 * a large eps), scaled dot-product attention (with moderate and with sharp
 * weights), the attention layer with its projections, and the model the lab
 * trains. Each loss is J = sum w .* output for fixed random weights w, so
 * its gradient is the lab's backward pass given dJ/doutput = w.
 *
 * The diagnoses read only the student's gradient a, the numeric one num and
 * the check's own inputs: relations between them (a constant error along a
 * row, an error proportional to the inputs, a fixed ratio, a sum that
 * should be 0). None of them works out a mean, a variance or a softmax's
 * backward pass itself: that would be solution code, shipped. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"
#include "lab.h"
#include "rng.h"

/* J = sum w .* out over count entries. */
static double weighted(const double *w, const double *out, size_t count)
{
    double J = 0.0;
    for (size_t i = 0; i < count; i++)
        J += w[i] * out[i];
    return J;
}

/* Is every checked entry right: |a - num| <= 1e-6 max(|num|, floor)? */
static int all_right(const double *a, const double *num, size_t len, double floor)
{
    for (size_t i = 0; i < len; i++)
        if (!isnan(num[i]) && !(fabs(a[i] - num[i]) <= 1e-6 * fmax(fabs(num[i]), floor)))
            return 0;
    return 1;
}

/* The largest |num| of a block: the scale its errors are judged at. */
static double largest(const double *num, size_t len)
{
    double m = 0.0;
    for (size_t i = 0; i < len; i++)
        m = isnan(num[i]) ? m : fmax(m, fabs(num[i]));
    return m;
}

/* ---- layer normalization: x = X (n x d) | gamma (d) | beta (d) ---- */

static double f_layernorm(void *ctx, const double *x, double *const *g)
{
    const lab6_ctx *c = ctx;
    ln_dims d = c->ln;
    size_t nd = d.n * d.d;
    const double *gamma = x + nd, *beta = gamma + d.d;
    double *Y = malloc(nd * sizeof *Y);
    if (!Y)
        return errno = ENOMEM, NAN;
    double J = NAN;
    if (layernorm_forward(d, x, gamma, beta, Y, NULL, NULL) == GL_OK &&
        layernorm_backward(d, x, gamma, c->w, g[0], g[1], g[1] ? g[1] + d.d : NULL) == GL_OK)
        J = weighted(c->w, Y, nd);
    free(Y);
    return J;
}

/* How the error e = a - num of one row of dJ/dX relates to the row x:
 * ROW_RIGHT, ROW_CONSTANT (e the same for every j), ROW_CENTRED (e_j =
 * c (x_j - x_0) + e_0 and sum_j e_j = 0: a multiple of x - mean x), ROW_AFFINE
 * (e = c x + b, both parts there) or ROW_OTHER. */
enum { ROW_RIGHT, ROW_CONSTANT, ROW_CENTRED, ROW_AFFINE, ROW_OTHER };

static int row_error(const double *x, const double *a, const double *num, size_t d)
{
    double big = 0.0, scale = fmax(largest(num, d), 1e-12), total = 0.0;
    size_t far = 0;                                   /* the x farthest from x_0 */
    for (size_t j = 0; j < d; j++) {
        if (isnan(num[j]))
            return ROW_OTHER;
        big = fmax(big, fabs(a[j] - num[j]));
        total += a[j] - num[j];
        if (fabs(x[j] - x[0]) > fabs(x[far] - x[0]))
            far = j;
    }
    if (big <= 1e-6 * scale)
        return ROW_RIGHT;
    double e0 = a[0] - num[0], slope = far ? (a[far] - num[far] - e0) / (x[far] - x[0]) : 0.0;
    int constant = 1, affine = 1;
    for (size_t j = 0; j < d; j++) {
        double e = a[j] - num[j];
        constant &= fabs(e - e0) <= 1e-6 * big;
        affine &= fabs(e - e0 - slope * (x[j] - x[0])) <= 1e-6 * big;
    }
    if (constant)
        return ROW_CONSTANT;
    if (!affine)
        return ROW_OTHER;
    return fabs(total) <= 1e-6 * big * (double)d ? ROW_CENTRED : ROW_AFFINE;
}

/* The likely slips of layernorm_backward in dJ/dX, the same in every wrong row. */
static void explain_layernorm(const gc_problem *p, const double *a, const double *num, char *buf,
                              size_t size)
{
    ln_dims d = ((const lab6_ctx *)p->ctx)->ln;
    int kind = ROW_RIGHT;
    for (size_t r = 0; r < d.n; r++) {
        size_t at = r * d.d;
        int k = row_error(p->x + at, a + at, num + at, d.d);
        if (k == ROW_RIGHT)
            continue;
        if (kind != ROW_RIGHT && k != kind)
            return;
        kind = k;
    }
    if (kind == ROW_CONSTANT)
        snprintf(buf, size, "each row of dJ/dX is off by one constant, the same along the row: "
                 "the gradient through the row's mean is forgotten (dJ/dx_rj needs - s_r mean_k "
                 "h_rk; each row of dJ/dX sums to 0)");
    else if (kind == ROW_CENTRED)
        snprintf(buf, size, "each row of dJ/dX is off by a multiple of x_r - mean(x_r): the "
                 "variance term is dropped (dJ/dx_rj needs - s_r xhat_rj mean_k h_rk xhat_rk, "
                 "the gradient through var_r)");
    else if (kind == ROW_AFFINE)
        snprintf(buf, size, "each row of dJ/dX is off by a constant plus a multiple of x_r: "
                 "the gradients through the mean and the variance are both left out (dJ/dx_rj "
                 "= s_r gamma_j g_rj alone)");
}

/* n rows of d around offsets uniform in [-2, 2) with the given spread, gamma
 * near 1, beta and w of order 1. */
static int setup_ln(gc_problem *p, uint64_t seed, ln_dims d, double spread)
{
    size_t nd = d.n * d.d;
    if (gc_problem_alloc(p, nd + 2 * d.d, sizeof(lab6_ctx) + nd * sizeof(double)) != 0)
        return -1;
    lab6_ctx *c = p->ctx;
    c->ln = d;
    rng_t r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < d.n; i++) {
        double offset = rng_range(&r, -2, 2);
        for (size_t j = 0; j < d.d; j++)
            p->x[i * d.d + j] = offset + spread * rng_normal(&r);
    }
    for (size_t j = 0; j < d.d; j++) {
        p->x[nd + j] = 1.0 + 0.5 * rng_normal(&r);
        p->x[nd + d.d + j] = 0.5 * rng_normal(&r);
    }
    for (size_t i = 0; i < nd; i++)
        c->w[i] = rng_range(&r, -1, 1);
    p->f_parts = f_layernorm;
    p->part_blocks[0] = 1, p->part_blocks[1] = 2, p->nparts = 2;
    p->blocks[0] = (gc_block){ "X", d.n, d.d };
    p->blocks[1] = (gc_block){ "gamma", d.d, 0 };
    p->blocks[2] = (gc_block){ "beta", d.d, 0 };
    p->nblocks = 3;
    p->explain = explain_layernorm;
    return 0;
}

static int setup_layernorm(gc_problem *p, uint64_t seed)
{
    return setup_ln(p, seed, (ln_dims){ 4, 6, 1e-5 }, 1.5);
}

/* Rows that vary little (spread 0.3, var about 0.09) and eps = 0.25: eps is
 * as large as the variance, so leaving it out, or adding it outside the
 * square root, shows. */
static int setup_layernorm_eps(gc_problem *p, uint64_t seed)
{
    return setup_ln(p, seed, (ln_dims){ 3, 5, 0.25 }, 0.3);
}

/* ---- attention: x = Q (n x dk) | K (n x dk) | V (n x dv) ---- */

static double f_attention(void *ctx, const double *x, double *const *g)
{
    const lab6_ctx *c = ctx;
    attn_dims d = c->at;
    size_t nk = d.n * d.dk;
    const double *Q = x, *K = x + nk, *V = x + 2 * nk;
    double *A = malloc((d.n * d.n + d.n * d.dv) * sizeof *A), *O = A + d.n * d.n;
    if (!A)
        return errno = ENOMEM, NAN;
    double J = NAN;
    if (attention_forward(d, Q, K, V, A, O) == GL_OK &&
        attention_backward(d, Q, K, V, A, c->w, g[0], g[1], g[2]) == GL_OK)
        J = weighted(c->w, O, d.n * d.dv);
    free(A);
    return J;
}

/* Does every checked entry of a have a / num = ratio (to 1e-6)? */
static int off_by(const double *a, const double *num, size_t len, double ratio)
{
    size_t seen = 0;
    double floor = 1e-9 * largest(num, len);
    for (size_t i = 0; i < len; i++) {
        if (isnan(num[i]) || fabs(num[i]) <= floor)
            continue;
        if (!(fabs(a[i] / num[i] - ratio) <= 1e-6 * ratio))
            return 0;
        seen++;
    }
    return seen > 0;
}

/* The scale slips, in the queries' and keys' blocks q and k (each len
 * entries), the values' block v right: "" when it is not one of them. */
static void explain_scale(const double *a, const double *num, size_t q, size_t k, size_t len,
                          size_t v, size_t vlen, size_t dk, char *buf, size_t size)
{
    double root = sqrt((double)dk);
    if (!all_right(a + v, num + v, vlen, 1e-9 * largest(num + v, vlen)))
        return;
    if (off_by(a + q, num + q, len, root) && off_by(a + k, num + k, len, root))
        snprintf(buf, size, "the queries' and keys' gradients are sqrt(dk) = %.4g times the "
                 "true ones and the values' are right: the backward pass leaves out the "
                 "1/sqrt(dk) the scores S = Q K^T / sqrt(dk) were scaled by", root);
    else if (off_by(a + q, num + q, len, 1 / root) && off_by(a + k, num + k, len, 1 / root))
        snprintf(buf, size, "the queries' and keys' gradients are 1/sqrt(dk) = %.4g of the "
                 "true ones: the backward pass divides by sqrt(dk) twice", 1 / root);
}

/* The likely slips of attention_backward: the scale, or the softmax's
 * Jacobian on the wrong axis. The rows of the right dJ/dS each sum to 0, so
 * the rows of the right dJ/dK add up to the zero vector. */
static void explain_attention(const gc_problem *p, const double *a, const double *num, char *buf,
                              size_t size)
{
    attn_dims d = ((const lab6_ctx *)p->ctx)->at;
    size_t nk = d.n * d.dk, K = nk, V = 2 * nk, nv = d.n * d.dv;
    explain_scale(a, num, 0, K, nk, V, nv, d.dk, buf, size);
    if (buf[0] || !all_right(a + V, num + V, nv, 1e-9 * largest(num + V, nv)) ||
        all_right(a, num, nk, 1e-9 * largest(num, nk)) ||
        all_right(a + K, num + K, nk, 1e-9 * largest(num + K, nk)))
        return;
    double sum_norm = 0.0, size_norm = 0.0;
    for (size_t c = 0; c < d.dk; c++) {
        double s = 0.0;
        for (size_t j = 0; j < d.n; j++) {
            s += a[K + j * d.dk + c];
            size_norm += fabs(a[K + j * d.dk + c]);
        }
        sum_norm += fabs(s);
    }
    if (sum_norm > 1e-6 * size_norm)
        snprintf(buf, size, "dJ/dV is right, but the rows of dJ/dK do not add up to 0: the "
                 "softmax's Jacobian is applied on the wrong axis, down the columns of S (over "
                 "the queries i) instead of along each row (over the keys j), whose entries of "
                 "dJ/dS must sum to 0 (the rows of dJ/dK sum to %.3g in size)", sum_norm);
}

/* Q, K (times sharp) and V ~ N(0, 1), w uniform in [-1, 1). */
static int setup_att(gc_problem *p, uint64_t seed, attn_dims d, double sharp)
{
    size_t nk = d.n * d.dk, nv = d.n * d.dv;
    if (gc_problem_alloc(p, 2 * nk + nv, sizeof(lab6_ctx) + nv * sizeof(double)) != 0)
        return -1;
    lab6_ctx *c = p->ctx;
    c->at = d;
    rng_t r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < 2 * nk + nv; i++)
        p->x[i] = (i < 2 * nk ? sharp : 1.0) * rng_normal(&r);
    for (size_t i = 0; i < nv; i++)
        c->w[i] = rng_range(&r, -1, 1);
    p->f_parts = f_attention;
    p->part_blocks[0] = p->part_blocks[1] = p->part_blocks[2] = 1, p->nparts = 3;
    p->blocks[0] = (gc_block){ "Q", d.n, d.dk };
    p->blocks[1] = (gc_block){ "K", d.n, d.dk };
    p->blocks[2] = (gc_block){ "V", d.n, d.dv };
    p->nblocks = 3;
    p->explain = explain_attention;
    return 0;
}

static int setup_attention(gc_problem *p, uint64_t seed)
{
    return setup_att(p, seed, (attn_dims){ 5, 0, 3, 4 }, 1.0);
}

/* Scores of size 5 or more: weights near 0 and 1, where the softmax saturates. */
static int setup_attention_sharp(gc_problem *p, uint64_t seed)
{
    return setup_att(p, seed, (attn_dims){ 6, 0, 4, 3 }, 2.5);
}

/* ---- the attention layer: x = W (Wq | Wk | Wv) | X (n x dm) ---- */

static double f_layer(void *ctx, const double *x, double *const *g)
{
    const lab6_ctx *c = ctx;
    attn_dims d = c->at;
    size_t P = attention_param_count(d), nc = attention_cache_count(d);
    double *cache = malloc((nc + d.n * d.dv) * sizeof *cache), *O = cache + nc;
    if (!cache)
        return errno = ENOMEM, NAN;
    double J = NAN;
    if (attention_layer_forward(d, x, x + P, cache, O) == GL_OK &&
        attention_layer_backward(d, x, x + P, cache, c->w, g[0], g[1]) == GL_OK)
        J = weighted(c->w, O, d.n * d.dv);
    free(cache);
    return J;
}

static void explain_layer(const gc_problem *p, const double *a, const double *num, char *buf,
                          size_t size)
{
    attn_dims d = ((const lab6_ctx *)p->ctx)->at;
    size_t qk = d.dm * d.dk;
    explain_scale(a, num, 0, qk, qk, 2 * qk, d.dm * d.dv, d.dk, buf, size);
}

static int setup_attention_layer(gc_problem *p, uint64_t seed)
{
    attn_dims d = { 4, 5, 3, 2 };
    size_t P = attention_param_count(d), nx = d.n * d.dm, nv = d.n * d.dv;
    if (gc_problem_alloc(p, P + nx, sizeof(lab6_ctx) + nv * sizeof(double)) != 0)
        return -1;
    lab6_ctx *c = p->ctx;
    c->at = d;
    rng_t r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < P; i++)
        p->x[i] = rng_normal(&r) / sqrt((double)d.dm);
    for (size_t i = P; i < P + nx; i++)
        p->x[i] = rng_normal(&r);
    for (size_t i = 0; i < nv; i++)
        c->w[i] = rng_range(&r, -1, 1);
    p->f_parts = f_layer;
    p->part_blocks[0] = 3, p->part_blocks[1] = 1, p->nparts = 2;
    p->blocks[0] = (gc_block){ "Wq", d.dm, d.dk };
    p->blocks[1] = (gc_block){ "Wk", d.dm, d.dk };
    p->blocks[2] = (gc_block){ "Wv", d.dm, d.dv };
    p->blocks[3] = (gc_block){ "X", d.n, d.dm };
    p->nblocks = 4;
    p->explain = explain_layer;
    return 0;
}

/* ---- the model the lab trains: x = its parameters ---- */

/* The tokens, then the targets, B x n each, stored where w would be. */
static size_t *model_tokens(const lab6_ctx *c) { return (size_t *)(void *)c->w; }

static double f_model(void *ctx, const double *x, double *grad)
{
    const lab6_ctx *c = ctx;
    const size_t *t = model_tokens(c);
    return model_loss_and_grad(c->model, x, t, t + c->B * c->model.n, c->B, grad);
}

static int setup_attention_model(gc_problem *p, uint64_t seed)
{
    model_dims m = { 5, 4, 6, 3, 1e-5 };
    size_t B = 3;
    model_layout L = model_layout_of(m);
    if (gc_problem_alloc(p, L.count, sizeof(lab6_ctx) + 2 * B * m.n * sizeof(size_t)) != 0)
        return -1;
    lab6_ctx *c = p->ctx;
    c->model = m, c->B = B;
    rng_t r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < L.count; i++)
        p->x[i] = 0.7 * rng_normal(&r);
    for (size_t j = 0; j < m.d; j++)
        p->x[L.gamma + j] += 1.0;
    size_t *t = model_tokens(c);
    for (size_t i = 0; i < 2 * B * m.n; i++)
        t[i] = rng_index(&r, m.V);
    p->f = f_model;
    attn_dims d = model_attn(m);
    const char *names[9] = { "E", "P", "gamma", "beta", "Wq", "Wk", "Wv", "Wo", "bo" };
    size_t rows[9] = { m.V, m.n, m.d, m.d, d.dm, d.dm, d.dm, m.d, m.V };
    size_t cols[9] = { m.d, m.d, 0, 0, d.dk, d.dk, d.dv, m.V, 0 };
    for (size_t b = 0; b < 9; b++)
        p->blocks[b] = (gc_block){ names[b], rows[b], cols[b] };
    p->nblocks = 9;
    return 0;
}

#include "golden.h"

const gc_check lab6_checks[] = {
    { "layernorm", LAB_NUMBER,
      "layer norm of 4 rows of 6, eps = 1e-5: dJ/dX, dJ/dgamma, dJ/dbeta of J = sum w .* Y",
      setup_layernorm, GOLDEN(layernorm) },
    { "layernorm_eps", LAB_NUMBER,
      "layer norm, eps = 0.25 as large as the rows' variance: 3 rows of 5",
      setup_layernorm_eps, GOLDEN(layernorm_eps) },
    { "attention", LAB_NUMBER,
      "softmax(Q K^T / sqrt(dk)) V: dJ/dQ, dJ/dK, dJ/dV; n = 5, dk = 3, dv = 4",
      setup_attention, GOLDEN(attention) },
    { "attention_sharp", LAB_NUMBER,
      "attention with scores of size 5 and more (weights near 0 and 1); n = 6, dk = 4",
      setup_attention_sharp, GOLDEN(attention_sharp) },
    { "attention_layer", LAB_NUMBER,
      "the attention layer Q, K, V = X Wq, X Wk, X Wv: dJ/dWq, Wk, Wv and dJ/dX; n = 4, dm = 5",
      setup_attention_layer, GOLDEN(attention_layer) },
    { "attention_model", LAB_NUMBER,
      "the model make lab6 trains: embeddings, layer norm, attention, output layer, "
      "cross-entropy; 3 sequences of 4",
      setup_attention_model, GOLDEN(attention_model) },
    { 0 }
};
