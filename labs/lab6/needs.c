/* labs/lab6/needs.c — see needs.h. Two positions of width 1 (dk = dv = dm = 1). */
#include "needs.h"

#include "attention.h"
#include "layernorm.h"

static const ln_dims LD = { 1, 2, 1e-5 };
static const attn_dims AD = { 2, 1, 1, 1 };

void need_layernorm_forward(void)
{
    double y[2];
    layernorm_forward(LD, (double[]){ 1, 2 }, (double[]){ 1, 1 }, (double[]){ 0, 0 }, y, NULL,
                      NULL);
}

void need_layernorm_backward(void)
{
    double gx[2] = { 0 }, gg[2] = { 0 }, gb[2] = { 0 };
    layernorm_backward(LD, (double[]){ 1, 2 }, (double[]){ 1, 1 }, (double[]){ 1, -1 }, gx, gg, gb);
}

void need_attention_forward(void)
{
    double A[4], O[2];
    attention_forward(AD, (double[]){ 1, 2 }, (double[]){ 1, -1 }, (double[]){ 3, 4 }, A, O);
}

void need_attention_backward(void)
{
    double A[4] = { 0.5, 0.5, 0.5, 0.5 }, gq[2] = { 0 }, gk[2] = { 0 }, gv[2] = { 0 };
    attention_backward(AD, (double[]){ 1, 2 }, (double[]){ 1, -1 }, (double[]){ 3, 4 }, A,
                       (double[]){ 1, 1 }, gq, gk, gv);
}

void need_attention_layer_forward(void)
{
    double cache[10], O[2];
    attention_layer_forward(AD, (double[]){ 1, 1, 1 }, (double[]){ 1, 2 }, cache, O);
}

void need_attention_layer_backward(void)
{
    double cache[10] = { 1, 2, 1, 2, 1, 2, 0.5, 0.5, 0.5, 0.5 }, gw[3] = { 0 }, gx[2] = { 0 };
    attention_layer_backward(AD, (double[]){ 1, 1, 1 }, (double[]){ 1, 2 }, cache,
                             (double[]){ 1, 1 }, gw, gx);
}
