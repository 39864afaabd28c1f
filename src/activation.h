/* activation.h — the hidden units' nonlinearity of the 2-layer net (lab 2).
 *
 *   name     h = phi(z)             phi'(z), written through h     outputs
 *   sigmoid  1 / (1 + exp(-z))      h (1 - h)                      (0, 1): all positive
 *   tanh     tanh(z)                1 - h^2                        (-1, 1): zero-centred
 *   relu     max(0, z)              1 if h > 0, else 0             [0, inf): never negative
 *
 * Every derivative is written through the output h, which backprop has at
 * hand (net2 keeps h, not z). tanh(z) = 2 sigma(2z) - 1, so tanh and sigmoid
 * saturate alike: phi' goes to 0 for large |z|. Handout:
 * handouts/09-activations.md */
#ifndef GRADLAB_ACTIVATION_H
#define GRADLAB_ACTIVATION_H

/* ACT_SIGMOID is 0, so a net2_dims written without one uses the sigmoid. */
typedef enum { ACT_SIGMOID = 0, ACT_TANH, ACT_RELU, ACT_COUNT } activation;

/* tanh_grad: tanh'(z) written through t = tanh(z): returns 1 - t^2. */
double tanh_grad(double t);

/* activation_apply: phi(z) for the activation a (a < ACT_COUNT). */
double activation_apply(activation a, double z);

/* activation_grad: phi'(z) given h = phi(z): sigmoid_grad(h), tanh_grad(h)
 * or relu_grad(h) (relu'(0) taken as 0). */
double activation_grad(activation a, double h);

/* activation_name: "sigmoid", "tanh" or "relu". */
const char *activation_name(activation a);

/* activation_parse: sets *a from its name and returns 0; -1 (and *a
 * unchanged) for any other name. */
int activation_parse(const char *name, activation *a);

#endif
