/* labs/lab4/checks.h — lab 4's checks (gradcheck --lab 4): hierarchical
 * softmax for a pair and for windows, and the Huffman tree itself. */
#ifndef GRADLAB_LAB4_CHECKS_H
#define GRADLAB_LAB4_CHECKS_H

#include <stddef.h>
#include <stdint.h>

#include "gradcheck.h"
#include "hsoftmax.h"

/* x = v_c | Theta for one pair, Vc | Theta for a window. */
typedef struct {
    size_t V, d;
    hs_tree tree;
    size_t o;                    /* pair checks: the outside word */
    size_t c, m, words[8];       /* window checks: centre word and its window */
    /* hs_probabilities: applied to every tree the check builds, before it is
     * judged (NULL: none), for tools that show what a broken tree gets */
    int (*tree_hook)(hs_tree *t);
    uint64_t seed;               /* hs_probabilities: its set-up seed (the grader's values) */
} hs_ctx;

/* The lab's table, ended by an entry whose name is NULL. */
extern const gc_check lab4_checks[];

#endif
