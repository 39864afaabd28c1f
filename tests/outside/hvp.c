/* hvp.c — a program's Hessian-vector product, checked through the installed
 * libgradcheck, by central differences of the gradient and by the Taylor test
 * of order 3. The loss is a logistic regression's:
 *   f(w) = sum_k log(1 + exp(-y_k a_k . w)) + lambda/2 |w|^2,
 *   grad = -sum_k s_k y_k a_k + lambda w,   s_k = sigma(-y_k a_k . w),
 *   H v  = sum_k s_k (1 - s_k) (a_k . v) a_k + lambda v.
 * Right, both methods PASS (the Taylor remainder of order 3). The slip
 * leaves out the regularizer's lambda v: both must FAIL (Taylor: order 2).
 * Exit 0 when the library said all four. C and C++. --bench N: the right
 * hvp's checks (central, Taylor) timed. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gradcheck.h>

#include "bench.h"

enum { D = 5, K = 7 };

typedef struct {
    double a[K][D], y[K], lambda;
    int slip;
} logistic;

static double margin(const logistic *c, int k, const double *w)
{
    double s = 0;
    for (int j = 0; j < D; j++)
        s += c->a[k][j] * w[j];
    return c->y[k] * s;
}

static double loss(void *ctx, const double *w, double *grad)
{
    const logistic *c = (const logistic *)ctx;
    double f = 0;
    for (int k = 0; k < K; k++) {
        double z = margin(c, k, w), s = 1 / (1 + exp(z));
        f += z > 0 ? log1p(exp(-z)) : -z + log1p(exp(z));
        for (int j = 0; grad && j < D; j++)
            grad[j] -= s * c->y[k] * c->a[k][j];
    }
    for (int j = 0; j < D; j++) {
        f += 0.5 * c->lambda * w[j] * w[j];
        if (grad)
            grad[j] += c->lambda * w[j];
    }
    return f;
}

static int hvp(void *ctx, const double *w, const double *v, double *Hv)
{
    const logistic *c = (const logistic *)ctx;
    for (int k = 0; k < K; k++) {
        double s = 1 / (1 + exp(margin(c, k, w))), av = 0;
        for (int j = 0; j < D; j++)
            av += c->a[k][j] * v[j];
        for (int j = 0; j < D; j++)
            Hv[j] += s * (1 - s) * av * c->a[k][j];
    }
    for (int j = 0; j < D && !c->slip; j++)
        Hv[j] += c->lambda * v[j];
    return 0;
}

static gc_status run(gc_problem *p, gc_method method, int number)
{
    gc_options o = gc_default_options();
    gc_report r;
    o.method = method;
    gc_status s = gc_check_second(p, &o, &r);
    gc_check chk = { "logistic_hvp", 0, "logistic regression, d = 5, 7 points: H v", NULL, NULL,
                     0 };
    gc_print_report(stdout, GC_TEXT, 1, (size_t)number, NULL, &chk, &r);
    return s;
}

int main(int argc, char **argv)
{
    gc_problem p;
    if (gc_problem_alloc(&p, D, sizeof(logistic)) != 0)
        return 3;
    logistic *c = (logistic *)p.ctx;
    for (int k = 0; k < K; k++) {
        for (int j = 0; j < D; j++)
            c->a[k][j] = sin(1.7 * k + 0.9 * j + 0.3);
        c->y[k] = k % 3 ? 1 : -1;
    }
    c->lambda = 0.7;
    for (int j = 0; j < D; j++)
        p.x[j] = 0.4 * cos(2.0 * j);
    p.f = loss;
    p.hvp = hvp;
    p.blocks[0].name = "w", p.blocks[0].rows = D, p.nblocks = 1;
    int runs = bench_runs(argc, argv);
    if (runs) {
        p.kind = GC_SECOND;
        int failed = bench("hvp_central", &p, GC_CENTRAL, runs) |
                     bench("hvp_taylor", &p, GC_TAYLOR, runs);
        gc_problem_free(&p);
        return failed;
    }
    gc_status central = run(&p, GC_CENTRAL, 1), taylor = run(&p, GC_TAYLOR, 2);
    c->slip = 1;
    gc_status central_slip = run(&p, GC_CENTRAL, 3), taylor_slip = run(&p, GC_TAYLOR, 4);
    gc_problem_free(&p);
    int ok = central == GC_PASS && taylor == GC_PASS && central_slip == GC_FAIL &&
             taylor_slip == GC_FAIL;
    printf("outside: hvp: %s\n", ok ? "right passes both ways, the missing lambda v fails both"
                                    : "NOT AS EXPECTED");
    return ok ? 0 : 1;
}
