/* outputs.c — the values of a check's problem that the grader compares with
 * the reference solution on inputs the students never saw. For a loss these
 * are J and every entry of its analytic gradient at the check point: a loss
 * that is wrong but consistent with its own gradient passes the gradient
 * check and fails here. For a map they are its output at the check point,
 * log|det J| and every entry of J. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"

size_t gc_output_count(const gc_problem *p)
{
    if (gc_problem_valid(p)[0])
        return 0;
    if (p->custom)
        return p->outputs ? p->outputs(p, NULL, NULL) : 0;
    if (p->map)
        return p->map->m + 1 + p->map->m * p->map->m;
    return 1 + p->n;
}

/* out = [J, dJ/dx[0 .. n)]; names "J" and the coordinates' names. */
static int loss_outputs(const gc_problem *p, double *out, gc_name *names)
{
    double *grad = out + 1;
    memset(grad, 0, p->n * sizeof *grad);
    double *x = malloc((p->n ? p->n : 1) * sizeof *x);     /* f may not write to p->x */
    if (!x)
        return -1;
    memcpy(x, p->x, p->n * sizeof *x);
    if (p->reset)
        p->reset(p->ctx);
    out[0] = gc_loss(p, x, grad);
    free(x);
    if (!names)
        return 0;
    snprintf(names[0], sizeof names[0], "J");
    for (size_t i = 0; i < p->n; i++)
        gc_name_coord(p, i, names[1 + i], sizeof names[1 + i]);
    return 0;
}

/* out = [f(x) (m), log|det J|, J (m x m)]; NaN for a part whose function
 * refused. Names "x[0]" by the map's output parts, "log|det J|", "J[i][j]". */
static int map_outputs(const gc_map *f, double *out, gc_name *names)
{
    size_t m = f->m;
    if (!f->map || !f->jacobian || !f->log_abs_det || !f->x || m == 0)
        return -1;
    f->map(f->ctx, f->x, out);
    if (f->log_abs_det(f->ctx, f->x, out + m) != 0)
        out[m] = NAN;
    if (f->jacobian(f->ctx, f->x, out + m + 1) != 0)
        for (size_t i = 0; i < m * m; i++)
            out[m + 1 + i] = NAN;
    for (size_t i = 0, part = 0, at = 0; names && i < m; i++) {
        while (part + 1 < f->nout && i >= at + f->out[part].rows)
            at += f->out[part++].rows;
        snprintf(names[i], sizeof names[i], "%s[%zu]", f->nout ? f->out[part].name : "out",
                 i - at);
    }
    if (names)
        snprintf(names[m], sizeof names[m], "log|det J|");
    for (size_t i = 0; names && i < m * m; i++)
        snprintf(names[m + 1 + i], sizeof names[m + 1 + i], "J[%zu][%zu]", i / m, i % m);
    return 0;
}

int gc_outputs(const gc_problem *p, double *out, gc_name *names)
{
    if (gc_problem_valid(p)[0] || !out)
        return -1;
    if (p->map && !p->custom)
        return map_outputs(p->map, out, names);
    if (!p->custom)
        return loss_outputs(p, out, names);
    if (p->outputs)
        p->outputs(p, out, names);
    return 0;
}
