/* labs/lab6/teach/tests.c — lab 6's own Check suite (tests/main.c runs every
 * lab's): layer norm and attention by hand and at their edges (a constant
 * row, a row far from 0, one position, bad sizes refused with nothing
 * written), the lab's checks passing and failing a wrong gradient, and the
 * trainer: it learns to reverse, its files, and its bad options and NaN. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab6/checks.h"
#include "registry.h"
#include "tests.h"

/* Layer norm of one row by hand: x = (1, 2, 3, 6), mean 3, variance 3.5. */
START_TEST(layernorm_by_hand)
{
    ln_dims d = { 1, 4, 1e-12 };
    double x[4] = { 1, 2, 3, 6 }, gamma[4] = { 1, 2, 1, 1 }, beta[4] = { 0, 0, 1, 0 }, y[4];
    double xhat[4], s;
    ck_assert_int_eq(layernorm_forward(d, x, gamma, beta, y, xhat, &s), GL_OK);
    double sd = sqrt(3.5);
    ck_assert_double_eq_tol(s, 1 / sd, 1e-12);
    ck_assert_double_eq_tol(y[0], -2 / sd, 1e-12);
    ck_assert_double_eq_tol(y[1], 2 * -1 / sd, 1e-12);
    ck_assert_double_eq_tol(y[2], 1.0, 1e-12);
    ck_assert_double_eq_tol(xhat[3], 3 / sd, 1e-12);
    /* G = 1 everywhere, gamma = 1: Y's rows sum to d beta whatever x is, so dJ/dX = 0 */
    double ones[4] = { 1, 1, 1, 1 }, gx[4] = { 0 }, gg[4] = { 0 }, gb[4] = { 0 };
    ck_assert_int_eq(layernorm_backward(d, x, ones, ones, gx, gg, gb), GL_OK);
    for (int j = 0; j < 4; j++) {
        ck_assert_double_eq_tol(gx[j], 0.0, 1e-12);
        ck_assert_double_eq(gb[j], 1.0);
        ck_assert_double_eq_tol(gg[j], (x[j] - 3) / sd, 1e-12);
    }
}
END_TEST

/* A constant row gives xhat = 0 and y = beta (eps keeps s finite); a row
 * around 1e8 with variance 1 stays exact, where E[x^2] - E[x]^2 would lose
 * every digit; bad sizes are refused and nothing is written. */
START_TEST(layernorm_edges)
{
    ln_dims d = { 1, 3, 1e-5 };
    double c[3] = { 7, 7, 7 }, gamma[3] = { 2, 2, 2 }, beta[3] = { 0.5, -1, 3 }, y[3];
    ck_assert_int_eq(layernorm_forward(d, c, gamma, beta, y, NULL, NULL), GL_OK);
    for (int j = 0; j < 3; j++)
        ck_assert_double_eq(y[j], beta[j]);
    double far[3] = { 1e8 - 1, 1e8, 1e8 + 1 }, ones[3] = { 1, 1, 1 }, zero[3] = { 0 };
    d.eps = 1e-12;
    ck_assert_int_eq(layernorm_forward(d, far, ones, zero, y, NULL, NULL), GL_OK);
    ck_assert_double_eq_tol(y[0], -sqrt(1.5), 1e-6);
    ck_assert_double_eq_tol(y[2], sqrt(1.5), 1e-6);
    double untouched[3] = { 9, 9, 9 };
    static const ln_dims bad[] = { { 0, 3, 1e-5 }, { 1, 0, 1e-5 }, { 1, 3, 0 }, { 1, 3, -1 },
                                   { 1, 3, NAN } };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        ck_assert_int_eq(layernorm_forward(bad[k], c, gamma, beta, untouched, NULL, NULL),
                         GL_BAD_INPUT);
        ck_assert_int_eq(layernorm_backward(bad[k], c, gamma, ones, untouched, NULL, NULL),
                         GL_BAD_INPUT);
        ck_assert_double_eq(untouched[0], 9);
    }
}
END_TEST

/* Two positions by hand; one position attends only to itself (O = V, and
 * no gradient reaches Q or K); every row of A sums to 1. */
