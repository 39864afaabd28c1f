/* blocks.c — the bottom of the checker: how x splits into named blocks, what
 * a coordinate is called, and whether a problem or options can be used at all. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"

enum { MAX_NAME = 24 };      /* "dJ/d" + name fits a block report's name */

size_t gc_block_size(const gc_block *b)
{
    return b->cols == 0 ? b->rows : b->rows * b->cols;
}

double gc_max_abs(const double *v, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m = fmax(m, fabs(v[i]));
    return m;
}

double gc_dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

int gc_all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

void gc_coord_suffix(const gc_block *b, size_t i, char *buf, size_t size)
{
    const char *name = b->name ? b->name : "?";
    if (b->cols == 0)
        snprintf(buf, size, "%s[%zu]", name, i);
    else
        snprintf(buf, size, "%s[%zu][%zu]", name, i / b->cols, i % b->cols);
}

void gc_coord_name(const gc_block *b, size_t i, char *buf, size_t size)
{
    if (!b || !buf || size == 0)
        return;
    char suffix[96];
    gc_coord_suffix(b, i, suffix, sizeof suffix);
    const char *d = b->name && strchr(b->name, '/') ? "" : "dJ/d";   /* "dx/dz" names a derivative already */
    snprintf(buf, size, "%s%s", d, suffix);
}

void gc_name_coord(const gc_problem *p, size_t i, char *buf, size_t size)
{
    for (size_t b = 0; b < p->nblocks; b++) {
        size_t len = gc_block_size(&p->blocks[b]);
        if (i < len) {
            gc_coord_name(&p->blocks[b], i, buf, size);
            return;
        }
        i -= len;
    }
    snprintf(buf, size, "x[%zu]", i);
}

/* The blocks' sizes add up to n, without overflow; each block is named and
 * has entries. "" or why not. */
static const char *blocks_valid(const gc_problem *p)
{
    if (p->nblocks == 0)
        return "the problem names no blocks of x (nblocks is 0)";
    if (p->nblocks > GC_MAX_BLOCKS)
        return "the problem has more than GC_MAX_BLOCKS (16) blocks";
    size_t total = 0;
    for (size_t b = 0; b < p->nblocks; b++) {
        const gc_block *k = &p->blocks[b];
        if (!k->name || !k->name[0] || strlen(k->name) > MAX_NAME)
            return "a block has no name, or a name over 24 characters (the longest a report shows)";
        if (k->rows == 0 || (k->cols != 0 && k->rows > (size_t)-1 / k->cols))
            return "a block has no entries (rows is 0) or too many";
        size_t len = gc_block_size(k);
        if (len > p->n - total)
            return "the blocks' sizes add up to more than n";
        total += len;
    }
    if (total != p->n)
        return "the blocks' sizes add up to less than n";
    size_t parts = 0;
    for (size_t k = 0; p->f_parts && k < p->nparts && k < GC_MAX_PARTS; k++)
        parts += p->part_blocks[k];
    if (p->f_parts && (p->nparts == 0 || p->nparts > GC_MAX_PARTS || parts != p->nblocks))
        return "the parts (f_parts) must be 1 to GC_MAX_PARTS runs of blocks covering them all";
    return "";
}

/* The loss in float: x and grad through float copies. */
static double loss32(const gc_problem *p, const double *x, double *grad)
{
    float *xf = malloc(2 * p->n * sizeof *xf), *gf = xf ? xf + p->n : NULL;
    if (!xf) {
        errno = ENOMEM;
        return NAN;
    }
    gc_to_float(xf, x, p->n);
    if (grad)
        gc_to_float(gf, grad, p->n);
    double J = p->f32(p->ctx, xf, grad ? gf : NULL);
    if (grad)
        gc_to_double(grad, gf, p->n);
    free(xf);
    return J;
}

double gc_loss(const gc_problem *p, const double *x, double *grad)
{
    if (p->f)
        return p->f(p->ctx, x, grad);
    if (!p->f_parts)
        return loss32(p, x, grad);
    double *parts[GC_MAX_PARTS] = { 0 };
    size_t b = 0, at = 0;
    for (size_t k = 0; grad && k < p->nparts; k++) {
        parts[k] = grad + at;
        for (size_t m = 0; m < p->part_blocks[k]; m++)
            at += gc_block_size(&p->blocks[b++]);
    }
    return p->f_parts(p->ctx, x, parts);
}

gc_precision gc_problem_precision(const gc_problem *p)
{
    if (!p)
        return GC_DOUBLE;
    if (p->map && !p->map->map && p->map->map32)
        return GC_FLOAT;
    return p->f32 && !p->f && !p->f_parts ? GC_FLOAT : GC_DOUBLE;
}

