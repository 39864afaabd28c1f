/* tally.h — what a class got wrong, counted (for the class report): the
 * score distribution, each test's pass rate, each function's diagnoses with
 * the students who made them, and the runs that ended early (compile
 * errors, crashes, time-outs, memory, stubs) with their most common first
 * message.
 *
 * A student counts once per function: among the function's failing tests
 * (those not following another function's mistake, verdict.h), the most
 * specific code, taken from the function's primary check when it fails
 * (checkmap.h). The visible counts do the same over visible tests only:
 * what the students themselves could see. */
#ifndef GRADLAB_TALLY_H
#define GRADLAB_TALLY_H

#include <stddef.h>

#include "class_results.h"

enum { TALLY_BINS = 10, TALLY_MAX_LAB = 16, TALLY_RUN_CODES = 5 };

typedef struct {
    const class_test *test;   /* its first occurrence (id, name, visibility, lab) */
    size_t taken, passed;     /* students with the test, and who passed it */
    size_t follows;           /* failures that follow from another function's mistake */
} tally_test;

typedef struct {
    const char *function, *code;
    const char *detail;       /* lab_slip: the lab's words; else "" */
    int lab;
    size_t *who;              /* the students (indices into the class), by name */
    size_t count;             /* how many */
    size_t visible;           /* how many show it in a visible test */
    char blocks[160];         /* the blocks it showed in */
    char factors[80];         /* the factors seen (constant_factor, loss_other_function) */
} tally_diagnosis;

typedef struct {
    const char *code;         /* compile_error, crash, timeout, out_of_memory, not_implemented */
    size_t students;
    const char *message;      /* the most common first message (not_implemented: the function) */
    size_t message_count;
} tally_failure;

typedef struct {
    const class_run *run;
    size_t students, graded, regrade;   /* graded: with a score (not regrade, max > 0) */
    double mean, median, min, max;      /* percent of the maximum, over the graded */
    size_t bins[TALLY_BINS];            /* [0, 10), ..., [90, 100] percent */
    size_t lab_students[TALLY_MAX_LAB]; /* students with a test of lab N */
    tally_test *tests;
    size_t ntests;
    tally_diagnosis *diags;             /* by lab, then by count, most first */
    size_t ndiags;
    tally_failure failures[TALLY_RUN_CODES];
} tally;

/* tally_make: counts run into *t (which points into run: keep it). Returns
 * 0, or -2 when out of memory. */
int tally_make(const class_run *run, tally *t);

void tally_free(tally *t);

/* tally_find: the diagnosis (function, code, detail) of t, or NULL. */
const tally_diagnosis *tally_find(const tally *t, const char *function, const char *code,
                                  const char *detail);

/* tally_find_test: the test of id `id`, or NULL. */
const tally_test *tally_find_test(const tally *t, const char *id);

/* tally_mistake: 1 when code is a mistake of the vocabulary's (verdict.h),
 * shown on the student page. */
int tally_mistake(const char *code);

#endif
