/* test_cli.c — the gradcheck command: exit statuses, one-line errors, the
 * machine formats, and no half-written sweep file. Runs the binary named by
 * $GRADCHECK (the Makefile sets it). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gradcheck.h"
#include "tests.h"

typedef struct {
    int status;
    char out[65536];
    char err[4096];
} run_result;

/* Runs `$GRADCHECK args`, capturing stdout and stderr in files. */
static void run(const char *args, run_result *r)
{
    const char *bin = getenv("GRADCHECK");
    ck_assert_msg(bin != NULL, "set GRADCHECK to the gradcheck binary");
    char cmd[1024], o[64], e[64];
    snprintf(o, sizeof o, "/tmp/gl_cli_out.%d", (int)getpid());
    snprintf(e, sizeof e, "/tmp/gl_cli_err.%d", (int)getpid());
    snprintf(cmd, sizeof cmd, "%s %s >%s 2>%s", bin, args, o, e);
    int st = system(cmd);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    FILE *f = fopen(o, "r");
    size_t n = f ? fread(r->out, 1, sizeof r->out - 1, f) : 0;
    r->out[n] = 0;
    if (f)
        fclose(f);
    f = fopen(e, "r");
    n = f ? fread(r->err, 1, sizeof r->err - 1, f) : 0;
    r->err[n] = 0;
    if (f)
        fclose(f);
    remove(o), remove(e);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void expect_usage_error(const char *args, const char *words)
{
    run_result r;
    run(args, &r);
    ck_assert_msg(r.status == 2, "'%s' exited %d", args, r.status);
    ck_assert_msg(count_lines(r.err) == 1, "'%s' printed: %s", args, r.err);
    ck_assert_msg(strstr(r.err, words) != NULL, "'%s' printed: %s", args, r.err);
    ck_assert_str_eq(r.out, "");
}

START_TEST(bad_usage_exits_2_with_one_line)
{
    expect_usage_error("--bogus", "unknown option '--bogus'");
    expect_usage_error("--tol -1", "--tol needs a positive number");
    expect_usage_error("--tol abc", "--tol needs a positive number");
    expect_usage_error("--tol nan", "--tol needs a positive number");
    expect_usage_error("--seed -3", "--seed needs a whole number");
    expect_usage_error("--format xml --all", "--format is text, tap, json or junit");
    expect_usage_error("--tol 1 --all", "--tol needs a positive number below 1");
    expect_usage_error("--tol 1e308 --all", "--tol needs a positive number below 1");
    expect_usage_error("--timeout 0 --all", "--timeout needs a whole number from 1 to 86400");
    expect_usage_error("--seed 0x --all", "--seed needs a whole number");
    expect_usage_error("--seed 0x1g --all", "--seed needs a whole number");
    expect_usage_error("--seed 18446744073709551616 --all", "--seed needs a whole number");
    expect_usage_error("--method forward --all", "--method is central, richardson or taylor");
    expect_usage_error("no_such_check", "no check named 'no_such_check'");
    expect_usage_error("", "nothing to check");
    expect_usage_error("--lab 9", "lab 9 has no checks");
    expect_usage_error("--lab", "missing value");
    expect_usage_error("--lab abc", "--lab needs a whole number");
    expect_usage_error("--timeout soon --all", "--timeout needs a whole number");
    expect_usage_error("--all --out x.dat", "--out goes with --sweep");
    expect_usage_error("--sweep flow_jacobian", "checks a Jacobian; --sweep needs a gradient check");
    expect_usage_error("--atol -1 --all", "--atol needs a non-negative number");
    expect_usage_error("--rtol 0 --all", "--rtol needs a positive number");
    expect_usage_error("--step 0.6 --all", "--step needs a positive number at most 0.5");
    expect_usage_error("--nondet-tol 1 --all", "--nondet-tol needs a non-negative number");
}
END_TEST

/* --sweep writes one check's sweep: what it would ignore is refused. */
START_TEST(sweep_refuses_what_it_would_ignore)
{
    expect_usage_error("--sweep softmax net2", "does not use another check name, 'net2'");
    expect_usage_error("--sweep softmax --format json", "does not use --format");
    expect_usage_error("--all --sweep softmax", "does not use --all");
    expect_usage_error("--lab 1 --sweep softmax", "does not use --lab");
    expect_usage_error("--sweep softmax --method taylor", "does not use --method");
    expect_usage_error("--sweep softmax --tol 1e-3", "does not use --tol");
    run_result r;
    run("--sweep softmax --seed 3", &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "# h\tforward"));
}
END_TEST

