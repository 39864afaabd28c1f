/* test_softmax.c — known values, shift invariance, stability at +-1e4. */
#include <math.h>

#include "gradlab.h"
#include "tests.h"

/* softmax(1, 2) = (1/(1+e), e/(1+e)) */
static const double P1 = 0.2689414213699951, P2 = 0.7310585786300049;

START_TEST(softmax_of_1_2)
{
    double x[2] = { 1, 2 }, s[2];
    softmax(x, 2, s);
    ck_assert_double_eq_tol(s[0], P1, 1e-15);
    ck_assert_double_eq_tol(s[1], P2, 1e-15);
}
END_TEST

START_TEST(softmax_of_1001_1002_is_the_same)
{
    double x[2] = { 1001, 1002 }, s[2];
    softmax(x, 2, s);
    ck_assert_double_eq_tol(s[0], P1, 1e-13);
    ck_assert_double_eq_tol(s[1], P2, 1e-13);
}
END_TEST

START_TEST(softmax_is_finite_and_sums_to_one_at_1e4)
{
    double x[4] = { 1e4, -1e4, 1e4 - 1, -2e4 }, s[4];
    softmax(x, 4, s);
    double sum = 0;
    for (int i = 0; i < 4; i++) {
        ck_assert(isfinite(s[i]));
        sum += s[i];
    }
    ck_assert_double_eq_tol(sum, 1.0, 1e-15);
    ck_assert_double_eq_tol(s[0], P2, 1e-12);
    ck_assert_double_eq(s[1], 0.0);
}
END_TEST

START_TEST(softmax_is_invariant_to_many_shifts)
{
    double x[5] = { -1, 0.5, 2, 3.25, 0 }, ref[5], y[5], s[5];
    softmax(x, 5, ref);
    rng_t r;
    rng_seed(&r, 5);
    for (int k = 0; k < 500; k++) {
        double c = rng_range(&r, -1e4, 1e4);
        for (int i = 0; i < 5; i++)
            y[i] = x[i] + c;
        softmax(y, 5, s);
        for (int i = 0; i < 5; i++)
            ck_assert_double_eq_tol(s[i], ref[i], 1e-11);   /* x + c itself rounds by |c| eps */
    }
}
END_TEST

START_TEST(softmax_may_write_in_place_and_handles_n_1)
{
    double x[3] = { 1, 2, 3 }, one = 5;
    softmax(x, 3, x);
    ck_assert_double_eq_tol(x[0] + x[1] + x[2], 1.0, 1e-15);
    ck_assert(x[0] < x[1] && x[1] < x[2]);
    softmax(&one, 1, &one);
    ck_assert_double_eq(one, 1.0);
}
END_TEST

START_TEST(logsumexp_known_values_and_stability)
{
    double a[2] = { 1000, 1000 }, b[2] = { -1e4, -1e4 }, c[3] = { 0, 0, 0 };
    ck_assert_double_eq_tol(logsumexp(a, 2), 1000 + log(2.0), 1e-12);
    ck_assert_double_eq_tol(logsumexp(b, 2), -1e4 + log(2.0), 1e-11);
    ck_assert_double_eq_tol(logsumexp(c, 3), log(3.0), 1e-15);
}
END_TEST

Suite *suite_softmax(void)
{
    Suite *s = suite_create("softmax");
    TCase *t = tcase_create("core");
    tcase_add_test(t, softmax_of_1_2);
    tcase_add_test(t, softmax_of_1001_1002_is_the_same);
    tcase_add_test(t, softmax_is_finite_and_sums_to_one_at_1e4);
    tcase_add_test(t, softmax_is_invariant_to_many_shifts);
    tcase_add_test(t, softmax_may_write_in_place_and_handles_n_1);
    tcase_add_test(t, logsumexp_known_values_and_stability);
    suite_add_tcase(s, t);
    return s;
}
