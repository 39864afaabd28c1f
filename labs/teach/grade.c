/* grade.c — grades one submission: takes its files (intake.c), compiles its
 * probe in the sandbox (build.c), runs every row of the grading tables and
 * writes results.json and a gradebook row. Linked with the reference
 * solution, so it is the only process that holds reference values; student
 * code runs in the probe, in the sandbox (sandbox.c), and only answers
 * numeric queries (remote.c). Every verdict and score is computed here.
 *
 *   grade --base DIR --submission DIR --student NAME --out results.json
 *         [--csv FILE] [--verdicts FILE] [--note TEXT] [--uid-base N] [--bwrap PATH] [--scratch DIR]
 *         [--unsafe-no-sandbox] [--timeout S] [--memory-mb M] [--file-mb F]
 *         TABLE...
 *   grade --isolation [--uid-base N] [--bwrap PATH] [--unsafe-no-sandbox]
 *         prints the isolation student code would get (exit 2: none)
 *   grade --csv-header TABLE...
 *         prints the gradebook's header line for these tables
 *   grade --verdicts-header
 *         prints the header line of the record of verdicts (grades/verdicts.csv)
 *
 * --base is the stripped tree, built, with editable.txt naming the files a
 * student may submit. When the grader is root, student code runs as an
 * unprivileged uid leased for this grader alone from --uid-base (61000) on
 * (uidpool.h). --bwrap is bubblewrap ("none": do not use it). --timeout is
 * the CPU seconds of one test (10; the compiler has 120).
 *
 * Every graded test scores only when the student's values match the
 * reference solution's at FRESH_INPUTS inputs drawn for this submission: their
 * seeds are HMACs of its identity (the student and the SHA-256 of the files
 * taken) keyed by the table's secret seed, so they differ for every
 * submission, and grading the same files under the same name again draws
 * the same ones (the digest is in results.json's extra_data). A gradient
 * test first runs the check here, every call into the student's loss
 * answered by the probe, then the golden losses; a reference test (hidden)
 * compares only, at other inputs. Values agree when
 * |s - r| <= 1e-6 max(|r|, 1e-6 (1 + max |r|)); what the student reads of a
 * difference never holds a reference value. The visible tests run first, so
 * their outputs are final before any process of a hidden test starts.
 *
 * Every test also gets a diagnosis code (verdict.h) from what was seen:
 * how its run ended, the check's findings, the lab's explain hook, the
 * relation of the values with the reference's (compare.h); when the check
 * fails, the values are compared at the first input all the same, to say
 * how they differ. It is written in the test's extra_data and, with
 * --verdicts, as the student's rows of the class's record of verdicts.
 *
 * Exit (exits.h): GL_EXIT_DONE (0) results written, whatever the score;
 * GL_EXIT_FAILED (1) results could not be written; GL_EXIT_USAGE (2) bad
 * usage, a bad table, or no isolation (and no --unsafe-no-sandbox);
 * GL_EXIT_REGRADE (4) results written, but the grader failed on some of it
 * (a sandbox that could not be set up, a compiler or test killed by
 * something outside its own limits): grade this submission again. */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "build.h"
#include "gradcheck.h"
#include "intake.h"
#include "remote.h"
#include "results.h"
#include "compare.h"
#include "verdict.h"
#include "sandbox.h"
#include "sha256.h"
#include "table.h"

#define die(...) arg_fail("grade", __VA_ARGS__)

enum { FRESH_INPUTS = 3 };

typedef struct {
    const char *base, *submission, *student, *out, *csv, *verdicts, *note, *bwrap, *scratch_root;
    uid_t uid_base;
    int unsafe, isolation_only, csv_header, verdicts_header;
    sandbox_limits lim;
    test_list tests;
    /* set up by main: */
    sandbox_cfg cfg;
    char isolation[400];
    char scratch[4096], probe[4200];
    int build_failed;
    int grader_failed;                /* the build failed for a reason not the student's */
    char build_log[6000];
    char digest[2 * SHA256_BYTES + 1];   /* of the files taken */
    char identity[400];               /* the student and the digest: the inputs' message */
} grade_args;

