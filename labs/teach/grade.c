/* grade.c — grades one student's build: every row of the grading tables,
 * each in its own sandboxed grade-probe process, then results.json and a
 * gradebook row. Linked with the reference solution, which gives the
 * expected values of the reference tests in this process.
 *
 *   grade --probe PATH --student NAME --out results.json [--csv FILE]
 *         [--notes FILE] [--build-log FILE] [--build-failed]
 *         [--timeout S] [--memory-mb M] [--file-mb F]  TABLE...
 *
 * A gradient test passes when the check passes in the student's build. A
 * reference test sets the check's problem up at three hidden inputs (seeds
 * from the table's seed) and compares J and every entry of dJ/dx with the
 * reference: |s - r| <= 1e-6 max(|r|, 1e-6 (1 + max |r|)).
 * Exit: 0 results written (whatever the score), 1 results could not be
 * written, 2 bad usage or a bad table. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "gradcheck.h"
#include "probe.h"
#include "results.h"
#include "rng.h"
#include "sandbox.h"
#include "table.h"

#define die(...) arg_fail("grade", __VA_ARGS__)

enum { HIDDEN_INPUTS = 3 };
static const double REF_TOL = 1e-6;

typedef struct {
    const char *probe, *student, *out, *csv, *notes, *build_log;
    int build_failed;
    sandbox_limits lim;
    test_list tests;
} grade_args;

/* Appends printf-style text to a test's output. */
static void say(test_result *t, const char *fmt, ...)
{
    size_t used = strlen(t->output);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->output + used, sizeof t->output - used, fmt, ap);
    va_end(ap);
}

/* Runs the probe; returns the answer's body when it sent a record with `tag`
 * of `size` bytes per item (count items in *count), else NULL with what
 * happened said into t. Free run->report after use either way. */
static const void *probe_answer(const grade_args *g, char *const argv[], const char *tag,
                                size_t item, sandbox_run *run, uint64_t *count, test_result *t)
{
    size_t cap = sizeof(probe_head) + PROBE_MAX_OUTPUTS * sizeof(double);
    if (sandbox_exec(argv, &g->lim, cap, run) != 0) {
        say(t, "the grader could not start the test: %s\n", run->said);
        return NULL;
    }
    probe_head h;
    if (run->exited && run->code == 0 && run->report_len >= sizeof h) {
        memcpy(&h, run->report, sizeof h);
        if (strncmp(h.tag, tag, sizeof h.tag) == 0 && h.count <= (cap - sizeof h) / item &&
            run->report_len == sizeof h + h.count * item) {       /* no overflow in count * item */
            *count = h.count;
            return run->report + sizeof h;
        }
    }
    char why[300];
    if (run->exited && run->code == GC_EXIT_NOT_IMPLEMENTED)
        snprintf(why, sizeof why, "%s", strncmp(run->report, "not implemented: ", 17) == 0
                 ? run->report : "a function this test calls is not implemented yet");
    else
        sandbox_describe(run, &g->lim, why, sizeof why);
    say(t, "%s\n", why);
    if (run->timed_out && run->said_total > (1u << 20))
        say(t, "It printed %.0f MiB meanwhile: printing in a function called that often is "
            "slow; remove the printing.\n", (double)run->said_total / (1 << 20));
    return NULL;
}

/* Adds a note on what the functions printed (the grader ignores it). */
static void note_printing(const sandbox_run *run, test_result *t)
{
    if (run->said_total == 0)
        return;
    say(t, "(your functions printed %zu bytes, which the grader ignores; they begin: \"%.160s\")\n",
        run->said_total, run->said);
}

static void run_gradient(const grade_args *g, const graded_test *gt, test_result *t)
{
    char *argv[] = { (char *)g->probe, "check", (char *)gt->check->name, NULL };
    sandbox_run run;
    uint64_t size = 0;
    const gc_report *r = probe_answer(g, argv, PROBE_TAG_CHECK, 1, &run, &size, t);
    if (r && size == sizeof *r) {
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        if (mem) {
            gc_print_report(mem, GC_TEXT, 1, 1, "lab", gt->check, r);
            fclose(mem);
            say(t, "%s", text);
            free(text);
        }
        if (r->status == GC_PASS)
            t->score = t->max_score;
    } else if (r) {
        say(t, "the test program sent a malformed report\n");
    }
    note_printing(&run, t);
    free(run.report);
}

/* The hidden input k of a test: the table's seed and the check's name
 * (FNV-1a) mixed by splitmix64, k + 1 steps on. */
static uint64_t hidden_seed(const graded_test *gt, int k)
{
    uint64_t state = gt->seed ^ 0xcbf29ce484222325ULL, out = 0;
    for (const char *s = gt->check->name; *s; s++)
        state = (state ^ (unsigned char)*s) * 0x100000001b3ULL;
    for (int i = 0; i <= k; i++)
        out = splitmix64(&state);
    return out;
}

