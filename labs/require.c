/* require.c — see require.h. Every lab function has a tiny call here that
 * reaches its body (and so its stub, in the student release). A call that
 * crashes or loops is not judged: training, or gradcheck, will say more. */
#define _POSIX_C_SOURCE 200809L
#include "require.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "gradcheck.h"
#include "gradlab.h"

static void try_sigmoid(void) { sigmoid(0.5); }
static void try_sigmoid_grad(void) { sigmoid_grad(0.5); }
static void try_log_sigmoid(void) { log_sigmoid(0.5); }

static void try_softmax(void)
{
    double x[2] = { 1, 2 }, s[2];
    softmax(x, 2, s);
}

static void try_logsumexp(void) { logsumexp((double[]){ 1, 2 }, 2); }

static void try_cross_entropy(void)
{
    double theta[2] = { 1, 2 }, y[2] = { 0, 1 }, g[2] = { 0 };
    softmax_cross_entropy(theta, y, 2, g);
}

static void try_net2_loss(void)
{
    net2_dims d = { 1, 1, 2 };
    double params[6] = { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 }, x[1] = { 1 }, g[6] = { 0 }, gx[1] = { 0 };
    net2_loss_and_grad(d, params, x, (size_t[]){ 1 }, 1, g, gx);
}

static void try_net2_predict(void)
{
    net2_dims d = { 1, 1, 2 };
    double params[6] = { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 }, x[1] = { 1 }, yhat[2];
    net2_predict(d, params, x, 1, yhat);
}

/* word2vec: V = 3 words, d = 2. */
static const double U3[6] = { 0.1, -0.2, 0.3, 0.1, -0.1, 0.2 }, v_c2[2] = { 0.2, -0.1 };

static void try_naive_softmax(void)
{
    double gv[2] = { 0 }, gU[6] = { 0 };
    naive_softmax_loss_and_grad(v_c2, 1, U3, 3, 2, gv, gU);
}

static void try_neg_sampling(void)
{
    double gv[2] = { 0 }, gU[6] = { 0 };
    neg_sampling_loss_and_grad(v_c2, 1, U3, 2, (size_t[]){ 0, 2 }, 2, gv, gU);
}

static void try_hs_tree_build(void)
{
    hs_tree t;
    if (hs_tree_build(&t, (uint64_t[]){ 3, 2, 1 }, 3) == 0)
        hs_tree_free(&t);
}

static void try_hsoftmax(void)
{
    double gv[2] = { 0 }, gT[4] = { 0 };
    hs_path path = { (size_t[]){ 1, 0 }, (uint8_t[]){ 0, 1 }, 2 };
    hsoftmax_loss_and_grad(v_c2, path, U3, 2, gv, gT);
}

static void try_window(int cbow)
{
    w2v_loss L = { W2V_SOFTMAX, 0, NULL, NULL };
    double Vc[6] = { 0.2, 0.1, -0.3, 0.2, 0.1, 0.1 }, gV[6] = { 0 }, gU[6] = { 0 };
    size_t words[2] = { 0, 2 };
    if (cbow)
        cbow_loss_and_grad(&L, 1, words, 2, Vc, U3, 3, 2, gV, gU);
    else
        skipgram_loss_and_grad(&L, 1, words, 2, Vc, U3, 3, 2, gV, gU);
}

static void try_skipgram(void) { try_window(0); }
static void try_cbow(void) { try_window(1); }

/* A coupling layer n = h = 1, H = 2: alpha, beta, W1, b1, W2, b2 (9 numbers). */
static const flow_dims FD = { 1, 1, 2 };
static const double FP[9] = { 1.5, -0.8, 0.3, -0.2, 0.1, 0.05, 0.4, -0.3, 0.2 };

static void try_flow_check(void) { flow_check(FD, FP); }

static void try_flow_forward(void)
{
    double x, v;
    flow_forward(FD, FP, (double[]){ 0.3 }, (double[]){ -0.2 }, &x, &v);
}

static void try_flow_inverse(void)
{
    double z, u;
    flow_inverse(FD, FP, (double[]){ 0.3 }, (double[]){ -0.2 }, &z, &u);
}

static void try_flow_log_abs_det(void)
{
    double ld;
    flow_log_abs_det(FD, FP, &ld);
}

static void try_flow_backward(void)
{
    double g[9] = { 0 }, gz, gu;
    flow_backward(FD, FP, (double[]){ 0.3 }, (double[]){ -0.2 }, (double[]){ 1 }, (double[]){ 1 },
                  g, &gz, &gu);
}

static const struct {
    const char *name;
    void (*call)(void);
} calls[] = {
    { "sigmoid", try_sigmoid },
    { "sigmoid_grad", try_sigmoid_grad },
    { "log_sigmoid", try_log_sigmoid },
    { "softmax", try_softmax },
    { "logsumexp", try_logsumexp },
    { "softmax_cross_entropy", try_cross_entropy },
    { "net2_loss_and_grad", try_net2_loss },
    { "net2_predict", try_net2_predict },
    { "naive_softmax_loss_and_grad", try_naive_softmax },
    { "neg_sampling_loss_and_grad", try_neg_sampling },
    { "hs_tree_build", try_hs_tree_build },
    { "hsoftmax_loss_and_grad", try_hsoftmax },
    { "skipgram_loss_and_grad", try_skipgram },
    { "cbow_loss_and_grad", try_cbow },
    { "flow_check", try_flow_check },
    { "flow_forward", try_flow_forward },
    { "flow_inverse", try_flow_inverse },
    { "flow_log_abs_det", try_flow_log_abs_det },
    { "flow_backward", try_flow_backward },
};

typedef struct {
    void (*call)(void);
} lab_call;

static void run_call(void *arg, int fd)
{
    (void)fd;
    ((const lab_call *)arg)->call();
}

/* Runs call in a child (gradcheck's gc_run_child); returns 1 and the stub's
 * words ("not implemented: FUNCTION (FILE)") in said when it reached a stub. */
static int reaches_stub(void (*call)(void), char *said, size_t size)
{
    lab_call job = { call };
    int status;
    size_t got = gc_run_child(run_call, &job, 5, said, size - 1, &status);
    said[got] = '\0';
    return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == GC_EXIT_NOT_IMPLEMENTED;
}

static void (*call_of(const char *name))(void)
{
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        if (strcmp(calls[i].name, name) == 0)
            return calls[i].call;
    return NULL;
}

void require_functions(const char *prog, int lab, const char *const *names, size_t n)
{
    char missing[1024] = "", said[200];
    for (size_t i = 0; i < n; i++) {
        void (*call)(void) = call_of(names[i]);
        if (!call) {
            fprintf(stderr, "%s: require_functions: no call for '%s'\n", prog, names[i]);
            exit(70);
        }
        if (!reaches_stub(call, said, sizeof said))
            continue;
        const char *what = strncmp(said, "not implemented: ", 17) == 0 ? said + 17 : names[i];
        if (strstr(missing, what))
            continue;
        size_t used = strlen(missing);
        snprintf(missing + used, sizeof missing - used, "%s%s", used ? ", " : "", what);
    }
    if (!missing[0])
        return;
    fprintf(stderr, "%s: cannot start: not implemented yet: %s; write %s first (gradcheck --lab "
            "%d checks them)\n", prog, missing, strchr(missing, ',') ? "them" : "it", lab);
    exit(2);
}
