#define _POSIX_C_SOURCE 200809L
/* test_gradcheck.c — the checker itself: it passes right gradients, and FAILS
 * wrong ones (sign, factor, dropped term, ignored input, transposed block,
 * NaN, non-determinism) naming the coordinate; it flags vacuous checks and
 * does not mistake finite-difference noise for a wrong derivation. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gradcheck.h"
#include "slips.h"
#include "rng.h"
#include "registry.h"
#include "tests.h"

/* f(W, b) = sum_ij A_ij W_ij^2 / 2 + sum_j sin(b_j) sum_i W_ij, W is 3 x 4, b has 4.
 * dW_ij = A_ij W_ij + sin(b_j);  db_j = cos(b_j) sum_i W_ij. */
enum { R = 3, C = 4, NWB = R * C + C };
typedef enum {
    RIGHT, SIGN, FACTOR2, DROP_TERM, IGNORE_B2, TRANSPOSE, NAN_GRAD, ONE_WRONG, ZERO, NONDET,
    ZERO_ROW, HALF_ROW, NOISE
} slip;

typedef struct {
    slip mode;
    double A[R * C];
    int calls;
} wb_ctx;

static double f_wb(void *ctx, const double *x, double *g)
{
    wb_ctx *c = ctx;
    const double *W = x, *b = x + R * C;
    double f = 0;
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++)
            f += 0.5 * c->A[i * C + j] * W[i * C + j] * W[i * C + j] + sin(b[j]) * W[i * C + j];
    if (c->mode == NONDET)
        f += 1e-3 * c->calls++;
    if (!g || c->mode == ZERO)
        return f;
    double k = c->mode == SIGN ? -1 : c->mode == FACTOR2 ? 2 : 1;
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++) {
            double d = c->A[i * C + j] * W[i * C + j] + (c->mode == DROP_TERM ? 0 : sin(b[j]));
            if (c->mode == ZERO_ROW && i == 1)
                continue;                  /* row 1 of dJ/dW never filled */
            if (c->mode == HALF_ROW && i == 2)
                d *= 0.5;                  /* row 2 counted once of twice */
            g[c->mode == TRANSPOSE ? j * R + i : i * C + j] += k * d;
        }
    for (int j = 0; j < C; j++) {
        if (c->mode == IGNORE_B2 && j == 2)
            continue;
        double s = 0;
        for (int i = 0; i < R; i++)
            s += W[i * C + j];
        g[R * C + j] += k * cos(b[j]) * s;
    }
    if (c->mode == NAN_GRAD)
        g[1 * C + 2] = NAN;
    if (c->mode == ONE_WRONG)
        g[2 * C + 1] += 0.1;
    for (int i = 0; c->mode == NOISE && i < NWB; i++)
        g[i] += 0.3 * sin(7.0 * i * i + 1);
    return f;
}

static void make_wb(gc_problem *p, slip mode)
{
    rng_t r;
    rng_seed(&r, 2024);
    ck_assert_int_eq(gc_problem_alloc(p, NWB, sizeof(wb_ctx)), 0);
    wb_ctx *c = p->ctx;
    c->mode = mode;
    for (int i = 0; i < R * C; i++)
        c->A[i] = rng_range(&r, 0.5, 2);
    for (int i = 0; i < NWB; i++)
        p->x[i] = rng_range(&r, -2, 2);
    p->f = f_wb;
    p->blocks[0] = (gc_block){ "W", R, C };
    p->blocks[1] = (gc_block){ "b", C, 0 };
    p->nblocks = 2;
}

static gc_status run_wb(slip mode, gc_method method, gc_report *r)
{
    gc_problem p;
    gc_options o = gc_default_options();
    o.method = method;
    make_wb(&p, mode);
    gc_status s = gc_check_gradient(&p, &o, r);
    gc_problem_free(&p);
    return s;
}

START_TEST(right_gradient_passes_with_tiny_error)
{
    gc_report r;
    ck_assert_int_eq(run_wb(RIGHT, GC_CENTRAL, &r), GC_PASS);
    ck_assert_double_lt(r.max_err, 1e-7);
    ck_assert_uint_eq(r.nblocks, 2);
    ck_assert_uint_eq(r.blocks[0].checked, R * C);
    ck_assert_uint_eq(r.blocks[1].checked, C);
    ck_assert_str_eq(r.blocks[0].name, "dJ/dW");
    ck_assert_uint_ge(r.evals, 2 * NWB);
    ck_assert_int_eq(run_wb(RIGHT, GC_RICHARDSON, &r), GC_PASS);
    ck_assert_double_lt(r.max_err, 1e-9);
}
END_TEST

