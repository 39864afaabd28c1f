/* checks_lab4.c — lab 4's checks: the hierarchical-softmax gradients of one
 * pair (v_c and the inner-node rows of Theta) and of skip-gram and CBOW
 * windows, and `hs_probabilities`, which is not a gradient check: it builds
 * Huffman trees and asks that the V leaf probabilities sum to 1 and that the
 * tree is a Huffman tree (its weighted path length is the optimum).
 *
 * The counts are Zipf-like, count(w) ~ 1000 / (w + 1), so paths have
 * different lengths and the rare words sit deep in the tree. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"
#include "gradlab.h"
#include "vec.h"

enum { HS_SLIP_NONE, HS_SLIP_SIGN_MIXED, HS_SLIP_LEAF_ROW, HS_SLIP_NO_ROOT };

/* x = v_c | Theta for one pair, Vc | Theta for a window. */
typedef struct {
    size_t V, d;
    hs_tree tree;
    size_t o;                    /* pair checks: the outside word */
    size_t c, m, words[8];       /* window checks: centre word and its window */
    int slip;                    /* an HS_SLIP_*, for the slips catalogue */
} hs_ctx;

static void release_tree(void *ctx)
{
    hs_tree_free(&((hs_ctx *)ctx)->tree);
}

static void zipf_counts(uint64_t *counts, size_t V)
{
    for (size_t w = 0; w < V; w++)
        counts[w] = 1000 / (w + 1);
}

/* Allocates x (n entries ~ N(0, 1/2)), the context and the Huffman tree of
 * V Zipf-like counts. */
static hs_ctx *alloc_hs(gc_problem *p, size_t n, size_t V, size_t d, uint64_t seed)
{
    uint64_t counts[64];
    if (gc_problem_alloc(p, n, sizeof(hs_ctx)) != 0)
        return NULL;
    hs_ctx *c = p->ctx;
    zipf_counts(counts, V);
    if (hs_tree_build(&c->tree, counts, V) != 0) {
        gc_problem_free(p);
        return NULL;
    }
    c->V = V, c->d = d;
    p->release = release_tree;
    rng_t r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++)
        p->x[i] = 0.7 * rng_normal(&r);
    return c;
}

/* The slips of one pair, written as a student would: the gradient with the
 * other sign convention than the loss, or with every theta gradient added
 * to the leaf's own row o. */
static void slipped_gradient(const hs_ctx *c, const double *v_c, const double *Theta,
                             double *grad_v_c, double *grad_Theta)
{
    hs_path path = hs_path_of(&c->tree, c->o);
    for (size_t j = 0; j < path.len; j++) {
        const double *theta = Theta + path.node[j] * c->d;
        double s = path.code[j] ? -1.0 : 1.0;
        if (c->slip == HS_SLIP_SIGN_MIXED)
            s = -s;
        double slope = (sigmoid(s * dot(theta, v_c, c->d)) - 1.0) * s;
        size_t row = c->slip == HS_SLIP_LEAF_ROW ? c->o : path.node[j];
        axpy(slope, theta, grad_v_c, c->d);
        axpy(slope, v_c, grad_Theta + row * c->d, c->d);
    }
}

static double f_pair(void *ctx, const double *x, double *grad)
{
    hs_ctx *c = ctx;
    const double *Theta = x + c->d;
    if (c->slip == HS_SLIP_NONE || !grad)
        return hsoftmax_loss_and_grad(x, hs_path_of(&c->tree, c->o), Theta, c->d, grad,
                                      grad ? grad + c->d : NULL);
    slipped_gradient(c, x, Theta, grad, grad + c->d);
    return hsoftmax_loss_and_grad(x, hs_path_of(&c->tree, c->o), Theta, c->d, NULL, NULL);
}

/* One pair, V = 12, d = 5; o is word 6, four nodes deep (and not on its own
 * path as a row number, so a gradient added to row o shows). */
static int setup_pair(gc_problem *p, uint64_t seed)
{
    enum { V = 12, D = 5 };
    hs_ctx *c = alloc_hs(p, D + (V - 1) * D, V, D, seed);
    if (!c)
        return -1;
    c->o = 6;
    p->f = f_pair;
    p->blocks[0] = (gc_block){ "v_c", D, 0 };
    p->blocks[1] = (gc_block){ "Theta", V - 1, D };
    p->nblocks = 2;
    return 0;
}

/* The most frequent word: the shortest path (one or two nodes). */
static int setup_pair_short(gc_problem *p, uint64_t seed)
{
    if (setup_pair(p, seed) != 0)
        return -1;
    ((hs_ctx *)p->ctx)->o = 0;
    return 0;
}

static double f_window(void *ctx, const double *x, double *grad, int cbow)
{
    hs_ctx *c = ctx;
    size_t VD = c->V * c->d;
    hs_path paths[8];
    for (size_t j = 0; j < (cbow ? 1 : c->m); j++)
        paths[j] = hs_path_of(&c->tree, cbow ? c->c : c->words[j]);
    w2v_loss L = { W2V_HS, 0, NULL, paths };
    double *grad_Theta = grad ? grad + VD : NULL;
    if (cbow)
        return cbow_loss_and_grad(&L, c->c, c->words, c->m, x, x + VD, c->V, c->d, grad,
                                  grad_Theta);
    return skipgram_loss_and_grad(&L, c->c, c->words, c->m, x, x + VD, c->V, c->d, grad,
                                  grad_Theta);
}

