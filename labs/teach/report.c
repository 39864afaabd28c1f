/* report.c — the class report: what a whole class got wrong, named and
 * counted (instructor only; make report runs it through report.sh).
 *
 *   report --out-dir DIR [--earlier INPUT]... [--title TEXT] [--handouts DIR]
 *          [--handouts-url URL] [--top N] INPUT...
 *
 * An INPUT is a results.json, or a folder of them (a grades folder, a
 * Gradescope export): class_results.h. Writes into DIR (made when missing):
 *   index.html, report.md    the instructor's report (tally.h, report_pages.h)
 *   report.csv               the same figures, one row each
 *   scores.dat               the score histogram's data (report.sh draws scores.png)
 *   student-labN.html, .md   lab N's most common mistakes, safe to post
 * --earlier names an earlier run of the same labs to compare with;
 * --handouts the handouts' Markdown (handouts), whose pages are at
 * --handouts-url (../handouts/, where make handouts puts them beside
 * build/class-report); --top the mistakes on a student page (5).
 *
 * Every input is read before anything is written: an input that is not a
 * results.json is refused with one line naming it, exit 2, and no file is
 * written; each file is written whole or not at all (gc_outfile).
 * Exit (exits.h): 0, 1 a file could not be written, 2 bad usage or input, 3 out of memory. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "class_results.h"
#include "doc.h"
#include "exits.h"
#include "gradcheck.h"
#include "report_pages.h"
#include "results.h"
#include "tally.h"

#define PROG "report"

enum { MAX_INPUTS = 256 };

typedef struct {
    const char *out_dir, *title, *handouts, *handouts_url;
    const char *inputs[MAX_INPUTS], *earlier[MAX_INPUTS];
    size_t ninputs, nearlier, top;
} report_args;

static void parse(int argc, char **argv, report_args *a)
{
    *a = (report_args){ .title = "the class", .handouts = "handouts",
                        .handouts_url = "../handouts/", .top = 5 };
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = strcmp(o, "--out-dir") == 0 || strcmp(o, "--earlier") == 0 ||
                    strcmp(o, "--title") == 0 || strcmp(o, "--handouts") == 0 ||
                    strcmp(o, "--handouts-url") == 0 || strcmp(o, "--top") == 0;
        if (takes && !v)
            arg_fail(PROG, "%s needs a value", o);
        if (strcmp(o, "--out-dir") == 0) a->out_dir = v;
        else if (strcmp(o, "--title") == 0) a->title = v;
        else if (strcmp(o, "--handouts") == 0) a->handouts = v;
        else if (strcmp(o, "--handouts-url") == 0) a->handouts_url = v;
        else if (strcmp(o, "--top") == 0) a->top = arg_size(PROG, o, v, 1, 30);
        else if (strcmp(o, "--earlier") == 0 && a->nearlier < MAX_INPUTS) a->earlier[a->nearlier++] = v;
        else if (o[0] == '-' && o[1]) arg_fail(PROG, "unknown option %s (see labs/teach/report.c)", o);
        else if (!takes && a->ninputs < MAX_INPUTS) a->inputs[a->ninputs++] = o;
        else if (!takes) arg_fail(PROG, "more than %d inputs", MAX_INPUTS);
        else arg_fail(PROG, "more than %d earlier inputs", MAX_INPUTS);
        i += takes;
    }
    if (!a->out_dir || a->ninputs == 0)
        arg_fail(PROG, "usage: report --out-dir DIR [--earlier INPUT] [--title TEXT] INPUT...");
}

/* Reads every input into *run; refuses (exit 2) the first that is not a results.json. */
static void read_all(const char *const *inputs, size_t n, class_run *run)
{
    char err[600];
    for (size_t i = 0; i < n; i++) {
        int rc = class_read(inputs[i], run, err, sizeof err);
        if (rc == -2)
            exit(out_of_memory(PROG));
        if (rc != 0)
            arg_fail(PROG, "%s", err);
    }
}