START_TEST(sign_flip_fails)
{
    gc_report r;
    ck_assert_int_eq(run_wb(SIGN, GC_CENTRAL, &r), GC_FAIL);
    ck_assert_double_gt(r.max_err, 0.5);
    ck_assert_uint_eq(r.blocks[0].wrong + r.blocks[1].wrong, NWB);
    ck_assert_int_eq(run_wb(SIGN, GC_RICHARDSON, &r), GC_FAIL);
}
END_TEST

START_TEST(factor_two_fails)
{
    gc_report r;
    ck_assert_int_eq(run_wb(FACTOR2, GC_CENTRAL, &r), GC_FAIL);
    ck_assert_double_eq_tol(r.analytic / r.numeric, 2.0, 1e-6);
}
END_TEST

START_TEST(dropped_term_fails_in_its_block_only)
{
    gc_report r;
    ck_assert_int_eq(run_wb(DROP_TERM, GC_CENTRAL, &r), GC_FAIL);
    ck_assert_uint_gt(r.blocks[0].wrong, 0);
    ck_assert_uint_eq(r.blocks[1].wrong, 0);
    ck_assert(strncmp(r.where, "dJ/dW[", 6) == 0);
}
END_TEST

START_TEST(ignored_input_is_named)
{
    gc_report r;
    ck_assert_int_eq(run_wb(IGNORE_B2, GC_CENTRAL, &r), GC_FAIL);
    ck_assert_str_eq(r.where, "dJ/db[2]");
    ck_assert_double_eq(r.analytic, 0.0);
    ck_assert_uint_eq(r.blocks[1].wrong, 1);
    ck_assert_uint_eq(r.blocks[0].wrong, 0);
}
END_TEST

START_TEST(one_wrong_entry_is_named)
{
    gc_report r;
    ck_assert_int_eq(run_wb(ONE_WRONG, GC_CENTRAL, &r), GC_FAIL);
    ck_assert_str_eq(r.where, "dJ/dW[2][1]");
    ck_assert_uint_eq(r.blocks[0].wrong, 1);
    ck_assert_double_eq_tol(r.analytic - r.numeric, 0.1, 1e-8);
}
END_TEST

START_TEST(transposed_block_fails)
{
    gc_report r;
    ck_assert_int_eq(run_wb(TRANSPOSE, GC_CENTRAL, &r), GC_FAIL);
    ck_assert_uint_gt(r.blocks[0].wrong, 6);
}
END_TEST

START_TEST(nan_gradient_fails_naming_it)
{
    gc_report r;
    ck_assert_int_eq(run_wb(NAN_GRAD, GC_CENTRAL, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.note, "dJ/dW[1][2]"));
    ck_assert_ptr_nonnull(strstr(r.note, "nan"));
}
END_TEST

START_TEST(zero_gradient_of_moving_loss_fails)
{
    gc_report r;
    ck_assert_int_eq(run_wb(ZERO, GC_CENTRAL, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.note, "zero everywhere"));
}
END_TEST

START_TEST(hidden_state_is_reported_as_non_determinism)
{
    gc_report r;
    ck_assert_int_eq(run_wb(NONDET, GC_CENTRAL, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.note, "non-deterministic"));
}
END_TEST

/* A constant loss with a zero gradient proves nothing: VACUOUS, never PASS. */
static double f_const(void *ctx, const double *x, double *g)
{
    (void)ctx, (void)x, (void)g;
    return 3.0;
}

START_TEST(constant_loss_is_vacuous)
{
    gc_problem p;
    gc_report r;
    gc_options o = gc_default_options();
    ck_assert_int_eq(gc_problem_alloc(&p, 5, 1), 0);
    p.f = f_const;
    p.blocks[0] = (gc_block){ "x", 5, 0 };
    p.nblocks = 1;
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_VACUOUS);
    ck_assert_ptr_nonnull(strstr(r.note, "proves nothing"));
    gc_problem_free(&p);
}
END_TEST

/* f = sum log x_i near 0: the step leaves the domain, the loss is NaN there. */
static double f_log(void *ctx, const double *x, double *g)
{
    (void)ctx;
    double f = 0;
    for (int i = 0; i < 2; i++) {
        f += log(x[i]);
        if (g)
            g[i] += 1 / x[i];
    }
    return f;
}

START_TEST(nan_at_a_displaced_point_fails_naming_it)
{
    gc_problem p;
    gc_report r;
    gc_options o = gc_default_options();
    ck_assert_int_eq(gc_problem_alloc(&p, 2, 1), 0);
    p.f = f_log;
    p.x[0] = 1.0, p.x[1] = 1e-7;
    p.blocks[0] = (gc_block){ "x", 2, 0 };
    p.nblocks = 1;
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.note, "dJ/dx[1]"));
    ck_assert_ptr_nonnull(strstr(r.note, "nan"));
    p.x[0] = NAN;
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.note, "the loss at the check point is NaN"));
    FILE *sink = fopen("/dev/null", "w");
    errno = 0;
    ck_assert_int_eq(gc_sweep(&p, sink), -1);      /* no sweep from an unusable point */
    ck_assert_int_eq(errno, EDOM);
    fclose(sink);
    gc_problem_free(&p);
}
END_TEST

