/* labs/lab6/checks.h — lab 6's checks (gradcheck --lab 6): layer
 * normalization, scaled dot-product attention, the attention layer with its
 * projections, and the whole model the lab trains. Each is a scalar loss
 * J = sum w .* output, with fixed random weights w, so that its gradient is
 * the lab's backward pass given G = w. */
#ifndef GRADLAB_LAB6_CHECKS_H
#define GRADLAB_LAB6_CHECKS_H

#include <stddef.h>

#include "attention.h"
#include "gradcheck.h"
#include "layernorm.h"
#include "model.h"

/* The context of every lab-6 check: its sizes, and the weights w of J (one
 * per output entry) after it; the model check's tokens and targets instead. */
typedef struct {
    ln_dims ln;                  /* layernorm checks: x = X | gamma | beta */
    attn_dims at;                /* attention: x = Q | K | V; the layer: x = W | X */
    model_dims model;            /* the model: x = its parameters */
    size_t B;                    /* the model: sequences */
    size_t *tokens, *targets;    /* the model: B x n each, in w's place */
    double w[];
} lab6_ctx;

/* The lab's table, ended by an entry whose name is NULL. */
extern const gc_check lab6_checks[];

#endif
