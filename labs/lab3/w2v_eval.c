/* w2v_eval.c — the held-out loss and the related-pairs count (w2v_eval.h). */
#include "w2v_eval.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"

static const uint64_t EVAL_SEED = 0x68656c646f7574ULL;   /* the held-out negatives' stream */

int w2v_parse_pairs(const char *list, w2v_word_lookup find, const void *ctx,
                    size_t pair[][2], size_t *npairs, size_t *listed, char *err, size_t size)
{
    char word[2][CORPUS_MAX_WORD + 1];
    *npairs = *listed = 0;
    for (const char *p = list; p && *p; ) {
        size_t len = strcspn(p, ","), colon = strcspn(p, ":");
        if (colon >= len || colon == 0 || colon + 1 == len)
            return snprintf(err, size, "--pairs: '%.*s' is not word:word", (int)len, p), -1;
        if (*listed == EVAL_MAX_PAIRS)
            return snprintf(err, size, "--pairs: more than %d pairs", EVAL_MAX_PAIRS), -1;
        (*listed)++;
        size_t n[2] = { colon, len - colon - 1 };
        long id[2] = { -1, -1 };
        for (int k = 0; k < 2; k++)
            if (n[k] <= CORPUS_MAX_WORD) {
                memcpy(word[k], k ? p + colon + 1 : p, n[k]);
                word[k][n[k]] = '\0';
                id[k] = find(ctx, word[k]);
            }
        if (id[0] >= 0 && id[1] >= 0 && id[0] != id[1]) {
            pair[*npairs][0] = (size_t)id[0];
            pair[(*npairs)++][1] = (size_t)id[1];
        }
        p += len + (p[len] == ',');
    }
    return 0;
}

static long find_in_corpus(const void *C, const char *word)
{
    return corpus_find(C, word);
}

int w2v_eval_init(w2v_eval *e, const corpus *C, size_t from_line, const w2v_config *cfg,
                  const char *pairs, char *err, size_t size)
{
    memset(e, 0, sizeof *e);
    e->C = C, e->from_line = from_line, e->cfg = *cfg;
    if (w2v_parse_pairs(pairs, find_in_corpus, C, e->pair, &e->npairs, &e->listed, err,
                        size) != 0)
        return -1;
    int bad = (cfg->loss == W2V_NEG && noise_table_init(&e->noise, C->counts, C->V, 0.75) != 0) ||
              (cfg->loss == W2V_HS && hs_tree_build(&e->tree, C->counts, C->V) != 0);
    if (bad) {
        w2v_eval_free(e);
        return snprintf(err, size, "out of memory"), -1;
    }
    return 0;
}

void w2v_eval_free(w2v_eval *e)
{
    noise_table_free(&e->noise);
    hs_tree_free(&e->tree);
    memset(e, 0, sizeof *e);
}

/* One window's loss: centre line[i] and its full window, by the checked
 * window functions; *npairs its pairs. */
static double window_loss(const w2v_eval *e, const w2v_model *m, const uint32_t *line, size_t n,
                          size_t i, rng_t *r, size_t *ctx, size_t *neg, hs_path *paths,
                          size_t *npairs)
{
    size_t b = e->cfg.window, from = i > b ? i - b : 0, to = i + b < n ? i + b : n - 1, k = 0;
    for (size_t j = from; j <= to; j++)
        if (j != i)
            ctx[k++] = line[j];
    int cbow = e->cfg.model == MODEL_CBOW;
    size_t c = line[i], np = cbow ? 1 : k, K = e->cfg.negative;
    const size_t *predicted = cbow ? &c : ctx;
    for (size_t j = 0; e->cfg.loss == W2V_NEG && j < np; j++)
        noise_sample(&e->noise, r, predicted[j], K, neg + j * K);
    for (size_t j = 0; e->cfg.loss == W2V_HS && j < np; j++)
        paths[j] = hs_path_of(&e->tree, predicted[j]);
    w2v_loss L = { e->cfg.loss, K, neg, paths };
    *npairs = k ? np : 0;
    if (k == 0)
        return 0.0;
    return cbow ? cbow_loss_and_grad(&L, c, ctx, k, m->Vc, m->U, m->V, m->d, NULL, NULL)
                : skipgram_loss_and_grad(&L, c, ctx, k, m->Vc, m->U, m->V, m->d, NULL, NULL);
}

double w2v_eval_loss(const w2v_eval *e, const w2v_model *m, uint64_t *pairs)
{
    size_t W = 2 * e->cfg.window, K = e->cfg.negative ? e->cfg.negative : 1;
    size_t *ctx = malloc(W * sizeof *ctx), *neg = malloc(W * K * sizeof *neg);
    hs_path *paths = malloc(W * sizeof *paths);
    double sum = 0.0;
    *pairs = 0;
    rng_t r;
    rng_seed(&r, EVAL_SEED ^ e->cfg.seed);
    for (size_t l = e->from_line; ctx && neg && paths && l < e->C->nlines; l++) {
        const uint32_t *line = e->C->ids + e->C->line_start[l];
        size_t n = e->C->line_start[l + 1] - e->C->line_start[l], np;
        for (size_t i = 0; i < n; i++) {
            sum += window_loss(e, m, line, n, i, &r, ctx, neg, paths, &np);
            *pairs += np;
        }
    }
    int oom = !ctx || !neg || !paths;
    free(ctx), free(neg), free(paths);
    if (oom)
        return errno = ENOMEM, NAN;
    return *pairs ? sum / (double)*pairs : NAN;
}

/* cos(rows a and b of vec). */
static double cosine(const double *vec, size_t d, size_t a, size_t b)
{
    const double *x = vec + a * d, *y = vec + b * d;
    double nx = sqrt(dot(x, x, d)), ny = sqrt(dot(y, y, d));
    return nx > 0 && ny > 0 ? dot(x, y, d) / (nx * ny) : 0.0;
}

/* 1 when b is among a's EVAL_TOP nearest words: fewer than EVAL_TOP others are nearer. */
static int in_top(const double *vec, size_t V, size_t d, size_t a, size_t b)
{
    double ab = cosine(vec, d, a, b);
    size_t nearer = 0;
    for (size_t w = 0; w < V && nearer < EVAL_TOP; w++)
        nearer += w != a && w != b && cosine(vec, d, a, w) > ab;
    return nearer < EVAL_TOP;
}

size_t w2v_pairs_found(const double *vec, size_t V, size_t d, const size_t pair[][2], size_t n)
{
    size_t hits = 0;
    for (size_t i = 0; i < n; i++)
        hits += in_top(vec, V, d, pair[i][0], pair[i][1]) &&
                in_top(vec, V, d, pair[i][1], pair[i][0]);
    return hits;
}

size_t w2v_eval_pairs(const w2v_eval *e, const w2v_model *m)
{
    return w2v_pairs_found(m->Vc, m->V, m->d, (const size_t (*)[2])e->pair, e->npairs);
}