/* What one test saw, for its verdict (verdict.h). */
typedef struct {
    int broken;               /* the probe's answers ended before the test did */
    char ended[300];          /* what ended them, one line */
    char stub[160];           /* "FUNCTION (src/FILE.c)" of the stub it reached, or "" */
    int timed_out, out_of_memory;
    int checked;              /* a gradient check ran: */
    gc_report report;         /*   its report */
    double golden_ratio;      /*   a failed golden loss over the golden one (NAN: none) */
    int compared;             /* values that differ from the reference's: */
    comparison cmp;           /*   how */
    char hint[400];           /*   the lab's words for it */
} test_seen;

/* Appends printf-style text to a test's output. */
static void say(test_result *t, const char *fmt, ...)
{
    size_t used = strlen(t->output);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->output + used, sizeof t->output - used, fmt, ap);
    va_end(ap);
}

/* Up to max bytes of s with anything but printable ASCII and newlines shown as '?'. */
static void printable(char *dst, size_t size, const char *s, size_t max)
{
    size_t k = 0;
    for (; s[k] && k < max && k + 1 < size; k++)
        dst[k] = (s[k] == '\n' || (s[k] >= 32 && s[k] < 127)) ? s[k] : '?';
    dst[k] = '\0';
}

/* A run of the probe: started in the sandbox, connected. */
static int open_probe(const grade_args *g, sandbox_run *run, remote_conn *conn)
{
    int boxed = g->cfg.kind == ISOLATION_BWRAP;
    sandbox_bind bind = { g->probe, "/grade/probe" };
    char *argv[] = { boxed ? "/grade/probe" : (char *)g->probe, "serve", NULL };
    memset(conn, 0, sizeof *conn);
    conn->run = run;
    if (sandbox_start(&g->cfg, &g->lim, &bind, 1, boxed ? "/tmp" : g->scratch, argv, run) != 0)
        return -1;
    return 0;
}

/* The stub's line "not implemented: FUNCTION (FILE)" in what the run
 * printed (its last such line), or NULL. */
static const char *stub_line(const char *printed, size_t *len)
{
    const char *found = NULL;
    for (const char *p = printed; (p = strstr(p, "not implemented: ")) != NULL; p++)
        if (p == printed || p[-1] == '\n')
            found = p;
    if (found)
        *len = strcspn(found, "\n");
    return found;
}

/* Ends the run; says in t what went wrong when the connection broke, and
 * what the student's functions printed besides a stub's line; keeps how
 * the run ended in seen. */
static void close_probe(remote_conn *conn, test_result *t, test_seen *seen)
{
    remote_close(conn);
    sandbox_finish(conn->run);
    sandbox_run *run = conn->run;
    size_t stub_len = 0;
    int stubbed = run->exited && run->code == GC_EXIT_NOT_IMPLEMENTED;
    const char *stub = stubbed ? stub_line(run->printed, &stub_len) : NULL;
    t->grader_fault |= conn->broken && run->grader_fault;
    if (conn->broken) {
        char why[300];
        if (conn->why[0])
            snprintf(why, sizeof why, "%s", conn->why);
        else if (stub)
            printable(why, sizeof why, stub, stub_len);
        else if (stubbed)
            snprintf(why, sizeof why, "a function this test calls is not implemented yet");
        else
            sandbox_describe(run, why, sizeof why);
        say(t, "%s\n", why);
        seen->broken = 1;
        snprintf(seen->ended, sizeof seen->ended, "%s", why);
        if (stub)
            printable(seen->stub, sizeof seen->stub, stub + 17, stub_len - 17);
        seen->timed_out = run->timed_out || run->cpu_limited || run->idle;
        seen->out_of_memory = run->out_of_memory;
        if ((run->timed_out || run->cpu_limited) && run->printed_total > (1u << 20))
            say(t, "It printed %.0f MiB meanwhile: printing in a function called that often is "
                "slow; remove the printing.\n", (double)run->printed_total / (1 << 20));
    }
    if (run->printed_total > (stub ? stub_len + 1 : 0)) {
        char shown[200];
        printable(shown, sizeof shown, run->printed, 160);
        say(t, "(your functions printed %zu bytes, which the grader ignores; they begin: \"%s\")\n",
            run->printed_total, shown);
    }
}

/* The check here, every student call answered by the probe; then the golden
 * losses (a failed one's J over the golden value into *golden_ratio).
 * Returns the report's status, or GC_CRASH when the probe broke. */
