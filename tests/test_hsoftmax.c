/* test_hsoftmax.c — the Huffman tree (textbook code lengths, the root on
 * every path, Kraft's equality, frequent words not deeper than rare ones),
 * hierarchical softmax by hand on a one-node path, leaf probabilities that
 * sum to 1, the += contract, the lab 4 window losses, and the window
 * computed node by node against its pairs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradlab.h"
#include "tests.h"
#include "vec.h"

/* The Huffman tree of V Zipf-like counts, count(w) = top / (w + 1). */
static void zipf_tree(hs_tree *t, size_t V, uint64_t top)
{
    uint64_t *counts = malloc(V * sizeof *counts);
    ck_assert_ptr_nonnull(counts);
    for (size_t w = 0; w < V; w++)
        counts[w] = top / (w + 1);
    ck_assert_int_eq(hs_tree_build(t, counts, V), 0);
    free(counts);
}

/* The six-letter example of CLRS (section 16.3): a..f with frequencies
 * 45, 13, 12, 16, 9, 5 get code lengths 1, 3, 3, 3, 4, 4 (cost 224). */
START_TEST(test_textbook_lengths)
{
    static const uint64_t counts[6] = { 45, 13, 12, 16, 9, 5 };
    static const size_t lengths[6] = { 1, 3, 3, 3, 4, 4 };
    hs_tree t;
    ck_assert_int_eq(hs_tree_build(&t, counts, 6), 0);
    uint64_t cost = 0;
    for (size_t w = 0; w < 6; w++) {
        hs_path p = hs_path_of(&t, w);
        ck_assert_uint_eq(p.len, lengths[w]);
        cost += counts[w] * p.len;
    }
    ck_assert_uint_eq(cost, 224);
    ck_assert_uint_eq(hs_depth_max(&t), 4);
    hs_tree_free(&t);
}
END_TEST

START_TEST(test_too_small)
{
    uint64_t one = 7;
    hs_tree t;
    ck_assert_int_eq(hs_tree_build(&t, &one, 1), -1);
    ck_assert_int_eq(hs_tree_build(&t, &one, 0), -1);
}
END_TEST

/* Two words: one node, the root (0), and the two branches. */
START_TEST(test_two_words)
{
    static const uint64_t counts[2] = { 3, 8 };
    hs_tree t;
    ck_assert_int_eq(hs_tree_build(&t, counts, 2), 0);
    hs_path a = hs_path_of(&t, 0), b = hs_path_of(&t, 1);
    ck_assert_uint_eq(a.len, 1);
    ck_assert_uint_eq(b.len, 1);
    ck_assert_uint_eq(a.node[0], 0);
    ck_assert_uint_eq(b.node[0], 0);
    ck_assert_uint_eq(a.code[0], 0);       /* the lighter word goes left */
    ck_assert_uint_eq(b.code[0], 1);
    hs_tree_free(&t);
}
END_TEST

/* Random counts: every path starts at the root V - 2; sum 2^-len = 1 (a full
 * binary tree, no word shares a code); a more frequent word is never deeper. */
START_TEST(test_tree_shape)
{
    enum { V = 300 };
    uint64_t counts[V];
    rng_t r;
    rng_seed(&r, 11);
    for (size_t w = 0; w < V; w++)
        counts[w] = 1 + rng_index(&r, 5000) * rng_index(&r, 3);
    hs_tree t;
    ck_assert_int_eq(hs_tree_build(&t, counts, V), 0);
    long double kraft = 0;
    for (size_t w = 0; w < V; w++) {
        hs_path p = hs_path_of(&t, w);
        ck_assert_uint_ge(p.len, 1);
        ck_assert_uint_eq(p.node[0], V - 2);
        kraft += ldexpl(1.0L, -(int)p.len);
        for (size_t u = 0; u < V; u++)
            if (counts[u] > counts[w])
                ck_assert_uint_le(hs_path_of(&t, u).len, p.len);
    }
    ck_assert(fabsl(kraft - 1.0L) < 1e-15L);
    hs_tree_free(&t);
}
END_TEST

