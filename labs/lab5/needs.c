/* labs/lab5/needs.c — see needs.h. A coupling layer n = h = 1, H = 2:
 * alpha, beta, W1, b1, W2, b2 (9 numbers); and a RealNVP layer of the same
 * size (realnvp.h). */
#include "needs.h"

#include "gradlab.h"

static const flow_dims FD = { 1, 1, 2 };
static const double FP[9] = { 1.5, -0.8, 0.3, -0.2, 0.1, 0.05, 0.4, -0.3, 0.2 };

void need_flow_check(void) { flow_check(FD, FP); }

void need_flow_forward(void)
{
    double x, v;
    flow_forward(FD, FP, (double[]){ 0.3 }, (double[]){ -0.2 }, &x, &v);
}

void need_flow_inverse(void)
{
    double z, u;
    flow_inverse(FD, FP, (double[]){ 0.3 }, (double[]){ -0.2 }, &z, &u);
}

void need_flow_log_abs_det(void)
{
    double ld;
    flow_log_abs_det(FD, FP, &ld);
}

void need_flow_backward(void)
{
    double g[9] = { 0 }, gz, gu;
    flow_backward(FD, FP, (double[]){ 0.3 }, (double[]){ -0.2 }, (double[]){ 1 }, (double[]){ 1 },
                  g, &gz, &gu);
}

/* A RealNVP layer n = h = 1, H = 2: W1, b1, Ws, bs, Wt, bt (10 numbers). */
static const double RP[10] = { 0.3, -0.2, 0.1, 0.05, 0.4, -0.3, 0.2, 0.1, -0.5, 0.25 };

void need_realnvp_forward(void)
{
    double x, v;
    realnvp_forward(FD, RP, (double[]){ 0.3 }, (double[]){ -0.2 }, &x, &v);
}

void need_realnvp_inverse(void)
{
    double z, u;
    realnvp_inverse(FD, RP, (double[]){ 0.3 }, (double[]){ -0.2 }, &z, &u);
}

void need_realnvp_log_abs_det(void)
{
    double ld;
    realnvp_log_abs_det(FD, RP, (double[]){ -0.2 }, &ld);
}

void need_realnvp_backward(void)
{
    double g[10] = { 0 }, gz = 0, gu = 0;
    realnvp_backward(FD, RP, (double[]){ 0.3 }, (double[]){ -0.2 }, (double[]){ 1 }, (double[]){ 1 },
                     -1.0, g, &gz, &gu);
}
