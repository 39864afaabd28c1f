/* slips.c — the catalogue of slips (see slips.h). A slip takes a lab check's
 * problem as the check sets it up and wraps its loss: the right function
 * runs, then `apply` turns its loss J and gradient g into what the slip
 * would have given. Checks that judge themselves (a Jacobian, the Huffman
 * tree) are changed through their own hooks instead. */
#include "slips.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gradlab.h"
#include "vec.h"
#include "lab1/checks.h"
#include "lab2/checks.h"
#include "lab3/checks.h"
#include "lab4/checks.h"
#include "lab5/checks.h"
#include "net2_slip.h"
#include "registry.h"

/* apply: the slipped loss, given the right problem, the point x, the right
 * loss J and gradient g (NULL when no gradient was asked); adds the slipped
 * gradient into grad (NULL: none asked). */
typedef double (*slip_apply)(const gc_problem *right, const double *x, double J, const double *g,
                             double *grad);

typedef struct {
    gc_problem right;        /* the check's own problem, owned */
    slip_apply apply;
} wrapped;

static void wrapped_release(void *ctx)
{
    gc_problem_free(&((wrapped *)ctx)->right);
}

static void wrapped_reset(void *ctx)
{
    const gc_problem *right = &((wrapped *)ctx)->right;
    if (right->reset)
        right->reset(right->ctx);
}

/* The right check's own explanation, asked of the right problem. */
static void wrapped_explain(const gc_problem *p, const double *a, const double *num, char *buf,
                            size_t size)
{
    const gc_problem *right = &((const wrapped *)p->ctx)->right;
    if (right->explain)
        right->explain(right, a, num, buf, size);
}

static double wrapped_f(void *ctx, const double *x, double *grad)
{
    const wrapped *w = ctx;
    size_t n = w->right.n;
    double *g = grad ? calloc(n, sizeof *g) : NULL;
    if (grad && !g)
        return NAN;
    double J = gc_loss(&w->right, x, g);
    J = w->apply(&w->right, x, J, g, grad);
    free(g);
    return J;
}

/* Sets check `name` up at seed into *p with its loss wrapped by apply. */
static int wrap(gc_problem *p, uint64_t seed, const char *name, slip_apply apply)
{
    const gc_check *c = lab_find(name);
    gc_problem right;
    if (!c || c->setup(&right, seed) != 0)
        return -1;
    if (gc_problem_alloc(p, right.n, sizeof(wrapped)) != 0) {
        gc_problem_free(&right);
        return -1;
    }
    memcpy(p->x, right.x, right.n * sizeof *p->x);
    memcpy(p->blocks, right.blocks, sizeof p->blocks);
    p->nblocks = right.nblocks;
    *(wrapped *)p->ctx = (wrapped){ right, apply };
    p->f = wrapped_f;
    p->reset = wrapped_reset;
    p->release = wrapped_release;
    p->explain = wrapped_explain;
    return 0;
}

static void add(double *grad, const double *g, size_t n, double k)
{
    for (size_t i = 0; grad && g && i < n; i++)
        grad[i] += k * g[i];
}

/* grad += g, its first `len` entries (one block) times k. */
static void add_scaled_block(double *grad, const double *g, size_t n, size_t len, double k)
{
    add(grad, g, len, k);
    if (grad)
        add(grad + len, g + len, n - len, 1.0);
}

/* ---- lab 1 ---- */

/* log-sum-exp as written on the board: log sum exp(x_i), no shift. */
static double lse_unshifted(const gc_problem *p, const double *x, double J, const double *g,
                            double *grad)
{
    (void)J, (void)g;
    double z = 0;
    for (size_t i = 0; i < p->n; i++)
        z += exp(x[i]);
    for (size_t i = 0; grad && i < p->n; i++)
        grad[i] += exp(x[i]) / z;
    return log(z);
}

/* softmax as written on the board, in the check f = w . softmax(x): at
 * x near 1000 every exp overflows and inf / inf is NaN. */