static int open_out(const char *dir, const char *name, gc_outfile *o)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (gc_outfile_open(o, path) == 0)
        return 0;
    fprintf(stderr, PROG ": cannot write %s: %s\n", path, gc_outfile_error(errno));
    return -1;
}

static int close_out(gc_outfile *o)
{
    if (gc_outfile_commit(o) == 0)
        return 0;
    fprintf(stderr, PROG ": cannot write %s: %s\n", o->path, gc_outfile_error(errno));
    return -1;
}

/* The histogram's data: bin, students and share now, and earlier. */
static void write_dat(FILE *f, const tally *now, const tally *earlier)
{
    fprintf(f, "# score bin (percent of the maximum: from, to), students, share of the graded "
            "(%%), and the earlier run's (0 when none)\n");
    for (int b = 0; b < TALLY_BINS; b++) {
        double s = now->graded ? 100.0 * (double)now->bins[b] / (double)now->graded : 0;
        double e = earlier && earlier->graded ?
                   100.0 * (double)earlier->bins[b] / (double)earlier->graded : 0;
        fprintf(f, "%d %d %zu %.4f %zu %.4f\n", b * 10, b * 10 + 10, now->bins[b], s,
                earlier ? earlier->bins[b] : 0, e);
    }
}

/* One CSV row: section, lab, item, code, students, of, percent, earlier
 * percent, who, detail (last: the only field that holds commas as a rule). */
static void csv_row(FILE *f, const char *section, int lab, const char *item, const char *code,
                    size_t k, size_t of, double earlier, const char *detail, const char *who)
{
    char num[64];
    results_csv_field(f, section);
    fprintf(f, ",%d,", lab);
    results_csv_field(f, item);
    fputc(',', f);
    results_csv_field(f, code);
    fprintf(f, ",%zu,%zu,", k, of);
    if (of)
        fprintf(f, "%.1f", 100.0 * (double)k / (double)of);
    fputc(',', f);
    if (isfinite(earlier))
        snprintf(num, sizeof num, "%.1f", earlier), fputs(num, f);
    fputc(',', f);
    results_csv_field(f, who);
    fputc(',', f);
    results_csv_field(f, detail);
    fputc('\n', f);
}

static double pct_or_nan(size_t k, size_t of)
{
    return of ? 100.0 * (double)k / (double)of : NAN;
}

static void csv_diagnoses(FILE *f, const tally *t, const tally *e)
{
    for (size_t i = 0; i < t->ndiags; i++) {
        const tally_diagnosis *g = &t->diags[i];
        size_t of = g->lab >= 0 && g->lab < TALLY_MAX_LAB ? t->lab_students[g->lab] : 0;
        const tally_diagnosis *then = e ? tally_find(e, g->function, g->code, g->detail) : NULL;
        double old = !e ? NAN : then ? pct_or_nan(then->count, e->lab_students[then->lab]) : 0.0;
        size_t len = 1;
        for (size_t k = 0; k < g->count; k++)
            len += strlen(t->run->students[g->who[k]].name) + 1;
        char *who = malloc(len), detail[600];
        if (!who)
            continue;
        who[0] = '\0';
        for (size_t k = 0, at = 0; k < g->count; k++)
            at += (size_t)sprintf(who + at, "%s%s", k ? " " : "", t->run->students[g->who[k]].name);
        snprintf(detail, sizeof detail, "%s%s%s%s%s", g->detail, g->detail[0] ? "; " : "",
                 g->blocks, g->factors[0] ? "; k = " : "", g->factors);
        csv_row(f, "diagnosis", g->lab, g->function, g->code, g->count, of, old, detail, who);
        free(who);
    }
}

