/* layernorm.h — layer normalization (lab 6), forward and backward: each row
 * of X is centred and scaled to unit variance, then given a learned scale
 * and shift per column.
 *
 * Shapes (one example per row):  X, Y   n x d        gamma, beta   d
 *   mu_r   = (1/d) sum_j x_rj                     the row's mean
 *   var_r  = (1/d) sum_j (x_rj - mu_r)^2          its variance (divided by d, not d - 1)
 *   s_r    = 1 / sqrt(var_r + eps)
 *   xhat_rj = (x_rj - mu_r) s_r,    y_rj = gamma_j xhat_rj + beta_j
 * Backward, with G = dJ/dY and h_rj = gamma_j g_rj:
 *   dJ/dgamma_j = sum_r g_rj xhat_rj,     dJ/dbeta_j = sum_r g_rj
 *   dJ/dx_rj    = s_r (h_rj - mean_k h_rk - xhat_rj mean_k h_rk xhat_rk)
 * where - mean h comes through the mean mu_r and - xhat mean(h xhat) through
 * the variance. Each row of dJ/dX sums to 0, since a row shifted by a
 * constant has the same xhat.
 * Handout: handouts/10-layernorm-attention.md
 */
#ifndef GRADLAB_LAYERNORM_H
#define GRADLAB_LAYERNORM_H

#include <stddef.h>

#include "status.h"

/* The sizes, and eps > 0, which keeps s_r finite for a constant row. */
typedef struct { size_t n, d; double eps; } ln_dims;

/* layernorm_forward: writes Y (n x d). When xhat (n x d) and s (n) are not
 * NULL, writes xhat_rj and s_r into them too. Returns GL_OK, or GL_BAD_INPUT
 * (nothing written) when n or d is 0 or eps is not a finite number > 0. */
int layernorm_forward(ln_dims dims, const double *X, const double *gamma, const double *beta,
                      double *Y, double *xhat, double *s);

/* layernorm_backward: given X, gamma and G = dJ/dY (n x d), ADDS dJ/dX into
 * grad_X (n x d) and dJ/dgamma, dJ/dbeta into grad_gamma and grad_beta (d
 * each); a NULL gradient is not computed. It works out mu, var and xhat
 * from X itself (no scratch memory). Returns GL_OK or GL_BAD_INPUT, as
 * layernorm_forward. */
int layernorm_backward(ln_dims dims, const double *X, const double *gamma, const double *G,
                       double *grad_X, double *grad_gamma, double *grad_beta);

#endif