static gc_status remote_check(remote_conn *conn, const gc_check *c, gc_report *r,
                              double *golden_ratio)
{
    gc_options o = gc_default_options();
    gc_problem p;
    memset(r, 0, sizeof *r);
    if (remote_setup(conn, c, o.seed, &p) != 0)
        return GC_CRASH;
    gc_check_gradient(&p, &o, r);
    gc_problem_free(&p);
    for (size_t k = 0; r->status == GC_PASS && !conn->broken && k < c->ngolden; k++) {
        if (remote_setup(conn, c, GC_GOLDEN_SEED + k, &p) != 0)
            break;
        if (p.reset)
            p.reset(p.ctx);
        double J = gc_loss(&p, p.x, NULL);
        gc_problem_free(&p);
        if (!conn->broken && gc_golden_verdict(c, k, J, r) != 0)
            *golden_ratio = J / c->golden[k];
    }
    return conn->broken ? GC_CRASH : r->status;
}

/* The seed of input k of a test, drawn for this submission: the HMAC of the
 * submission's identity (its student and the digest of its files), the test
 * and k, keyed by the table's secret seed. A probe that is sent it learns
 * nothing of the key, of the other tests' inputs or of another submission's. */
static uint64_t fresh_seed(const grade_args *g, const graded_test *gt, int k)
{
    unsigned char key[8], mac[SHA256_BYTES];
    char msg[512];
    for (int i = 0; i < 8; i++)
        key[i] = (unsigned char)(gt->seed >> (56 - 8 * i));
    int len = snprintf(msg, sizeof msg, "gradlab input|%s|%s|%s|%d", g->identity,
                       gt->kind == TEST_GRADIENT ? "gradient" : "reference", gt->check->name, k);
    hmac_sha256(key, sizeof key, msg, (size_t)len, mac);
    uint64_t seed = 0;
    for (int i = 0; i < 8; i++)
        seed = seed << 8 | mac[i];
    return seed;
}

/* The lab's own name for the slip, from its explain hook, when the values
 * are a loss and its gradient: the student's gradient read against the
 * reference's as if it were the numeric one; else, when the losses differ,
 * from its explain_loss hook, the student's loss read against what the
 * reference computes. Kept in hint. */
static void lab_hint(const gc_problem *p, const double *s, const double *r, size_t count,
                     test_result *t, char *hint, size_t size)
{
    hint[0] = '\0';
    if ((!p->explain && !p->explain_loss) || p->map || p->custom || count != 1 + p->n)
        return;
    if (p->explain)
        p->explain(p, s + 1, r + 1, hint, size);
    if (!hint[0] && p->explain_loss && s[0] != r[0])
        p->explain_loss(p, s[0], hint, size);
    if (hint[0])
        say(t, " It looks like this: %s.", hint);
}

/* One input: the reference here, the student's values from the probe.
 * Says how they differ, without a reference value, and keeps the first
 * difference in seen. Returns 1 when they agree. */
static int compare_at(remote_conn *conn, const graded_test *gt, uint64_t seed, const char *label,
                      test_result *t, test_seen *seen)
{
    gc_problem p, q;
    if (gt->check->setup(&p, seed) != 0)
        return t->grader_fault = 1, say(t, "the grader ran out of memory\n"), 0;
    size_t count = gc_output_count(&p);
    double *r = malloc((count + 1) * sizeof *r), *s = malloc((count + 1) * sizeof *s);
    gc_name *names = malloc((count + 1) * sizeof *names);
    int ok = 0;
    if (!r || !s || !names || gc_outputs(&p, r, names) != 0)
        t->grader_fault = 1, say(t, "the grader ran out of memory\n");
    else if (remote_setup(conn, gt->check, seed, &q) == 0) {
        int got = gc_outputs(&q, s, NULL) == 0;
        gc_problem_free(&q);
        comparison c;
        ok = got && !conn->broken && compare_values(s, r, names, count, &c);
        if (got && !conn->broken && !ok) {
            say(t, "At %s: ", label);
            compare_describe(&c, s, r, names, t->output + strlen(t->output),
                             sizeof t->output - strlen(t->output));
            char hint[400];
            lab_hint(&p, s, r, count, t, hint, sizeof hint);
            say(t, "\n");
            if (!seen->compared) {
                seen->compared = 1, seen->cmp = c;
                snprintf(seen->hint, sizeof seen->hint, "%s", hint);
            }
        }
    }
    free(r), free(s), free(names);
    gc_problem_free(&p);
    return ok;
}

