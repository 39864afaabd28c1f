/* test_verdict.c — the diagnosis codes (verdict.h) and what they are read
 * from: the relation compare.c finds between a student's values and the
 * reference's, on values made for each relation; every slip of the
 * catalogue (slips.h) diagnosed with the code it is planted as, from the
 * checker's report and the comparison with the right check's values, as the
 * grader does; the failures that follow from another function's mistake;
 * and the checkmap: every check of the grading tables has an entry, every
 * function and handout section it names exists. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkmap.h"
#include "compare.h"
#include "registry.h"
#include "slips.h"
#include "tests.h"
#include "verdict.h"

/* The verdict of slip s the way the grader reaches it: the check's report,
 * then the slip's values against the right check's at another seed. */
static void slip_verdict(const slip_entry *s, verdict *v, gc_report *rep)
{
    gc_check c = slip_check(s);
    gc_options o = gc_default_options();
    gc_run_isolated(&c, &o, 60, rep);
    gc_problem slip, right;
    const uint64_t seed = 0x5eed;
    ck_assert_int_eq(s->setup(&slip, seed), 0);
    ck_assert_int_eq(lab_find(s->check)->setup(&right, seed), 0);
    size_t count = gc_output_count(&slip);
    comparison cmp;
    char hint[400] = "";
    int compared = 0;
    if (count && count == gc_output_count(&right)) {
        double *sv = malloc(count * sizeof *sv), *rv = malloc(count * sizeof *rv);
        gc_name *names = malloc(count * sizeof *names);
        ck_assert(sv && rv && names);
        ck_assert_int_eq(gc_outputs(&slip, sv, NULL), 0);
        ck_assert_int_eq(gc_outputs(&right, rv, names), 0);
        compared = !compare_values(sv, rv, names, count, &cmp);
        if (compared && right.explain && !right.map && !right.custom)
            right.explain(&right, sv + 1, rv + 1, hint, sizeof hint);
        if (compared && !hint[0] && right.explain_loss && !right.map && !right.custom &&
            sv[0] != rv[0])
            right.explain_loss(&right, sv[0], hint, sizeof hint);
        free(sv), free(rv), free(names);
    }
    verdict_evidence e = { .check = s->check, .report = rep, .golden_ratio = NAN,
                           .cmp = compared ? &cmp : NULL, .hint = hint,
                           .passed = rep->status == GC_PASS && !compared };
    verdict_derive(&e, v);
    gc_problem_free(&slip);
    gc_problem_free(&right);
}

/* The code each slip of the catalogue is planted as, and the function it
 * blames. The Jacobian slips (flow's three, realnvp's two) change a check
 * that judges itself (its values cannot be asked of it here): from the
 * report alone they are check_failed or not_finite; graded as submissions,
 * the comparison of the layer's values says off_by_one and sign_flipped
 * (tests/report/planted.sh). */
