/* probe.h — what grade-probe (probe.c) sends the grader (grade.c) on the
 * descriptor named by GRADLAB_REPORT_FD. Both are built from the same tree
 * with the same compiler, so the records are raw structs and doubles.
 *
 *   check:    probe_head{ "GLCHECK", sizeof(gc_report) }  gc_report
 *   outputs:  probe_head{ "GLOUTS",  count }              double[count]
 *
 * A stub writes "not implemented: FUNCTION (FILE)" on the same descriptor
 * and exits 77 instead (src/unimplemented.c). */
#ifndef GRADLAB_PROBE_H
#define GRADLAB_PROBE_H

#include <stdint.h>

#define PROBE_TAG_CHECK   "GLCHECK"
#define PROBE_TAG_OUTPUTS "GLOUTS"
#define PROBE_MAX_OUTPUTS 100000

typedef struct {
    char tag[8];
    uint64_t count;
} probe_head;

#endif
