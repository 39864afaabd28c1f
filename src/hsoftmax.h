/* hsoftmax.h — hierarchical softmax (lab 4): the words are the leaves of a
 * Huffman tree built from their counts, and P(o | c) is the product of the
 * binary decisions on the way from the root down to o.
 *
 * Shapes:  V words (leaves); V - 1 inner nodes, numbered 0 .. V - 2 in the
 *          order the Huffman merges made them (the root is V - 2)
 *          v_c     d          the centre word's vector
 *          Theta   (V-1) x d  inner-node vectors, row n is theta_n
 *          path    len nodes  n_0 (the root), n_1, ... above word o,
 *                  with code_j = 0 when the path turns left below n_j, 1 right
 *   s_j = +1 (left) or -1 (right),  x_j = s_j theta_{n_j} . v_c
 *   P(o | c)       = prod_j sigma(x_j)
 *   J              = -log P(o | c) = -sum_j log sigma(x_j)
 *   dJ/dv_c        = sum_j (sigma(x_j) - 1) s_j theta_{n_j}
 *   dJ/dtheta_{n_j} = (sigma(x_j) - 1) s_j v_c    (rows on the path only)
 * Cost: O(d len) per pair, len about log2 V, instead of the naive O(d V); a
 * window's pairs together cost O(d) per distinct node of their paths.
 * Handout: handouts/07-hierarchical-softmax.md
 */
#ifndef GRADLAB_HSOFTMAX_H
#define GRADLAB_HSOFTMAX_H

#include <stddef.h>
#include <stdint.h>

/* The tree as every word's path: word w's path is node[start[w] .. start[w+1])
 * with the codes code[start[w] .. start[w+1]). */
typedef struct {
    size_t V;
    size_t *start;     /* V + 1 */
    size_t *node;      /* inner-node ids, root first */
    uint8_t *code;     /* 0 left, 1 right */
} hs_tree;

/* One word's path (pointers into a tree, or into a caller's own arrays). */
typedef struct {
    const size_t *node;
    const uint8_t *code;
    size_t len;
} hs_path;

/* hs_tree_build: the Huffman tree of counts[0..V): repeatedly merge the two
 * lightest trees (ties broken by lower word id, then earlier merge, so the
 * tree is the same on every machine); the lighter of the two becomes the
 * left child (code 0). Frequent words get short paths. Returns 0, or -1 when
 * V < 2 or memory runs out (then *t is empty and needs no free). */
int hs_tree_build(hs_tree *t, const uint64_t *counts, size_t V);

void hs_tree_free(hs_tree *t);

/* hs_path_of: word w's path in t (w < t->V). */
hs_path hs_path_of(const hs_tree *t, size_t w);

/* hs_depth_max: the longest path in t. */
size_t hs_depth_max(const hs_tree *t);

/* hsoftmax_loss_and_grad: returns J = -log P(o | c) along `path` (o's path).
 * When not NULL, ADDS dJ/dv_c into grad_v_c (d) and dJ/dtheta_n into the rows
 * n = path.node[j] of grad_Theta; no other row is read or written. */
double hsoftmax_loss_and_grad(const double *v_c, hs_path path, const double *Theta, size_t d,
                              double *grad_v_c, double *grad_Theta);

/* hsoftmax_window_loss_and_grad: a skip-gram window under hierarchical
 * softmax, the centre v_c predicting m outside words whose paths are
 * paths[0..m) (a word listed twice is listed twice). Returns
 *   J = sum_j -log P(o_j | c)
 * the sum of the m pairs' hsoftmax_loss_and_grad losses, computed node by
 * node: the paths start at the same root and share their top nodes, and a
 * node's score x_n = theta_n . v_c is the same for every pair that visits
 * it, so each distinct node n of the window costs one dot product, one sigma
 * and two axpys, whatever the number of pairs visiting it. With a_n pairs
 * turning left below n and b_n turning right:
 *   J         = sum_n -a_n log sigma(x_n) - b_n log sigma(-x_n)
 *   g_n       = b_n sigma(x_n) - a_n sigma(-x_n)   (the sum of its pairs' slopes)
 *   dJ/dv_c   = sum_n g_n theta_n                  (d)
 *   dJ/dtheta_n = g_n v_c                          (rows of the window's nodes only)
 * When not NULL, ADDS dJ/dv_c into grad_v_c (d) and dJ/dtheta_n into row n
 * of grad_Theta ((V-1) x d) for every node n on some path; no other row is
 * read or written. m = 0 gives J = 0 and adds nothing. Returns NaN with errno
 * ENOMEM when the window's paths hold more than 256 nodes in all and their
 * scratch memory cannot be allocated. */
double hsoftmax_window_loss_and_grad(const double *v_c, const hs_path *paths, size_t m,
                                     const double *Theta, size_t d, double *grad_v_c,
                                     double *grad_Theta);

#endif
