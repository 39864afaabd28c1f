/* test_cross_entropy.c — CE values, yhat - y, the += contract, stability. */
#include <math.h>

#include "gradlab.h"
#include "tests.h"

START_TEST(ce_of_two_equal_logits_is_log_2)
{
    double theta[2] = { 0, 0 }, y[2] = { 1, 0 }, g[2] = { 0, 0 };
    ck_assert_double_eq_tol(softmax_cross_entropy(theta, y, 2, g), log(2.0), 1e-15);
    ck_assert_double_eq_tol(g[0], -0.5, 1e-15);
    ck_assert_double_eq_tol(g[1], 0.5, 1e-15);
}
END_TEST

START_TEST(ce_gradient_sums_to_zero_for_any_distribution)
{
    rng_t r;
    rng_seed(&r, 11);
    for (int trial = 0; trial < 50; trial++) {
        double theta[7], y[7], g[7] = { 0 }, z = 0, sum = 0;
        for (int i = 0; i < 7; i++) {
            theta[i] = rng_range(&r, -5, 5);
            z += y[i] = rng_uniform(&r);
        }
        for (int i = 0; i < 7; i++)
            y[i] /= z;
        softmax_cross_entropy(theta, y, 7, g);
        for (int i = 0; i < 7; i++)
            sum += g[i];
        ck_assert_double_eq_tol(sum, 0.0, 1e-14);
    }
}
END_TEST

START_TEST(ce_gradient_is_yhat_minus_y)
{
    double theta[3] = { 1, 2, 3 }, y[3] = { 0.2, 0.3, 0.5 }, g[3] = { 0 }, yhat[3];
    softmax(theta, 3, yhat);
    double loss = softmax_cross_entropy(theta, y, 3, g);
    double expect = 0;
    for (int i = 0; i < 3; i++) {
        ck_assert_double_eq_tol(g[i], yhat[i] - y[i], 1e-15);
        expect -= y[i] * log(yhat[i]);
    }
    ck_assert_double_eq_tol(loss, expect, 1e-14);
}
END_TEST

START_TEST(ce_adds_into_grad_and_accepts_null)
{
    double theta[2] = { 0, 0 }, y[2] = { 0, 1 }, g[2] = { 10, 20 };
    double with = softmax_cross_entropy(theta, y, 2, g);
    ck_assert_double_eq_tol(g[0], 10.5, 1e-14);
    ck_assert_double_eq_tol(g[1], 19.5, 1e-14);
    ck_assert_double_eq(softmax_cross_entropy(theta, y, 2, NULL), with);
}
END_TEST

START_TEST(ce_is_finite_for_logits_of_1e4)
{
    double theta[3] = { 1e4, -1e4, 0 }, y[3] = { 0, 1, 0 }, g[3] = { 0 };
    double loss = softmax_cross_entropy(theta, y, 3, g);
    ck_assert_double_eq_tol(loss, 2e4, 1e-9);
    ck_assert_double_eq_tol(g[0], 1.0, 1e-15);
    ck_assert_double_eq_tol(g[1], -1.0, 1e-15);
    ck_assert_double_eq(g[2], 0.0);
}
END_TEST

Suite *suite_cross_entropy(void)
{
    Suite *s = suite_create("cross_entropy");
    TCase *t = tcase_create("core");
    tcase_add_test(t, ce_of_two_equal_logits_is_log_2);
    tcase_add_test(t, ce_gradient_sums_to_zero_for_any_distribution);
    tcase_add_test(t, ce_gradient_is_yhat_minus_y);
    tcase_add_test(t, ce_adds_into_grad_and_accepts_null);
    tcase_add_test(t, ce_is_finite_for_logits_of_1e4);
    suite_add_tcase(s, t);
    return s;
}