/* The check here on the probe's answers (a gradient test of a loss or a
 * map): its report, in the student's own numbers. Returns 1 when it passed. */
static int checked(remote_conn *conn, const graded_test *gt, test_result *t, test_seen *seen)
{
    gc_report *r = &seen->report;
    gc_status s = remote_check(conn, gt->check, r, &seen->golden_ratio);
    seen->checked = 1;
    if (s == GC_CRASH)
        return 0;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem) {
        gc_print_report(mem, GC_TEXT, 1, 1, "lab", gt->check, r);
        fclose(mem);
        say(t, "%s", text);
        free(text);
    }
    return s == GC_PASS;
}

/* The test's verdict from what it saw (verdict.h). */
static void judge(const grade_args *g, const graded_test *gt, const test_seen *seen,
                  test_result *t)
{
    verdict_evidence e = {
        .check = gt->check->name, .grader_failure = t->grader_fault || g->grader_failed,
        .compile_error = g->build_failed, .compiler_said = g->build_log,
        .broken = seen->broken, .stub = seen->stub[0] ? seen->stub : NULL,
        .timed_out = seen->timed_out, .out_of_memory = seen->out_of_memory, .ended = seen->ended,
        .report = seen->checked ? &seen->report : NULL, .golden_ratio = seen->golden_ratio,
        .cmp = seen->compared ? &seen->cmp : NULL, .hint = seen->hint,
        .passed = t->score >= t->max_score,
    };
    verdict_derive(&e, &t->verdict);
}

/* One graded test in one probe: a gradient test runs the check first (a
 * custom check has only values); then every test compares the values with
 * the reference's at FRESH_INPUTS inputs drawn for this submission. When
 * the check fails, the first input is compared all the same: it says how
 * the values differ. */
static void run_test(const grade_args *g, const graded_test *gt, test_result *t, test_seen *seen)
{
    gc_problem shape;
    if (gt->check->setup(&shape, 0) != 0)
        return t->grader_fault = 1, say(t, "the grader ran out of memory\n");
    int custom = shape.custom != NULL;
    gc_problem_free(&shape);
    sandbox_run run;
    remote_conn conn;
    if (open_probe(g, &run, &conn) != 0) {
        t->grader_fault = 1;
        return say(t, "the grader could not start the test: %s\n", run.printed);
    }
    int gradient = gt->kind == TEST_GRADIENT;
    int ok = !gradient || custom || checked(&conn, gt, t, seen);
    int diagnose = !ok;
    for (int k = 0; (ok || diagnose) && !conn.broken && k < FRESH_INPUTS; k++, diagnose = 0) {
        char label[96];
        snprintf(label, sizeof label, "%s input %d of %d drawn for this submission",
                 gradient ? "an" : "a hidden", k + 1, FRESH_INPUTS);
        ok = compare_at(&conn, gt, fresh_seed(g, gt, k), label, t, seen) && ok;
    }
    ok = ok && !conn.broken;
    close_probe(&conn, t, seen);
    if (!ok)
        return;
    if (gradient && !custom)
        say(t, "Your values also agree with the reference solution's at %d inputs drawn for "
            "this submission (to %.0e relative).\n", FRESH_INPUTS, COMPARE_RTOL);
    else
        say(t, "PASS: every value compared (%s) agrees with the reference solution's at %d "
            "inputs you have not seen (to %.0e relative)\n", custom ? "this check's values"
            : "the loss and its gradient, or a layer's output, log|det J| and Jacobian",
            FRESH_INPUTS, COMPARE_RTOL);
    t->score = t->max_score;
}

/* 1 when a test is shown to the student at once. */
static int visible(const graded_test *gt)
{
    return strcmp(gt->visibility, "visible") == 0;
}

/* Every test; the visible ones first, so that every visible output is final
 * before any process of a hidden test runs. Then each verdict, and the
 * failures that follow from another function's mistake. */
