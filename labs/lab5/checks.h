/* labs/lab5/checks.h — lab 5's checks (gradcheck --lab 5): the coupling
 * layer's Jacobian, its backward pass and a stacked flow's NLL, for the
 * constant-scale layer (flow.h) and the one whose scale depends on u (realnvp.h). */
#ifndef GRADLAB_LAB5_CHECKS_H
#define GRADLAB_LAB5_CHECKS_H

#include <stddef.h>

#include "flow.h"
#include "realnvp.h"
#include "gradcheck.h"

/* The context of every lab 5 check: flow.h's layer, or realnvp.h's (the
 * same dimensions). */
typedef struct {
    flow_dims d;
    size_t Q;                    /* a map check: the layer's parameter count */
    size_t L, N;                 /* the NLL check: layers and points */
    double *P;                   /* N x 2 data points (owned) */
    gc_map map;
} flow_ctx;

/* A map check's layer parameters: they sit just before the point (z, u) in x. */
static inline const double *lab5_layer_params(const flow_ctx *c)
{
    return c->map.x - c->Q;
}

/* The lab's table, ended by an entry whose name is NULL. */
extern const gc_check lab5_checks[];

#endif