static double softmax_unshifted(const gc_problem *p, const double *x, double J, const double *g,
                                double *grad)
{
    (void)J;
    const vec_ctx *c = p->ctx;
    double z = 0, f = 0;
    for (size_t i = 0; i < c->n; i++)
        z += exp(x[i]);
    for (size_t i = 0; i < c->n; i++)
        f += c->w[i] * exp(x[i]) / z;
    add(grad, g, p->n, 1.0);
    return f;
}

/* log sigma(x) computed as log(sigmoid(x)): -inf once sigmoid underflows. */
static double log_of_sigmoid(const gc_problem *p, const double *x, double J, const double *g,
                             double *grad)
{
    (void)J;
    const vec_ctx *c = p->ctx;
    double f = 0;
    for (size_t i = 0; i < c->n; i++)
        f += c->w[i] * log(sigmoid(x[i]));
    add(grad, g, p->n, 1.0);
    return f;
}

/* sigma' written sigma (1 + sigma): the right w s (1 - s) times (1 + s) / (1 - s). */
static double sigma_one_plus(const gc_problem *p, const double *x, double J, const double *g,
                             double *grad)
{
    for (size_t i = 0; grad && i < p->n; i++) {
        double s = sigmoid(x[i]);
        grad[i] += g[i] * (1.0 + s) / (1.0 - s);
    }
    return J;
}

/* sigmoid_grad(s) computing sigma(s)(1 - sigma(s)): sigma applied again to
 * an argument that is s = sigma(x) already. */
static double sigma_twice(const gc_problem *p, const double *x, double J, const double *g,
                          double *grad)
{
    for (size_t i = 0; grad && i < p->n; i++) {
        double s = sigmoid(x[i]), t = sigmoid(s);
        grad[i] += g[i] * (t * (1 - t)) / (s * (1 - s));
    }
    return J;
}

/* relu'(0) taken as 2: outside the one-sided derivatives 0 and w. */
static double relu_kink_two(const gc_problem *p, const double *x, double J, const double *g,
                            double *grad)
{
    const vec_ctx *c = p->ctx;
    add(grad, g, p->n, 1.0);
    for (size_t i = 0; grad && i < p->n; i++)
        if (x[i] == 0.0)
            grad[i] += 2.0 * c->w[i];
    return J;
}

static double ce_sign(const gc_problem *p, const double *x, double J, const double *g, double *grad)
{
    (void)x;
    add(grad, g, p->n, -1.0);
    return J;
}

/* yhat - y with the y dropped: yhat itself. */
static double ce_no_y(const gc_problem *p, const double *x, double J, const double *g, double *grad)
{
    (void)g;
    double yhat[LAB1_N];
    softmax(x, p->n, yhat);
    add(grad, yhat, p->n, 1.0);
    return J;
}

/* The gradient computed into a local array and never added. */
static double ce_nothing(const gc_problem *p, const double *x, double J, const double *g,
                         double *grad)
{
    (void)p, (void)x, (void)g, (void)grad;
    return J;
}

/* softmax_cross_entropy writing grad_theta[i] = yhat_i - y_i (= for +=). */
static double ce_overwrites(const gc_problem *p, const double *x, double J, const double *g,
                            double *grad)
{
    (void)x;
    for (size_t i = 0; grad && i < p->n; i++)
        grad[i] = g[i];
    return J;
}

/* ---- lab 2: tanh', then x = W1 | b1 | W2 | b2 | X ---- */

/* tanh_grad written as wrong(t) instead of 1 - t^2: each entry of the right
 * gradient rescaled by wrong(t) / (1 - t^2). */
static double tanh_as(const gc_problem *p, const double *x, double J, const double *g,
                      double *grad, double (*wrong)(double t))
{
    for (size_t i = 0; grad && i < p->n; i++) {
        double t = tanh(x[i]);
        grad[i] += g[i] * wrong(t) / (1 - t * t);
    }
    return J;
}

static double one_minus(double t) { return 1 - t; }
static double times_one_minus(double t) { return t * (1 - t); }

/* tanh_grad returning 1 - t, the square forgotten. */
static double tanh_no_square(const gc_problem *p, const double *x, double J, const double *g,
                             double *grad)
{
    return tanh_as(p, x, J, g, grad, one_minus);
}

