/* view.c — one vector function F: R^n -> R^m, with whatever the user gives of
 * its derivative (J, J v, u^T J), whatever it came from: a map in double, a
 * map in float (its arguments converted, exactly, both ways), or the
 * gradient of a loss, whose Jacobian is the Hessian and whose two products
 * are both the Hessian-vector product (H is symmetric). The map checks see
 * only this. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"

enum { MAX_PART_NAME = 12, MAX_SIDE = 1 << 24 };

/* The point (as the function sees it) and a float function's arguments:
 * x, a and b of the longer side, and J (m x n) when with_J. 0 or -1 (ENOMEM). */
static int alloc_view(gc_view *v, const double *x, int with_J)
{
    size_t big = v->n > v->m ? v->n : v->m;
    v->x = malloc(v->n * sizeof *v->x);
    if (v->prec->kind == GC_FLOAT) {
        v->xf = malloc((v->n + 2 * big) * sizeof *v->xf);
        v->af = v->xf ? v->xf + v->n : NULL;
        v->bf = v->af ? v->af + big : NULL;
        if (with_J)
            v->Jf = malloc(v->m * v->n * sizeof *v->Jf);
    }
    if (!v->x || (v->prec->kind == GC_FLOAT && (!v->xf || (with_J && !v->Jf)))) {
        gc_view_free(v);
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = 0; i < v->n; i++)
        v->x[i] = gc_round(v->prec, x[i]);
    return 0;
}

/* ---- a map ---- */

static int is_float(const gc_map *f) { return !f->map && f->map32; }

/* The parts of one side: f's, or one part named `whole` of len entries. */
static const char *take_parts(const gc_block *parts, size_t nparts, size_t len, const char *whole,
                              gc_block *dst, size_t *ndst)
{
    if (nparts == 0) {
        dst[0] = (gc_block){ whole, len, 0 };
        *ndst = 1;
        return "";
    }
    if (nparts > 4)
        return "the map has more than 4 input or output parts";
    size_t total = 0;
    for (size_t k = 0; k < nparts; k++) {
        if (!parts[k].name || !parts[k].name[0] || strlen(parts[k].name) > MAX_PART_NAME)
            return "a part of the map has no name, or one over 12 characters";
        if (parts[k].cols != 0)
            return "a map's parts are vectors (cols 0)";
        total += parts[k].rows;
        dst[k] = parts[k];
    }
    *ndst = nparts;
    return total == len ? "" : "the rows of the map's parts do not add up to its size";
}

/* "" when f can be checked, else why not. */
static const char *map_valid(const gc_map *f)
{
    if (!f || (!f->map && !f->map32) || !f->x)
        return "the map lacks map (or map32) or its point x (NULL)";
    size_t m = f->m, mo = f->m_out ? f->m_out : f->m;
    int fl = is_float(f);
    if (fl && (f->jacobian || f->jvp || f->vjp))
        return "a map in float (map32) takes jacobian32, jvp32 and vjp32";
    if (!fl && (f->map32 || f->jacobian32 || f->jvp32 || f->vjp32))
        return "a map in double (map) takes jacobian, jvp and vjp, not float versions";
    if (fl && (f->log_abs_det || f->inverse))
        return "log|det J| and the inverse are checked for a map in double only";
    if (!(f->jacobian || f->jvp || f->vjp || f->jacobian32 || f->jvp32 || f->vjp32))
        return "the map gives no derivative: jacobian, jvp or vjp (all NULL)";
    if (m == 0 || m > MAX_SIDE || mo > MAX_SIDE)
        return "the map's size m (and m_out) must be 1 to 2^24";
    if ((f->jacobian || f->jacobian32) && mo > MAX_SIDE / m)
        return "the map's Jacobian has more than 2^24 entries (m_out x m): give jvp or vjp instead";
    if ((f->log_abs_det || f->inverse) && mo != m)
        return "log|det J| and an inverse need a square map (m_out = m)";
    return "";
}

int gc_view_of_map(gc_view *v, const gc_map *f, const char **why)
{
    memset(v, 0, sizeof *v);
    *why = map_valid(f);
    if (!(*why)[0])
        *why = take_parts(f->in, f->nin, f->m, "in", v->in, &v->nin);
    if (!(*why)[0])
        *why = take_parts(f->out, f->nout, f->m_out ? f->m_out : f->m, "out", v->out, &v->nout);
    if ((*why)[0]) {
        errno = EINVAL;
        return -1;
    }
    v->f = f;
    v->n = f->m;
    v->m = f->m_out ? f->m_out : f->m;
    int fl = is_float(f);
    v->prec = gc_prec_of(fl ? GC_FLOAT : GC_DOUBLE);
    v->has_jacobian = fl ? f->jacobian32 != NULL : f->jacobian != NULL;
    v->has_jvp = fl ? f->jvp32 != NULL : f->jvp != NULL;
    v->has_vjp = fl ? f->vjp32 != NULL : f->vjp != NULL;
    if (alloc_view(v, f->x, f->jacobian32 != NULL) != 0) {
        *why = "out of memory";
        return -1;
    }
    return 0;
}

/* ---- a loss's gradient ---- */

int gc_view_of_gradient(gc_view *v, const gc_problem *p)
{
    memset(v, 0, sizeof *v);
    v->p = p;
    v->n = v->m = p->n;
    v->prec = gc_prec_of(gc_problem_precision(p));
    int fl = v->prec->kind == GC_FLOAT;
    v->has_jacobian = fl ? p->hessian32 != NULL : p->hessian != NULL;
    v->has_jvp = v->has_vjp = fl ? p->hvp32 != NULL : p->hvp != NULL;
    int grid = p->nblocks * p->nblocks <= GC_MAX_BLOCKS;
    for (size_t b = 0; b < p->nblocks; b++)
        v->out[b] = p->blocks[b];
    v->nout = p->nblocks;
    if (grid)
        memcpy(v->in, v->out, sizeof v->in);
    else
        v->in[0] = (gc_block){ "(x)", p->n, 0 };
    v->nin = grid ? p->nblocks : 1;
    return alloc_view(v, p->x, fl && p->hessian32);
}