static void grade_all(const grade_args *g, test_result *res)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < g->tests.count; i++) {
            const graded_test *gt = &g->tests.tests[i];
            test_result *t = &res[i];
            if (visible(gt) != (pass == 0))
                continue;
            memset(t, 0, sizeof *t);
            test_seen seen = { .golden_ratio = NAN };
            snprintf(t->check, sizeof t->check, "%s", gt->check->name);
            test_name(gt, t->name, sizeof t->name);
            test_id(gt, t->id, sizeof t->id);
            t->max_score = gt->points;
            snprintf(t->visibility, sizeof t->visibility, "%s", gt->visibility);
            if (g->build_failed)
                say(t, "not graded: your code did not compile (the compiler's messages are at "
                    "the top of the results)\n");
            else if (!g->grader_failed)
                run_test(g, gt, t, &seen);
            else
                t->grader_fault = 1, say(t, "not graded: the grader failed on this submission "
                                         "(not your code); it will be graded again\n");
            judge(g, gt, &seen, t);
        }
    verdict *v = malloc(g->tests.count * sizeof *v);
    const char **checks = malloc(g->tests.count * sizeof *checks);
    if (!v || !checks)
        die("out of memory");
    for (size_t i = 0; i < g->tests.count; i++)
        v[i] = res[i].verdict, checks[i] = res[i].check;
    verdict_attribute(v, checks, g->tests.count);
    for (size_t i = 0; i < g->tests.count; i++)
        res[i].verdict = v[i];
    free(v), free(checks);
}

/* The top-level message: the note, the files taken, the compiler's messages
 * when the build failed, and the tally. */
static char *summary(const grade_args *g, const char *notes, const student_result *s)
{
    char *text = NULL;
    size_t len = 0, passed = 0, shown = 0;
    for (size_t i = 0; i < s->count; i++)        /* the tally tells nothing of hidden tests */
        if (strcmp(s->tests[i].visibility, "visible") == 0) {
            shown++;
            passed += s->tests[i].score >= s->tests[i].max_score;
        }
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return NULL;
    if (g->note && g->note[0])
        fprintf(mem, "%s\n", g->note);
    fputs(notes, mem);
    if (g->build_failed)
        fprintf(mem, "Your code did not compile, so every test scores 0. The compiler said:\n"
                "%s\n", g->build_log[0] ? g->build_log : "(nothing about your files)");
    if (s->regrade)
        fprintf(mem, "The grader failed on this submission (not your code): %s. It will be "
                "graded again.\n", s->regrade);
    fprintf(mem, "%zu of %zu visible tests passed", passed, shown);
    if (shown < s->count)
        fprintf(mem, "; %zu more are shown when the instructor releases them", s->count - shown);
    fputs(".\n", mem);
    fclose(mem);
    return text;
}

static int write_csv(const char *path, const student_result *s)
{
    gc_outfile o;
    if (gc_outfile_open(&o, path) != 0)
        return -1;
    results_csv_header(o.f, s);
    results_csv_row(o.f, s);
    return gc_outfile_commit(&o);
}

