/* hsoftmax.c — the Huffman tree of the vocabulary, every word's path of inner
 * nodes and left/right codes, and the hierarchical-softmax loss of one pair.
 * Handout: handouts/07-hierarchical-softmax.md */
#include "hsoftmax.h"

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