/* One node: J = -log sigma(s theta . v_c), by hand. */
START_TEST(test_one_node_by_hand)
{
    const double v_c[2] = { 1.0, -2.0 }, Theta[2] = { 0.5, 0.25 };   /* theta . v_c = 0 */
    const double theta2[2] = { 1.0, 1.0 };                            /* theta . v_c = -1 */
    size_t node = 0;
    uint8_t left = 0, right = 1;
    double J = hsoftmax_loss_and_grad(v_c, (hs_path){ &node, &left, 1 }, Theta, 2, NULL, NULL);
    ck_assert_double_eq_tol(J, log(2.0), 1e-15);
    J = hsoftmax_loss_and_grad(v_c, (hs_path){ &node, &right, 1 }, theta2, 2, NULL, NULL);
    ck_assert_double_eq_tol(J, log1p(exp(-1.0)), 1e-15);   /* -log sigma(+1) */
    double g_v[2] = { 0 }, g_T[2] = { 0 };
    hsoftmax_loss_and_grad(v_c, (hs_path){ &node, &left, 1 }, Theta, 2, g_v, g_T);
    ck_assert_double_eq_tol(g_v[0], -0.5 * 0.5, 1e-15);     /* (sigma(0) - 1) theta */
    ck_assert_double_eq_tol(g_T[1], -0.5 * -2.0, 1e-15);    /* (sigma(0) - 1) v_c */
}
END_TEST

/* sum_w exp(-J_w) = 1 for a Zipf vocabulary and random vectors. */
START_TEST(test_probabilities_sum_to_one)
{
    enum { V = 200, D = 8 };
    hs_tree t;
    zipf_tree(&t, V, 10000);
    double v_c[D], *Theta = malloc((V - 1) * D * sizeof *Theta);
    rng_t r;
    rng_seed(&r, 5);
    for (size_t i = 0; i < D; i++)
        v_c[i] = rng_normal(&r);
    for (size_t i = 0; i < (V - 1) * D; i++)
        Theta[i] = 0.5 * rng_normal(&r);
    double sum = 0;
    for (size_t w = 0; w < V; w++)
        sum += exp(-hsoftmax_loss_and_grad(v_c, hs_path_of(&t, w), Theta, D, NULL, NULL));
    ck_assert_double_eq_tol(sum, 1.0, 1e-13);
    free(Theta);
    hs_tree_free(&t);
}
END_TEST

/* Gradients are added, and only the path's rows are written. */
START_TEST(test_adds_path_rows_only)
{
    enum { V = 9, D = 3 };
    hs_tree t;
    zipf_tree(&t, V, 100);
    double v_c[D] = { 0.3, -0.2, 0.9 }, Theta[(V - 1) * D], once[(V - 1) * D] = { 0 };
    double twice[(V - 1) * D], gv1[D] = { 0 }, gv2[D] = { 0 };
    for (size_t i = 0; i < (V - 1) * D; i++) {
        Theta[i] = 0.1 * (double)(i % 7) - 0.3;
        twice[i] = 1.0;
    }
    hs_path p = hs_path_of(&t, V - 1);
    hsoftmax_loss_and_grad(v_c, p, Theta, D, gv1, once);
    hsoftmax_loss_and_grad(v_c, p, Theta, D, gv2, twice);
    hsoftmax_loss_and_grad(v_c, p, Theta, D, gv2, twice);
    for (size_t n = 0; n < V - 1; n++) {
        int on_path = 0;
        for (size_t j = 0; j < p.len; j++)
            on_path |= p.node[j] == n;
        for (size_t i = 0; i < D; i++) {
            if (!on_path)
                ck_assert_double_eq(once[n * D + i], 0.0);
            ck_assert_double_eq_tol(twice[n * D + i], 1.0 + 2 * once[n * D + i], 1e-15);
        }
    }
    for (size_t i = 0; i < D; i++)
        ck_assert_double_eq_tol(gv2[i], 2 * gv1[i], 1e-15);
    hs_tree_free(&t);
}
END_TEST

/* A skip-gram window under W2V_HS is the sum of its pairs' HS losses. */
START_TEST(test_skipgram_hs_is_sum_of_pairs)
{
    enum { V = 7, D = 4 };
    uint64_t counts[V] = { 50, 30, 20, 10, 8, 3, 1 };
    hs_tree t;
    ck_assert_int_eq(hs_tree_build(&t, counts, V), 0);
    double Vc[V * D], Theta[V * D];
    for (size_t i = 0; i < V * D; i++) {
        Vc[i] = sin(1.0 + (double)i);
        Theta[i] = cos(2.0 * (double)i);
    }
    size_t outside[3] = { 6, 0, 6 };
    hs_path paths[3];
    double sum = 0;
    for (size_t j = 0; j < 3; j++) {
        paths[j] = hs_path_of(&t, outside[j]);
        sum += hsoftmax_loss_and_grad(Vc + 2 * D, paths[j], Theta, D, NULL, NULL);
    }
    w2v_loss L = { W2V_HS, 0, NULL, paths };
    double J = skipgram_loss_and_grad(&L, 2, outside, 3, Vc, Theta, V, D, NULL, NULL);
    ck_assert_double_eq_tol(J, sum, 1e-13);
    hs_tree_free(&t);
}
END_TEST

