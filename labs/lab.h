/* lab.h — what the files of every lab share. A lab is a folder labs/labN/;
 * make compiles its files with LAB_NUMBER defined as N, the number in the
 * folder's name, so a check's lab is its folder's and is written nowhere by
 * hand. A lab's checks.c ends with its table, labN_checks (labs/registry.h),
 * whose rows read
 *
 *     { "softmax", LAB_NUMBER, "what it checks", setup_softmax, GOLDEN(softmax) },
 *
 * GOLDEN(name) is the check's golden losses: the loss at the golden inputs
 * (seeds GC_GOLDEN_SEED + 0, 1, 2), worked out from the reference solution.
 * They are in the lab's golden.h, which checks.c includes before its table;
 * golden.h is written from the reference, never by hand, one line per
 * check: GOLDEN_LOSSES(name, J0, J1, J2). A check with no loss to compare
 * (a map, a custom check) has NO_GOLDEN. */
#ifndef GRADLAB_LAB_H
#define GRADLAB_LAB_H

#include <stddef.h>

#ifndef LAB_NUMBER
#error "a lab's files are compiled with -DLAB_NUMBER=N, N of its folder labs/labN/ (make does it)"
#endif

/* How many golden inputs a check has. */
#define LAB_GOLDEN_POINTS 3

#ifdef LAB_GOLDEN_WRITER
/* Built to write golden.h: the values are what is being worked out. */
#define GOLDEN_LOSSES(name, ...)
#define GOLDEN(name) NULL, LAB_GOLDEN_POINTS
#else
#define GOLDEN_LOSSES(name, ...) static const double golden_##name[] = { __VA_ARGS__ };
#define GOLDEN(name) golden_##name, sizeof golden_##name / sizeof golden_##name[0]
#endif
#define NO_GOLDEN NULL, 0

#endif
