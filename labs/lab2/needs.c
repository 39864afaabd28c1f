/* labs/lab2/needs.c — see needs.h. The net's needs use H = 0 (two
 * parameters, b2): they reach net2's own code, forward and backward, without
 * calling any hidden activation, so they ask for no more than the net itself. */
#include "needs.h"

#include "gradlab.h"

void need_tanh_grad(void) { tanh_grad(0.5); }

void need_net2_loss(void)
{
    net2_dims d = { 1, 0, 2, ACT_SIGMOID };
    double params[2] = { 0.1, 0.2 }, x[1] = { 1 }, g[2] = { 0 }, gx[1] = { 0 };
    net2_loss_and_grad(d, params, x, (size_t[]){ 1 }, 1, g, gx);
}

void need_net2_predict(void)
{
    net2_dims d = { 1, 0, 2, ACT_SIGMOID };
    double params[2] = { 0.1, 0.2 }, x[1] = { 1 }, yhat[2];
    net2_predict(d, params, x, 1, yhat);
}