/* What the problem needs for its kind: "" or why it cannot be checked. */
static const char *kind_valid(const gc_problem *p)
{
    int in_double = p->f || p->f_parts;
    if (p->kind > GC_SECOND)
        return "unknown kind (GC_AUTO, GC_GRADIENT, GC_JACOBIAN, GC_JVP, GC_VJP or GC_SECOND)";
    if ((p->kind == GC_JACOBIAN || p->kind == GC_JVP || p->kind == GC_VJP) && !p->map)
        return "a Jacobian, JVP or VJP check needs the problem's map (map is NULL)";
    if (p->kind == GC_SECOND && (in_double ? !p->hvp && !p->hessian : !p->hvp32 && !p->hessian32))
        return in_double ? "a second-order check needs hvp or hessian (both NULL)"
                         : "a second-order check of a float loss needs hvp32 or hessian32";
    if (in_double && p->f32)
        return "the loss is given in double (f, f_parts) and in float (f32): give one";
    if (!in_double && (p->hvp || p->hessian))
        return "a float loss (f32) takes its second order as hvp32 and hessian32";
    return "";
}

/* 0 when `no` is "", else -1 with errno EINVAL; `no` into why either way. */
static int answer(const char *no, char *why, size_t size)
{
    if (why && size)
        snprintf(why, size, "%s", no);
    if (!no[0])
        return 0;
    errno = EINVAL;
    return -1;
}

int gc_problem_valid(const gc_problem *p, char *why, size_t size)
{
    const char *no = "";
    if (!p)
        no = "no problem (NULL)";
    else if (p->custom || (p->map && p->kind != GC_GRADIENT && p->kind != GC_SECOND))
        no = p->kind > GC_SECOND ? kind_valid(p) : "";    /* a custom or map check validates itself */
    else if (!p->f && !p->f_parts && !p->f32)
        no = "the problem has no loss function (f, f_parts and f32 are NULL)";
    else if (p->n == 0)
        no = "the problem has no coordinates (n is 0): nothing to check";
    else if (!p->x)
        no = "the problem has no check point (x is NULL)";
    else if (!(no = kind_valid(p))[0])
        no = blocks_valid(p);
    return answer(no, why, size);
}

/* A tolerance: finite, in [0, 1). */
static int tolerance(double t)
{
    return t >= 0 && t < 1;
}

int gc_options_valid(const gc_options *o, char *why, size_t size)
{
    const char *no = "";
    if (!o)
        no = "no options (NULL): start from gc_default_options()";
    else if (o->method != GC_CENTRAL && o->method != GC_RICHARDSON && o->method != GC_TAYLOR)
        no = "unknown method (GC_CENTRAL, GC_RICHARDSON or GC_TAYLOR)";
    else if (!tolerance(o->rtol))
        no = "rtol must be a finite number in [0, 1) (0: the precision's default)";
    else if (!(o->atol >= 0 && isfinite(o->atol)))
        no = "atol must be a finite number >= 0";
    else if (!tolerance(o->step) || o->step > 0.5)
        no = "step must be 0 (automatic) or a relative step in (0, 0.5]";
    else if (!tolerance(o->nondet_tol))
        no = "nondet_tol must be a finite number in [0, 1)";
    return answer(no, why, size);
}

gc_status gc_refuse(gc_report *r, int err, const char *why)
{
    memset(r, 0, sizeof *r);
    r->status = GC_ERROR;
    r->error = err;
    snprintf(r->note, sizeof r->note, "%s", why);
    return GC_ERROR;
}

void gc_block_label(char *buf, size_t size, const char *prefix, const char *name)
{
    snprintf(buf, size, "%s%s", strchr(name, '/') ? "" : prefix, name);
}

void gc_fit_text(char *dst, size_t size, const char *src)
{
    size_t len = strlen(src);
    if (len < size) {
        memcpy(dst, src, len + 1);
        return;
    }
    size_t cut = size - 5;                       /* room for " ..." and the NUL */
    while (cut > 0 && src[cut] != ' ')
        cut--;
    memcpy(dst, src, cut);
    memcpy(dst + cut, " ...", 5);
}

int gc_problem_alloc(gc_problem *p, size_t n, size_t ctx_bytes)
{
    if (!p) {
        errno = EINVAL;
        return -1;
    }
    memset(p, 0, sizeof *p);
    if (n > ((size_t)-1) / sizeof *p->x) {
        errno = ENOMEM;
        return -1;
    }
    p->x = calloc(n ? n : 1, sizeof *p->x);
    p->ctx = calloc(1, ctx_bytes ? ctx_bytes : 1);
    if (!p->x || !p->ctx) {
        gc_problem_free(p);
        errno = ENOMEM;
        return -1;
    }
    p->n = n;
    return 0;
}

void gc_problem_free(gc_problem *p)
{
    if (!p)
        return;
    if (p->release && p->ctx)
        p->release(p->ctx);
    free(p->x);
    free(p->ctx);
    memset(p, 0, sizeof *p);
}
