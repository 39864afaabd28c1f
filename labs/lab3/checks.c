/* labs/lab3/checks.c — lab 3's checks: naive softmax, negative sampling (fixed,
 * repeated and sampled negatives), and the skip-gram and CBOW windows.
 *
 * Sampled negatives come from a unigram^0.75 noise table and an RNG kept in
 * the check's context; the reset hook restores that RNG before every
 * evaluation, so f(x + h), f(x - h) and the analytic call draw the same
 * negatives (without the reset the check fails as non-deterministic). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "lab.h"
#include "gradlab.h"
#include "vec.h"

static void release_noise(void *ctx)
{
    noise_table_free(&((w2v_ctx *)ctx)->noise);
}

static void reset_rng(void *ctx)
{
    w2v_ctx *c = ctx;
    c->rng = c->rng_start;
}

/* The negatives of `pairs` pairs, K each: the fixed ones, or fresh draws. */
static void negatives_for(w2v_ctx *c, const size_t *outside, size_t pairs, size_t *neg)
{
    for (size_t j = 0; j < pairs; j++) {
        if (c->sampled)
            noise_sample(&c->noise, &c->rng, outside[j], c->K, neg + j * c->K);
        else
            memcpy(neg + j * c->K, c->fixed, c->K * sizeof *neg);
    }
}

/* A pair: parts dJ/dv_c and dJ/dU (g[1]), either may be NULL. */
static double f_pair(void *ctx, const double *x, double *const *g)
{
    w2v_ctx *c = ctx;
    const double *U = x + c->d;
    if (c->kind == W2V_SOFTMAX)
        return naive_softmax_loss_and_grad(x, c->o, U, c->V, c->d, g[0], g[1]);
    size_t neg[LAB3_MAX_NEG];
    negatives_for(c, &c->o, 1, neg);
    return neg_sampling_loss_and_grad(x, c->o, U, c->d, neg, c->K, g[0], g[1]);
}

/* A window: parts dJ/dVc and dJ/dU. */
static double f_window(void *ctx, const double *x, double *const *g, int cbow)
{
    w2v_ctx *c = ctx;
    size_t VD = c->V * c->d, neg[8 * LAB3_MAX_NEG];
    negatives_for(c, cbow ? &c->c : c->words, cbow ? 1 : c->m, neg);
    w2v_loss L = { c->kind, c->K, neg, NULL };
    if (cbow)
        return cbow_loss_and_grad(&L, c->c, c->words, c->m, x, x + VD, c->V, c->d, g[0], g[1]);
    return skipgram_loss_and_grad(&L, c->c, c->words, c->m, x, x + VD, c->V, c->d, g[0], g[1]);
}

static double f_skipgram(void *ctx, const double *x, double *const *g) { return f_window(ctx, x, g, 0); }
static double f_cbow(void *ctx, const double *x, double *const *g) { return f_window(ctx, x, g, 1); }

/* Does analytic - numeric equal what - y contributes, U^T y = u_o in dJ/dv_c
 * and y v_c^T (v_c in row o) in dJ/dU, and nothing elsewhere? */
static int minus_y_missing(const gc_problem *p, const double *a, const double *num)
{
    const w2v_ctx *c = p->ctx;
    size_t d = c->d, checked = 0;
    const double *v_c = p->x, *u_o = p->x + d + c->o * d;
    for (size_t i = 0; i < p->n; i++) {
        if (isnan(num[i]))
            continue;
        double y_term = i < d ? u_o[i] : (i - d) / d == c->o ? v_c[(i - d) % d] : 0.0;
        if (!(fabs(a[i] - num[i] - y_term) <= 1e-5 * fmax(1.0, fabs(a[i]))))
            return 0;
        checked++;
    }
    return checked > 0;
}

/* Negative sampling's likely slip: every negative's row off by exp(-s),
 * s = u_w . v_c: the factor sigma(-s) (= 1 - sigma(s)) where d/ds of
 * -log sigma(-s), which is sigma(s), belongs. */
