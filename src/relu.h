/* relu.h — the rectified linear unit (lab 1): a function with a kink.
 *
 * relu(x) = max(0, x); its derivative is 0 for x < 0 and 1 for x > 0 and does
 * not exist at x = 0, where any value in [0, 1] is a subgradient; code must
 * pick one, and gradlab picks 0: the checks relu (lab 1) and net2_relu (lab 2)
 * fail relu_grad(0) = 1 (handout 02). */
#ifndef GRADLAB_RELU_H
#define GRADLAB_RELU_H

/* relu: max(0, x). */
double relu(double x);

/* relu_grad: 1 for x > 0, else 0 (relu_grad(0) = 0, gradlab's convention). */
double relu_grad(double x);

#endif
