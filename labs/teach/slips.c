/* slips.c — the catalogue of slips (see slips.h): the labs' tables of slips,
 * found from the folders labs/labN/teach/slips.c, and the machinery they
 * share. A wrapped slip takes a lab check's problem as the check sets it up
 * and wraps its loss: the right function runs, then `apply` turns its loss J
 * and gradient g into what the slip would have given. Checks that judge
 * themselves (a Jacobian, the Huffman tree) are changed through their own
 * hooks instead. */
#include "slips.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lab_list.h"
#include "registry.h"

/* Each lab's table, ended by an entry whose name is NULL, in lab order. */
#define X(n) extern const slip_entry lab##n##_slips[];
LAB_SLIP_LIST
#undef X
#define X(n) lab##n##_slips,
static const slip_entry *const tables[] = { LAB_SLIP_LIST NULL };
#undef X
#define X(n) n,
static const int numbers[] = { LAB_SLIP_LIST 0 };
#undef X

size_t slip_count(void)
{
    size_t n = 0;
    while (slip_at(n, NULL))
        n++;
    return n;
}

const slip_entry *slip_at(size_t i, int *lab)
{
    for (size_t t = 0; tables[t]; t++)
        for (const slip_entry *s = tables[t]; s->name; s++)
            if (i-- == 0) {
                if (lab)
                    *lab = numbers[t];
                return s;
            }
    return NULL;
}

static void wrapped_release(void *ctx)
{
    gc_problem_free(&((slip_wrapped *)ctx)->right);
}

static void wrapped_reset(void *ctx)
{
    const gc_problem *right = &((slip_wrapped *)ctx)->right;
    if (right->reset)
        right->reset(right->ctx);
}

/* The right check's own explanation, asked of the right problem. */
static void wrapped_explain(const gc_problem *p, const double *a, const double *num, char *buf,
                            size_t size)
{
    const gc_problem *right = &((const slip_wrapped *)p->ctx)->right;
    if (right->explain)
        right->explain(right, a, num, buf, size);
}

static void wrapped_explain_loss(const gc_problem *p, double J, char *buf, size_t size)
{
    const gc_problem *right = &((const slip_wrapped *)p->ctx)->right;
    if (right->explain_loss)
        right->explain_loss(right, J, buf, size);
}

static double wrapped_f(void *ctx, const double *x, double *grad)
{
    const slip_wrapped *w = ctx;
    size_t n = w->right.n;
    double *g = grad ? calloc(n, sizeof *g) : NULL;
    if (grad && !g)
        return NAN;
    double J = gc_loss(&w->right, x, g);
    J = w->apply(&w->right, x, J, g, grad);
    free(g);
    return J;
}

int slip_wrap(gc_problem *p, uint64_t seed, const char *check, slip_apply apply)
{
    const gc_check *c = lab_find(check);
    gc_problem right;
    if (!c || c->setup(&right, seed) != 0)
        return -1;
    if (gc_problem_alloc(p, right.n, sizeof(slip_wrapped)) != 0) {
        gc_problem_free(&right);
        return -1;
    }
    memcpy(p->x, right.x, right.n * sizeof *p->x);
    memcpy(p->blocks, right.blocks, sizeof p->blocks);
    p->nblocks = right.nblocks;
    *(slip_wrapped *)p->ctx = (slip_wrapped){ right, apply };
    p->f = wrapped_f;
    p->reset = wrapped_reset;
    p->release = wrapped_release;
    p->explain = wrapped_explain;
    p->explain_loss = wrapped_explain_loss;
    p->kink_side = right.kink_side;
    return 0;
}

int slip_variant(const gc_check *table, const char *check, gc_problem *p, uint64_t seed)
{
    for (const gc_check *c = table; c->name; c++)
        if (strcmp(c->name, check) == 0)
            return c->setup(p, seed);
    return -1;
}

void slip_add(double *grad, const double *g, size_t n, double k)
{
    for (size_t i = 0; grad && g && i < n; i++)
        grad[i] += k * g[i];
}

void slip_add_block(double *grad, const double *g, size_t n, size_t len, double k)
{
    slip_add(grad, g, len, k);
    if (grad)
        slip_add(grad + len, g + len, n - len, 1.0);
}

const slip_entry *slip_find(const char *name)
{
    const slip_entry *s;
    for (size_t i = 0; (s = slip_at(i, NULL)) != NULL; i++)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

gc_check slip_check(const slip_entry *s)
{
    const gc_check *right = lab_find(s->check);        /* its golden losses judge the slip's */
    return (gc_check){ s->name, right ? right->group : 0, s->what, s->setup,
                       right ? right->golden : NULL, right ? right->ngolden : 0 };
}

size_t slips_run(FILE *out, const gc_options *o, unsigned timeout)
{
    size_t total = 0, missed = 0;
    fprintf(out, "%-22s %-18s %-8s %s\n", "slip", "check", "verdict", "what the checker said");
    const slip_entry *s;
    for (size_t i = 0; (s = slip_at(i, NULL)) != NULL; i++) {
        gc_check c = slip_check(s);
        gc_report r;
        gc_run_isolated(&c, o, timeout, &r);
        if (o->method == GC_TAYLOR && r.status == GC_PASS && r.kinks) {
            fprintf(out, "%-22s %-18s %-8s %s\n%50s(a kink: the Taylor test cannot judge it; "
                    "run without --method taylor)\n", s->name, s->check, "n/a", s->what, "");
            continue;
        }
        int caught = r.status != GC_PASS;
        int diagnosed = strstr(r.note, s->expect) || strstr(r.diagnosis, s->expect) ||
                        (o->method == GC_TAYLOR && caught);   /* the order is the diagnosis */
        const char *verdict = !caught ? "MISSED" : diagnosed ? "caught" : "caught?";
        fprintf(out, "%-22s %-18s %-8s %s\n", s->name, s->check, verdict, s->what);
        fprintf(out, "%50s%s\n", "", r.note);
        if (r.diagnosis[0])
            fprintf(out, "%50sdiagnosis: %s\n", "", r.diagnosis);
        if (caught && !diagnosed)
            fprintf(out, "%50sexpected the report to say: %s\n", "", s->expect);
        total++;
        missed += !(caught && diagnosed);
    }
    fprintf(out, "\nslips: %zu of %zu caught and diagnosed as expected\n", total - missed, total);
    return missed;
}
