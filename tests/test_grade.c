/* test_grade.c — the grader's parts: grading tables (good rows, and every
 * kind of bad row named by FILE:LINE), the values compared with the
 * reference (gc_outputs), results.json's string escaping and atomic write,
 * the gradebook's CSV quoting, and the sandbox (exit status, signals, the
 * wall-clock limit, escapes by a grandchild or setsid, what student code can
 * read, the network, the file, disk and process limits, the answers and the
 * captured output). The whole grader on a
 * class of broken submissions is tests/grade/run.sh. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gradcheck.h"
#include "gradlab.h"
#include "build.h"
#include "intake.h"
#include "results.h"
#include "sandbox.h"
#include "table.h"
#include "registry.h"
#include "test_sandbox.h"
#include "tests.h"

static char dir[64];

/* Writes `text` as lab 1's table (DIR/lab1/teach/table.txt) and loads it;
 * returns table_load's status. */
static int load_text(const char *text, test_list *list, char *err, size_t size)
{
    char path[96];
    temp_dir("grade", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/lab1", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/lab1/teach", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/lab1/teach/table.txt", dir);
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
                       "  reference cross_entropy 1.5 after_due_date\n", &list, err, sizeof err);
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
    ck_assert_str_eq(name, "lab1:reference:cross_entropy");
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
        { "seed x1\ngradient softmax 1 visible\n", ":1: seed takes one unsigned 64-bit number" },
        { "gradient softmax 1 visible\n", "no seed line" },
        { "# nothing\nseed 3\n", "no tests" },
        { "seed 1\ngradient softmax 1 visible\nreference net2 1 hidden\n",
          ":3: net2 is a check of lab 2: the table of lab 1 grades lab 1's checks only" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        test_list list = { 0 };
        char err[300];
        ck_assert_int_eq(load_text(cases[i].text, &list, err, sizeof err), GL_BAD_INPUT);
        ck_assert_msg(strstr(err, cases[i].expect) && strstr(err, "lab1/teach/table.txt"),
                      "case %zu: '%s' lacks '%s'", i, err, cases[i].expect);
        ck_assert_uint_eq(list.count, 0);
        table_free(&list);
    }
    test_list list = { 0 };
    char err[300];
    ck_assert_int_eq(table_load("/nonexistent/lab1/teach/table.txt", &list, err, sizeof err), GL_IO);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/lab1/teach/table.txt: No such file"));
    /* a table's lab is its folder's: a path that names no lab is refused */
    static const char *const unnamed[] = { "/tmp/grading.txt", "/tmp/lab/teach/table.txt",
                                           "/tmp/xlab1/teach/table.txt", "lab1x/teach/table.txt" };
    for (size_t i = 0; i < sizeof unnamed / sizeof unnamed[0]; i++) {
        ck_assert_int_eq(table_load(unnamed[i], &list, err, sizeof err), GL_BAD_INPUT);
        ck_assert_msg(strstr(err, "a grading table is labN/teach/table.txt"), "%s", err);
    }
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

    /* per V = 2, 3, 12, 100, 1000: the weighted path length (the Huffman
     * optimum, worked out by hand for V = 2, 3) and three sums of P(w|c) */
    ck_assert_int_eq(lab_find("hs_probabilities")->setup(&p, 5), 0);
    ck_assert_uint_eq(gc_output_count(&p), 5 * 4);
    ck_assert_int_eq(gc_outputs(&p, out, names), 0);
    ck_assert_double_eq(out[0], 1500);
    ck_assert_double_eq(out[4], 2332);
    for (size_t i = 0; i < 20; i++)
        if (i % 4)
            ck_assert_double_eq_tol(out[i], 1.0, 1e-12);
    ck_assert_str_eq(names[8], "V=12: sum count(w) len(w)");
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
    student_result s = { "doe, jane \"jd\"", "top", "bubblewrap", "sha256:00", NULL, 1.2, &t, 1 };
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
    ck_assert_str_eq(text, "student,score,max_score,lab1:gradient:x,status\n"
                           "\"doe, jane \"\"jd\"\"\",1,2,1,graded\n");
    free(text);
    remove_dir(dir);
}
END_TEST

/* The isolation the grader would use here (bwrap as a leased uid when root). */
static sandbox_cfg cfg;

static void choose(void)
{
    cfg = *test_sandbox();
}

