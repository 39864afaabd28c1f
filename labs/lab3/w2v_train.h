/* w2v_train.h — the word2vec training loop of lab 3 (and lab 4): epochs of
 * SGD over a corpus, each window's loss and gradients computed by the
 * checked skipgram_loss_and_grad or cbow_loss_and_grad (skip-gram with
 * hierarchical softmax: hsoftmax_window_loss_and_grad, which computes each
 * distinct node of the window's paths once). With several
 * threads each steps a copy of the vectors of its own and merges what it
 * changed into the shared ones every 50 000 of its tokens (w2v_train.c says
 * why); one thread steps them in place.
 *
 * Shapes:  Vc  V x d  centre vectors (the ones written out)
 *          U   V x d  outside vectors
 */
#ifndef GRADLAB_W2V_TRAIN_H
#define GRADLAB_W2V_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "gradlab.h"
#include "status.h"

typedef enum { MODEL_SKIPGRAM, MODEL_CBOW } w2v_model_kind;

typedef struct {
    w2v_kind loss;
    w2v_model_kind model;
    size_t dim, window, negative, epochs, threads;
    size_t stop_after;       /* stop after this many epochs of the plan (0: run them all) */
    double sample;           /* frequent-word subsampling threshold (0: off) */
    double lr;               /* starting learning rate, decays linearly to lr * 1e-4 */
    uint64_t seed;
    int quiet;               /* no progress lines */
} w2v_config;

typedef struct {
    size_t V, d;
    double *Vc, *U;
} w2v_model;

/* One point of the loss curve: mean loss per (centre, outside) pair over the
 * words since the previous point. */
typedef struct {
    double epoch;            /* fractional epochs done */
    double loss;
} w2v_point;

/* What a run has done: resumable from the end of any epoch. */
typedef struct {
    size_t epochs_done;
    w2v_point *curve;
    size_t npoints, cap;
    double seconds;          /* training wall time of this run */
    uint64_t words;          /* tokens processed in this run (subsampled ones included) */
    uint64_t pairs;          /* (centre, outside) pairs trained in this run */
    uint64_t rows;           /* score rows u . v computed in this run: K + 1 per pair
                              * (negative sampling), V (softmax), the path's length (CBOW
                              * HS), each distinct node of a window's paths once (skip-gram
                              * HS); each costs 6d FLOPs: the dot, and an axpy into each
                              * gradient */
    uint64_t path_rows;      /* the score rows of the same pairs one pair at a time (HS:
                              * the paths' lengths); rows / path_rows is the share computed */
} w2v_progress;

/* w2v_model_init: Vc uniform in [-0.5, 0.5) / d from seed, U zero. 0 or -1. */
int w2v_model_init(w2v_model *m, size_t V, size_t d, uint64_t seed);
void w2v_model_free(w2v_model *m);

/* The end of each epoch: called with the epochs done; a return other than
 * GL_OK stops training with that status (GL_IO: a checkpoint that could not
 * be written). */
typedef int (*w2v_epoch_hook)(void *arg, const w2v_model *m, const w2v_progress *p);

/* w2v_train: runs epochs p->epochs_done .. cfg->epochs - 1 over C (or up to
 * cfg->stop_after); the learning rate decays over all cfg->epochs. Returns
 * GL_OK, GL_DIVERGED when the loss became NaN or infinite (m then holds the
 * broken vectors; the caller keeps its last checkpoint), the hook's status
 * when it fails, or GL_NO_MEMORY. Prints one progress line per tenth of the work
 * unless quiet. */
int w2v_train(const w2v_config *cfg, const corpus *C, w2v_model *m, w2v_progress *p,
              w2v_epoch_hook hook, void *hook_arg);

void w2v_progress_free(w2v_progress *p);

#endif
