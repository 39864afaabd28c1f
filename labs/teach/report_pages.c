/* report_pages.c — the class report's pages (report_pages.h). */
#include "report_pages.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkmap.h"
#include "verdict.h"

enum { CELL = 1200 };

static const verdict_kind *kind_of(const char *code)
{
    verdict_code c = verdict_parse(code);
    return c == VC_COUNT ? NULL : &verdict_kinds[c];
}

char *report_handout(const report_ctx *c, const char *function, const char *code, char *buf,
                     size_t size)
{
    const verdict_kind *k = kind_of(code);
    const char *handout = NULL, *section = NULL;
    char anchor[300];
    buf[0] = '\0';
    if (!k || !k->mistake)
        return buf;
    if (k->handout)
        handout = k->handout, section = k->section;
    else if (checkmap_section_of(function, &handout, &section) != 0)
        return buf;
    if (checkmap_anchor(c->handouts_dir, handout, section, anchor, sizeof anchor) == 0)
        snprintf(buf, size, "%s%s", c->handouts_url, anchor);
    return buf;
}

/* A paragraph of plain text. */
static void doc_text(doc *d, const char *text)
{
    char markup[2000];
    doc_para(d, doc_escape(d, text, markup, sizeof markup));
}

static void share(size_t k, size_t of, char *buf, size_t size)
{
    if (of)
        snprintf(buf, size, "%.0f%%", 100.0 * (double)k / (double)of);
    else
        snprintf(buf, size, "-");
}

/* "constant_factor (k = 2)" or the lab's words. */
static void what_text(const tally_diagnosis *g, char *buf, size_t size)
{
    const verdict_kind *k = kind_of(g->code);
    const char *meaning = g->detail[0] ? g->detail : k ? k->meaning : "no diagnosis recorded";
    if (g->factors[0])
        snprintf(buf, size, "%s (k = %s)", meaning, g->factors);
    else
        snprintf(buf, size, "%s", meaning);
}

/* The students' names as markup, ", "-separated. */
static void who_markup(const doc *d, const tally *t, const tally_diagnosis *g, char *buf,
                       size_t size)
{
    char name[300];
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < g->count && used + 8 < size; i++) {
        doc_escape(d, t->run->students[g->who[i]].name, name, sizeof name);
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", name);
    }
    if (used >= size)
        snprintf(buf + size - 5, 5, "...");
}

static void scores_section(doc *d, const report_ctx *c)
{
    const tally *t = c->now, *e = c->earlier;
    char line[800], cells[4][64];
    doc_heading(d, 2, "scores", "Score distribution");
    snprintf(line, sizeof line, "%zu students: %zu graded, %zu to grade again (the grader failed "
             "on them). Mean %.1f%%, median %.1f%%, lowest %.1f%%, highest %.1f%% of the maximum.",
             t->students, t->graded, t->regrade, t->mean, t->median, t->min, t->max);
    doc_text(d, line);
    doc_image(d, c->picture, "the score distribution");
    const char *head[] = { "score (% of the maximum)", "students", "share", "earlier share" };
    doc_table(d, "score-table", head, e ? 4 : 3);
    for (int b = 0; b < TALLY_BINS; b++) {
        snprintf(cells[0], 64, b == TALLY_BINS - 1 ? "%d to %d" : "%d to under %d", b * 10,
                 b * 10 + 10);
        snprintf(cells[1], 64, "%zu", t->bins[b]);
        share(t->bins[b], t->graded, cells[2], 64);
        if (e)
            share(e->bins[b], e->graded, cells[3], 64);
        const char *row[] = { cells[0], cells[1], cells[2], cells[3] };
        doc_row(d, row);
    }
    doc_table_end(d);
}

