/* test_flow.c — lab 5's coupling layers and the checker's Jacobian mode: a
 * hand-computed layer, singular layers refused, LU log-determinants of known
 * matrices, a wrong Jacobian and a zero log-determinant caught, the stacked
 * NLL at a point where it is known, and every lab 5 check; the same for the
 * layer whose scale exp(s(u)) depends on u (realnvp.h), its add-into and
 * NULL gradients, and the slip reports handout 08 quotes. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gradcheck.h"
#include "gradlab.h"
#include "readfile.h"
#include "registry.h"
#include "slips.h"
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

/* n = h = 1, H = 1. W1 = 0 makes r = 0, so s = bs = log 2 and t = bt = 0.5:
 * x = 2 z + 0.5, v = u, dx/du = 0, log|det| = log 2. Then W1 = 1, u = 0
 * (r = 0, 1 - r^2 = 1), Ws = 0.5, bs = 0, Wt = 2: s = 0, x = z and
 * dx/du = z e^0 Ws W1 + Wt W1 = 0.5 z + 2. */
START_TEST(realnvp_layer_by_hand)
{
    realnvp_dims d = { 1, 1, 1 };
    ck_assert_uint_eq(realnvp_param_count(d), 6);
    ck_assert_uint_eq(realnvp_param_count((realnvp_dims){ 3, 2, 4 }), 8 + 4 + 2 * 12 + 2 * 3);
    double p[6] = { 0, 0, 5, log(2.0), 7, 0.5 }, z = 1.5, u = 4, x, v, J[4], ld, zb, ub;
    ck_assert_int_eq(realnvp_forward(d, p, &z, &u, &x, &v), GL_OK);
    ck_assert_double_eq_tol(x, 3.5, 1e-15);
    ck_assert_double_eq(v, 4);
    ck_assert_int_eq(realnvp_inverse(d, p, &x, &v, &zb, &ub), GL_OK);
    ck_assert_double_eq_tol(zb, z, 1e-15);
    ck_assert_double_eq(ub, u);
    ck_assert_int_eq(realnvp_jacobian(d, p, &z, &u, J), GL_OK);
    ck_assert_double_eq_tol(J[0], 2, 1e-15);
    ck_assert_double_eq(J[1], 0);
    ck_assert_double_eq(J[2], 0);
    ck_assert_double_eq(J[3], 1);
    ck_assert_int_eq(realnvp_log_abs_det(d, p, &u, &ld), GL_OK);
    ck_assert_double_eq_tol(ld, log(2.0), 1e-15);
    double q[6] = { 1, 0, 0.5, 0, 2, 0 }, z3 = 3, u0 = 0;
    ck_assert_int_eq(realnvp_jacobian(d, q, &z3, &u0, J), GL_OK);
    ck_assert_double_eq(J[0], 1);
    ck_assert_double_eq_tol(J[1], 0.5 * 3 + 2, 1e-15);
    ck_assert_int_eq(realnvp_log_abs_det(d, q, &u0, &ld), GL_OK);
    ck_assert_double_eq(ld, 0);
}
END_TEST

START_TEST(realnvp_refuses_bad_layers_and_writes_nothing)
{
    realnvp_dims d = { 1, 1, 1 };
    double z = 1, u = 1, x = 7, v = 7, ld = 7, J[4] = { 7, 7, 7, 7 }, g[6] = { 0 }, gz = 7;
    double nan_p[6] = { 0, NAN, 1, 0, 1, 0 }, huge_s[6] = { 0, 0, 0, 800, 0, 0 };
    double tiny_s[6] = { 0, 0, 0, -800, 0, 0 };
    const double *bad[3] = { nan_p, huge_s, tiny_s };
    for (int k = 0; k < 3; k++) {
        ck_assert_int_eq(realnvp_forward(d, bad[k], &z, &u, &x, &v), GL_SINGULAR);
        ck_assert_int_eq(realnvp_inverse(d, bad[k], &x, &v, &z, &u), GL_SINGULAR);
        ck_assert_int_eq(realnvp_jacobian(d, bad[k], &z, &u, J), GL_SINGULAR);
        ck_assert_int_eq(realnvp_log_abs_det(d, bad[k], &u, &ld), GL_SINGULAR);
        ck_assert_int_eq(realnvp_backward(d, bad[k], &z, &u, &x, &v, -1, g, &gz, NULL),
                         GL_SINGULAR);
        ck_assert(x == 7 && v == 7 && ld == 7 && J[0] == 7 && gz == 7 && g[3] == 0);
        double two[12], pts[2] = { 0, 0 }, S[2];
        memcpy(two, huge_s, sizeof huge_s);
        memcpy(two + 6, bad[k], sizeof huge_s);
        ck_assert(isnan(realnvp_nll(d, 2, two, pts, 1, g, NULL)));
        ck_assert_double_eq(g[0], 0);                     /* a refusal adds nothing */
        ck_assert_int_eq(realnvp_sample(d, 2, two, pts, 1, S), GL_SINGULAR);
    }
    double p[6] = { 0 };
    ck_assert_int_eq(realnvp_check((realnvp_dims){ 1, 0, 1 }, p), GL_BAD_INPUT);
    ck_assert_int_eq(realnvp_check((realnvp_dims){ 1, 1, REALNVP_MAX + 1 }, p), GL_BAD_INPUT);
    ck_assert(isnan(realnvp_nll((realnvp_dims){ 2, 1, 1 }, 1, p, p, 1, NULL, NULL)));
}
END_TEST

/* realnvp_backward adds into what the buffers hold, and a NULL buffer is
 * not asked: each gradient alone equals its part of all of them at once. */
