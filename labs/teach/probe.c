/* probe.c — grade-probe, linked with a student's src/: answers the grader's
 * numeric queries (probe.h) about one check's problem, set up with the
 * student's functions. It holds no verdict, no reference value, no table and
 * no seed it was not sent; what it answers is only numbers, which the
 * grader judges.
 *
 *   grade-probe serve        requests on descriptor 3, answers on 4
 *
 * Exit (exits.h): GL_EXIT_DONE after BYE, GL_EXIT_USAGE bad usage or a
 * malformed request, GL_EXIT_NO_MEMORY, GL_EXIT_GRADER_GONE the grader went
 * away. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exits.h"
#include "gradcheck.h"
#include "probe.h"
#include "registry.h"

typedef struct {
    gc_problem p;
    int live;                 /* p is set up */
    size_t n, m, count;
    double *a, *b;            /* scratch: max(n, m) and max(n, m*m, count) + 1 doubles */
} probe_state;

static int read_all(void *data, size_t size)
{
    char *p = data;
    while (size > 0) {
        ssize_t n = read(PROBE_IN_FD, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n, size -= (size_t)n;
    }
    return 0;
}

static int send_all(const void *data, size_t size)
{
    const char *p = data;
    while (size > 0) {
        ssize_t w = write(PROBE_OUT_FD, p, size);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w, size -= (size_t)w;
    }
    return 0;
}

static void drop(probe_state *s)
{
    if (s->live)
        gc_problem_free(&s->p);
    free(s->a), free(s->b);
    memset(s, 0, sizeof *s);
}

/* SETUP: the check's problem at the seed sent; answers its shape. */
static int setup(probe_state *s, const probe_req *q)
{
    drop(s);
    char name[sizeof q->name + 1];
    memcpy(name, q->name, sizeof q->name);
    name[sizeof q->name] = '\0';
    const gc_check *c = lab_find(name);
    probe_shape shape = { -1, 0, 0, 0 };
    if (c && c->setup(&s->p, q->seed) == 0) {
        s->live = 1;
        s->n = s->p.n, s->m = s->p.map ? s->p.map->m : 0, s->count = gc_output_count(&s->p);
        size_t big = s->n > s->m * s->m ? s->n : s->m * s->m;
        big = big > s->count ? big : s->count;
        s->a = malloc((s->n + s->m + 1) * sizeof *s->a);
        s->b = malloc((big + 1) * sizeof *s->b);
        if (!s->a || !s->b)
            return GL_EXIT_NO_MEMORY;
        shape = (probe_shape){ 0, (double)s->n, (double)s->m, (double)s->count };
    }
    return send_all(&shape, sizeof shape) == 0 ? GL_EXIT_DONE : GL_EXIT_GRADER_GONE;
}

/* LOSS and PARTS: x and the buffer the grader holds, back with J first. */
static int loss(probe_state *s, const probe_req *q)
{
    size_t n = s->n;
    int want = q->op == PROBE_PARTS || (q->flags & 1);
    if ((!s->p.f && q->op == PROBE_LOSS && !s->p.f_parts) || (q->op == PROBE_PARTS && !s->p.f_parts))
        return GL_EXIT_USAGE;
    if (read_all(s->a, n * sizeof *s->a) != 0 || (want && read_all(s->b + 1, n * sizeof *s->b) != 0))
        return GL_EXIT_GRADER_GONE;
    if (q->op == PROBE_LOSS) {
        s->b[0] = gc_loss(&s->p, s->a, want ? s->b + 1 : NULL);
    } else {
        double *parts[GC_MAX_PARTS] = { 0 };
        size_t at = 1, blk = 0;
        for (size_t k = 0; k < s->p.nparts; k++) {
            if (q->flags >> k & 1)
                parts[k] = s->b + at;
            for (size_t j = 0; j < s->p.part_blocks[k]; j++)
                at += s->p.blocks[blk].rows * (s->p.blocks[blk].cols ? s->p.blocks[blk].cols : 1), blk++;
        }
        s->b[0] = s->p.f_parts(s->p.ctx, s->a, parts);
    }
    return send_all(s->b, (1 + (want ? n : 0)) * sizeof *s->b) == 0 ? GL_EXIT_DONE : GL_EXIT_GRADER_GONE;
}

/* MAP, INVERSE, JACOBIAN, LOGDET: the map's functions at the point sent. */
static int map_query(probe_state *s, const probe_req *q)
{
    const gc_map *f = s->p.map;
    size_t m = s->m, back = m;
    if (!f || (q->op == PROBE_INVERSE && !f->inverse))
        return GL_EXIT_USAGE;
    if (read_all(s->a, m * sizeof *s->a) != 0)
        return GL_EXIT_GRADER_GONE;
    if (q->op == PROBE_MAP) {
        f->map(f->ctx, s->a, s->b);
    } else if (q->op == PROBE_INVERSE) {
        f->inverse(f->ctx, s->a, s->b);
    } else if (q->op == PROBE_JACOBIAN) {
        s->b[0] = f->jacobian(f->ctx, s->a, s->b + 1);
        back = 1 + m * m;
    } else {
        s->b[0] = f->log_abs_det(f->ctx, s->a, s->b + 1);
        back = 2;
    }
    return send_all(s->b, back * sizeof *s->b) == 0 ? GL_EXIT_DONE : GL_EXIT_GRADER_GONE;
}

static int answer(probe_state *s, const probe_req *q)
{
    if (q->op == PROBE_SETUP)
        return setup(s, q);
    if (!s->live)
        return GL_EXIT_USAGE;
    switch (q->op) {
    case PROBE_RESET:
        if (s->p.reset)
            s->p.reset(s->p.ctx);
        return GL_EXIT_DONE;
    case PROBE_LOSS:
    case PROBE_PARTS:
        return loss(s, q);
    case PROBE_MAP:
    case PROBE_INVERSE:
    case PROBE_JACOBIAN:
    case PROBE_LOGDET:
        return map_query(s, q);
    case PROBE_OUTPUTS:
        if (gc_outputs(&s->p, s->b, NULL) != 0)
            return GL_EXIT_NO_MEMORY;
        return send_all(s->b, s->count * sizeof *s->b) == 0 ? GL_EXIT_DONE : GL_EXIT_GRADER_GONE;
    default:
        return GL_EXIT_USAGE;
    }
}

int main(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "serve") != 0) {
        fprintf(stderr, "usage: grade-probe serve (requests on descriptor 3, answers on 4: "
                "labs/teach/probe.h)\n");
        return GL_EXIT_USAGE;
    }
    probe_state s = { 0 };
    probe_req q;
    int rc = GL_EXIT_DONE;
    while (rc == GL_EXIT_DONE) {
        if (read_all(&q, sizeof q) != 0) {
            rc = GL_EXIT_GRADER_GONE;
            break;
        }
        if (q.op == PROBE_BYE)
            break;
        rc = answer(&s, &q);
    }
    drop(&s);
    return rc;
}
