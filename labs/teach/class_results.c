/* class_results.c — results.json files into a class (class_results.h). */
#define _DEFAULT_SOURCE
#include "class_results.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "json.h"

enum { MAX_RESULTS_BYTES = 64 << 20 };

static char *dup_or(const char *s, const char *fallback, int *oom)
{
    char *d = strdup(s ? s : fallback);
    *oom |= d == NULL;
    return d;
}

static double number_or(const json_value *v, double fallback)
{
    return v && v->type == JSON_NUMBER ? v->number : fallback;
}

/* "lab3:..." or "lab3/...": 3; else 0. */
static int lab_of(const char *s)
{
    int lab = 0, n = 0;
    return s && sscanf(s, "lab%d%n", &lab, &n) == 1 && (s[n] == ':' || s[n] == '/') ? lab : 0;
}

/* One test of tests[]; -1 (err) when it is not a test object, -2 out of memory. */
static int read_test(const json_value *j, class_test *t, char *err, size_t size)
{
    int oom = 0;
    if (j->type != JSON_OBJECT)
        return snprintf(err, size, "a test is not an object"), -1;
    const json_value *x = json_get(j, "extra_data"), *score = json_get(j, "score");
    const char *name = json_text(json_get(j, "name")), *status = json_text(json_get(j, "status"));
    if ((score && score->type != JSON_NUMBER) ||
        (json_get(j, "max_score") && json_get(j, "max_score")->type != JSON_NUMBER))
        return snprintf(err, size, "a test's score is not a number"), -1;
    t->score = number_or(score, 0.0);
    t->max_score = number_or(json_get(j, "max_score"), t->score);
    int passed = status ? strcmp(status, "passed") == 0 : t->score >= t->max_score;
    const char *id = json_text(json_get(x, "test"));
    t->id = dup_or(id ? id : name, "(unnamed test)", &oom);
    t->name = dup_or(name, t->id ? t->id : "", &oom);
    t->visibility = dup_or(json_text(json_get(j, "visibility")), "visible", &oom);
    t->lab = lab_of(id) ? lab_of(id) : lab_of(name);
    t->code = dup_or(json_text(json_get(x, "code")), passed ? "passed" : "unrecorded", &oom);
    t->function = dup_or(json_text(json_get(x, "function")), "", &oom);
    t->block = dup_or(json_text(json_get(x, "block")), "", &oom);
    t->cause = dup_or(json_text(json_get(x, "cause")), "", &oom);
    t->detail = dup_or(json_text(json_get(x, "detail")), "", &oom);
    t->check = dup_or(json_text(json_get(x, "check")), "", &oom);
    t->factor = number_or(json_get(x, "factor"), NAN);
    return oom ? -2 : 0;
}

static void free_test(class_test *t)
{
    char *fields[] = { t->id, t->name, t->visibility, t->code, t->function, t->block, t->cause,
                       t->detail, t->check };
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
        free(fields[k]);
}

static void free_student(class_student *s)
{
    for (size_t i = 0; i < s->count; i++)
        free_test(&s->tests[i]);
    free(s->tests), free(s->name);
}

/* A results.json's object into *s: -1 (why into err) or -2 out of memory. */
static int read_student(const json_value *j, class_student *s, char *err, size_t size)
{
    const json_value *tests = json_get(j, "tests"), *score = json_get(j, "score");
    if (j->type != JSON_OBJECT)
        return snprintf(err, size, "it is not a JSON object"), -1;
    if (!tests && !score)
        return snprintf(err, size, "it has neither \"tests\" nor \"score\""), -1;
    if ((tests && tests->type != JSON_ARRAY) || (score && score->type != JSON_NUMBER))
        return snprintf(err, size, "\"tests\" is not an array or \"score\" not a number"), -1;
    size_t n = tests ? tests->count : 0;
    s->tests = calloc(n ? n : 1, sizeof *s->tests);
    if (!s->tests)
        return -2;
    double sum = 0, max = 0;
    for (size_t i = 0; i < n; i++) {
        int rc = read_test(&tests->items[i], &s->tests[i], err, size);
        s->count = i + 1;
        if (rc != 0)
            return rc;
        sum += s->tests[i].score, max += s->tests[i].max_score;
    }
    s->score = number_or(score, sum);
    s->max_score = max;
    s->regrade = n == 0 || json_get(json_get(j, "extra_data"), "regrade") != NULL;
    return 0;
}

