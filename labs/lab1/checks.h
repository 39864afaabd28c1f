/* labs/lab1/checks.h — lab 1's checks (gradcheck --lab 1): sigma, sigma', log sigma,
 * log-sum-exp, softmax, ReLU and the cross-entropy gradient, each a scalar
 * loss built from the lab's functions. The context is public so that tools
 * can build on a check's problem. */
#ifndef GRADLAB_LAB1_CHECKS_H
#define GRADLAB_LAB1_CHECKS_H

#include <stddef.h>

#include "gradcheck.h"

enum { LAB1_N = 12 };

/* Shared context: a weight vector w (to mix coordinates into one scalar) and
 * a target distribution y. */
typedef struct {
    size_t n;
    double w[LAB1_N];
    double y[LAB1_N];
} vec_ctx;

/* lab1_setup_weighted: the set-up of a check f(x) = sum_i w_i g(x_i) (lab 2's
 * tanh' uses it too): n <= LAB1_N points x uniform in [xlo, xhi), then the
 * weights w uniform in [wlo, whi), both from the seed; the block "x" and the
 * loss f. 0, or -1 when out of memory. */
int lab1_setup_weighted(gc_problem *p, uint64_t seed, size_t n, gc_loss_fn f, double xlo,
                        double xhi, double wlo, double whi);

/* lab1_every_entry: does the analytic a[i] equal w_i g(x_i), to 1e-6
 * relative, on every entry the checker checked (num[i] not NaN)? The test
 * behind a diagnosis "the code computes g". */
int lab1_every_entry(const gc_problem *p, const double *a, const double *num,
                     double (*g)(double));

/* lab1_sigmoid_wrong: is the student's sigmoid itself wrong at p's points
 * (those with |x| <= 6)? Read through its inverse, log(s / (1 - s)) = x.
 * 1 with the words naming it in buf, else 0 (buf untouched). */
int lab1_sigmoid_wrong(const gc_problem *p, char *buf, size_t size);

/* lab1_relu_convention: the words for relu_grad(0) returning at_zero where
 * gradlab's convention is 0 (labs 1 and 2 say it alike). */
void lab1_relu_convention(double at_zero, char *buf, size_t size);

/* The lab's table, ended by an entry whose name is NULL. */
extern const gc_check lab1_checks[];

#endif