START_TEST(realnvp_backward_adds_and_skips_null)
{
    realnvp_dims d = { 2, 1, 3 };
    size_t Q = realnvp_param_count(d);
    double p[32], z[2] = { 0.4, -1.2 }, u = 0.7, gx[2] = { 0.3, -0.8 }, gv = 1.1;
    for (size_t i = 0; i < Q; i++)
        p[i] = 0.3 * sin(1.0 + (double)i);
    double all[32] = { 0 }, gz[2] = { 0 }, gu = 0, alone[32], gz1[2] = { 5, 5 }, gu1 = 5;
    ck_assert_int_eq(realnvp_backward(d, p, z, &u, gx, &gv, -1, all, gz, &gu), GL_OK);
    for (size_t i = 0; i < Q; i++)
        alone[i] = 5;
    ck_assert_int_eq(realnvp_backward(d, p, z, &u, gx, &gv, -1, alone, NULL, NULL), GL_OK);
    ck_assert_int_eq(realnvp_backward(d, p, z, &u, gx, &gv, -1, NULL, gz1, NULL), GL_OK);
    ck_assert_int_eq(realnvp_backward(d, p, z, &u, gx, &gv, -1, NULL, NULL, &gu1), GL_OK);
    for (size_t i = 0; i < Q; i++)
        ck_assert_double_eq_tol(alone[i], all[i] + 5, 1e-14);
    ck_assert_double_eq_tol(gz1[0], gz[0] + 5, 1e-14);
    ck_assert_double_eq_tol(gz1[1], gz[1] + 5, 1e-14);
    ck_assert_double_eq_tol(gu1, gu + 5, 1e-14);
    ck_assert_double_ne(all[Q - 1], 0);                   /* dL/dbt = gx: something was added */
    ck_assert_int_eq(realnvp_backward(d, p, z, &u, gx, &gv, -1, NULL, NULL, NULL), GL_OK);
}
END_TEST

/* Every weight 0 makes s = t = 0: the identity, so the NLL is the standard
 * normal's, its gradient in the points is the points themselves, and
 * sampling hands the base points back. */
START_TEST(realnvp_identity_flow_is_the_base_density)
{
    realnvp_dims d = { 1, 1, 2 };
    double p[20] = { 0 }, pts[4] = { 0.5, -1, 2, 0 }, gP[4] = { 1, 1, 1, 1 }, g[20] = { 0 };
    double want = 0.5 * (0.25 + 1) + 0.5 * 4 + 2 * log(2 * 3.14159265358979323846);
    ck_assert_double_eq_tol(realnvp_nll(d, 2, p, pts, 2, g, gP), want, 1e-14);
    ck_assert_double_eq_tol(realnvp_nll(d, 2, p, pts, 2, NULL, NULL), want, 1e-14);
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq_tol(gP[i], 1 + pts[i], 1e-15);
    /* dNLL/dbs = sum over points of y_i z_i e^0 - 1: layer 1 moves p_0, layer 2 p_1 */
    ck_assert_double_eq_tol(g[6], 0.25 + 4 - 2, 1e-15);
    ck_assert_double_eq_tol(g[16], 1 + 0 - 2, 1e-15);
    double S[4];
    ck_assert_int_eq(realnvp_sample(d, 2, p, pts, 2, S), GL_OK);
    ck_assert_double_eq(S[0], 0.5);
    ck_assert_double_eq(S[1], -1);
}
END_TEST

/* The slip reports handout 08 quotes are what gradcheck-slips prints. */
START_TEST(handout_quotes_the_realnvp_slips_as_reported)
{
    char *text = read_file("handouts/08-flow-jacobian.md", NULL);
    ck_assert_ptr_nonnull(text);
    const char *names[] = { "realnvp_logdet_sum_exp", "realnvp_inverse_times_exp" };
    gc_options o = gc_default_options();
    for (int k = 0; k < 2; k++) {
        const slip_entry *s = slip_find(names[k]);
        ck_assert_ptr_nonnull(s);
        gc_check c = slip_check(s);
        gc_report r;
        ck_assert_int_eq(gc_run_check(&c, &o, &r), GC_FAIL);
        char *cut = strstr(r.note, " (relative");
        if (cut)
            *cut = '\0';
        ck_assert_msg(strstr(text, r.note) != NULL, "handout 08 does not quote: %s", r.note);
    }
    free(text);
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
    ck_assert_uint_ge(found, 7);
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

START_TEST(realnvp_trainer_lowers_the_nll)
{
    char dir[64], args[256], err[1024], path[128];
    snprintf(dir, sizeof dir, "/tmp/gl_lab5r.%d", (int)getpid());
    snprintf(args, sizeof args, "--coupling realnvp --iters 400 --layers 4 --hidden 8 --out-dir %s",
             dir);
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
    ck_assert_double_lt(last, first - 0.5);
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
                          "--bogus", "extra", "--coupling affine" };
    char err[1024], dir[64], args[256], path[128];
    for (int k = 0; k < 8; k++) {
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
    tcase_add_test(t, realnvp_layer_by_hand);
    tcase_add_test(t, realnvp_refuses_bad_layers_and_writes_nothing);
    tcase_add_test(t, realnvp_backward_adds_and_skips_null);
    tcase_add_test(t, realnvp_identity_flow_is_the_base_density);
    tcase_add_test(t, handout_quotes_the_realnvp_slips_as_reported);
    tcase_add_test(t, lab5_checks_pass);
    tcase_add_test(t, trainer_lowers_the_nll_and_writes_samples);
    tcase_add_test(t, realnvp_trainer_lowers_the_nll);
    tcase_add_test(t, trainer_bad_input_and_nan);
    tcase_set_timeout(t, 60);
    suite_add_tcase(s, t);
    return s;
}
