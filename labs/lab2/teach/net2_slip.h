/* net2_slip.h — net2_loss_and_grad with phi' left out (net2_slip.c), and
 * with sigma's h (1 - h) whatever the activation (net2_slip_rule.c), and with
 * relu_grad(0) = 1 (net2_slip_relu.c). */
#ifndef GRADLAB_NET2_SLIP_H
#define GRADLAB_NET2_SLIP_H

#include "gradcheck.h"
#include "net2.h"

double net2_loss_without_sigma_prime(net2_dims dims, const double *params, const double *X,
                                     const size_t *labels, size_t n, double *grad_params,
                                     double *grad_X);

double net2_loss_with_sigma_rule(net2_dims dims, const double *params, const double *X,
                                 const size_t *labels, size_t n, double *grad_params,
                                 double *grad_X);

double net2_loss_relu_grad_one(net2_dims dims, const double *params, const double *X,
                               const size_t *labels, size_t n, double *grad_params,
                               double *grad_X);

/* Lab 2's checks with relu_grad(0) = 1 (variant_relu.c). */
const gc_check *lab2_relu_grad_one_checks(void);

#endif
