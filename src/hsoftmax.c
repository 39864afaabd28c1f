/* hsoftmax.c — the Huffman tree of the vocabulary, every word's path of inner
 * nodes and left/right codes, the hierarchical-softmax loss of one pair, and
 * of a skip-gram window with each of its distinct path nodes computed once.
 * Handout: handouts/07-hierarchical-softmax.md */
#include "hsoftmax.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "sigmoid.h"
#include "vec.h"

/* BEGIN SOLUTION */
/* Tree nodes while building: leaves are 0 .. V-1, inner node n is V + n. */
typedef struct {
    uint64_t *weight;    /* 2V - 1 */
    size_t *parent;      /* 2V - 1; the root's is unused */
    uint8_t *branch;     /* 2V - 1: the code of the edge from a node up to its parent */
    struct leaf { uint64_t count; size_t id; } *order;   /* V leaves by (count, id) */
} builder;

static int by_count_then_id(const void *a, const void *b)
{
    const struct leaf *p = a, *q = b;
    if (p->count != q->count)
        return p->count < q->count ? -1 : 1;
    return p->id < q->id ? -1 : p->id > q->id;
}

static void builder_free(builder *b)
{
    free(b->weight);
    free(b->parent);
    free(b->branch);
    free(b->order);
}

/* The lighter of the next unmerged leaf (order[*leaf]) and the next unmerged
 * inner node (*inner); the leaf on a tie. Inner nodes are made in order of
 * weight, so both queues stay sorted: the two-queue method, O(V). */
static size_t pop_lightest(const builder *b, size_t V, size_t *leaf, size_t *inner, size_t made)
{
    int take_leaf = *leaf < V &&
                    (*inner == made || b->order[*leaf].count <= b->weight[V + *inner]);
    return take_leaf ? b->order[(*leaf)++].id : V + (*inner)++;
}

/* Fills b->parent and b->branch with V - 1 Huffman merges. */
static void merge_all(builder *b, size_t V)
{
    size_t leaf = 0, inner = 0;
    for (size_t n = 0; n + 1 < V; n++) {
        size_t left = pop_lightest(b, V, &leaf, &inner, n);
        size_t right = pop_lightest(b, V, &leaf, &inner, n);
        b->weight[V + n] = b->weight[left] + b->weight[right];
        b->parent[left] = b->parent[right] = V + n;
        b->branch[left] = 0;
        b->branch[right] = 1;
    }
}

/* Walks each leaf up to the root, writing its path backwards. */
static int write_paths(hs_tree *t, const builder *b)
{
    size_t V = t->V, root = 2 * V - 2, total = 0;
    t->start[0] = 0;
    for (size_t w = 0; w < V; w++) {
        size_t len = 0;
        for (size_t x = w; x != root; x = b->parent[x])
            len++;
        total += len;
        t->start[w + 1] = total;
    }
    t->node = malloc(total * sizeof *t->node);
    t->code = malloc(total * sizeof *t->code);
    if (!t->node || !t->code)
        return -1;
    for (size_t w = 0; w < V; w++) {
        size_t pos = t->start[w + 1];
        for (size_t x = w; x != root; x = b->parent[x]) {
            pos--;
            t->node[pos] = b->parent[x] - V;
            t->code[pos] = b->branch[x];
        }
    }
    return 0;
}
/* END SOLUTION */

int hs_tree_build(hs_tree *t, const uint64_t *counts, size_t V)
{
    /* BEGIN SOLUTION */
    *t = (hs_tree){ V, NULL, NULL, NULL };
    if (V < 2)
        return -1;
    builder b = { malloc((2 * V - 1) * sizeof *b.weight), malloc((2 * V - 1) * sizeof *b.parent),
                  malloc((2 * V - 1) * sizeof *b.branch), malloc(V * sizeof *b.order) };
    t->start = malloc((V + 1) * sizeof *t->start);
    int rc = -1;
    if (b.weight && b.parent && b.branch && b.order && t->start) {
        for (size_t w = 0; w < V; w++) {
            b.weight[w] = counts[w];
            b.order[w] = (struct leaf){ counts[w], w };
        }
        qsort(b.order, V, sizeof *b.order, by_count_then_id);
        merge_all(&b, V);
        rc = write_paths(t, &b);
    }
    builder_free(&b);
    if (rc != 0)
        hs_tree_free(t);
    return rc;
    /* END SOLUTION */
}

void hs_tree_free(hs_tree *t)
{
    free(t->start);
    free(t->node);
    free(t->code);
    *t = (hs_tree){ 0 };
}

hs_path hs_path_of(const hs_tree *t, size_t w)
{
    size_t from = t->start[w];
    return (hs_path){ t->node + from, t->code + from, t->start[w + 1] - from };
}