static double f_skipgram(void *ctx, const double *x, double *grad) { return f_window(ctx, x, grad, 0); }
static double f_cbow(void *ctx, const double *x, double *grad) { return f_window(ctx, x, grad, 1); }

/* A window of 4 words (one twice) around centre 5; V = 12, d = 4. */
static int setup_window(gc_problem *p, uint64_t seed, int cbow)
{
    enum { V = 12, D = 4 };
    hs_ctx *c = alloc_hs(p, V * D + (V - 1) * D, V, D, seed);
    if (!c)
        return -1;
    c->c = 5, c->m = 4;
    memcpy(c->words, (size_t[]){ 2, 9, 2, 11 }, 4 * sizeof(size_t));
    p->f = cbow ? f_cbow : f_skipgram;
    p->blocks[0] = (gc_block){ "Vc", V, D };
    p->blocks[1] = (gc_block){ "Theta", V - 1, D };
    p->nblocks = 2;
    return 0;
}

static int setup_sg(gc_problem *p, uint64_t seed) { return setup_window(p, seed, 0); }
static int setup_cbow(gc_problem *p, uint64_t seed) { return setup_window(p, seed, 1); }

/* ---- hs_probabilities: sum_w P(w | c) = 1, and the tree is a Huffman tree ---- */

/* The least weighted path length sum_w count(w) len(w) of any binary tree
 * over counts[0..V): the sum of the Huffman merges, found here by the plain
 * O(V^2) search for the two lightest (not the two-queue method). */
static uint64_t optimal_cost(const uint64_t *counts, size_t V, uint64_t *pool)
{
    memcpy(pool, counts, V * sizeof *pool);
    uint64_t cost = 0;
    for (size_t n = V; n > 1; n--) {
        size_t a = 0, b = 1;
        if (pool[b] < pool[a])
            a = 1, b = 0;
        for (size_t i = 2; i < n; i++)
            if (pool[i] < pool[a])
                b = a, a = i;
            else if (pool[i] < pool[b])
                b = i;
        cost += pool[a] + pool[b];
        pool[a] += pool[b];
        pool[b] = pool[n - 1];
    }
    return cost;
}

/* The tree's shape: every path starts at the root V - 2, uses inner nodes
 * < V - 1, and the weighted path length is the optimum. "" or the fault. */
static const char *tree_fault(const hs_tree *t, const uint64_t *counts, uint64_t *pool,
                              char *buf, size_t size)
{
    uint64_t cost = 0;
    for (size_t w = 0; w < t->V; w++) {
        hs_path p = hs_path_of(t, w);
        if (p.len == 0 || p.node[0] != t->V - 2) {
            snprintf(buf, size, "word %zu's path does not start at the root (node %zu)", w,
                     t->V - 2);
            return buf;
        }
        for (size_t j = 0; j < p.len; j++)
            if (p.node[j] >= t->V - 1 || p.code[j] > 1) {
                snprintf(buf, size, "word %zu's path has node %zu code %u (nodes are < %zu, "
                         "codes 0 or 1)", w, p.node[j], p.code[j], t->V - 1);
                return buf;
            }
        cost += counts[w] * p.len;
    }
    uint64_t best = optimal_cost(counts, t->V, pool);
    if (cost != best)
        snprintf(buf, size, "sum count(w) len(w) is %llu, but a Huffman tree has %llu",
                 (unsigned long long)cost, (unsigned long long)best);
    return cost == best ? "" : buf;
}

/* sum_w exp(-J_w) at one random point. The slip drops every path's root. */
static double probability_sum(const hs_tree *t, const double *v_c, const double *Theta,
                              size_t d, int slip)
{
    double sum = 0.0;
    for (size_t w = 0; w < t->V; w++) {
        hs_path p = hs_path_of(t, w);
        if (slip == HS_SLIP_NO_ROOT && p.len > 0)
            p = (hs_path){ p.node + 1, p.code + 1, p.len - 1 };
        sum += exp(-hsoftmax_loss_and_grad(v_c, p, Theta, d, NULL, NULL));
    }
    return sum;
}

enum { PROB_D = 5, PROB_POINTS = 3, PROB_VMAX = 1000 };

typedef struct {
    uint64_t counts[PROB_VMAX], pool[PROB_VMAX];
    double x[PROB_D * PROB_VMAX];               /* v_c | Theta */
} prob_scratch;

/* One vocabulary size: the tree, its shape, and the sum at PROB_POINTS
 * random points. Returns 0, or 1 with the reason in r->note. */