/* Compares the student's values s with the reference r (count each). Says
 * the worst value and how many differ; returns 1 when all agree. */
static int agree(const double *s, const double *r, const gc_name *names, size_t count, int k,
                 test_result *t)
{
    double scale = 0.0;
    for (size_t i = 0; i < count; i++)
        scale = fmax(scale, fabs(r[i]));
    size_t wrong = 0, worst = 0;
    double worst_err = -1.0;
    for (size_t i = 0; i < count; i++) {
        double err = fabs(s[i] - r[i]) / fmax(fabs(r[i]), 1e-6 * (1.0 + scale));
        if (!(err <= REF_TOL)) {
            wrong++;
            if (!(err <= worst_err))
                worst = i, worst_err = isnan(err) ? INFINITY : err;
        }
    }
    if (wrong == 0)
        return 1;
    say(t, "hidden input %d of %d: %zu of %zu values differ from the reference solution's; "
        "the worst is %s = %.10g where the reference has %.10g", k + 1, HIDDEN_INPUTS, wrong,
        count, names[worst], s[worst], r[worst]);
    if (isfinite(s[worst]) && r[worst] != 0.0)
        say(t, " (ratio %.4g)", s[worst] / r[worst]);
    say(t, ".\n");
    if (strcmp(names[0], "J") != 0)
        return 0;
    if (!isfinite(s[0]))
        say(t, "The loss J is not a number: look for log(0), 0/0 or inf - inf.\n");
    else if (fabs(s[0] - r[0]) > REF_TOL * fmax(fabs(r[0]), 1e-6))
        say(t, "The loss J itself differs. If the gradient check passes, your loss and "
            "gradient agree with each other but compute another function than the one asked.\n");
    else
        say(t, "The loss J itself agrees.\n");
    return 0;
}

/* One hidden input: the reference in this process, the student in a probe.
 * Returns 1 when they agree. */
static int compare_at(const grade_args *g, const graded_test *gt, int k, test_result *t)
{
    uint64_t seed = hidden_seed(gt, k);
    gc_problem p;
    if (gt->check->setup(&p, seed) != 0)
        return say(t, "the grader ran out of memory\n"), 0;
    size_t count = gc_output_count(&p);
    double *r = malloc(count * sizeof *r);
    gc_name *names = malloc(count * sizeof *names);
    int ok = 0;
    if (r && names && gc_outputs(&p, r, names) == 0) {
        char seedtext[32];
        snprintf(seedtext, sizeof seedtext, "%llu", (unsigned long long)seed);
        char *argv[] = { (char *)g->probe, "outputs", (char *)gt->check->name, seedtext, NULL };
        sandbox_run run;
        uint64_t n = 0;
        const double *s = probe_answer(g, argv, PROBE_TAG_OUTPUTS, sizeof(double), &run, &n, t);
        if (s && n != count)
            say(t, "the test program sent %llu values, not %zu\n", (unsigned long long)n, count);
        else if (s)
            ok = agree(s, r, names, count, k, t);
        if (!ok)
            note_printing(&run, t);
        free(run.report);
    } else {
        say(t, "the grader ran out of memory\n");
    }
    free(r), free(names);
    gc_problem_free(&p);
    return ok;
}

static void run_reference(const grade_args *g, const graded_test *gt, test_result *t)
{
    for (int k = 0; k < HIDDEN_INPUTS; k++)
        if (!compare_at(g, gt, k, t))
            return;
    say(t, "PASS: every value compared (the loss and its gradient, or a layer's output, "
        "log|det J| and Jacobian) agrees with the reference solution at %d inputs you have not "
        "seen (to %.0e relative)\n", HIDDEN_INPUTS, REF_TOL);
    t->score = t->max_score;
}

/* Up to `max` bytes of a text file (NUL-terminated, malloc'd), "" when absent. */
static char *slurp(const char *path, size_t max)
{
    char *buf = calloc(max + 1, 1);
    FILE *f = path ? fopen(path, "r") : NULL;
    if (buf && f)
        buf[fread(buf, 1, max, f)] = '\0';
    if (f)
        fclose(f);
    return buf;
}

static void grade_all(const grade_args *g, test_result *res)
{
    for (size_t i = 0; i < g->tests.count; i++) {
        const graded_test *gt = &g->tests.tests[i];
        test_result *t = &res[i];
        memset(t, 0, sizeof *t);
        test_name(gt, t->name, sizeof t->name);
        test_id(gt, t->id, sizeof t->id);
        t->max_score = gt->points;
        snprintf(t->visibility, sizeof t->visibility, "%s", gt->visibility);
        if (g->build_failed)
            say(t, "not graded: your code did not compile (the compiler's messages are at the "
                "top of the results)\n");
        else if (gt->kind == TEST_GRADIENT)
            run_gradient(g, gt, t);
        else
            run_reference(g, gt, t);
    }
}

