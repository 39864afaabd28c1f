/* nonsquare_map.c — a map R^3 -> R^2 of a program from outside the course,
 * checked through the installed libgradcheck (pkg-config gradcheck):
 *   y0 = x0 x1 + sin(x2),  y1 = exp(x0) - x1 x2
 * Its Jacobian must PASS; with dy1/dx2 written as +x1 (the slip) it must FAIL
 * naming dy/dx[1][2]; and a log|det J| given for a map that is not square
 * must be GC_ERROR, not a crash and not a PASS. Exit 0 when the library said
 * all three. Compiles as C and as C++. --bench N: the right map's check timed. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gradcheck.h>

#include "bench.h"

typedef struct { int slip; } map_ctx;

static void f(void *ctx, const double *x, double *y)
{
    (void)ctx;
    y[0] = x[0] * x[1] + sin(x[2]);
    y[1] = exp(x[0]) - x[1] * x[2];
}

static int jacobian(void *ctx, const double *x, double *J)    /* 2 x 3 */
{
    const map_ctx *c = (const map_ctx *)ctx;
    J[0] = x[1], J[1] = x[0], J[2] = cos(x[2]);
    J[3] = exp(x[0]), J[4] = -x[2], J[5] = c->slip ? x[1] : -x[1];
    return 0;
}

static int log_det(void *ctx, const double *x, double *ld)
{
    (void)ctx, (void)x;
    *ld = 0;
    return 0;
}

int main(int argc, char **argv)
{
    double x[3] = { 0.4, -1.3, 0.9 };
    map_ctx c = { 0 };
    gc_map m;
    memset(&m, 0, sizeof m);
    m.map = f, m.jacobian = jacobian, m.ctx = &c, m.m = 3, m.m_out = 2, m.x = x;
    m.in[0].name = "x", m.in[0].rows = 3, m.nin = 1;
    m.out[0].name = "y", m.out[0].rows = 2, m.nout = 1;
    int runs = bench_runs(argc, argv);
    if (runs) {
        gc_problem q = bench_map(&m, GC_JACOBIAN);
        return bench("jacobian_3to2", &q, GC_CENTRAL, runs);
    }
    gc_options o = gc_default_options();
    gc_report r;
    gc_check chk = { "nonsquare_map", 0, "R^3 -> R^2: y0 = x0 x1 + sin x2, y1 = exp x0 - x1 x2",
                     NULL, NULL, 0 };
    gc_status right = gc_check_map(&m, &o, &r);
    gc_print_report(stdout, GC_TEXT, 1, 1, NULL, &chk, &r);
    c.slip = 1;
    gc_status slipped = gc_check_map(&m, &o, &r);
    gc_print_report(stdout, GC_TEXT, 1, 2, NULL, &chk, &r);
    int named = strcmp(r.where, "dy/dx[1][2]") == 0;
    m.log_abs_det = log_det;
    gc_status refused = gc_check_map(&m, &o, &r);
    printf("log|det J| of a 2 x 3 map: %s: %s\n", gc_status_name(refused), r.note);
    int ok = right == GC_PASS && slipped == GC_FAIL && named && refused == GC_ERROR;
    printf("outside: nonsquare_map: %s\n", ok ? "right passes, the slip is named, log|det| refused"
                                             : "NOT AS EXPECTED");
    return ok ? 0 : 1;
}
