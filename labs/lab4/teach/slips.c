/* labs/lab4/teach/slips.c — lab 4's slips: hierarchical softmax and the Huffman tree (x = v_c |
 * Theta). Each slip is a right check made wrong the way students make it wrong
 * (labs/teach/slips.h); instructors only, never shipped. */
#include "slips.h"

#include "gradlab.h"
#include "lab4/checks.h"
#include "registry.h"

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

/* The roles of the context's vector and the nodes' swapped: each node's row
 * gets its slope times its own theta, and v_c its slope times v_c, where
 * dJ/dtheta_n = slope v_c and dJ/dv_c = sum slope theta_n belong. The loss
 * is the right one. */
static double hs_roles_swapped(const gc_problem *p, const double *x, double J, const double *g,
                               double *grad)
{
    (void)g;
    const hs_ctx *c = p->ctx;
    size_t d = c->d;
    hs_path path = hs_path_of(&c->tree, c->o);
    for (size_t j = 0; grad && j < path.len; j++) {
        const double *theta = x + d + path.node[j] * d;
        double sign = path.code[j] ? -1.0 : 1.0, score = 0;
        for (size_t k = 0; k < d; k++)
            score += theta[k] * x[k];
        double slope = (sigmoid(sign * score) - 1.0) * sign;
        for (size_t k = 0; k < d; k++) {
            grad[k] += slope * x[k];
            grad[d + path.node[j] * d + k] += slope * theta[k];
        }
    }
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

/* One set-up per wrapped slip: check CHECK with its loss through APPLY. */
SLIP_WRAPPED(hs_swapped, "hs_pair")
SLIP_WRAPPED(hs_sign_mixed, "hs_pair")
SLIP_WRAPPED(hs_leaf_row, "hs_pair")
SLIP_WRAPPED(hs_window_shared_once, "hs_window")
SLIP_WRAPPED(hs_roles_swapped, "hs_pair")

const slip_entry lab4_slips[] = {
    { "hs_left_right_swapped", "left and right swapped in the loss and the gradient alike",
      "hs_pair", "the loss computes another function", setup_hs_swapped },
    { "hs_sign_mixed", "loss with left = +1, gradient with left = -1 (two sign conventions)",
      "hs_pair", "opposite sign", setup_hs_sign_mixed },
    { "hs_leaf_updated", "dJ/dtheta added to the leaf's row o instead of the path's inner nodes",
      "hs_pair", "wrong rows", setup_hs_leaf_row },
    { "hs_shared_node_once", "a window's node on several pairs' paths given one pair's slope, "
      "not the sum over the pairs", "hs_window", "counted once instead of once per pair",
      setup_hs_window_shared_once },
    { "hs_root_skipped", "every path starts below the root (the root's decision left out)",
      "hs_probabilities", "does not start at the root", hs_root_skipped },
    { "hs_roles_swapped", "x_w and theta's roles swapped: dJ/dtheta_n = slope theta_n, "
      "dJ/dv_c = sum slope v_c", "hs_pair", "dJ/dv_c, dJ/dTheta: no simple pattern", setup_hs_roles_swapped },
    { 0 }
};
