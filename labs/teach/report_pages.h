/* report_pages.h — the class report's pages (labs/teach/report.c writes
 * them): the instructor's page and, lab by lab, a page safe to post to the
 * students, each as Markdown or HTML (doc.h). */
#ifndef GRADLAB_REPORT_PAGES_H
#define GRADLAB_REPORT_PAGES_H

#include <stddef.h>

#include "doc.h"
#include "tally.h"

typedef struct {
    const char *title;            /* "lab 3, 2025" */
    const tally *now;
    const tally *earlier;         /* an earlier run of the same labs, or NULL */
    const char *handouts_dir;     /* the handouts' Markdown sources (their headings) */
    const char *handouts_url;     /* where their pages are, "../handouts/" */
    const char *picture;          /* the score histogram, relative to the page */
    size_t top;                   /* mistakes on a student page */
} report_ctx;

/* report_handout: the URL of the handout section treating `code` in
 * `function` (the code's own section, else the function's), into buf;
 * "" when none. Returns buf. */
char *report_handout(const report_ctx *c, const char *function, const char *code, char *buf,
                     size_t size);

/* report_instructor: the whole report: scores, tests, diagnoses with the
 * students' names, runs that ended early, the comparison with the earlier run. */
void report_instructor(doc *d, const report_ctx *c);

/* report_students: lab `lab`'s most common mistakes, no name, no hidden
 * test, no value: each function and code, how many students, what gradcheck
 * says, the handout section. */
void report_students(doc *d, const report_ctx *c, int lab);

#endif