/* Runs script in the sandbox with `seconds` and 1 MiB files, 16 MiB of disk,
 * 16 processes; its answers (descriptor 4) into buf. Returns read_all's status. */
static int sh(const char *script, double seconds, sandbox_run *run, char *buf, size_t cap)
{
    static sandbox_limits lim;
    lim = (sandbox_limits){ seconds, 256, 1, 16, 16 };
    char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };
    choose();
    ck_assert_int_eq(sandbox_start(&cfg, &lim, NULL, 0, "/tmp", argv, run), 0);
    size_t got = 0;
    int rc = sandbox_read_all(run, buf, cap, &got);
    buf[got < cap ? got : cap - 1] = '\0';
    sandbox_finish(run);
    return rc;
}

/* 1 when a process whose command line holds `marker` is still running. */
static int still_running(const char *marker)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "grep -qs -- '%s' /proc/[0-9]*/cmdline", marker);   /* "31[.]25" */
    return system(cmd) == 0;
}

START_TEST(sandbox_reports_exits_and_signals)
{
    sandbox_run run;
    char buf[64], why[300];
    ck_assert_int_eq(sh("echo hello; echo there >&2; printf 'abc' >&4; exit 3", 5, &run, buf, sizeof buf), 0);
    ck_assert(run.exited && run.code == 3 && !run.signal && !run.timed_out);
    ck_assert_str_eq(buf, "abc");
    ck_assert_str_eq(run.printed, "hello\nthere\n");
    ck_assert_uint_eq(run.printed_total, 12);

    sh("kill -SEGV $$", 5, &run, buf, sizeof buf);
    ck_assert(!run.exited && run.signal == SIGSEGV);
    sandbox_describe(&run, why, sizeof why);
    ck_assert_ptr_nonnull(strstr(why, "crashed: "));

    sh("yes 0123456789 | head -c 100000; exit 0", 5, &run, buf, sizeof buf);
    ck_assert_uint_eq(run.printed_total, 100000);
    ck_assert_uint_eq(strlen(run.printed), SANDBOX_SAID - 1);

    sh("head -c 100 /dev/zero >&4", 5, &run, buf, 50);     /* more answer than asked */
    ck_assert_int_eq(sandbox_read_all(&run, buf, 1, &(size_t){ 0 }), -1);
}
END_TEST

/* An endless loop, a grandchild holding the pipes, and a setsid'd double
 * fork: all end at the wall-clock limit, none outlives its run. */
START_TEST(sandbox_stops_loops_and_escapes)
{
    sandbox_run run;
    char buf[16], why[300];
    double t0 = gc_clock();
    ck_assert_int_eq(sh("while :; do :; done", 0.5, &run, buf, sizeof buf), -1);
    ck_assert(run.cpu_limited && !run.exited);
    ck_assert(gc_clock() - t0 < 5);
    sandbox_describe(&run, why, sizeof why);
    ck_assert_ptr_nonnull(strstr(why, "used more than 0.5 s of CPU time"));

    t0 = gc_clock();
    sh("sleep 31.25 & exit 0", 0.5, &run, buf, sizeof buf);
    ck_assert(gc_clock() - t0 < SANDBOX_WALL_FACTOR * 0.5 + 4);   /* idle, or the backstop */
    ck_assert_msg(!still_running("31[.]25"), "a grandchild outlived its run");

    sh("setsid sh -c '(sleep 32.75 &) ; exit 0' </dev/null >/dev/null 2>&1 4>&-; exit 0", 2,
       &run, buf, sizeof buf);
    usleep(100000);
    ck_assert_msg(!still_running("32[.]75"), "a setsid'd double fork outlived its run");
}
END_TEST

/* What student code can see and use: none of the instructor's files, no
 * network (bwrap), no file over the file limit, no more disk and processes
 * than allowed. */
