/* table.h — a lab's grading table, labs/labN/teach/table.txt.
 *
 *   # comment
 *   seed 0x2545f4914f6cdd1d          the secret the hidden inputs are drawn from (once per table)
 *   gradient   softmax  2  visible   the check through the checker, then its values
 *                                    vs the reference at inputs drawn for the submission
 *   reference  softmax  2  hidden    its values vs the reference at other such inputs
 *
 * A row: kind (gradient | reference), a check of the table's lab (the N of
 * its folder labN/), points (> 0) and Gradescope's visibility (visible |
 * hidden | after_due_date | after_published). */
#ifndef GRADLAB_TABLE_H
#define GRADLAB_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "gradcheck.h"
#include "status.h"

typedef enum { TEST_GRADIENT, TEST_REFERENCE } test_kind;

typedef struct {
    test_kind kind;
    const gc_check *check;
    double points;
    char visibility[32];
    uint64_t seed;            /* the table's secret seed: the key of its tests' hidden inputs */
    size_t line;              /* its line in the table */
} graded_test;

typedef struct {
    graded_test *tests;
    size_t count, cap;
} test_list;

/* Appends the rows of table `path` (.../labN/teach/table.txt) to *list.
 * Lines of any length, \n or \r\n, a UTF-8 byte order mark allowed.
 * Returns GL_OK, or a gl_status with one line "PATH:LINE: what is wrong" in
 * err (nothing appended from a bad table): GL_IO when it cannot be read,
 * GL_NO_MEMORY, or GL_BAD_INPUT: a path that does not name the table's lab,
 * a bad row, a check of another lab, a test repeated or a second seed (both
 * lines named), a seed that is not an unsigned 64-bit number. */
int table_load(const char *path, test_list *list, char *err, size_t size);

void table_free(test_list *list);

/* "lab3/naive_softmax: gradients (checker) and values vs the reference" or
 * "lab3/naive_softmax: values vs the reference (hidden inputs)". */
void test_name(const graded_test *t, char *buf, size_t size);

/* "lab3:gradient:naive_softmax", the gradebook's column. */
void test_id(const graded_test *t, char *buf, size_t size);

#endif