/* tanh_grad written with sigma's rule t (1 - t). */
static double tanh_sigma_rule(const gc_problem *p, const double *x, double J, const double *g,
                              double *grad)
{
    return tanh_as(p, x, J, g, grad, times_one_minus);
}

/* The gradient of a variant of net2_loss_and_grad compiled from the
 * reference with one change (net2_slip.c, net2_slip_rule.c); the loss stays. */
typedef double (*net2_fn)(net2_dims, const double *, const double *, const size_t *, size_t,
                          double *, double *);

static double net2_variant(const gc_problem *p, const double *x, double J, double *grad,
                           net2_fn variant)
{
    const net2_ctx *c = p->ctx;
    size_t P = net2_param_count(c->dims);
    if (grad)
        variant(c->dims, x, x + P, c->labels, c->n, grad, grad + P);
    return J;
}

static double net2_no_sigma_prime(const gc_problem *p, const double *x, double J, const double *g,
                                  double *grad)
{
    (void)g;
    return net2_variant(p, x, J, grad, net2_loss_without_sigma_prime);
}

/* net2 with tanh units whose backward pass still multiplies by h (1 - h). */
static double net2_tanh_sigma_rule(const gc_problem *p, const double *x, double J,
                                   const double *g, double *grad)
{
    (void)g;
    return net2_variant(p, x, J, grad, net2_loss_with_sigma_rule);
}

/* Where W2 starts, and its H x Dy shape. */
static size_t w2_offset(net2_dims d) { return d.dx * d.h + d.h; }

/* dJ/dW2 written delta2^T h: Dy x H numbers stored where H x Dy belongs. */
static double net2_w2_transposed(const gc_problem *p, const double *x, double J, const double *g,
                                 double *grad)
{
    (void)x;
    const net2_ctx *c = p->ctx;
    net2_dims d = c->dims;
    size_t w2 = w2_offset(d);
    for (size_t i = 0; grad && i < p->n; i++)
        if (i < w2 || i >= w2 + d.h * d.dy)
            grad[i] += g[i];
    for (size_t j = 0; grad && j < d.h; j++)
        for (size_t k = 0; k < d.dy; k++)
            grad[w2 + k * d.h + j] += g[w2 + j * d.dy + k];
    return J;
}

/* The loss averaged over the rows, the gradient summed. */
static double net2_mean_loss(const gc_problem *p, const double *x, double J, const double *g,
                             double *grad)
{
    (void)x;
    add(grad, g, p->n, 1.0);
    return J / (double)((const net2_ctx *)p->ctx)->n;
}

/* The loss and its gradient both averaged over the rows: consistent, so
 * only the loss's value shows it. */
static double net2_mean_both(const gc_problem *p, const double *x, double J, const double *g,
                             double *grad)
{
    (void)x;
    double n = (double)((const net2_ctx *)p->ctx)->n;
    add(grad, g, p->n, 1.0 / n);
    return J / n;
}

/* dJ/dW2 overwritten by each row (= for +=): only the last row's is left. */
static double net2_last_row(const gc_problem *p, const double *x, double J, const double *g,
                            double *grad)
{
    const net2_ctx *c = p->ctx;
    net2_dims d = c->dims;
    size_t P = net2_param_count(d), w2 = w2_offset(d), last = c->n - 1;
    double *row = grad ? calloc(P, sizeof *row) : NULL;
    if (grad && !row)
        return NAN;
    if (row)
        net2_loss_and_grad(d, x, x + P + last * d.dx, c->labels + last, 1, row, NULL);
    for (size_t i = 0; grad && i < p->n; i++)
        grad[i] += i >= w2 && i < w2 + d.h * d.dy ? row[i] : g[i];
    free(row);
    return J;
}

/* ---- lab 3: x = v_c | U for a pair, Vc | U for a window ---- */

static double w2v_expected_minus_observed(const gc_problem *p, const double *x, double J,
                                          const double *g, double *grad)
{
    (void)x;
    add_scaled_block(grad, g, p->n, ((const w2v_ctx *)p->ctx)->d, -1.0);
    return J;
}

