/* spiral.h — the 2-D three-class spiral data set of lab 2, generated from the
 * portable RNG so that a seed gives the same points on every machine.
 * Shapes: X is n x 2 (n = classes * per_class), labels has n entries. */
#ifndef GRADLAB_SPIRAL_H
#define GRADLAB_SPIRAL_H

#include <stddef.h>

#include "rng.h"

/* Class k's arm: radius r = i / per_class, angle t = 4k + 4r + 0.2 N(0, 1),
 * point (r sin t, r cos t). Fills X and labels. */
void spiral_make(rng_t *rng, size_t classes, size_t per_class, double *X, size_t *labels);

#endif
