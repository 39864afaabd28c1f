/* test_isolate.c — a check that crashes, loops, exits or is not implemented
 * costs that check only, with a message saying what happened. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "gradcheck.h"
#include "tests.h"
#include "exits.h"
#include "unimplemented.h"

typedef enum { OK, SEGV, LOOP, EXIT0, NOT_IMPL, STUB, ABORT } behaviour;

static double f_behave(void *ctx, const double *x, double *g)
{
    behaviour b = *(const behaviour *)ctx;
    if (b == SEGV)
        raise(SIGSEGV);
    if (b == ABORT)
        abort();
    if (b == EXIT0)
        exit(0);
    if (b == NOT_IMPL)
        exit(GC_EXIT_NOT_IMPLEMENTED);
    if (b == STUB)
        gradlab_not_implemented("f_behave", "tests/test_isolate.c");   /* a released stub */
    for (volatile int spin = (b == LOOP); spin;)
        ;
    if (g)
        g[0] += 2 * x[0];
    return x[0] * x[0];
}

#define SETUP(NAME, B)                                            \
    static int NAME(gc_problem *p, uint64_t seed)                 \
    {                                                             \
        (void)seed;                                               \
        if (gc_problem_alloc(p, 1, sizeof(behaviour)) != 0)       \
            return -1;                                            \
        *(behaviour *)p->ctx = B;                                 \
        p->x[0] = 0.7;                                            \
        p->f = f_behave;                                          \
        p->blocks[0] = (gc_block){ "x", 1, 0 };                   \
        p->nblocks = 1;                                           \
        return 0;                                                 \
    }
SETUP(setup_ok, OK)
SETUP(setup_segv, SEGV)
SETUP(setup_loop, LOOP)
SETUP(setup_exit0, EXIT0)
SETUP(setup_not_impl, NOT_IMPL)
SETUP(setup_stub, STUB)
SETUP(setup_abort, ABORT)

static gc_status run(int (*setup)(gc_problem *, uint64_t), gc_report *r)
{
    gc_check c = { "isolated", 0, "test", setup, NULL, 0 };
    gc_options o = gc_default_options();
    return gc_run_isolated(&c, &o, 1, r);
}

START_TEST(a_good_check_passes_through_the_child)
{
    gc_report r;
    ck_assert_int_eq(run(setup_ok, &r), GC_PASS);
    ck_assert_double_eq_tol(r.analytic, 1.4, 1e-12);
    ck_assert_uint_gt(r.evals, 2);
}
END_TEST

START_TEST(segfault_is_a_crash_with_its_signal)
{
    gc_report r;
    ck_assert_int_eq(run(setup_segv, &r), GC_CRASH);
    ck_assert_ptr_nonnull(strstr(r.note, "Segmentation"));
    ck_assert_int_eq(run(setup_abort, &r), GC_CRASH);
    ck_assert_ptr_nonnull(strstr(r.note, "Abort"));
}
END_TEST

START_TEST(endless_loop_times_out)
{
    gc_report r;
    ck_assert_int_eq(run(setup_loop, &r), GC_TIMEOUT);
    ck_assert_ptr_nonnull(strstr(r.note, "1 s"));
}
END_TEST

START_TEST(exit_inside_a_function_is_not_a_pass)
{
    gc_report r;
    ck_assert_int_eq(run(setup_exit0, &r), GC_CRASH);
    ck_assert_ptr_nonnull(strstr(r.note, "exit"));
    ck_assert_int_eq(run(setup_not_impl, &r), GC_NOT_IMPLEMENTED);
    ck_assert_ptr_nonnull(strstr(r.note, "not implemented yet"));
    ck_assert_int_eq(run(setup_stub, &r), GC_NOT_IMPLEMENTED);       /* the stub names itself */
    ck_assert_str_eq(r.note, "not implemented: f_behave (tests/test_isolate.c)");
}
END_TEST

/* The stub's side (src/unimplemented.h) and the library's agree on the exit
 * status and on the variable naming the report descriptor. */
START_TEST(the_stub_and_the_library_name_the_same_descriptor)
{
    ck_assert_str_eq(GC_REPORT_FD_ENV, GRADLAB_REPORT_FD_ENV);
    ck_assert_int_eq(GC_EXIT_NOT_IMPLEMENTED, GL_EXIT_NOT_IMPLEMENTED);
    gc_report r;
    ck_assert_int_eq(run(setup_stub, &r), GC_NOT_IMPLEMENTED);
    ck_assert_str_eq(r.note, "not implemented: f_behave (tests/test_isolate.c)");
}
END_TEST

/* A check whose golden point cannot be set up is an ERROR, never a PASS
 * with that golden loss silently skipped. */
static int setup_golden_fails(gc_problem *p, uint64_t seed)
{
    if (seed >= GC_GOLDEN_SEED) {
        errno = ENOMEM;
        return -1;
    }
    return setup_ok(p, seed);
}

START_TEST(a_golden_point_that_cannot_be_set_up_is_an_error)
{
    static const double golden[1] = { 0.49 };
    gc_check c = { "golden", 0, "test", setup_golden_fails, golden, 1 };
    gc_options o = gc_default_options();
    gc_report r;
    ck_assert_int_eq(gc_run_check(&c, &o, &r), GC_ERROR);
    ck_assert_int_eq(r.error, ENOMEM);
    ck_assert_ptr_nonnull(strstr(r.note, "golden input 1 could not be set up: out of memory"));
    c.setup = setup_ok;                               /* the same loss at a set-up that works */
    ck_assert_int_eq(gc_run_check(&c, &o, &r), GC_PASS);
}
END_TEST

Suite *suite_isolate(void)
{
    Suite *s = suite_create("isolate");
    TCase *t = tcase_create("child processes");
    tcase_set_timeout(t, 30);
    tcase_add_test(t, a_good_check_passes_through_the_child);
    tcase_add_test(t, segfault_is_a_crash_with_its_signal);
    tcase_add_test(t, endless_loop_times_out);
    tcase_add_test(t, exit_inside_a_function_is_not_a_pass);
    tcase_add_test(t, the_stub_and_the_library_name_the_same_descriptor);
    tcase_add_test(t, a_golden_point_that_cannot_be_set_up_is_an_error);
    suite_add_tcase(s, t);
    return s;
}