/* dJ/dU written v_c (yhat - y)^T: a d x V matrix stored where V x d belongs. */
static double w2v_du_transposed(const gc_problem *p, const double *x, double J, const double *g,
                                double *grad)
{
    (void)x;
    const w2v_ctx *c = p->ctx;
    for (size_t i = 0; grad && i < c->d; i++)
        grad[i] += g[i];
    for (size_t w = 0; grad && w < c->V; w++)
        for (size_t i = 0; i < c->d; i++)
            grad[c->d + i * c->V + w] += g[c->d + w * c->d + i];
    return J;
}

/* A negative drawn several times updated once (u[w] = ..., per distinct w). */
static double neg_repeat_once(const gc_problem *p, const double *x, double J, const double *g,
                              double *grad)
{
    (void)x;
    const w2v_ctx *c = p->ctx;
    add(grad, g, p->n, 1.0);
    for (size_t w = 0; grad && w < c->V; w++) {
        size_t times = 0;
        for (size_t k = 0; k < c->K; k++)
            times += c->fixed[k] == w;
        for (size_t i = 0; times > 1 && i < c->d; i++)
            grad[c->d + w * c->d + i] -= g[c->d + w * c->d + i] * (double)(times - 1) / (double)times;
    }
    return J;
}

/* "Negative sampling trains on the negatives": the u_o term's gradient, the
 * pair's loss with no negatives at all, taken out. */
static double neg_negatives_only(const gc_problem *p, const double *x, double J, const double *g,
                                 double *grad)
{
    const w2v_ctx *c = p->ctx;
    double *pos = grad ? calloc(p->n, sizeof *pos) : NULL;
    if (grad && !pos)
        return NAN;
    if (pos)
        neg_sampling_loss_and_grad(x, c->o, x + c->d, c->d, NULL, 0, pos, pos + c->d);
    add(grad, g, p->n, 1.0);
    add(grad, pos, p->n, -1.0);
    free(pos);
    return J;
}

/* neg_sampling_loss_and_grad clearing the caller's buffers before adding. */
static double neg_zeroes_buffer(const gc_problem *p, const double *x, double J, const double *g,
                                double *grad)
{
    (void)x;
    if (grad)
        memset(grad, 0, p->n * sizeof *grad);
    add(grad, g, p->n, 1.0);
    return J;
}

/* The negatives' factor written sigma(-s) (or 1 - sigma(s)) where sigma(s)
 * belongs: each negative's row times exp(-s), and dJ/dv_c by the same
 * change of each negative's slope. */
static double neg_sigma_minus_s(const gc_problem *p, const double *x, double J, const double *g,
                                double *grad)
{
    const w2v_ctx *c = p->ctx;
    size_t d = c->d;
    add(grad, g, p->n, 1.0);
    for (size_t k = 0; grad && k < c->K; k++) {
        const double *u = x + d + c->fixed[k] * d;
        double s = dot(u, x, d), change = sigmoid(-s) - sigmoid(s);
        axpy(change, u, grad, d);
        axpy(change, x, grad + d + c->fixed[k] * d, d);
    }
    return J;
}

/* A weight decay 1e-3 u_w added to every row of dJ/dU, the rows with no
 * gradient included (and left out of the loss). */
static double neg_every_row(const gc_problem *p, const double *x, double J, const double *g,
                            double *grad)
{
    size_t d = ((const w2v_ctx *)p->ctx)->d;
    add(grad, g, p->n, 1.0);
    if (grad)
        add(grad + d, x + d, p->n - d, 1e-3);
    return J;
}

/* The naive softmax computing dJ/dv_c inside `if (grad_U)`: with grad_U
 * NULL, grad_v_c is left as it was. A slip of the parts, not of f. */
static double vc_only_with_U(void *ctx, const double *x, double *const *g)
{
    const wrapped *w = ctx;
    double *const right[2] = { g[1] ? g[0] : NULL, g[1] };
    return w->right.f_parts(w->right.ctx, x, right);
}