static int write_verdicts(const char *path, const student_result *s)
{
    gc_outfile o;
    if (gc_outfile_open(&o, path) != 0)
        return -1;
    results_verdicts_header(o.f);
    results_verdicts_rows(o.f, s);
    return gc_outfile_commit(&o);
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
    *g = (grade_args){ .lim = { 10.0, 512, 16, 16, 16 }, .uid_base = 61000, .bwrap = "/usr/bin/bwrap" };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--base") == 0) g->base = value(argc, argv, &i);
        else if (strcmp(a, "--submission") == 0) g->submission = value(argc, argv, &i);
        else if (strcmp(a, "--student") == 0) g->student = value(argc, argv, &i);
        else if (strcmp(a, "--out") == 0) g->out = value(argc, argv, &i);
        else if (strcmp(a, "--csv") == 0) g->csv = value(argc, argv, &i);
        else if (strcmp(a, "--verdicts") == 0) g->verdicts = value(argc, argv, &i);
        else if (strcmp(a, "--note") == 0) g->note = value(argc, argv, &i);
        else if (strcmp(a, "--bwrap") == 0) g->bwrap = value(argc, argv, &i);
        else if (strcmp(a, "--scratch") == 0) g->scratch_root = value(argc, argv, &i);
        else if (strcmp(a, "--uid-base") == 0) g->uid_base = (uid_t)arg_size("grade", a, value(argc, argv, &i), 1000, 4000000000u);
        else if (strcmp(a, "--unsafe-no-sandbox") == 0) g->unsafe = 1;
        else if (strcmp(a, "--isolation") == 0) g->isolation_only = 1;
        else if (strcmp(a, "--csv-header") == 0) g->csv_header = 1;
        else if (strcmp(a, "--verdicts-header") == 0) g->verdicts_header = 1;
        else if (strcmp(a, "--timeout") == 0) g->lim.seconds = arg_real("grade", a, value(argc, argv, &i), 0.1, 3600);
        else if (strcmp(a, "--memory-mb") == 0) g->lim.memory_mb = arg_size("grade", a, value(argc, argv, &i), 16, 1 << 20);
        else if (strcmp(a, "--file-mb") == 0) g->lim.file_mb = arg_size("grade", a, value(argc, argv, &i), 1, 1 << 20);
        else if (a[0] == '-') die("unknown option %s (see the comment at the top of labs/teach/grade.c)", a);
        else if (table_load(a, &g->tests, err, sizeof err) != 0) die("%s", err);
    }
    if (g->isolation_only || g->verdicts_header)
        return;
    if (g->csv_header && g->tests.count == 0)
        die("--csv-header needs the grading tables");
    if (g->csv_header)
        return;
    if (!g->base || !g->submission || !g->student || !g->out)
        die("usage: grade --base DIR --submission DIR --student NAME --out results.json "
            "[options] TABLE...");
    if (g->tests.count == 0)
        die("no grading table given (labs/labN/teach/table.txt)");
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    remove(path);
    return 0;
}

/* The scratch folder: outside the instructor's tree, 0711 so the sandbox's
 * user can reach the probe and the taken files (it cannot list it). */
static void make_scratch(grade_args *g)
{
    const char *root = g->scratch_root ? g->scratch_root : getenv("TMPDIR");
    snprintf(g->scratch, sizeof g->scratch, "%s/gradlab-grade.XXXXXX", root && root[0] ? root : "/tmp");
    if (!mkdtemp(g->scratch) || chmod(g->scratch, 0711) != 0)
        die("cannot make a scratch folder in %s: %s", root ? root : "/tmp", strerror(errno));
    snprintf(g->probe, sizeof g->probe, "%s/probe", g->scratch);
}

/* Takes the files, names the submission (its digest) and builds the probe;
 * fills notes. Returns 0, or -1 when the grader itself failed (said in
 * build_log). */
static int prepare(grade_args *g, char *notes, size_t size)
{
    char path[4200], err[400], sub[4200];
    intake_list files;
    snprintf(path, sizeof path, "%s/editable.txt", g->base);
    if (intake_load(path, &files, err, sizeof err) != 0)
        return snprintf(g->build_log, sizeof g->build_log, "%s", err), -1;
    snprintf(sub, sizeof sub, "%s/sub", g->scratch);
    if (mkdir(sub, 0755) != 0)
        return snprintf(g->build_log, sizeof g->build_log, "cannot make %s", sub), -1;
    intake_take(g->submission, sub, &files, notes, size);
    if (intake_digest(sub, &files, g->digest) != 0)
        return snprintf(g->build_log, sizeof g->build_log, "cannot read the files taken"), -1;
    snprintf(g->identity, sizeof g->identity, "%s|%s", g->student, g->digest);
    int compiled = 0;
    if (build_probe(&g->cfg, g->base, sub, g->scratch, g->probe, files.names, files.count,
                    g->build_log, sizeof g->build_log, &compiled) != GL_OK)
        return -1;
    g->build_failed = !compiled;
    return 0;
}

/* The gradebook's header for the tables given, on stdout. */
static int print_csv_header(const grade_args *g)
{
    test_result *res = calloc(g->tests.count, sizeof *res);
    if (!res)
        return out_of_memory("grade");
    for (size_t i = 0; i < g->tests.count; i++)
        test_id(&g->tests.tests[i], res[i].id, sizeof res[i].id);
    student_result s = { "", NULL, NULL, NULL, NULL, 0.0, res, g->tests.count };
    results_csv_header(stdout, &s);
    free(res);
    return fflush(stdout) != 0 || ferror(stdout) ? GL_EXIT_FAILED : GL_EXIT_DONE;
}

