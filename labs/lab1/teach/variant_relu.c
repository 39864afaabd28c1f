/* variant_relu.c — lab 1's checks with relu_grad(x) = [x >= 0]: relu_grad(0)
 * returns 1, a subgradient, but not gradlab's convention 0. */
#include "gradlab.h"
#include "variants.h"

static double relu_grad_one(double x) { return x >= 0 ? 1.0 : 0.0; }

#define relu_grad relu_grad_one
#define lab1_checks lab1_checks_relu_grad_one
#define lab1_setup_weighted lab1_setup_weighted_relu_grad_one
#define lab1_every_entry lab1_every_entry_relu_grad_one
#define lab1_sigmoid_wrong lab1_sigmoid_wrong_relu_grad_one
#define lab1_relu_convention lab1_relu_convention_relu_grad_one
#include "../checks.c"
