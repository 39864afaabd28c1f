/* labs/lab3/teach/slips.c — lab 3's slips: naive softmax, negative sampling and the windows (x =
 * v_c | U for a pair, Vc | U for a window). Each slip is a right check made wrong the way
 * students make it wrong (labs/teach/slips.h); instructors only, never shipped. */
#include "slips.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gradlab.h"
#include "lab3/checks.h"
#include "vec.h"

static double w2v_expected_minus_observed(const gc_problem *p, const double *x, double J,
                                          const double *g, double *grad)
{
    (void)x;
    slip_add_block(grad, g, p->n, ((const w2v_ctx *)p->ctx)->d, -1.0);
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
    slip_add(grad, g, p->n, 1.0);
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
    slip_add(grad, g, p->n, 1.0);
    slip_add(grad, pos, p->n, -1.0);
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
    slip_add(grad, g, p->n, 1.0);
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
    slip_add(grad, g, p->n, 1.0);
    for (size_t k = 0; grad && k < c->K; k++) {
        const double *u = x + d + c->fixed[k] * d;
        double s = dot(u, x, d), change = sigmoid(-s) - sigmoid(s);
        axpy(change, u, grad, d);
        axpy(change, x, grad + d + c->fixed[k] * d, d);
    }
    return J;
}

/* The sum over the negatives moved inside sigma and log:
 * J = -log sigma(s_o) - log sigma(-sum_k s_{n_k}), and its own gradient
 * (every negative's slope sigma(sum_k s_{n_k})), loss and gradient alike. */
static double neg_sum_inside_log(const gc_problem *p, const double *x, double J, const double *g,
                                 double *grad)
{
    (void)J, (void)g;
    const w2v_ctx *c = p->ctx;
    size_t d = c->d;
    const double *u_o = x + d + c->o * d;
    double s_o = dot(u_o, x, d), sum = 0;
    for (size_t k = 0; k < c->K; k++)
        sum += dot(x + d + c->fixed[k] * d, x, d);
    if (grad) {
        double slope_o = sigmoid(s_o) - 1.0, slope = sigmoid(sum);
        axpy(slope_o, u_o, grad, d);
        axpy(slope_o, x, grad + d + c->o * d, d);
        for (size_t k = 0; k < c->K; k++) {
            axpy(slope, x + d + c->fixed[k] * d, grad, d);
            axpy(slope, x, grad + d + c->fixed[k] * d, d);
        }
    }
    return -log_sigmoid(s_o) - log_sigmoid(-sum);
}

/* The index notation's implied sum over k read outside the exp: scores
 * sum_k exp(U_wk v_k) where exp(sum_k U_wk v_k) belongs, so
 * J = -log(sum_k e_ok / sum_w sum_k e_wk), e_wk = exp(U_wk v_k), and its own
 * gradient, loss and gradient alike. */
static double w2v_sum_outside_exp(const gc_problem *p, const double *x, double J,
                                  const double *g, double *grad)
{
    (void)J, (void)g;
    const w2v_ctx *c = p->ctx;
    size_t d = c->d;
    const double *U = x + d;
    double num = 0, Z = 0;
    for (size_t w = 0; w < c->V; w++)
        for (size_t k = 0; k < d; k++) {
            double e = exp(U[w * d + k] * x[k]);
            Z += e;
            num += w == c->o ? e : 0;
        }
    for (size_t w = 0; grad && w < c->V; w++)
        for (size_t k = 0; k < d; k++) {
            double e = exp(U[w * d + k] * x[k]);
            double slope = e / Z - (w == c->o ? e / num : 0);
            grad[k] += slope * U[w * d + k];
            grad[d + w * d + k] += slope * x[k];
        }
    return log(Z) - log(num);
}

/* A weight decay 1e-3 u_w added to every row of dJ/dU, the rows with no
 * gradient included (and left out of the loss). */
static double neg_every_row(const gc_problem *p, const double *x, double J, const double *g,
                            double *grad)
{
    size_t d = ((const w2v_ctx *)p->ctx)->d;
    slip_add(grad, g, p->n, 1.0);
    if (grad)
        slip_add(grad + d, x + d, p->n - d, 1e-3);
    return J;
}

/* The naive softmax computing dJ/dv_c inside `if (grad_U)`: with grad_U
 * NULL, grad_v_c is left as it was. A slip of the parts, not of f. */
static double vc_only_with_U(void *ctx, const double *x, double *const *g)
{
    const slip_wrapped *w = ctx;
    double *const right[2] = { g[1] ? g[0] : NULL, g[1] };
    return w->right.f_parts(w->right.ctx, x, right);
}

static int setup_vc_only_with_U(gc_problem *p, uint64_t seed)
{
    if (slip_wrap(p, seed, "naive_softmax", NULL) != 0)
        return -1;
    const slip_wrapped *w = p->ctx;
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
    slip_add_block(grad, g, p->n, c->V * c->d, (double)c->m);
    return J;
}

/* Naive softmax's gradient without the - y: yhat where yhat - y belongs, so
 * dJ/dv_c is off by u_o and row o of dJ/dU by v_c. */
static double w2v_no_minus_y(const gc_problem *p, const double *x, double J, const double *g,
                             double *grad)
{
    const w2v_ctx *c = p->ctx;
    slip_add(grad, g, p->n, 1.0);
    if (grad) {
        axpy(1.0, x + c->d + c->o * c->d, grad, c->d);
        axpy(1.0, x, grad + c->d + c->o * c->d, c->d);
    }
    return J;
}

/* A skip-gram window with centre and outside swapped: each outside word's
 * v predicts the centre word, loss and gradient alike. */
