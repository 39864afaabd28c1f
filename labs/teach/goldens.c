/* goldens.c — see goldens.h. */
#include "goldens.h"

#include <math.h>
#include <stdio.h>

int golden_loss(const gc_check *c, size_t k, double *J, char *why, size_t size)
{
    gc_problem p;
    if (c->setup(&p, GC_GOLDEN_SEED + k) != 0) {
        snprintf(why, size, "%s: out of memory setting up golden input %zu", c->name, k + 1);
        return -1;
    }
    int rc = -1;
    char invalid[200];
    if (gc_problem_valid(&p, invalid, sizeof invalid) != 0)
        snprintf(why, size, "%s: %s", c->name, invalid);
    else if (p.custom || p.map)
        snprintf(why, size, "%s: a map or a custom check has no loss, so no golden losses "
                 "(give it NO_GOLDEN)", c->name);
    else {
        if (p.reset)
            p.reset(p.ctx);
        *J = gc_loss(&p, p.x, NULL);
        rc = 0;
    }
    gc_problem_free(&p);
    return rc;
}

int golden_verify(const gc_check *c, char *why, size_t size)
{
    for (size_t k = 0; c->golden && k < c->ngolden; k++) {
        double J;
        if (golden_loss(c, k, &J, why, size) != 0)
            return -1;
        if (!(fabs(J - c->golden[k]) <= 1e-12 * fmax(fabs(J), 1e-300))) {
            snprintf(why, size, "%s: golden input %zu: golden.h has %.17g, the reference gives "
                     "%.17g (make goldens writes them)", c->name, k + 1, c->golden[k], J);
            return -1;
        }
    }
    return 0;
}