START_TEST(sandbox_hides_and_limits)
{
    sandbox_run run;
    char buf[64], here[4096], script[4400];
    choose();
    if (cfg.kind == ISOLATION_NONE)
        return;                              /* not root and no bubblewrap: nothing to test */
    temp_dir("grade", dir, sizeof dir);
    char secret[128];
    snprintf(secret, sizeof secret, "%s/secret", dir);
    FILE *f = fopen(secret, "w");
    ck_assert_ptr_nonnull(f);
    fputs("hidden\n", f);
    fclose(f);
    ck_assert_int_eq(chmod(secret, 0600), 0);
    snprintf(script, sizeof script, "cat %s >&4", secret);
    sh(script, 5, &run, buf, sizeof buf);
    ck_assert_msg(strstr(buf, "hidden") == NULL, "student code read a file of the grader's");
    ck_assert_ptr_nonnull(getcwd(here, sizeof here));
    if (cfg.kind == ISOLATION_BWRAP) {
        snprintf(script, sizeof script, "test -e %s/src/softmax.c || printf gone >&4", here);
        sh(script, 5, &run, buf, sizeof buf);
        ck_assert_str_eq(buf, "gone");
        sh("grep -c : /proc/net/dev >&4", 5, &run, buf, sizeof buf);
        ck_assert_str_eq(buf, "1\n");           /* lo only */
        sh("for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do "
           "head -c 1000000 /dev/zero > /tmp/f$i || { printf full >&4; exit 0; }; done", 10,
           &run, buf, sizeof buf);
        ck_assert_msg(strcmp(buf, "full") == 0, "answered '%s': exited %d code %d signal %d, "
                      "cpu %d idle %d wall %d oom %d fault %d, printed '%s'", buf, run.exited,
                      run.code, run.signal, run.cpu_limited, run.idle, run.timed_out,
                      run.out_of_memory, run.grader_fault, run.printed);
    }
    sh("head -c 3000000 /dev/zero > /tmp/big && printf wrote >&4", 5, &run, buf, sizeof buf);
    ck_assert_msg(strstr(buf, "wrote") == NULL, "a 3 MB file was written under a 1 MiB limit");
    sh("i=0; while [ $i -lt 100 ]; do sleep 33.5 & i=$((i+1)); done 2>/dev/null; "
       "printf $(jobs -p | wc -l) >&4", 10, &run, buf, sizeof buf);
    ck_assert_msg(atoi(buf) <= 16, "%s processes started under a limit of 16", buf);
    ck_assert_msg(!still_running("33[.]5"), "the flood outlived its run");
    remove_dir(dir);
}
END_TEST

/* The compiler's messages: the student's own files only, shown relative to
 * src/, with their source and caret lines; another file's lines (here a
 * "secret" line of an included file) never. */
START_TEST(compiler_messages_show_own_files_only)
{
    const char *raw =
        "In file included from src/softmax.c:3:\n"
        "labs/teach/tables.h:2:1: error: unknown type name 'seed'\n"
        "    2 | seed 0xdeadbeefcafe\n"
        "      | ^~~~\n"
        "src/softmax.c: In function 'softmax':\n"
        "src/softmax.c:12:5: error: 'y' undeclared (first use in this function)\n"
        "   12 |     y[i] = 0;\n"
        "      |     ^\n"
        "src/relu.c:4:1: warning: not the student's file here\n"
        "/usr/bin/ld: build/obj/src/softmax.o: in function `f': softmax.c:(.text+0x1): "
        "undefined reference to `logsumexpp'\n"
        "cc1: out of memory allocating 1073741840 bytes after a total of 569344 bytes\n"
        "make: *** [Makefile:134: build/obj/src/softmax.o] Error 1\n";
    char names[2][64] = { "softmax.c", "sigmoid.c" }, out[2000];
    build_messages(raw, names, 2, out, sizeof out);
    ck_assert_ptr_nonnull(strstr(out, "softmax.c:12:5: error: 'y' undeclared"));
    ck_assert_ptr_nonnull(strstr(out, "   12 |     y[i] = 0;\n"));
    ck_assert_ptr_nonnull(strstr(out, "link error: undefined reference to `logsumexpp'"));
    ck_assert_ptr_nonnull(strstr(out, "the compiler: cc1: out of memory allocating"));
    ck_assert_ptr_null(strstr(out, "deadbeef"));
    ck_assert_ptr_null(strstr(out, "tables.h"));
    ck_assert_ptr_null(strstr(out, "relu.c"));
    ck_assert_ptr_null(strstr(out, "src/softmax.c:12"));      /* shown relative to src/ */
    ck_assert_ptr_nonnull(strstr(out, "lines about other files or from make not shown"));
}
END_TEST

/* Intake: the editable files as regular files only; a link is refused, a
 * file elsewhere in the tree is found, a missing one is said. */
