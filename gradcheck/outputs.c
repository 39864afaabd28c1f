/* outputs.c — the values of a check's problem that the grader compares with
 * the reference solution on inputs the students never saw. For a loss these
 * are J and every entry of its analytic gradient at the check point: a loss
 * that is wrong but consistent with its own gradient passes the gradient
 * check and fails here. For a map they are its output at the check point,
 * log|det J| (NaN for a map without one) and every entry of J. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"

/* The output's length of a map. */
static size_t out_len(const gc_map *f)
{
    return f->m_out ? f->m_out : f->m;
}

size_t gc_output_count(const gc_problem *p)
{
    if (!p || gc_problem_valid(p, NULL, 0) != 0)
        return 0;
    if (p->custom)
        return p->outputs ? p->outputs(p, NULL, NULL) : 0;
    if (p->map && p->kind != GC_GRADIENT && p->kind != GC_SECOND)
        return out_len(p->map) + 1 + out_len(p->map) * p->map->m;
    return 1 + p->n;
}

/* out = [J, dJ/dx[0 .. n)]; names "J" and the coordinates' names. */
static int loss_outputs(const gc_problem *p, double *out, gc_name *names)
{
    double *grad = out + 1;
    memset(grad, 0, p->n * sizeof *grad);
    double *x = malloc((p->n ? p->n : 1) * sizeof *x);     /* f may not write to p->x */
    if (!x) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(x, p->x, p->n * sizeof *x);
    if (p->reset)
        p->reset(p->ctx);
    errno = 0;
    out[0] = gc_loss(p, x, grad);
    free(x);
    if (isnan(out[0]) && errno == ENOMEM)
        return -1;
    if (!names)
        return 0;
    snprintf(names[0], sizeof names[0], "J");
    for (size_t i = 0; i < p->n; i++)
        gc_name_coord(p, i, names[1 + i], sizeof names[1 + i]);
    return 0;
}

/* J into out (m_out x m) from jvp columns or vjp rows; -1 when one refused. */
static int assemble(gc_view *v, double *J)
{
    size_t n = v->n, m = v->m;
    double *e = calloc(n + m + m, sizeof *e), *col = e ? e + n : NULL, *u = col ? col + m : NULL;
    int rc = e ? 0 : -1;
    for (size_t j = 0; rc == 0 && v->has_jvp && j < n; j++) {
        e[j] = 1;
        rc = gc_view_jvp(v, v->x, e, col);
        e[j] = 0;
        for (size_t i = 0; i < m; i++)
            J[i * n + j] = col[i];
    }
    for (size_t i = 0; rc == 0 && !v->has_jvp && i < m; i++) {
        u[i] = 1;
        memset(J + i * n, 0, n * sizeof *J);
        rc = gc_view_vjp(v, v->x, u, J + i * n);
        u[i] = 0;
    }
    free(e);
    return rc;
}

/* out = [f(x) (m_out), log|det J|, J (m_out x m)]; NaN for a part whose
 * function refused or is not given. Names "x[0]" by the map's output parts,
 * "log|det J|", "J[i][j]". */
static int map_outputs(const gc_map *f, double *out, gc_name *names)
{
    gc_view v;
    const char *why;
    if (gc_view_of_map(&v, f, &why) != 0)
        return -1;
    size_t m = v.m, n = v.n;
    gc_view_value(&v, v.x, out);
    if (!f->log_abs_det || f->log_abs_det(f->ctx, f->x, out + m) != 0)
        out[m] = NAN;
    if ((v.has_jacobian ? gc_view_jacobian(&v, v.x, out + m + 1) : assemble(&v, out + m + 1)) != 0)
        for (size_t i = 0; i < m * n; i++)
            out[m + 1 + i] = NAN;
    for (size_t i = 0, part = 0, at = 0; names && i < m; i++) {
        while (part + 1 < v.nout && i >= at + v.out[part].rows)
            at += v.out[part++].rows;
        snprintf(names[i], sizeof names[i], "%s[%zu]", v.out[part].name, i - at);
    }
    if (names)
        snprintf(names[m], sizeof names[m], "log|det J|");
    for (size_t i = 0; names && i < m * n; i++)
        snprintf(names[m + 1 + i], sizeof names[m + 1 + i], "J[%zu][%zu]", i / n, i % n);
    gc_view_free(&v);
    return 0;
}

int gc_outputs(const gc_problem *p, double *out, gc_name *names)
{
    if (!out || gc_problem_valid(p, NULL, 0) != 0) {
        errno = EINVAL;
        return -1;
    }
    if (p->map && !p->custom && p->kind != GC_GRADIENT && p->kind != GC_SECOND)
        return map_outputs(p->map, out, names);
    if (!p->custom)
        return loss_outputs(p, out, names);
    if (p->outputs)
        p->outputs(p, out, names);
    return 0;
}