static const struct {
    const char *slip, *code, *function;
} planted[] = {
    { "softmax_no_shift", "not_finite", "logsumexp" },
    { "softmax_unshifted", "not_finite", "softmax" },
    { "log_of_sigmoid", "not_finite", "log_sigmoid" },
    { "sigma_one_plus", "wrong_values", "sigmoid_grad" },
    { "sigma_grad_of_x", "applies_again", "sigmoid_grad" },
    { "relu_kink_two", "kink", "relu_grad" },
    { "ce_y_minus_yhat", "sign_flipped", "softmax_cross_entropy" },
    { "ce_dropped_y", "lab_slip", "softmax_cross_entropy" },
    { "ce_nothing_added", "rows_left_at_zero", "softmax_cross_entropy" },
    { "ce_overwrites", "overwrites", "softmax_cross_entropy" },
    { "neg_zeroes_buffer", "clears_buffer", "neg_sampling_loss_and_grad" },
    { "neg_sigma_minus_s", "lab_slip", "neg_sampling_loss_and_grad" },
    { "neg_every_row", "touches_other_entries", "neg_sampling_loss_and_grad" },
    { "tanh_no_square", "lab_slip", "tanh_grad" },
    { "tanh_sigma_rule", "lab_slip", "tanh_grad" },
    { "net2_tanh_sigma_rule", "wrong_values", "backward_row" },
    { "net2_no_sigma_prime", "wrong_values", "backward_row" },
    { "net2_dW2_transposed", "transposed", "backward_row" },
    { "net2_mean_loss", "loss_other_function", "backward_row" },
    { "net2_mean_both", "loss_other_function", "backward_row" },
    { "skipgram_first_only", "loss_other_function", "skipgram_loss_and_grad" },
    { "hs_left_right_swapped", "loss_other_function", "hsoftmax_loss_and_grad" },
    { "net2_dW2_last_row", "wrong_values", "backward_row" },
    { "w2v_expected_minus_obs", "sign_flipped", "naive_softmax_loss_and_grad" },
    { "w2v_dU_transposed", "transposed", "naive_softmax_loss_and_grad" },
    { "neg_repeat_once", "repeated_index_once", "neg_sampling_loss_and_grad" },
    { "neg_negatives_only", "rows_left_at_zero", "neg_sampling_loss_and_grad" },
    { "w2v_dvc_needs_dU", "null_gradient", "naive_softmax_loss_and_grad" },
    { "cbow_no_mean", "constant_factor", "cbow_loss_and_grad" },
    { "hs_sign_mixed", "opposite_sign_rows", "hsoftmax_loss_and_grad" },
    { "hs_leaf_updated", "wrong_rows", "hsoftmax_loss_and_grad" },
    { "hs_shared_node_once", "lab_slip", "hsoftmax_window_loss_and_grad" },
    { "hs_root_skipped", "not_finite", "hs_tree_build" },
    { "flow_logdet_no_abs", "not_finite", "flow_jacobian" },
    { "flow_logdet_off_by_one", "check_failed", "flow_jacobian" },
    { "flow_jacobian_df_du_sign", "check_failed", "flow_jacobian" },
    { "flow_no_tanh_prime", "wrong_values", "flow_backward" },
    { "realnvp_logdet_sum_exp", "check_failed", "realnvp_jacobian" },
    { "realnvp_inverse_times_exp", "check_failed", "realnvp_jacobian" },
    { "realnvp_scale_constant", "lab_slip", "realnvp_backward" },
    { "realnvp_no_logdet_grad", "lab_slip", "realnvp_backward" },
    { "attn_no_scale_backward", "lab_slip", "attention_backward" },
    { "attn_unscaled", "loss_other_function", "attention_backward" },
    { "attn_softmax_columns", "lab_slip", "attention_backward" },
    { "attn_dV_untransposed", "wrong_values", "attention_backward" },   /* no lab words for it */
    { "ln_no_variance_grad", "lab_slip", "layernorm_backward" },
    { "ln_no_mean_grad", "lab_slip", "layernorm_backward" },
    { "neg_sum_inside_log", "loss_other_function", "neg_sampling_loss_and_grad" },
    { "w2v_sum_outside_exp", "loss_other_function", "naive_softmax_loss_and_grad" },
    { "hs_roles_swapped", "wrong_values", "hsoftmax_loss_and_grad" },
    { "sigmoid_flipped", "lab_slip", "sigmoid" },
    { "sigmoid_flipped_log", "lab_slip", "sigmoid" },
    { "lse_no_plus_m", "loss_other_function", "logsumexp" },
    { "relu_grad_zero_one", "kink", "relu_grad" },
    { "ce_dropped_y_soft", "lab_slip", "softmax_cross_entropy" },
    { "net2_relu_grad_one", "wrong_values", "backward_row" },   /* the grader links the reference relu_grad */
    { "net2_W2_read_transposed", "lab_slip", "backward_row" },
    { "w2v_dropped_y", "lab_slip", "naive_softmax_loss_and_grad" },
    { "skipgram_swapped", "lab_slip", "skipgram_loss_and_grad" },
    { "skipgram_off_by_one", "lab_slip", "skipgram_loss_and_grad" },
    { "cbow_sum_for_mean", "lab_slip", "cbow_loss_and_grad" },
};
enum { PLANTED = sizeof planted / sizeof planted[0] };

/* 1 when text says phrase: its pieces between "..." in order. */
static int says(const char *text, const char *phrase)
{
    char piece[400];
    const char *at = text;
    while (*phrase) {
        const char *dots = strstr(phrase, "...");
        size_t n = dots ? (size_t)(dots - phrase) : strlen(phrase);
        snprintf(piece, sizeof piece, "%.*s", (int)n, phrase);
        if (n && !(at = strstr(at, piece)))
            return 0;
        at += n;
        phrase += n + (dots ? 3 : 0);
    }
    return 1;
}

