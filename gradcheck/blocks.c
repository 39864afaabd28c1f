/* blocks.c — the bottom of the checker: how x splits into named blocks, what
 * a coordinate is called, and whether a problem or options can be used at all. */
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

void gc_coord_name(const gc_block *b, size_t i, char *buf, size_t size)
{
    if (!b || !buf || size == 0)
        return;
    const char *name = b->name ? b->name : "?";
    const char *d = strchr(name, '/') ? "" : "dJ/d";     /* "dx/dz" names a derivative already */
    if (b->cols == 0)
        snprintf(buf, size, "%s%s[%zu]", d, name, i);
    else
        snprintf(buf, size, "%s%s[%zu][%zu]", d, name, i / b->cols, i % b->cols);
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
            return "a block has no name, or a name over 24 characters";
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

double gc_loss(const gc_problem *p, const double *x, double *grad)
{
    if (p->f)
        return p->f(p->ctx, x, grad);
    double *parts[GC_MAX_PARTS] = { 0 };
    size_t b = 0, at = 0;
    for (size_t k = 0; grad && k < p->nparts; k++) {
        parts[k] = grad + at;
        for (size_t m = 0; m < p->part_blocks[k]; m++)
            at += gc_block_size(&p->blocks[b++]);
    }
    return p->f_parts(p->ctx, x, parts);
}

const char *gc_problem_valid(const gc_problem *p)
{
    if (!p)
        return "no problem (NULL)";
    if (p->custom || p->map)
        return "";                       /* a custom or map check validates what it needs itself */
    if (!p->f && !p->f_parts)
        return "the problem has no loss function (f and f_parts are NULL)";
    if (p->n == 0)
        return "the problem has no coordinates (n is 0): nothing to check";
    if (!p->x)
        return "the problem has no check point (x is NULL)";
    return blocks_valid(p);
}

const char *gc_options_valid(const gc_options *o)
{
    if (!o)
        return "no options (NULL): start from gc_default_options()";
    if (o->method != GC_CENTRAL && o->method != GC_RICHARDSON && o->method != GC_TAYLOR)
        return "unknown method (GC_CENTRAL, GC_RICHARDSON or GC_TAYLOR)";
    if (!(o->tol > 0 && o->tol < 1))
        return "tol must be a finite number in (0, 1)";
    return "";
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
    if (!p)
        return -1;
    memset(p, 0, sizeof *p);
    if (n > ((size_t)-1) / sizeof *p->x)
        return -1;
    p->x = calloc(n ? n : 1, sizeof *p->x);
    p->ctx = calloc(1, ctx_bytes ? ctx_bytes : 1);
    if (!p->x || !p->ctx) {
        gc_problem_free(p);
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
