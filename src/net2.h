/* net2.h — a 2-layer network, forward and backward (lab 2).
 *
 * Shapes (row-vector convention, one example per row):
 *   X   n x Dx        W1  Dx x H     b1  H        W2  H x Dy     b2  Dy
 *   h    = phi(X W1 + b1)            n x H, phi = dims.act: sigmoid (the default), tanh or relu
 *   yhat = softmax(h W2 + b2)        n x Dy
 *   J    = sum over the n rows of CE(y_r, yhat_r), y_r one-hot at labels[r]
 * Parameters are packed in one vector: W1 | b1 | W2 | b2, H(Dx + Dy + 1) + Dy doubles.
 * Handouts: handouts/04-two-layer-backprop.md, handouts/09-activations.md (phi)
 */
#ifndef GRADLAB_NET2_H
#define GRADLAB_NET2_H

#include <stddef.h>

#include "activation.h"

/* The sizes and the hidden activation; { Dx, H, Dy } alone means the sigmoid. */
typedef struct { size_t dx, h, dy; activation act; } net2_dims;

/* net2_param_count: H(Dx + Dy + 1) + Dy, the length of the packed parameters. */
size_t net2_param_count(net2_dims dims);

/* net2_loss_and_grad: returns J (summed, not averaged, over the n rows).
 * ADDS dJ/dparams (packed like params) into grad_params and dJ/dX (n x Dx)
 * into grad_X when they are not NULL. labels[r] < dims.dy. Returns NaN with
 * errno ENOMEM if scratch memory cannot be allocated (told apart from a
 * diverging loss by errno). */
double net2_loss_and_grad(net2_dims dims, const double *params, const double *X,
                          const size_t *labels, size_t n, double *grad_params, double *grad_X);

/* net2_predict: writes yhat (n x Dy, each row a distribution) for the rows of X.
 * Returns 0, or -1 if scratch memory cannot be allocated. */
int net2_predict(net2_dims dims, const double *params, const double *X, size_t n, double *yhat);

#endif
