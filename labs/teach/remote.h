/* remote.h — a check's problem whose student functions are answered by a
 * probe in the sandbox (probe.h), so that the grader runs the checker, the
 * golden losses and the reference comparison itself, on numbers it received.
 *
 * remote_setup sets the check's problem up here (the reference's context,
 * point and blocks) and the same problem in the probe, then routes every
 * call the checker makes into student code (the loss, its parts, reset, a
 * map's functions, a custom check's outputs) to the probe. A short,
 * malformed or unasked-for answer, or a probe that is gone, breaks the
 * connection: every later call gives NaN, and `why` says what happened. */
#ifndef GRADLAB_REMOTE_H
#define GRADLAB_REMOTE_H

#include <stdint.h>

#include "gradcheck.h"
#include "sandbox.h"

typedef struct {
    sandbox_run *run;
    int broken;
    char why[160];           /* "" when the run ended on its own (sandbox_describe says how) */
} remote_conn;

/* Sets check c's problem up at seed here and in the probe; p's student
 * calls go to conn. Returns 0, or -1 (conn broken, or out of memory: p is
 * then empty). Free with gc_problem_free. */
int remote_setup(remote_conn *conn, const gc_check *c, uint64_t seed, gc_problem *p);

/* Ends the probe's session (BYE) when the connection is whole. */
void remote_close(remote_conn *conn);

#endif
