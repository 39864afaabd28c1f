/* probe.h — how the grader (remote.c) asks a student's build (probe.c) for
 * numbers. The probe answers numeric queries only; every verdict is the
 * grader's. Requests come on descriptor 3, answers go out on 4; both sides
 * are built by the same compiler, so records are raw structs and doubles.
 *
 * Each request is a probe_req, then its doubles; each answer is doubles only,
 * as many as the grader expects from its own set-up of the same problem
 * (n = the problem's size, m = its map's, count = its outputs'):
 *
 *   SETUP    name, seed          -> probe_shape (status 0, n, m, count)
 *   RESET                        -> nothing
 *   LOSS     x[n] [grad[n]]      -> J [grad[n]]       flags 1: grad given
 *   PARTS    x[n] buf[n]         -> J buf[n]          flags: mask of parts asked
 *   MAP      in[m]               -> out[m]
 *   INVERSE  out[m]              -> in[m]
 *   JACOBIAN in[m]               -> rc J[m*m]
 *   LOGDET   in[m]               -> rc ld
 *   OUTPUTS                      -> values[count]
 *   BYE                          -> (the probe exits 0)
 *
 * A stub writes "not implemented: FUNCTION (FILE)" on its stderr and exits
 * GC_EXIT_NOT_IMPLEMENTED (src/unimplemented.c). */
#ifndef GRADLAB_PROBE_H
#define GRADLAB_PROBE_H

#include <stdint.h>

enum { PROBE_IN_FD = 3, PROBE_OUT_FD = 4 };

enum {
    PROBE_SETUP = 1, PROBE_RESET, PROBE_LOSS, PROBE_PARTS, PROBE_MAP, PROBE_INVERSE,
    PROBE_JACOBIAN, PROBE_LOGDET, PROBE_OUTPUTS, PROBE_BYE
};

typedef struct {
    uint32_t op;
    uint32_t flags;
    uint64_t seed;
    char name[48];           /* SETUP: the registry check */
} probe_req;

typedef struct {
    double status;           /* 0 set up; -1 no such check or out of memory */
    double n, m, count;
} probe_shape;

#define PROBE_MAX_VALUES 1000000   /* no problem of the labs has more */

#endif