/* The top-level message: the notes (files taken), the compiler's messages
 * when the build failed, and the tally. */
static char *summary(const grade_args *g, const student_result *s)
{
    char *notes = slurp(g->notes, 4000), *log = slurp(g->build_failed ? g->build_log : NULL, 6000);
    char *text = NULL;
    size_t len = 0, passed = 0, shown = 0;
    for (size_t i = 0; i < s->count; i++)        /* the tally tells nothing of hidden tests */
        if (strcmp(s->tests[i].visibility, "visible") == 0) {
            shown++;
            passed += s->tests[i].score >= s->tests[i].max_score;
        }
    FILE *mem = open_memstream(&text, &len);
    if (mem) {
        fputs(notes ? notes : "", mem);
        if (g->build_failed)
            fprintf(mem, "Your code did not compile, so every test scores 0. The compiler said:\n"
                    "%s\n", log && log[0] ? log : "(nothing: see the build log)");
        fprintf(mem, "%zu of %zu visible tests passed", passed, shown);
        if (shown < s->count)
            fprintf(mem, "; %zu more are shown when the instructor releases them", s->count - shown);
        fputs(".\n", mem);
        fclose(mem);
    }
    free(notes), free(log);
    return text;
}

static int write_csv(const char *path, const student_result *s)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    results_csv_header(f, s);
    results_csv_row(f, s);
    return fclose(f);
}

static const char *value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        die("%s needs a value", argv[*i]);
    return argv[++*i];
}

static void parse(int argc, char **argv, grade_args *g)
{
    char err[400];
    *g = (grade_args){ .lim = { 10.0, 512, 16 } };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--probe") == 0) g->probe = value(argc, argv, &i);
        else if (strcmp(a, "--student") == 0) g->student = value(argc, argv, &i);
        else if (strcmp(a, "--out") == 0) g->out = value(argc, argv, &i);
        else if (strcmp(a, "--csv") == 0) g->csv = value(argc, argv, &i);
        else if (strcmp(a, "--notes") == 0) g->notes = value(argc, argv, &i);
        else if (strcmp(a, "--build-log") == 0) g->build_log = value(argc, argv, &i);
        else if (strcmp(a, "--build-failed") == 0) g->build_failed = 1;
        else if (strcmp(a, "--timeout") == 0) g->lim.seconds = arg_real("grade", a, value(argc, argv, &i), 0.1, 3600);
        else if (strcmp(a, "--memory-mb") == 0) g->lim.memory_mb = arg_size("grade", a, value(argc, argv, &i), 16, 1 << 20);
        else if (strcmp(a, "--file-mb") == 0) g->lim.file_mb = arg_size("grade", a, value(argc, argv, &i), 1, 1 << 20);
        else if (a[0] == '-') die("unknown option %s (see the comment at the top of labs/teach/grade.c)", a);
        else if (table_load(a, &g->tests, err, sizeof err) != 0) die("%s", err);
    }
    if (!g->probe || !g->student || !g->out)
        die("usage: grade --probe PATH --student NAME --out results.json [options] TABLE...");
    if (g->tests.count == 0)
        die("no grading table given (labs/teach/tables/labN.txt)");
}

int main(int argc, char **argv)
{
    grade_args g;
    parse(argc, argv, &g);
    char *probe = realpath(g.probe, NULL);       /* the probe runs in its own directory */
    if (probe)
        g.probe = probe;
    else if (!g.build_failed)
        g.build_failed = 1, g.build_log = NULL;  /* built, yet no probe: nothing to run */
    double t0 = gc_clock();
    test_result *res = calloc(g.tests.count, sizeof *res);
    if (!res)
        die("out of memory");
    grade_all(&g, res);
    student_result s = { g.student, NULL, 0.0, res, g.tests.count };
    char *text = summary(&g, &s);
    s.output = text;
    s.seconds = gc_clock() - t0;
    int bad = results_write_json(g.out, &s) != 0;
    if (bad)
        fprintf(stderr, "grade: cannot write %s: %s\n", g.out, strerror(errno));
    if (!bad && g.csv && write_csv(g.csv, &s) != 0) {
        fprintf(stderr, "grade: cannot write %s\n", g.csv);
        bad = 1;
    }
    printf("grade: %s: %.10g / %.10g\n", g.student, results_score(&s), results_max_score(&s));
    free(text), free(res), free(probe);
    table_free(&g.tests);
    return bad;
}
