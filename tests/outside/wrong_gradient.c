/* wrong_gradient.c — a program from outside the course that links the
 * installed libgradcheck (pkg-config gradcheck) and checks a function of its
 * own whose gradient is wrong in one coordinate:
 *   f(a, b) = sum_i a_i^2 b_i + sin(b_i),  df/da_i = 2 a_i b_i,  df/db_i = a_i^2 + cos(b_i)
 * with df/db[2] written without its cos. It must see FAIL at dJ/db[2], and
 * GC_ERROR (not a crash, not a PASS) for a problem whose blocks do not fit.
 * Exit 0 when the library said both. Compiles as C and as C++. With --bench
 * N, times the check of the right function instead (bench.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gradcheck.h>

#include "bench.h"

enum { N = 4 };

static double f(void *ctx, const double *x, double *grad)
{
    int slip = *(const int *)ctx;
    const double *a = x, *b = x + N;
    double J = 0;
    for (int i = 0; i < N; i++) {
        J += a[i] * a[i] * b[i] + sin(b[i]);
        if (grad) {
            grad[i] += 2 * a[i] * b[i];
            grad[N + i] += a[i] * a[i] + (slip && i == 2 ? 0.0 : cos(b[i]));   /* the slip */
        }
    }
    return J;
}

int main(int argc, char **argv)
{
    gc_problem p;
    if (gc_problem_alloc(&p, 2 * N, sizeof(int)) != 0)
        return 3;
    for (int i = 0; i < 2 * N; i++)
        p.x[i] = 0.3 * (i + 1) - 1.0;
    p.f = f;
    p.blocks[0].name = "a", p.blocks[0].rows = N;
    p.blocks[1].name = "b", p.blocks[1].rows = N;
    p.nblocks = 2;
    int runs = bench_runs(argc, argv);
    if (runs) {
        int failed = bench("gradient", &p, GC_CENTRAL, runs);
        gc_problem_free(&p);
        return failed;
    }
    *(int *)p.ctx = 1;
    gc_options o = gc_default_options();
    gc_report r;
    gc_status s = gc_check_gradient(&p, &o, &r);
    gc_check c = { "outside", 0, "f(a, b) = sum a^2 b + sin b, one slip", NULL, NULL, 0 };
    gc_print_report(stdout, GC_TEXT, 1, 1, NULL, &c, &r);
    int ok = s == GC_FAIL && strcmp(r.where, "dJ/db[2]") == 0;
    p.blocks[1].rows = N + 1;                        /* blocks now add up to more than n */
    gc_status bad = gc_check_gradient(&p, &o, &r);
    printf("blocks over n: %s: %s\n", gc_status_name(bad), r.note);
    ok &= bad == GC_ERROR;
    gc_problem_free(&p);
    printf("outside: %s\n", ok ? "the wrong coordinate was found" : "NOT AS EXPECTED");
    return ok ? 0 : 1;
}
