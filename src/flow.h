/* flow.h — an affine coupling layer (lab 5), the building block of a
 * normalizing flow, and a stack of them as a density on the plane.
 *
 * Shapes (one point):  z  n      u  h         the input, split in two
 *                      x  n      v  h         the output
 *   F(u) = W2 tanh(W1 u + b1) + b2           a small network, H hidden units
 *   x = alpha * z + F(u),   v = beta * u     (* element-wise)
 * Parameters, packed: alpha (n) | beta (h) | W1 (H x h) | b1 (H) | W2 (n x H) | b2 (n).
 *
 * The Jacobian of (x, v) with respect to (z, u) is block upper-triangular,
 *   [ diag(alpha)   dF/du       ]      dF/du = W2 diag(1 - t^2) W1,  t = tanh(W1 u + b1)
 *   [ 0             diag(beta)  ]
 * so log |det J| = sum log|alpha_i| + sum log|beta_j|, whatever z and u are.
 * A zero or non-finite alpha or beta makes the layer singular: every function
 * below refuses it (GL_SINGULAR) rather than return an Inf.
 * Handout: handouts/08-flow-jacobian.md
 */
#ifndef GRADLAB_FLOW_H
#define GRADLAB_FLOW_H

#include <stddef.h>

#include "status.h"

typedef struct { size_t n, h, H; } flow_dims;

enum { FLOW_MAX_HIDDEN = 256 };          /* H: the hidden layer lives on the stack */

/* flow_param_count: n + h + H h + H + n H + n. */
size_t flow_param_count(flow_dims d);

/* flow_check: GL_OK; GL_SINGULAR when an alpha or beta is zero or not
 * finite; GL_BAD_INPUT when n, h or H is 0 or H > FLOW_MAX_HIDDEN. */
int flow_check(flow_dims d, const double *params);

/* flow_forward: (z, u) -> (x, v). Every function returning int returns
 * flow_check's verdict and, when it is not GL_OK, writes nothing. */
int flow_forward(flow_dims d, const double *params, const double *z, const double *u,
                 double *x, double *v);

/* flow_inverse: (x, v) -> (z, u): u = v / beta, z = (x - F(u)) / alpha. */
int flow_inverse(flow_dims d, const double *params, const double *x, const double *v,
                 double *z, double *u);

/* flow_jacobian: J ((n + h) x (n + h), row-major): rows x then v, columns
 * z then u; J[i][j] = d out_i / d in_j. */
int flow_jacobian(flow_dims d, const double *params, const double *z, const double *u,
                  double *J);

/* flow_log_abs_det: *logdet = sum log|alpha_i| + sum log|beta_j|. */
int flow_log_abs_det(flow_dims d, const double *params, double *logdet);

/* flow_backward: given gx = dL/dx (n) and gv = dL/dv (h) at the point (z, u),
 * ADDS dL/dparams into grad_params (packed like params; may be NULL) and
 * WRITES dL/dz into gz (n) and dL/du into gu (h). The log-det term is not
 * included (flow_nll adds it). */
void flow_backward(flow_dims d, const double *params, const double *z, const double *u,
                   const double *gx, const double *gv, double *grad_params, double *gz,
                   double *gu);

/* A density on the plane: L layers with n = h = 1 (dims.n = dims.h = 1),
 * layer l transforming coordinate l % 2 given the other, then a standard
 * normal base:  -log p(p) = |y|^2 / 2 + log(2 pi) - sum_l log|det J_l|,
 * y the point after the L layers. params: L packed layers, one after another.
 * flow_nll: returns the NLL summed over the N points of P (N x 2) and ADDS its
 * gradient into grad_params (may be NULL); NaN when a layer is singular, or
 * NaN with errno ENOMEM when scratch memory runs out. */
double flow_nll(flow_dims d, size_t L, const double *params, const double *P, size_t N,
                double *grad_params);

/* flow_sample: maps N base points B (N x 2) back through the layers (the
 * inverses, last layer first) into S (N x 2). GL_OK or GL_SINGULAR. */
int flow_sample(flow_dims d, size_t L, const double *params, const double *B, size_t N,
                double *S);

#endif
