/* unimplemented.h — the call that stands in for a function's body in the
 * student release: it reports the function as not written yet
 * instead of letting a check crash or fail on made-up numbers. */
#ifndef GRADLAB_UNIMPLEMENTED_H
#define GRADLAB_UNIMPLEMENTED_H

/* gradlab_not_implemented: says "not implemented: FUNCTION (FILE)" and ends
 * the process with status GL_EXIT_NOT_IMPLEMENTED (exits.h: 77, gradcheck.h's
 * GC_EXIT_NOT_IMPLEMENTED). The line goes to the file descriptor named by
 * the environment variable GRADLAB_REPORT_FD when it is set (gradcheck's
 * isolated checks read it from there), and to stderr otherwise. */
_Noreturn void gradlab_not_implemented(const char *function, const char *file);

#endif