START_TEST(attention_by_hand)
{
    attn_dims d = { 2, 0, 1, 1 };
    double Q[2] = { 1, 0 }, K[2] = { log(3.0), 0 }, V[2] = { 4, 8 }, A[4], O[2];
    ck_assert_int_eq(attention_forward(d, Q, K, V, A, O), GL_OK);
    ck_assert_double_eq_tol(A[0], 0.75, 1e-15);        /* softmax(log 3, 0) */
    ck_assert_double_eq_tol(A[2], 0.5, 1e-15);         /* q = 0: flat */
    ck_assert_double_eq_tol(O[0], 0.75 * 4 + 0.25 * 8, 1e-13);
    ck_assert_double_eq_tol(O[1], 6, 1e-13);
    attn_dims one = { 1, 0, 3, 2 };
    double q[3] = { 5, -2, 1 }, k[3] = { 1, 1, 1 }, v[2] = { 0.5, -7 }, a[1], o[2];
    double gq[3] = { 0 }, gk[3] = { 0 }, gv[2] = { 0 };
    ck_assert_int_eq(attention_forward(one, q, k, v, a, o), GL_OK);
    ck_assert_double_eq(a[0], 1.0);
    ck_assert_double_eq(o[1], -7);
    ck_assert_int_eq(attention_backward(one, q, k, v, a, (double[]){ 1, 2 }, gq, gk, gv), GL_OK);
    for (int i = 0; i < 3; i++)
        ck_assert_double_eq_tol(gq[i] + gk[i], 0.0, 1e-15);
    ck_assert_double_eq(gv[1], 2);
    double untouched[4] = { 9, 9, 9, 9 };
    ck_assert_int_eq(attention_forward((attn_dims){ 0, 0, 1, 1 }, Q, K, V, untouched, O),
                     GL_BAD_INPUT);
    ck_assert_int_eq(attention_layer_forward((attn_dims){ 2, 0, 1, 1 }, V, Q, untouched, O),
                     GL_BAD_INPUT);
    ck_assert_double_eq(untouched[0], 9);
}
END_TEST

/* Every lab-6 check passes; layer norm's diagnosis reads a gradient off by a
 * constant along each row as the mean's term forgotten, and one off by a
 * multiple of the centred row as the variance's. */
START_TEST(lab6_checks_pass_and_diagnose)
{
    gc_options o = gc_default_options();
    size_t seen = 0;
    for (size_t i = 0; i < lab_check_count(); i++) {
        const gc_check *c = lab_check_at(i);
        if (c->group != 6)
            continue;
        gc_report r;
        ck_assert_msg(gc_run_check(c, &o, &r) == GC_PASS, "%s: %s %s", c->name, r.note,
                      r.diagnosis);
        seen++;
    }
    ck_assert_uint_eq(seen, 6);
    gc_problem p;
    ck_assert_int_eq(lab_find("layernorm")->setup(&p, 3), 0);
    double num[64] = { 0 }, a[64];
    ck_assert_uint_le(p.n, 64);
    gc_loss(&p, p.x, num);
    ln_dims d = ((const lab6_ctx *)p.ctx)->ln;
    char buf[400] = "";
    for (size_t i = 0; i < p.n; i++)
        a[i] = num[i] + (i < d.n * d.d ? 0.1 * (double)(1 + i / d.d) : 0.0);
    p.explain(&p, a, num, buf, sizeof buf);
    ck_assert_msg(strstr(buf, "mean is forgotten") || strstr(buf, "row's mean"), "%s", buf);
    for (size_t i = 0; i < d.n * d.d; i++) {
        const double *row = p.x + i / d.d * d.d;
        double mean = 0.0;
        for (size_t j = 0; j < d.d; j++)
            mean += row[j] / (double)d.d;
        a[i] = num[i] + 0.3 * (p.x[i] - mean);
    }
    buf[0] = '\0';
    p.explain(&p, a, num, buf, sizeof buf);
    ck_assert_msg(strstr(buf, "variance term is dropped"), "%s", buf);
    gc_problem_free(&p);
}
END_TEST

