/* sigmoid.h — the logistic function, its derivative and its log (lab 1).
 *
 * sigma(x) = 1 / (1 + exp(-x)),  sigma'(x) = sigma(x) (1 - sigma(x)),
 * log sigma(x) = -log(1 + exp(-x)). Handout: handouts/02-sigmoid-derivative.md
 */
#ifndef GRADLAB_SIGMOID_H
#define GRADLAB_SIGMOID_H

/* sigmoid: sigma(x), in [0, 1], never NaN for finite x (exp never overflows). */
double sigmoid(double x);

/* sigmoid_grad: sigma'(x) written through s = sigma(x): returns s (1 - s). */
double sigmoid_grad(double s);

/* log_sigmoid: log sigma(x), accurate to a few ulps for every finite x:
 * about x for x << 0 and about -exp(-x) for x >> 0 (never -inf or 0 too early). */
double log_sigmoid(double x);

#endif
