/* table.c — reads the grading tables (see table.h). */
#define _POSIX_C_SOURCE 200809L
#include "table.h"

#include "registry.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
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

/* Checks that a test has values to compare with the reference (a custom
 * check without an outputs hook has none). Returns 0 or -1 (out of memory too). */
static int comparable(const gc_check *c)
{
    gc_problem p;
    if (c->setup(&p, 1) != 0)
        return -1;
    size_t n = gc_output_count(&p);
    gc_problem_free(&p);
    return n > 0 ? 0 : -1;
}

/* Writes the reason (printf-style) into why and returns GL_BAD_INPUT. */
static int refuse(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return GL_BAD_INPUT;
}

/* One row "kind check points visibility" of lab `lab`'s table into *t.
 * GL_OK, or GL_BAD_INPUT with what is wrong in why. */
static int parse_row(const char *line, int lab, graded_test *t, char *why, size_t size)
{
    char kind[32], name[64], vis[32], extra[2];
    double points;
    int n = sscanf(line, "%31s %63s %lf %31s %1s", kind, name, &points, vis, extra);
    if (n != 4)
        return refuse(why, size, "expected: gradient|reference CHECK POINTS VISIBILITY");
    if (strcmp(kind, "gradient") != 0 && strcmp(kind, "reference") != 0)
        return refuse(why, size, "the kind is gradient or reference");
    t->kind = kind[0] == 'g' ? TEST_GRADIENT : TEST_REFERENCE;
    t->check = lab_find(name);
    if (!t->check)
        return refuse(why, size, "no such check (gradcheck --list names them)");
    if (t->check->group != lab)
        return refuse(why, size, "%s is a check of lab %d: the table of lab %d grades lab %d's "
                      "checks only", name, t->check->group, lab, lab);
    if (!(points > 0 && points <= 1000))
        return refuse(why, size, "points must be a number in (0, 1000]");
    if (!known_visibility(vis))
        return refuse(why, size, "visibility is visible, hidden, after_due_date or after_published");
    if (comparable(t->check) != 0)      /* every graded test is compared with the reference */
        return refuse(why, size, "this check has no values to compare with the reference "
                      "solution, so it cannot be graded");
    t->points = points;
    snprintf(t->visibility, sizeof t->visibility, "%s", vis);
    return GL_OK;
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

/* A seed: an unsigned 64-bit number, decimal or 0x...; no sign. */
static int parse_seed(const char *s, uint64_t *seed)
{
    s += strspn(s, " \t");
    int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *digits = s + 2 * hex;
    if (!(hex ? isxdigit((unsigned char)*digits) : isdigit((unsigned char)*digits)))
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(digits, &end, hex ? 16 : 10);
    if (errno || strspn(end, " \t") != strlen(end))
        return -1;
    *seed = v;
    return 0;
}

/* The line without a UTF-8 byte order mark (first line) and its line end
 * (\n or \r\n), and its leading blanks. */
static char *clean(char *line, size_t lineno)
{
    if (lineno == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
        line += 3;
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line + strspn(line, " \t");
}

/* Reads every row, lines of any length; the seed may come before or after
 * the rows, once. A row repeated, or a second seed, names both lines.
 * GL_OK, or a failure with what is wrong in why (*lineno 0: not one line's). */
static int read_rows(FILE *f, int lab, test_list *list, size_t *lineno, char *why, size_t size)
{
    char *buf = NULL;
    size_t cap = 0, seed_line = 0, first = list->count;
    uint64_t seed = 0;
    int rc = GL_OK;
    while (rc == GL_OK && getline(&buf, &cap, f) >= 0) {
        char *s = clean(buf, ++*lineno);
        if (*s == '#' || *s == '\0')
            continue;
        if (strncmp(s, "seed", 4) == 0 && (s[4] == ' ' || s[4] == '\t')) {
            if (seed_line)
                rc = refuse(why, size, "a second seed line (the first is line %zu)", seed_line);
            else if (parse_seed(s + 5, &seed) != 0)
                rc = refuse(why, size, "seed takes one unsigned 64-bit number, e.g. seed "
                            "0x2545f4914f6cdd1d");
            seed_line = *lineno;
            continue;
        }
        graded_test t = { 0 };
        t.line = *lineno;
        rc = parse_row(s, lab, &t, why, size);
        for (size_t i = first; rc == GL_OK && i < list->count; i++)
            if (list->tests[i].check == t.check && list->tests[i].kind == t.kind)
                rc = refuse(why, size, "this test is already row %zu", list->tests[i].line);
        if (rc == GL_OK && append(list, &t) != 0)
            rc = (refuse(why, size, "out of memory"), GL_NO_MEMORY);
    }
    free(buf);
    if (rc != GL_OK)
        return rc;
    if (list->count == first)
        return *lineno = 0, refuse(why, size, "the table has no tests");
    if (!seed_line)
        return *lineno = 0, refuse(why, size, "the table has no seed line (the hidden inputs "
                                   "need one)");
    for (size_t i = first; i < list->count; i++)
        list->tests[i].seed = seed;
    return GL_OK;
}

/* The lab whose table `path` is: N of its folder, .../labN/teach/table.txt; 0 when
 * the path is not a lab's table. */
static int table_lab(const char *path)
{
    static const char tail[] = "/teach/table.txt";
    size_t len = strlen(path), t = sizeof tail - 1;
    if (len < t || strcmp(path + len - t, tail) != 0)
        return 0;
    size_t end = len - t, start = end;          /* path[start, end): the lab's folder */
    while (start > 0 && path[start - 1] != '/')
        start--;
    int lab = 0, used = 0;
    if (strncmp(path + start, "lab", 3) != 0 || !isdigit((unsigned char)path[start + 3]) ||
        sscanf(path + start + 3, "%4d%n", &lab, &used) != 1 || start + 3 + (size_t)used != end)
        return 0;
    return lab;
}

int table_load(const char *path, test_list *list, char *err, size_t size)
{
    int lab = table_lab(path);
    if (lab <= 0) {
        snprintf(err, size, "%s: a grading table is labN/teach/table.txt, in the folder of the lab "
                 "it grades (labs/labN/)", path);
        return GL_BAD_INPUT;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, size, "%s: %s", path, strerror(errno));
        return GL_IO;
    }
    size_t lineno = 0, before = list->count;
    char why[160];
    int rc = read_rows(f, lab, list, &lineno, why, sizeof why);
    fclose(f);
    if (rc == GL_OK)
        return GL_OK;
    list->count = before;
    if (lineno)
        snprintf(err, size, "%s:%zu: %s", path, lineno, why);
    else
        snprintf(err, size, "%s: %s", path, why);
    return rc;
}

void table_free(test_list *list)
{
    free(list->tests);
    memset(list, 0, sizeof *list);
}

void test_name(const graded_test *t, char *buf, size_t size)
{
    snprintf(buf, size, "lab%d/%s: %s", t->check->group, t->check->name,
             t->kind == TEST_GRADIENT ? "gradients (checker) and values vs the reference"
                                      : "values vs the reference (hidden inputs)");
}

void test_id(const graded_test *t, char *buf, size_t size)
{
    snprintf(buf, size, "lab%d:%s:%s", t->check->group,
             t->kind == TEST_GRADIENT ? "gradient" : "reference", t->check->name);
}