/* The tolerances a run uses are in its header; atol lets a value through
 * that rtol alone would not. */
START_TEST(tolerance_options_reach_the_checks)
{
    run_result r;
    run("--rtol 1e-3 --atol 1e-9 --step 1e-4 --format json cross_entropy", &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "\"tol\":0.001"));
    ck_assert_ptr_nonnull(strstr(r.out, "\"atol\":1.0000000000000001e-09"));
    ck_assert_ptr_nonnull(strstr(r.out, "\"step\":0.0001"));
    run("--atol 1e-9 --nondet-tol 1e-12 cross_entropy", &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "tol 1.0e-06, atol 1.0e-09, nondet_tol 1.0e-12, seed 1"));
}
END_TEST

START_TEST(all_passes_and_lists_every_check)
{
    run_result r;
    run("--all", &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "PASS    cross_entropy "));
    ck_assert_ptr_nonnull(strstr(r.out, "max err"));
    ck_assert_ptr_nonnull(strstr(r.out, "passed, 0 failed"));
    ck_assert_ptr_null(strstr(r.out, "FAIL"));
}
END_TEST

START_TEST(tap_and_json_formats)
{
    run_result r;
    run("--format tap --lab 1", &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert(strncmp(r.out, "TAP version 13\n1..", 18) == 0);
    ck_assert_ptr_nonnull(strstr(r.out, "\nok 1 - "));
    ck_assert_ptr_null(strstr(r.out, "not ok"));
    run("--format json sigmoid_grad softmax", &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(count_lines(r.out), 4);               /* header, two checks, summary */
    ck_assert(strncmp(r.out, "{\"gradcheck\":\"" GC_VERSION "\",\"method\":\"central\",\"tol\":", 40) == 0);
    ck_assert_ptr_nonnull(strstr(r.out, ",\"seed\":1,\"checks\":2}\n{\"check\":\"sigmoid_grad\",\"lab\":1,\"status\":\"PASS\""));
    ck_assert_ptr_nonnull(strstr(r.out, "\n{\"summary\":{\"checks\":2,\"passed\":2,\"failed\":0,\"not_implemented\":0}}\n"));
}
END_TEST

START_TEST(help_version_list)
{
    run_result r;
    run("--help", &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "usage: gradcheck"));
    run("--version", &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert(strncmp(r.out, "gradcheck " GC_VERSION "\n", strlen("gradcheck " GC_VERSION "\n")) == 0);
    run("--list --lab 1", &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "log_sigmoid"));
}
END_TEST

START_TEST(sweep_writes_whole_file_or_nothing)
{
    run_result r;
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/tmp/gl_sweep.%d.dat", (int)getpid());
    char args[160];
    snprintf(args, sizeof args, "--sweep softmax --out %s", path);
    run(args, &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_gt(st.st_size, 500);
    remove(path);
    run("--sweep softmax --out /nonexistent-dir/sweep.dat", &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "cannot write '/nonexistent-dir/sweep.dat'"));
    run("--sweep nope", &r);
    ck_assert_int_eq(r.status, 2);
    run("--sweep softmax --out /dev/null", &r);           /* a device is never replaced */
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "not a regular file"));
    ck_assert_int_eq(stat("/dev/null", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));
    run("--sweep softmax --out /tmp", &r);                 /* nor a directory */
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "Is a directory"));
}
END_TEST

/* TAP in every method and in directional mode reads as valid TAP with
 * Debian's prove; JUnit XML is well-formed for xmllint, one testsuite per lab. */