/* A sampled loss: random multipliers drawn from a stream in the context. */
typedef struct {
    rng_t rng;
    uint64_t seed;
    double scale;
} sampled_ctx;

static double f_sampled(void *ctx, const double *x, double *g)
{
    sampled_ctx *c = ctx;
    double f = 0;
    for (int i = 0; i < 6; i++) {
        double m = 1 + rng_uniform(&c->rng);
        f += m * x[i] * x[i];
        if (g)
            g[i] += c->scale * 2 * m * x[i];
    }
    return f;
}

static void reset_sampled(void *ctx)
{
    sampled_ctx *c = ctx;
    rng_seed(&c->rng, c->seed);
}

static gc_status run_sampled(int with_reset, double scale)
{
    gc_problem p;
    gc_report r;
    gc_options o = gc_default_options();
    ck_assert_int_eq(gc_problem_alloc(&p, 6, sizeof(sampled_ctx)), 0);
    sampled_ctx *c = p.ctx;
    c->seed = 77, c->scale = scale;
    reset_sampled(c);
    p.f = f_sampled;
    p.reset = with_reset ? reset_sampled : NULL;
    for (int i = 0; i < 6; i++)
        p.x[i] = 0.3 * (i - 2.5);
    p.blocks[0] = (gc_block){ "v_c", 6, 0 };
    p.nblocks = 1;
    gc_status s = gc_check_gradient(&p, &o, &r);
    gc_problem_free(&p);
    return s;
}

START_TEST(random_state_is_restored_before_every_evaluation)
{
    ck_assert_int_eq(run_sampled(1, 1.0), GC_PASS);
    ck_assert_int_eq(run_sampled(1, 1.01), GC_FAIL);
    ck_assert_int_eq(run_sampled(0, 1.0), GC_FAIL);   /* no reset: every call draws anew */
}
END_TEST

/* sin(1000 x) / 1000: central differences at the default step carry a
 * truncation error above tol; re-derivation must clear it, not call it wrong. */
typedef struct { double k; } wave_ctx;

static double f_wave(void *ctx, const double *x, double *g)
{
    const wave_ctx *c = ctx;
    double f = 0;
    for (int i = 0; i < 4; i++) {
        f += sin(1000 * x[i]) / 1000;
        if (g)
            g[i] += c->k * cos(1000 * x[i]);
    }
    return f;
}

static gc_status run_wave(double k, gc_report *r)
{
    gc_problem p;
    gc_options o = gc_default_options();
    ck_assert_int_eq(gc_problem_alloc(&p, 4, sizeof(wave_ctx)), 0);
    ((wave_ctx *)p.ctx)->k = k;
    p.f = f_wave;
    for (int i = 0; i < 4; i++)
        p.x[i] = 0.1 + 0.37 * i;
    p.blocks[0] = (gc_block){ "x", 4, 0 };
    p.nblocks = 1;
    gc_status s = gc_check_gradient(&p, &o, r);
    gc_problem_free(&p);
    return s;
}

START_TEST(finite_difference_noise_is_not_a_wrong_derivation)
{
    gc_report r;
    ck_assert_int_eq(run_wave(1.0, &r), GC_PASS);
    ck_assert_uint_gt(r.evals, 4 * 2 + 2 + 20);   /* it did re-derive */
    ck_assert_int_eq(run_wave(1.001, &r), GC_FAIL);
    ck_assert_int_eq(r.refined, 1);
}
END_TEST

/* A block too large to check whole: sampled coordinates plus directions. */
enum { BIG = 5000 };
typedef struct { double c[BIG]; size_t wrong; } big_ctx;

static double f_big(void *ctx, const double *x, double *g)
{
    const big_ctx *c = ctx;
    double f = 0;
    for (size_t i = 0; i < BIG; i++) {
        f += 0.5 * c->c[i] * x[i] * x[i];
        if (g)
            g[i] += (i == c->wrong ? -1 : 1) * c->c[i] * x[i];
    }
    return f;
}

static gc_status run_big(size_t wrong, gc_report *r)
{
    gc_problem p;
    gc_options o = gc_default_options();
    rng_t rng;
    rng_seed(&rng, 8);
    ck_assert_int_eq(gc_problem_alloc(&p, BIG, sizeof(big_ctx)), 0);
    big_ctx *c = p.ctx;
    c->wrong = wrong;
    for (size_t i = 0; i < BIG; i++) {
        c->c[i] = rng_range(&rng, 0.5, 1.5);
        p.x[i] = rng_range(&rng, -1, 1);
    }
    p.x[4321] = 0.05;                      /* small: never among the largest */
    p.f = f_big;
    p.blocks[0] = (gc_block){ "U", 50, 100 };
    p.nblocks = 1;
    gc_status s = gc_check_gradient(&p, &o, r);
    gc_problem_free(&p);
    return s;
}

