/* results.c — results.json (Gradescope's autograder schema: score,
 * execution_time, output, tests[] with name, score, max_score, status,
 * output, visibility and extra_data, which holds the test's verdict), the
 * gradebook's CSV rows and the record of verdicts. */
#define _POSIX_C_SOURCE 200809L
#include "results.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gradcheck.h"

double results_score(const student_result *s)
{
    double sum = 0.0;
    for (size_t i = 0; i < s->count; i++)
        sum += s->tests[i].score;
    return sum;
}

double results_max_score(const student_result *s)
{
    double sum = 0.0;
    for (size_t i = 0; i < s->count; i++)
        sum += s->tests[i].max_score;
    return sum;
}

/* A JSON member "key": "value" after a comma. */
static void json_member(FILE *out, const char *key, const char *value)
{
    fprintf(out, ", \"%s\": ", key);
    gc_json_string(out, value);
}

/* The test's verdict (verdict.h) as its extra_data. */
static void json_verdict(FILE *out, const test_result *t)
{
    const verdict *v = &t->verdict;
    fputs(",\n     \"extra_data\": {\"code\": ", out);
    gc_json_string(out, verdict_kinds[v->code].name);
    json_member(out, "test", t->id);
    json_member(out, "check", t->check);
    json_member(out, "function", v->function);
    json_member(out, "block", v->block);
    if (isfinite(v->factor))
        fprintf(out, ", \"factor\": %.10g", v->factor);
    else
        fputs(", \"factor\": null", out);
    json_member(out, "cause", v->cause);
    json_member(out, "detail", v->detail);
    fputc('}', out);
}

static void json_test(FILE *out, const test_result *t, size_t number)
{
    fprintf(out, "    {\"number\": \"%zu\", \"name\": ", number);
    gc_json_string(out, t->name);
    fprintf(out, ", \"score\": %.10g, \"max_score\": %.10g, \"status\": \"%s\",\n"
            "     \"visibility\": \"%s\", \"output\": ", t->score, t->max_score,
            t->score >= t->max_score ? "passed" : "failed", t->visibility);
    gc_json_string(out, t->output);
    json_verdict(out, t);
    fputc('}', out);
}

static void json_write(FILE *out, const student_result *s)
{
    fprintf(out, "{\n  \"score\": %.10g,\n  \"execution_time\": %.0f,\n  \"output\": ",
            results_score(s), s->seconds + 0.5);
    gc_json_string(out, s->output ? s->output : "");
    fputs(",\n  \"stdout_visibility\": \"hidden\",\n  \"extra_data\": {\"isolation\": ", out);
    gc_json_string(out, s->isolation ? s->isolation : "");
    fputs(", \"submission\": ", out);
    gc_json_string(out, s->submission ? s->submission : "");
    if (s->regrade) {
        fputs(", \"regrade\": ", out);
        gc_json_string(out, s->regrade);
    }
    fputs("},\n  \"tests\": [\n", out);
    for (size_t i = 0; i < s->count; i++) {
        json_test(out, &s->tests[i], i + 1);
        fputs(i + 1 < s->count ? ",\n" : "\n", out);
    }
    fputs("  ]\n}\n", out);
}

int results_write_json(const char *path, const student_result *s)
{
    gc_outfile o;
    if (gc_outfile_open(&o, path) != 0)
        return -1;
    json_write(o.f, s);
    return gc_outfile_commit(&o);
}

/* One CSV field, RFC 4180 quoting where it needs it; a field a spreadsheet
 * would read as a formula (it starts with =, +, -, @, a tab or a carriage
 * return) gets a leading apostrophe, as spreadsheets expect of text. */
void results_csv_field(FILE *out, const char *s)
{
    int formula = s[0] && strchr("=+-@\t\r", s[0]) != NULL;
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(formula ? "'" : "", out);
        fputs(s, out);
        return;
    }
    fputc('"', out);
    if (formula)
        fputc('\'', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void results_csv_header(FILE *out, const student_result *s)
{
    fputs("student,score,max_score", out);
    for (size_t i = 0; i < s->count; i++) {
        fputc(',', out);
        results_csv_field(out, s->tests[i].id);
    }
    fputs(",status\n", out);
}

void results_csv_row(FILE *out, const student_result *s)
{
    results_csv_field(out, s->student);
    fprintf(out, ",%.10g,%.10g", results_score(s), results_max_score(s));
    for (size_t i = 0; i < s->count; i++)
        fprintf(out, ",%.10g", s->tests[i].score);
    fputs(s->regrade ? ",regrade\n" : ",graded\n", out);
}

void results_verdicts_header(FILE *out)
{
    fputs("student,test,visibility,score,max_score,code,function,block,factor,cause,detail\n", out);
}

void results_verdicts_rows(FILE *out, const student_result *s)
{
    for (size_t i = 0; i < s->count; i++) {
        const test_result *t = &s->tests[i];
        const verdict *v = &t->verdict;
        const char *fields[] = { s->student, t->id, t->visibility };
        for (size_t k = 0; k < 3; k++) {
            results_csv_field(out, fields[k]);
            fputc(',', out);
        }
        fprintf(out, "%.10g,%.10g,%s,", t->score, t->max_score, verdict_kinds[v->code].name);
        results_csv_field(out, v->function);
        fputc(',', out);
        results_csv_field(out, v->block);
        if (isfinite(v->factor))
            fprintf(out, ",%.10g,", v->factor);
        else
            fputs(",,", out);
        results_csv_field(out, v->cause);
        fputc(',', out);
        results_csv_field(out, v->detail);
        fputc('\n', out);
    }
}
