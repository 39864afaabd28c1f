/* class_results.h — a class's results, read from results.json files (the
 * grader's, or a Gradescope export's) for the class report: every student's
 * score and tests, each test's verdict from its extra_data (verdict.h).
 *
 * An input is a results.json file, or a folder searched (symbolic links
 * not followed) for files named results.json; a student is named by the
 * folder holding its file, relative to the input folder ("wrong_sign"; a
 * last folder named "results" is dropped: "submission_123"). */
#ifndef GRADLAB_CLASS_RESULTS_H
#define GRADLAB_CLASS_RESULTS_H

#include <stddef.h>

typedef struct {
    char *id;                 /* "lab3:gradient:naive_softmax" (extra_data.test, else the name) */
    char *name;
    char *visibility;         /* "visible", "hidden", ... ("visible" when not given) */
    int lab;                  /* 3, from the id or the name "lab3/..."; 0 when neither says */
    double score, max_score;
    char *code;               /* the verdict's code; "passed" or "unrecorded" without extra_data */
    char *function, *block, *cause, *detail, *check;
    double factor;            /* NAN: none */
} class_test;

typedef struct {
    char *name;
    double score, max_score;
    int regrade;              /* the grader failed on it (extra_data.regrade, or no tests) */
    class_test *tests;
    size_t count;
} class_student;

typedef struct {
    class_student *students;
    size_t count, cap;
} class_run;

/* class_read: appends the results of input `path` to *run. Returns 0, -1
 * with one line naming the file into err (not a results.json: "PATH: not a
 * results.json: byte 12: expected ':'"; unreadable; a folder with none),
 * or -2 when out of memory. Students are kept sorted by name. */
int class_read(const char *path, class_run *run, char *err, size_t size);

/* class_free: frees what class_read allocated. */
void class_free(class_run *run);

#endif