static void explain_pair(const gc_problem *p, const double *a, const double *num, char *buf,
                         size_t size)
{
    w2v_ctx *c = p->ctx;
    if (c->kind == W2V_SOFTMAX && minus_y_missing(p, a, num))
        snprintf(buf, size, "the - y term is missing: dJ/dv_c is off by exactly u_o and row o of "
                 "dJ/dU by exactly v_c, what y = e_o adds: yhat where yhat - y belongs");
    if (c->kind != W2V_NEG)
        return;
    size_t neg[LAB3_MAX_NEG], d = c->d, rows = 0;
    c->rng = c->rng_start;                      /* the negatives the evaluations drew */
    negatives_for(c, &c->o, 1, neg);
    const double *v_c = p->x, *U = p->x + d;
    for (size_t k = 0; k < c->K; k++) {
        double factor = exp(-dot(U + neg[k] * d, v_c, d));
        for (size_t i = 0; i < d; i++) {
            size_t at = d + neg[k] * d + i;
            if (isnan(num[at]) || fabs(num[at]) < 1e-9)
                continue;
            if (!(fabs(a[at] / num[at] - factor) <= 1e-4 * factor))
                return;
            rows++;
        }
    }
    if (rows)
        snprintf(buf, size, "every negative's row is off by its own factor exp(-s), s = u_w . "
                 "v_c: the gradient uses sigma(-s) = 1 - sigma(s) where sigma(s) belongs "
                 "(d/ds of -log sigma(-s) is sigma(s))");
}

/* The naive-softmax loss of a window built another way, from the student's
 * own pair loss: the window's pairs [from, to) with centre and outside as
 * given, or swapped (each outside word's v predicting the centre). */
static double sg_pairs(const w2v_ctx *c, const double *Vc, const double *U, size_t from,
                       size_t to, int swapped)
{
    double J = 0;
    for (size_t j = from; j < to; j++)
        J += swapped ? naive_softmax_loss_and_grad(Vc + c->words[j] * c->d, c->c, U, c->V, c->d,
                                                   NULL, NULL)
                     : naive_softmax_loss_and_grad(Vc + c->c * c->d, c->words[j], U, c->V, c->d,
                                                   NULL, NULL);
    return J;
}

/* CBOW's loss with h = scale times the sum of the context vectors [0, to). */
static double cbow_with(const w2v_ctx *c, const double *Vc, const double *U, size_t to,
                        double scale)
{
    double h[64] = { 0 };
    for (size_t j = 0; j < to; j++)
        axpy(scale, Vc + c->words[j] * c->d, h, c->d);
    return naive_softmax_loss_and_grad(h, c->c, U, c->V, c->d, NULL, NULL);
}

static int same_loss(double J, double K) { return fabs(J - K) <= 1e-9 * fmax(1.0, fabs(J)); }

/* What a window's wrong loss J most likely computes (naive softmax, whose
 * pairs draw no negatives): centre and outside swapped, a word short, a sum
 * for CBOW's mean. */
static void explain_window_loss(const gc_problem *p, double J, char *buf, size_t size)
{
    const w2v_ctx *c = p->ctx;
    const double *Vc = p->x, *U = p->x + c->V * c->d;
    size_t m = c->m;
    if (c->kind != W2V_SOFTMAX || c->d > 64 || m < 2)
        return;
    if (p->f_parts == f_skipgram) {
        if (same_loss(J, sg_pairs(c, Vc, U, 0, m, 1)))
            snprintf(buf, size, "centre and outside swapped: the loss is sum_j -log P(c | o_j), "
                     "each outside word's v_{o_j} predicting the centre c, where v_c predicts "
                     "each o_j");
        else if (same_loss(J, sg_pairs(c, Vc, U, 0, m - 1, 0)) ||
                 same_loss(J, sg_pairs(c, Vc, U, 1, m, 0)))
            snprintf(buf, size, "one outside word short: the loss is the window's pairs but "
                     "one (the loop over j stops one word early or starts one late)");
    } else if (same_loss(J, cbow_with(c, Vc, U, m, 1.0)))
        snprintf(buf, size, "the sum of the context vectors where their mean belongs: h = sum_j "
                 "v_{w_j}, not (1/%zu) sum_j v_{w_j}", m);
    else if (same_loss(J, cbow_with(c, Vc, U, m - 1, 1.0 / (double)m)) ||
             same_loss(J, cbow_with(c, Vc, U, m - 1, 1.0 / (double)(m - 1))))
        snprintf(buf, size, "one context word short: h leaves out the last context word (the "
                 "loop over j stops one word early)");
}

