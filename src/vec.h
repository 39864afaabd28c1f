/* vec.h — the two dense-vector loops every word2vec loss is made of.
 * Shapes: a, b, x, y have d entries. Static inline so the hot loops of the
 * trainers inline them. No -ffast-math: every sum is in the order written. */
#ifndef GRADLAB_VEC_H
#define GRADLAB_VEC_H

#include <stddef.h>

/* dot: returns a . b, summed in four interleaved partial sums
 * (s0 + s1) + (s2 + s3): four independent add chains instead of one, so
 * the loop runs at the speed of the loads rather than of the adds. The
 * order is fixed in the source, so the result is the same on every machine. */
static inline double dot(const double *a, const double *b, size_t d)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t i = 0;
    for (; i + 4 <= d; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < d; i++)
        s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

/* axpy: y += alpha * x. */
static inline void axpy(double alpha, const double *x, double *y, size_t d)
{
    for (size_t i = 0; i < d; i++)
        y[i] += alpha * x[i];
}

#endif
