/* jvp_vjp.c — a program's own forward-mode (J v) and reverse-mode (u^T J)
 * products, checked through the installed libgradcheck. The map R^4 -> R^3,
 *   y_i = tanh(sum_j A_ij x_j) (i < 3),
 * has J = diag(1 - y^2) A. Right, both products PASS their checks (against
 * finite differences, their contract, and <u, J v> = <J^T u, v>). Two slips:
 * the vjp that forgets the tanh' factor of row 1 must FAIL its VJP check
 * naming row 1, and a jvp that adds into its buffer (+= where = belongs) must
 * FAIL its contract. Exit 0 when the library said all of it. C and C++.
 * --bench N: the right products' two checks timed. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gradcheck.h>

#include "bench.h"

enum { N = 4, M = 3 };

typedef struct {
    double A[M][N];
    int slip_vjp, slip_jvp;
} tanh_layer;

static void forward(const tanh_layer *c, const double *x, double *y)
{
    for (int i = 0; i < M; i++) {
        double s = 0;
        for (int j = 0; j < N; j++)
            s += c->A[i][j] * x[j];
        y[i] = tanh(s);
    }
}

static void f(void *ctx, const double *x, double *y)
{
    forward((const tanh_layer *)ctx, x, y);
}

/* J v = diag(1 - y^2) A v, written into Jv. */
static int jvp(void *ctx, const double *x, const double *v, double *Jv)
{
    const tanh_layer *c = (const tanh_layer *)ctx;
    double y[M];
    forward(c, x, y);
    for (int i = 0; i < M; i++) {
        double s = 0;
        for (int j = 0; j < N; j++)
            s += c->A[i][j] * v[j];
        if (c->slip_jvp)
            Jv[i] += (1 - y[i] * y[i]) * s;          /* the slip: += into the caller's buffer */
        else
            Jv[i] = (1 - y[i] * y[i]) * s;
    }
    return 0;
}

/* u^T J = A^T diag(1 - y^2) u, added into uJ. */
static int vjp(void *ctx, const double *x, const double *u, double *uJ)
{
    const tanh_layer *c = (const tanh_layer *)ctx;
    double y[M];
    forward(c, x, y);
    for (int i = 0; i < M; i++) {
        double g = (c->slip_vjp && i == 1 ? 1.0 : 1 - y[i] * y[i]) * u[i];
        for (int j = 0; j < N; j++)
            uJ[j] += c->A[i][j] * g;
    }
    return 0;
}

int main(int argc, char **argv)
{
    tanh_layer c;
    memset(&c, 0, sizeof c);
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++)
            c.A[i][j] = 0.5 * sin(1.0 + 3 * i + j);
    double x[N] = { 0.3, -0.8, 1.1, 0.25 };
    gc_map m;
    memset(&m, 0, sizeof m);
    m.map = f, m.jvp = jvp, m.vjp = vjp, m.ctx = &c, m.m = N, m.m_out = M, m.x = x;
    m.in[0].name = "x", m.in[0].rows = N, m.nin = 1;
    m.out[0].name = "y", m.out[0].rows = M, m.nout = 1;
    int runs = bench_runs(argc, argv);
    if (runs) {
        gc_problem jv = bench_map(&m, GC_JVP), vj = bench_map(&m, GC_VJP);
        return bench("jvp_tanh", &jv, GC_CENTRAL, runs) | bench("vjp_tanh", &vj, GC_CENTRAL, runs);
    }
    gc_options o = gc_default_options();
    gc_report r;
    gc_check chk = { "tanh_layer", 0, "y = tanh(A x), A 3 x 4: the program's jvp and vjp", NULL,
                     NULL, 0 };
    gc_status jvp_right = gc_check_jvp(&m, &o, &r);
    gc_print_report(stdout, GC_TEXT, 1, 1, NULL, &chk, &r);
    gc_status vjp_right = gc_check_vjp(&m, &o, &r);
    gc_print_report(stdout, GC_TEXT, 1, 2, NULL, &chk, &r);
    c.slip_vjp = 1;
    gc_status vjp_slip = gc_check_vjp(&m, &o, &r);
    gc_print_report(stdout, GC_TEXT, 1, 3, NULL, &chk, &r);
    int row1 = strncmp(r.where, "dy/dx[1]", 8) == 0 && r.blocks[0].wrong == N;
    c.slip_vjp = 0, c.slip_jvp = 1;
    gc_status jvp_slip = gc_check_jvp(&m, &o, &r);
    gc_print_report(stdout, GC_TEXT, 1, 4, NULL, &chk, &r);
    int contract = strstr(r.diagnosis, "added into it") != NULL;
    int ok = jvp_right == GC_PASS && vjp_right == GC_PASS && vjp_slip == GC_FAIL && row1 &&
             jvp_slip == GC_FAIL && contract;
    printf("outside: jvp_vjp: %s\n", ok ? "both products pass; the vjp slip names row 1, the jvp "
                                          "that adds fails its contract" : "NOT AS EXPECTED");
    return ok ? 0 : 1;
}