START_TEST(large_block_is_sampled_and_directions_catch_a_hidden_error)
{
    gc_report r;
    ck_assert_int_eq(run_big(BIG, &r), GC_PASS);
    ck_assert_uint_eq(r.blocks[0].checked, 64);
    ck_assert_uint_eq(r.blocks[0].directions, 8);
    ck_assert_uint_eq(r.blocks[0].total, BIG);
    ck_assert_int_eq(run_big(4321, &r), GC_FAIL);
}
END_TEST

START_TEST(coordinates_are_named_by_block)
{
    char buf[64];
    gc_block m = { "U", 50, 100 }, v = { "theta", 10, 0 };
    gc_coord_name(&m, 7 * 100 + 2, buf, sizeof buf);
    ck_assert_str_eq(buf, "dJ/dU[7][2]");
    gc_coord_name(&v, 4, buf, sizeof buf);
    ck_assert_str_eq(buf, "dJ/dtheta[4]");
}
END_TEST

/* The sweep's central-difference error is V-shaped: smallest near 1e-5. */
START_TEST(sweep_is_v_shaped)
{
    gc_problem p;
    make_wb(&p, RIGHT);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(gc_sweep(&p, f), 0);
    fclose(f);
    double big = 0, mid = 1, tiny = 0, h, e[3];
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#' || sscanf(line, "%lf %lf %lf %lf", &h, &e[0], &e[1], &e[2]) != 4)
            continue;
        if (fabs(log10(h) + 1) < 1e-9)
            big = e[1];
        if (fabs(log10(h) + 5) < 1e-9)
            mid = e[1];
        if (fabs(log10(h) + 13) < 1e-9)
            tiny = e[1];
    }
    ck_assert_double_lt(100 * mid, big);
    ck_assert_double_lt(100 * mid, tiny);
    free(buf);
    gc_problem_free(&p);
}
END_TEST

/* Every registered check passes at several seeds, and names are unique. */
START_TEST(every_registered_check_passes)
{
    gc_options o = gc_default_options();
    ck_assert_uint_gt(lab_check_count(), 0);
    for (size_t i = 0; i < lab_check_count(); i++) {
        const gc_check *c = lab_check_at(i);
        ck_assert_ptr_eq(lab_find(c->name), c);
        for (uint64_t seed = 1; seed <= 4; seed++) {
            gc_report r;
            o.seed = seed;
            gc_run_check(c, &o, &r);
            ck_assert_msg(r.status == GC_PASS, "%s seed %llu: %s %s", c->name,
                          (unsigned long long)seed, gc_status_name(r.status), r.note);
        }
    }
    ck_assert_ptr_null(lab_find("no_such_check"));
}
END_TEST

/* ---- the diagnosis: each rule on a constructed wrong gradient ---- */

static void expect_diagnosis(slip mode, const char *words)
{
    gc_report r;
    ck_assert_int_eq(run_wb(mode, GC_CENTRAL, &r), GC_FAIL);
    ck_assert_msg(strstr(r.diagnosis, words) != NULL, "mode %d: '%s' not in '%s'", mode, words,
                  r.diagnosis);
}

START_TEST(diagnosis_names_the_slip)
{
    expect_diagnosis(SIGN, "the sign is flipped");
    expect_diagnosis(FACTOR2, "2.00x the true one");
    expect_diagnosis(TRANSPOSE, "transposed layout");
    expect_diagnosis(IGNORE_B2, "only 1 of 4 entries is wrong (first dJ/db[2]");
    expect_diagnosis(DROP_TERM, "wrong: dJ/dW; right: dJ/db.");
    expect_diagnosis(ZERO_ROW, "row 1 is zero but should not be");
    expect_diagnosis(HALF_ROW, "row 2 is off by its own factor (0.50x)");
    expect_diagnosis(ONE_WRONG, "only 1 of 12 entries is wrong (first dJ/dW[2][1]");
}
END_TEST

START_TEST(diagnosis_is_silent_when_unsure_or_right)
{
    gc_report r;
    ck_assert_int_eq(run_wb(RIGHT, GC_CENTRAL, &r), GC_PASS);
    ck_assert_str_eq(r.diagnosis, "");
    expect_diagnosis(NOISE, "no simple pattern");
    ck_assert_int_eq(run_wb(NOISE, GC_CENTRAL, &r), GC_FAIL);
    ck_assert_ptr_null(strstr(r.diagnosis, "the sign is flipped"));
    ck_assert_ptr_null(strstr(r.diagnosis, "x the true one"));
}
END_TEST

