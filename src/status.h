/* status.h — how a function of gradlab says it failed: one convention for
 * src/ and labs/.
 *
 *   - A function whose result is a number (a loss) returns it; when scratch
 *     memory runs out it returns NaN with errno ENOMEM, so that memory is
 *     never mistaken for a loss that diverged (NaN, errno untouched).
 *   - Every other function that can fail returns a gl_status: GL_OK (0), or
 *     one of the negative codes below naming the failure. On a failure it
 *     has written nothing the caller reads (an output may hold partial
 *     values only when its contract says so).
 *   - A function that must tell a person why (a file, a table, a flag)
 *     writes one line into a buffer the caller gives, `why` of `size`
 *     bytes, as well.
 *   - An outcome is not a failure: a submission that does not compile, a
 *     check that fails, is said through an output argument, with GL_OK.
 * A program turns a status into its exit status (exits.h): GL_NO_MEMORY into
 * GL_EXIT_NO_MEMORY, GL_DIVERGED into GL_EXIT_FAILED, GL_BAD_INPUT and GL_IO
 * into GL_EXIT_USAGE, each after one line on stderr. */
#ifndef GRADLAB_STATUS_H
#define GRADLAB_STATUS_H

typedef enum {
    GL_OK = 0,
    GL_NO_MEMORY = -1,   /* memory ran out */
    GL_BAD_INPUT = -2,   /* an argument it cannot use: a size of 0, a value out of range */
    GL_SINGULAR = -3,    /* a layer that cannot be inverted: a scale that is 0 or not finite */
    GL_DIVERGED = -4,    /* a loss became NaN or infinite */
    GL_IO = -5,          /* a file could not be read or written (errno says why) */
    GL_FAILED = -6,      /* what it runs failed for a reason of its own (a sandbox, a child) */
} gl_status;

#endif
