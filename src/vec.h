/* vec.h — the dense-vector loops every word2vec loss is made of.
 * Shapes: a, b, x, y have d entries. Static inline so the hot loops of the
 * trainers inline them. No -ffast-math: every sum is in the order written. */
#ifndef GRADLAB_VEC_H
#define GRADLAB_VEC_H

#include <stddef.h>
#include <string.h>

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

/* axpy2: y += alpha * x and v += alpha * u in one pass, each entry's sum
 * the same as two axpys make: the two gradient updates of a score row
 * (x = theta or u_w into y = dJ/dv_c; u = v_c into v = its gradient row).
 * y and v share no entry with each other or with x and u. */
static inline void axpy2(double alpha, const double *restrict x, double *restrict y,
                         const double *restrict u, double *restrict v, size_t d)
{
    for (size_t i = 0; i < d; i++) {
        y[i] += alpha * x[i];
        v[i] += alpha * u[i];
    }
}

/* dot4: s[r] = a_r . b for the four rows a_0 .. a_3, each summed exactly as
 * dot sums it (the same numbers), in one pass over b: four independent
 * chains of adds instead of one, and each load of b used four times. With
 * GCC or Clang a row's four partial sums are one vector (lane k is dot's
 * s_k; the compilers' own vectorizer shuffles this loop badly); elsewhere
 * it is four dots. */
#if defined(__GNUC__)
typedef double vec_lanes4 __attribute__((vector_size(4 * sizeof(double))));

static inline void dot4(const double *a0, const double *a1, const double *a2, const double *a3,
                        const double *b, size_t d, double s[4])
{
    vec_lanes4 p0 = { 0 }, p1 = { 0 }, p2 = { 0 }, p3 = { 0 }, v, x0, x1, x2, x3;
    size_t i = 0;
    for (; i + 4 <= d; i += 4) {
        memcpy(&v, b + i, sizeof v);                /* unaligned loads of 4 doubles */
        memcpy(&x0, a0 + i, sizeof v);
        memcpy(&x1, a1 + i, sizeof v);
        memcpy(&x2, a2 + i, sizeof v);
        memcpy(&x3, a3 + i, sizeof v);
        p0 += x0 * v;
        p1 += x1 * v;
        p2 += x2 * v;
        p3 += x3 * v;
    }
    for (; i < d; i++) {
        p0[0] += a0[i] * b[i];
        p1[0] += a1[i] * b[i];
        p2[0] += a2[i] * b[i];
        p3[0] += a3[i] * b[i];
    }
    s[0] = (p0[0] + p0[1]) + (p0[2] + p0[3]);
    s[1] = (p1[0] + p1[1]) + (p1[2] + p1[3]);
    s[2] = (p2[0] + p2[1]) + (p2[2] + p2[3]);
    s[3] = (p3[0] + p3[1]) + (p3[2] + p3[3]);
}
#else
static inline void dot4(const double *a0, const double *a1, const double *a2, const double *a3,
                        const double *b, size_t d, double s[4])
{
    s[0] = dot(a0, b, d), s[1] = dot(a1, b, d), s[2] = dot(a2, b, d), s[3] = dot(a3, b, d);
}
#endif

/* axpy4: four score rows' gradient updates in one pass, each entry's sums
 * the same as eight axpys make:
 *   y += alpha_0 x_0, then += alpha_1 x_1, += alpha_2 x_2, += alpha_3 x_3
 *   z_r += alpha_r u                              for r = 0 .. 3
 * (x_r = theta or u_w, y = dJ/dv_c, u = v_c, z_r the rows' gradients). The
 * z_r and y share no entry with each other or with the x_r and u. */
static inline void axpy4(const double alpha[4], const double *restrict x0,
                         const double *restrict x1, const double *restrict x2,
                         const double *restrict x3, double *restrict y, const double *restrict u,
                         double *restrict z0, double *restrict z1, double *restrict z2,
                         double *restrict z3, size_t d)
{
    double a0 = alpha[0], a1 = alpha[1], a2 = alpha[2], a3 = alpha[3];
    for (size_t i = 0; i < d; i++) {
        y[i] = (((y[i] + a0 * x0[i]) + a1 * x1[i]) + a2 * x2[i]) + a3 * x3[i];
        z0[i] += a0 * u[i];
        z1[i] += a1 * u[i];
        z2[i] += a2 * u[i];
        z3[i] += a3 * u[i];
    }
}

#endif
