/* test_net2.c — the 2-layer net: parameter count, a hand-computed loss and
 * gradient, the checker at several sizes, the += and NULL contracts, a wrong
 * backward (sigma' dropped) failing the check, and the trainer end to end;
 * the activations (tanh', each phi' against a difference quotient of phi, a
 * tanh net worked by hand, tanh and ReLU nets through the checker). */
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
    ck_assert_uint_eq(net2_param_count((net2_dims){ 10, 5, 10, ACT_SIGMOID }), 5 * 21 + 10);
    ck_assert_uint_eq(net2_param_count((net2_dims){ 2, 100, 3, ACT_SIGMOID }), 603);
    ck_assert_uint_eq(net2_param_count((net2_dims){ 3, 1, 2, ACT_SIGMOID }), 8);
}
END_TEST

/* Zero parameters: h = 1/2, z2 = 0, yhat uniform, J = n log Dy and
 * dJ/db2 = sum_r (1/Dy - y_r). */
START_TEST(zero_weights_give_n_log_dy)
{
    net2_dims d = { 2, 3, 3, ACT_SIGMOID };
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
    const net2_dims dims[] = { { 1, 1, 2, ACT_SIGMOID }, { 4, 3, 5, ACT_SIGMOID },
                               { 10, 5, 10, ACT_SIGMOID }, { 7, 16, 3, ACT_SIGMOID } };
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

/* The slip `name` of the catalogue, run through the checker into r. */
static gc_status run_slip(const char *name, gc_report *r)
{
    const slip_entry *s = slip_find(name);
    ck_assert_msg(s != NULL, "no slip %s", name);
    gc_options o = gc_default_options();
    gc_check c = slip_check(s);
    return gc_run_check(&c, &o, r);
}

/* The slip of handout 04 (delta1 = delta2 W2^T), from the slips catalogue. */
START_TEST(missing_sigma_prime_fails_in_layer_one_only)
{
    gc_report r;
    ck_assert_int_eq(run_slip("net2_no_sigma_prime", &r), GC_FAIL);
    ck_assert_uint_gt(r.blocks[0].wrong, 0);   /* W1 */
    ck_assert_uint_gt(r.blocks[1].wrong, 0);   /* b1 */
    ck_assert_uint_eq(r.blocks[2].wrong, 0);   /* W2 is right */
    ck_assert_uint_eq(r.blocks[3].wrong, 0);   /* b2 is right */
}
END_TEST

/* tanh'(x) = 1 / cosh^2 x, a formula other than the 1 - t^2 under test. */
START_TEST(tanh_grad_is_sech_squared)
{
    const double xs[] = { -20, -3, -0.5, 0, 1e-8, 0.7, 2.5, 19 };
    for (int k = 0; k < 8; k++) {
        double want = 1 / (cosh(xs[k]) * cosh(xs[k]));
        ck_assert_msg(fabs(tanh_grad(tanh(xs[k])) - want) <= 1e-15 + 4e-16 * want, "x = %g", xs[k]);
    }
}
END_TEST

/* phi'(z), given h = phi(z), against (phi(z + e) - phi(z - e)) / 2e, away
 * from ReLU's kink; the names round-trip and an unknown one is refused. */
START_TEST(each_activation_grad_is_its_slope)
{
    const double zs[] = { -4, -1.3, -0.2, 0.3, 1.1, 3.7 }, e = 1e-6;
    for (activation a = ACT_SIGMOID; a < ACT_COUNT; a++) {
        for (int k = 0; k < 6; k++) {
            double z = zs[k], h = activation_apply(a, z);
            double slope = (activation_apply(a, z + e) - activation_apply(a, z - e)) / (2 * e);
            ck_assert_msg(fabs(activation_grad(a, h) - slope) < 1e-8, "%s at %g: %g vs %g",
                          activation_name(a), z, activation_grad(a, h), slope);
        }
        activation back = ACT_COUNT;
        ck_assert_int_eq(activation_parse(activation_name(a), &back), 0);
        ck_assert_int_eq(back, a);
    }
    ck_assert_double_eq(activation_grad(ACT_RELU, activation_apply(ACT_RELU, 0.0)), 0.0);
    ck_assert_double_eq(activation_apply(ACT_RELU, -2.0), 0.0);
    activation a = ACT_TANH;
    ck_assert_int_eq(activation_parse("Tanh", &a), -1);
    ck_assert_int_eq(a, ACT_TANH);
}
END_TEST

/* Dx = 1, H = 1, Dy = 2, tanh, x = 1, label 1, worked by hand:
 *   h = tanh(W1 + b1), z = (W2_0 h + b2_0, W2_1 h + b2_1), yhat = softmax(z),
 *   J = -log yhat_1, dJ/db1 = ((yhat_0 - 0) W2_0 + (yhat_1 - 1) W2_1) (1 - h^2). */
START_TEST(tanh_net_by_hand)
{
    net2_dims d = { 1, 1, 2, ACT_TANH };
    double params[6] = { 0.4, -0.1, 0.8, -1.2, 0.05, 0.3 }, X[1] = { 1 }, g[6] = { 0 };
    double h = tanh(0.3), z0 = 0.8 * h + 0.05, z1 = -1.2 * h + 0.3;
    double y0 = exp(z0) / (exp(z0) + exp(z1)), y1 = 1 - y0;
    double J = net2_loss_and_grad(d, params, X, (size_t[]){ 1 }, 1, g, NULL);
    ck_assert_double_eq_tol(J, -log(y1), 1e-14);
    ck_assert_double_eq_tol(g[1], (y0 * 0.8 + (y1 - 1) * -1.2) * (1 - h * h), 1e-14);
    ck_assert_double_eq_tol(g[0], g[1], 1e-15);           /* x = 1 */
    ck_assert_double_eq_tol(g[2], h * y0, 1e-15);         /* dJ/dW2_0 = h delta2_0 */
}
END_TEST

START_TEST(tanh_and_relu_nets_pass_the_checker)
{
    const net2_dims dims[] = { { 4, 3, 5, ACT_TANH }, { 7, 16, 3, ACT_TANH },
                               { 4, 3, 5, ACT_RELU }, { 7, 16, 3, ACT_RELU } };
    for (int k = 0; k < 4; k++) {
        gc_report r;
        gc_status s = check_net(dims[k], 7, 200 + k, &r);
        ck_assert_msg(s == GC_PASS, "%s net %d: %s (%s at %s)", activation_name(dims[k].act), k,
                      gc_status_name(s), r.note, r.where);
    }
}
END_TEST

/* Sigma's h (1 - h) kept after switching to tanh: layer one is wrong. */
START_TEST(tanh_net_with_sigma_rule_fails_in_layer_one)
{
    gc_report r;
    ck_assert_int_eq(run_slip("net2_tanh_sigma_rule", &r), GC_FAIL);
    ck_assert_uint_gt(r.blocks[0].wrong, 0);   /* W1 */
    ck_assert_uint_eq(r.blocks[2].wrong, 0);   /* W2 is right */
}
END_TEST

START_TEST(gradients_add_and_null_skips)
{
    net2_dims d = { 3, 4, 2, ACT_SIGMOID };
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
    net2_dims d = { 2, 5, 3, ACT_SIGMOID };
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

/* The last line says how far W1 moved: a percentage of where it started,
 * or, from --init-scale 0, the size it reached (a share of 0 means nothing). */
START_TEST(trainer_reports_how_far_W1_moved)
{
    char dir[64], args[256], err[1024], out[128], line[256];
    temp_dir("lab2moved", dir, sizeof dir);
    snprintf(out, sizeof out, "%s/stdout.txt", dir);
    const char *scales[] = { "4", "0" };
    const char *says[] = { "train_net2: W1 moved %lf%%",
                           "train_net2: W1 started at zero and reached |W1| = %lf" };
    for (int k = 0; k < 2; k++) {
        snprintf(args, sizeof args, "--iters 200 --init-scale %s --out-dir %s", scales[k], dir);
        ck_assert_msg(run_program("TRAIN_NET2", args, out, err, sizeof err) == 0, "%s", err);
        FILE *f = fopen(out, "r");
        ck_assert_ptr_nonnull(f);
        double moved = -1;
        while (fgets(line, sizeof line, f))
            sscanf(line, says[k], &moved);
        fclose(f);
        ck_assert_msg(moved > 0, "--init-scale %s: no '%s' line with a positive figure", scales[k],
                      says[k]);
    }
    remove_dir(dir);
}
END_TEST

START_TEST(trainer_rejects_bad_options_with_one_line)
{
    const char *bad[] = { "--hidden -1", "--iters 0", "--lr abc", "--lr -0.1", "--batch x",
                          "--points 0", "--bogus", "extra", "--activation softplus",
                          "--init-scale -1" };
    char err[1024];
    for (int k = 0; k < 10; k++) {
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

/* ---- the activation experiment, run as a program ($LAB2_ACTIVATIONS) ---- */

/* Reads saturation.dat: scales[k] and per activation the |dJ/dW1| and
 * saturated columns. Returns the rows read. */
static int read_saturation(const char *path, double rows[8][7])
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    int n = 0;
    while (n < 8 && fgets(line, sizeof line, f)) {
        double *r = rows[n];
        if (line[0] != '#' && sscanf(line, "%lf %lf %lf %lf %lf %lf %lf", &r[0], &r[1], &r[2], &r[3],
                                     &r[4], &r[5], &r[6]) == 7)
            n++;
    }
    fclose(f);
    return n;
}

/* The lessons as the program measures them: from s = 1 to s = 30 the
 * gradient reaching W1 falls (sigmoid, tanh) and does not (ReLU); most
 * sigmoid and tanh units are saturated at s = 30 and none at s = 0.1; ReLU
 * is off for about half; positive inputs give one-signed columns, centred
 * ones almost never; SGD with positive inputs moves both weights the same way. */
START_TEST(activation_experiment_shows_both_lessons)
{
    char dir[64], args[128], out[160], path[160];
    temp_dir("act", dir, sizeof dir);
    snprintf(args, sizeof args, "--out-dir %s", dir);
    snprintf(out, sizeof out, "%s/stdout.txt", dir);
    char err[1024];
    ck_assert_int_eq(run_program("LAB2_ACTIVATIONS", args, out, err, sizeof err), 0);
    double rows[8][7];
    snprintf(path, sizeof path, "%s/saturation.dat", dir);
    ck_assert_int_eq(read_saturation(path, rows), 6);
    const int s1 = 2, s30 = 5;                           /* rows of s = 1 and s = 30 */
    ck_assert_double_eq(rows[s1][0], 1.0);
    ck_assert_double_lt(rows[s30][1], rows[s1][1] / 3);     /* sigmoid |dJ/dW1| */
    ck_assert_double_lt(rows[s30][3], rows[s1][3] / 3);     /* tanh */
    ck_assert_double_gt(rows[s30][5], rows[s1][5]);         /* relu */
    ck_assert_double_gt(rows[s30][2], 0.5);
    ck_assert_double_gt(rows[s30][4], 0.5);
    ck_assert_double_eq(rows[0][2], 0.0);
    ck_assert_double_eq(rows[0][4], 0.0);
    ck_assert(fabs(rows[s1][6] - 0.5) < 0.05);
    FILE *f = fopen(out, "r");
    ck_assert_ptr_nonnull(f);
    char line[512], name[16];
    double pos, cen, h;
    int units = 0, paths = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, " %15s %lf%% %lf%% %lf%%", name, &pos, &cen, &h) == 4) {
            units++;
            ck_assert_msg(pos == 100.0 && cen < 5.0, "%s", line);
            ck_assert_msg(strcmp(name, "tanh") == 0 ? h < 5.0 : h == 100.0, "%s", line);
        }
        double same_pos, same_cen;
        char *second = strstr(line, "same way");
        if (sscanf(line, " 0.3 same way %lf%%", &same_pos) == 1 && second &&
            (second = strstr(second + 1, "same way")) && sscanf(second, "same way %lf%%", &same_cen) == 1) {
            ck_assert_msg(same_pos == 100.0 && same_cen < 70.0, "%s", line);
            paths++;
        }
    }
    fclose(f);
    ck_assert_int_eq(units, 3);
    ck_assert_int_eq(paths, 1);
    snprintf(path, sizeof path, "%s/zigzag.dat", dir);
    ck_assert_int_eq(access(path, R_OK), 0);
    remove_dir(dir);
}
END_TEST

