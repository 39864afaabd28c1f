/* doc.c — Markdown or HTML from the same calls (doc.h). */
#include "doc.h"

#include <string.h>

static const char style[] =
    "body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:.25em .5em;"
    "text-align:left;vertical-align:top}th{background:#eee}td.n{text-align:right}"
    "img{max-width:100%}code{background:#f4f4f4}";

/* Appends one character's markup to buf[*k]. */
static void put(char *buf, size_t size, size_t *k, const char *s)
{
    size_t n = strlen(s);
    if (*k + n < size) {
        memcpy(buf + *k, s, n);
        *k += n;
    }
}

char *doc_escape(const doc *d, const char *text, char *buf, size_t size)
{
    size_t k = 0;
    char one[2] = { 0, 0 };
    for (const char *p = text; *p && k + 1 < size; p++) {
        one[0] = *p;
        if (d->format == DOC_HTML)
            put(buf, size, &k, *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
                             : *p == '"' ? "&quot;" : *p == '\'' ? "&#39;" : one);
        else if (*p == '\n' || *p == '\r')
            put(buf, size, &k, " ");
        else {
            if (strchr("\\`*_[]<>|#!", *p))
                put(buf, size, &k, "\\");
            put(buf, size, &k, one);
        }
    }
    buf[k] = '\0';
    return buf;
}

char *doc_link(const doc *d, const char *text, const char *url, char *buf, size_t size)
{
    char t[400], u[600];
    doc_escape(d, text, t, sizeof t);
    if (d->format == DOC_HTML) {
        doc_escape(d, url, u, sizeof u);
        snprintf(buf, size, "<a href=\"%s\">%s</a>", u, t);
    } else {
        size_t k = 0;
        for (const char *p = url; *p && k + 4 < sizeof u; p++) {
            if (*p == '(' || *p == ')' || *p == ' ')
                k += (size_t)snprintf(u + k, sizeof u - k, "%%%02X", (unsigned char)*p);
            else
                u[k++] = *p;
        }
        u[k] = '\0';
        snprintf(buf, size, "[%s](%s)", t, u);
    }
    return buf;
}

char *doc_code(const doc *d, const char *text, char *buf, size_t size)
{
    char t[600];
    if (d->format == DOC_HTML)
        return snprintf(buf, size, "<code>%s</code>", doc_escape(d, text, t, sizeof t)), buf;
    size_t k = 0;
    for (const char *p = text; *p && k + 2 < sizeof t; p++)
        t[k++] = *p == '`' ? '\'' : *p == '\n' ? ' ' : *p == '|' ? '/' : *p;
    t[k] = '\0';
    snprintf(buf, size, "`%s`", t);
    return buf;
}

void doc_begin(doc *d, FILE *f, doc_format format, const char *title)
{
    char t[400];
    *d = (doc){ f, format, 0 };
    doc_escape(d, title, t, sizeof t);
    if (format == DOC_HTML)
        fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n<h1>%s</h1>\n", t, style, t);
    else
        fprintf(f, "# %s\n\n", t);
}

void doc_end(doc *d)
{
    if (d->format == DOC_HTML)
        fputs("</body>\n</html>\n", d->f);
}

void doc_heading(doc *d, int level, const char *id, const char *text)
{
    char t[400];
    doc_escape(d, text, t, sizeof t);
    if (d->format == DOC_HTML)
        fprintf(d->f, "<h%d id=\"%s\">%s</h%d>\n", level, id, t, level);
    else
        fprintf(d->f, "%.*s %s\n\n", level, "######", t);
}

void doc_para(doc *d, const char *markup)
{
    if (d->format == DOC_HTML)
        fprintf(d->f, "<p>%s</p>\n", markup);
    else
        fprintf(d->f, "%s\n\n", markup);
}

void doc_table(doc *d, const char *id, const char *const *head, size_t columns)
{
    char t[400];
    d->columns = columns;
    if (d->format == DOC_HTML)
        fprintf(d->f, "<table id=\"%s\">\n<thead><tr>", id);
    for (size_t i = 0; i < columns; i++) {
        doc_escape(d, head[i], t, sizeof t);
        fprintf(d->f, d->format == DOC_HTML ? "<th>%s</th>" : "| %s ", t);
    }
    if (d->format == DOC_HTML) {
        fputs("</tr></thead>\n<tbody>\n", d->f);
        return;
    }
    fputs("|\n", d->f);
    for (size_t i = 0; i < columns; i++)
        fputs("|---", d->f);
    fputs("|\n", d->f);
}

/* 1 when a cell is a number (right-aligned in HTML). */
static int numeric(const char *s)
{
    return s[0] && strspn(s, "0123456789.%+-") == strlen(s);
}

void doc_row(doc *d, const char *const *cells)
{
    if (d->format == DOC_HTML)
        fputs("<tr>", d->f);
    for (size_t i = 0; i < d->columns; i++)
        if (d->format == DOC_HTML)
            fprintf(d->f, numeric(cells[i]) ? "<td class=\"n\">%s</td>" : "<td>%s</td>", cells[i]);
        else
            fprintf(d->f, "| %s ", cells[i]);
    fputs(d->format == DOC_HTML ? "</tr>\n" : "|\n", d->f);
}

void doc_table_end(doc *d)
{
    d->columns = 0;
    fputs(d->format == DOC_HTML ? "</tbody>\n</table>\n" : "\n", d->f);
}

void doc_image(doc *d, const char *src, const char *alt)
{
    char a[400], s[400];
    doc_escape(d, alt, a, sizeof a);
    if (d->format == DOC_HTML)
        fprintf(d->f, "<p><img src=\"%s\" alt=\"%s\"></p>\n", doc_escape(d, src, s, sizeof s), a);
    else
        fprintf(d->f, "![%s](%s)\n\n", a, src);
}
