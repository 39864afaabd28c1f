/* test_flow.c — lab 5's coupling layer and the checker's Jacobian mode: a
 * hand-computed layer, singular layers refused, LU log-determinants of known
 * matrices, a wrong Jacobian and a zero log-determinant caught, the stacked
 * NLL at a point where it is known, and every lab 5 check. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gradcheck.h"
#include "gradlab.h"
#include "registry.h"
#include "tests.h"

/* n = h = 1, H = 1: alpha 2, beta -3, W1 0, b1 0 (so t = 0), W2 5, b2 0.5:
 * x = 2 z + 0.5, v = -3 u, dx/du = W2 (1 - 0) W1 = 0, log|det| = log 6. */
START_TEST(layer_by_hand)
{
    flow_dims d = { 1, 1, 1 };
    ck_assert_uint_eq(flow_param_count(d), 6);
    ck_assert_uint_eq(flow_param_count((flow_dims){ 3, 2, 4 }), 3 + 2 + 8 + 4 + 12 + 3);
    double p[6] = { 2, -3, 0, 0, 5, 0.5 }, z = 1.5, u = 4, x, v, J[4], ld, zb, ub;
    ck_assert_int_eq(flow_forward(d, p, &z, &u, &x, &v), GL_OK);
    ck_assert_double_eq(x, 3.5);
    ck_assert_double_eq(v, -12);
    ck_assert_int_eq(flow_inverse(d, p, &x, &v, &zb, &ub), GL_OK);
    ck_assert_double_eq(zb, z);
    ck_assert_double_eq(ub, u);
    ck_assert_int_eq(flow_jacobian(d, p, &z, &u, J), GL_OK);
    ck_assert_double_eq(J[0], 2);
    ck_assert_double_eq(J[1], 0);
    ck_assert_double_eq(J[2], 0);
    ck_assert_double_eq(J[3], -3);
    ck_assert_int_eq(flow_log_abs_det(d, p, &ld), GL_OK);
    ck_assert_double_eq_tol(ld, log(6.0), 1e-15);
}
END_TEST

START_TEST(singular_layers_are_refused)
{
    flow_dims d = { 1, 1, 1 };
    double bad[3] = { 0.0, NAN, INFINITY }, z = 1, u = 1, x = 7, v = 7, ld = 7, J[4];
    for (int k = 0; k < 3; k++)
        for (int which = 0; which < 2; which++) {
            double p[6] = { 2, -3, 0.1, 0, 5, 0.5 };
            p[which] = bad[k];
            ck_assert_int_eq(flow_check(d, p), GL_SINGULAR);
            ck_assert_int_eq(flow_forward(d, p, &z, &u, &x, &v), GL_SINGULAR);
            ck_assert_int_eq(flow_inverse(d, p, &x, &v, &z, &u), GL_SINGULAR);
            ck_assert_int_eq(flow_jacobian(d, p, &z, &u, J), GL_SINGULAR);
            ck_assert_int_eq(flow_log_abs_det(d, p, &ld), GL_SINGULAR);
            ck_assert_double_eq(x, 7);                  /* nothing written */
            ck_assert_double_eq(ld, 7);
            double pts[2] = { 0, 0 }, two[12];
            memcpy(two, p, sizeof p);
            memcpy(two + 6, p, sizeof p);
            ck_assert(isnan(flow_nll(d, 2, two, pts, 1, NULL)));
        }
    double p[6] = { 2, -3, 0, 0, 5, 0.5 };
    ck_assert_int_eq(flow_check((flow_dims){ 1, 1, 0 }, p), GL_BAD_INPUT);
    ck_assert_int_eq(flow_check((flow_dims){ 1, 1, FLOW_MAX_HIDDEN + 1 }, p), GL_BAD_INPUT);
}
END_TEST