static int setup_vc_only_with_U(gc_problem *p, uint64_t seed)
{
    if (wrap(p, seed, "naive_softmax", NULL) != 0)
        return -1;
    const wrapped *w = p->ctx;
    p->f = NULL;
    p->f_parts = vc_only_with_U;
    memcpy(p->part_blocks, w->right.part_blocks, sizeof p->part_blocks);
    p->nparts = w->right.nparts;
    return 0;
}

/* A skip-gram window that adds only its first outside word, loss and
 * gradient alike: the right functions on a window of one. */
static double skipgram_first_only(const gc_problem *p, const double *x, double J, const double *g,
                                  double *grad)
{
    (void)J, (void)g;
    w2v_ctx one = *(const w2v_ctx *)p->ctx;
    one.m = 1;
    one.rng = one.rng_start;
    size_t VD = one.V * one.d;
    double *const parts[2] = { grad, grad ? grad + VD : NULL };
    return p->f_parts(&one, x, parts);
}

/* CBOW: dJ/dv_context = dJ/dh, the 1/m of the mean forgotten. */
static double cbow_no_mean(const gc_problem *p, const double *x, double J, const double *g,
                           double *grad)
{
    (void)x;
    const w2v_ctx *c = p->ctx;
    add_scaled_block(grad, g, p->n, c->V * c->d, (double)c->m);
    return J;
}

/* ---- lab 4: x = v_c | Theta ---- */

/* The loss with left = +1, the gradient with left = -1: the right gradient
 * of the mirrored path (every code flipped). */
static double hs_sign_mixed(const gc_problem *p, const double *x, double J, const double *g,
                            double *grad)
{
    (void)g;
    const hs_ctx *c = p->ctx;
    hs_path path = hs_path_of(&c->tree, c->o);
    uint8_t flipped[64];
    for (size_t j = 0; j < path.len && j < 64; j++)
        flipped[j] = (uint8_t)!path.code[j];
    hs_path mirror = { path.node, flipped, path.len < 64 ? path.len : 64 };
    if (grad)
        hsoftmax_loss_and_grad(x, mirror, x + c->d, c->d, grad, grad + c->d);
    return J;
}

/* Left and right swapped in the loss and the gradient alike (the mirror
 * tree's leaves still sum to one): the right function on the mirrored path. */
static double hs_swapped(const gc_problem *p, const double *x, double J, const double *g,
                         double *grad)
{
    (void)J, (void)g;
    const hs_ctx *c = p->ctx;
    hs_path path = hs_path_of(&c->tree, c->o);
    uint8_t flipped[64];
    for (size_t j = 0; j < path.len && j < 64; j++)
        flipped[j] = (uint8_t)!path.code[j];
    hs_path mirror = { path.node, flipped, path.len < 64 ? path.len : 64 };
    return hsoftmax_loss_and_grad(x, mirror, x + c->d, c->d, grad, grad ? grad + c->d : NULL);
}

/* Every theta gradient added to the leaf's own row o instead of the path's. */
static double hs_leaf_row(const gc_problem *p, const double *x, double J, const double *g,
                          double *grad)
{
    (void)x;
    const hs_ctx *c = p->ctx;
    size_t d = c->d;
    for (size_t i = 0; grad && i < p->n; i++) {
        if (i < d)
            grad[i] += g[i];
        else
            grad[d + c->o * d + (i - d) % d] += g[i];
    }
    return J;
}

/* The window computed node by node, each node given the slope of the first
 * pair that visits it, not the sum over the pairs visiting it: the right
 * pair function along one path made of the window's distinct nodes, each
 * with its first visitor's code. The loss is the right one. */
static double hs_window_shared_once(const gc_problem *p, const double *x, double J,
                                    const double *g, double *grad)
{
    (void)g;
    const hs_ctx *c = p->ctx;
    size_t node[64], len = 0;
    uint8_t code[64], seen[64] = { 0 };
    for (size_t j = 0; j < c->m; j++) {
        hs_path path = hs_path_of(&c->tree, c->words[j]);
        for (size_t k = 0; k < path.len && len < 64; k++)
            if (!seen[path.node[k]]) {
                seen[path.node[k]] = 1;
                node[len] = path.node[k];
                code[len++] = path.code[k];
            }
    }
    if (grad)
        hsoftmax_loss_and_grad(x, (hs_path){ node, code, len }, x + c->d, c->d, grad,
                               grad + c->d);
    return J;
}

