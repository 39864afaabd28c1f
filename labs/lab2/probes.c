/* labs/lab2/probes.c — see probes.h. Dx = 1, H = 1, Dy = 2: six parameters. */
#include "probes.h"

#include "gradlab.h"

void probe_net2_loss(void)
{
    net2_dims d = { 1, 1, 2 };
    double params[6] = { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 }, x[1] = { 1 }, g[6] = { 0 }, gx[1] = { 0 };
    net2_loss_and_grad(d, params, x, (size_t[]){ 1 }, 1, g, gx);
}

void probe_net2_predict(void)
{
    net2_dims d = { 1, 1, 2 };
    double params[6] = { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 }, x[1] = { 1 }, yhat[2];
    net2_predict(d, params, x, 1, yhat);
}