size_t hs_depth_max(const hs_tree *t)
{
    size_t longest = 0;
    for (size_t w = 0; w < t->V; w++)
        if (t->start[w + 1] - t->start[w] > longest)
            longest = t->start[w + 1] - t->start[w];
    return longest;
}

/* BEGIN SOLUTION */
enum { SCORE_CHUNK = 4 };

/* x[i] = s_j theta_{n_j} . v_c for the path's nodes j = j0 + i, i < n <=
 * SCORE_CHUNK. The chunk's dot products do not depend on each other, and
 * done together they overlap in the CPU instead of each waiting for the
 * sigmoid and the updates of the node before (training about 1.15x faster). */
static void chunk_scores(const double *v_c, hs_path path, const double *Theta, size_t d,
                         size_t j0, size_t n, double *x)
{
    for (size_t i = 0; i < n; i++)
        x[i] = (path.code[j0 + i] ? -1.0 : 1.0) * dot(Theta + path.node[j0 + i] * d, v_c, d);
}
/* END SOLUTION */

double hsoftmax_loss_and_grad(const double *v_c, hs_path path, const double *Theta, size_t d,
                              double *grad_v_c, double *grad_Theta)
{
    /* BEGIN SOLUTION */
    double P = 1.0, J = 0.0;                            /* P(o | c) = prod sigma(x_j), J = -log P */
    double x[SCORE_CHUNK];
    for (size_t j = 0; j < path.len; j++) {
        size_t i = j % SCORE_CHUNK;
        if (i == 0)
            chunk_scores(v_c, path, Theta, d, j, path.len - j < SCORE_CHUNK ? path.len - j
                                                                           : SCORE_CHUNK, x);
        double s = path.code[j] ? -1.0 : 1.0;           /* left +1, right -1 */
        double sig = sigmoid(x[i]);
        if (P < 1e-140) {                               /* P and sig both >= 1e-140: their */
            J -= log(P);                                /* product cannot underflow */
            P = 1.0;
        }
        if (sig >= 1e-140)
            P *= sig;                                   /* one log per pair, not one per node */
        else
            J -= log_sigmoid(x[i]);                     /* far out: sigma(x) would underflow */
        double slope = (sig - 1.0) * s;                 /* dJ/d(theta . v_c) */
        if (grad_v_c)
            axpy(slope, Theta + path.node[j] * d, grad_v_c, d);
        if (grad_Theta)
            axpy(slope, v_c, grad_Theta + path.node[j] * d, d);
    }
    return J - log(P);
    /* END SOLUTION */
}

/* BEGIN SOLUTION */
/* A distinct node of a window's paths: its row of Theta, and how many of the
 * window's pairs turn left (code 0) and right (code 1) below it. */
typedef struct {
    size_t node;
    unsigned left, right;
} window_node;

enum { WINDOW_STACK = 256 };

/* How many leading nodes paths a and b have in common. */
static size_t shared_prefix(hs_path a, hs_path b)
{
    size_t k = 0, n = a.len < b.len ? a.len : b.len;
    while (k < n && a.node[k] == b.node[k])
        k++;
    return k;
}

/* Lists the distinct nodes of paths[0..m) in nodes (returns how many), each
 * with its left and right visits. A tree has one way down to each node, so
 * two paths that meet at a node share every node above it: path j's first
 * nodes are those of the earlier path it shares the longest prefix with,
 * and only the rest of it is new. at (one entry per visit, path after
 * path) gives each visit's entry of nodes. */
static size_t distinct_nodes(const hs_path *paths, size_t m, window_node *nodes, size_t *at)
{
    size_t n = 0, off = 0;
    for (size_t j = 0; j < m; off += paths[j].len, j++) {
        size_t shared = 0, from = 0, off_i = 0;
        for (size_t i = 0; i < j && shared < paths[j].len; off_i += paths[i].len, i++) {
            size_t k = shared_prefix(paths[i], paths[j]);
            if (k > shared)
                shared = k, from = off_i;
        }
        for (size_t k = 0; k < shared; k++) {            /* a code is 0 or 1: no branch */
            size_t e = at[off + k] = at[from + k];
            nodes[e].left += 1u - paths[j].code[k];
            nodes[e].right += paths[j].code[k];
        }
        for (size_t k = shared; k < paths[j].len; k++) {
            nodes[n] = (window_node){ paths[j].node[k], 1u - paths[j].code[k], paths[j].code[k] };
            at[off + k] = n++;
        }
    }
    return n;
}

/* x[i] = theta_i . v_c for the chunk's n <= SCORE_CHUNK rows theta_i, all
 * before any is used (see chunk_scores); a whole chunk in one pass. */
