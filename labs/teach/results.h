/* results.h — one student's graded tests, written as Gradescope's
 * results.json and as a row of the class gradebook (CSV). */
#ifndef GRADLAB_RESULTS_H
#define GRADLAB_RESULTS_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
    char name[160];           /* "lab3/naive_softmax: gradients (checker)" */
    char id[96];              /* "lab3:gradient:naive_softmax", the gradebook column */
    double score, max_score;
    char visibility[32];
    char output[1600];        /* what happened, for the student */
} test_result;

typedef struct {
    const char *student;
    const char *output;       /* the top-level message: files taken, compiler errors */
    const char *isolation;    /* how student code was isolated (extra_data: not shown to students) */
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

/* The gradebook's header (student, score, max_score, then every test id) and
 * one student's row, RFC 4180 quoting where a field needs it. */
void results_csv_header(FILE *out, const student_result *s);
void results_csv_row(FILE *out, const student_result *s);

#endif