/* f(u, v) = sum sin(u_i) + sum v_i^3 / 3 with the two gradients swapped. */
static double f_swapped(void *ctx, const double *x, double *g)
{
    (void)ctx;
    double f = 0;
    for (int i = 0; i < 3; i++) {
        f += sin(x[i]) + x[3 + i] * x[3 + i] * x[3 + i] / 3;
        if (g) {
            g[3 + i] += cos(x[i]);
            g[i] += x[3 + i] * x[3 + i];
        }
    }
    return f;
}

START_TEST(diagnosis_spots_swapped_blocks)
{
    gc_problem p;
    gc_report r;
    gc_options o = gc_default_options();
    ck_assert_int_eq(gc_problem_alloc(&p, 6, 1), 0);
    double x0[6] = { 0.3, -1.2, 2.0, 0.7, -0.4, 1.5 };
    memcpy(p.x, x0, sizeof x0);
    p.f = f_swapped;
    p.blocks[0] = (gc_block){ "u", 3, 0 };
    p.blocks[1] = (gc_block){ "v", 3, 0 };
    p.nblocks = 2;
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.diagnosis, "dJ/du: it holds the true gradient of v"));
    gc_problem_free(&p);
}
END_TEST

/* ---- the Taylor test ---- */

START_TEST(taylor_order_is_two_when_right_and_one_when_wrong)
{
    gc_report r;
    ck_assert_int_eq(run_wb(RIGHT, GC_TAYLOR, &r), GC_PASS);
    ck_assert_double_gt(r.order, 1.8);
    ck_assert_double_lt(r.order, 2.2);
    ck_assert_int_eq(run_wb(SIGN, GC_TAYLOR, &r), GC_FAIL);
    ck_assert_double_gt(r.order, 0.8);
    ck_assert_double_lt(r.order, 1.2);
    ck_assert_int_eq(run_wb(DROP_TERM, GC_TAYLOR, &r), GC_FAIL);
    ck_assert_double_lt(r.blocks[0].order, 1.2);   /* W wrong */
    ck_assert_double_gt(r.blocks[1].order, 1.8);   /* b right */
    ck_assert_ptr_nonnull(strstr(r.note, "along dJ/dW (t^"));       /* named, order about 1 */
    ck_assert_double_gt(r.blocks[0].order, 0.8);
}
END_TEST

/* ---- kinks ---- */

START_TEST(relu_at_zero_is_a_kink_not_a_failure)
{
    gc_options o = gc_default_options();
    gc_report r;
    ck_assert_int_eq(gc_run_check(lab_find("relu"), &o, &r), GC_PASS);
    ck_assert_uint_eq(r.kinks, 1);
    ck_assert_str_eq(r.kink_where, "dJ/dx[0]");
    ck_assert_double_eq(r.kink_left, 0.0);
    ck_assert_double_gt(r.kink_right, 0.4);
    ck_assert_double_eq(r.kink_analytic, 0.0);
    ck_assert_double_lt(r.max_err, 1e-6);
}
END_TEST

/* f(x) = sum relu(x_i) at x = (0, 0.7, -0.4), its gradient with relu'(0)
 * taken as the context's value. */
static double f_relu_at(void *ctx, const double *x, double *grad)
{
    double at_zero = *(const double *)ctx, f = 0;
    for (size_t i = 0; i < 3; i++) {
        f += x[i] > 0 ? x[i] : 0;
        if (grad)
            grad[i] += x[i] > 0 ? 1.0 : x[i] < 0 ? 0.0 : at_zero;
    }
    return f;
}

static gc_status relu_taking(double at_zero, int side, gc_report *r)
{
    gc_problem p;
    gc_options o = gc_default_options();
    ck_assert_int_eq(gc_problem_alloc(&p, 3, sizeof(double)), 0);
    *(double *)p.ctx = at_zero;
    p.f = f_relu_at;
    p.x[0] = 0.0, p.x[1] = 0.7, p.x[2] = -0.4;
    p.blocks[0] = (gc_block){ "x", 3, 0 };
    p.nblocks = 1;
    p.kink_side = side;
    gc_status s = gc_check_gradient(&p, &o, r);
    gc_problem_free(&p);
    return s;
}

/* Any subgradient passes a kink, unless the problem names a side: then
 * only that one-sided derivative does, even the central difference's 1/2. */
START_TEST(a_kink_convention_takes_one_side)
{
    gc_report r;
    ck_assert_int_eq(relu_taking(1.0, 0, &r), GC_PASS);
    ck_assert_int_eq(relu_taking(0.5, 0, &r), GC_PASS);
    ck_assert_int_eq(relu_taking(0.0, -1, &r), GC_PASS);
    ck_assert_uint_eq(r.kinks, 1);
    ck_assert_int_eq(r.kink_side, -1);
    ck_assert_int_eq(relu_taking(1.0, -1, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.note, "is not the left one"));
    ck_assert_int_eq(relu_taking(0.5, -1, &r), GC_FAIL);
    ck_assert_int_eq(relu_taking(1.0, 1, &r), GC_PASS);
    ck_assert_int_eq(relu_taking(0.0, 1, &r), GC_FAIL);
}
END_TEST