START_TEST(every_slip_gets_its_code)
{
    int phrase_seen[VC_COUNT] = { 0 }, code_seen[VC_COUNT] = { 0 };
    size_t n = 0;
    for (const slip_entry *s; (s = slip_at(n, NULL)) != NULL; n++) {
        size_t k = 0;
        while (k < PLANTED && strcmp(planted[k].slip, s->name) != 0)
            k++;
        ck_assert_msg(k < PLANTED, "slip %s has no planted code here", s->name);
        verdict v;
        gc_report r;
        slip_verdict(s, &v, &r);
        ck_assert_msg(strcmp(verdict_kinds[v.code].name, planted[k].code) == 0,
                      "%s: %s, planted as %s", s->name, verdict_kinds[v.code].name, planted[k].code);
        ck_assert_msg(strcmp(v.function, planted[k].function) == 0, "%s blames %s, not %s",
                      s->name, v.function, planted[k].function);
        const char *words = verdict_kinds[v.code].gradcheck;
        code_seen[v.code] = 1;
        if (words && (says(r.note, words) || says(r.diagnosis, words)))
            phrase_seen[v.code] = 1;
        if (v.code == VC_LAB_SLIP)
            ck_assert_msg(v.detail[0] && strstr(r.diagnosis, v.detail), "%s: the lab's words '%s' "
                          "are not what the checker says: %s", s->name, v.detail, r.diagnosis);
    }
    ck_assert_uint_eq(n, PLANTED);
    /* What the student page says gradcheck prints is what it prints, for
     * every code a slip of the catalogue gets from the checker's words. */
    for (int c = 0; c < VC_COUNT; c++)
        if (code_seen[c] && verdict_kinds[c].gradcheck && c != VC_CHECK_FAILED &&
            c != VC_LOSS_OTHER_FUNCTION)
            ck_assert_msg(phrase_seen[c], "no slip's report says '%s' (%s)",
                          verdict_kinds[c].gradcheck, verdict_kinds[c].name);
}
END_TEST

/* Values made for each relation: the grader reads the relation from
 * compare.c as a value, and each gives its code. */
START_TEST(relations_give_codes)
{
    gc_name names[1 + 3 * 2 + 2];
    double r[9], s[9];
    snprintf(names[0], sizeof names[0], "J");
    for (int i = 0; i < 6; i++)
        snprintf(names[1 + i], sizeof names[1 + i], "dJ/dU[%d][%d]", i / 2, i % 2);
    snprintf(names[7], sizeof names[7], "dJ/dv[0]");
    snprintf(names[8], sizeof names[8], "dJ/dv[1]");
    for (int i = 0; i < 9; i++)
        r[i] = 0.5 + 0.1234567 * i;
    r[3] = r[4] = 0.0;                        /* U's row 1 has no gradient */
    struct { const char *what, *code; } cases[] = {
        { "rows 0 and 2 of U times 1/2 and 1/3", "repeated_index_once" },
        { "rows 0 and 2 of U times -2 and -3", "opposite_sign_rows" },
        { "row 1 of U written, row 0 left at 0", "wrong_rows" },
        { "row 1 of U written", "touches_other_entries" },
        { "U 3 x 2 stored as 2 x 3", "transposed" },
        { "v times -1", "sign_flipped" },
        { "U times 4", "constant_factor" },
        { "J times 2", "loss_other_function" },
        { "every value times 2", "loss_other_function" },
        { "v[1] is NaN", "not_finite" },
        { "v left at 0", "rows_left_at_zero" },
        { "U[2][1] off", "few_entries_wrong" },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        memcpy(s, r, sizeof s);
        switch (c) {
        case 0: s[1] *= 0.5, s[2] *= 0.5, s[5] /= 3, s[6] /= 3; break;
        case 1: s[1] *= -2, s[2] *= -2, s[5] *= -3, s[6] *= -3; break;
        case 2: s[3] = 1, s[4] = 2, s[1] = s[2] = 0; break;
        case 3: s[3] = 1, s[4] = 2; break;
        case 4: for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++)
                    s[1 + j * 3 + i] = r[1 + i * 2 + j];
                break;
        case 5: s[7] = -r[7], s[8] = -r[8]; break;
        case 6: for (int i = 1; i < 7; i++) s[i] = 4 * r[i]; break;
        case 7: s[0] = 2 * r[0]; break;
        case 8: for (int i = 0; i < 9; i++) s[i] = 2 * r[i]; break;
        case 9: s[8] = NAN; break;
        case 10: s[7] = s[8] = 0; break;
        case 11: s[6] += 1; break;
        }
        comparison cmp;
        ck_assert_int_eq(compare_values(s, r, names, 9, &cmp), 0);
        verdict v;
        verdict_evidence e = { .check = "naive_softmax", .cmp = &cmp, .golden_ratio = NAN };
        verdict_derive(&e, &v);
        ck_assert_msg(strcmp(verdict_kinds[v.code].name, cases[c].code) == 0, "%s: %s, not %s",
                      cases[c].what, verdict_kinds[v.code].name, cases[c].code);
        if (c == 6 || c == 8)
            ck_assert_double_eq_tol(v.factor, c == 6 ? 4.0 : 2.0, 1e-12);
        char text[1000] = "";
        compare_describe(&cmp, s, r, names, text, sizeof text);
        for (int i = 0; i < 9; i++) {             /* the description holds no reference value */
            char num[32];
            snprintf(num, sizeof num, "%g", r[i]);
            ck_assert_msg(r[i] == 0.0 || strstr(text, num) == NULL, "%s shows %s: %s",
                          cases[c].what, num, text);
        }
    }
    memcpy(s, r, sizeof s);
    comparison same;
    ck_assert_int_eq(compare_values(s, r, names, 9, &same), 1);
    ck_assert_int_eq(same.relation, REL_NONE);
}
END_TEST

