/* bench.h — `PROGRAM --bench N`: the median time of one check of the
 * program's right function over N runs, printed as
 *   bench NAME MEDIAN_MS MIN_MS MAX_MS RUNS
 * for make bench (tests/bench/checks_bench.sh), which sets it beside
 * torch.autograd.gradcheck's time on the same function. */
#ifndef OUTSIDE_BENCH_H
#define OUTSIDE_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gradcheck.h>

/* N when the program was run as PROGRAM --bench N, else 0. */
static inline int bench_runs(int argc, char **argv)
{
    return argc == 3 && strcmp(argv[1], "--bench") == 0 ? atoi(argv[2]) : 0;
}

static inline int bench_order(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/* Checks p (gc_check_gradient: whatever p's kind names) with method m `runs`
 * times; prints its line. 0, or 1 when a run did not pass (a bench of a
 * failing check measures nothing). */
static inline int bench(const char *name, const gc_problem *p, gc_method m, int runs)
{
    double *t = (double *)malloc((size_t)runs * sizeof *t);
    gc_options o = gc_default_options();
    gc_report r;
    int ok = t != NULL;
    o.method = m;
    for (int k = 0; ok && k < runs; k++) {
        double t0 = gc_clock();
        ok = gc_check_gradient(p, &o, &r) == GC_PASS;
        t[k] = 1e3 * (gc_clock() - t0);
    }
    if (ok) {
        qsort(t, (size_t)runs, sizeof *t, bench_order);
        printf("bench %s %.4f %.4f %.4f %d\n", name, t[runs / 2], t[0], t[runs - 1], runs);
    } else {
        printf("bench %s did not pass\n", name);
    }
    free(t);
    return ok ? 0 : 1;
}

/* A problem that is only the map f, checked as `kind` (GC_JACOBIAN, GC_JVP, GC_VJP). */
static inline gc_problem bench_map(const gc_map *f, gc_kind kind)
{
    gc_problem q;
    memset(&q, 0, sizeof q);
    q.map = f;
    q.kind = kind;
    return q;
}

#endif
