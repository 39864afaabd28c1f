/* tally.c — a class's results counted (tally.h). */
#include "tally.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkmap.h"
#include "verdict.h"

static const char *const run_codes[TALLY_RUN_CODES] = {
    "compile_error", "crash", "timeout", "out_of_memory", "not_implemented"
};

/* A code's place in the order of preference; unknown codes last. */
static int rank(const char *code)
{
    verdict_code c = verdict_parse(code);
    return c == VC_COUNT ? (int)VC_COUNT : (int)c;
}

int tally_mistake(const char *code)
{
    verdict_code c = verdict_parse(code);
    return c != VC_COUNT && verdict_kinds[c].mistake;
}

/* A diagnosis a function's test can carry: not passed, not the grader's or
 * the compiler's (those are the submission's), not following another's. */
static int diagnosable(const class_test *t)
{
    return strcmp(t->code, "passed") != 0 && strcmp(t->code, "grader_failure") != 0 &&
           strcmp(t->code, "compile_error") != 0 && !t->cause[0];
}

static const char *function_of(const class_test *t)
{
    return t->function[0] ? t->function : t->check[0] ? t->check : t->id;
}

static const char *detail_of(const class_test *t)
{
    return strcmp(t->code, "lab_slip") == 0 ? t->detail : "";
}