START_TEST(activation_experiment_rejects_bad_options)
{
    char err[1024];
    const char *bad[] = { "--seed x", "--bogus", "extra" };
    for (int k = 0; k < 3; k++) {
        ck_assert_int_eq(run_program("LAB2_ACTIVATIONS", bad[k], NULL, err, sizeof err), 2);
        ck_assert_msg(strncmp(err, "lab2_activations: ", 18) == 0 &&
                      strchr(err, '\n') == err + strlen(err) - 1, "%s: %s", bad[k], err);
    }
    ck_assert_int_eq(run_program("LAB2_ACTIVATIONS", "--out-dir /nonexistent-dir/x", NULL, err,
                                 sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x"));
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
    tcase_add_test(t, tanh_grad_is_sech_squared);
    tcase_add_test(t, each_activation_grad_is_its_slope);
    tcase_add_test(t, tanh_net_by_hand);
    tcase_add_test(t, tanh_and_relu_nets_pass_the_checker);
    tcase_add_test(t, tanh_net_with_sigma_rule_fails_in_layer_one);
    tcase_add_test(t, gradients_add_and_null_skips);
    tcase_add_test(t, predict_rows_are_distributions_matching_the_loss);
    tcase_add_test(t, trainer_loss_decreases_on_a_fixed_seed);
    tcase_add_test(t, trainer_reports_how_far_W1_moved);
    tcase_add_test(t, trainer_rejects_bad_options_with_one_line);
    tcase_add_test(t, trainer_reports_an_unwritable_out_dir);
    tcase_add_test(t, trainer_stops_on_nan_loss_leaving_no_file);
    tcase_add_test(t, activation_experiment_shows_both_lessons);
    tcase_add_test(t, activation_experiment_rejects_bad_options);
    suite_add_tcase(s, t);
    return s;
}
