/* activation.c — tanh' = 1 - tanh^2, and the choice among sigmoid, tanh and
 * ReLU for net2's hidden units. Handout: handouts/09-activations.md */
#include "activation.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "relu.h"
#include "sigmoid.h"

static const char *const names[ACT_COUNT] = { "sigmoid", "tanh", "relu" };

double tanh_grad(double t)
{
    /* BEGIN SOLUTION */
    return 1.0 - t * t;
    /* END SOLUTION */
}

double activation_apply(activation a, double z)
{
    assert(a < ACT_COUNT);
    if (a == ACT_TANH)
        return tanh(z);
    if (a == ACT_RELU)
        return relu(z);
    return sigmoid(z);
}

double activation_grad(activation a, double h)
{
    assert(a < ACT_COUNT);
    if (a == ACT_TANH)
        return tanh_grad(h);
    if (a == ACT_RELU)
        return relu_grad(h);    /* h = max(0, z) > 0 exactly when z > 0 */
    return sigmoid_grad(h);
}

const char *activation_name(activation a)
{
    assert(a < ACT_COUNT);
    return names[a];
}

int activation_parse(const char *name, activation *a)
{
    for (int i = 0; i < ACT_COUNT; i++)
        if (strcmp(name, names[i]) == 0)
            return *a = (activation)i, 0;
    return -1;
}