static double percent(const class_student *s)
{
    return 100.0 * s->score / s->max_score;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int scores(tally *t)
{
    const class_run *run = t->run;
    double *p = malloc((run->count ? run->count : 1) * sizeof *p);
    if (!p)
        return -2;
    for (size_t i = 0; i < run->count; i++) {
        const class_student *s = &run->students[i];
        if (s->regrade || !(s->max_score > 0)) {
            t->regrade += s->regrade;
            continue;
        }
        double x = percent(s);
        p[t->graded++] = x;
        t->mean += x;
        int bin = (int)floor(x / (100.0 / TALLY_BINS));
        t->bins[bin < 0 ? 0 : bin >= TALLY_BINS ? TALLY_BINS - 1 : bin]++;
    }
    if (t->graded) {
        qsort(p, t->graded, sizeof *p, by_double);
        t->mean /= (double)t->graded;
        t->min = p[0], t->max = p[t->graded - 1];
        t->median = t->graded % 2 ? p[t->graded / 2]
                                  : 0.5 * (p[t->graded / 2 - 1] + p[t->graded / 2]);
    }
    free(p);
    return 0;
}

const tally_test *tally_find_test(const tally *t, const char *id)
{
    for (size_t i = 0; i < t->ntests; i++)
        if (strcmp(t->tests[i].test->id, id) == 0)
            return &t->tests[i];
    return NULL;
}

static int count_test(tally *t, const class_test *ct, size_t *cap)
{
    tally_test *row = (tally_test *)tally_find_test(t, ct->id);
    if (!row) {
        if (t->ntests == *cap) {
            size_t c = *cap ? 2 * *cap : 64;
            tally_test *b = realloc(t->tests, c * sizeof *b);
            if (!b)
                return -2;
            t->tests = b, *cap = c;
        }
        row = &t->tests[t->ntests++];
        *row = (tally_test){ ct, 0, 0, 0 };
    }
    row->taken++;
    row->passed += strcmp(ct->code, "passed") == 0 || (ct->max_score > 0 &&
                                                     ct->score >= ct->max_score);
    row->follows += ct->cause[0] != 0;
    return 0;
}

const tally_diagnosis *tally_find(const tally *t, const char *function, const char *code,
                                  const char *detail)
{
    for (size_t i = 0; i < t->ndiags; i++) {
        const tally_diagnosis *d = &t->diags[i];
        if (strcmp(d->function, function) == 0 && strcmp(d->code, code) == 0 &&
            strcmp(d->detail, detail) == 0)
            return d;
    }
    return NULL;
}

/* Appends word to a ", "-list unless it is there already. */
static void add_word(char *list, size_t size, const char *word)
{
    size_t n = strlen(word), used = strlen(list);
    for (const char *p = list; *p; ) {
        size_t k = strcspn(p, ",");
        if (k == n && strncmp(p, word, n) == 0)
            return;
        p += k + (p[k] == ',') + (p[k] == ',' && p[k + 1] == ' ');
    }
    if (n && used + n + 3 < size)
        snprintf(list + used, size - used, "%s%s", used ? ", " : "", word);
}

/* Appends each word of the ", "-list words. */
static void add_words(char *list, size_t size, const char *words)
{
    char word[160];
    for (const char *p = words; *p; ) {
        size_t k = strcspn(p, ",");
        snprintf(word, sizeof word, "%.*s", (int)k, p);
        add_word(list, size, word);
        p += k;
        p += strspn(p, ", ");
    }
}

/* The diagnosis of (function, code, detail), made when new. */
static tally_diagnosis *diagnosis_for(tally *t, const class_test *ct, size_t *cap)
{
    tally_diagnosis *d = (tally_diagnosis *)tally_find(t, function_of(ct), ct->code, detail_of(ct));
    if (d)
        return d;
    if (t->ndiags == *cap) {
        size_t c = *cap ? 2 * *cap : 32;
        tally_diagnosis *b = realloc(t->diags, c * sizeof *b);
        if (!b)
            return NULL;
        t->diags = b, *cap = c;
    }
    d = &t->diags[t->ndiags++];
    memset(d, 0, sizeof *d);
    d->function = function_of(ct), d->code = ct->code, d->detail = detail_of(ct), d->lab = ct->lab;
    d->who = malloc(t->run->count * sizeof *d->who);
    return d->who ? d : (t->ndiags--, NULL);
}

/* Student k's chosen test for function fn: the most specific code among
 * the tests of fn's primary check (checkmap.h) when one of them fails, else
 * among all of fn's (a relation on an edge case, one hidden unit and one
 * row, says less than the function's own check); over every test or the
 * visible ones only; NULL when none. */
static const class_test *chosen(const class_student *s, const char *fn, int visible_only)
{
    const class_test *best = NULL;
    const char *primary = checkmap_primary(fn);
    for (int pass = 0; pass < 2 && !best; pass++)
        for (size_t i = 0; i < s->count; i++) {
            const class_test *ct = &s->tests[i];
            if (!diagnosable(ct) || strcmp(function_of(ct), fn) != 0 ||
                (visible_only && strcmp(ct->visibility, "visible") != 0) ||
                (pass == 0 && (!primary || strcmp(ct->check, primary) != 0)))
                continue;
            if (!best || rank(ct->code) < rank(best->code))
                best = ct;
        }
    return best;
}

/* Student k's diagnoses: one per function. */
static int diagnose_student(tally *t, size_t k, size_t *cap)
{
    const class_student *s = &t->run->students[k];
    for (size_t i = 0; i < s->count; i++) {
        const class_test *ct = &s->tests[i];
        if (!diagnosable(ct) || chosen(s, function_of(ct), 0) != ct)
            continue;
        tally_diagnosis *d = diagnosis_for(t, ct, cap);
        if (!d)
            return -2;
        d->who[d->count++] = k;
        const class_test *seen = chosen(s, function_of(ct), 1);
        d->visible += seen && strcmp(seen->code, ct->code) == 0 &&
                      strcmp(detail_of(seen), detail_of(ct)) == 0;
        for (size_t j = 0; j < s->count; j++) {
            const class_test *o = &s->tests[j];
            if (diagnosable(o) && strcmp(function_of(o), d->function) == 0 &&
                strcmp(o->code, d->code) == 0) {
                char k_text[32];
                add_words(d->blocks, sizeof d->blocks, o->block);
                snprintf(k_text, sizeof k_text, "%.4g", o->factor);
                if (isfinite(o->factor))
                    add_word(d->factors, sizeof d->factors, k_text);
            }
        }
    }
    return 0;
}

static int by_lab_then_count(const void *a, const void *b)
{
    const tally_diagnosis *x = a, *y = b;
    if (x->lab != y->lab)
        return x->lab - y->lab;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    int c = strcmp(x->function, y->function);
    return c ? c : strcmp(x->code, y->code);
}

/* The runs that ended early: students, and the most common first message.
 * Returns 0, or -2 when out of memory. */
static int failures(tally *t)
{
    const class_run *run = t->run;
    for (int c = 0; c < TALLY_RUN_CODES; c++) {
        tally_failure *f = &t->failures[c];
        f->code = run_codes[c];
        const char **first = malloc((run->count ? run->count : 1) * sizeof *first);
        size_t n = 0;
        if (!first)
            return -2;
        for (size_t k = 0; k < run->count; k++) {
            const class_student *s = &run->students[k];
            for (size_t i = 0; i < s->count; i++)
                if (strcmp(s->tests[i].code, f->code) == 0) {
                    first[n++] = c == TALLY_RUN_CODES - 1 ? function_of(&s->tests[i])
                                                         : s->tests[i].detail;
                    break;
                }
        }
        f->students = n;
        for (size_t i = 0; i < n; i++) {
            size_t same = 0;
            for (size_t j = 0; j < n; j++)
                same += strcmp(first[i], first[j]) == 0;
            if (same > f->message_count)
                f->message = first[i], f->message_count = same;
        }
        free(first);
    }
    return 0;
}

int tally_make(const class_run *run, tally *t)
{
    memset(t, 0, sizeof *t);
    t->run = run;
    t->students = run->count;
    size_t tcap = 0, dcap = 0;
    if (scores(t) != 0)
        return -2;
    for (size_t k = 0; k < run->count; k++) {
        const class_student *s = &run->students[k];
        int seen[TALLY_MAX_LAB] = { 0 };
        for (size_t i = 0; i < s->count; i++) {
            if (count_test(t, &s->tests[i], &tcap) != 0)
                return -2;
            int lab = s->tests[i].lab;
            if (lab >= 0 && lab < TALLY_MAX_LAB && !seen[lab]++)
                t->lab_students[lab]++;
        }
        if (diagnose_student(t, k, &dcap) != 0)
            return -2;
    }
    qsort(t->diags, t->ndiags, sizeof *t->diags, by_lab_then_count);
    return failures(t);
}

void tally_free(tally *t)
{
    for (size_t i = 0; i < t->ndiags; i++)
        free(t->diags[i].who);
    free(t->diags), free(t->tests);
    memset(t, 0, sizeof *t);
}