static int read_file(const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n, f);
        if (n < cap || cap >= MAX_RESULTS_BYTES)
            break;
        char *bigger = realloc(b, 2 * cap);
        if (!bigger)
            free(b);
        b = bigger, cap *= 2;
    }
    int bad = ferror(f) || (b && n >= MAX_RESULTS_BYTES);
    fclose(f);
    if (!b)
        return errno = ENOMEM, -2;
    if (bad)
        return free(b), errno = bad && n >= MAX_RESULTS_BYTES ? EFBIG : EIO, -1;
    *text = b, *len = n;
    return 0;
}

static int add_student(class_run *run, const class_student *s)
{
    if (run->count == run->cap) {
        size_t cap = run->cap ? 2 * run->cap : 64;
        class_student *b = realloc(run->students, cap * sizeof *b);
        if (!b)
            return -2;
        run->students = b, run->cap = cap;
    }
    run->students[run->count++] = *s;
    return 0;
}

/* One results.json, named `name`. */
static int read_one(const char *path, const char *name, class_run *run, char *err, size_t size)
{
    char *text = NULL, why[300];
    size_t len = 0;
    int rc = read_file(path, &text, &len);
    if (rc != 0)
        return rc == -2 ? -2 : (snprintf(err, size, "%s: cannot read it: %s", path,
                                        errno == EFBIG ? "over 64 MiB" : strerror(errno)), -1);
    json_value j;
    rc = json_parse(text, len, &j, why, sizeof why);
    free(text);
    if (rc != 0)
        return rc == -2 ? -2 : (snprintf(err, size, "%s: not a results.json: %s", path, why), -1);
    class_student s = { 0 };
    rc = read_student(&j, &s, why, sizeof why);
    json_free(&j);
    if (rc == 0 && !(s.name = strdup(name)))
        rc = -2;
    if (rc == 0 && (rc = add_student(run, &s)) == 0)
        return 0;
    free_student(&s);
    if (rc == -1)
        snprintf(err, size, "%s: not a results.json: %s", path, why);
    return rc;
}

/* The student's name: the folder of `rel` ("a/b/results.json"), without a
 * last "results"; `fallback` when that leaves nothing. */
static void name_of(const char *rel, const char *fallback, char *buf, size_t size)
{
    snprintf(buf, size, "%s", rel);
    char *slash = strrchr(buf, '/');
    *(slash ? slash : buf) = '\0';
    size_t n = strlen(buf);
    if (n >= 7 && strcmp(buf + n - 7, "results") == 0 && (n == 7 || buf[n - 8] == '/'))
        buf[n == 7 ? 0 : n - 8] = '\0';
    if (!buf[0])
        snprintf(buf, size, "%s", fallback);
}

/* Every results.json under dir (rel: its path below the input folder). */
static int walk(const char *root, const char *rel, class_run *run, size_t *found, char *err,
                size_t size, int depth)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d)
        return snprintf(err, size, "%s: cannot read the folder: %s", path, strerror(errno)), -1;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096], full[8200];
        struct stat st;
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        if (lstat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < 16)
            rc = walk(root, sub, run, found, err, size, depth + 1);
        else if (S_ISREG(st.st_mode) && strcmp(e->d_name, "results.json") == 0) {
            char name[4096];
            const char *base = strrchr(root, '/');
            name_of(sub, base ? base + 1 : root, name, sizeof name);
            rc = read_one(full, name, run, err, size);
            ++*found;
        }
    }
    closedir(d);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const class_student *)a)->name, ((const class_student *)b)->name);
}

int class_read(const char *path, class_run *run, char *err, size_t size)
{
    struct stat st;
    size_t found = 0;
    int rc;
    if (stat(path, &st) != 0)
        return snprintf(err, size, "%s: %s", path, strerror(errno)), -1;
    if (S_ISDIR(st.st_mode)) {
        char root[4096];
        snprintf(root, sizeof root, "%s", path);
        for (size_t n = strlen(root); n > 1 && root[n - 1] == '/'; n--)
            root[n - 1] = '\0';
        rc = walk(root, "", run, &found, err, size, 0);
        if (rc == 0 && found == 0)
            rc = (snprintf(err, size, "%s: no results.json in this folder", path), -1);
    } else {
        const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
        char name[4096];
        if (strcmp(base, "results.json") != 0)
            return snprintf(err, size, "%s: not a results.json (a results.json file or a folder "
                            "of them)", path), -1;
        name_of(path, "student", name, sizeof name);
        const char *last = strrchr(name, '/');
        rc = read_one(path, last ? last + 1 : name, run, err, size);
    }
    if (rc == 0)
        qsort(run->students, run->count, sizeof *run->students, by_name);
    return rc;
}

void class_free(class_run *run)
{
    for (size_t i = 0; i < run->count; i++)
        free_student(&run->students[i]);
    free(run->students);
    memset(run, 0, sizeof *run);
}
