/* w2v_eval.h — lab 3's per-epoch figures of learning, beside the training
 * loss: the same loss on held-out lines (never trained on) with negatives
 * fixed once, and how many of a listed set of related word pairs are in each
 * other's 10 nearest neighbours.
 *
 * Shapes: m->Vc, m->U  V x d (as w2v_train.h). */
#ifndef GRADLAB_W2V_EVAL_H
#define GRADLAB_W2V_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "gradlab.h"
#include "w2v_train.h"

enum { EVAL_MAX_PAIRS = 64, EVAL_TOP = 10 };

typedef struct {
    const corpus *C;
    size_t from_line;            /* held-out lines: from_line .. C->nlines - 1 */
    w2v_config cfg;
    noise_table noise;           /* negative sampling */
    hs_tree tree;                /* hierarchical softmax */
    size_t pair[EVAL_MAX_PAIRS][2];
    size_t npairs;               /* listed pairs whose two words are in the vocabulary */
    size_t listed;               /* pairs listed */
} w2v_eval;

/* w2v_eval_init: held-out lines from from_line on; pairs "a:b,c:d,..." (may be
 * NULL or empty). Returns 0, or -1 with one line in err (a malformed list,
 * more than EVAL_MAX_PAIRS pairs, out of memory). */
int w2v_eval_init(w2v_eval *e, const corpus *C, size_t from_line, const w2v_config *cfg,
                  const char *pairs, char *err, size_t size);

/* w2v_eval_loss: the mean loss per (centre, outside) pair over the held-out
 * lines, every window at its full width, no subsampling, the negatives drawn
 * from the same seed at every call (so epochs are compared on the same
 * terms); *pairs says how many. NaN (errno ENOMEM) when out of memory, 0
 * pairs: NaN. */
double w2v_eval_loss(const w2v_eval *e, const w2v_model *m, uint64_t *pairs);

/* w2v_eval_pairs: how many listed pairs a:b have b among a's EVAL_TOP nearest
 * words by cosine of the centre vectors, and a among b's. */
size_t w2v_eval_pairs(const w2v_eval *e, const w2v_model *m);

void w2v_eval_free(w2v_eval *e);

/* A word's row, or -1 when it is not there (corpus_find, or a vectors file's). */
typedef long (*w2v_word_lookup)(const void *ctx, const char *word);

/* w2v_parse_pairs: "a:b,c:d,..." (may be NULL or empty) into pair[0..*npairs)
 * as rows found by find; *listed counts every pair listed, those with a word
 * not found included. Returns 0, or -1 with one line in err (not word:word,
 * more than EVAL_MAX_PAIRS pairs). pair has room for EVAL_MAX_PAIRS. */
int w2v_parse_pairs(const char *list, w2v_word_lookup find, const void *ctx,
                    size_t pair[][2], size_t *npairs, size_t *listed, char *err, size_t size);

/* w2v_pairs_found: of the n pairs of rows of vec (V x d), how many have each
 * word among the other's EVAL_TOP nearest by cosine (w2v_eval_pairs on any
 * vectors, a vectors file's included). */
size_t w2v_pairs_found(const double *vec, size_t V, size_t d, const size_t pair[][2], size_t n);

#endif