static void tests_section(doc *d, const report_ctx *c)
{
    const tally *t = c->now, *e = c->earlier;
    char cells[8][400];
    doc_heading(d, 2, "tests", "Each test's pass rate");
    doc_para(d, "A failure that follows from another function's mistake (the test calls a "
             "function whose own test fails) is counted under that function, not here.");
    const char *head[] = { "test", "visibility", "passed", "of", "pass rate", "failures that follow "
                           "from another function", "earlier pass rate" };
    doc_table(d, "test-table", head, e ? 7 : 6);
    for (size_t i = 0; i < t->ntests; i++) {
        const tally_test *r = &t->tests[i];
        doc_code(d, r->test->id, cells[0], sizeof cells[0]);
        doc_escape(d, r->test->visibility, cells[1], sizeof cells[1]);
        snprintf(cells[2], 400, "%zu", r->passed);
        snprintf(cells[3], 400, "%zu", r->taken);
        share(r->passed, r->taken, cells[4], 400);
        snprintf(cells[5], 400, "%zu", r->follows);
        const tally_test *old = e ? tally_find_test(e, r->test->id) : NULL;
        if (old)
            share(old->passed, old->taken, cells[6], 400);
        else
            snprintf(cells[6], 400, "-");
        const char *row[] = { cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6] };
        doc_row(d, row);
    }
    doc_table_end(d);
}

static void diagnosis_row(doc *d, const report_ctx *c, const tally_diagnosis *g)
{
    const tally *t = c->now, *e = c->earlier;
    char lab[16], fn[200], code[200], what[400], count[32], pct[32], old[32], url[600];
    char link[900], blocks[400];
    char *who = malloc(CELL * 8);
    if (!who)
        return;
    snprintf(lab, sizeof lab, "%d", g->lab);
    doc_code(d, g->function, fn, sizeof fn);
    doc_code(d, g->code, code, sizeof code);
    char what_m[600];
    what_text(g, what, sizeof what);
    doc_escape(d, what, what_m, sizeof what_m);
    snprintf(count, sizeof count, "%zu", g->count);
    share(g->count, g->lab >= 0 && g->lab < TALLY_MAX_LAB ? t->lab_students[g->lab] : 0, pct,
          sizeof pct);
    const tally_diagnosis *then = e ? tally_find(e, g->function, g->code, g->detail) : NULL;
    if (then)
        share(then->count, then->lab >= 0 && then->lab < TALLY_MAX_LAB ?
              e->lab_students[then->lab] : 0, old, sizeof old);
    else
        snprintf(old, sizeof old, e ? "0%%" : "-");
    report_handout(c, g->function, g->code, url, sizeof url);
    if (url[0])
        doc_link(d, "handout", url, link, sizeof link);
    else
        snprintf(link, sizeof link, "-");
    who_markup(d, t, g, who, CELL * 8);
    doc_escape(d, g->blocks, blocks, sizeof blocks);
    const char *row[] = { lab, fn, code, what_m, count, pct, who, blocks, link, old };
    doc_row(d, row);
    free(who);
}

static void diagnoses_section(doc *d, const report_ctx *c)
{
    const tally *t = c->now;
    doc_heading(d, 2, "diagnoses", "Each function's diagnoses");
    doc_para(d, "A student counts once per function, under the most specific diagnosis its "
             "tests gave; the share is of the students who handed in that lab.");
    const char *head[] = { "lab", "function", "diagnosis", "what it is", "students", "share",
                           "who", "seen in", "handout", "earlier share" };
    doc_table(d, "diagnosis-table", head, c->earlier ? 10 : 9);
    for (size_t i = 0; i < t->ndiags; i++)
        diagnosis_row(d, c, &t->diags[i]);
    doc_table_end(d);
}

static void failures_section(doc *d, const report_ctx *c)
{
    const tally *t = c->now;
    char cells[4][600];
    doc_heading(d, 2, "failures", "Compile errors, crashes, time-outs and stubs");
    const char *head[] = { "what", "students", "most common first message", "students it was "
                           "first for" };
    doc_table(d, "failure-table", head, 4);
    for (int k = 0; k < TALLY_RUN_CODES; k++) {
        const tally_failure *f = &t->failures[k];
        doc_code(d, f->code, cells[0], sizeof cells[0]);
        snprintf(cells[1], 600, "%zu", f->students);
        if (f->message && f->message[0])
            doc_code(d, f->message, cells[2], sizeof cells[2]);
        else
            snprintf(cells[2], 600, "-");
        snprintf(cells[3], 600, "%zu", f->message_count);
        const char *row[] = { cells[0], cells[1], cells[2], cells[3] };
        doc_row(d, row);
    }
    doc_table_end(d);
    if (!t->regrade)
        return;
    char names[4000] = "", name[300];
    size_t used = 0;
    for (size_t i = 0; i < t->run->count && used + 300 < sizeof names; i++)
        if (t->run->students[i].regrade)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "",
                                     doc_escape(d, t->run->students[i].name, name, sizeof name));
    char line[4200];
    snprintf(line, sizeof line, "The grader failed on these (not the students' doing); grade "
             "them again: %s.", names);
    doc_para(d, line);
}

