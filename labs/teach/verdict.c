/* verdict.c — the diagnosis codes (verdict.h): the vocabulary, a test's
 * verdict from what the grader saw, and the failures that follow from
 * another function's mistake. */
#include "verdict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "checkmap.h"

#define CONTRACT "00", "What a check tests besides the numbers"

const verdict_kind verdict_kinds[VC_COUNT] = {
    [VC_APPLIES_AGAIN] = { "applies_again", "applies the function again to an argument that is "
        "its value already (sigmoid_grad given s = sigma(x) computes sigma(s))",
        "... applies ... to its argument again", 1, NULL, NULL },
    [VC_LAB_SLIP] = { "lab_slip", "a slip the lab's own check names", NULL, 1, NULL, NULL },
    [VC_OVERWRITES] = { "overwrites", "writes the gradient (=) where it must add it (+=)",
        "it overwrites instead of adding", 1, CONTRACT },
    [VC_CLEARS_BUFFER] = { "clears_buffer", "zeroes the caller's gradient buffer before adding",
        "it zeroes the caller's buffer", 1, CONTRACT },
    [VC_READS_BUFFER] = { "reads_buffer", "reads the gradient buffer it writes",
        "the loss must not read the gradient buffer", 1, CONTRACT },
    [VC_NULL_GRADIENT] = { "null_gradient", "a NULL gradient changes the loss or another gradient",
        "a gradient that is asked for comes out different when another one is NULL", 1, CONTRACT },
    [VC_STATE_BETWEEN_CALLS] = { "state_between_calls", "a second call does not add its gradient "
        "again (state kept between calls)", "it adds only on the first call", 1, CONTRACT },
    [VC_KINK] = { "kink", "the derivative at a kink lies outside the one-sided derivatives, or is "
        "not the one the check's convention asks for (relu_grad(0) = 0)",
        "... is at a kink (left derivative ..., right ...) and the analytic ...", 1, NULL, NULL },
    [VC_TRANSPOSED] = { "transposed", "a block holds the right numbers in transposed layout",
        "the right numbers in transposed layout", 1, NULL, NULL },
    [VC_REPEATED_INDEX_ONCE] = { "repeated_index_once", "an index repeated k times counted once "
        "(rows off by 1/k)", "rows ... are off by their own factor (...), the other rows are right: each factor is 1/k for a "
        "whole k, a repeated index counted once instead of once per occurrence?", 1,
        NULL, NULL },
    [VC_OPPOSITE_SIGN_ROWS] = { "opposite_sign_rows", "rows off by their own negative factor: a "
        "+1/-1 convention read one way in the loss, the other in the gradient",
        "rows ... are off by their own factor (...), the other rows are right; each factor has the "
        "opposite sign", 1, NULL, NULL },
    [VC_WRONG_ROWS] = { "wrong_rows", "the gradient added to the wrong rows",
        "the gradient went to the wrong rows", 1, NULL, NULL },
    [VC_TOUCHES_OTHER_ENTRIES] = { "touches_other_entries", "writes entries it has no gradient "
        "for", "it touches entries it has no gradient for", 1, CONTRACT },
    [VC_OFF_BY_ONE] = { "off_by_one", "a sum one term short or long (an index range off by one)",
        "a diagonal term ... (an index range off by one?)", 1, NULL, NULL },
    [VC_SIGN_FLIPPED] = { "sign_flipped", "the sign is flipped",
        "the sign is flipped (analytic = -numeric everywhere)", 1, NULL, NULL },
    [VC_CONSTANT_FACTOR] = { "constant_factor", "a constant factor k",
        "your gradient is ...x the true one everywhere (a constant factor)", 1, NULL, NULL },
    [VC_ROWS_LEFT_AT_ZERO] = { "rows_left_at_zero", "values left at zero: never computed, or "
        "never added", "it is zero everywhere: nothing is added into it", 1, NULL, NULL },
    [VC_NOT_FINITE] = { "not_finite", "NaN or inf where a finite value belongs (an overflow, "
        "log 0)", "the loss at the check point is ...", 1, NULL, NULL },
    [VC_LOSS_OTHER_FUNCTION] = { "loss_other_function", "the loss computes another function (a "
        "term missing, a mean for a sum), consistent with its own gradient or not",
        "the loss computes another function than the one asked", 1, CONTRACT },
    [VC_FEW_ENTRIES_WRONG] = { "few_entries_wrong", "a few entries wrong, the rest right (a term "
        "missing at a few places)", "only ... of ... entries ... wrong (first ...); the rest are right", 1, NULL, NULL },
    [VC_WRONG_VALUES] = { "wrong_values", "the values differ with no simple pattern",
        "no simple pattern", 1, NULL, NULL },
    [VC_CHECK_FAILED] = { "check_failed", "the check fails although the values agree with the "
        "reference's", "FAIL", 1, "00", "What else the checker refuses" },
    [VC_NOT_IMPLEMENTED] = { "not_implemented", "a function the test calls is a stub",
        "NOT IMPLEMENTED", 0, NULL, NULL },
    [VC_CRASH] = { "crash", "the test program crashed or exited (a signal, abort(), exit())",
        "crashed", 0, NULL, NULL },
    [VC_TIMEOUT] = { "timeout", "its CPU time ran out, or it waited for nothing",
        "an endless loop?", 0, NULL, NULL },
    [VC_OUT_OF_MEMORY] = { "out_of_memory", "its memory limit was reached", "out of memory", 0,
        NULL, NULL },
    [VC_COMPILE_ERROR] = { "compile_error", "the submission did not compile", "error:", 0, NULL,
        NULL },
    [VC_GRADER_FAILURE] = { "grader_failure", "the grader failed on it (not the student's "
        "doing): grade it again", "", 0, NULL, NULL },
    [VC_PASSED] = { "passed", "every value agrees with the reference's", "PASS", 0, NULL, NULL },
};