/* The first block is one part, the rest the other. */
static void two_parts(gc_problem *p, gc_parts_fn f)
{
    p->f_parts = f;
    p->part_blocks[0] = 1, p->part_blocks[1] = p->nblocks - 1, p->nparts = 2;
    if (f == f_pair)
        p->explain = explain_pair;
    else
        p->explain_loss = explain_window_loss;
}

/* Allocates x (n entries ~ N(0, 1/2), scores of order 1) and the context. */
static w2v_ctx *alloc_w2v(gc_problem *p, size_t n, uint64_t seed, rng_t *r)
{
    if (gc_problem_alloc(p, n, sizeof(w2v_ctx)) != 0)
        return NULL;
    rng_seed(r, seed);
    for (size_t i = 0; i < n; i++)
        p->x[i] = 0.7 * rng_normal(r);
    return p->ctx;
}

/* A Zipf-like noise distribution (count of word w ~ 1000 / (w + 1)) and an
 * RNG for the negatives seeded by sample_seed. Returns 0 or -1. */
static int use_sampler(gc_problem *p, w2v_ctx *c, uint64_t sample_seed)
{
    uint64_t counts[64];
    for (size_t w = 0; w < c->V; w++)
        counts[w] = 1000 / (w + 1);
    if (noise_table_init(&c->noise, counts, c->V, 0.75) != 0) {
        gc_problem_free(p);
        return -1;
    }
    c->sampled = 1;
    rng_seed(&c->rng_start, sample_seed);
    c->rng = c->rng_start;
    p->reset = reset_rng;
    p->release = release_noise;
    return 0;
}

static int setup_naive_softmax(gc_problem *p, uint64_t seed)
{
    rng_t r;
    w2v_ctx *c = alloc_w2v(p, 5 + 10 * 5, seed, &r);
    if (!c)
        return -1;
    *c = (w2v_ctx){ .kind = W2V_SOFTMAX, .V = 10, .d = 5, .o = rng_index(&r, 10) };
    p->blocks[0] = (gc_block){ "v_c", 5, 0 };
    p->blocks[1] = (gc_block){ "U", 10, 5 };
    p->nblocks = 2;
    two_parts(p, f_pair);
    return 0;
}

/* U's rows are laid out so the blocks name them: row 0 is u_o, rows 1..K the
 * negatives (in order), the rest words that take no part (gradient 0). */
static int setup_neg_sampling(gc_problem *p, uint64_t seed)
{
    enum { D = 6, K = 5, V = 9 };
    rng_t r;
    w2v_ctx *c = alloc_w2v(p, D + V * D, seed, &r);
    if (!c)
        return -1;
    *c = (w2v_ctx){ .kind = W2V_NEG, .V = V, .d = D, .K = K, .o = 0 };
    for (size_t k = 0; k < K; k++)
        c->fixed[k] = 1 + k;
    p->blocks[0] = (gc_block){ "v_c", D, 0 };
    p->blocks[1] = (gc_block){ "u_o", 1, D };
    p->blocks[2] = (gc_block){ "u_neg", K, D };
    p->blocks[3] = (gc_block){ "U_unused", V - K - 1, D };
    p->nblocks = 4;
    two_parts(p, f_pair);
    return 0;
}

/* Word 1 drawn three times, word 2 twice: their rows must get 3x and 2x. */
static int setup_neg_duplicates(gc_problem *p, uint64_t seed)
{
    enum { D = 5, K = 6, V = 6 };
    static const size_t repeated[K] = { 1, 2, 1, 4, 2, 1 };
    rng_t r;
    w2v_ctx *c = alloc_w2v(p, D + V * D, seed, &r);
    if (!c)
        return -1;
    *c = (w2v_ctx){ .kind = W2V_NEG, .V = V, .d = D, .K = K, .o = 3 };
    memcpy(c->fixed, repeated, sizeof repeated);
    p->blocks[0] = (gc_block){ "v_c", D, 0 };
    p->blocks[1] = (gc_block){ "U", V, D };
    p->nblocks = 2;
    two_parts(p, f_pair);
    return 0;
}

