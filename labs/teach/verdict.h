/* verdict.h — the grader's diagnosis codes: every graded test records,
 * beside its text, one code from this vocabulary (its stable name is what
 * results.json's extra_data and grades/verdicts.csv carry), the student
 * function it blames, the block where it shows, a factor or the lab's own
 * words when it has them, and the other function it follows from when its
 * failure is that function's mistake seen through this check.
 *
 * The codes, in the order of preference used when one function's tests of
 * one student show several (the most specific first):
 *
 *   applies_again        the function applied again to an argument that is its value already (sigma(s))
 *   lab_slip             a slip the lab's own check names (its words in detail)
 *   overwrites           the gradient written (=) where it must be added (+=)
 *   clears_buffer        the caller's gradient buffer zeroed before adding
 *   reads_buffer         the loss or gradient reads the gradient buffer it writes
 *   null_gradient        a NULL gradient changes the loss or another gradient
 *   state_between_calls  a second call does not add its gradient again
 *   kink                 the derivative at a kink lies outside the one-sided derivatives
 *                        (or is not the one the check's convention asks for: relu_grad(0) = 0)
 *   transposed           a block holds the right numbers in transposed layout
 *   repeated_index_once  rows off by 1/k: an index repeated k times counted once
 *   opposite_sign_rows   rows off by their own negative factor: two sign conventions
 *   wrong_rows           the gradient added to the wrong rows
 *   touches_other_entries  entries with no gradient written
 *   off_by_one           a sum one term short or long (log|det J|'s index range)
 *   sign_flipped         every wrong value is -1 times the right one
 *   constant_factor      every wrong value is k times the right one (factor k)
 *   rows_left_at_zero    the wrong values are 0: never computed or never added
 *   not_finite           NaN or inf where a finite value belongs (overflow, log 0)
 *   loss_other_function  the loss computes another function (factor k when it is k times)
 *   few_entries_wrong    a few entries wrong, the rest right (a term missing at a few places)
 *   wrong_values         the values differ with no simple pattern
 *   check_failed         the check fails although the values agree with the reference's
 *   not_implemented      a function the test calls is a stub
 *   crash                the test program crashed or exited (a signal, abort(), exit())
 *   timeout              its CPU time ran out, or it waited for nothing
 *   out_of_memory        its memory limit was reached
 *   compile_error        the submission did not compile
 *   grader_failure       the grader failed (not the student's doing): grade again
 *   passed               every value agrees (and the check passed)
 */
#ifndef GRADLAB_VERDICT_H
#define GRADLAB_VERDICT_H

#include <stddef.h>

#include "compare.h"
#include "gradcheck.h"

typedef enum {
    VC_APPLIES_AGAIN, VC_LAB_SLIP, VC_OVERWRITES, VC_CLEARS_BUFFER, VC_READS_BUFFER,
    VC_NULL_GRADIENT, VC_STATE_BETWEEN_CALLS, VC_KINK, VC_TRANSPOSED, VC_REPEATED_INDEX_ONCE,
    VC_OPPOSITE_SIGN_ROWS, VC_WRONG_ROWS, VC_TOUCHES_OTHER_ENTRIES, VC_OFF_BY_ONE,
    VC_SIGN_FLIPPED, VC_CONSTANT_FACTOR, VC_ROWS_LEFT_AT_ZERO, VC_NOT_FINITE,
    VC_LOSS_OTHER_FUNCTION, VC_FEW_ENTRIES_WRONG, VC_WRONG_VALUES, VC_CHECK_FAILED,
    VC_NOT_IMPLEMENTED, VC_CRASH, VC_TIMEOUT, VC_OUT_OF_MEMORY, VC_COMPILE_ERROR,
    VC_GRADER_FAILURE, VC_PASSED, VC_COUNT
} verdict_code;

/* One code of the vocabulary. */
typedef struct {
    const char *name;         /* "sign_flipped": stable, machine-readable */
    const char *meaning;      /* what the mistake is, for the report */
    const char *gradcheck;    /* how gradcheck's report says it, "..." where it names numbers or
                                 places (NULL: the lab's words, in detail) */
    int mistake;              /* 1: a mistake in the math or the contract (the student page lists it) */
    const char *handout;      /* a handout section treating the code itself ("00"), or NULL: */
    const char *section;      /* the section of the function's own handout */
} verdict_kind;

extern const verdict_kind verdict_kinds[VC_COUNT];

/* verdict_parse: the code named `name`; VC_COUNT when there is none. */
verdict_code verdict_parse(const char *name);

typedef struct {
    verdict_code code;
    char function[48];        /* the student function it blames ("" when none) */
    char block[160];          /* where it shows: "dJ/dU", "dJ/dv_c, dJ/dU" ("" when nowhere) */
    double factor;            /* constant_factor, loss_other_function: k (NAN: none) */
    char detail[160];         /* lab_slip: the lab's words; crash, timeout, compile_error: the first line */
    char cause[48];           /* the failure follows from this function's own mistake ("" none) */
} verdict;

/* What the grader saw of one test, to derive its verdict from. */
typedef struct {
    const char *check;            /* the check's registry name */
    int grader_failure;           /* the grader failed on it */
    int compile_error;            /* the submission did not compile */
    const char *compiler_said;    /* the compiler's messages (compile_error) */
    int broken;                   /* the probe's answers ended before the test did: */
    const char *stub;             /*   "FUNCTION (src/FILE.c)" of the stub it reached, or NULL */
    int timed_out, out_of_memory; /*   a limit of its own */
    const char *ended;            /*   what ended it, one line ("crashed: Segmentation fault ...") */
    const gc_report *report;      /* the check's report on the probe's answers (NULL: none ran) */
    double golden_ratio;          /* a failed golden loss: the student's over the golden (NAN: none) */
    const comparison *cmp;        /* the comparison with the reference that failed (NULL: none) */
    const char *hint;             /* the lab's explain hook's words at that input ("" or NULL: none) */
    int passed;                   /* the test scored */
} verdict_evidence;

/* verdict_derive: the verdict of one test from what the grader saw. The
 * run's end first (grader, compiler, stub, limits, crash), then the
 * check's findings on the contract and at a kink, the lab's words, the
 * relation with the reference, a golden loss, else wrong_values or
 * check_failed. */
void verdict_derive(const verdict_evidence *e, verdict *v);

/* verdict_attribute: for one student's tests (checks[i] the check of v[i]):
 * a failing test of function F whose check reaches another function G
 * (checkmap.h) that fails a test of its own, on a check that does not reach
 * F in turn, is marked as following from G (v[i].cause = G), unless it shows a specific code (sign_flipped ..
 * rows_left_at_zero) that none of G's own failures shows and that F's
 * primary check shows too: then it is F's own mistake. A stub's test is
 * never marked: the stub named its function. */
void verdict_attribute(verdict *v, const char *const *checks, size_t count);

/* verdict_prefer: 1 when code a is more specific than b (the order above). */
int verdict_prefer(verdict_code a, verdict_code b);

#endif