/* The window loss node by node against its pairs one by one (the pair
 * function, whose numbers it must give to round-off): loss, dJ/dv_c and
 * every row of dJ/dTheta, on random windows over a Zipf tree with words
 * listed twice, small and large (more than 256 path nodes in all: its
 * scratch then comes from malloc). Rows no path visits stay untouched. */
START_TEST(test_window_is_sum_of_pairs)
{
    enum { V = 500, D = 5, MMAX = 40 };
    hs_tree t;
    zipf_tree(&t, V, 100000);
    double v_c[D], *Theta = malloc((V - 1) * D * sizeof *Theta);
    double *g1 = malloc((V - 1) * D * sizeof *g1), *g2 = malloc((V - 1) * D * sizeof *g2);
    ck_assert(Theta && g1 && g2);
    rng_t r;
    rng_seed(&r, 29);
    for (size_t i = 0; i < (V - 1) * D; i++)
        Theta[i] = rng_normal(&r);
    for (int trial = 0; trial < 300; trial++) {
        size_t m = trial == 0 ? 0 : 1 + rng_index(&r, trial % 10 ? 10 : MMAX), visits = 0;
        hs_path paths[MMAX];
        size_t w = 0;
        for (size_t j = 0; j < m; j++) {
            if (j == 0 || rng_index(&r, 5))                /* else the word before, again */
                w = rng_index(&r, 4) ? rng_index(&r, 12) : rng_index(&r, V);
            paths[j] = hs_path_of(&t, w);
            visits += paths[j].len;
        }
        for (size_t i = 0; i < D; i++)
            v_c[i] = rng_normal(&r);
        double gv1[D] = { 0 }, gv2[D] = { 0 }, J1 = 0.0;
        for (size_t i = 0; i < (V - 1) * D; i++)
            g1[i] = g2[i] = 0.25;                         /* added into, not overwritten */
        for (size_t j = 0; j < m; j++)
            J1 += hsoftmax_loss_and_grad(v_c, paths[j], Theta, D, gv1, g1);
        double J2 = hsoftmax_window_loss_and_grad(v_c, paths, m, Theta, D, gv2, g2);
        ck_assert_msg(fabs(J2 - J1) <= 1e-13 * fmax(1.0, J1), "m %zu (%zu nodes): %.17g, "
                      "pairs %.17g", m, visits, J2, J1);
        ck_assert_double_eq(hsoftmax_window_loss_and_grad(v_c, paths, m, Theta, D, NULL, NULL),
                            J2);
        for (size_t i = 0; i < D; i++)
            ck_assert_msg(fabs(gv2[i] - gv1[i]) <= 1e-12 * (1.0 + fabs(gv1[i])) * (double)(m + 1),
                          "dJ/dv_c[%zu]: %.17g, pairs %.17g", i, gv2[i], gv1[i]);
        size_t bad = (V - 1) * D;                         /* the first wrong entry */
        for (size_t i = 0; i < (V - 1) * D && bad == (V - 1) * D; i++)
            if ((g1[i] == 0.25 && g2[i] != 0.25) || !(fabs(g2[i] - g1[i]) <= 1e-12 * (double)(m + 1)))
                bad = i;
        ck_assert_msg(bad == (V - 1) * D, "dJ/dTheta[%zu][%zu]: %.17g, pairs %.17g (a row on no "
                      "path is left at 0.25)", bad / D, bad % D, g2[bad % ((V - 1) * D)],
                      g1[bad % ((V - 1) * D)]);
    }
    free(Theta), free(g1), free(g2);
    hs_tree_free(&t);
}
END_TEST

/* A node that several pairs visit gets the sum of their slopes, by hand:
 * one node, two pairs turning left and one right, theta . v_c = 0, so
 * each left slope is -1/2 and the right one +1/2: dJ/dtheta = -1/2 v_c and
 * J = 3 log 2. A window that counted the node once would give -1/2 v_c
 * too, so a second score tells them apart: at theta . v_c = log 3 the
 * slopes are -1/4, -1/4 and 3/4, summing to 1/4. */
