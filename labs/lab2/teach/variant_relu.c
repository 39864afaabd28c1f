/* variant_relu.c — lab 2's checks with relu_grad(0) = 1 (relu_grad(x) =
 * [x >= 0]), seen by the net (net2_slip_relu.c) and by the checks' explain
 * hook alike, as in a student's build. */
#include "gradlab.h"
#include "net2_slip.h"

static double relu_grad_one(double x) { return x >= 0 ? 1.0 : 0.0; }

#define relu_grad relu_grad_one
#define net2_loss_and_grad net2_loss_relu_grad_one
#define lab2_checks lab2_checks_relu_grad_one
#include "../checks.c"

const gc_check *lab2_relu_grad_one_checks(void) { return lab2_checks_relu_grad_one; }
