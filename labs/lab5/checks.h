/* labs/lab5/checks.h — lab 5's checks (gradcheck --lab 5): the coupling
 * layer's Jacobian, its backward pass and a stacked flow's NLL. */
#ifndef GRADLAB_LAB5_CHECKS_H
#define GRADLAB_LAB5_CHECKS_H

#include <stddef.h>

#include "flow.h"
#include "gradcheck.h"

typedef struct {
    flow_dims d;
    size_t L, N;                 /* the NLL check: layers and points */
    double *P;                   /* N x 2 data points (owned) */
    gc_map map;
} flow_ctx;

/* A map check's layer parameters: they sit just before the point (z, u) in x. */
static inline const double *lab5_layer_params(const flow_ctx *c)
{
    return c->map.x - flow_param_count(c->d);
}

/* The lab's table, ended by an entry whose name is NULL. */
extern const gc_check lab5_checks[];

#endif