static void expect_valid(const char *args, const char *reader)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s > /tmp/gl_ci.%d && %s /tmp/gl_ci.%d > /dev/null 2>&1",
             getenv("GRADCHECK"), args, (int)getpid(), reader, (int)getpid());
    int st = system(cmd);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "'%s' is not valid for %s", args, reader);
    snprintf(cmd, sizeof cmd, "/tmp/gl_ci.%d", (int)getpid());
    remove(cmd);
}

START_TEST(ci_formats_are_valid)
{
    if (system("command -v prove > /dev/null 2>&1") == 0) {
        expect_valid("--all --format tap", "prove -e cat");
        expect_valid("--all --format tap --method richardson", "prove -e cat");
        expect_valid("--all --format tap --method taylor", "prove -e cat");
        expect_valid("--all --format tap --directional", "prove -e cat");
    }
    if (system("command -v xmllint > /dev/null 2>&1") == 0) {
        expect_valid("--lab 1 --lab 2 --format junit", "xmllint --noout");
        expect_valid("--list --format junit", "xmllint --noout");
    }
    run_result r;
    run("--lab 1 --lab 2 --format junit", &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "<testsuite name=\"lab 1\" tests=\"10\" failures=\"0\""));
    ck_assert_ptr_nonnull(strstr(r.out, "<testsuite name=\"lab 2\" tests=\"6\" failures=\"0\""));
    ck_assert_ptr_nonnull(strstr(r.out, "<testcase name=\"net2_tiny\" classname=\"lab 2\""));
}
END_TEST

/* Selectors add up in order without duplicates; hex seeds are the same
 * seeds; --list honours the selection and --format; a report that cannot be
 * written is exit 2; directional mode treats ReLU's kink as a kink. */
START_TEST(selectors_seeds_list_and_write_errors)
{
    run_result r, s;
    run("--list --lab 3 softmax --lab 1 softmax --format json", &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(count_lines(r.out), 9 + 1 + 9);        /* lab 3, softmax, lab 1 less softmax */
    ck_assert(strncmp(r.out, "{\"check\":\"naive_softmax\",\"lab\":3,", 33) == 0);
    char *sm = strstr(r.out, "{\"check\":\"softmax\"");
    ck_assert_ptr_nonnull(sm);
    ck_assert_ptr_nonnull(strstr(sm, "{\"check\":\"sigmoid_grad\""));   /* lab 1 after softmax */
    run("--list --format tap --lab 2", &r);
    ck_assert(strncmp(r.out, "TAP version 13\n1..6\nok 1 - tanh_grad # SKIP", 42) == 0);
    run("--seed 0x10 --format json cross_entropy", &r);
    run("--seed 16 --format json cross_entropy", &s);
    ck_assert_int_eq(r.status, 0);
    char *a = strstr(r.out, "\"loss\":"), *b = strstr(s.out, "\"loss\":");
    ck_assert(a && b && strncmp(a, b, 30) == 0);
    ck_assert_ptr_nonnull(strstr(r.out, "\"seed\":16,"));
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s --lab 1 > /dev/full 2> /dev/null", getenv("GRADCHECK"));
    int st = system(cmd);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    snprintf(cmd, sizeof cmd, "%s --lab 1 >&- 2> /dev/null", getenv("GRADCHECK"));
    st = system(cmd);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    run("relu --directional", &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "KINK at dJ/dx . d"));
}
END_TEST

Suite *suite_cli(void)
{
    Suite *s = suite_create("cli");
    TCase *t = tcase_create("gradcheck command");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, bad_usage_exits_2_with_one_line);
    tcase_add_test(t, all_passes_and_lists_every_check);
    tcase_add_test(t, tap_and_json_formats);
    tcase_add_test(t, sweep_refuses_what_it_would_ignore);
    tcase_add_test(t, tolerance_options_reach_the_checks);
    tcase_add_test(t, help_version_list);
    tcase_add_test(t, sweep_writes_whole_file_or_nothing);
    tcase_add_test(t, ci_formats_are_valid);
    tcase_add_test(t, selectors_seeds_list_and_write_errors);
    suite_add_tcase(s, t);
    return s;
}
