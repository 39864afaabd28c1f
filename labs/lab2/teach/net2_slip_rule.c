/* net2_slip_rule.c — the slip of switching net2 to tanh units and keeping
 * sigma's derivative: phi' taken as h (1 - h) whatever the activation. Compiled
 * from the reference src/net2.c, renamed to sit beside the right functions. */
#include "net2_slip.h"

#define activation_grad(a, h) ((void)(a), (h) * (1.0 - (h)))
#define net2_param_count net2_rule_param_count
#define net2_loss_and_grad net2_loss_with_sigma_rule
#define net2_predict net2_rule_predict
#include "../../../src/net2.c"
