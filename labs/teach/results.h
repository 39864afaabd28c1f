/* results.h — one student's graded tests, written as Gradescope's
 * results.json (each test's diagnosis code in its extra_data, verdict.h),
 * as a row of the class gradebook (CSV), and as the student's rows of the
 * grader's record of verdicts (grades/verdicts.csv). */
#ifndef GRADLAB_RESULTS_H
#define GRADLAB_RESULTS_H

#include <stddef.h>
#include <stdio.h>

#include "verdict.h"

typedef struct {
    char name[160];           /* "lab3/naive_softmax: gradients (checker)" */
    char id[96];              /* "lab3:gradient:naive_softmax", the gradebook column */
    double score, max_score;
    char visibility[32];
    char output[1600];        /* what happened, for the student */
    int grader_fault;         /* it ended for a reason that is not the student's: grade again */
    char check[32];           /* the check it runs: "naive_softmax" */
    verdict verdict;          /* its diagnosis code, function, block, ... */
} test_result;

typedef struct {
    const char *student;
    const char *output;       /* the top-level message: files taken, compiler errors */
    const char *isolation;    /* how student code was isolated (extra_data: not shown to students) */
    const char *submission;   /* the digest of the files graded, "" when none (extra_data) */
    const char *regrade;      /* why the grader failed on this submission, or NULL (extra_data) */
    double seconds;
    test_result *tests;
    size_t count;
} student_result;

double results_score(const student_result *s);
double results_max_score(const student_result *s);

/* Writes results.json to `path` whole or not at all (gc_outfile: a fresh
 * temporary file renamed over a regular file only). Returns 0, or -1 (errno
 * set) with no file left behind. */
int results_write_json(const char *path, const student_result *s);

/* The gradebook's header (student, score, max_score, every test id, status)
 * and one student's row (status "graded", or "regrade" when the grader
 * failed on it), RFC 4180 quoting where a field needs it and a leading
 * apostrophe on a field a spreadsheet would take for a formula. */
void results_csv_header(FILE *out, const student_result *s);
void results_csv_row(FILE *out, const student_result *s);

/* results_csv_field: one CSV field, RFC 4180 quoting where it needs it and
 * a leading apostrophe on a field a spreadsheet would take for a formula. */
void results_csv_field(FILE *out, const char *s);

/* The record of verdicts: its header line, and one row per test of a
 * student (student, test, visibility, score, max_score, code, function,
 * block, factor, cause, detail), quoted as the gradebook is. */
void results_verdicts_header(FILE *out);
void results_verdicts_rows(FILE *out, const student_result *s);

#endif