static void node_scores(const double *const *theta, size_t n, const double *v_c, size_t d,
                        double *x)
{
    if (n == SCORE_CHUNK)
        dot4(theta[0], theta[1], theta[2], theta[3], v_c, d, x);
    else
        for (size_t i = 0; i < n; i++)
            x[i] = dot(theta[i], v_c, d);
}

/* Adds the chunk's n nodes' slopes g[i] times theta_i into grad_v_c and
 * times v_c into their rows grad[i] (either may be NULL), node after node;
 * a whole chunk in one pass when both are asked for. */
static void node_grads(const double *g, const double *const *theta, double *const *grad,
                       size_t n, const double *v_c, size_t d, double *grad_v_c)
{
    if (n == SCORE_CHUNK && grad_v_c && grad[0]) {
        axpy4(g, theta[0], theta[1], theta[2], theta[3], grad_v_c, v_c, grad[0], grad[1],
              grad[2], grad[3], d);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (grad_v_c && grad[i])
            axpy2(g[i], theta[i], grad_v_c, v_c, grad[i], d);
        else if (grad_v_c)
            axpy(g[i], theta[i], grad_v_c, d);
        else if (grad[i])
            axpy(g[i], v_c, grad[i], d);
    }
}

/* -log of sig^times, with sig = sigma(x), multiplied into *P one visit at a
 * time; *P is moved into the returned -log before it could underflow, and a
 * factor that small takes -log_sigmoid(x) instead (see
 * hsoftmax_loss_and_grad). */
static double take_factor(double sig, double x, unsigned times, double *P)
{
    if (times == 0)
        return 0.0;
    if (sig < 1e-140)
        return -(double)times * log_sigmoid(x);
    double J = 0.0;
    do {
        if (*P < 1e-140) {
            J -= log(*P);
            *P = 1.0;
        }
        *P *= sig;
    } while (--times);
    return J;
}

/* One node's part of the window: returns its -log terms (see take_factor)
 * and sets *g to the sum of its pairs' slopes,
 *   g = a (sigma(x) - 1) + b sigma(x) = b sigma(x) - a sigma(-x)
 * for a visits turning left (slope sigma(x) - 1 = -sigma(-x) each) and b
 * turning right (slope -(sigma(-x) - 1) = sigma(x) each). One exp gives
 * both: sigma(-|x|), the small one, from sigmoid to a few ulps, and
 * 1 - sigma(-|x|), the large one (>= 1/2), as close. */
static double node_terms(double x, const window_node *n, double *P, double *g)
{
    double small = sigmoid(-fabs(x)), big = 1.0 - small;
    double left = x >= 0 ? big : small, right = x >= 0 ? small : big;   /* sigma(x), sigma(-x) */
    *g = (double)n->right * left - (double)n->left * right;
    return take_factor(left, x, n->left, P) + take_factor(right, -x, n->right, P);
}
/* END SOLUTION */

double hsoftmax_window_loss_and_grad(const double *v_c, const hs_path *paths, size_t m,
                                     const double *Theta, size_t d, double *grad_v_c,
                                     double *grad_Theta)
{
    /* BEGIN SOLUTION */
    size_t visits = 0;
    for (size_t j = 0; j < m; j++)
        visits += paths[j].len;
    window_node on_stack[WINDOW_STACK], *nodes = on_stack;
    size_t at_stack[WINDOW_STACK], *at = at_stack;
    if (visits > WINDOW_STACK) {
        nodes = malloc(visits * sizeof *nodes);
        at = malloc(visits * sizeof *at);
        if (!nodes || !at) {
            free(nodes);
            free(at);
            return errno = ENOMEM, NAN;
        }
    }
    size_t n = distinct_nodes(paths, m, nodes, at);
    double P = 1.0, J = 0.0;                             /* P: the window's prod of sigmas */
    for (size_t k = 0; k < n; k += SCORE_CHUNK) {
        size_t c = n - k < SCORE_CHUNK ? n - k : SCORE_CHUNK;
        const double *theta[SCORE_CHUNK];
        double *grad[SCORE_CHUNK], x[SCORE_CHUNK], g[SCORE_CHUNK];
        for (size_t i = 0; i < c; i++) {
            theta[i] = Theta + nodes[k + i].node * d;
            grad[i] = grad_Theta ? grad_Theta + nodes[k + i].node * d : NULL;
        }
        node_scores(theta, c, v_c, d, x);
        for (size_t i = 0; i < c; i++)
            J += node_terms(x[i], &nodes[k + i], &P, &g[i]);
        node_grads(g, theta, grad, c, v_c, d, grad_v_c);
    }
    if (nodes != on_stack) {
        free(nodes);
        free(at);
    }
    return J - log(P);
    /* END SOLUTION */
}
