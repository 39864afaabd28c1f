/* sandbox.h — runs one program in a child process with limits, for the grader.
 *
 * The child gets its own process group, stdin from /dev/null, stdout and
 * stderr into one pipe (the first bytes kept, the rest counted and dropped),
 * a report pipe on descriptor 3 (GRADLAB_REPORT_FD=3), the directory of
 * argv[0] as its working directory, and the limits below.
 * The parent kills the whole group when the wall-clock limit passes, so an
 * endless loop, a child that closes its pipes, or a forked grandchild all end. */
#ifndef GRADLAB_SANDBOX_H
#define GRADLAB_SANDBOX_H

#include <stddef.h>

typedef struct {
    double seconds;      /* wall clock; CPU time is limited to this + 1 s too */
    size_t memory_mb;    /* address space (RLIMIT_AS) */
    size_t file_mb;      /* the largest file it may write (RLIMIT_FSIZE) */
} sandbox_limits;

enum { SANDBOX_SAID = 600 };

typedef struct {
    int exited, code;         /* exited normally, with this status */
    int signal;               /* or killed by this signal (0: not) */
    int timed_out;            /* the grader killed it at the wall-clock limit */
    char *report;             /* what came on descriptor 3 (malloc'd; NUL-terminated) */
    size_t report_len;
    char said[SANDBOX_SAID];  /* the first bytes of stdout + stderr (NUL-terminated) */
    size_t said_total;        /* how many bytes it wrote there in all */
    double seconds;
} sandbox_run;

/* Runs argv[0] (a path) with argv under the limits and fills *out. At most
 * report_cap bytes of the report are kept. Returns 0, or -1 when the child
 * could not be started (out->said says why). Free out->report afterwards. */
int sandbox_exec(char *const argv[], const sandbox_limits *lim, size_t report_cap,
                 sandbox_run *out);

/* One line saying what happened to a run that sent no answer:
 * "crashed: Segmentation fault (signal 11) ...", "no answer after 10 s ...". */
void sandbox_describe(const sandbox_run *run, const sandbox_limits *lim, char *buf, size_t size);

#endif