/* log|det J| off by exactly one diagonal term of J. */
START_TEST(a_log_det_one_term_short_is_off_by_one)
{
    gc_name names[2 + 1 + 4] = { "x[0]", "x[1]", "log|det J|", "J[0][0]", "J[0][1]", "J[1][0]",
                                 "J[1][1]" };
    double r[7] = { 0.3, -1.2, log(2.0) + log(5.0), 2.0, 0.7, 0.0, 5.0 };
    double s[7];
    memcpy(s, r, sizeof s);
    s[2] = log(2.0);                           /* J[1][1]'s term left out */
    comparison c;
    ck_assert_int_eq(compare_values(s, r, names, 7, &c), 0);
    verdict v;
    verdict_evidence e = { .check = "flow_jacobian", .cmp = &c, .golden_ratio = NAN };
    verdict_derive(&e, &v);
    ck_assert_str_eq(verdict_kinds[v.code].name, "off_by_one");
    ck_assert_str_eq(v.function, "flow_log_abs_det");
    ck_assert_int_eq(c.term_twice, 0);
    s[2] = r[2] + 0.25;                        /* off, but by no term */
    compare_values(s, r, names, 7, &c);
    verdict_derive(&e, &v);
    ck_assert_str_eq(verdict_kinds[v.code].name, "wrong_values");
}
END_TEST

/* The run's end comes first: the grader, the compiler, a stub, the limits. */
START_TEST(the_run_end_decides_first)
{
    gc_report rep = { .status = GC_FAIL };
    snprintf(rep.diagnosis, sizeof rep.diagnosis, "it overwrites instead of adding: ...");
    verdict v;
    verdict_evidence e = { .check = "net2", .report = &rep, .golden_ratio = NAN };
    verdict_derive(&e, &v);
    ck_assert_str_eq(verdict_kinds[v.code].name, "overwrites");
    ck_assert_str_eq(v.function, "backward_row");
    e.broken = 1, e.ended = "crashed: Segmentation fault (signal 11)";
    verdict_derive(&e, &v);
    ck_assert_str_eq(verdict_kinds[v.code].name, "crash");
    ck_assert_str_eq(v.detail, "crashed: Segmentation fault (signal 11)");
    e.timed_out = 1;
    verdict_derive(&e, &v);
    ck_assert_str_eq(verdict_kinds[v.code].name, "timeout");
    e.stub = "softmax_cross_entropy (src/cross_entropy.c)";
    verdict_derive(&e, &v);
    ck_assert_str_eq(verdict_kinds[v.code].name, "not_implemented");
    ck_assert_str_eq(v.function, "softmax_cross_entropy");
    e.compile_error = 1, e.compiler_said = "net2.c:140:1: error: unknown type name 'this'\n  140 |";
    verdict_derive(&e, &v);
    ck_assert_str_eq(verdict_kinds[v.code].name, "compile_error");
    ck_assert_str_eq(v.detail, "net2.c: error: unknown type name 'this'");
    e.grader_failure = 1;
    verdict_derive(&e, &v);
    ck_assert_str_eq(verdict_kinds[v.code].name, "grader_failure");
    e = (verdict_evidence){ .check = "softmax", .passed = 1, .golden_ratio = NAN };
    verdict_derive(&e, &v);
    ck_assert_str_eq(verdict_kinds[v.code].name, "passed");
    gc_report golden = { .status = GC_FAIL };
    e = (verdict_evidence){ .check = "naive_softmax", .report = &golden, .golden_ratio = 2.0 };
    verdict_derive(&e, &v);
    ck_assert_str_eq(verdict_kinds[v.code].name, "loss_other_function");
    ck_assert_double_eq(v.factor, 2.0);
}
END_TEST