/* Makes this process the kernel's last choice when memory runs out (root only). */
static void oom_last(void)
{
    FILE *f = geteuid() == 0 ? fopen("/proc/self/oom_score_adj", "w") : NULL;
    if (f)
        fputs("-1000", f), fclose(f);
}

/* The tests the grader failed on, named in one line for the results, or NULL. */
static const char *regrade_reason(const grade_args *g, const test_result *res, char *buf,
                                  size_t size)
{
    size_t faults = 0;
    for (size_t i = 0; i < g->tests.count; i++)
        faults += res[i].grader_fault != 0;
    if (g->grader_failed)
        snprintf(buf, size, "%s", g->build_log);
    else if (faults)
        snprintf(buf, size, "%zu of its tests ended for a reason outside their limits", faults);
    else
        return NULL;
    return buf;
}

int main(int argc, char **argv)
{
    grade_args g;
    parse(argc, argv, &g);
    if (g.csv_header)
        return print_csv_header(&g);
    if (g.verdicts_header) {
        results_verdicts_header(stdout);
        return fflush(stdout) != 0 || ferror(stdout) ? GL_EXIT_FAILED : GL_EXIT_DONE;
    }
    signal(SIGPIPE, SIG_IGN);                  /* a probe that is gone is an answer, not our end */
    oom_last();
    int no_bwrap = !g.bwrap[0] || strcmp(g.bwrap, "none") == 0;
    if (sandbox_choose(&g.cfg, g.uid_base, no_bwrap ? NULL : g.bwrap, g.isolation,
                       sizeof g.isolation) != 0)
        die("cannot lease an unprivileged uid: %s", g.isolation);
    if (g.cfg.kind == ISOLATION_NONE && !g.unsafe)
        die("refusing to grade: %s. Run as root, or install bubblewrap (apt-get install "
            "bubblewrap), or pass --unsafe-no-sandbox (make grade UNSAFE=1) to grade anyway",
            g.isolation);
    if (g.isolation_only)
        return puts(g.isolation) == EOF ? GL_EXIT_FAILED : GL_EXIT_DONE;
    fprintf(stderr, "grade: %s: isolation: %s\n", g.student, g.isolation);
    double t0 = gc_clock();
    make_scratch(&g);
    char notes[4000] = "", why[6100];
    if (prepare(&g, notes, sizeof notes) != 0) {
        fprintf(stderr, "grade: %s: %s\n", g.student, g.build_log);
        g.grader_failed = 1;
    } else {
        fprintf(stderr, "grade: %s: files sha256:%s\n", g.student, g.digest);
    }
    test_result *res = calloc(g.tests.count, sizeof *res);
    if (!res)
        die("out of memory");
    grade_all(&g, res);
    nftw(g.scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    sandbox_release(&g.cfg);
    char submission[80];
    snprintf(submission, sizeof submission, "sha256:%s", g.digest);
    student_result s = { g.student, NULL, g.isolation, g.digest[0] ? submission : "",
                         regrade_reason(&g, res, why, sizeof why), 0.0, res, g.tests.count };
    char *text = summary(&g, notes, &s);
    s.output = text;
    s.seconds = gc_clock() - t0;
    int bad = results_write_json(g.out, &s) != 0;
    if (bad)
        fprintf(stderr, "grade: cannot write %s: %s\n", g.out, gc_outfile_error(errno));
    if (!bad && g.csv && write_csv(g.csv, &s) != 0) {
        fprintf(stderr, "grade: cannot write %s: %s\n", g.csv, gc_outfile_error(errno));
        bad = 1;
    }
    if (!bad && g.verdicts && write_verdicts(g.verdicts, &s) != 0) {
        fprintf(stderr, "grade: cannot write %s: %s\n", g.verdicts, gc_outfile_error(errno));
        bad = 1;
    }
    printf("grade: %s: %.10g / %.10g%s\n", g.student, results_score(&s), results_max_score(&s),
           s.regrade ? " (the grader failed on it: grade it again)" : "");
    if (s.regrade)
        fprintf(stderr, "grade: %s: the grader failed: %s\n", g.student, s.regrade);
    free(text), free(res);
    table_free(&g.tests);
    return bad ? GL_EXIT_FAILED : s.regrade ? GL_EXIT_REGRADE : GL_EXIT_DONE;
}
