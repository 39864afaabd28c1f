/* logdet.c — log |det A| by LU with partial pivoting (the map check's test
 * of a closed-form log-determinant, and of an inverse's). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"

/* Swaps rows k and piv of the m x m matrix a. */
static void swap_rows(double *a, size_t m, size_t k, size_t piv)
{
    for (size_t j = 0; j < m; j++) {
        double t = a[k * m + j];
        a[k * m + j] = a[piv * m + j];
        a[piv * m + j] = t;
    }
}

double gc_log_abs_det(const double *A, size_t m, int *sign)
{
    int s = 1, ignored;
    if (!sign)
        sign = &ignored;
    *sign = 0;
    if (!A || m == 0 || m > 65536) {
        errno = EINVAL;
        return NAN;
    }
    double *a = malloc(m * m * sizeof *a), logdet = 0.0;
    if (!a) {
        errno = ENOMEM;
        return NAN;
    }
    memcpy(a, A, m * m * sizeof *a);
    for (size_t k = 0; k < m; k++) {
        size_t piv = k;                               /* the largest |a[i][k]|, i >= k */
        for (size_t i = k + 1; i < m; i++)
            if (fabs(a[i * m + k]) > fabs(a[piv * m + k]))
                piv = i;
        if (a[piv * m + k] == 0.0) {
            free(a);
            *sign = 0;
            return -INFINITY;
        }
        if (piv != k) {
            swap_rows(a, m, k, piv);
            s = -s;
        }
        double pivot = a[k * m + k];
        logdet += log(fabs(pivot));
        s = pivot < 0 ? -s : s;
        for (size_t i = k + 1; i < m; i++) {          /* eliminate below the pivot */
            double f = a[i * m + k] / pivot;
            for (size_t j = k + 1; j < m; j++)
                a[i * m + j] -= f * a[k * m + j];
        }
    }
    free(a);
    *sign = s;
    return logdet;
}