/* ---- the slips catalogue: every slip caught, by both methods ---- */

START_TEST(every_slip_is_caught_and_diagnosed)
{
    gc_options o = gc_default_options();
    FILE *sink = fopen("/dev/null", "w");
    ck_assert_uint_eq(slips_run(sink, &o, 30), 0);
    o.method = GC_TAYLOR;
    ck_assert_uint_eq(slips_run(sink, &o, 30), 0);
    fclose(sink);
}
END_TEST

/* A wrong Jacobian block is counted entry by entry and diagnosed like a
 * gradient block. */
START_TEST(jacobian_checks_count_and_diagnose)
{
    gc_options o = gc_default_options();
    const slip_entry *s = slip_find("flow_jacobian_df_du_sign");
    ck_assert_ptr_nonnull(s);
    gc_check c = slip_check(s);
    gc_report r;
    ck_assert_int_eq(gc_run_check(&c, &o, &r), GC_FAIL);
    ck_assert_uint_eq(r.nblocks, 4);
    ck_assert_str_eq(r.blocks[1].name, "dx/du");
    ck_assert_uint_eq(r.blocks[1].wrong, 3 * 2);
    ck_assert_uint_eq(r.blocks[0].wrong + r.blocks[2].wrong + r.blocks[3].wrong, 0);
    ck_assert_ptr_nonnull(strstr(r.note, "6 Jacobian entries disagree"));
    ck_assert_ptr_nonnull(strstr(r.diagnosis, "dx/du: the sign is flipped"));
}
END_TEST

/* ---- the directional mode, selected for a small block ---- */

START_TEST(directional_mode_checks_directions_only)
{
    gc_problem p;
    gc_report r;
    gc_options o = gc_default_options();
    o.full_limit = 0, o.sample = 0;
    make_wb(&p, RIGHT);
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_PASS);
    ck_assert_uint_eq(r.blocks[0].checked, 0);
    ck_assert_uint_eq(r.blocks[0].directions, 8);
    ck_assert_uint_le(r.evals, 2 + 3 + 2 * 8 * 2);      /* the point, the contract, 8 directions */
    ((wb_ctx *)p.ctx)->mode = ONE_WRONG;
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_FAIL);
    gc_problem_free(&p);
}
END_TEST

/* ---- the contract: add into the caller's buffer, and only where it should ---- */

typedef enum { C_RIGHT, C_OVERWRITE, C_CLEAR, C_TOUCH, C_READS } contract_slip;

/* f = sum_{i < 4} x_i^3 / 3 over x of 6 entries: the last two have no gradient. */
static double f_contract(void *ctx, const double *x, double *g)
{
    contract_slip mode = *(const contract_slip *)ctx;
    double f = 0;
    for (int i = 0; i < 4; i++)
        f += x[i] * x[i] * x[i] / 3;
    if (!g)
        return f;
    if (mode == C_READS)
        f += 1e-3 * g[5];                          /* the loss reads the buffer */
    if (mode == C_CLEAR)
        memset(g, 0, 6 * sizeof *g);
    for (int i = 0; i < 4; i++) {
        if (mode == C_OVERWRITE)
            g[i] = x[i] * x[i];
        else
            g[i] += x[i] * x[i];
    }
    if (mode == C_TOUCH)
        g[5] += 0.5;
    return f;
}

/* The problem of f_contract in one block "x" of 6 entries. */
static void make_contract(gc_problem *p, contract_slip mode)
{
    ck_assert_int_eq(gc_problem_alloc(p, 6, sizeof(contract_slip)), 0);
    *(contract_slip *)p->ctx = mode;
    for (int i = 0; i < 6; i++)
        p->x[i] = 0.4 * i - 0.9;
    p->f = f_contract;
    p->blocks[0] = (gc_block){ "x", 6, 0 };
    p->nblocks = 1;
}

static void expect_contract(contract_slip mode, gc_status status, const char *words)
{
    gc_problem p;
    gc_report r;
    gc_options o = gc_default_options();
    make_contract(&p, mode);
    for (gc_method m = GC_CENTRAL; m <= GC_TAYLOR; m++) {
        o.method = m;
        ck_assert_int_eq(gc_check_gradient(&p, &o, &r), status);
        if (words && m != GC_TAYLOR)
            ck_assert_msg(strstr(r.diagnosis, words) || strstr(r.note, words), "mode %d: '%s' "
                          "not in '%s' / '%s'", mode, words, r.note, r.diagnosis);
    }
    gc_problem_free(&p);
}

