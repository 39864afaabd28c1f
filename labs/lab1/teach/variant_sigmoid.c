/* variant_sigmoid.c — lab 1's checks with sigmoid(x) written 1 / (1 + exp(x)),
 * which is sigma(-x): a wrong helper under a right sigmoid_grad. */
#include <math.h>

#include "gradlab.h"
#include "variants.h"

static double sigmoid_flipped(double x) { return 1.0 / (1.0 + exp(x)); }

#define sigmoid sigmoid_flipped
#define lab1_checks lab1_checks_sigmoid_flipped
#define lab1_setup_weighted lab1_setup_weighted_sigmoid_flipped
#define lab1_every_entry lab1_every_entry_sigmoid_flipped
#define lab1_sigmoid_wrong lab1_sigmoid_wrong_sigmoid_flipped
#define lab1_relu_convention lab1_relu_convention_sigmoid_flipped
#include "../checks.c"