static void earlier_section(doc *d, const report_ctx *c)
{
    const tally *t = c->now, *e = c->earlier;
    char line[600];
    if (!e)
        return;
    doc_heading(d, 2, "earlier", "Compared with the earlier run");
    snprintf(line, sizeof line, "Earlier: %zu students graded, mean %.1f%%, median %.1f%%. Now: "
             "%zu, mean %.1f%% (%+.1f points), median %.1f%% (%+.1f). The tables above show the "
             "earlier share beside each figure.", e->graded, e->mean, e->median, t->graded,
             t->mean, t->mean - e->mean, t->median, t->median - e->median);
    doc_text(d, line);
}

static void codes_section(doc *d)
{
    char cells[2][600];
    doc_heading(d, 2, "codes", "The diagnosis codes");
    doc_para(d, "Every graded test records one of these in its results.json (extra_data.code) "
             "and in grades/verdicts.csv.");
    const char *head[] = { "code", "what it means" };
    doc_table(d, "code-table", head, 2);
    for (int k = 0; k < VC_COUNT; k++) {
        doc_code(d, verdict_kinds[k].name, cells[0], sizeof cells[0]);
        doc_escape(d, verdict_kinds[k].meaning, cells[1], sizeof cells[1]);
        const char *row[] = { cells[0], cells[1] };
        doc_row(d, row);
    }
    doc_table_end(d);
}

void report_instructor(doc *d, const report_ctx *c)
{
    scores_section(d, c);
    tests_section(d, c);
    diagnoses_section(d, c);
    failures_section(d, c);
    earlier_section(d, c);
    codes_section(d);
}

/* The lab's diagnoses that are mistakes seen in a visible test, most first. */
static size_t top_mistakes(const tally *t, int lab, const tally_diagnosis **top, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < t->ndiags; i++) {
        const tally_diagnosis *g = &t->diags[i];
        if (g->lab != lab || !g->visible || !tally_mistake(g->code))
            continue;
        size_t at = n < max ? n++ : max;
        while (at > 0 && top[at - 1]->visible < g->visible) {
            if (at < max)
                top[at] = top[at - 1];
            at--;
        }
        if (at < max)
            top[at] = g;
    }
    return n;
}

void report_students(doc *d, const report_ctx *c, int lab)
{
    const tally *t = c->now;
    const tally_diagnosis *top[32];
    size_t max = c->top < 32 ? c->top : 32, n = top_mistakes(t, lab, top, max);
    size_t of = lab >= 0 && lab < TALLY_MAX_LAB ? t->lab_students[lab] : 0;
    char line[600];
    if (n == 0) {
        snprintf(line, sizeof line, "No mistake of lab %d was diagnosed by a visible test among "
                 "the %zu students who handed it in.", lab, of);
        return doc_text(d, line);
    }
    snprintf(line, sizeof line, "Of the %zu students who handed in lab %d, these are the %zu "
             "mistakes made most often, as the visible tests reported them, each with the handout "
             "section that treats it and the words gradcheck uses for it.", of, lab, n);
    doc_text(d, line);
    const char *head[] = { "", "function", "the mistake", "students", "how gradcheck reports it",
                           "handout" };
    doc_table(d, "mistake-table", head, 6);
    for (size_t i = 0; i < n; i++) {
        const tally_diagnosis *g = top[i];
        const verdict_kind *k = kind_of(g->code);
        char rank[16], fn[200], what[600], count[64], says[600], url[600], link[900];
        snprintf(rank, sizeof rank, "%zu", i + 1);
        doc_code(d, g->function, fn, sizeof fn);
        doc_escape(d, g->detail[0] ? g->detail : k->meaning, what, sizeof what);
        snprintf(count, sizeof count, "%zu of %zu", g->visible, of);
        doc_code(d, g->detail[0] ? g->detail : k->gradcheck, says, sizeof says);
        report_handout(c, g->function, g->code, url, sizeof url);
        if (url[0])
            doc_link(d, "handout", url, link, sizeof link);
        else
            snprintf(link, sizeof link, "-");
        const char *row[] = { rank, fn, what, count, says, link };
        doc_row(d, row);
    }
    doc_table_end(d);
}
