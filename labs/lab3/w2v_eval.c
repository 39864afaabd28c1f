/* w2v_eval.c — the held-out loss and the related-pairs count (w2v_eval.h). */
#include "w2v_eval.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"

static const uint64_t EVAL_SEED = 0x68656c646f7574ULL;   /* the held-out negatives' stream */

/* corpus_find on the len bytes at w (a word of the list, not NUL-ended). */
static long find_word(const corpus *C, const char *w, size_t len)
{
    char word[CORPUS_MAX_WORD + 1];
    if (len > CORPUS_MAX_WORD)
        return -1;
    memcpy(word, w, len);
    word[len] = '\0';
    return corpus_find(C, word);
}

/* Reads "a:b,c:d,..." into e->pair; pairs with a word not in the vocabulary are
 * counted as listed but left out. */
static int read_pairs(w2v_eval *e, const char *list, char *err, size_t size)
{
    for (const char *p = list; p && *p; ) {
        size_t len = strcspn(p, ","), colon = strcspn(p, ":");
        if (colon >= len || colon == 0 || colon + 1 == len)
            return snprintf(err, size, "--pairs: '%.*s' is not word:word", (int)len, p), -1;
        if (e->listed == EVAL_MAX_PAIRS)
            return snprintf(err, size, "--pairs: more than %d pairs", EVAL_MAX_PAIRS), -1;
        e->listed++;
        long a = find_word(e->C, p, colon), b = find_word(e->C, p + colon + 1, len - colon - 1);
        if (a >= 0 && b >= 0 && a != b) {
            e->pair[e->npairs][0] = (size_t)a;
            e->pair[e->npairs++][1] = (size_t)b;
        }
        p += len + (p[len] == ',');
    }
    return 0;
}

int w2v_eval_init(w2v_eval *e, const corpus *C, size_t from_line, const w2v_config *cfg,
                  const char *pairs, char *err, size_t size)
{
    memset(e, 0, sizeof *e);
    e->C = C, e->from_line = from_line, e->cfg = *cfg;
    if (read_pairs(e, pairs, err, size) != 0)
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

/* cos(Vc[a], Vc[b]). */
static double cosine(const w2v_model *m, size_t a, size_t b)
{
    const double *x = m->Vc + a * m->d, *y = m->Vc + b * m->d;
    double nx = sqrt(dot(x, x, m->d)), ny = sqrt(dot(y, y, m->d));
    return nx > 0 && ny > 0 ? dot(x, y, m->d) / (nx * ny) : 0.0;
}

/* 1 when b is among a's EVAL_TOP nearest words: fewer than EVAL_TOP others are nearer. */
static int in_top(const w2v_model *m, size_t a, size_t b)
{
    double ab = cosine(m, a, b);
    size_t nearer = 0;
    for (size_t w = 0; w < m->V && nearer < EVAL_TOP; w++)
        nearer += w != a && w != b && cosine(m, a, w) > ab;
    return nearer < EVAL_TOP;
}

size_t w2v_eval_pairs(const w2v_eval *e, const w2v_model *m)
{
    size_t hits = 0;
    for (size_t i = 0; i < e->npairs; i++)
        hits += in_top(m, e->pair[i][0], e->pair[i][1]) && in_top(m, e->pair[i][1], e->pair[i][0]);
    return hits;
}