verdict_code verdict_parse(const char *name)
{
    for (int c = 0; c < VC_COUNT; c++)
        if (strcmp(verdict_kinds[c].name, name) == 0)
            return (verdict_code)c;
    return VC_COUNT;
}

int verdict_prefer(verdict_code a, verdict_code b)
{
    return a < b;
}

/* The checker's words for findings its report has no field for: the
 * contract's and a kink's. Matched in the note and the diagnosis. */
static const struct {
    const char *words;
    verdict_code code;
} checker_words[] = {
    { "it overwrites instead of adding", VC_OVERWRITES },
    { "it zeroes the caller's buffer", VC_CLEARS_BUFFER },
    { "touches entries it has no gradient for", VC_TOUCHES_OTHER_ENTRIES },
    { "does it read the buffer it writes", VC_READS_BUFFER },
    { "the loss must not read the gradient buffer", VC_READS_BUFFER },
    { "comes out different when another one is NULL", VC_NULL_GRADIENT },
    { "was written anyway, into another part's buffer", VC_NULL_GRADIENT },
    { "the loss changes with which gradients are asked for", VC_NULL_GRADIENT },
    { "it adds only on the first call", VC_STATE_BETWEEN_CALLS },
    { "is at a kink", VC_KINK },
};

static verdict_code from_report(const gc_report *r)
{
    if (!r || r->status == GC_PASS)
        return VC_COUNT;
    for (size_t i = 0; i < sizeof checker_words / sizeof checker_words[0]; i++)
        if (strstr(r->note, checker_words[i].words) || strstr(r->diagnosis, checker_words[i].words))
            return checker_words[i].code;
    return VC_COUNT;
}

/* The lab's words: "applies ... to its argument again", "relu_grad(0)
 * returns 1; gradlab's convention is 0" (a kink's convention), or another
 * slip it names (its words up to the first ": ", into detail). */