static int run_trainer(const char *args, char *err, size_t size)
{
    return run_program("TRAIN_ATTENTION", args, NULL, err, size);
}

/* The last held-out token accuracy in loss.dat. */
static double final_accuracy(const char *path, size_t *rows)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    double acc = NAN, loss, smooth, tok, seq;
    size_t step;
    *rows = 0;
    while (fgets(line, sizeof line, f)) {
        int got = sscanf(line, "%zu %lf %lf %lf %lf", &step, &loss, &smooth, &tok, &seq);
        *rows += got >= 3;
        if (got == 5)
            acc = tok;
    }
    fclose(f);
    return acc;
}

/* It learns to reverse sequences of 6 tokens: after 300 steps at least 99%
 * of the held-out tokens are right (chance: 1 in 8), and the weights of
 * query 0 go to key 5. */
START_TEST(trainer_learns_to_reverse)
{
    char dir[64], args[256], err[2048], path[128];
    temp_dir("lab6", dir, sizeof dir);
    snprintf(args, sizeof args, "--length 6 --vocab 8 --dim 16 --dk 8 --steps 300 --lr 0.003 "
             "--held-out 200 --out-dir %s", dir);
    ck_assert_msg(run_trainer(args, err, sizeof err) == 0, "%s", err);
    size_t rows;
    snprintf(path, sizeof path, "%s/loss.dat", dir);
    double acc = final_accuracy(path, &rows);
    ck_assert_uint_eq(rows, 300);
    ck_assert_msg(acc >= 0.99, "held-out token accuracy %.3f", acc);
    snprintf(path, sizeof path, "%s/attention.dat", dir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    size_t i, j, best = 99;
    double a, top = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%zu %zu %lf", &i, &j, &a) == 3 && i == 0 && a > top)
            top = a, best = j;
    fclose(f);
    ck_assert_uint_eq(best, 5);
    snprintf(path, sizeof path, "%s/attention_start.dat", dir);
    ck_assert_int_eq(access(path, R_OK), 0);
    remove_dir(dir);
}
END_TEST

START_TEST(trainer_bad_input_and_nan)
{
    static const char *const bad[] = { "--length 1", "--vocab 1", "--dim 0", "--steps -1",
                                       "--lr 0", "--lr x", "--bogus", "extra", "--seed 1.5" };
    char err[2048], dir[64], args[256], path[128];
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        ck_assert_msg(run_trainer(bad[k], err, sizeof err) == 2, "%s", bad[k]);
        ck_assert_msg(strncmp(err, "train_attention: ", 17) == 0, "%s", err);
        ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "%s: %s", bad[k], err);
    }
    ck_assert_int_eq(run_trainer("--steps 5 --out-dir /nonexistent-dir/lab6", err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "train_attention: cannot make --out-dir "
                                      "'/nonexistent-dir/lab6'"));
    temp_dir("lab6nan", dir, sizeof dir);
    snprintf(args, sizeof args, "--lr 1e300 --steps 50 --out-dir %s", dir);
    ck_assert_int_eq(run_trainer(args, err, sizeof err), 1);
    ck_assert_ptr_nonnull(strstr(err, "try a smaller --lr"));
    static const char *const files[] = { "loss.dat", "attention.dat", "attention_start.dat" };
    for (size_t k = 0; k < 3; k++) {                    /* a failed run leaves no file */
        snprintf(path, sizeof path, "%s/%s", dir, files[k]);
        ck_assert_msg(access(path, F_OK) != 0, "%s was left", path);
    }
    remove_dir(dir);
}
END_TEST

Suite *lab6_suite(void)
{
    Suite *s = suite_create("lab6");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, layernorm_by_hand);
    tcase_add_test(t, layernorm_edges);
    tcase_add_test(t, attention_by_hand);
    tcase_add_test(t, lab6_checks_pass_and_diagnose);
    tcase_add_test(t, trainer_learns_to_reverse);
    tcase_add_test(t, trainer_bad_input_and_nan);
    suite_add_tcase(s, t);
    return s;
}
