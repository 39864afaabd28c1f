/* adam.c — see adam.h. */
#include "adam.h"

#include <math.h>
#include <stdlib.h>

int adam_init(adam *a, size_t n)
{
    *a = (adam){ calloc(n, sizeof(double)), calloc(n, sizeof(double)), n, 0 };
    if (a->m && a->v)
        return 0;
    adam_free(a);
    return -1;
}

void adam_free(adam *a)
{
    free(a->m), free(a->v);
    *a = (adam){ 0 };
}

void adam_step(adam *a, double *params, const double *grad, double lr)
{
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    a->t++;
    double c1 = 1 - pow(b1, (double)a->t), c2 = 1 - pow(b2, (double)a->t);
    for (size_t i = 0; i < a->n; i++) {
        a->m[i] = b1 * a->m[i] + (1 - b1) * grad[i];
        a->v[i] = b2 * a->v[i] + (1 - b2) * grad[i] * grad[i];
        params[i] -= lr * (a->m[i] / c1) / (sqrt(a->v[i] / c2) + eps);
    }
}
