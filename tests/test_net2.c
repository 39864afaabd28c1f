/* test_net2.c — the 2-layer net: parameter count, a hand-computed loss and
 * gradient, the checker at several sizes, the += and NULL contracts, a wrong
 * backward (sigma' dropped) failing the check, and the trainer end to end. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gradcheck.h"
#include "gradlab.h"
#include "slips.h"
#include "tests.h"

START_TEST(param_count_is_h_dx_plus_dy_plus_1_plus_dy)
{
    ck_assert_uint_eq(net2_param_count((net2_dims){ 10, 5, 10 }), 5 * 21 + 10);
    ck_assert_uint_eq(net2_param_count((net2_dims){ 2, 100, 3 }), 603);
    ck_assert_uint_eq(net2_param_count((net2_dims){ 3, 1, 2 }), 8);
}
END_TEST

/* Zero parameters: h = 1/2, z2 = 0, yhat uniform, J = n log Dy and
 * dJ/db2 = sum_r (1/Dy - y_r). */
START_TEST(zero_weights_give_n_log_dy)
{
    net2_dims d = { 2, 3, 3 };
    double params[21] = { 0 }, grad[21] = { 0 }, X[8] = { 1, 2, -1, 0.5, 3, 3, 0, -2 };
    size_t labels[4] = { 0, 1, 2, 0 };
    ck_assert_uint_eq(net2_param_count(d), 21);   /* W1 6, b1 3, W2 9, b2 3 */
    double J = net2_loss_and_grad(d, params, X, labels, 4, grad, NULL);
    ck_assert_double_eq_tol(J, 4 * log(3.0), 1e-14);
    double *db2 = grad + 18;
    ck_assert_double_eq_tol(db2[0], -2.0 / 3, 1e-15);
    ck_assert_double_eq_tol(db2[1], 1.0 / 3, 1e-15);
    ck_assert_double_eq_tol(db2[2], 1.0 / 3, 1e-15);
    double *dW1 = grad, *db1 = grad + 6;   /* W2 = 0 blocks every path back to layer 1 */
    for (int i = 0; i < 6; i++)
        ck_assert_double_eq(dW1[i], 0.0);
    for (int j = 0; j < 3; j++)
        ck_assert_double_eq(db1[j], 0.0);
}
END_TEST

typedef struct {
    net2_dims d;
    size_t n;
    size_t labels[64];
} net_ctx;

static double f_net(void *ctx, const double *x, double *grad)
{
    const net_ctx *c = ctx;
    size_t P = net2_param_count(c->d);
    return net2_loss_and_grad(c->d, x, x + P, c->labels, c->n, grad, grad ? grad + P : NULL);
}

static gc_status check_net(net2_dims d, size_t n, uint64_t seed, gc_report *r)
{
    gc_problem p;
    gc_options o = gc_default_options();
    size_t P = net2_param_count(d);
    rng_t rng;
    rng_seed(&rng, seed);
    ck_assert_int_eq(gc_problem_alloc(&p, P + n * d.dx, sizeof(net_ctx)), 0);
    net_ctx *c = p.ctx;
    c->d = d, c->n = n;
    for (size_t i = 0; i < n; i++)
        c->labels[i] = rng_index(&rng, d.dy);
    for (size_t i = 0; i < p.n; i++)
        p.x[i] = rng_normal(&rng);
    p.f = f_net;
    p.blocks[0] = (gc_block){ "W1", d.dx, d.h };
    p.blocks[1] = (gc_block){ "b1", d.h, 0 };
    p.blocks[2] = (gc_block){ "W2", d.h, d.dy };
    p.blocks[3] = (gc_block){ "b2", d.dy, 0 };
    p.blocks[4] = (gc_block){ "X", n, d.dx };
    p.nblocks = 5;
    gc_status s = gc_check_gradient(&p, &o, r);
    gc_problem_free(&p);
    return s;
}

START_TEST(gradients_pass_the_checker_at_several_sizes)
{
    const net2_dims dims[] = { { 1, 1, 2 }, { 4, 3, 5 }, { 10, 5, 10 }, { 7, 16, 3 } };
    const size_t rows[] = { 1, 7, 20, 33 };
    for (int k = 0; k < 4; k++) {
        gc_report r;
        gc_status s = check_net(dims[k], rows[k], 100 + k, &r);
        ck_assert_msg(s == GC_PASS, "size %d: %s (%s at %s)", k, gc_status_name(s), r.note, r.where);
        ck_assert_uint_eq(r.nblocks, 5);
        ck_assert_str_eq(r.blocks[4].name, "dJ/dX");
    }
}
END_TEST

/* The slip of handout 04 (delta1 = delta2 W2^T), from the slips catalogue. */
START_TEST(missing_sigma_prime_fails_in_layer_one_only)
{
    gc_report r;
    gc_options o = gc_default_options();
    const slip_entry *s = slips;
    while (s->name && strcmp(s->name, "net2_no_sigma_prime") != 0)
        s++;
    ck_assert_ptr_nonnull(s->name);
    gc_check c = { s->name, 2, s->what, s->setup, NULL, 0 };
    ck_assert_int_eq(gc_run_check(&c, &o, &r), GC_FAIL);
    ck_assert_uint_gt(r.blocks[0].wrong, 0);   /* W1 */
    ck_assert_uint_gt(r.blocks[1].wrong, 0);   /* b1 */
    ck_assert_uint_eq(r.blocks[2].wrong, 0);   /* W2 is right */
    ck_assert_uint_eq(r.blocks[3].wrong, 0);   /* b2 is right */
}
END_TEST