START_TEST(the_contract_is_checked_too)
{
    expect_contract(C_RIGHT, GC_PASS, NULL);
    expect_contract(C_OVERWRITE, GC_FAIL, "it overwrites instead of adding");
    expect_contract(C_CLEAR, GC_FAIL, "it zeroes the caller's buffer");
    expect_contract(C_READS, GC_FAIL, "the loss depends on the gradient buffer");
    expect_contract(C_TOUCH, GC_FAIL, NULL);
    gc_report r;
    gc_problem p;
    gc_options o = gc_default_options();
    make_contract(&p, C_TOUCH);
    p.blocks[0] = (gc_block){ "u", 4, 0 };
    p.blocks[1] = (gc_block){ "unused", 2, 0 };
    p.nblocks = 2;
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.diagnosis, "dJ/dunused: the loss does not depend on these "
                                              "entries, yet they get a gradient"));
    gc_problem_free(&p);
}
END_TEST

/* ---- the noise of a large loss is not a wrong gradient ---- */

/* f = sum x_i^3 over n = 10^6 coordinates in [1, 100] (|f| ~ 2.5e11): the
 * round-off of f alone moves a difference quotient by more than 1e-6, so a
 * right gradient must pass, and a gradient 1.0001 times too large must still
 * fail, and be named with enough digits. */
enum { CUBES = 1000000 };
static double f_cubes(void *ctx, const double *x, double *g)
{
    double k = *(const double *)ctx, f = 0;
    for (size_t i = 0; i < CUBES; i++) {
        f += x[i] * x[i] * x[i];
        if (g)
            g[i] += k * 3 * x[i] * x[i];
    }
    return f;
}

START_TEST(a_huge_sum_of_cubes_passes_and_a_small_factor_fails)
{
    gc_problem p;
    gc_report r;
    gc_options o = gc_default_options();
    ck_assert_int_eq(gc_problem_alloc(&p, CUBES, sizeof(double)), 0);
    rng_t g;
    rng_seed(&g, 7);
    for (size_t i = 0; i < CUBES; i++)
        p.x[i] = rng_range(&g, 1, 100);
    p.f = f_cubes;
    p.blocks[0] = (gc_block){ "x", CUBES, 0 };
    p.nblocks = 1;
    *(double *)p.ctx = 1.0;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        o.seed = seed;
        ck_assert_msg(gc_check_gradient(&p, &o, &r) == GC_PASS, "seed %d: %s %s", (int)seed,
                      r.note, r.diagnosis);
    }
    *(double *)p.ctx = 1.0001;
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.diagnosis, "1.0001x the true one"));
    /* x near 1e6 (|f| ~ 1e24): f's own round-off moves the difference
     * quotients by more than tol; the PASS must say it leaned on that. */
    *(double *)p.ctx = 1.0;
    for (size_t i = 0; i < CUBES; i++)
        p.x[i] = 1e6 * rng_range(&g, 0.9, 1.1);
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_PASS);
    ck_assert_double_gt(r.max_err, r.rtol);
    ck_assert_uint_gt(r.relied, 0);
    ck_assert_double_gt(r.allowance_roundoff, 0);
    ck_assert_double_ge(r.allowance, r.allowance_err - r.rtol);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    gc_print_report(f, GC_TEXT, 1, 1, NULL, &(gc_check){ "cubes", 0, "", NULL, NULL, 0 }, &r);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(text, "agree only within the noise allowance"));
    free(text);
    /* 1.0001x there is as small as the noise: the report must not say the
     * wrong coordinates are among those not sampled. */
    *(double *)p.ctx = 1.0001;
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_FAIL);
    ck_assert_uint_gt(r.relied, 0);
    ck_assert_uint_eq(r.blocks[0].wrong, r.blocks[0].wrong_directions);
    ck_assert_ptr_nonnull(strstr(r.note, "agree, within the noise allowance"));
    ck_assert_ptr_nonnull(strstr(r.diagnosis, "cannot be told from noise"));
    ck_assert_ptr_null(strstr(r.diagnosis, "not sampled"));
    gc_problem_free(&p);
}
END_TEST

/* ---- every entry point refuses what it cannot use: GC_ERROR with a note ---- */

static void expect_error(const gc_problem *p, const gc_options *o, const char *words)
{
    gc_report r;
    ck_assert_int_eq(gc_check_gradient(p, o, &r), GC_ERROR);
    ck_assert_msg(strstr(r.note, words) != NULL, "'%s' not in '%s'", words, r.note);
}