static double skipgram_swapped(const gc_problem *p, const double *x, double J, const double *g,
                               double *grad)
{
    (void)J, (void)g;
    const w2v_ctx *c = p->ctx;
    size_t VD = c->V * c->d;
    double loss = 0;
    for (size_t j = 0; j < c->m; j++)
        loss += naive_softmax_loss_and_grad(x + c->words[j] * c->d, c->c, x + VD, c->V, c->d,
                                            grad ? grad + c->words[j] * c->d : NULL,
                                            grad ? grad + VD : NULL);
    return loss;
}

/* A skip-gram window whose loop stops one word early (j + 1 < m). */
static double skipgram_off_by_one(const gc_problem *p, const double *x, double J,
                                  const double *g, double *grad)
{
    (void)J, (void)g;
    w2v_ctx shorter = *(const w2v_ctx *)p->ctx;
    shorter.m -= 1;
    shorter.rng = shorter.rng_start;
    size_t VD = shorter.V * shorter.d;
    double *const parts[2] = { grad, grad ? grad + VD : NULL };
    return p->f_parts(&shorter, x, parts);
}

/* CBOW with h the sum of the context vectors, not their mean, loss and
 * gradient alike: the right CBOW at m Vc, its dJ/dVc times m. */
static double cbow_sum_for_mean(const gc_problem *p, const double *x, double J, const double *g,
                                double *grad)
{
    (void)J, (void)g;
    w2v_ctx c = *(const w2v_ctx *)p->ctx;
    size_t VD = c.V * c.d;
    double *scaled = calloc(p->n, sizeof *scaled), *gs = grad ? calloc(p->n, sizeof *gs) : NULL;
    if (!scaled || (grad && !gs)) {
        free(scaled), free(gs);
        return NAN;
    }
    for (size_t i = 0; i < p->n; i++)
        scaled[i] = i < VD ? (double)c.m * x[i] : x[i];
    c.rng = c.rng_start;
    double *const parts[2] = { gs, gs ? gs + VD : NULL };
    double loss = p->f_parts(&c, scaled, parts);
    for (size_t i = 0; grad && i < p->n; i++)
        grad[i] += i < VD ? (double)c.m * gs[i] : gs[i];
    free(scaled), free(gs);
    return loss;
}

/* One set-up per wrapped slip: check CHECK with its loss through APPLY. */
SLIP_WRAPPED(neg_zeroes_buffer, "neg_sampling")
SLIP_WRAPPED(neg_every_row, "neg_sampling")
SLIP_WRAPPED(neg_sigma_minus_s, "neg_sampling")
SLIP_WRAPPED(skipgram_first_only, "skipgram_softmax")
SLIP_WRAPPED(w2v_expected_minus_observed, "naive_softmax")
SLIP_WRAPPED(w2v_du_transposed, "naive_softmax")
SLIP_WRAPPED(neg_repeat_once, "neg_sampling_dup")
SLIP_WRAPPED(neg_negatives_only, "neg_sampling")
SLIP_WRAPPED(cbow_no_mean, "cbow_softmax")
SLIP_WRAPPED(neg_sum_inside_log, "neg_sampling")
SLIP_WRAPPED(w2v_sum_outside_exp, "naive_softmax")
SLIP_WRAPPED(w2v_no_minus_y, "naive_softmax")
SLIP_WRAPPED(skipgram_swapped, "skipgram_softmax")
SLIP_WRAPPED(skipgram_off_by_one, "skipgram_softmax")
SLIP_WRAPPED(cbow_sum_for_mean, "cbow_softmax")

const slip_entry lab3_slips[] = {
    { "neg_zeroes_buffer", "negative sampling clears grad_v_c and grad_U before adding",
      "neg_sampling", "it zeroes the caller's buffer", setup_neg_zeroes_buffer },
    { "neg_sigma_minus_s", "the negatives' slope written sigma(-s) (1 - sigma(s)) where sigma(s) "
      "belongs", "neg_sampling", "the gradient uses sigma(-s) = 1 - sigma(s) where sigma(s) "
      "belongs", setup_neg_sigma_minus_s },
    { "neg_every_row", "a weight decay 1e-3 u_w added to every row of dJ/dU (and not to J)",
      "neg_sampling", "it touches entries it has no gradient for", setup_neg_every_row },
    { "skipgram_first_only", "a skip-gram window that adds only its first outside word, loss "
      "and gradient alike", "skipgram_softmax", "the loss computes another function",
      setup_skipgram_first_only },
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
    { "neg_sum_inside_log", "J = -log sigma(s_o) - log sigma(-sum_k s_k): the sum over the "
      "negatives moved inside sigma and log, loss and gradient alike", "neg_sampling",
      "the loss computes another function", setup_neg_sum_inside_log },
    { "w2v_sum_outside_exp", "scores sum_k exp(U_wk v_k) where exp(sum_k U_wk v_k) belongs: the "
      "implied sum of the index notation read outside the exp", "naive_softmax",
      "the loss computes another function", setup_w2v_sum_outside_exp },
    { "w2v_dropped_y", "naive softmax: dJ/dv_c = U^T yhat and dJ/dU = yhat v_c^T (the - y "
      "dropped)", "naive_softmax", "the - y term is missing", setup_w2v_no_minus_y },
    { "skipgram_swapped", "skip-gram with centre and outside swapped: v_{o_j} predicts c",
      "skipgram_softmax", "centre and outside swapped", setup_skipgram_swapped },
    { "skipgram_off_by_one", "skip-gram window loop stopping one word early (j + 1 < m)",
      "skipgram_softmax", "one outside word short", setup_skipgram_off_by_one },
    { "cbow_sum_for_mean", "CBOW with h the sum of the context vectors, not their mean (loss "
      "and gradient alike)", "cbow_softmax", "the sum of the context vectors where their mean "
      "belongs", setup_cbow_sum_for_mean },
    { 0 }
};