static verdict_code from_hint(const char *hint, verdict *v)
{
    if (!hint || !hint[0])
        return VC_COUNT;
    if (strstr(hint, "to its argument again"))
        return VC_APPLIES_AGAIN;
    if (strstr(hint, "gradlab's convention is"))      /* relu_grad(0): a kink's convention */
        return VC_KINK;
    const char *colon = strstr(hint, ": ");
    int len = colon ? (int)(colon - hint) : (int)strlen(hint);
    snprintf(v->detail, sizeof v->detail, "%.*s", len, hint);
    return VC_LAB_SLIP;
}

static verdict_code from_comparison(const comparison *c, verdict *v)
{
    if (!c || c->wrong == 0)
        return VC_COUNT;
    if (c->relation == REL_NOT_FINITE)
        return VC_NOT_FINITE;
    if (c->loss_wrong) {
        if ((c->relation == REL_FACTOR || c->relation == REL_SIGN) && !c->block[0])
            v->factor = c->factor;
        return VC_LOSS_OTHER_FUNCTION;
    }
    switch (c->relation) {
    case REL_ZERO: return VC_ROWS_LEFT_AT_ZERO;
    case REL_SIGN: return VC_SIGN_FLIPPED;
    case REL_FACTOR: return v->factor = c->factor, VC_CONSTANT_FACTOR;
    case REL_DIAGONAL_TERM: return VC_OFF_BY_ONE;
    case REL_TRANSPOSED: return VC_TRANSPOSED;
    case REL_WRONG_ROWS: return VC_WRONG_ROWS;
    case REL_EXTRA_ROWS: return VC_TOUCHES_OTHER_ENTRIES;
    case REL_ROW_FACTORS:
        return c->rows_repeat ? VC_REPEATED_INDEX_ONCE
             : c->rows_opposite ? VC_OPPOSITE_SIGN_ROWS : VC_WRONG_VALUES;
    case REL_FEW: return VC_FEW_ENTRIES_WRONG;
    default: return VC_WRONG_VALUES;
    }
}

/* The block the check's report found wrong, or the one its finding is
 * about ("dJ/dtheta[3]"), when nothing else named one. */
static void report_blocks(const gc_report *r, verdict *v)
{
    for (size_t b = 0; r && !v->block[0] && b < r->nblocks; b++)
        if (r->blocks[b].wrong)
            snprintf(v->block, sizeof v->block, "%s", r->blocks[b].name);
    if (r && !v->block[0] && r->status != GC_PASS)
        snprintf(v->block, sizeof v->block, "%.*s", (int)strcspn(r->where, "["), r->where);
}

/* The first line of the compiler's messages, without its line and column:
 * "net2.c: error: unknown type name 'this'". */
static void first_message(const char *said, char *buf, size_t size)
{
    size_t len = said ? strcspn(said, "\n") : 0;
    char line[400];
    snprintf(line, sizeof line, "%.*s", (int)len, said ? said : "");
    char *colon = strchr(line, ':'), *err = strstr(line, ": ");
    size_t skip = 0;
    if (colon && err && err > colon)
        skip = (size_t)(err - colon);              /* ":140:1" */
    if (colon)
        memmove(colon, colon + skip, strlen(colon + skip) + 1);
    snprintf(buf, size, "%.*s", (int)(size - 1), line);
}

/* How the run ended, when it gave no whole answer. */
static verdict_code from_run(const verdict_evidence *e, verdict *v)
{
    if (e->stub) {
        snprintf(v->function, sizeof v->function, "%.*s", (int)strcspn(e->stub, " "), e->stub);
        return VC_NOT_IMPLEMENTED;
    }
    snprintf(v->detail, sizeof v->detail, "%s", e->ended ? e->ended : "");
    if (e->out_of_memory)
        return VC_OUT_OF_MEMORY;
    return e->timed_out ? VC_TIMEOUT : VC_CRASH;
}

