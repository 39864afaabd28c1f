
/* A consistent forgery (appended to the stubs' sigmoid.c): before main, the
 * probe's serve loop is replaced by one that answers every query with one
 * self-consistent function, J = |x|^2 / 2 and dJ/dx = x (a map: out = 2 in,
 * J = 2I, log|det J| = m log 2), and the published golden loss at a golden
 * point. It computes nothing of the course, so it must score 0. */
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../gradcheck/gradcheck.h"
#include "../labs/teach/probe.h"

extern const gc_registry gc_program_checks;

static int forge_read(void *data, size_t size)
{
    char *p = data;
    while (size > 0) {
        ssize_t n = read(3, p, size);
        if (n <= 0)
            return -1;
        p += n, size -= (size_t)n;
    }
    return 0;
}

static void forge_send(const void *data, size_t size)
{
    const char *p = data;
    while (size > 0) {
        ssize_t n = write(4, p, size);
        if (n <= 0)
            _exit(4);
        p += n, size -= (size_t)n;
    }
}

/* J = |x|^2 / 2, or the golden loss when the seed is a golden point's. */
static double forge_loss(const gc_check *c, uint64_t seed, const double *x, size_t n)
{
    for (size_t k = 0; c && c->golden && k < c->ngolden; k++)
        if (seed == GC_GOLDEN_SEED + k)
            return c->golden[k];
    double J = 0;
    for (size_t i = 0; i < n; i++)
        J += x[i] * x[i] / 2;
    return J;
}

__attribute__((constructor)) static void forge_serve(void)
{
    if (fcntl(3, F_GETFD) < 0 || fcntl(4, F_GETFD) < 0)
        return;                              /* not the grader's probe */
    const gc_check *c = NULL;
    gc_problem p;
    memset(&p, 0, sizeof p);
    size_t n = 0, m = 0, count = 0;
    uint64_t seed = 0;
    double *a = malloc(sizeof(double) * 2000000), *b = malloc(sizeof(double) * 2000000);
    probe_req q;
    while (a && b && forge_read(&q, sizeof q) == 0) {
        if (q.op == PROBE_BYE)
            _exit(0);
        if (q.op == PROBE_SETUP) {
            char name[sizeof q.name + 1];
            memcpy(name, q.name, sizeof q.name);
            name[sizeof q.name] = '\0';
            c = gc_registry_find(&gc_program_checks, name);
            probe_shape shape = { -1, 0, 0, 0 };
            if (c && c->setup(&p, q.seed) == 0) {
                n = p.n, m = p.map ? p.map->m : 0, count = gc_output_count(&p);
                shape = (probe_shape){ 0, (double)n, (double)m, (double)count };
            }
            seed = q.seed;
            forge_send(&shape, sizeof shape);
        } else if (q.op == PROBE_LOSS || q.op == PROBE_PARTS) {
            int grad = q.op == PROBE_PARTS || (q.flags & 1);
            if (forge_read(a, n * sizeof *a) != 0 || (grad && forge_read(b + 1, n * sizeof *b) != 0))
                _exit(4);
            size_t at = 0, blk = 0;
            for (size_t k = 0; q.op == PROBE_PARTS && k < p.nparts; k++)
                for (size_t j = 0; j < p.part_blocks[k]; j++, blk++) {
                    size_t len = p.blocks[blk].rows * (p.blocks[blk].cols ? p.blocks[blk].cols : 1);
                    for (size_t i = at; (q.flags >> k & 1) && i < at + len; i++)
                        b[1 + i] += a[i];
                    at += len;
                }
            for (size_t i = 0; q.op == PROBE_LOSS && grad && i < n; i++)
                b[1 + i] += a[i];
            b[0] = forge_loss(c, seed, a, n);
            forge_send(b, (1 + (grad ? n : 0)) * sizeof *b);
        } else if (q.op == PROBE_MAP || q.op == PROBE_INVERSE || q.op == PROBE_JACOBIAN ||
                   q.op == PROBE_LOGDET) {
            if (forge_read(a, m * sizeof *a) != 0)
                _exit(4);
            if (q.op == PROBE_MAP || q.op == PROBE_INVERSE) {
                for (size_t i = 0; i < m; i++)
                    b[i] = q.op == PROBE_MAP ? 2 * a[i] : a[i] / 2;
                forge_send(b, m * sizeof *b);
            } else if (q.op == PROBE_JACOBIAN) {
                b[0] = 0;
                for (size_t i = 0; i < m * m; i++)
                    b[1 + i] = i % (m + 1) == 0 ? 2.0 : 0.0;
                forge_send(b, (1 + m * m) * sizeof *b);
            } else {
                b[0] = 0, b[1] = (double)m * log(2.0);
                forge_send(b, 2 * sizeof *b);
            }
        } else if (q.op == PROBE_OUTPUTS) {
            for (size_t i = 0; i < count; i++)
                b[i] = 1.0;
            forge_send(b, count * sizeof *b);
        }
    }
    _exit(4);
}
