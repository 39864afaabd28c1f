/* labs/lab6/model.h — the tiny attention model lab 6 trains: tokens in, one
 * token predicted at every position, built from the lab's functions (layer
 * normalization, the attention layer) and lab 1's cross-entropy.
 *
 * For one sequence t_0 .. t_{n-1} of tokens < V:
 *   X0_i = E[t_i] + P_i                 n x d   token embedding plus position embedding
 *   H    = layernorm(X0; gamma, beta)   n x d
 *   O    = attention_layer(H; W)        n x d   (dk = dims.dk, dv = d)
 *   Z_i  = O_i Wo + bo                  n x V   the logits at position i
 *   J    = sum_i CE(onehot(y_i), softmax(Z_i))  y_i the target at position i
 * Parameters, packed: E (V x d) | P (n x d) | gamma (d) | beta (d) |
 * W = Wq | Wk | Wv (attention.h) | Wo (d x V) | bo (V).
 * No lab function is copied here: the model calls them, and adds only the
 * embedding lookup and the output layer. */
#ifndef GRADLAB_LAB6_MODEL_H
#define GRADLAB_LAB6_MODEL_H

#include <stddef.h>

#include "attention.h"
#include "layernorm.h"

typedef struct { size_t V, n, d, dk; double eps; } model_dims;

/* Where each part of the packed parameters starts. */
typedef struct { size_t E, P, gamma, beta, W, Wo, bo, count; } model_layout;

model_layout model_layout_of(model_dims m);

/* The layer's sizes inside the model. */
static inline attn_dims model_attn(model_dims m) { return (attn_dims){ m.n, m.d, m.dk, m.d }; }
static inline ln_dims model_ln(model_dims m) { return (ln_dims){ m.n, m.d, m.eps }; }

/* model_loss_and_grad: J summed over the B sequences tokens[s * n ..] with
 * targets targets[s * n ..]; ADDS dJ/dparams into grad (packed like params)
 * when it is not NULL. Returns J; NaN with errno ENOMEM when scratch memory
 * runs out, NaN (errno untouched) when a lab function refuses its input. */
double model_loss_and_grad(model_dims m, const double *params, const size_t *tokens,
                           const size_t *targets, size_t B, double *grad);

/* model_predict: for one sequence, writes the most likely token at every
 * position into out (n) and, when A is not NULL, the attention weights
 * (n x n). Returns 0, or a gl_status. */
int model_predict(model_dims m, const double *params, const size_t *tokens, size_t *out,
                  double *A);

#endif
