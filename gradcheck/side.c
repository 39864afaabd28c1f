/* side.c — the probes of one side of a vector function (its input or its
 * output): every coordinate of a small part, sampled coordinates and random
 * unit directions of a large one; a probe as a vector, and a vector read
 * along a probe. */
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"

size_t gc_part_off(const gc_block *parts, size_t k)
{
    size_t off = 0;
    for (size_t p = 0; p < k; p++)
        off += gc_block_size(&parts[p]);
    return off;
}

/* The probes of one side: every coordinate of a part of at most full_limit
 * entries, else `sample` distinct random ones (in order) and `directions`
 * random unit directions. 0 or -1 (ENOMEM). */
int gc_side_pick(gc_side *s, const gc_block *parts, size_t nparts, const gc_options *o,
                     gc_rng *rng)
{
    size_t cap = 0, ndirs = 0;
    for (size_t k = 0; k < nparts; k++) {
        size_t len = gc_block_size(&parts[k]), big = len > o->full_limit;
        cap += big ? (o->sample < len ? o->sample : len) + o->directions : len;
        ndirs += big ? o->directions * len : 0;
    }
    s->parts = parts, s->nparts = nparts, s->n = 0;
    s->p = malloc((cap + 1) * sizeof *s->p);
    s->dirs = malloc((ndirs + 1) * sizeof *s->dirs);
    unsigned char *taken = NULL;
    if (!s->p || !s->dirs)
        return -1;
    double *d = s->dirs;
    for (size_t k = 0, off = 0; k < nparts; off += gc_block_size(&parts[k]), k++) {
        size_t len = gc_block_size(&parts[k]);
        if (len <= o->full_limit) {
            for (size_t i = 0; i < len; i++)
                s->p[s->n++] = (gc_side_probe){ k, off + i, NULL };
            continue;
        }
        if (!(taken = calloc(len, 1)))
            return -1;
        for (size_t want = o->sample < len ? o->sample : len, got = 0; got < want;) {
            size_t c = gc_rng_index(rng, len);
            got += !taken[c], taken[c] = 1;
        }
        for (size_t i = 0; i < len; i++)
            if (taken[i])
                s->p[s->n++] = (gc_side_probe){ k, off + i, NULL };
        free(taken), taken = NULL;
        for (size_t t = 0; t < o->directions; t++, d += len) {
            gc_rng_direction(rng, d, len);
            s->p[s->n++] = (gc_side_probe){ k, t + 1, d };
        }
    }
    return 0;
}

void gc_side_free(gc_side *s)
{
    free(s->p), free(s->dirs);
    s->p = NULL, s->dirs = NULL;
}

/* The probe as a vector of the whole side (len entries). */
void gc_side_dense(const gc_side *s, const gc_side_probe *q, double *out, size_t len)
{
    memset(out, 0, len * sizeof *out);
    if (!q->dir) {
        out[q->i] = 1.0;
        return;
    }
    memcpy(out + gc_part_off(s->parts, q->part), q->dir, gc_block_size(&s->parts[q->part]) * sizeof *out);
}

/* w . y for a vector y of the whole side. */
double gc_side_project(const gc_side *s, const gc_side_probe *q, const double *y)
{
    if (!q->dir)
        return y[q->i];
    return gc_dot(q->dir, y + gc_part_off(s->parts, q->part), gc_block_size(&s->parts[q->part]));
}

/* The largest |x| a probe moves, its scale for the step. */
