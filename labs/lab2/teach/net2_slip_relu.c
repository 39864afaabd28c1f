/* net2_slip_relu.c — net2_loss_and_grad compiled from the reference src/net2.c
 * with relu_grad(0) = 1: activation_grad(ACT_RELU, h) is given h = relu(z),
 * which is 0 for every z <= 0, so every unit passes its gradient back. */
#include "net2_slip.h"

#include "activation.h"

#define activation_grad(a, h) ((a) == ACT_RELU ? ((h) >= 0 ? 1.0 : 0.0) : activation_grad(a, h))
#define net2_param_count net2_relu_one_param_count
#define net2_loss_and_grad net2_loss_relu_grad_one
#define net2_predict net2_relu_one_predict
#include "../../../src/net2.c"
