/* test_rng.c — the portable generator: published splitmix64 values,
 * reproducibility, ranges and rough uniformity. */
#include <math.h>

#include "rng.h"
#include "tests.h"

/* splitmix64 from state 0: the reference outputs published with the algorithm. */
START_TEST(splitmix64_reference_values)
{
    uint64_t s = 0;
    ck_assert_uint_eq(splitmix64(&s), 0xe220a8397b1dcdafULL);
    ck_assert_uint_eq(splitmix64(&s), 0x6e789e6aa1b965f4ULL);
    ck_assert_uint_eq(splitmix64(&s), 0x06c45d188009454fULL);
}
END_TEST

START_TEST(same_seed_same_stream_other_seed_other_stream)
{
    rng_t a, b, c;
    rng_seed(&a, 12345);
    rng_seed(&b, 12345);
    rng_seed(&c, 12346);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = rng_next(&a);
        ck_assert_uint_eq(x, rng_next(&b));
        differ += x != rng_next(&c);
    }
    ck_assert_int_gt(differ, 990);
}
END_TEST

START_TEST(uniform_in_unit_interval_with_mean_half)
{
    rng_t r;
    rng_seed(&r, 7);
    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        double u = rng_uniform(&r);
        ck_assert(u >= 0.0 && u < 1.0);
        sum += u;
    }
    ck_assert_double_eq_tol(sum / 100000, 0.5, 0.005);
}
END_TEST

/* Chi-square over 10 bins: 9 degrees of freedom, 99.9% quantile 27.9. */
START_TEST(index_is_in_range_and_uniform)
{
    rng_t r;
    rng_seed(&r, 99);
    size_t counts[10] = { 0 };
    for (int i = 0; i < 100000; i++) {
        size_t k = rng_index(&r, 10);
        ck_assert_uint_lt(k, 10);
        counts[k]++;
    }
    double chi2 = 0;
    for (int k = 0; k < 10; k++)
        chi2 += (counts[k] - 10000.0) * (counts[k] - 10000.0) / 10000.0;
    ck_assert_double_lt(chi2, 27.9);
    ck_assert_uint_eq(rng_index(&r, 1), 0);
}
END_TEST

START_TEST(normal_has_mean_zero_variance_one)
{
    rng_t r;
    rng_seed(&r, 3);
    double s = 0, s2 = 0;
    for (int i = 0; i < 200000; i++) {
        double z = rng_normal(&r);
        s += z;
        s2 += z * z;
    }
    ck_assert_double_eq_tol(s / 200000, 0.0, 0.01);
    ck_assert_double_eq_tol(s2 / 200000, 1.0, 0.02);
}
END_TEST

Suite *suite_rng(void)
{
    Suite *s = suite_create("rng");
    TCase *t = tcase_create("core");
    tcase_add_test(t, splitmix64_reference_values);
    tcase_add_test(t, same_seed_same_stream_other_seed_other_stream);
    tcase_add_test(t, uniform_in_unit_interval_with_mean_half);
    tcase_add_test(t, index_is_in_range_and_uniform);
    tcase_add_test(t, normal_has_mean_zero_variance_one);
    suite_add_tcase(s, t);
    return s;
}
