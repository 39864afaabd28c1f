/* negsamp.h — negative sampling (lab 3): the loss of one (centre, outside)
 * pair against K sampled "noise" words, and the sampler that draws them.
 *
 * Shapes:  v_c  d          the centre word's vector
 *          U    V x d      outside vectors, row w is u_w (V is not needed: only
 *                          rows o and negatives[0..K) are read or written)
 *   J = -log sigma(u_o . v_c) - sum_k log sigma(-u_{n_k} . v_c)
 *   dJ/dv_c     = (sigma(u_o . v_c) - 1) u_o + sum_k sigma(u_{n_k} . v_c) u_{n_k}
 *   dJ/du_o     = (sigma(u_o . v_c) - 1) v_c
 *   dJ/du_{n_k} = sigma(u_{n_k} . v_c) v_c      (a word drawn twice gets it twice)
 * Handout: handouts/06-negative-sampling.md
 */
#ifndef GRADLAB_NEGSAMP_H
#define GRADLAB_NEGSAMP_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

/* neg_sampling_loss_and_grad: returns J. When not NULL, ADDS dJ/dv_c into
 * grad_v_c (d) and dJ/du_w into the rows o and negatives[k] of grad_U (V x d);
 * no other row is touched, and a negative listed twice adds twice. */
double neg_sampling_loss_and_grad(const double *v_c, size_t o, const double *U, size_t d,
                                  const size_t *negatives, size_t K, double *grad_v_c,
                                  double *grad_U);

/* The noise distribution P(w) proportional to count(w)^power (0.75 in
 * word2vec) as a Walker alias table: O(V) memory, O(1) per draw. */
typedef struct {
    size_t V;
    uint32_t *accept;   /* V: column i gives word i when 32 random bits < accept[i] */
    uint32_t *alias;    /* V: ... and word alias[i] otherwise */
} noise_table;

/* noise_table_init: builds the table from counts[0..V). Returns 0, or -1 when
 * V is 0 or over 2^32 - 1, no count is positive, or memory runs out
 * (then *t is left empty and needs no free). */
int noise_table_init(noise_table *t, const uint64_t *counts, size_t V, double power);

void noise_table_free(noise_table *t);

/* noise_draw: one word from the noise distribution (one rng_next). */
size_t noise_draw(const noise_table *t, rng_t *r);

/* noise_sample: writes K draws into negatives[0..K), each one different from
 * o (redrawn when equal). Draws may repeat among themselves, as in word2vec.
 * Needs some word other than o to have a positive count. */
void noise_sample(const noise_table *t, rng_t *r, size_t o, size_t K, size_t *negatives);

#endif