START_TEST(intake_takes_regular_files_only)
{
    temp_dir("intake", dir, sizeof dir);
    char sub[128], dest[128], path[256], notes[2000];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(dest, sizeof dest, "%s/dest", dir);
    snprintf(path, sizeof path, "%s/sub/deep/tree", dir);
    ck_assert_int_eq(system(strcat(strcpy((char[300]){ 0 }, "mkdir -p "), path)), 0);
    ck_assert_int_eq(mkdir(dest, 0755), 0);
    snprintf(path, sizeof path, "%s/sub/deep/tree/softmax.c", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("int x;\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/sub/sigmoid.c", dir);
    ck_assert_int_eq(symlink("/etc/passwd", path), 0);
    /* a folder of the grader's with relu.c in it, reached by a linked src/ */
    char theirs[128];
    snprintf(theirs, sizeof theirs, "%s/theirs", dir);
    ck_assert_int_eq(mkdir(theirs, 0755), 0);
    snprintf(path, sizeof path, "%s/relu.c", theirs);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("int reference;\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/sub/src", dir);
    ck_assert_int_eq(symlink(theirs, path), 0);
    intake_list l = { .count = 3 };
    strcpy(l.names[0], "softmax.c"), strcpy(l.names[1], "sigmoid.c"), strcpy(l.names[2], "relu.c");
    ck_assert_int_eq(intake_take(sub, dest, &l, notes, sizeof notes), 1);
    ck_assert(l.taken[0] && !l.taken[1] && !l.taken[2]);
    ck_assert_ptr_nonnull(strstr(notes, "Refused, not a regular file of your own: sigmoid.c (a symbolic link)"));
    ck_assert_ptr_nonnull(strstr(notes, "Refused, not a regular file of your own: src (a symbolic link)"));
    ck_assert_ptr_nonnull(strstr(notes, "Graded with your src/softmax.c."));
    ck_assert_ptr_nonnull(strstr(notes, "graded as not implemented: src/sigmoid.c src/relu.c."));
    snprintf(path, sizeof path, "%s/sigmoid.c", dest);
    ck_assert_int_ne(access(path, F_OK), 0);
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
    refuses("GRADE", "--base", 2, "grade: --base needs a value");
    refuses("GRADE", "--base b --submission s --student s --out o --timeout -1 "
            "labs/lab1/teach/table.txt", 2, "--timeout");
    refuses("GRADE", "--student s --out o labs/lab1/teach/table.txt", 2, "usage: grade --base");
    refuses("GRADE", "--base b --submission s --student s --out o", 2, "no grading table given");
    refuses("GRADE", "--base b --submission s --student s --out o /nonexistent/lab1/teach/table.txt",
            2, "/nonexistent/lab1/teach/table.txt: No such file");
    refuses("GRADE", "--uid-base 0 --isolation", 2, "--uid-base");
    /* results that cannot be written: exit 1, nothing left behind */
    refuses("GRADE", "--base /nonexistent --submission /nonexistent --student s "
            "--out /nonexistent/dir/results.json labs/lab1/teach/table.txt", 1,
            "cannot write /nonexistent/dir/results.json");
}
END_TEST

START_TEST(probe_refuses_bad_usage)
{
    refuses("GRADE_PROBE", "check softmax", 2, "usage: grade-probe serve");
    refuses("GRADE_PROBE", "", 2, "usage: grade-probe serve");
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
    refuses("GRADE_SH", args, 2, "no grading table labs/lab9/teach/table.txt");
    refuses("GRADE_SH", "--build /nonexistent --one /nonexistent out.json", 2,
            "no submission folder /nonexistent");
    refuses("AUTOGRADER_SH", "/nonexistent 9", 1, "no grading table labs/lab9/teach/table.txt");
    ck_assert_msg(access("/nonexistent", F_OK) != 0, "a refused run made /nonexistent");
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
    tcase_add_test(tc, sandbox_stops_loops_and_escapes);
    tcase_add_test(tc, sandbox_hides_and_limits);
    tcase_add_test(tc, compiler_messages_show_own_files_only);
    tcase_add_test(tc, intake_takes_regular_files_only);
    tcase_add_test(tc, grade_refuses_bad_usage);
    tcase_add_test(tc, probe_refuses_bad_usage);
    tcase_add_test(tc, scripts_refuse_bad_submissions_and_labs);
    suite_add_tcase(s, tc);
    return s;
}
