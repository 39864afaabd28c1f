/* labs/lab4/checks.c — lab 4's checks: the hierarchical-softmax gradients of one
 * pair (v_c and the inner-node rows of Theta), of skip-gram and CBOW windows
 * built from it, and of a skip-gram window computed node by node
 * (`hs_window`), and `hs_probabilities`, which is not a gradient check: it builds
 * Huffman trees and asks that the V leaf probabilities sum to 1 and that the
 * tree is a Huffman tree: a full binary tree (Kraft's sum of 2^-len is 1)
 * whose weighted path length is the optimum, stored here as numbers.
 *
 * The counts are Zipf-like, count(w) ~ 1000 / (w + 1), so paths have
 * different lengths and the rare words sit deep in the tree. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "lab.h"
#include "gradlab.h"

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

/* Parts dJ/dv_c and dJ/dTheta, either may be NULL. */
static double f_pair(void *ctx, const double *x, double *const *g)
{
    hs_ctx *c = ctx;
    return hsoftmax_loss_and_grad(x, hs_path_of(&c->tree, c->o), x + c->d, c->d, g[0], g[1]);
}

static void two_parts(gc_problem *p, gc_parts_fn f)
{
    p->f_parts = f;
    p->part_blocks[0] = 1, p->part_blocks[1] = 1, p->nparts = 2;
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
    p->blocks[0] = (gc_block){ "v_c", D, 0 };
    p->blocks[1] = (gc_block){ "Theta", V - 1, D };
    p->nblocks = 2;
    two_parts(p, f_pair);
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

static double f_window(void *ctx, const double *x, double *const *g, int cbow)
{
    hs_ctx *c = ctx;
    size_t VD = c->V * c->d;
    hs_path paths[8];
    for (size_t j = 0; j < (cbow ? 1 : c->m); j++)
        paths[j] = hs_path_of(&c->tree, cbow ? c->c : c->words[j]);
    w2v_loss L = { W2V_HS, 0, NULL, paths };
    if (cbow)
        return cbow_loss_and_grad(&L, c->c, c->words, c->m, x, x + VD, c->V, c->d, g[0], g[1]);
    return skipgram_loss_and_grad(&L, c->c, c->words, c->m, x, x + VD, c->V, c->d, g[0], g[1]);
}

static double f_skipgram(void *ctx, const double *x, double *const *g) { return f_window(ctx, x, g, 0); }
static double f_cbow(void *ctx, const double *x, double *const *g) { return f_window(ctx, x, g, 1); }

/* A window of 4 words (one twice) around centre 5; V = 12, d = 4. */
static int setup_window(gc_problem *p, uint64_t seed, int cbow)
{
    enum { V = 12, D = 4 };
    hs_ctx *c = alloc_hs(p, V * D + (V - 1) * D, V, D, seed);
    if (!c)
        return -1;
    c->c = 5, c->m = 4;
    memcpy(c->words, (size_t[]){ 2, 9, 2, 11 }, 4 * sizeof(size_t));
    p->blocks[0] = (gc_block){ "Vc", V, D };
    p->blocks[1] = (gc_block){ "Theta", V - 1, D };
    p->nblocks = 2;
    two_parts(p, cbow ? f_cbow : f_skipgram);
    return 0;
}

static int setup_sg(gc_problem *p, uint64_t seed) { return setup_window(p, seed, 0); }
static int setup_cbow(gc_problem *p, uint64_t seed) { return setup_window(p, seed, 1); }

/* ---- hs_window: a skip-gram window with each distinct node once ---- */

static size_t window_paths(const hs_ctx *c, hs_path *paths)
{
    for (size_t j = 0; j < c->m; j++)
        paths[j] = hs_path_of(&c->tree, c->words[j]);
    return c->m;
}

/* Parts dJ/dv_c and dJ/dTheta of the window's loss. */
static double f_window_nodes(void *ctx, const double *x, double *const *g)
{
    hs_ctx *c = ctx;
    hs_path paths[8];
    size_t m = window_paths(c, paths);
    return hsoftmax_window_loss_and_grad(x, paths, m, x + c->d, c->d, g[0], g[1]);
}

/* Does row n of the analytic dJ/dTheta hold one visit's slope times v_c
 * (the slope of some pair visiting n)? */
static int holds_one_slope(const hs_ctx *c, const double *x, const double *row, size_t n)
{
    const double *v_c = x, *theta = x + c->d + n * c->d;
    double score = 0.0, big = 0.0;
    for (size_t i = 0; i < c->d; i++) {
        score += theta[i] * v_c[i];
        big = fmax(big, fabs(row[i]));
    }
    for (int code = 0; code < 2; code++) {
        double s = code ? -1.0 : 1.0, slope = (1.0 / (1.0 + exp(-s * score)) - 1.0) * s;
        int same = 1;
        for (size_t i = 0; i < c->d; i++)
            same &= fabs(row[i] - slope * v_c[i]) <= 1e-6 * fmax(big, 1e-12);
        if (same)
            return 1;
    }
    return 0;
}

/* The window's likely slip: a node on several pairs' paths given one pair's
 * slope instead of the sum of its pairs' slopes. Names the shared rows that
 * hold one visit's slope, when every shared row does and one of them is
 * wrong; every row visited once must be right. */
static void explain_window(const gc_problem *p, const double *a, const double *num, char *buf,
                          size_t size)
{
    const hs_ctx *c = p->ctx;
    size_t d = c->d, visits[64] = { 0 }, shared[64], k = 0;
    hs_path paths[8];
    size_t m = window_paths(c, paths);
    for (size_t j = 0; j < m; j++)
        for (size_t i = 0; i < paths[j].len; i++)
            visits[paths[j].node[i]]++;
    int wrong_shared = 0;
    for (size_t n = 0; n + 1 < c->V; n++) {
        const double *row = a + d + n * d, *want = num + d + n * d;
        int right = 1;
        for (size_t i = 0; i < d; i++)
            right &= isnan(want[i]) || fabs(row[i] - want[i]) <= 1e-6 * fmax(1.0, fabs(want[i]));
        if (visits[n] < 2 && !right)
            return;
        if (visits[n] < 2)
            continue;
        if (!holds_one_slope(c, p->x, row, n))
            return;
        wrong_shared |= !right;
        if (k < 64)
            shared[k++] = n;
    }
    if (!wrong_shared)
        return;
    int used = snprintf(buf, size, "the rows of dJ/dTheta of the nodes on several pairs' paths (");
    for (size_t i = 0; i < k && used > 0 && (size_t)used < size; i++)
        used += snprintf(buf + used, size - (size_t)used, "%s%zu", i ? ", " : "", shared[i]);
    if (used > 0 && (size_t)used < size)
        snprintf(buf + used, size - (size_t)used, ") each hold one pair's slope times v_c, where "
                 "the sum of the slopes of every pair visiting the node belongs: a shared node "
                 "counted once instead of once per pair");
}

/* A window of 6 around one centre, V = 16, d = 4: words 8 and 9 share four
 * nodes and part at the fifth, 8 is listed twice, 2 and 13 share the top
 * two nodes with them and a third with each other, 0 turns right at the root. The root is visited
 * by all six pairs (five turning left), node 10 by three, all turning right. */
static int setup_window_nodes(gc_problem *p, uint64_t seed)
{
    enum { V = 16, D = 4 };
    hs_ctx *c = alloc_hs(p, D + (V - 1) * D, V, D, seed);
    if (!c)
        return -1;
    c->m = 6;
    memcpy(c->words, (size_t[]){ 8, 9, 8, 2, 13, 0 }, 6 * sizeof(size_t));
    p->blocks[0] = (gc_block){ "v_c", D, 0 };
    p->blocks[1] = (gc_block){ "Theta", V - 1, D };
    p->nblocks = 2;
    two_parts(p, f_window_nodes);
    p->explain = explain_window;
    return 0;
}

/* ---- hs_probabilities: sum_w P(w | c) = 1, and the tree is a Huffman tree ---- */

/* The least weighted path length sum_w count(w) len(w) of any binary tree
 * over the counts probabilities_of() makes, for V = 2, 3, 12, 100, 1000:
 * numbers worked out once (they are the sums of the Huffman merges). */
static const struct { size_t V; uint64_t cost; } optimum[] = {
    { 2, 1500 }, { 3, 2332 }, { 12, 9633 }, { 100, 27403 }, { 1000, 51487 },
};

static uint64_t optimal_cost(size_t V)
{
    for (size_t i = 0; i < sizeof optimum / sizeof optimum[0]; i++)
        if (optimum[i].V == V)
            return optimum[i].cost;
    return 0;
}

/* Kraft's sum over the leaves of 2^(63 - len), which is 2^63 exactly when
 * every inner node has two children (no leaf is missing from the tree). */
static int kraft_full(const hs_tree *t)
{
    uint64_t sum = 0;
    for (size_t w = 0; w < t->V; w++) {
        hs_path p = hs_path_of(t, w);
        if (p.len == 0 || p.len > 63)
            return 0;
        sum += (uint64_t)1 << (63 - p.len);
    }
    return sum == (uint64_t)1 << 63;
}

/* The tree's shape: every path starts at the root V - 2, uses inner nodes
 * < V - 1, the tree is full, and the weighted path length is the optimum.
 * "" or the fault. */
static const char *tree_fault(const hs_tree *t, const uint64_t *counts, char *buf, size_t size)
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
    if (!kraft_full(t)) {
        snprintf(buf, size, "sum over the words of 2^-len(w) is not 1: the tree is not a full "
                 "binary tree");
        return buf;
    }
    uint64_t best = optimal_cost(t->V);
    if (cost != best)
        snprintf(buf, size, "sum count(w) len(w) is %llu, but a Huffman tree has %llu",
                 (unsigned long long)cost, (unsigned long long)best);
    return cost == best ? "" : buf;
}

