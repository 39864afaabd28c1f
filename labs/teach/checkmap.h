/* checkmap.h — what each graded check is about, for the grader's diagnosis
 * codes and the class report (instructor only): the student function a
 * check tests, the other student functions it reaches (so that a failure
 * that follows from another function's mistake is put down to that one),
 * the function behind each output block of a map check, and the handout
 * section that treats the function.
 *
 * A handout section is named by the handout's number and the words its
 * heading begins with ("04", "Common slips"), so it survives a renumbered
 * heading's anchor; checkmap_anchor turns it into the page and anchor
 * `make handouts` writes. */
#ifndef GRADLAB_CHECKMAP_H
#define GRADLAB_CHECKMAP_H

#include <stddef.h>

typedef struct {
    const char *check;       /* a registry check: "net2" */
    const char *function;    /* the student function it tests: "backward_row" */
    const char *calls;       /* the other student functions it reaches, space-separated */
    const char *by_block;    /* "x=flow_forward v=flow_forward": a block's own function, or NULL */
    const char *handout;     /* the handout's number: "04" */
    const char *section;     /* the start of its heading: "Common slips" */
} checkmap_entry;

extern const checkmap_entry checkmap[];     /* ended by an entry whose check is NULL */

/* checkmap_find: the entry of check `check`, or NULL. */
const checkmap_entry *checkmap_find(const char *check);

/* checkmap_function: the function behind `block` of the entry's check (its
 * by_block), else the entry's function; `check` itself when there is no
 * entry. Copied into buf. */
void checkmap_function(const char *check, const char *block, char *buf, size_t size);

/* checkmap_reaches: 1 when check `check` reaches student function `function`
 * other than through itself (its calls, or a block's function). */
int checkmap_reaches(const char *check, const char *function);

/* checkmap_is_function: 1 when `word` (up to its first non-identifier
 * character) names a student function some check tests or reaches. */
int checkmap_is_function(const char *word);

/* checkmap_primary: the check that tests `function` first (its first
 * entry: "net2" for backward_row), or NULL when no check is about it. */
const char *checkmap_primary(const char *function);

/* checkmap_section_of: the handout number and heading treating `function`:
 * its first entry's, or for a function only a block names (flow_log_abs_det)
 * its own; 0, or -1 when none does. */
int checkmap_section_of(const char *function, const char **handout, const char **section);

/* checkmap_anchor: the page and anchor of section `section` of handout
 * `handout` in handouts_dir (the Markdown sources): "04-two-layer-backprop.html#common-slips",
 * as pandoc names the heading; "04-two-layer-backprop.html" when no heading
 * begins with `section`. Returns 0, or -1 when no handouts_dir/HANDOUT-*.md
 * can be read. */
int checkmap_anchor(const char *handouts_dir, const char *handout, const char *section,
                    char *buf, size_t size);

#endif
