/* labs/lab1/probes.c — see probes.h. */
#include "probes.h"

#include "gradlab.h"

void probe_sigmoid(void) { sigmoid(0.5); }
void probe_sigmoid_grad(void) { sigmoid_grad(0.5); }
void probe_log_sigmoid(void) { log_sigmoid(0.5); }
void probe_relu(void) { relu(0.5); }
void probe_relu_grad(void) { relu_grad(0.5); }

void probe_softmax(void)
{
    double x[2] = { 1, 2 }, s[2];
    softmax(x, 2, s);
}

void probe_logsumexp(void) { logsumexp((double[]){ 1, 2 }, 2); }

void probe_cross_entropy(void)
{
    double theta[2] = { 1, 2 }, y[2] = { 0, 1 }, g[2] = { 0 };
    softmax_cross_entropy(theta, y, 2, g);
}