static verdict_code from_values(const verdict_evidence *e, verdict *v)
{
    verdict_code code = from_report(e->report);
    if (code == VC_COUNT)
        code = from_hint(e->hint, v);
    if (code == VC_COUNT)
        code = from_comparison(e->cmp, v);
    if (e->cmp && e->cmp->wrong)
        snprintf(v->block, sizeof v->block, "%s", e->cmp->block[0] ? e->cmp->block : e->cmp->blocks);
    if (code == VC_COUNT && isfinite(e->golden_ratio))
        v->factor = e->golden_ratio, code = VC_LOSS_OTHER_FUNCTION;
    if (code == VC_COUNT && e->report && e->report->status != GC_PASS)
        code = strstr(e->report->note, "is inf") || strstr(e->report->note, "is NaN") ||
               strstr(e->report->note, "not finite") ? VC_NOT_FINITE : VC_CHECK_FAILED;
    if (code == VC_COUNT)
        code = VC_WRONG_VALUES;
    report_blocks(e->report, v);
    return code;
}

void verdict_derive(const verdict_evidence *e, verdict *v)
{
    memset(v, 0, sizeof *v);
    v->factor = NAN;
    if (e->grader_failure)
        v->code = VC_GRADER_FAILURE;
    else if (e->compile_error)
        v->code = VC_COMPILE_ERROR, first_message(e->compiler_said, v->detail, sizeof v->detail);
    else if (e->broken)
        v->code = from_run(e, v);
    else if (e->passed)
        v->code = VC_PASSED;
    else
        v->code = from_values(e, v);
    if (v->code == VC_PASSED || v->code == VC_GRADER_FAILURE || v->code == VC_COMPILE_ERROR ||
        v->function[0])
        return;
    if (v->code == VC_APPLIES_AGAIN || v->code == VC_LAB_SLIP) {
        const char *hint = e->hint;
        if (checkmap_is_function(hint)) {
            snprintf(v->function, sizeof v->function, "%.*s", (int)strcspn(hint, " :("), hint);
            return;
        }
    }
    char first[64];
    snprintf(first, sizeof first, "%.*s", (int)strcspn(v->block, ","), v->block);
    checkmap_function(e->check, first, v->function, sizeof v->function);
}

/* 1 when a verdict is a failure of its own function (not following another's). */
static int own_failure(const verdict *v)
{
    return v->code != VC_PASSED && v->code != VC_GRADER_FAILURE && v->code != VC_COMPILE_ERROR &&
           !v->cause[0];
}

/* 1 when code names what the values have in common, not only that they differ. */
static int specific(verdict_code c)
{
    return c < VC_NOT_FINITE;
}

/* 1 when a failure of its own of function fn shows code c (on check `only`, when not NULL). */
static int shows(const verdict *v, const char *const *checks, size_t count, const char *fn,
                 verdict_code c, const char *only)
{
    for (size_t j = 0; j < count; j++)
        if (own_failure(&v[j]) && v[j].code == c && strcmp(v[j].function, fn) == 0 &&
            (!only || strcmp(checks[j], only) == 0))
            return 1;
    return 0;
}

/* 1 when test i (function F) shows F's own mistake rather than G's: a
 * specific code no own failure of G shows, which F's primary check shows. */
static int own_mistake(const verdict *v, const char *const *checks, size_t count, size_t i,
                       const char *G)
{
    const char *primary = checkmap_primary(v[i].function);
    return specific(v[i].code) && !shows(v, checks, count, G, v[i].code, NULL) && primary &&
           shows(v, checks, count, v[i].function, v[i].code, primary);
}

void verdict_attribute(verdict *v, const char *const *checks, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (!own_failure(&v[i]) || v[i].code == VC_NOT_IMPLEMENTED)   /* the stub named it */
            continue;
        for (size_t j = 0; j < count && !v[i].cause[0]; j++)          /* G fails on its own */
            if (j != i && own_failure(&v[j]) && strcmp(v[j].function, v[i].function) != 0 &&
                checkmap_reaches(checks[i], v[j].function) &&
                !checkmap_reaches(checks[j], v[i].function) &&
                !own_mistake(v, checks, count, i, v[j].function))
                snprintf(v[i].cause, sizeof v[i].cause, "%s", v[j].function);
    }
}
