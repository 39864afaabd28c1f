/* report.c — a check's report as text (for people), TAP 13, JSON lines or
 * JUnit XML (for CI test reporters). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradcheck.h"

/* The length of the valid UTF-8 sequence at p (1..4), or 0 if invalid:
 * a stray continuation byte, a sequence cut short, an overlong form (C0 AF
 * for '/'), a UTF-16 surrogate (ED A0 80) or a code point past U+10FFFF. */
static size_t utf8_length(const unsigned char *p)
{
    static const unsigned long least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    size_t n = p[0] < 0x80 ? 1 : (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3
             : (p[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (n <= 1)
        return n;
    unsigned long cp = p[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

void gc_json_string(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    fputc('"', out);
    while (*p) {
        size_t n = utf8_length(p);
        if (n == 0) {
            fputc('?', out), p++;
        } else if (n > 1) {
            fwrite(p, 1, n, out), p += n;
        } else if (*p == '"' || *p == '\\') {
            fprintf(out, "\\%c", *p++);
        } else if (*p == '\n') {
            fputs("\\n", out), p++;
        } else if (*p == '\t') {
            fputs("\\t", out), p++;
        } else if (*p < 0x20 || *p == 0x7f) {
            fprintf(out, "\\u%04x", *p++);
        } else {
            fputc(*p++, out);
        }
    }
    fputc('"', out);
}

/* JSON has no NaN or Inf: those become null. */
static void print_json_number(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.17g", v);
    else
        fputs("null", out);
}

static int has_numbers(const gc_report *r)
{
    return r->nblocks > 0;
}

static void text_block(FILE *out, const gc_block_report *b)
{
    if (b->order != 0) {
        fprintf(out, "      %-12s Taylor remainder ~ t^%.2f (the lowest order of %zu random directions)%s\n",
                b->name, b->order, b->directions, isinf(b->order) ? " (exact: f is linear there)" : "");
        return;
    }
    if (b->entries && b->directions)
        fprintf(out, "      %-12s %zu of %zu entries + %zu values along random directions",
                b->name, b->checked, b->total, b->directions);
    else if (b->entries)
        fprintf(out, "      %-12s %zu/%zu entries", b->name, b->checked, b->total);
    else if (b->directions)
        fprintf(out, "      %-12s %zu of %zu coords + %zu directions (%zu evaluations; all %zu "
                "coords would take %zu)", b->name, b->checked, b->total, b->directions,
                2 * (b->checked + b->directions), b->total, 2 * b->total);
    else
        fprintf(out, "      %-12s %zu/%zu coords", b->name, b->checked, b->total);
    fprintf(out, "   max err %.2e at %s: analytic %.10g, numeric %.10g (%s %.2g)\n",
            b->max_err, b->where, b->analytic, b->numeric,
            b->refined ? "extrapolated; first h" : "h", b->step);
}

/* The values that passed only on the noise allowance, and the largest one. */
static void text_allowance(FILE *out, const gc_report *r)
{
    if (!r->relied)
        return;
    fprintf(out, "      allowance: %zu value%s agree%s only within the noise allowance; the "
            "largest at %s: err %.2e = rtol %.1e%s + %.2e of noise (f's round-off 8 eps |f| "
            "sqrt(n) / h: %.2e, the extrapolation's own error: %.2e)\n", r->relied,
            r->relied == 1 ? "" : "s", r->relied == 1 ? "s" : "", r->allowance_where,
            r->allowance_err, r->rtol, r->atol > 0 ? " (+ atol)" : "", r->allowance,
            r->allowance_roundoff, r->allowance - r->allowance_roundoff);
}

/* The last line: the loss (a map: log|det J|), evaluations, time. */
static void text_cost(FILE *out, const gc_report *r)
{
    int map = r->kind == GC_JACOBIAN || r->kind == GC_JVP || r->kind == GC_VJP;
    fputs("      ", out);
    if (map && isfinite(r->loss))
        fprintf(out, "log|det J| %.10g, ", r->loss);
    else if (!map && r->kind != GC_SECOND)
        fprintf(out, "loss %.10g, ", r->loss);
    else if (r->kind == GC_SECOND && r->order_want)
        fprintf(out, "loss %.10g, ", r->loss);
    if (r->precision == GC_FLOAT)
        fprintf(out, "in float (rtol %.1e), ", r->rtol);
    fprintf(out, "%zu evaluations, %.2f ms\n", r->evals, 1e3 * r->seconds);
}

static void print_text(FILE *out, int explain, const char *group, const gc_check *c,
                       const gc_report *r)
{
    fprintf(out, "%-7s %-20s ", gc_status_name(r->status), c->name);
    if (group)
        fprintf(out, "%s %d  ", group, c->group);
    fprintf(out, "%s\n", c->what ? c->what : "");
    for (size_t b = 0; b < r->nblocks; b++)
        text_block(out, &r->blocks[b]);
    if (r->extra[0])
        fprintf(out, "      also: %s\n", r->extra);
    if (r->status != GC_PASS && r->note[0])
        fprintf(out, "      why: %s\n", r->note);
    else if (r->note[0])
        fprintf(out, "      note: %s\n", r->note);
    if (r->warning[0])
        fprintf(out, "      warning: %s\n", r->warning);
    if (explain && r->diagnosis[0])
        fprintf(out, "      diagnosis: %s\n", r->diagnosis);
    text_allowance(out, r);
    if (r->kinks && isnan(r->kink_left))
        fprintf(out, "      KINK along %s: f is not differentiable at this point (its second "
                "difference shrinks like t); the Taylor test cannot judge it there: use "
                "--method central, which compares one-sided derivatives\n", r->kink_where);
    else if (r->kinks)
        fprintf(out, "      KINK at %s%s: f is not differentiable inside the stencil; left derivative "
                "%.6g, right %.6g, and the analytic %.6g %s\n", r->kink_where,
                r->kinks > 1 ? " and more" : "", r->kink_left, r->kink_right, r->kink_analytic,
                r->kink_side < 0 ? "is the left one (the check's convention)"
                : r->kink_side > 0 ? "is the right one (the check's convention)"
                : "lies between them (a valid choice)");
    if (r->status == GC_FAIL && r->nblocks > 1 && r->where[0]) {
        fprintf(out, "      worst: %s: analytic %.10g, numeric %.10g, err %.2e", r->where,
                r->analytic, r->numeric, r->max_err);
        if (r->refined)
            fprintf(out, " (numeric re-derived by extrapolation, +- %.1e)", r->refined_err_est);
        fputc('\n', out);
    }
    if (has_numbers(r) || r->evals)
        text_cost(out, r);
}

static void print_tap(FILE *out, size_t number, const char *group, const gc_check *c,
                      const gc_report *r)
{
    fprintf(out, "%s %zu - %s\n", r->status == GC_PASS ? "ok" : "not ok", number, c->name);
    fprintf(out, "  ---\n  status: %s\n", gc_status_name(r->status));
    if (group)
        fprintf(out, "  %s: %d\n", group, c->group);
    if (r->note[0]) {
        fputs("  message: ", out);
        gc_json_string(out, r->note);   /* a JSON string is valid YAML */
        fputc('\n', out);
    }
    if (r->diagnosis[0]) {
        fputs("  diagnosis: ", out);
        gc_json_string(out, r->diagnosis);
        fputc('\n', out);
    }
    if (r->warning[0]) {
        fputs("  warning: ", out);
        gc_json_string(out, r->warning);
        fputc('\n', out);
    }
    if (r->relied) {
        fprintf(out, "  relied_on_allowance: %zu\n  allowance: %.3e\n  allowance_where: ",
                r->relied, r->allowance);
        gc_json_string(out, r->allowance_where);
        fputc('\n', out);
    }
    if (r->kinks) {
        fprintf(out, "  kinks: %zu\n  kink_where: ", r->kinks);
        gc_json_string(out, r->kink_where);
        fputc('\n', out);
    }
    if (has_numbers(r)) {
        fprintf(out, "  max_err: %.3e\n  where: ", r->max_err);
        gc_json_string(out, r->where);
        fprintf(out, "\n  analytic: %.17g\n  numeric: %.17g\n  step: %.3e\n", r->analytic,
                r->numeric, r->step);
    }
    fprintf(out, "  evaluations: %zu\n  seconds: %.6f\n  ...\n", r->evals, r->seconds);
}

static void json_block(FILE *out, const gc_block_report *b)
{
    fputs("{\"name\":", out);
    gc_json_string(out, b->name);
    fprintf(out, ",\"total\":%zu,\"checked\":%zu,\"directions\":%zu,\"wrong\":%zu,\"max_err\":",
            b->total, b->checked, b->directions, b->wrong);
    print_json_number(out, b->max_err);
    fputs(",\"where\":", out);
    gc_json_string(out, b->where);
    fputs(",\"analytic\":", out);
    print_json_number(out, b->analytic);
    fputs(",\"numeric\":", out);
    print_json_number(out, b->numeric);
    fputs(",\"step\":", out);
    print_json_number(out, b->step);
    if (b->entries)
        fputs(",\"unit\":\"entries\"", out);
    if (b->directions)
        fprintf(out, ",\"wrong_directions\":%zu", b->wrong_directions);
    fputc('}', out);
}

/* The keys a report has only when they say something: kind, precision,
 * warning, noise allowance. */
static void json_extras(FILE *out, const gc_report *r)
{
    if (r->kind != GC_AUTO && r->kind != GC_GRADIENT)
        fprintf(out, ",\"kind\":\"%s\"", gc_kind_name(r->kind));
    if (r->precision == GC_FLOAT) {
        fputs(",\"precision\":\"float\",\"rtol\":", out);
        print_json_number(out, r->rtol);
    }
    if (r->warning[0]) {
        fputs(",\"warning\":", out);
        gc_json_string(out, r->warning);
    }
    if (r->relied) {
        fprintf(out, ",\"relied_on_allowance\":%zu,\"allowance\":", r->relied);
        print_json_number(out, r->allowance);
        fputs(",\"allowance_roundoff\":", out);
        print_json_number(out, r->allowance_roundoff);
        fputs(",\"allowance_where\":", out);
        gc_json_string(out, r->allowance_where);
    }
}

static void print_json(FILE *out, const char *group, const gc_check *c, const gc_report *r)
{
    fputs("{\"check\":", out);
    gc_json_string(out, c->name);
    if (group) {
        fputc(',', out);
        gc_json_string(out, group);
        fprintf(out, ":%d", c->group);
    }
    fprintf(out, ",\"status\":\"%s\",\"passed\":%s,\"loss\":", gc_status_name(r->status),
            r->status == GC_PASS ? "true" : "false");
    print_json_number(out, r->loss);
    fputs(",\"max_err\":", out);
    print_json_number(out, r->max_err);
    fputs(",\"where\":", out);
    gc_json_string(out, r->where);
    fputs(",\"analytic\":", out);
    print_json_number(out, r->analytic);
    fputs(",\"numeric\":", out);
    print_json_number(out, r->numeric);
    fputs(",\"step\":", out);
    print_json_number(out, r->step);
    fprintf(out, ",\"refined\":%s,\"evaluations\":%zu,\"seconds\":%.6f,\"note\":",
            r->refined ? "true" : "false", r->evals, r->seconds);
    gc_json_string(out, r->note);
    fputs(",\"diagnosis\":", out);
    gc_json_string(out, r->diagnosis);
    fputs(",\"also\":", out);
    gc_json_string(out, r->extra);
    fprintf(out, ",\"kinks\":%zu,\"taylor_order\":", r->kinks);
    print_json_number(out, r->order);
    json_extras(out, r);
    fputs(",\"blocks\":[", out);
    for (size_t b = 0; b < r->nblocks; b++) {
        if (b)
            fputc(',', out);
        json_block(out, &r->blocks[b]);
    }
    fputs("]}\n", out);
}

static int known_format(gc_format f)
{
    return f == GC_TEXT || f == GC_TAP || f == GC_JSON || f == GC_JUNIT;
}

/* 0, or -1 with errno (EIO when the stream left none) when the stream has
 * seen a write error. */
static int written(FILE *out)
{
    if (fflush(out) == 0 && !ferror(out))
        return 0;
    errno = errno ? errno : EIO;
    return -1;
}

/* The relative tolerance a header states: o's, or double's default. */
static double header_tol(const gc_options *o)
{
    return o->rtol > 0 ? o->rtol : 1e-6;
}

int gc_print_header(FILE *out, gc_format f, const gc_options *o, size_t count)
{
    if (!out || !o || !known_format(f)) {
        errno = EINVAL;
        return -1;
    }
    if (f == GC_TAP)
        fprintf(out, "TAP version 13\n1..%zu\n", count);
    if (f == GC_TEXT) {
        fprintf(out, "gradcheck: %zu check%s, %s differences, tol %.1e", count,
                count == 1 ? "" : "s", gc_method_name(o->method), header_tol(o));
        if (o->atol > 0)
            fprintf(out, ", atol %.1e", o->atol);
        if (o->step > 0)
            fprintf(out, ", step %.1e", o->step);
        if (o->nondet_tol > 0)
            fprintf(out, ", nondet_tol %.1e", o->nondet_tol);
        fprintf(out, ", seed %llu\n\n", (unsigned long long)o->seed);
    }
    if (f == GC_JSON) {
        fprintf(out, "{\"gradcheck\":\"%s\",\"method\":\"%s\",\"tol\":%.17g", GC_VERSION,
                gc_method_name(o->method), header_tol(o));
        if (o->atol > 0)
            fprintf(out, ",\"atol\":%.17g", o->atol);
        if (o->step > 0)
            fprintf(out, ",\"step\":%.17g", o->step);
        if (o->nondet_tol > 0)
            fprintf(out, ",\"nondet_tol\":%.17g", o->nondet_tol);
        fprintf(out, ",\"seed\":%llu,\"checks\":%zu}\n", (unsigned long long)o->seed, count);
    }
    return written(out);
}

int gc_print_report(FILE *out, gc_format f, int explain, size_t number, const char *group_word,
                    const gc_check *c, const gc_report *r)
{
    if (!out || !c || !c->name || !r || !known_format(f) || f == GC_JUNIT) {
        errno = EINVAL;                 /* JUnit needs every report at once: gc_print_junit */
        return -1;
    }
    if (f == GC_TAP)
        print_tap(out, number, group_word, c, r);
    else if (f == GC_JSON)
        print_json(out, group_word, c, r);
    else
        print_text(out, explain, group_word, c, r);
    return written(out);
}

int gc_print_summary(FILE *out, gc_format f, const size_t counts[GC_ERROR + 1])
{
    if (!out || !counts || !known_format(f)) {
        errno = EINVAL;
        return -1;
    }
    size_t failed = 0;
    for (int s = GC_FAIL; s <= GC_ERROR; s++)
        if (s != GC_NOT_IMPLEMENTED)
            failed += counts[s];
    if (f == GC_JSON) {
        fprintf(out, "{\"summary\":{\"checks\":%zu,\"passed\":%zu,\"failed\":%zu,"
                "\"not_implemented\":%zu}}\n", counts[GC_PASS] + failed + counts[GC_NOT_IMPLEMENTED],
                counts[GC_PASS], failed, counts[GC_NOT_IMPLEMENTED]);
        return written(out);
    }
    if (f == GC_JUNIT)
        return written(out);
    fprintf(out, "%sgradcheck: %zu passed, %zu failed", f == GC_TAP ? "# " : "\n",
            counts[GC_PASS], failed);
    if (counts[GC_NOT_IMPLEMENTED])
        fprintf(out, ", %zu not implemented", counts[GC_NOT_IMPLEMENTED]);
    fputc('\n', out);
    return written(out);
}

/* ---- JUnit XML ---- */

/* s as XML text or attribute value: markup escaped, invalid UTF-8 and the
 * control characters XML 1.0 forbids replaced by '?'. */
static void xml_text(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        size_t n = utf8_length(p);
        if (n == 0 || (n == 1 && *p < 0x20 && *p != '\n' && *p != '\t'))
            fputc('?', out), p += n ? n : 1;
        else if (n > 1)
            fwrite(p, 1, n, out), p += n;
        else if (*p == '&')
            fputs("&amp;", out), p++;
        else if (*p == '<')
            fputs("&lt;", out), p++;
        else if (*p == '>')
            fputs("&gt;", out), p++;
        else if (*p == '"')
            fputs("&quot;", out), p++;
        else
            fputc(*p++, out);
    }
}

/* The suite's name of a check: "lab 3" with group_word "lab", else "gradcheck". */
static void suite_name(char *buf, size_t size, const char *group_word, int group)
{
    if (group_word)
        snprintf(buf, size, "%s %d", group_word, group);
    else
        snprintf(buf, size, "gradcheck");
}

static void junit_case(FILE *out, const char *suite, const gc_check *c, const gc_report *r)
{
    fputs("    <testcase name=\"", out);
    xml_text(out, c->name);
    fputs("\" classname=\"", out);
    xml_text(out, suite);
    fprintf(out, "\" time=\"%.6f\"", r->seconds);
    if (r->status == GC_PASS) {
        fputs("/>\n", out);
        return;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem) {
        print_text(mem, 1, NULL, c, r);
        fclose(mem);
    }
    fputs(">\n      <failure type=\"", out);
    xml_text(out, gc_status_name(r->status));
    fputs("\" message=\"", out);
    xml_text(out, r->diagnosis[0] ? r->diagnosis : r->note[0] ? r->note : gc_status_name(r->status));
    fputs("\">", out);
    xml_text(out, text);
    fputs("</failure>\n    </testcase>\n", out);
    free(text);
}

int gc_print_junit(FILE *out, const char *group_word, const gc_check *const *checks,
                   const gc_report *reports, size_t n)
{
    errno = EINVAL;
    if (!out || (n && (!checks || !reports)))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!checks[i] || !checks[i]->name)
            return -1;
    unsigned char *done = calloc(n ? n : 1, 1);
    if (!done) {
        errno = ENOMEM;
        return -1;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"gradcheck\">\n", out);
    for (size_t i = 0; i < n; i++) {              /* one suite per group, in order of first use */
        if (done[i])
            continue;
        size_t tests = 0, failures = 0;
        double seconds = 0;
        for (size_t j = i; j < n; j++)
            if (checks[j]->group == checks[i]->group) {
                tests++;
                failures += reports[j].status != GC_PASS;
                seconds += reports[j].seconds;
            }
        char suite[64];
        suite_name(suite, sizeof suite, group_word, checks[i]->group);
        fputs("  <testsuite name=\"", out);
        xml_text(out, suite);
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" "
                "time=\"%.6f\">\n", tests, failures, seconds);
        for (size_t j = i; j < n; j++)
            if (!done[j] && checks[j]->group == checks[i]->group) {
                junit_case(out, suite, checks[j], &reports[j]);
                done[j] = 1;
            }
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
    free(done);
    return written(out);
}