START_TEST(lu_log_det_of_known_matrices)
{
    int sign;
    double swap[4] = { 0, 2, 3, 0 };                    /* det = -6: needs a row swap */
    ck_assert_double_eq_tol(gc_log_abs_det(swap, 2, &sign), log(6.0), 1e-15);
    ck_assert_int_eq(sign, -1);
    double A[9] = { 1e-12, 1, 2, 1, 1, 1, 4, 3, 9 };   /* det = -5 + ~1e-12 terms */
    double det = 1e-12 * (9 - 3) - 1 * (9 - 4) + 2 * (3 - 4);
    ck_assert_double_eq_tol(gc_log_abs_det(A, 3, &sign), log(fabs(det)), 1e-12);
    ck_assert_int_eq(sign, det < 0 ? -1 : 1);
    double singular[4] = { 1, 2, 2, 4 };
    ck_assert(isinf(gc_log_abs_det(singular, 2, &sign)));
    ck_assert_int_eq(sign, 0);
    ck_assert_double_eq(swap[1], 2);                    /* A is left as it was */
}
END_TEST

/* A map R^2 -> R^2 whose analytic Jacobian is given wrongly (transposed). */
typedef struct { int transposed; double scale; } toy_map;

static void toy(void *ctx, const double *in, double *out)
{
    const toy_map *t = ctx;
    out[0] = t->scale * in[0] + sin(in[1]);
    out[1] = in[1] * t->scale;
}

static int toy_jac(void *ctx, const double *in, double *J)
{
    const toy_map *t = ctx;
    J[0] = t->scale, J[1] = cos(in[1]), J[2] = 0, J[3] = t->scale;
    if (t->transposed)
        J[1] = 0, J[2] = cos(in[1]);
    return 0;
}

static int toy_ld(void *ctx, const double *in, double *ld)
{
    (void)in;
    *ld = 2 * log(fabs(((const toy_map *)ctx)->scale));
    return 0;
}

START_TEST(jacobian_check_fails_a_transposed_block_and_a_zero_log_det)
{
    double x[2] = { 0.3, -0.7 };
    toy_map t = { 1, 1.7 };
    gc_map f = { .map = toy, .jacobian = toy_jac, .log_abs_det = toy_ld, .ctx = &t, .m = 2, .x = x,
                 .in = { { "a", 1, 0 }, { "b", 1, 0 } }, .out = { { "p", 1, 0 }, { "q", 1, 0 } },
                 .nin = 2, .nout = 2 };
    gc_options o = gc_default_options();
    gc_report r;
    ck_assert_int_eq(gc_check_map(&f, &o, &r), GC_FAIL);
    ck_assert_ptr_nonnull(strstr(r.note, "2 Jacobian entries disagree"));
    ck_assert_ptr_nonnull(strstr(r.where, "dp/db[0][0]"));
    t.transposed = 0;
    ck_assert_int_eq(gc_check_map(&f, &o, &r), GC_PASS);
    t.scale = 1.0;                                      /* log|det J| = 0: proves nothing */
    ck_assert_int_eq(gc_check_map(&f, &o, &r), GC_VACUOUS);
    ck_assert_ptr_nonnull(strstr(r.note, "log|det J| is 0"));
}
END_TEST

/* One layer with alpha = beta = 1 and F = 0 is the identity: the NLL of a
 * point is the standard normal's, |p|^2 / 2 + log(2 pi). */
START_TEST(nll_of_the_identity_flow_is_the_base_density)
{
    flow_dims d = { 1, 1, 2 };
    double p[9] = { 1, 1, 0, 0, 0, 0, 0, 0, 0 }, pts[4] = { 0.5, -1, 2, 0 }, g[9] = { 0 };
    ck_assert_uint_eq(flow_param_count(d), 9);
    double want = 0.5 * (0.25 + 1) + 0.5 * 4 + 2 * log(2 * 3.14159265358979323846);
    ck_assert_double_eq_tol(flow_nll(d, 1, p, pts, 2, g), want, 1e-14);
    double S[4];
    ck_assert_int_eq(flow_sample(d, 1, p, pts, 2, S), GL_OK);
    ck_assert_double_eq(S[0], 0.5);
    ck_assert_double_eq(S[3], 0);
}
END_TEST

