/* test_layernorm.c — the Taylor test on a layer norm, a loss that is exactly
 * flat along a direction (shifting a row of x changes nothing):
 *   y_rj = gamma_j (x_rj - mu_r) / sqrt(var_r + 1e-5) + beta_j,  L = sum W . y,
 * 5 rows of 3, so that a random +-1 direction lies along the shift of a row
 * (probability 1/4 per row) and along it the remainder is round-off only;
 * L is linear in gamma and beta, and sums to nearly 0 at some points, so its
 * round-off is that of its terms, not of its value. The right gradient must
 * pass at every seed 0..1000, and one 1.0001 times too large (all of it)
 * must fail at every seed. (A Taylor test that read round-off as an order
 * failed 2 of these 1001 seeds.) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gradcheck.h"
#include "rng.h"
#include "tests.h"

enum { ROWS = 5, COLS = 3, N = ROWS * COLS + 2 * COLS };

typedef struct {
    double W[ROWS * COLS];
    double k;                /* the gradient's factor: 1 right */
} ln_ctx;

static double layer_norm(void *ctx, const double *x, double *g)
{
    const ln_ctx *c = ctx;
    const double *gamma = x + ROWS * COLS, *beta = gamma + COLS;
    double L = 0;
    for (int r = 0; r < ROWS; r++) {
        const double *xr = x + r * COLS, *w = c->W + r * COLS;
        double mu = 0, var = 0, xhat[COLS], m1 = 0, m2 = 0;
        for (int j = 0; j < COLS; j++)
            mu += xr[j] / COLS;
        for (int j = 0; j < COLS; j++)
            var += (xr[j] - mu) * (xr[j] - mu) / COLS;
        double s = sqrt(var + 1e-5);
        for (int j = 0; j < COLS; j++) {
            xhat[j] = (xr[j] - mu) / s;
            L += w[j] * (gamma[j] * xhat[j] + beta[j]);
            m1 += w[j] * gamma[j] / COLS;
            m2 += w[j] * gamma[j] * xhat[j] / COLS;
        }
        for (int j = 0; g && j < COLS; j++) {
            g[r * COLS + j] += c->k * (w[j] * gamma[j] - m1 - xhat[j] * m2) / s;
            g[ROWS * COLS + j] += c->k * w[j] * xhat[j];
            g[ROWS * COLS + COLS + j] += c->k * w[j];
        }
    }
    return L;
}

static gc_status check_at(uint64_t seed, double k, gc_method m, gc_report *r)
{
    gc_problem p;
    ck_assert_int_eq(gc_problem_alloc(&p, N, sizeof(ln_ctx)), 0);
    ln_ctx *c = p.ctx;
    rng_t g;
    rng_seed(&g, seed);
    c->k = k;
    for (int i = 0; i < ROWS * COLS; i++)
        c->W[i] = rng_normal(&g);
    for (int i = 0; i < N; i++)
        p.x[i] = rng_normal(&g);
    for (int j = 0; j < COLS; j++)
        p.x[ROWS * COLS + j] = 1 + 0.3 * rng_normal(&g);
    p.f = layer_norm;
    p.blocks[0] = (gc_block){ "x", ROWS, COLS };
    p.blocks[1] = (gc_block){ "gamma", COLS, 0 };
    p.blocks[2] = (gc_block){ "beta", COLS, 0 };
    p.nblocks = 3;
    gc_options o = gc_default_options();
    o.method = m;
    o.seed = seed;
    gc_status s = gc_check_gradient(&p, &o, r);
    gc_problem_free(&p);
    return s;
}

START_TEST(taylor_passes_a_right_layer_norm_at_every_seed)
{
    for (uint64_t seed = 0; seed <= 1000; seed++) {
        gc_report r;
        ck_assert_msg(check_at(seed, 1.0, GC_TAYLOR, &r) == GC_PASS, "seed %llu: %s",
                      (unsigned long long)seed, r.note);
    }
}
END_TEST

START_TEST(taylor_fails_a_gradient_1_0001_times_too_large_at_every_seed)
{
    for (uint64_t seed = 0; seed <= 1000; seed++) {
        gc_report r;
        ck_assert_msg(check_at(seed, 1.0001, GC_TAYLOR, &r) == GC_FAIL, "seed %llu passed",
                      (unsigned long long)seed);
    }
}
END_TEST

START_TEST(central_differences_agree)
{
    for (uint64_t seed = 0; seed <= 1000; seed += 10) {
        gc_report r;
        ck_assert_msg(check_at(seed, 1.0, GC_CENTRAL, &r) == GC_PASS, "seed %llu: %s",
                      (unsigned long long)seed, r.note);
        ck_assert_int_eq(check_at(seed, 1.0001, GC_CENTRAL, &r), GC_FAIL);
        ck_assert_ptr_nonnull(strstr(r.diagnosis, "1.0001x"));
    }
}
END_TEST

Suite *suite_layernorm(void)
{
    Suite *s = suite_create("layernorm");
    TCase *t = tcase_create("taylor");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, taylor_passes_a_right_layer_norm_at_every_seed);
    tcase_add_test(t, taylor_fails_a_gradient_1_0001_times_too_large_at_every_seed);
    tcase_add_test(t, central_differences_agree);
    suite_add_tcase(s, t);
    return s;
}
