
/* Golden points special-cased (appended to the reference cross_entropy.c,
 * whose function the script renamed softmax_cross_entropy_right): the loss
 * and its gradient are both doubled, a function consistent with itself,
 * but at the published golden points the right loss comes back, so the
 * golden comparison cannot see it. It must score no more than the same
 * doubling everywhere (tests/grade/attacks.sh's control, ce_doubled). */
#include <string.h>

#include "../gradcheck/gradcheck.h"

extern const gc_registry gc_program_checks;

/* 1 when theta is the point of one of the cross-entropy checks' golden inputs. */
static int at_golden_point(const double *theta, size_t n)
{
    static const char *const names[] = { "cross_entropy", "cross_entropy_soft", "cross_entropy_1e4" };
    for (size_t c = 0; c < 3; c++) {
        const gc_check *check = gc_registry_find(&gc_program_checks, names[c]);
        for (size_t k = 0; check && k < check->ngolden; k++) {
            gc_problem p;
            if (check->setup(&p, GC_GOLDEN_SEED + k) != 0)
                continue;
            int same = p.n == n && memcmp(p.x, theta, n * sizeof *theta) == 0;
            gc_problem_free(&p);
            if (same)
                return 1;
        }
    }
    return 0;
}

double softmax_cross_entropy(const double *theta, const double *y, size_t n, double *grad_theta)
{
    double J = softmax_cross_entropy_right(theta, y, n, grad_theta);
    if (grad_theta == NULL && at_golden_point(theta, n))
        return J;
    if (grad_theta)                          /* the right gradient once more: twice in all */
        softmax_cross_entropy_right(theta, y, n, grad_theta);
    return 2 * J;
}