START_TEST(test_window_shared_node_by_hand)
{
    size_t node = 0;
    uint8_t left = 0, right = 1;
    hs_path paths[3] = { { &node, &left, 1 }, { &node, &right, 1 }, { &node, &left, 1 } };
    const double v_c[2] = { 1.0, 0.0 }, at_zero[2] = { 0.0, 3.0 }, at_log3[2] = { log(3.0), 5.0 };
    double gv[2] = { 0 }, gT[2] = { 0 };
    double J = hsoftmax_window_loss_and_grad(v_c, paths, 3, at_zero, 2, gv, gT);
    ck_assert_double_eq_tol(J, 3.0 * log(2.0), 1e-15);
    ck_assert_double_eq_tol(gT[0], -0.5, 1e-15);
    ck_assert_double_eq_tol(gv[1], -0.5 * 3.0, 1e-15);
    gv[0] = gv[1] = gT[0] = gT[1] = 0.0;
    J = hsoftmax_window_loss_and_grad(v_c, paths, 3, at_log3, 2, gv, gT);
    ck_assert_double_eq_tol(J, -2.0 * log(0.75) - log(0.25), 1e-14);
    ck_assert_double_eq_tol(gT[0], 0.25, 1e-15);
    ck_assert_double_eq_tol(gT[1], 0.0, 1e-15);
    ck_assert_double_eq_tol(gv[0], 0.25 * log(3.0), 1e-15);
}
END_TEST

/* dot4 and axpy4 (src/vec.h) give the very numbers of four dots and eight
 * axpys, bit for bit, at every length (the window loss relies on it). */
START_TEST(test_four_row_loops_match_one_row_loops)
{
    rng_t r;
    rng_seed(&r, 4);
    for (size_t d = 1; d <= 41; d++) {
        double a[4][41], b[41], y1[41], y2[41], z1[4][41], z2[4][41], alpha[4], s[4];
        for (int k = 0; k < 4; k++) {
            alpha[k] = rng_normal(&r);
            for (size_t i = 0; i < d; i++)
                a[k][i] = rng_normal(&r), z1[k][i] = z2[k][i] = rng_normal(&r);
        }
        for (size_t i = 0; i < d; i++)
            b[i] = rng_normal(&r), y1[i] = y2[i] = rng_normal(&r);
        dot4(a[0], a[1], a[2], a[3], b, d, s);
        axpy4(alpha, a[0], a[1], a[2], a[3], y1, b, z1[0], z1[1], z1[2], z1[3], d);
        for (int k = 0; k < 4; k++) {
            ck_assert_msg(s[k] == dot(a[k], b, d), "dot4 row %d, d = %zu", k, d);
            axpy(alpha[k], a[k], y2, d);
            axpy(alpha[k], b, z2[k], d);
            ck_assert_msg(memcmp(z1[k], z2[k], d * sizeof(double)) == 0, "axpy4 z%d, d = %zu", k, d);
        }
        ck_assert_msg(memcmp(y1, y2, d * sizeof(double)) == 0, "axpy4 y, d = %zu", d);
        axpy2(alpha[0], a[0], y1, b, z1[0], d);
        axpy(alpha[0], a[0], y2, d);
        axpy(alpha[0], b, z2[0], d);
        ck_assert(memcmp(y1, y2, d * sizeof(double)) == 0 && memcmp(z1[0], z2[0], d * sizeof(double)) == 0);
    }
}
END_TEST

/* hs_cost ($HS_COST) on two small vocabularies: cost.dat has a row per V,
 * positive times, and a mean path over the words of at least log2 V (no
 * binary tree does better); bad options end with one line and exit 2. */
START_TEST(test_cost_program)
{
    char dir[64], args[256], err[512], path[96], line[512];
    snprintf(args, sizeof args, "--vocab 50,200 --dim 8 --reps 1 --budget-ms 1 --out-dir "
             "/nonexistent-dir/lab4");
    ck_assert_int_eq(run_program("HS_COST", args, NULL, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "cannot make --out-dir '/nonexistent-dir/lab4'"));
    temp_dir("hs", dir, sizeof dir);
    snprintf(args, sizeof args, "--vocab 50,200 --dim 8 --reps 1 --budget-ms 1 --out-dir %s", dir);
    ck_assert_msg(run_program("HS_COST", args, NULL, err, sizeof err) == 0, "%s", err);
    snprintf(path, sizeof path, "%s/cost.dat", dir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t rows = 0, V;
    double naive, hs, neg, freq, uniform;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%zu %lf %lf %lf %lf %lf", &V, &naive, &hs, &neg, &freq, &uniform) == 6) {
            ck_assert_uint_eq(V, rows ? 200 : 50);
            ck_assert(naive > 0 && hs > 0 && neg > 0);
            ck_assert_double_ge(uniform, log2((double)V));
            ck_assert_double_le(freq, uniform);       /* frequent words sit higher */
            rows++;
        }
    fclose(f);
    ck_assert_uint_eq(rows, 2);
    const char *bad[] = { "--vocab 1", "--vocab 10,x", "--vocab ,", "--vocab 5 --negative 5",
                          "--vocab 9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9",
                          "--reps 0", "--budget-ms 0", "--bogus", "extra" };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        ck_assert_msg(run_program("HS_COST", bad[k], NULL, err, sizeof err) == 2, "%s", bad[k]);
        ck_assert_msg(strncmp(err, "hs_cost: ", 9) == 0 && strchr(err, '\n') == err + strlen(err) - 1,
                      "%s: %s", bad[k], err);
    }
    remove_dir(dir);
}
END_TEST

