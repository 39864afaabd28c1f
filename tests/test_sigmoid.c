/* test_sigmoid.c — sigma at known points, sigma' = s(1 - s), stable log sigma. */
#include <math.h>

#include "gradlab.h"
#include "tests.h"

START_TEST(sigmoid_of_1_2_3)
{
    ck_assert_double_eq_tol(sigmoid(1), 0.7310585786300049, 1e-15);
    ck_assert_double_eq_tol(sigmoid(2), 0.8807970779778823, 1e-15);
    ck_assert_double_eq_tol(sigmoid(3), 0.9525741268224334, 1e-15);
    ck_assert_double_eq(sigmoid(0), 0.5);
    ck_assert_double_eq_tol(sigmoid(-3), 1 - 0.9525741268224334, 1e-15);
}
END_TEST

START_TEST(sigmoid_is_finite_at_1e4)
{
    ck_assert_double_eq(sigmoid(1e4), 1.0);
    ck_assert_double_eq(sigmoid(-1e4), 0.0);
    ck_assert(!isnan(sigmoid(-1e4)));
    ck_assert_double_eq_tol(sigmoid(-40), exp(-40.0), 1e-30);
}
END_TEST

START_TEST(sigmoid_grad_is_s_times_one_minus_s)
{
    ck_assert_double_eq(sigmoid_grad(sigmoid(0)), 0.25);
    ck_assert_double_eq(sigmoid_grad(0.0), 0.0);
    ck_assert_double_eq(sigmoid_grad(1.0), 0.0);
    /* sigma'(x) against the exact e^-x / (1 + e^-x)^2 */
    for (double x = -8; x <= 8; x += 0.5) {
        double e = exp(-x);
        ck_assert_double_eq_tol(sigmoid_grad(sigmoid(x)), e / ((1 + e) * (1 + e)), 1e-15);
    }
}
END_TEST

START_TEST(log_sigmoid_is_exact_for_large_abs_x)
{
    ck_assert_double_eq(log_sigmoid(-1e4), -1e4);
    ck_assert_double_eq(log_sigmoid(-800), -800);
    ck_assert(log_sigmoid(1e4) <= 0.0 && log_sigmoid(1e4) > -1e-300);
    /* log sigma(40) = -log(1 + e^-40) = -e^-40 to 1e-35 */
    ck_assert_double_eq_tol(log_sigmoid(40), -exp(-40.0), 1e-33);
    ck_assert(log_sigmoid(40) != 0.0);
    ck_assert_double_eq_tol(log_sigmoid(0), -log(2.0), 1e-16);
    ck_assert_double_eq_tol(log_sigmoid(-1), log(1 - 0.7310585786300049), 1e-15);
}
END_TEST

Suite *suite_sigmoid(void)
{
    Suite *s = suite_create("sigmoid");
    TCase *t = tcase_create("core");
    tcase_add_test(t, sigmoid_of_1_2_3);
    tcase_add_test(t, sigmoid_is_finite_at_1e4);
    tcase_add_test(t, sigmoid_grad_is_s_times_one_minus_s);
    tcase_add_test(t, log_sigmoid_is_exact_for_large_abs_x);
    suite_add_tcase(s, t);
    return s;
}
