/* table.c — reads the grading tables (see table.h). */
#include "table.h"

#include "registry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const visibilities[] = { "visible", "hidden", "after_due_date",
                                            "after_published" };

static int known_visibility(const char *v)
{
    for (size_t i = 0; i < sizeof visibilities / sizeof visibilities[0]; i++)
        if (strcmp(v, visibilities[i]) == 0)
            return 1;
    return 0;
}

/* Checks that a reference test has values to compare (a custom check
 * without an outputs hook has none). Returns 0 or -1 (out of memory too). */
static int comparable(const gc_check *c)
{
    gc_problem p;
    if (c->setup(&p, 1) != 0)
        return -1;
    size_t n = gc_output_count(&p);
    gc_problem_free(&p);
    return n > 0 ? 0 : -1;
}

/* One row "kind check points visibility" into *t. "" or what is wrong. */
static const char *parse_row(const char *line, graded_test *t)
{
    char kind[32], name[64], vis[32], extra[2];
    double points;
    int n = sscanf(line, "%31s %63s %lf %31s %1s", kind, name, &points, vis, extra);
    if (n != 4)
        return "expected: gradient|reference CHECK POINTS VISIBILITY";
    if (strcmp(kind, "gradient") != 0 && strcmp(kind, "reference") != 0)
        return "the kind is gradient or reference";
    t->kind = kind[0] == 'g' ? TEST_GRADIENT : TEST_REFERENCE;
    t->check = lab_find(name);
    if (!t->check)
        return "no such check (gradcheck --list names them)";
    if (!(points > 0 && points <= 1000))
        return "points must be a number in (0, 1000]";
    if (!known_visibility(vis))
        return "visibility is visible, hidden, after_due_date or after_published";
    if (t->kind == TEST_REFERENCE && comparable(t->check) != 0)
        return "this check has no values to compare with the reference: grade it by gradient only";
    t->points = points;
    snprintf(t->visibility, sizeof t->visibility, "%s", vis);
    return "";
}

static int append(test_list *list, const graded_test *t)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 32;
        graded_test *grown = realloc(list->tests, cap * sizeof *grown);
        if (!grown)
            return -1;
        list->tests = grown, list->cap = cap;
    }
    list->tests[list->count++] = *t;
    return 0;
}

/* Reads every row; the seed may come before or after the rows. */
static const char *read_rows(FILE *f, test_list *list, size_t *lineno)
{
    char line[512];
    int have_seed = 0;
    uint64_t seed = 0;
    size_t first = list->count;
    while (fgets(line, sizeof line, f)) {
        ++*lineno;
        char *s = line + strspn(line, " \t");
        if (*s == '#' || *s == '\n' || *s == '\0')
            continue;
        if (strncmp(s, "seed", 4) == 0 && (s[4] == ' ' || s[4] == '\t')) {
            char *end;
            errno = 0;
            seed = strtoull(s + 5, &end, 0);
            if (errno || end == s + 5 || strspn(end, " \t\r\n") != strlen(end))
                return "seed takes one number, e.g. seed 0x2545f4914f6cdd1d";
            have_seed = 1;
            continue;
        }
        graded_test t = { 0 };
        const char *why = parse_row(s, &t);
        if (why[0])
            return why;
        if (append(list, &t) != 0)
            return "out of memory";
    }
    if (list->count == first)
        return *lineno = 0, "the table has no tests";
    if (!have_seed)
        return *lineno = 0, "the table has no seed line (the hidden inputs need one)";
    for (size_t i = first; i < list->count; i++)
        list->tests[i].seed = seed;
    return "";
}

int table_load(const char *path, test_list *list, char *err, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, size, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t lineno = 0, before = list->count;
    const char *why = read_rows(f, list, &lineno);
    fclose(f);
    if (!why[0])
        return 0;
    list->count = before;
    if (lineno)
        snprintf(err, size, "%s:%zu: %s", path, lineno, why);
    else
        snprintf(err, size, "%s: %s", path, why);
    return -1;
}

void table_free(test_list *list)
{
    free(list->tests);
    memset(list, 0, sizeof *list);
}

void test_name(const graded_test *t, char *buf, size_t size)
{
    snprintf(buf, size, "lab%d/%s: %s", t->check->group, t->check->name,
             t->kind == TEST_GRADIENT ? "gradients (checker)"
                                      : "loss and gradients vs the reference (hidden inputs)");
}

void test_id(const graded_test *t, char *buf, size_t size)
{
    snprintf(buf, size, "lab%d:%s:%s", t->check->group,
             t->kind == TEST_GRADIENT ? "gradient" : "reference", t->check->name);
}