void gc_view_free(gc_view *v)
{
    free(v->x), free(v->xf), free(v->Jf);
    v->x = NULL, v->xf = v->af = v->bf = v->Jf = NULL;
}

/* ---- evaluation ---- */

static void reset(const gc_view *v)
{
    if (v->p && v->p->reset)
        v->p->reset(v->p->ctx);
}

int gc_view_value(gc_view *v, const double *x, double *out)
{
    v->evals++;
    if (v->f && v->xf) {
        gc_to_float(v->xf, x, v->n);
        v->f->map32(v->f->ctx, v->xf, v->bf);
        gc_to_double(out, v->bf, v->m);
    } else if (v->f) {
        v->f->map(v->f->ctx, x, out);
    } else if (v->xf) {                         /* the gradient of a float loss */
        reset(v);
        gc_to_float(v->xf, x, v->n);
        memset(v->af, 0, v->n * sizeof *v->af);
        v->p->f32(v->p->ctx, v->xf, v->af);
        gc_to_double(out, v->af, v->n);
    } else {
        memset(out, 0, v->n * sizeof *out);
        reset(v);
        gc_loss(v->p, x, out);
    }
    return 0;
}

int gc_view_jacobian(gc_view *v, const double *x, double *J)
{
    size_t count = v->m * v->n;
    int rc;
    reset(v);
    if (v->xf) {
        gc_to_float(v->xf, x, v->n);
        rc = v->f ? v->f->jacobian32(v->f->ctx, v->xf, v->Jf)
                  : v->p->hessian32(v->p->ctx, v->xf, v->Jf);
        gc_to_double(J, v->Jf, count);
    } else {
        rc = v->f ? v->f->jacobian(v->f->ctx, x, J) : v->p->hessian(v->p->ctx, x, J);
    }
    return rc == 0 ? 0 : -1;
}

/* The Hessian-vector product, added into Hv. */
static int hvp(gc_view *v, const double *x, const double *d, double *Hv)
{
    const gc_problem *p = v->p;
    reset(v);
    if (!v->xf)
        return p->hvp(p->ctx, x, d, Hv) == 0 ? 0 : -1;
    gc_to_float(v->xf, x, v->n);
    gc_to_float(v->af, d, v->n);
    gc_to_float(v->bf, Hv, v->n);
    int rc = p->hvp32(p->ctx, v->xf, v->af, v->bf);
    gc_to_double(Hv, v->bf, v->n);
    return rc == 0 ? 0 : -1;
}

int gc_view_jvp(gc_view *v, const double *x, const double *d, double *Jd)
{
    if (v->p) {
        memset(Jd, 0, v->m * sizeof *Jd);
        return hvp(v, x, d, Jd);
    }
    const gc_map *f = v->f;
    if (!v->xf)
        return f->jvp(f->ctx, x, d, Jd) == 0 ? 0 : -1;
    gc_to_float(v->xf, x, v->n);
    gc_to_float(v->af, d, v->n);
    int rc = f->jvp32(f->ctx, v->xf, v->af, v->bf);
    gc_to_double(Jd, v->bf, v->m);
    return rc == 0 ? 0 : -1;
}

int gc_view_vjp(gc_view *v, const double *x, const double *u, double *uJ)
{
    if (v->p)
        return hvp(v, x, u, uJ);
    const gc_map *f = v->f;
    if (!v->xf)
        return f->vjp(f->ctx, x, u, uJ) == 0 ? 0 : -1;
    gc_to_float(v->xf, x, v->n);
    gc_to_float(v->af, u, v->m);
    gc_to_float(v->bf, uJ, v->n);
    int rc = f->vjp32(f->ctx, v->xf, v->af, v->bf);
    gc_to_double(uJ, v->bf, v->n);
    return rc == 0 ? 0 : -1;
}

/* ---- names ---- */

size_t gc_view_part(const gc_block *parts, size_t nparts, size_t i, size_t *at)
{
    size_t p = 0;
    for (*at = i; p + 1 < nparts && *at >= gc_block_size(&parts[p]); p++)
        *at -= gc_block_size(&parts[p]);
    return p;
}

/* "W[0][1]": coordinate i of the loss's x by its block. */
static void loss_coord(const gc_problem *p, size_t i, char *buf, size_t size)
{
    size_t at, b = gc_view_part(p->blocks, p->nblocks, i, &at);
    gc_coord_suffix(&p->blocks[b], at, buf, size);
}

void gc_view_entry_name(const gc_view *v, size_t i, size_t j, char *buf, size_t size)
{
    if (v->p) {
        char row[96], col[96];
        loss_coord(v->p, i, row, sizeof row);
        loss_coord(v->p, j, col, sizeof col);
        snprintf(buf, size, "d2J/d%s d%s", row, col);
        return;
    }
    size_t ai, aj, P = gc_view_part(v->out, v->nout, i, &ai), R = gc_view_part(v->in, v->nin, j, &aj);
    snprintf(buf, size, "d%s/d%s[%zu][%zu]", v->out[P].name, v->in[R].name, ai, aj);
}

void gc_view_block_name(const gc_view *v, size_t P, size_t R, char *buf, size_t size)
{
    snprintf(buf, size, v->p ? "d2J/d%s d%s" : "d%s/d%s", v->out[P].name, v->in[R].name);
}