/* Every loss exact and finite at extreme scores: J against the terms summed
 * one by one, for |theta . v| up to 1e3 (a product of sigmas underflowed
 * to J = inf for three nodes at -400). */
START_TEST(losses_are_finite_at_extreme_scores)
{
    const double scores[] = { -1000, -400, -40, 40, 400, 1000 };
    for (size_t k = 0; k < sizeof scores / sizeof scores[0]; k++) {
        double v_c[1] = { 1.0 }, T[3] = { scores[k], scores[k], scores[k] };
        size_t nodes[3] = { 0, 1, 2 };
        uint8_t codes[3] = { 1, 0, 1 };
        hs_path path = { nodes, codes, 3 };
        double want = -log_sigmoid(-scores[k]) - log_sigmoid(scores[k]) - log_sigmoid(-scores[k]);
        double J = hsoftmax_loss_and_grad(v_c, path, T, 1, NULL, NULL);
        ck_assert_msg(isfinite(J) && fabs(J - want) <= 1e-12 * fmax(1, want),
                      "hs at %g: %.17g, not %.17g", scores[k], J, want);
        hs_path twice[2] = { path, path };                 /* every node visited twice */
        J = hsoftmax_window_loss_and_grad(v_c, twice, 2, T, 1, NULL, NULL);
        ck_assert_msg(isfinite(J) && fabs(J - 2 * want) <= 1e-12 * fmax(1, 2 * want),
                      "hs window at %g: %.17g, not %.17g", scores[k], J, 2 * want);
        double U[3] = { scores[k], -scores[k], scores[k] };     /* o = 0, negatives 1, 2 */
        size_t neg[2] = { 1, 2 };
        want = -log_sigmoid(scores[k]) - log_sigmoid(scores[k]) - log_sigmoid(-scores[k]);
        J = neg_sampling_loss_and_grad(v_c, 0, U, 1, neg, 2, NULL, NULL);
        ck_assert_msg(isfinite(J) && fabs(J - want) <= 1e-12 * fmax(1, want),
                      "neg at %g: %.17g, not %.17g", scores[k], J, want);
        want = logsumexp(U, 3) - U[1];
        J = naive_softmax_loss_and_grad(v_c, 1, U, 3, 1, NULL, NULL);
        ck_assert_msg(isfinite(J) && fabs(J - want) <= 1e-12 * fmax(1, want),
                      "naive at %g: %.17g, not %.17g", scores[k], J, want);
    }
}
END_TEST

Suite *suite_hsoftmax(void)
{
    Suite *s = suite_create("hsoftmax");
    TCase *t = tcase_create("core");
    tcase_add_test(t, losses_are_finite_at_extreme_scores);
    tcase_add_test(t, test_textbook_lengths);
    tcase_add_test(t, test_too_small);
    tcase_add_test(t, test_two_words);
    tcase_add_test(t, test_tree_shape);
    tcase_add_test(t, test_one_node_by_hand);
    tcase_add_test(t, test_probabilities_sum_to_one);
    tcase_add_test(t, test_adds_path_rows_only);
    tcase_add_test(t, test_skipgram_hs_is_sum_of_pairs);
    tcase_add_test(t, test_window_is_sum_of_pairs);
    tcase_add_test(t, test_window_shared_node_by_hand);
    tcase_add_test(t, test_four_row_loops_match_one_row_loops);
    suite_add_tcase(s, t);
    TCase *p = tcase_create("program");
    tcase_set_timeout(p, 60);
    tcase_add_test(p, test_cost_program);
    suite_add_tcase(s, p);
    return s;
}
