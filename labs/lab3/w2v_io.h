/* w2v_io.h — lab 3's files: word vectors in the word2vec text format, the
 * loss curve, and checkpoints. Every file is written whole or not at all
 * (gc_outfile_open, gradcheck.h).
 *
 * Vectors (read by gensim's KeyedVectors.load_word2vec_format and fastText):
 *   V d
 *   word v_1 ... v_d          one line per word, most frequent first
 */
#ifndef GRADLAB_W2V_IO_H
#define GRADLAB_W2V_IO_H

#include <stddef.h>
#include <stdint.h>

#include "gradcheck.h"
#include "w2v_train.h"

/* w2v_write_vectors: rows of M (V x d) under the corpus's words. 0 or -1 (errno). */
int w2v_write_vectors(const char *path, const corpus *C, const double *M, size_t d);

/* Vectors read back: words[i] is row i of vec (V x d). */
typedef struct {
    size_t V, d;
    char **words;
    double *vec;
} w2v_vectors;

/* w2v_read_vectors: 0, or -1 with one line in err quoting the header's own
 * numbers: a missing file, a bad header, fewer or more rows than it
 * promises, a row with fewer or more numbers, a word over CORPUS_MAX_WORD
 * bytes, a number that is not finite (naming the word). */
int w2v_read_vectors(const char *path, w2v_vectors *v, char *err, size_t errlen);
void w2v_vectors_free(w2v_vectors *v);

/* w2v_write_curve: the loss curve, with a header naming the columns. 0 or -1. */
int w2v_write_curve(const char *path, const w2v_progress *p, const char *title);

/* A checkpoint: the model, the epochs done, the curve so far, and what must
 * match to resume (the vocabulary's fingerprint, V, d, the loss, the model). */
typedef struct {
    uint64_t fingerprint;
    w2v_kind loss;
    w2v_model_kind model;
    size_t epochs;           /* the plan the learning rate decays over (informative) */
} w2v_ckpt_key;

int w2v_save_checkpoint(const char *path, const w2v_ckpt_key *key, const w2v_model *m,
                        const w2v_progress *p);

/* w2v_load_checkpoint: fills m and p (freshly allocated) when the file is a
 * checkpoint for the same key and m->V, m->d (set by the caller), and sets
 * key->epochs to the plan it was saved under. 0, or -1 with one line in err. */
int w2v_load_checkpoint(const char *path, w2v_ckpt_key *key, w2v_model *m,
                        w2v_progress *p, char *err, size_t errlen);

#endif