START_TEST(nonsense_is_an_error_not_a_crash_or_a_pass)
{
    gc_problem p;
    gc_options o = gc_default_options();
    gc_report r;
    make_wb(&p, RIGHT);
    gc_problem bad = p;
    bad.nblocks = 17;
    expect_error(&bad, &o, "more than GC_MAX_BLOCKS");
    bad = p, bad.nblocks = 0;
    expect_error(&bad, &o, "no blocks");
    bad = p, bad.blocks[1].rows = C + 1;
    expect_error(&bad, &o, "add up to more than n");
    bad = p, bad.blocks[1].rows = C - 1;
    expect_error(&bad, &o, "add up to less than n");
    bad = p, bad.blocks[0].name = NULL;
    expect_error(&bad, &o, "no name");
    bad = p, bad.f = NULL;
    expect_error(&bad, &o, "no loss function");
    bad = p, bad.n = 0;
    expect_error(&bad, &o, "nothing to check");
    expect_error(NULL, &o, "no problem");
    gc_options o2 = o;
    o2.rtol = NAN;
    expect_error(&p, &o2, "tol must be");
    o2.rtol = 1.0;
    expect_error(&p, &o2, "tol must be");
    o2 = o, o2.method = (gc_method)7;
    expect_error(&p, &o2, "unknown method");
    expect_error(&p, NULL, "no options");
    ck_assert_int_eq(gc_check_gradient(&p, &o, NULL), GC_ERROR);
    errno = 0;
    ck_assert_int_eq(gc_sweep(&bad, stdout), -1);
    ck_assert_int_eq(errno, EINVAL);
    FILE *sink = fopen("/dev/null", "w");
    ck_assert_int_eq(gc_print_report(sink, GC_TEXT, 1, 1, NULL, NULL, &r), -1);
    ck_assert_int_eq(gc_print_report(sink, GC_JSON, 1, 1, NULL, &(gc_check){ "x", 0, "", NULL, NULL, 0 },
                                     NULL), -1);
    fclose(sink);
    ck_assert_int_eq(gc_run_check(NULL, &o, &r), GC_ERROR);
    ck_assert_int_eq(gc_run_isolated(&(gc_check){ "x", 0, "", NULL, NULL, 0 }, &o, 5, &r), GC_ERROR);
    ck_assert_ptr_nonnull(strstr(r.note, "without a setup"));
    gc_map m = { 0 };
    ck_assert_int_eq(gc_check_map(&m, &o, &r), GC_ERROR);
    ck_assert_ptr_nonnull(strstr(r.note, "lacks map"));
    int sign = 5;
    ck_assert(isnan(gc_log_abs_det(NULL, 3, &sign)));
    ck_assert_int_eq(sign, 0);
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_PASS);   /* the problem itself is fine */
    gc_problem_free(&p);
}
END_TEST

Suite *suite_gradcheck(void)
{
    Suite *s = suite_create("gradcheck");
    TCase *t = tcase_create("checker");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, right_gradient_passes_with_tiny_error);
    tcase_add_test(t, sign_flip_fails);
    tcase_add_test(t, factor_two_fails);
    tcase_add_test(t, dropped_term_fails_in_its_block_only);
    tcase_add_test(t, ignored_input_is_named);
    tcase_add_test(t, one_wrong_entry_is_named);
    tcase_add_test(t, transposed_block_fails);
    tcase_add_test(t, nan_gradient_fails_naming_it);
    tcase_add_test(t, zero_gradient_of_moving_loss_fails);
    tcase_add_test(t, hidden_state_is_reported_as_non_determinism);
    tcase_add_test(t, constant_loss_is_vacuous);
    tcase_add_test(t, nan_at_a_displaced_point_fails_naming_it);
    tcase_add_test(t, random_state_is_restored_before_every_evaluation);
    tcase_add_test(t, finite_difference_noise_is_not_a_wrong_derivation);
    tcase_add_test(t, large_block_is_sampled_and_directions_catch_a_hidden_error);
    tcase_add_test(t, coordinates_are_named_by_block);
    tcase_add_test(t, sweep_is_v_shaped);
    tcase_add_test(t, every_registered_check_passes);
    tcase_add_test(t, diagnosis_names_the_slip);
    tcase_add_test(t, diagnosis_is_silent_when_unsure_or_right);
    tcase_add_test(t, diagnosis_spots_swapped_blocks);
    tcase_add_test(t, taylor_order_is_two_when_right_and_one_when_wrong);
    tcase_add_test(t, relu_at_zero_is_a_kink_not_a_failure);
    tcase_add_test(t, a_kink_convention_takes_one_side);
    tcase_add_test(t, every_slip_is_caught_and_diagnosed);
    tcase_add_test(t, directional_mode_checks_directions_only);
    tcase_add_test(t, nonsense_is_an_error_not_a_crash_or_a_pass);
    tcase_add_test(t, jacobian_checks_count_and_diagnose);
    tcase_add_test(t, the_contract_is_checked_too);
    tcase_add_test(t, a_huge_sum_of_cubes_passes_and_a_small_factor_fails);
    suite_add_tcase(s, t);
    return s;
}
