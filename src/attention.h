/* attention.h — single-head scaled dot-product self-attention (lab 6),
 * forward and backward: every position i of a sequence mixes the values of
 * all positions j, weighted by how well its query matches their keys.
 *
 * Shapes (one position per row, n positions):
 *   Q, K   n x dk     queries and keys        S, A   n x n    scores, weights
 *   V      n x dv     values                  O      n x dv   the output
 *   S = Q K^T / sqrt(dk)          S_ij = q_i . k_j / sqrt(dk)
 *   A_i = softmax(S_i)            row i of S, over the keys j (lab 1's softmax)
 *   O = A V                       o_i = sum_j A_ij v_j
 * Backward, with G = dJ/dO:
 *   dJ/dV = A^T G,   dJ/dA = G V^T
 *   dJ/dS_ij = A_ij (dJ/dA_ij - sum_k A_ik dJ/dA_ik)   the softmax's Jacobian, row by row
 *   dJ/dQ = dJ/dS K / sqrt(dk),   dJ/dK = (dJ/dS)^T Q / sqrt(dk)
 * Each row of dJ/dS sums to 0 (softmax(S_i + c) = softmax(S_i)), so the rows
 * of dJ/dK add up to the zero vector.
 *
 * The layer: the queries, keys and values are projections of the input X,
 *   X  n x dm,   Q = X Wq,  K = X Wk,  V = X Wv,   Wq, Wk  dm x dk,  Wv  dm x dv
 *   dJ/dWq = X^T dJ/dQ (likewise Wk, Wv),  dJ/dX = dJ/dQ Wq^T + dJ/dK Wk^T + dJ/dV Wv^T
 * Its weights are packed in one vector W = Wq | Wk | Wv, and so is dJ/dW.
 * Handout: handouts/10-layernorm-attention.md
 */
#ifndef GRADLAB_ATTENTION_H
#define GRADLAB_ATTENTION_H

#include <stddef.h>

#include "status.h"

/* n positions, the model's width dm (the layer's input X), and the widths
 * of the queries and keys (dk) and of the values (dv). */
typedef struct { size_t n, dm, dk, dv; } attn_dims;

/* attention_forward: writes A (n x n, each row sums to 1) and O (n x dv).
 * Returns GL_OK, or GL_BAD_INPUT (nothing written) when n, dk or dv is 0. */
int attention_forward(attn_dims d, const double *Q, const double *K, const double *V, double *A,
                      double *O);

/* attention_backward: given Q, K, V, the weights A that attention_forward
 * wrote for them, and G = dJ/dO (n x dv), ADDS dJ/dQ, dJ/dK (n x dk) and
 * dJ/dV (n x dv) into grad_Q, grad_K, grad_V; a NULL gradient is not
 * computed. Returns GL_OK, GL_BAD_INPUT as attention_forward, or
 * GL_NO_MEMORY (nothing added) when its scratch row of n doubles cannot be
 * had. */
int attention_backward(attn_dims d, const double *Q, const double *K, const double *V,
                       const double *A, const double *G, double *grad_Q, double *grad_K,
                       double *grad_V);

/* attention_param_count: dm (2 dk + dv), the length of W = Wq | Wk | Wv. */
size_t attention_param_count(attn_dims d);

/* attention_cache_count: n (2 dk + dv) + n n, the length of the cache the
 * layer's forward pass fills for its backward pass: Q | K | V | A. */
size_t attention_cache_count(attn_dims d);

/* attention_layer_forward: Q, K, V from X (n x dm) and W, then the
 * attention; writes the cache (Q | K | V | A) and O (n x dv). Returns GL_OK,
 * or GL_BAD_INPUT (nothing written) when n, dm, dk or dv is 0. */
int attention_layer_forward(attn_dims d, const double *W, const double *X, double *cache,
                            double *O);

/* attention_layer_backward: given W, X, the cache that
 * attention_layer_forward filled for them and G = dJ/dO, ADDS dJ/dW (packed
 * like W) into grad_W and dJ/dX (n x dm) into grad_X; a NULL gradient is not
 * computed. Returns GL_OK, GL_BAD_INPUT as attention_layer_forward, or
 * GL_NO_MEMORY (nothing added) when scratch memory (n (2 dk + dv) + n
 * doubles) cannot be had. */
int attention_layer_backward(attn_dims d, const double *W, const double *X, const double *cache,
                             const double *G, double *grad_W, double *grad_X);

#endif
