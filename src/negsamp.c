/* negsamp.c — negative sampling: the loss of one (centre, outside) pair against
 * K noise words, and a Walker alias table that draws the noise words.
 * Handout: handouts/06-negative-sampling.md */
#include "negsamp.h"

#include <math.h>
#include <stdlib.h>

#include "sigmoid.h"
#include "vec.h"

/* -log sigma(t s) and its slope dJ/ds, from one exp: t = +1 for the observed
 * pair (slope sigma(s) - 1), t = -1 for a negative (slope sigma(s)). With
 * e = exp(-|s|): log sigma(s) = min(s, 0) - log1p(e), sigma(s) = 1 / (1 + e)
 * for s >= 0 and e / (1 + e) below. Exact, and finite for every finite s. */
static double pair_term(double s, double t, double *slope)
{
    double e = exp(-fabs(s)), sig = s >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    double ts = t * s;
    *slope = t > 0 ? sig - 1.0 : sig;
    return log1p(e) - (ts < 0 ? ts : 0.0);    /* -log sigma(ts) */
}

/* Asks for a row of grad_U ahead of its update (a speed hint only). */
static void prefetch_row(const double *row, size_t d)
{
#ifdef __GNUC__
    for (size_t i = 0; i < d; i += 8)
        __builtin_prefetch(row + i, 1);
#else
    (void)row, (void)d;
#endif
}

enum { CHUNK = 8 };   /* rows scored together: their loads overlap */

double neg_sampling_loss_and_grad(const double *v_c, size_t o, const double *U, size_t d,
                                  const size_t *negatives, size_t K, double *grad_v_c,
                                  double *grad_U)
{
    /* BEGIN SOLUTION */
    double J = 0.0;
    size_t rows[CHUNK];
    double slope[CHUNK];
    for (size_t k0 = 0; k0 <= K; k0 += CHUNK) {          /* k = 0 is o, k >= 1 negatives */
        size_t n = K + 1 - k0 < CHUNK ? K + 1 - k0 : CHUNK;
        for (size_t j = 0; j < n; j++) {                 /* scores first ... */
            size_t k = k0 + j;
            rows[j] = k == 0 ? o : negatives[k - 1];
            if (grad_U)
                prefetch_row(grad_U + rows[j] * d, d);
            double s = dot(U + rows[j] * d, v_c, d);
            J += pair_term(s, k == 0 ? 1.0 : -1.0, &slope[j]);
        }
        for (size_t j = 0; j < n; j++) {                 /* ... then the gradients */
            if (grad_v_c)
                axpy(slope[j], U + rows[j] * d, grad_v_c, d);
            if (grad_U)
                axpy(slope[j], v_c, grad_U + rows[j] * d, d);   /* += : repeats add up */
        }
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
