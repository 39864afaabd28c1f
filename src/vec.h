/* vec.h — the two dense-vector loops every word2vec loss is made of.
 * Shapes: a, x, y have d entries. Static inline so the hot loops of the
 * trainers inline them; plain left-to-right sums (no reassociation). */
#ifndef GRADLAB_VEC_H
#define GRADLAB_VEC_H

#include <stddef.h>

/* dot: returns a . b. */
static inline double dot(const double *a, const double *b, size_t d)
{
    double s = 0.0;
    for (size_t i = 0; i < d; i++)
        s += a[i] * b[i];
    return s;
}

/* axpy: y += alpha * x. */
static inline void axpy(double alpha, const double *x, double *y, size_t d)
{
    for (size_t i = 0; i < d; i++)
        y[i] += alpha * x[i];
}

#endif