/* sum_w exp(-J_w) at one random point. */
static double probability_sum(const hs_tree *t, const double *v_c, const double *Theta, size_t d)
{
    double sum = 0.0;
    for (size_t w = 0; w < t->V; w++)
        sum += exp(-hsoftmax_loss_and_grad(v_c, hs_path_of(t, w), Theta, d, NULL, NULL));
    return sum;
}

enum { PROB_D = 5, PROB_POINTS = 3, PROB_VMAX = 1000 };

typedef struct {
    uint64_t counts[PROB_VMAX];
    double x[PROB_D * PROB_VMAX];               /* v_c | Theta */
} prob_scratch;

/* One vocabulary size: the tree, its shape, and the sum at PROB_POINTS
 * random points. Returns 0, or 1 with the reason in r->note. */
static int probabilities_of(size_t V, const hs_ctx *c, rng_t *rng, prob_scratch *s,
                            double *worst, gc_report *r)
{
    uint64_t *counts = s->counts;
    double *v_c = s->x, *Theta = v_c + PROB_D;
    zipf_counts(counts, V);
    counts[V / 2] = counts[V / 2 + (V > 2)];          /* a tie */
    hs_tree t;
    if (hs_tree_build(&t, counts, V) != 0) {
        snprintf(r->note, sizeof r->note, "hs_tree_build refused V = %zu (or ran out of memory)", V);
        return 1;
    }
    if (c->tree_hook && c->tree_hook(&t) != 0) {
        hs_tree_free(&t);
        snprintf(r->note, sizeof r->note, "out of memory");
        return 1;
    }
    char why[200];
    const char *fault = tree_fault(&t, counts, why, sizeof why);
    for (int k = 0; !fault[0] && k < PROB_POINTS; k++) {
        for (size_t i = 0; i < PROB_D + (V - 1) * PROB_D; i++)
            v_c[i] = 0.7 * rng_normal(rng);
        double sum = probability_sum(&t, v_c, Theta, PROB_D);
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

static const size_t prob_sizes[] = { 2, 3, 12, 100, PROB_VMAX };
enum { PROB_NSIZES = sizeof prob_sizes / sizeof prob_sizes[0] };

static gc_status check_probabilities(const gc_problem *p, const gc_options *o, gc_report *r)
{
    const size_t *sizes = prob_sizes;
    const hs_ctx *c = p->ctx;
    double t0 = gc_clock(), worst = 1.0;
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
    for (size_t i = 0; !failed && i < PROB_NSIZES; i++)
        failed = probabilities_of(sizes[i], c, &rng, buf, &worst, r);
    free(buf);
    r->status = failed ? GC_FAIL : GC_PASS;
    snprintf(r->extra, sizeof r->extra, "sum over the leaves of P(w | c): farthest from 1 is "
             "%.17g (%.1e), Huffman trees for V = 2, 3, 12, 100, 1000 at %d random points each",
             worst, fabs(worst - 1.0), PROB_POINTS);
    r->loss = worst;
    r->seconds = gc_clock() - t0;
    return r->status;
}

/* Every path starts at the root V - 2 and stays on inner nodes < V - 1 with
 * codes 0 or 1: the tree can be walked without reading out of bounds. */
static int paths_in_range(const hs_tree *t)
{
    for (size_t w = 0; w < t->V; w++) {
        hs_path q = hs_path_of(t, w);
        if (q.len == 0 || q.node[0] != t->V - 2)
            return 0;
        for (size_t j = 0; j < q.len; j++)
            if (q.node[j] >= t->V - 1 || q.code[j] > 1)
                return 0;
    }
    return 1;
}

/* One size's values: the weighted path length (NaN for a tree that is not
 * full or not walkable) and the leaf probabilities' sum at PROB_POINTS points
 * (NaN when not walkable). out has 1 + PROB_POINTS entries. */
static void size_outputs(size_t V, const hs_ctx *c, rng_t *rng, prob_scratch *s, double *out)
{
    double *v_c = s->x, *Theta = v_c + PROB_D;
    for (int k = 0; k <= PROB_POINTS; k++)
        out[k] = NAN;
    zipf_counts(s->counts, V);
    s->counts[V / 2] = s->counts[V / 2 + (V > 2)];
    hs_tree t;
    if (hs_tree_build(&t, s->counts, V) != 0)
        return;
    if ((!c->tree_hook || c->tree_hook(&t) == 0) && paths_in_range(&t)) {
        uint64_t cost = 0;
        for (size_t w = 0; w < V; w++)
            cost += s->counts[w] * hs_path_of(&t, w).len;
        out[0] = kraft_full(&t) ? (double)cost : NAN;
        for (int k = 0; k < PROB_POINTS; k++) {
            for (size_t i = 0; i < PROB_D + (V - 1) * PROB_D; i++)
                v_c[i] = 0.7 * rng_normal(rng);
            out[1 + k] = probability_sum(&t, v_c, Theta, PROB_D);
        }
    }
    hs_tree_free(&t);
}

/* The grader's values: per vocabulary size, the tree's weighted path length
 * (any Huffman tree has the optimum) and the leaf probabilities' sums (1). */
static size_t probability_outputs(const gc_problem *p, double *out, gc_name *names)
{
    const hs_ctx *c = p->ctx;
    size_t count = PROB_NSIZES * (1 + PROB_POINTS);
    prob_scratch *buf = out ? malloc(sizeof *buf) : NULL;
    if (!out)
        return count;
    rng_t rng;
    rng_seed(&rng, c->seed ^ 0x5bd1e9955bd1e995ULL);
    for (size_t i = 0; i < PROB_NSIZES; i++) {
        double *o = out + i * (1 + PROB_POINTS);
        if (buf)
            size_outputs(prob_sizes[i], c, &rng, buf, o);
        else
            for (int k = 0; k <= PROB_POINTS; k++)
                o[k] = NAN;
        for (int k = 0; names && k <= PROB_POINTS; k++)
            snprintf(names[i * (1 + PROB_POINTS) + k], sizeof names[0], k ? "V=%zu: sum of "
                     "P(w|c) at point %d" : "V=%zu: sum count(w) len(w)", prob_sizes[i], k);
    }
    free(buf);
    return count;
}

static int setup_probabilities(gc_problem *p, uint64_t seed)
{
    if (gc_problem_alloc(p, 0, sizeof(hs_ctx)) != 0)
        return -1;
    ((hs_ctx *)p->ctx)->seed = seed;
    p->custom = check_probabilities;
    p->outputs = probability_outputs;
    return 0;
}

#include "golden.h"

const gc_check lab4_checks[] = {
    { "hs_pair", LAB_NUMBER,
      "hierarchical softmax, one pair: dJ/dv_c and the path's rows of Theta; V = 12",
      setup_pair, GOLDEN(hs_pair) },
    { "hs_pair_short", LAB_NUMBER,
      "hierarchical softmax for the most frequent word (the shortest path)",
      setup_pair_short, GOLDEN(hs_pair_short) },
    { "hs_probabilities", LAB_NUMBER, "Huffman trees (V = 2 .. 1000): leaf probabilities sum to 1, "
      "optimal path lengths", setup_probabilities, NO_GOLDEN },
    { "skipgram_hs", LAB_NUMBER, "skip-gram window of 4 (one word twice), hierarchical softmax",
      setup_sg, GOLDEN(skipgram_hs) },
    { "cbow_hs", LAB_NUMBER,
      "CBOW: mean of 4 context vectors predicts the centre, hierarchical softmax",
      setup_cbow, GOLDEN(cbow_hs) },
    { "hs_window", LAB_NUMBER, "skip-gram window of 6 (one word twice), each distinct path node once "
      "(hsoftmax_window_loss_and_grad)", setup_window_nodes, GOLDEN(hs_window) },
    { 0 }
};