static verdict failing(const char *function, verdict_code code)
{
    verdict v = { .code = code, .factor = NAN };
    snprintf(v.function, sizeof v.function, "%s", function);
    return v;
}

/* sigmoid_grad doubled fails net2 too: that failure is sigmoid_grad's. */
START_TEST(failures_that_follow_are_attributed)
{
    verdict v[5] = { failing("sigmoid_grad", VC_CONSTANT_FACTOR), failing("backward_row",
                     VC_CONSTANT_FACTOR), failing("backward_row", VC_WRONG_VALUES),
                     failing("softmax_cross_entropy", VC_PASSED), failing("relu_grad",
                     VC_NOT_IMPLEMENTED) };
    const char *checks[5] = { "sigmoid_grad", "net2", "net2_tanh", "cross_entropy", "relu" };
    verdict_attribute(v, checks, 5);
    ck_assert_str_eq(v[0].cause, "");
    ck_assert_str_eq(v[1].cause, "sigmoid_grad");
    ck_assert_str_eq(v[2].cause, "");          /* net2_tanh does not reach sigmoid_grad */
    ck_assert_str_eq(v[3].cause, "");
    ck_assert_str_eq(v[4].cause, "");

    /* hs_pair builds a tree and hs_probabilities calls hsoftmax: when both
     * crash, neither is put down to the other; skipgram_hs is hsoftmax's. */
    verdict hs[3] = { failing("hsoftmax_loss_and_grad", VC_CRASH), failing("hs_tree_build", VC_CRASH),
                      failing("skipgram_loss_and_grad", VC_CRASH) };
    const char *hs_checks[3] = { "hs_pair", "hs_probabilities", "skipgram_hs" };
    verdict_attribute(hs, hs_checks, 3);
    ck_assert_str_eq(hs[0].cause, "");
    ck_assert_str_eq(hs[1].cause, "");
    ck_assert_str_eq(hs[2].cause, "hsoftmax_loss_and_grad");

    /* logsumexp overflows at 1000; naive_softmax's own check shows a
     * transposed dU, which logsumexp's failure does not: its own mistake.
     * skipgram_softmax shows it too, and follows from naive_softmax. A
     * constant factor net2_tiny shows where net2 shows none is sigmoid_grad's. */
    verdict w[3] = { failing("logsumexp", VC_NOT_FINITE), failing("naive_softmax_loss_and_grad",
                     VC_TRANSPOSED), failing("skipgram_loss_and_grad", VC_TRANSPOSED) };
    const char *w_checks[3] = { "logsumexp", "naive_softmax", "skipgram_softmax" };
    verdict_attribute(w, w_checks, 3);
    ck_assert_str_eq(w[1].cause, "");
    ck_assert_str_eq(w[2].cause, "naive_softmax_loss_and_grad");
    verdict n[3] = { failing("sigmoid_grad", VC_APPLIES_AGAIN), failing("backward_row",
                     VC_WRONG_VALUES), failing("backward_row", VC_CONSTANT_FACTOR) };
    const char *n_checks[3] = { "sigmoid_grad", "net2", "net2_tiny" };
    verdict_attribute(n, n_checks, 3);
    ck_assert_str_eq(n[1].cause, "sigmoid_grad");
    ck_assert_str_eq(n[2].cause, "sigmoid_grad");
}
END_TEST