static void write_csv(FILE *f, const tally *t, const tally *e)
{
    char item[32];
    fputs("section,lab,item,code,students,of,percent,earlier_percent,who,detail\n", f);
    for (int b = 0; b < TALLY_BINS; b++) {
        snprintf(item, sizeof item, "%d-%d", b * 10, b * 10 + 10);
        csv_row(f, "score", 0, item, "", t->bins[b], t->graded,
                e ? pct_or_nan(e->bins[b], e->graded) : NAN, "", "");
    }
    for (size_t i = 0; i < t->ntests; i++) {
        const tally_test *r = &t->tests[i];
        const tally_test *old = e ? tally_find_test(e, r->test->id) : NULL;
        char follows[64];
        snprintf(follows, sizeof follows, "%zu follow from another function", r->follows);
        csv_row(f, "test", r->test->lab, r->test->id, r->test->visibility, r->passed, r->taken,
                old ? pct_or_nan(old->passed, old->taken) : NAN, follows, "");
    }
    csv_diagnoses(f, t, e);
    for (int k = 0; k < TALLY_RUN_CODES; k++) {
        const tally_failure *fl = &t->failures[k];
        csv_row(f, "failure", 0, fl->code, fl->code, fl->students, t->students, NAN,
                fl->message ? fl->message : "", "");
    }
}

/* One page, in a format, into dir/name. */
static int write_page(const char *dir, const char *name, doc_format fmt, const report_ctx *c,
                      int lab)
{
    gc_outfile o;
    doc d;
    char title[400];
    if (open_out(dir, name, &o) != 0)
        return -1;
    if (lab)
        snprintf(title, sizeof title, "The most common mistakes in lab %d: %s", lab, c->title);
    else
        snprintf(title, sizeof title, "Class report: %s", c->title);
    doc_begin(&d, o.f, fmt, title);
    if (lab)
        report_students(&d, c, lab);
    else
        report_instructor(&d, c);
    doc_end(&d);
    return close_out(&o);
}

static int write_all(const report_args *a, const report_ctx *c)
{
    gc_outfile o;
    int bad = 0;
    char name[64];
    bad |= write_page(a->out_dir, "index.html", DOC_HTML, c, 0);
    bad |= write_page(a->out_dir, "report.md", DOC_MARKDOWN, c, 0);
    for (int lab = 1; lab < TALLY_MAX_LAB && !bad; lab++) {
        if (!c->now->lab_students[lab])
            continue;
        snprintf(name, sizeof name, "student-lab%d.html", lab);
        bad |= write_page(a->out_dir, name, DOC_HTML, c, lab);
        snprintf(name, sizeof name, "student-lab%d.md", lab);
        bad |= write_page(a->out_dir, name, DOC_MARKDOWN, c, lab);
    }
    if (!bad && open_out(a->out_dir, "report.csv", &o) == 0) {
        write_csv(o.f, c->now, c->earlier);
        bad |= close_out(&o);
    } else {
        bad = 1;
    }
    if (!bad && open_out(a->out_dir, "scores.dat", &o) == 0) {
        write_dat(o.f, c->now, c->earlier);
        bad |= close_out(&o);
    } else {
        bad = 1;
    }
    return bad ? GL_EXIT_FAILED : GL_EXIT_DONE;
}

int main(int argc, char **argv)
{
    report_args a;
    class_run now = { 0 }, earlier = { 0 };
    tally t, e;
    parse(argc, argv, &a);
    read_all(a.inputs, a.ninputs, &now);
    read_all(a.earlier, a.nearlier, &earlier);
    if (tally_make(&now, &t) != 0 || tally_make(&earlier, &e) != 0)
        return out_of_memory(PROG);
    struct stat st;
    if (mkdir(a.out_dir, 0755) != 0 && (errno != EEXIST || stat(a.out_dir, &st) != 0 ||
                                        !S_ISDIR(st.st_mode)))
        arg_fail(PROG, "--out-dir %s is not a folder that can be made", a.out_dir);
    report_ctx c = { a.title, &t, a.nearlier ? &e : NULL, a.handouts, a.handouts_url,
                     "scores.png", a.top };
    int rc = write_all(&a, &c);
    if (rc == 0)
        printf(PROG ": %zu students, %zu tests, %zu diagnoses\n", t.students, t.ntests, t.ndiags);
    tally_free(&t), tally_free(&e);
    class_free(&now), class_free(&earlier);
    return rc;
}
