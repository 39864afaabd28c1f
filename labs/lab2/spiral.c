/* spiral.c — see spiral.h. */
#include "spiral.h"

#include <math.h>

void spiral_make(rng_t *rng, size_t classes, size_t per_class, double *X, size_t *labels)
{
    for (size_t k = 0; k < classes; k++)
        for (size_t i = 0; i < per_class; i++) {
            size_t row = k * per_class + i;
            double r = (double)i / (double)per_class;
            double t = 4.0 * (double)k + 4.0 * r + 0.2 * rng_normal(rng);
            X[2 * row] = r * sin(t);
            X[2 * row + 1] = r * cos(t);
            labels[row] = k;
        }
}