/* 1 when src/FILE defines a function named `name`: a line of a definition
 * (not indented, not a comment) holding " name(". */
static int defined_in(const char *file, const char *name)
{
    char path[300], line[512], want[80];
    snprintf(want, sizeof want, " %s(", name);
    snprintf(path, sizeof path, "src/%s", file);
    FILE *in = fopen(path, "r");
    ck_assert_ptr_nonnull(in);
    int found = 0;
    while (!found && fgets(line, sizeof line, in))
        found = line[0] != ' ' && line[0] != '/' && strstr(line, want) != NULL;
    fclose(in);
    return found;
}

/* 1 when some .c file of src/ defines a function named `name`. */
static int defined_in_src(const char *name)
{
    DIR *dir = opendir("src");
    ck_assert_ptr_nonnull(dir);
    int found = 0;
    for (struct dirent *e; !found && (e = readdir(dir)) != NULL; ) {
        size_t n = strlen(e->d_name);
        found = n > 2 && strcmp(e->d_name + n - 2, ".c") == 0 && defined_in(e->d_name, name);
    }
    closedir(dir);
    return found;
}

/* Every check has an entry, every function named is defined in src/, and
 * every handout section is a heading of its handout. */
START_TEST(checkmap_covers_every_check)
{
    for (size_t i = 0; i < lab_check_count(); i++)
        ck_assert_msg(checkmap_find(lab_check_at(i)->name) != NULL, "check %s has no checkmap entry",
                      lab_check_at(i)->name);
    for (const checkmap_entry *e = checkmap; e->check; e++) {
        ck_assert_msg(lab_find(e->check) != NULL, "checkmap names no check %s", e->check);
        ck_assert_msg(defined_in_src(e->function), "%s: no function %s in src/", e->check,
                      e->function);
        for (const char *p = e->calls; *p; ) {
            char fn[64];
            size_t n = strcspn(p, " ");
            snprintf(fn, sizeof fn, "%.*s", (int)n, p);
            ck_assert_msg(defined_in_src(fn), "%s calls no function %s of src/", e->check, fn);
            p += n + (p[n] == ' ');
        }
        char anchor[300];
        ck_assert_int_eq(checkmap_anchor("handouts", e->handout, e->section, anchor, sizeof anchor), 0);
        ck_assert_msg(strchr(anchor, '#') != NULL, "%s: handout %s has no heading '%s'", e->check,
                      e->handout, e->section);
    }
    char anchor[300];
    checkmap_anchor("handouts", "05", "Common slips", anchor, sizeof anchor);
    ck_assert_str_eq(anchor, "05-word2vec-naive-softmax.html#common-slips-and-what-the-checker-says");
    for (int c = 0; c < VC_COUNT; c++) {
        ck_assert_int_eq(verdict_parse(verdict_kinds[c].name), c);
        if (verdict_kinds[c].handout) {
            ck_assert_int_eq(checkmap_anchor("handouts", verdict_kinds[c].handout,
                                             verdict_kinds[c].section, anchor, sizeof anchor), 0);
            ck_assert_msg(strchr(anchor, '#') != NULL, "%s: no section '%s'",
                          verdict_kinds[c].name, verdict_kinds[c].section);
        }
    }
    ck_assert_int_eq(verdict_parse("no_such_code"), VC_COUNT);
    char fn[48];
    checkmap_function("flow_jacobian", "log|det J|", fn, sizeof fn);
    ck_assert_str_eq(fn, "flow_log_abs_det");
    checkmap_function("flow_jacobian", "J", fn, sizeof fn);
    ck_assert_str_eq(fn, "flow_jacobian");
    ck_assert_int_eq(checkmap_reaches("flow_nll", "flow_log_abs_det"), 1);
    ck_assert_int_eq(checkmap_reaches("cross_entropy", "softmax"), 0);
}
END_TEST

Suite *suite_verdict(void)
{
    Suite *s = suite_create("verdict");
    TCase *tc = tcase_create("verdict");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_slip_gets_its_code);
    tcase_add_test(tc, relations_give_codes);
    tcase_add_test(tc, a_log_det_one_term_short_is_off_by_one);
    tcase_add_test(tc, the_run_end_decides_first);
    tcase_add_test(tc, failures_that_follow_are_attributed);
    tcase_add_test(tc, checkmap_covers_every_check);
    suite_add_tcase(s, tc);
    return s;
}