START_TEST(lab5_checks_pass)
{
    gc_options o = gc_default_options();
    size_t found = 0;
    for (size_t i = 0; i < lab_check_count(); i++) {
        const gc_check *c = lab_check_at(i);
        if (c->group != 5)
            continue;
        gc_report r;
        ck_assert_msg(gc_run_check(c, &o, &r) == GC_PASS, "%s: %s", c->name, r.note);
        found++;
    }
    ck_assert_uint_ge(found, 4);
}
END_TEST

/* ---- the trainer, run as a program ($TRAIN_FLOW) ---- */

static int run_flow(const char *args, char *err, size_t errsize)
{
    return run_program("TRAIN_FLOW", args, NULL, err, errsize);
}

START_TEST(trainer_lowers_the_nll_and_writes_samples)
{
    char dir[64], args[256], err[1024], path[128];
    snprintf(dir, sizeof dir, "/tmp/gl_lab5.%d", (int)getpid());
    snprintf(args, sizeof args, "--iters 400 --layers 4 --hidden 8 --out-dir %s", dir);
    ck_assert_msg(run_flow(args, err, sizeof err) == 0, "%s", err);
    snprintf(path, sizeof path, "%s/loss.dat", dir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    double raw, smooth, first = NAN, last = NAN;
    size_t it, rows = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%zu %lf %lf", &it, &raw, &smooth) == 3) {
            first = rows++ == 0 ? raw : first;
            last = smooth;
        }
    fclose(f);
    ck_assert_uint_eq(rows, 400);
    ck_assert_double_lt(last, first - 0.5);     /* well below the start (about 2.8 nats) */
    const char *names[] = { "loss.dat", "data.dat", "samples.dat" };
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        ck_assert_int_eq(access(path, R_OK), 0);
        remove(path);
    }
    rmdir(dir);
}
END_TEST

START_TEST(trainer_bad_input_and_nan)
{
    const char *bad[] = { "--layers 0", "--hidden 100000", "--lr 0", "--lr x", "--iters -3",
                          "--bogus", "extra" };
    char err[1024], dir[64], args[256], path[128];
    for (int k = 0; k < 7; k++) {
        ck_assert_msg(run_flow(bad[k], err, sizeof err) == 2, "%s", bad[k]);
        ck_assert(strncmp(err, "train_flow: ", 12) == 0);
        ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "%s: %s", bad[k], err);
    }
    ck_assert_int_eq(run_flow("--iters 5 --out-dir /nonexistent-dir/lab5", err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "train_flow: cannot make --out-dir '/nonexistent-dir/lab5'"));
    snprintf(dir, sizeof dir, "/tmp/gl_lab5nan.%d", (int)getpid());
    snprintf(args, sizeof args, "--lr 1e300 --iters 50 --out-dir %s", dir);
    ck_assert_int_eq(run_flow(args, err, sizeof err), 1);
    ck_assert_ptr_nonnull(strstr(err, "try a smaller --lr"));
    snprintf(path, sizeof path, "%s/loss.dat", dir);
    ck_assert_int_ne(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/data.dat", dir);
    remove(path);
    rmdir(dir);
}
END_TEST

Suite *suite_flow(void)
{
    Suite *s = suite_create("flow");
    TCase *t = tcase_create("core");
    tcase_add_test(t, layer_by_hand);
    tcase_add_test(t, singular_layers_are_refused);
    tcase_add_test(t, lu_log_det_of_known_matrices);
    tcase_add_test(t, jacobian_check_fails_a_transposed_block_and_a_zero_log_det);
    tcase_add_test(t, nll_of_the_identity_flow_is_the_base_density);
    tcase_add_test(t, lab5_checks_pass);
    tcase_add_test(t, trainer_lowers_the_nll_and_writes_samples);
    tcase_add_test(t, trainer_bad_input_and_nan);
    tcase_set_timeout(t, 60);
    suite_add_tcase(s, t);
    return s;
}
