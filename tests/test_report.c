/* test_report.c — the class report's parts: the strict JSON reader, the
 * results.json files read into a class (refusing what is not one), and the
 * tally: a student counted once per function under its most specific code,
 * a failure that follows from another function's mistake not counted, the
 * visible count from visible tests only. The pages themselves are tested in
 * tests/report/ (run.sh, safe.sh, browser.sh, planted.sh). */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "class_results.h"
#include "json.h"
#include "tally.h"
#include "tests.h"

static int parses(const char *text)
{
    json_value v;
    char err[200];
    int rc = json_parse(text, strlen(text), &v, err, sizeof err);
    if (rc == 0)
        json_free(&v);
    return rc == 0;
}

START_TEST(json_is_read_strictly)
{
    json_value v;
    char err[200];
    const char *text = "{\"a\": [1, -2.5e3, true, false, null], \"s\": \"\\u00e9\\ud83d\\ude00\\n\\\"\"}";
    ck_assert_int_eq(json_parse(text, strlen(text), &v, err, sizeof err), 0);
    const json_value *a = json_get(&v, "a");
    ck_assert_uint_eq(a->count, 5);
    ck_assert_double_eq(a->items[1].number, -2500.0);
    ck_assert_int_eq(a->items[2].type, JSON_TRUE);
    ck_assert_str_eq(json_text(json_get(&v, "s")), "\xc3\xa9\xf0\x9f\x98\x80\n\"");
    ck_assert_ptr_null(json_get(&v, "b"));
    json_free(&v);
    const char *bad[] = { "", "{", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]", "{a:1}",
                          "[1] 2", "// c\n[1]", "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\u0000\"]",
                          "[\"a\tb\"]", "[\"\xff\"]", "[\"\xc0\x80\"]", "[\"\xed\xa0\x80\"]",
                          "[\"\\x\"]", "[tru]", "[1e999]", "\"abc" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!parses(bad[i]), "'%s' was taken for JSON", bad[i]);
    char deep[200] = "";
    for (int i = 0; i < 70; i++)
        strcat(deep, "[");
    ck_assert(!parses(deep));
    ck_assert(parses("  [ ]  ") && parses("{}") && parses("\"x\"") && parses("-0.5E-2"));
    text = "[1, 2";
    ck_assert_int_eq(json_parse(text, strlen(text), &v, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "byte 5") != NULL, "%s", err);
}
END_TEST

static char dir[64];

static void write_file(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0755);
        *slash = '/';
    }
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* A test of results.json: id, visibility, score of max, code, function, cause. */
static void test_json(char *buf, size_t size, const char *id, const char *vis, int score, int max,
                      const char *code, const char *fn, const char *cause)
{
    size_t used = strlen(buf);
    snprintf(buf + used, size - used, "%s{\"name\": \"%s\", \"score\": %d, \"max_score\": %d, "
             "\"visibility\": \"%s\", \"extra_data\": {\"code\": \"%s\", \"test\": \"%s\", "
             "\"function\": \"%s\", \"block\": \"dJ/dx\", \"factor\": %s, \"cause\": \"%s\", "
             "\"detail\": \"\"}}", strchr(buf, '{') ? ", " : "", id, score, max, vis, code, id, fn,
             strcmp(code, "constant_factor") == 0 ? "2" : "null", cause);
}

START_TEST(a_class_is_tallied)
{
    char a[4000] = "{\"tests\": [", b[4000] = "{\"tests\": [";
    temp_dir("report", dir, sizeof dir);
    /* ann: sigmoid_grad wrong_values (visible) and constant_factor (hidden): one student, the
     * more specific code; net2's failure follows from it. */
    test_json(a + 11, sizeof a - 11, "lab1:gradient:sigmoid_grad", "visible", 0, 2, "wrong_values",
              "sigmoid_grad", "");
    test_json(a + 11, sizeof a - 11, "lab1:reference:sigmoid_grad", "hidden", 0, 1,
              "constant_factor", "sigmoid_grad", "");
    test_json(a + 11, sizeof a - 11, "lab2:gradient:net2", "visible", 0, 4, "constant_factor",
              "backward_row", "sigmoid_grad");
    strcat(a, "]}");
    test_json(b + 11, sizeof b - 11, "lab1:gradient:sigmoid_grad", "visible", 2, 2, "passed",
              "sigmoid_grad", "");
    test_json(b + 11, sizeof b - 11, "lab1:reference:sigmoid_grad", "hidden", 0, 1,
              "constant_factor", "sigmoid_grad", "");
    test_json(b + 11, sizeof b - 11, "lab2:gradient:net2", "visible", 4, 4, "passed",
              "backward_row", "");
    strcat(b, "]}");
    write_file("ann/results.json", a);
    write_file("bob/results/results.json", b);
    write_file("bob/notes.txt", "not read");
    class_run run = { 0 };
    char err[300];
    ck_assert_msg(class_read(dir, &run, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(run.count, 2);
    ck_assert_str_eq(run.students[0].name, "ann");
    ck_assert_str_eq(run.students[1].name, "bob");
    ck_assert_double_eq(run.students[1].score, 6.0);
    tally t;
    ck_assert_int_eq(tally_make(&run, &t), 0);
    ck_assert_uint_eq(t.ndiags, 1);
    const tally_diagnosis *d = tally_find(&t, "sigmoid_grad", "constant_factor", "");
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->count, 2);              /* ann and bob */
    ck_assert_uint_eq(d->visible, 0);            /* ann's visible test said wrong_values; bob's passed */
    ck_assert_str_eq(d->factors, "2");
    ck_assert_ptr_null(tally_find(&t, "backward_row", "constant_factor", ""));
    const tally_test *net2 = tally_find_test(&t, "lab2:gradient:net2");
    ck_assert_uint_eq(net2->taken, 2);
    ck_assert_uint_eq(net2->passed, 1);
    ck_assert_uint_eq(net2->follows, 1);
    ck_assert_uint_eq(t.lab_students[1], 2);
    ck_assert_uint_eq(t.graded, 2);
    ck_assert_double_eq_tol(t.median, 0.5 * (0.0 + 600.0 / 7), 1e-9);
    tally_free(&t);
    class_free(&run);

    /* What is not a results.json is refused, naming it. */
    write_file("carl/results.json", "{\"tests\": [1, 2]}");
    ck_assert_int_eq(class_read(dir, &run, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "carl/results.json: not a results.json") != NULL, "%s", err);
    class_free(&run);
    write_file("carl/results.json", "[]");
    ck_assert_int_eq(class_read(dir, &run, err, sizeof err), -1);
    class_free(&run);
    write_file("carl/results.json", "{\"output\": \"no tests, no score\"}");
    ck_assert_int_eq(class_read(dir, &run, err, sizeof err), -1);
    class_free(&run);
    char csv[300];
    snprintf(csv, sizeof csv, "%s/bob/notes.txt", dir);
    ck_assert_int_eq(class_read(csv, &run, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "notes.txt: not a results.json") != NULL, "%s", err);
    class_free(&run);
    remove_dir(dir);
    mkdir(dir, 0755);
    ck_assert_int_eq(class_read(dir, &run, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "no results.json") != NULL, "%s", err);
    class_free(&run);
    remove_dir(dir);
}
END_TEST

Suite *suite_report(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_add_test(tc, json_is_read_strictly);
    tcase_add_test(tc, a_class_is_tallied);
    suite_add_tcase(s, tc);
    return s;
}
