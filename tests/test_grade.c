/* test_grade.c — the grader's parts: grading tables (good rows, and every
 * kind of bad row named by FILE:LINE), the values compared with the
 * reference (gc_outputs), results.json's string escaping and atomic write,
 * the gradebook's CSV quoting, and the sandbox (exit status, signals, the
 * wall-clock limit, a grandchild holding the pipes, the file-size limit,
 * the report descriptor and the captured output). The whole grader on a
 * class of broken submissions is tests/grade/run.sh. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gradlab.h"
#include "results.h"
#include "sandbox.h"
#include "table.h"
#include "registry.h"
#include "tests.h"

static char dir[64];

/* Writes `text` as a table file and loads it; returns table_load's status. */
static int load_text(const char *text, test_list *list, char *err, size_t size)
{
    char path[96];
    temp_dir("grade", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/grading.txt", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    err[0] = '\0';
    return table_load(path, list, err, size);
}

START_TEST(table_reads_rows_and_seed)
{
    test_list list = { 0 };
    char err[300];
    int rc = load_text("# a comment\n\ngradient softmax 2 visible\nseed 0x10\n"
                       "  reference net2 1.5 after_due_date\n", &list, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_uint_eq(list.count, 2);
    ck_assert_int_eq(list.tests[0].kind, TEST_GRADIENT);
    ck_assert_str_eq(list.tests[0].check->name, "softmax");
    ck_assert_int_eq(list.tests[1].kind, TEST_REFERENCE);
    ck_assert_double_eq(list.tests[1].points, 1.5);
    ck_assert_str_eq(list.tests[1].visibility, "after_due_date");
    ck_assert_uint_eq(list.tests[0].seed, 16);
    ck_assert_uint_eq(list.tests[1].seed, 16);
    char name[160];
    test_id(&list.tests[1], name, sizeof name);
    ck_assert_str_eq(name, "lab2:reference:net2");
    table_free(&list);
    remove_dir(dir);
}
END_TEST

/* Each bad table: the error names the line and the fault; nothing is kept. */
START_TEST(table_rejects_bad_rows)
{
    static const struct { const char *text, *expect; } cases[] = {
        { "seed 1\ngradient softmax 2 visible\ngradiant relu 1 visible\n", ":3: the kind is" },
        { "seed 1\ngradient no_such_check 2 visible\n", ":2: no such check" },
        { "seed 1\ngradient softmax 0 visible\n", ":2: points must be" },
        { "seed 1\ngradient softmax two visible\n", ":2: expected: gradient|reference" },
        { "seed 1\ngradient softmax 1 public\n", ":2: visibility is" },
        { "seed 1\ngradient softmax 1 visible extra\n", ":2: expected:" },
        { "seed 1\nreference hs_probabilities 1 hidden\n", ":2: this check has no values" },
        { "seed x1\ngradient softmax 1 visible\n", ":1: seed takes one unsigned 64-bit number" },
        { "gradient softmax 1 visible\n", "no seed line" },
        { "# nothing\nseed 3\n", "no tests" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        test_list list = { 0 };
        char err[300];
        ck_assert_int_eq(load_text(cases[i].text, &list, err, sizeof err), -1);
        ck_assert_msg(strstr(err, cases[i].expect) && strstr(err, "grading.txt"),
                      "case %zu: '%s' lacks '%s'", i, err, cases[i].expect);
        ck_assert_uint_eq(list.count, 0);
        table_free(&list);
    }
    test_list list = { 0 };
    char err[300];
    ck_assert_int_eq(table_load("/nonexistent/grading.txt", &list, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/grading.txt: "));
    remove_dir(dir);
}
END_TEST

/* A loss's outputs are J and its gradient, as f gives them; hs_probabilities
 * has none; a coupling layer gives its output, log|det J| and J. */
START_TEST(outputs_of_checks)
{
    gc_problem p;
    ck_assert_int_eq(lab_find("cross_entropy")->setup(&p, 5), 0);
    size_t count = gc_output_count(&p);
    ck_assert_uint_eq(count, 1 + p.n);
    double out[64], grad[64] = { 0 };
    gc_name names[64];
    ck_assert_int_eq(gc_outputs(&p, out, names), 0);
    double J = p.f(p.ctx, p.x, grad);
    ck_assert_double_eq(out[0], J);
    for (size_t i = 0; i < p.n; i++)
        ck_assert_double_eq(out[1 + i], grad[i]);
    ck_assert_str_eq(names[0], "J");
    ck_assert_str_eq(names[3], "dJ/dtheta[2]");
    gc_problem_free(&p);

    ck_assert_int_eq(lab_find("hs_probabilities")->setup(&p, 5), 0);
    ck_assert_uint_eq(gc_output_count(&p), 0);
    gc_problem_free(&p);

    ck_assert_int_eq(lab_find("flow_jacobian")->setup(&p, 5), 0);
    ck_assert_uint_eq(gc_output_count(&p), 5 + 1 + 25);        /* m = n + h = 5 */
    ck_assert_int_eq(gc_outputs(&p, out, names), 0);
    ck_assert_str_eq(names[5], "log|det J|");
    double ld = 0.0;
    ck_assert_int_eq(flow_log_abs_det((flow_dims){ 3, 2, 4 }, p.x, &ld), 0);
    ck_assert_double_eq(out[5], ld);
    gc_problem_free(&p);
}
END_TEST

START_TEST(json_strings_are_escaped)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(mem);
    gc_json_string(mem, "a\"b\\c\nd\te\001f\377g\xc3\xa9h");
    fclose(mem);
    ck_assert_str_eq(text, "\"a\\\"b\\\\c\\nd\\te\\u0001f?g\xc3\xa9h\"");
    free(text);
}
END_TEST

START_TEST(results_written_whole_or_not_at_all)
{
    test_result t = { .score = 1, .max_score = 2 };
    snprintf(t.name, sizeof t.name, "lab1/x");
    snprintf(t.id, sizeof t.id, "lab1:gradient:x");
    snprintf(t.visibility, sizeof t.visibility, "visible");
    snprintf(t.output, sizeof t.output, "why");
    student_result s = { "doe, jane \"jd\"", "top", 1.2, &t, 1 };
    ck_assert_int_eq(results_write_json("/nonexistent/dir/results.json", &s), -1);
    ck_assert_int_ne(access("/nonexistent/dir/results.json.tmp", F_OK), 0);

    temp_dir("grade", dir, sizeof dir);
    char path[96], buf[2048];
    snprintf(path, sizeof path, "%s/results.json", dir);
    ck_assert_int_eq(results_write_json(path, &s), 0);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    buf[fread(buf, 1, sizeof buf - 1, f)] = '\0';
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "\"score\": 1,"));
    ck_assert_ptr_nonnull(strstr(buf, "\"status\": \"failed\""));
    ck_assert_ptr_nonnull(strstr(buf, "\"max_score\": 2"));

    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    results_csv_header(mem, &s);
    results_csv_row(mem, &s);
    fclose(mem);
    ck_assert_str_eq(text, "student,score,max_score,lab1:gradient:x\n"
                           "\"doe, jane \"\"jd\"\"\",1,2,1\n");
    free(text);
    remove_dir(dir);
}
END_TEST

static void sh(const char *script, double seconds, sandbox_run *run)
{
    char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };
    sandbox_limits lim = { seconds, 256, 1 };
    ck_assert_int_eq(sandbox_exec(argv, &lim, 64, run), 0);
}

START_TEST(sandbox_reports_exits_and_signals)
{
    sandbox_run run;
    sh("echo hello; echo there >&2; printf 'abc' >&3; exit 3", 5, &run);
    ck_assert(run.exited && run.code == 3 && !run.signal && !run.timed_out);
    ck_assert_str_eq(run.report, "abc");
    ck_assert_str_eq(run.said, "hello\nthere\n");
    ck_assert_uint_eq(run.said_total, 12);
    free(run.report);

    sh("kill -SEGV $$", 5, &run);
    ck_assert(!run.exited && run.signal == SIGSEGV);
    char why[300];
    sandbox_limits lim = { 5, 256, 1 };
    sandbox_describe(&run, &lim, why, sizeof why);
    ck_assert_ptr_nonnull(strstr(why, "crashed: "));
    free(run.report);

    sh("yes 0123456789 | head -c 100000; exit 0", 5, &run);
    ck_assert_uint_eq(run.said_total, 100000);
    ck_assert_uint_eq(strlen(run.said), SANDBOX_SAID - 1);
    free(run.report);
}
END_TEST

/* An endless loop, and a grandchild that keeps the pipes open after its
 * parent exits: both end at the wall-clock limit, not at the sleep's end. */
START_TEST(sandbox_stops_loops_and_grandchildren)
{
    sandbox_run run;
    sh("while :; do :; done", 0.5, &run);
    ck_assert(run.timed_out && !run.exited);
    ck_assert(run.seconds < 5);
    char why[300];
    sandbox_limits lim = { 0.5, 256, 1 };
    sandbox_describe(&run, &lim, why, sizeof why);
    ck_assert_ptr_nonnull(strstr(why, "no answer after"));
    free(run.report);

    sh("sleep 30 & exit 0", 0.5, &run);
    ck_assert(run.seconds < 5);
    free(run.report);
}
END_TEST

/* The program runs in its own directory (files it writes land there). */
START_TEST(sandbox_runs_in_the_programs_directory)
{
    temp_dir("grade", dir, sizeof dir);
    char path[96], want[128];
    snprintf(path, sizeof path, "%s/where", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("#!/bin/sh\npwd -P\n", f);
    fclose(f);
    ck_assert_int_eq(chmod(path, 0755), 0);
    ck_assert_ptr_nonnull(realpath(dir, want));
    strcat(want, "\n");
    char *argv[] = { path, NULL };
    sandbox_limits lim = { 5, 256, 1 };
    sandbox_run run;
    ck_assert_int_eq(sandbox_exec(argv, &lim, 64, &run), 0);
    ck_assert_str_eq(run.said, want);
    free(run.report);
    remove_dir(dir);
}
END_TEST

START_TEST(sandbox_limits_file_size)
{
    temp_dir("grade", dir, sizeof dir);
    char script[160];
    snprintf(script, sizeof script, "head -c 3000000 /dev/zero > %s/big", dir);
    sandbox_run run;
    sh(script, 5, &run);
    ck_assert_msg(!run.exited || run.code != 0, "a 3 MB file was written under a 1 MiB limit");
    free(run.report);
    remove_dir(dir);
}
END_TEST

/* ---- bad usage of the programs and scripts: one line, exit 2, no output ---- */

/* Runs $env with args; asserts the exit status and that stderr says `want`. */
static void refuses(const char *env, const char *args, int status, const char *want)
{
    char err[2048];
    int rc = run_program(env, args, NULL, err, sizeof err);
    ck_assert_msg(rc == status && strstr(err, want), "%s %s: exit %d, said '%s' (wanted %d, '%s')",
                  env, args, rc, err, status, want);
}

START_TEST(grade_refuses_bad_usage)
{
    refuses("GRADE", "--bogus", 2, "grade: unknown option --bogus");
    refuses("GRADE", "--probe", 2, "grade: --probe needs a value");
    refuses("GRADE", "--probe p --student s --out o --timeout -1 labs/teach/tables/lab1.txt", 2,
            "--timeout");
    refuses("GRADE", "--student s --out o labs/teach/tables/lab1.txt", 2, "usage: grade --probe");
    refuses("GRADE", "--probe p --student s --out o", 2, "no grading table given");
    refuses("GRADE", "--probe p --student s --out o /nonexistent/grading.txt", 2,
            "/nonexistent/grading.txt: No such file");
    /* results that cannot be written: exit 1, nothing left behind */
    refuses("GRADE", "--probe /nonexistent --student s --out /nonexistent/dir/results.json "
            "labs/teach/tables/lab1.txt", 1, "cannot write /nonexistent/dir/results.json");
}
END_TEST

START_TEST(probe_refuses_bad_usage)
{
    refuses("GRADE_PROBE", "check softmax", 2, "usage: GRADLAB_REPORT_FD=N grade-probe");
    setenv("GRADLAB_REPORT_FD", "2", 1);
    refuses("GRADE_PROBE", "check no_such_check", 2, "usage:");
    refuses("GRADE_PROBE", "twice softmax", 2, "grade-probe: unknown mode 'twice'");
    unsetenv("GRADLAB_REPORT_FD");
}
END_TEST

START_TEST(scripts_refuse_bad_submissions_and_labs)
{
    temp_dir("grade", dir, sizeof dir);
    char args[256];
    refuses("GRADE_SH", "--build /nonexistent", 2, "make grade SUBMISSIONS=DIR");
    refuses("GRADE_SH", "--build /nonexistent --submissions /nonexistent", 2,
            "SUBMISSIONS=/nonexistent is not a folder");
    snprintf(args, sizeof args, "--build /nonexistent --submissions %s", dir);
    refuses("GRADE_SH", args, 2, "no submissions in");
    snprintf(args, sizeof args, "--build /nonexistent --labs 9 --submissions %s", dir);
    refuses("GRADE_SH", args, 2, "no grading table labs/teach/tables/lab9.txt");
    refuses("GRADE_SH", "--build /nonexistent --one /nonexistent out.json", 2,
            "no submission folder /nonexistent");
    refuses("AUTOGRADER_SH", "/nonexistent 9", 1, "no grading table labs/teach/tables/lab9.txt");
    remove_dir(dir);
}
END_TEST

Suite *suite_grade(void)
{
    Suite *s = suite_create("grade");
    TCase *tc = tcase_create("grade");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, table_reads_rows_and_seed);
    tcase_add_test(tc, table_rejects_bad_rows);
    tcase_add_test(tc, outputs_of_checks);
    tcase_add_test(tc, json_strings_are_escaped);
    tcase_add_test(tc, results_written_whole_or_not_at_all);
    tcase_add_test(tc, sandbox_reports_exits_and_signals);
    tcase_add_test(tc, sandbox_stops_loops_and_grandchildren);
    tcase_add_test(tc, sandbox_runs_in_the_programs_directory);
    tcase_add_test(tc, sandbox_limits_file_size);
    tcase_add_test(tc, grade_refuses_bad_usage);
    tcase_add_test(tc, probe_refuses_bad_usage);
    tcase_add_test(tc, scripts_refuse_bad_submissions_and_labs);
    suite_add_tcase(s, tc);
    return s;
}
