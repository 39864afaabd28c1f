/* labs/lab3/checks.h — lab 3's checks (gradcheck --lab 3): naive softmax,
 * negative sampling and the skip-gram and CBOW windows. */
#ifndef GRADLAB_LAB3_CHECKS_H
#define GRADLAB_LAB3_CHECKS_H

#include <stddef.h>

#include "gradcheck.h"
#include "negsamp.h"
#include "word2vec.h"

enum { LAB3_MAX_NEG = 64 };

/* x = v_c | U for one pair, or x = Vc | U for a window. */
typedef struct {
    w2v_kind kind;
    size_t V, d, K;
    size_t o;                    /* pair checks: the outside word */
    size_t c, m;                 /* window checks: the centre word and its window */
    size_t words[8];             /* window checks: the outside (or context) words */
    size_t fixed[LAB3_MAX_NEG];       /* negatives given, not sampled (sampled = 0) */
    int sampled;
    rng_t rng, rng_start;        /* draws the negatives; reset to rng_start */
    noise_table noise;
} w2v_ctx;

/* The lab's table, ended by an entry whose name is NULL. */
extern const gc_check lab3_checks[];

#endif
