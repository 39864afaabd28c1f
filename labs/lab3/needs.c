/* labs/lab3/needs.c — see needs.h. V = 3 words, d = 2. */
#include "needs.h"

#include "gradlab.h"

static const double U3[6] = { 0.1, -0.2, 0.3, 0.1, -0.1, 0.2 }, v_c2[2] = { 0.2, -0.1 };

void need_naive_softmax(void)
{
    double gv[2] = { 0 }, gU[6] = { 0 };
    naive_softmax_loss_and_grad(v_c2, 1, U3, 3, 2, gv, gU);
}

void need_neg_sampling(void)
{
    double gv[2] = { 0 }, gU[6] = { 0 };
    neg_sampling_loss_and_grad(v_c2, 1, U3, 2, (size_t[]){ 0, 2 }, 2, gv, gU);
}

static void window(int cbow)
{
    w2v_loss L = { W2V_SOFTMAX, 0, NULL, NULL };
    double Vc[6] = { 0.2, 0.1, -0.3, 0.2, 0.1, 0.1 }, gV[6] = { 0 }, gU[6] = { 0 };
    size_t words[2] = { 0, 2 };
    if (cbow)
        cbow_loss_and_grad(&L, 1, words, 2, Vc, U3, 3, 2, gV, gU);
    else
        skipgram_loss_and_grad(&L, 1, words, 2, Vc, U3, 3, 2, gV, gU);
}

void need_skipgram(void) { window(0); }
void need_cbow(void) { window(1); }
