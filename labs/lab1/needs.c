/* labs/lab1/needs.c — see needs.h. */
#include "needs.h"

#include "gradlab.h"

void need_sigmoid(void) { sigmoid(0.5); }
void need_sigmoid_grad(void) { sigmoid_grad(0.5); }
void need_log_sigmoid(void) { log_sigmoid(0.5); }
void need_relu(void) { relu(0.5); }
void need_relu_grad(void) { relu_grad(0.5); }

void need_softmax(void)
{
    double x[2] = { 1, 2 }, s[2];
    softmax(x, 2, s);
}

void need_logsumexp(void) { logsumexp((double[]){ 1, 2 }, 2); }

void need_cross_entropy(void)
{
    double theta[2] = { 1, 2 }, y[2] = { 0, 1 }, g[2] = { 0 };
    softmax_cross_entropy(theta, y, 2, g);
}
