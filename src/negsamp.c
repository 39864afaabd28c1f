/* negsamp.c — negative sampling: the loss of one (centre, outside) pair against
 * K noise words, and a Walker alias table that draws the noise words.
 * Handout: handouts/06-negative-sampling.md */
#include "negsamp.h"

#include <math.h>
#include <stdlib.h>

#include "sigmoid.h"
#include "vec.h"

/* BEGIN SOLUTION */
enum { SCORE_CHUNK = 4 };

/* The word of row k of the pair: k = 0 is o, k >= 1 the negatives. */
static size_t word_of(size_t k, size_t o, const size_t *negatives)
{
    return k == 0 ? o : negatives[k - 1];
}

/* s[i] = u_w . v_c for the pair's rows k = k0 + i, i < n <= SCORE_CHUNK. The
 * chunk's dot products do not depend on each other, and done together they
 * overlap in the CPU instead of each waiting for the sigmoids and updates of
 * the row before. */
static void chunk_scores(const double *v_c, size_t o, const double *U, size_t d,
                         const size_t *negatives, size_t k0, size_t n, double *s)
{
    for (size_t i = 0; i < n; i++)
        s[i] = dot(U + word_of(k0 + i, o, negatives) * d, v_c, d);
}
/* END SOLUTION */

double neg_sampling_loss_and_grad(const double *v_c, size_t o, const double *U, size_t d,
                                  const size_t *negatives, size_t K, double *grad_v_c,
                                  double *grad_U)
{
    /* BEGIN SOLUTION */
    double J = 0.0, s[SCORE_CHUNK];
    for (size_t k = 0; k <= K; k++) {                   /* k = 0 is o, k >= 1 the negatives */
        size_t i = k % SCORE_CHUNK, w = word_of(k, o, negatives);
        if (i == 0)
            chunk_scores(v_c, o, U, d, negatives, k, K + 1 - k < SCORE_CHUNK ? K + 1 - k
                                                                            : SCORE_CHUNK, s);
        J -= k == 0 ? log_sigmoid(s[i]) : log_sigmoid(-s[i]);
        double slope = k == 0 ? sigmoid(s[i]) - 1.0 : sigmoid(s[i]);   /* dJ/ds_w */
        if (grad_v_c)
            axpy(slope, U + w * d, grad_v_c, d);
        if (grad_U)
            axpy(slope, v_c, grad_U + w * d, d);         /* += : a repeated negative adds again */
    }
    return J;
    /* END SOLUTION */
}

/* Vose's construction: scale the probabilities so their mean is 1, then pair
 * each column below 1 ("small") with one above 1 ("large") that tops it up. */
int noise_table_init(noise_table *t, const uint64_t *counts, size_t V, double power)
{
    *t = (noise_table){ 0 };
    if (V == 0 || V > UINT32_MAX)
        return -1;
    double *p = malloc(V * sizeof *p), sum = 0.0;
    uint32_t *stack = malloc(V * sizeof *stack);
    t->accept = malloc(V * sizeof *t->accept);
    t->alias = malloc(V * sizeof *t->alias);
    if (!p || !stack || !t->accept || !t->alias)
        goto fail;
    for (size_t w = 0; w < V; w++)
        sum += p[w] = counts[w] ? pow((double)counts[w], power) : 0.0;
    if (!(sum > 0.0) || !isfinite(sum))
        goto fail;
    size_t nsmall = 0, nlarge = V;                /* small from the bottom, large from the top */
    for (size_t w = 0; w < V; w++) {
        p[w] *= (double)V / sum;
        if (p[w] < 1.0)
            stack[nsmall++] = (uint32_t)w;
        else
            stack[--nlarge] = (uint32_t)w;
    }
    while (nsmall > 0 && nlarge < V) {
        uint32_t s = stack[--nsmall], l = stack[nlarge];
        t->accept[s] = (uint32_t)(p[s] * 4294967296.0);
        t->alias[s] = l;
        p[l] -= 1.0 - p[s];
        if (p[l] < 1.0) {                         /* l becomes small: move it across */
            nlarge++;
            stack[nsmall++] = l;
        }
    }
    for (size_t i = 0; i < V; i++)                /* left over: full columns (round-off) */
        if (i >= nlarge || i < nsmall) {
            t->accept[stack[i]] = UINT32_MAX;
            t->alias[stack[i]] = stack[i];
        }
    t->V = V;
    free(p);
    free(stack);
    return 0;
fail:
    free(p);
    free(stack);
    noise_table_free(t);
    return -1;
}

void noise_table_free(noise_table *t)
{
    free(t->accept);
    free(t->alias);
    *t = (noise_table){ 0 };
}

size_t noise_draw(const noise_table *t, rng_t *r)
{
    uint64_t u = rng_next(r);
    size_t column = (size_t)(((u >> 32) * (uint64_t)t->V) >> 32);   /* top 32 bits pick */
    return (uint32_t)u < t->accept[column] ? column : t->alias[column];
}

void noise_sample(const noise_table *t, rng_t *r, size_t o, size_t K, size_t *negatives)
{
    for (size_t k = 0; k < K; k++) {
        size_t w;
        do
            w = noise_draw(t, r);
        while (w == o);
        negatives[k] = w;
    }
}
