/* adam.h — Adam, the optimizer the lab trainers share (Kingma and Ba, 2015):
 * per parameter, running means of the gradient and of its square, each
 * corrected for starting at 0, set the step. */
#ifndef GRADLAB_ADAM_H
#define GRADLAB_ADAM_H

#include <stddef.h>

typedef struct {
    double *m, *v;           /* first and second moment estimates, n each (zeroed to start) */
    size_t n, t;             /* parameters, steps taken */
} adam;

/* adam_init: zeroed moments for n parameters. 0, or -1 when out of memory
 * (then *a needs no adam_free, but may be given one). */
int adam_init(adam *a, size_t n);
void adam_free(adam *a);

/* adam_step: one step of size lr (beta1 0.9, beta2 0.999, eps 1e-8) of
 * params against grad, n entries each. */
void adam_step(adam *a, double *params, const double *grad, double lr);

#endif