static int setup_neg_sampled(gc_problem *p, uint64_t seed, uint64_t sample_seed)
{
    enum { D = 5, K = 10, V = 20 };
    rng_t r;
    w2v_ctx *c = alloc_w2v(p, D + V * D, seed, &r);
    if (!c)
        return -1;
    *c = (w2v_ctx){ .kind = W2V_NEG, .V = V, .d = D, .K = K, .o = rng_index(&r, V) };
    p->blocks[0] = (gc_block){ "v_c", D, 0 };
    p->blocks[1] = (gc_block){ "U", V, D };
    p->nblocks = 2;
    two_parts(p, f_pair);
    return use_sampler(p, c, sample_seed);
}

static int setup_neg_seed1(gc_problem *p, uint64_t seed) { return setup_neg_sampled(p, seed, 1); }
static int setup_neg_seed2(gc_problem *p, uint64_t seed) { return setup_neg_sampled(p, seed, 2); }

/* A window of m = 4 words (one of them twice) around centre c, V = 12, d = 4. */
static int setup_window(gc_problem *p, uint64_t seed, w2v_kind kind, int cbow)
{
    enum { D = 4, V = 12, M = 4 };
    rng_t r;
    w2v_ctx *c = alloc_w2v(p, 2 * V * D, seed, &r);
    if (!c)
        return -1;
    *c = (w2v_ctx){ .kind = kind, .V = V, .d = D, .K = 5, .c = 5, .m = M,
                    .words = { 2, 9, 2, 7 } };
    p->blocks[0] = (gc_block){ "Vc", V, D };
    p->blocks[1] = (gc_block){ "U", V, D };
    p->nblocks = 2;
    two_parts(p, cbow ? f_cbow : f_skipgram);
    return kind == W2V_NEG ? use_sampler(p, c, seed + 1) : 0;
}

static int setup_sg_softmax(gc_problem *p, uint64_t seed) { return setup_window(p, seed, W2V_SOFTMAX, 0); }
static int setup_sg_neg(gc_problem *p, uint64_t seed) { return setup_window(p, seed, W2V_NEG, 0); }
static int setup_cbow_softmax(gc_problem *p, uint64_t seed) { return setup_window(p, seed, W2V_SOFTMAX, 1); }
static int setup_cbow_neg(gc_problem *p, uint64_t seed) { return setup_window(p, seed, W2V_NEG, 1); }

#include "golden.h"

const gc_check lab3_checks[] = {
    { "naive_softmax", LAB_NUMBER,
      "J = -log softmax(U v_c)_o: dJ/dv_c = U^T(yhat - y), dJ/dU; V = 10, d = 5",
      setup_naive_softmax, GOLDEN(naive_softmax) },
    { "neg_sampling", LAB_NUMBER,
      "negative sampling: v_c, u_o, the K = 5 negatives, unused rows; d = 6",
      setup_neg_sampling, GOLDEN(neg_sampling) },
    { "neg_sampling_dup", LAB_NUMBER,
      "negative sampling, negatives 1,2,1,4,2,1: a repeat adds again",
      setup_neg_duplicates, GOLDEN(neg_sampling_dup) },
    { "neg_sampling_seed1", LAB_NUMBER,
      "negative sampling, K = 10 drawn from unigram^0.75 (sampler seed 1)",
      setup_neg_seed1, GOLDEN(neg_sampling_seed1) },
    { "neg_sampling_seed2", LAB_NUMBER,
      "negative sampling, K = 10 drawn from unigram^0.75 (sampler seed 2)",
      setup_neg_seed2, GOLDEN(neg_sampling_seed2) },
    { "skipgram_softmax", LAB_NUMBER,
      "skip-gram window of 4 (one word twice), naive softmax; Vc, U: 12 x 4",
      setup_sg_softmax, GOLDEN(skipgram_softmax) },
    { "skipgram_neg", LAB_NUMBER, "skip-gram window of 4, negative sampling, fresh K = 5 per pair",
      setup_sg_neg, GOLDEN(skipgram_neg) },
    { "cbow_softmax", LAB_NUMBER,
      "CBOW: mean of 4 context vectors predicts the centre, naive softmax",
      setup_cbow_softmax, GOLDEN(cbow_softmax) },
    { "cbow_neg", LAB_NUMBER, "CBOW with negative sampling, K = 5 sampled",
      setup_cbow_neg, GOLDEN(cbow_neg) },
    { 0 }
};