START_TEST(gradients_add_and_null_skips)
{
    net2_dims d = { 3, 4, 2 };
    double params[26], X[6] = { 0.1, -0.2, 0.3, 1, 0, -1 }, g1[26] = { 0 }, g2[26] = { 0 };
    double gx1[6] = { 0 }, gx2[6] = { 0 };
    size_t labels[2] = { 1, 0 };
    rng_t r;
    rng_seed(&r, 9);
    for (int i = 0; i < 26; i++)
        params[i] = rng_normal(&r);
    double J = net2_loss_and_grad(d, params, X, labels, 2, g1, gx1);
    ck_assert_double_eq(net2_loss_and_grad(d, params, X, labels, 2, NULL, NULL), J);
    net2_loss_and_grad(d, params, X, labels, 2, g2, NULL);
    net2_loss_and_grad(d, params, X, labels, 2, g2, NULL);
    for (int i = 0; i < 26; i++)
        ck_assert_double_eq_tol(g2[i], 2 * g1[i], 1e-15);
    net2_loss_and_grad(d, params, X, labels, 2, NULL, gx2);
    for (int i = 0; i < 6; i++)
        ck_assert_double_eq(gx2[i], gx1[i]);
}
END_TEST

START_TEST(predict_rows_are_distributions_matching_the_loss)
{
    net2_dims d = { 2, 5, 3 };
    double params[33], X[4] = { 0.5, -0.5, 0.1, 0.9 }, yhat[6];
    size_t lab0[1] = { 2 };
    rng_t r;
    rng_seed(&r, 4);
    for (int i = 0; i < 33; i++)
        params[i] = rng_normal(&r);
    ck_assert_int_eq(net2_predict(d, params, X, 2, yhat), 0);
    ck_assert_double_eq_tol(yhat[0] + yhat[1] + yhat[2], 1.0, 1e-15);
    ck_assert_double_eq_tol(yhat[3] + yhat[4] + yhat[5], 1.0, 1e-15);
    ck_assert_double_eq_tol(net2_loss_and_grad(d, params, X, lab0, 1, NULL, NULL), -log(yhat[2]),
                            1e-13);
}
END_TEST

/* ---- the trainer, run as a program ($TRAIN_NET2) ---- */

static int run_trainer(const char *args, char *err, size_t errsize)
{
    return run_program("TRAIN_NET2", args, NULL, err, errsize);
}

START_TEST(trainer_loss_decreases_on_a_fixed_seed)
{
    char dir[64], args[256], err[1024], path[128];
    snprintf(dir, sizeof dir, "/tmp/gl_lab2.%d", (int)getpid());
    snprintf(args, sizeof args, "--iters 1500 --seed 3 --out-dir %s", dir);
    ck_assert_int_eq(run_trainer(args, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/loss.dat", dir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    double first = 0, last = 0, raw, smooth;
    size_t it, rows = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%zu %lf %lf", &it, &raw, &smooth) == 3) {
            if (rows++ < 100)
                first += raw / 100;
            last = smooth;
        }
    fclose(f);
    ck_assert_uint_eq(rows, 1500);
    ck_assert_double_lt(last, 0.3 * first);
    const char *names[] = { "loss.dat", "points.dat", "decision.dat" };
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        ck_assert_int_eq(access(path, R_OK), 0);
        remove(path);
    }
    rmdir(dir);
}
END_TEST

START_TEST(trainer_rejects_bad_options_with_one_line)
{
    const char *bad[] = { "--hidden -1", "--iters 0", "--lr abc", "--lr -0.1", "--batch x",
                          "--points 0", "--bogus", "extra" };
    char err[1024];
    for (int k = 0; k < 8; k++) {
        ck_assert_msg(run_trainer(bad[k], err, sizeof err) == 2, "%s", bad[k]);
        ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "%s: %s", bad[k], err);
        ck_assert(strncmp(err, "train_net2: ", 12) == 0);
    }
}
END_TEST

START_TEST(trainer_reports_an_unwritable_out_dir)
{
    char err[1024];
    ck_assert_int_eq(run_trainer("--iters 5 --out-dir /nonexistent-dir/lab2", err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "train_net2: cannot make --out-dir '/nonexistent-dir/lab2'"));
}
END_TEST

START_TEST(trainer_stops_on_nan_loss_leaving_no_file)
{
    char dir[64], args[256], err[1024], path[128];
    snprintf(dir, sizeof dir, "/tmp/gl_lab2nan.%d", (int)getpid());
    snprintf(args, sizeof args, "--lr 1e308 --iters 50 --out-dir %s", dir);
    ck_assert_int_eq(run_trainer(args, err, sizeof err), 1);
    ck_assert_ptr_nonnull(strstr(err, "try a smaller --lr"));
    snprintf(path, sizeof path, "%s/loss.dat", dir);
    ck_assert_int_ne(access(path, F_OK), 0);
    rmdir(dir);
}
END_TEST

Suite *suite_net2(void)
{
    Suite *s = suite_create("net2");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, param_count_is_h_dx_plus_dy_plus_1_plus_dy);
    tcase_add_test(t, zero_weights_give_n_log_dy);
    tcase_add_test(t, gradients_pass_the_checker_at_several_sizes);
    tcase_add_test(t, missing_sigma_prime_fails_in_layer_one_only);
    tcase_add_test(t, gradients_add_and_null_skips);
    tcase_add_test(t, predict_rows_are_distributions_matching_the_loss);
    tcase_add_test(t, trainer_loss_decreases_on_a_fixed_seed);
    tcase_add_test(t, trainer_rejects_bad_options_with_one_line);
    tcase_add_test(t, trainer_reports_an_unwritable_out_dir);
    tcase_add_test(t, trainer_stops_on_nan_loss_leaving_no_file);
    suite_add_tcase(s, t);
    return s;
}