/* Every path made to start below the root: the root's decision left out. */
static int drop_root(hs_tree *t)
{
    size_t kept = 0;
    for (size_t w = 0; w < t->V; w++) {
        size_t from = t->start[w] + 1, to = t->start[w + 1];
        t->start[w] = kept;
        for (size_t j = from; j < to; j++, kept++) {
            t->node[kept] = t->node[j];
            t->code[kept] = t->code[j];
        }
    }
    t->start[t->V] = kept;
    return 0;
}

static int hs_root_skipped(gc_problem *p, uint64_t seed)
{
    const gc_check *c = lab_find("hs_probabilities");
    if (!c || c->setup(p, seed) != 0)
        return -1;
    ((hs_ctx *)p->ctx)->tree_hook = drop_root;
    return 0;
}

/* ---- lab 5 ---- */

/* The layer's backward pass without tanh' = 1 - t^2 in dF/da: dL/da grows by
 * the factor 1 / (1 - t^2), which carries into b1, W1 and u. x = params | z | u. */
static double flow_no_tanh_prime(const gc_problem *p, const double *x, double J, const double *g,
                                 double *grad)
{
    const flow_ctx *c = p->ctx;
    flow_dims d = c->d;
    size_t Q = flow_param_count(d), W1 = d.n + d.h, b1 = W1 + d.H * d.h, u = Q + d.n;
    add(grad, g, p->n, 1.0);
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
    return gc_check_map(&m, o, r);
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
#define WRAPPED(APPLY, CHECK) \
    static int setup_##APPLY(gc_problem *p, uint64_t seed) { return wrap(p, seed, CHECK, APPLY); }
WRAPPED(lse_unshifted, "logsumexp")
WRAPPED(softmax_unshifted, "softmax_1e3")
WRAPPED(log_of_sigmoid, "log_sigmoid")
WRAPPED(sigma_one_plus, "sigmoid_grad")
WRAPPED(relu_kink_two, "relu")
WRAPPED(sigma_twice, "sigmoid_grad")
WRAPPED(ce_sign, "cross_entropy")
WRAPPED(ce_no_y, "cross_entropy")
WRAPPED(ce_nothing, "cross_entropy")
WRAPPED(ce_overwrites, "cross_entropy_soft")
WRAPPED(neg_zeroes_buffer, "neg_sampling")
WRAPPED(neg_every_row, "neg_sampling")
WRAPPED(neg_sigma_minus_s, "neg_sampling")
WRAPPED(tanh_no_square, "tanh_grad")
WRAPPED(tanh_sigma_rule, "tanh_grad")
WRAPPED(net2_tanh_sigma_rule, "net2_tanh")
WRAPPED(net2_no_sigma_prime, "net2")
WRAPPED(net2_w2_transposed, "net2")
WRAPPED(net2_mean_loss, "net2")
WRAPPED(net2_last_row, "net2")
WRAPPED(net2_mean_both, "net2")
WRAPPED(skipgram_first_only, "skipgram_softmax")
WRAPPED(hs_swapped, "hs_pair")
WRAPPED(w2v_expected_minus_observed, "naive_softmax")
WRAPPED(w2v_du_transposed, "naive_softmax")
WRAPPED(neg_repeat_once, "neg_sampling_dup")
WRAPPED(neg_negatives_only, "neg_sampling")
WRAPPED(cbow_no_mean, "cbow_softmax")
WRAPPED(hs_sign_mixed, "hs_pair")
WRAPPED(hs_leaf_row, "hs_pair")
WRAPPED(hs_window_shared_once, "hs_window")
WRAPPED(flow_no_tanh_prime, "flow_layer")

const slip_entry slips[] = {
    { "softmax_no_shift", "softmax / log-sum-exp without subtracting the max", "logsumexp",
      "the loss at the check point is inf", setup_lse_unshifted },
    { "softmax_unshifted", "softmax as exp(x_i) / sum exp(x_j), no max subtracted", "softmax_1e3",
      "the loss at the check point is NaN", setup_softmax_unshifted },
    { "log_of_sigmoid", "log sigma computed as log(sigmoid(x))", "log_sigmoid",
      "the loss at the check point is -inf", setup_log_of_sigmoid },
    { "sigma_one_plus", "sigma' written as sigma(1 + sigma)", "sigmoid_grad",
      "no simple pattern", setup_sigma_one_plus },
    { "sigma_grad_of_x", "sigmoid_grad(s) returning sigma(s)(1 - sigma(s)): sigma' taken at its "
      "argument, which is s = sigma(x) already", "sigmoid_grad", "applies sigma to its argument "
      "again", setup_sigma_twice },
    { "relu_kink_two", "relu'(0) taken as 2, outside the one-sided derivatives [0, 1]", "relu",
      "outside", setup_relu_kink_two },
    { "ce_y_minus_yhat", "CE gradient written y - yhat", "cross_entropy",
      "the sign is flipped", setup_ce_sign },
    { "ce_dropped_y", "CE gradient written yhat (the - y term dropped)", "cross_entropy",
      "only 1 of 10 entries is wrong", setup_ce_no_y },
    { "ce_nothing_added", "CE gradient computed into a local array, never added", "cross_entropy",
      "zero everywhere", setup_ce_nothing },
    { "ce_overwrites", "CE gradient stored with = instead of += into the caller's buffer",
      "cross_entropy_soft", "it overwrites instead of adding", setup_ce_overwrites },
    { "neg_zeroes_buffer", "negative sampling clears grad_v_c and grad_U before adding",
      "neg_sampling", "it zeroes the caller's buffer", setup_neg_zeroes_buffer },
    { "neg_sigma_minus_s", "the negatives' slope written sigma(-s) (1 - sigma(s)) where sigma(s) "
      "belongs", "neg_sampling", "the gradient uses sigma(-s) = 1 - sigma(s) where sigma(s) "
      "belongs", setup_neg_sigma_minus_s },
    { "neg_every_row", "a weight decay 1e-3 u_w added to every row of dJ/dU (and not to J)",
      "neg_sampling", "it touches entries it has no gradient for", setup_neg_every_row },
    { "tanh_no_square", "tanh' written 1 - t (the square forgotten)", "tanh_grad",
      "t squared", setup_tanh_no_square },
    { "tanh_sigma_rule", "tanh' written t (1 - t), sigma's rule", "tanh_grad",
      "uses sigma's rule", setup_tanh_sigma_rule },
    { "net2_tanh_sigma_rule", "tanh units, but delta1 still multiplied by h (1 - h), sigma's "
      "derivative", "net2_tanh", "wrong: dJ/dW1, dJ/db1, dJ/dX; right: dJ/dW2, dJ/db2",
      setup_net2_tanh_sigma_rule },
    { "net2_no_sigma_prime", "dJ/dx without sigma': delta1 = delta2 W2^T", "net2",
      "wrong: dJ/dW1, dJ/db1, dJ/dX; right: dJ/dW2, dJ/db2", setup_net2_no_sigma_prime },
    { "net2_dW2_transposed", "dJ/dW2 written as delta2^T h (Dy x H, stored as H x Dy)", "net2",
      "transposed layout", setup_net2_w2_transposed },
    { "net2_mean_loss", "loss averaged over the 20 rows, gradient summed", "net2",
      "20.00x the true one", setup_net2_mean_loss },
    { "net2_mean_both", "loss and gradient both averaged over the 20 rows (the contract sums)",
      "net2", "a mean over 20 terms where their sum belongs", setup_net2_mean_both },
    { "skipgram_first_only", "a skip-gram window that adds only its first outside word, loss "
      "and gradient alike", "skipgram_softmax", "the loss computes another function",
      setup_skipgram_first_only },
    { "hs_left_right_swapped", "left and right swapped in the loss and the gradient alike",
      "hs_pair", "the loss computes another function", setup_hs_swapped },
    { "net2_dW2_last_row", "dJ/dW2 overwritten by each row (= instead of +=)", "net2",
      "wrong: dJ/dW2; right:", setup_net2_last_row },
    { "w2v_expected_minus_obs", "dJ/dv_c = U^T (y - yhat): 'expected minus observed' read for the loss",
      "naive_softmax", "dJ/dv_c: the sign is flipped", setup_w2v_expected_minus_observed },
    { "w2v_dU_transposed", "dJ/dU = v_c (yhat - y)^T: a d x V matrix stored where V x d belongs",
      "naive_softmax", "transposed layout", setup_w2v_du_transposed },
    { "neg_repeat_once", "a negative drawn 3 times updated once (u[w] = ... per distinct w)",
      "neg_sampling_dup", "counted once", setup_neg_repeat_once },
    { "neg_negatives_only", "negative sampling 'trains on the negatives': the u_o term dropped",
      "neg_sampling", "wrong: dJ/dv_c, dJ/du_o; right: dJ/du_neg", setup_neg_negatives_only },
    { "w2v_dvc_needs_dU", "naive softmax: dJ/dv_c computed inside if (grad_U), so lost when "
      "grad_U is NULL", "naive_softmax", "a gradient that is asked for comes out different",
      setup_vc_only_with_U },
    { "cbow_no_mean", "CBOW: dJ/dv_context = dJ/dh (the 1/m of the mean forgotten)",
      "cbow_softmax", "4.00x", setup_cbow_no_mean },
    { "hs_sign_mixed", "loss with left = +1, gradient with left = -1 (two sign conventions)",
      "hs_pair", "opposite sign", setup_hs_sign_mixed },
    { "hs_leaf_updated", "dJ/dtheta added to the leaf's row o instead of the path's inner nodes",
      "hs_pair", "wrong rows", setup_hs_leaf_row },
    { "hs_shared_node_once", "a window's node on several pairs' paths given one pair's slope, "
      "not the sum over the pairs", "hs_window", "counted once instead of once per pair",
      setup_hs_window_shared_once },
    { "hs_root_skipped", "every path starts below the root (the root's decision left out)",
      "hs_probabilities", "does not start at the root", hs_root_skipped },
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

const slip_entry *slip_find(const char *name)
{
    for (const slip_entry *s = slips; s->name; s++)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

gc_check slip_check(const slip_entry *s)
{
    const gc_check *right = lab_find(s->check);        /* its golden losses judge the slip's */
    return (gc_check){ s->name, right ? right->group : 0, s->what, s->setup,
                       right ? right->golden : NULL, right ? right->ngolden : 0 };
}

size_t slips_run(FILE *out, const gc_options *o, unsigned timeout)
{
    size_t total = 0, missed = 0;
    fprintf(out, "%-22s %-18s %-8s %s\n", "slip", "check", "verdict", "what the checker said");
    for (const slip_entry *s = slips; s->name; s++) {
        gc_check c = slip_check(s);
        gc_report r;
        gc_run_isolated(&c, o, timeout, &r);
        if (o->method == GC_TAYLOR && r.status == GC_PASS && r.kinks) {
            fprintf(out, "%-22s %-18s %-8s %s\n%50s(a kink: the Taylor test cannot judge it; "
                    "run without --method taylor)\n", s->name, s->check, "n/a", s->what, "");
            continue;
        }
        int caught = r.status != GC_PASS;
        int diagnosed = strstr(r.note, s->expect) || strstr(r.diagnosis, s->expect) ||
                        (o->method == GC_TAYLOR && caught);   /* the order is the diagnosis */
        const char *verdict = !caught ? "MISSED" : diagnosed ? "caught" : "caught?";
        fprintf(out, "%-22s %-18s %-8s %s\n", s->name, s->check, verdict, s->what);
        fprintf(out, "%50s%s\n", "", r.note);
        if (r.diagnosis[0])
            fprintf(out, "%50sdiagnosis: %s\n", "", r.diagnosis);
        if (caught && !diagnosed)
            fprintf(out, "%50sexpected the report to say: %s\n", "", s->expect);
        total++;
        missed += !(caught && diagnosed);
    }
    fprintf(out, "\nslips: %zu of %zu caught and diagnosed as expected\n", total - missed, total);
    return missed;
}
