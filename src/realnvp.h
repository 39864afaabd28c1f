/* realnvp.h — a coupling layer whose scale depends on the data (lab 5, beyond
 * the notes): the affine coupling of RealNVP (Dinh, Sohl-Dickstein and Bengio,
 * 2017), and a stack of them as a density on the plane.
 *
 * Shapes (one point):  z  n      u  h          the input: z moves, u conditions
 *                      x  n      v  h          the output
 *   r = tanh(W1 u + b1)          H             a hidden layer s and t share
 *   s(u) = Ws r + bs,  t(u) = Wt r + bt   n    the log-scale and the shift
 *   x = z * exp(s(u)) + t(u),   v = u          (* element-wise)
 * Parameters, packed: W1 (H x h) | b1 (H) | Ws (n x H) | bs (n) | Wt (n x H) | bt (n).
 *
 * The Jacobian of (x, v) with respect to (z, u) is block upper-triangular,
 *   [ diag(exp s)   diag(z * exp s) ds/du + dt/du ]    ds/du = Ws diag(1 - r^2) W1
 *   [ 0             I                             ]    dt/du = Wt diag(1 - r^2) W1
 * so log |det J| = sum_i s_i(u): it depends on the point, unlike flow.h's
 * constant alpha. exp(s) is never negative, so no abs is needed; a scale that
 * over- or underflows (exp(s) = Inf or 0) or a non-finite s makes the layer
 * singular at that point, and the functions below refuse it (GL_SINGULAR,
 * nothing written) rather than return an Inf.
 * Handout: handouts/08-flow-jacobian.md, "A scale that depends on the data".
 */
#ifndef GRADLAB_REALNVP_H
#define GRADLAB_REALNVP_H

#include <stddef.h>

#include "flow.h"
#include "status.h"

/* n, h and H as in flow.h (the same split of the point). */
typedef flow_dims realnvp_dims;

enum { REALNVP_MAX = 256 };              /* n and H: s, t and r live on the stack */

/* realnvp_param_count: H h + H + 2 n H + 2 n. */
size_t realnvp_param_count(realnvp_dims d);

/* realnvp_check: GL_OK; GL_BAD_INPUT when n, h or H is 0, or n or H >
 * REALNVP_MAX; GL_SINGULAR when a parameter is not finite. */
int realnvp_check(realnvp_dims d, const double *params);

/* realnvp_forward: (z, u) -> (x, v). Every function returning int returns
 * realnvp_check's verdict, or GL_SINGULAR when exp(s(u)) is 0, Inf or NaN at
 * this u; when it is not GL_OK it writes nothing. */
int realnvp_forward(realnvp_dims d, const double *params, const double *z, const double *u,
                    double *x, double *v);

/* realnvp_inverse: (x, v) -> (z, u): u = v, z = (x - t(u)) * exp(-s(u)). */
int realnvp_inverse(realnvp_dims d, const double *params, const double *x, const double *v,
                    double *z, double *u);

/* realnvp_jacobian: J ((n + h) x (n + h), row-major): rows x then v, columns
 * z then u; J[i][j] = d out_i / d in_j. */
int realnvp_jacobian(realnvp_dims d, const double *params, const double *z, const double *u,
                     double *J);

/* realnvp_log_abs_det: *logdet = sum_i s_i(u) (it does not depend on z). */
int realnvp_log_abs_det(realnvp_dims d, const double *params, const double *u, double *logdet);

/* realnvp_backward: the gradient of a loss L(x, v, log|det J|) at the point
 * (z, u), given gx = dL/dx (n), gv = dL/dv (h) and gld = dL/d log|det J| (a
 * number: -1 for a negative log-likelihood). ADDS dL/dparams into
 * grad_params (packed like params), dL/dz into gz (n) and dL/du into gu (h);
 * a NULL gradient is not computed. Returns as realnvp_forward (nothing added
 * when it is not GL_OK). */
int realnvp_backward(realnvp_dims d, const double *params, const double *z, const double *u,
                     const double *gx, const double *gv, double gld, double *grad_params,
                     double *gz, double *gu);

/* A density on the plane: L layers with n = h = 1, layer l moving coordinate
 * l % 2 given the other, then a standard normal base:
 *   -log p(p) = |y|^2 / 2 + log(2 pi) - sum_l s_l(u_l),
 * y the point after the L layers, u_l what layer l is conditioned on.
 * params: L packed layers, one after another; P: N x 2 points.
 * realnvp_nll: returns the NLL summed over the N points and ADDS its gradient
 * into grad_params and grad_P (N x 2); either may be NULL. NaN when d is not
 * a 2-D layer or a layer is singular at a point (nothing added then), or NaN
 * with errno ENOMEM when scratch memory runs out (with a gradient asked it
 * keeps every point's states, 2 (L + 1) N numbers; without, one point's). */
double realnvp_nll(realnvp_dims d, size_t L, const double *params, const double *P, size_t N,
                   double *grad_params, double *grad_P);

/* realnvp_sample: maps N base points B (N x 2) back through the layers (the
 * inverses, last layer first) into S (N x 2). GL_OK, GL_BAD_INPUT or
 * GL_SINGULAR (S then partly written). */
int realnvp_sample(realnvp_dims d, size_t L, const double *params, const double *B, size_t N,
                   double *S);

#endif