static int probabilities_of(size_t V, int slip, rng_t *rng, prob_scratch *s, double *worst,
                            gc_report *r)
{
    uint64_t *counts = s->counts, *pool = s->pool;
    double *v_c = s->x, *Theta = v_c + PROB_D;
    zipf_counts(counts, V);
    counts[V / 2] = counts[V / 2 + (V > 2)];          /* a tie */
    hs_tree t;
    if (hs_tree_build(&t, counts, V) != 0) {
        snprintf(r->note, sizeof r->note, "hs_tree_build refused V = %zu (or ran out of memory)", V);
        return 1;
    }
    char why[200];
    const char *fault = tree_fault(&t, counts, pool, why, sizeof why);
    for (int k = 0; !fault[0] && k < PROB_POINTS; k++) {
        for (size_t i = 0; i < PROB_D + (V - 1) * PROB_D; i++)
            v_c[i] = 0.7 * rng_normal(rng);
        double sum = probability_sum(&t, v_c, Theta, PROB_D, slip);
        r->evals += V;
        if (!(fabs(sum - 1.0) <= fabs(*worst - 1.0)))
            *worst = sum;
        if (!(fabs(sum - 1.0) <= 1e-12)) {
            snprintf(why, sizeof why, "the %zu leaf probabilities exp(-J) sum to %.12g, not 1 "
                     "(a path is missing a node, or two words share a path)", V, sum);
            fault = why;
        }
    }
    hs_tree_free(&t);
    if (fault[0])
        snprintf(r->note, sizeof r->note, "V = %zu: %s", V, fault);
    return fault[0] != 0;
}

static gc_status check_probabilities(const gc_problem *p, const gc_options *o, gc_report *r)
{
    static const size_t sizes[] = { 2, 3, 12, 100, PROB_VMAX };
    const hs_ctx *c = p->ctx;
    double t0 = gc_now(), worst = 1.0;
    memset(r, 0, sizeof *r);
    prob_scratch *buf = malloc(sizeof *buf);
    if (!buf) {
        r->status = GC_ERROR;
        snprintf(r->note, sizeof r->note, "out of memory");
        return r->status;
    }
    rng_t rng;
    rng_seed(&rng, o->seed ^ 0x5bd1e9955bd1e995ULL);
    int failed = 0;
    for (size_t i = 0; !failed && i < sizeof sizes / sizeof sizes[0]; i++)
        failed = probabilities_of(sizes[i], c->slip, &rng, buf, &worst, r);
    free(buf);
    r->status = failed ? GC_FAIL : GC_PASS;
    snprintf(r->extra, sizeof r->extra, "sum over the leaves of P(w | c): farthest from 1 is "
             "%.17g (%.1e), Huffman trees for V = 2, 3, 12, 100, 1000 at %d random points each",
             worst, fabs(worst - 1.0), PROB_POINTS);
    r->loss = worst;
    r->seconds = gc_now() - t0;
    return r->status;
}

static int setup_probabilities(gc_problem *p, uint64_t seed)
{
    (void)seed;
    if (gc_problem_alloc(p, 0, sizeof(hs_ctx)) != 0)
        return -1;
    p->custom = check_probabilities;
    return 0;
}

const gc_check gc_lab4_checks[] = {
    { "hs_pair", 4, "hierarchical softmax, one pair: dJ/dv_c and the path's rows of Theta; V = 12",
      setup_pair },
    { "hs_pair_short", 4, "hierarchical softmax for the most frequent word (the shortest path)",
      setup_pair_short },
    { "hs_probabilities", 4, "Huffman trees (V = 2 .. 1000): leaf probabilities sum to 1, "
      "optimal path lengths", setup_probabilities },
    { "skipgram_hs", 4, "skip-gram window of 4 (one word twice), hierarchical softmax", setup_sg },
    { "cbow_hs", 4, "CBOW: mean of 4 context vectors predicts the centre, hierarchical softmax",
      setup_cbow },
    { 0 }
};

/* ---- slips: lab 4's common mistakes (handout 07) ---- */

static int with_slip(gc_problem *p, int slip)
{
    ((hs_ctx *)p->ctx)->slip = slip;
    return 0;
}

static int slip_sign(gc_problem *p, uint64_t seed)
{
    return setup_pair(p, seed) != 0 ? -1 : with_slip(p, HS_SLIP_SIGN_MIXED);
}

static int slip_leaf(gc_problem *p, uint64_t seed)
{
    return setup_pair(p, seed) != 0 ? -1 : with_slip(p, HS_SLIP_LEAF_ROW);
}

static int slip_root(gc_problem *p, uint64_t seed)
{
    return setup_probabilities(p, seed) != 0 ? -1 : with_slip(p, HS_SLIP_NO_ROOT);
}

const gc_slip gc_lab4_slips[] = {
    { "hs_sign_mixed", "loss with left = +1, gradient with left = -1 (two sign conventions)",
      "hs_pair", "opposite sign", slip_sign },
    { "hs_leaf_updated", "dJ/dtheta added to the leaf's row o instead of the path's inner nodes",
      "hs_pair", "wrong rows", slip_leaf },
    { "hs_root_skipped", "every path starts below the root (the root's decision left out)",
      "hs_probabilities", "sum to 2", slip_root },
    { 0 }
};
