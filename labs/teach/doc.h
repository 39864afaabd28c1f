/* doc.h — one document written as Markdown or as an HTML page (the class
 * report's pages): headings, paragraphs, tables, pictures, links. Text
 * given as `text` is escaped for the format; a table cell or paragraph is
 * markup made with doc_escape and doc_link (so a link survives in both). */
#ifndef GRADLAB_DOC_H
#define GRADLAB_DOC_H

#include <stddef.h>
#include <stdio.h>

typedef enum { DOC_MARKDOWN, DOC_HTML } doc_format;

typedef struct {
    FILE *f;
    doc_format format;
    size_t columns;           /* of the table being written (0: none) */
} doc;

/* doc_begin: the page's head (HTML: its style) and its title as a heading. */
void doc_begin(doc *d, FILE *f, doc_format format, const char *title);
void doc_end(doc *d);

/* doc_heading: a level-2 or -3 heading; id names it (HTML's id, for links). */
void doc_heading(doc *d, int level, const char *id, const char *text);

/* doc_para: a paragraph of markup. */
void doc_para(doc *d, const char *markup);

/* doc_table: a table whose header cells are texts; doc_row: a row of
 * markup cells; doc_table_end ends it. id names it (HTML). */
void doc_table(doc *d, const char *id, const char *const *head, size_t columns);
void doc_row(doc *d, const char *const *cells);
void doc_table_end(doc *d);

/* doc_image: a picture at src (relative to the page). */
void doc_image(doc *d, const char *src, const char *alt);

/* doc_escape: text as markup, into buf (truncated to fit). Returns buf. */
char *doc_escape(const doc *d, const char *text, char *buf, size_t size);

/* doc_link: a link with text `text` to url, as markup into buf. Returns buf. */
char *doc_link(const doc *d, const char *text, const char *url, char *buf, size_t size);

/* doc_code: text shown as code (`...`, <code>), as markup into buf. Returns buf. */
char *doc_code(const doc *d, const char *text, char *buf, size_t size);

#endif
