/* unimplemented.h — the call that stands in for a function's body in the
 * student release: it reports the function as not written yet
 * instead of letting a check crash or fail on made-up numbers. */
#ifndef GRADLAB_UNIMPLEMENTED_H
#define GRADLAB_UNIMPLEMENTED_H

/* The exit status of a process that reached an unwritten function, and the
 * environment variable naming the descriptor to say so on: libgradcheck's
 * GC_EXIT_NOT_IMPLEMENTED and GC_REPORT_FD_ENV (gradcheck(3)), whose
 * gc_run_child sets it. src/ uses nothing of gradcheck/, so the values are
 * repeated here; a test holds them equal. */
#define GRADLAB_EXIT_NOT_IMPLEMENTED 77
#define GRADLAB_REPORT_FD_ENV "GRADLAB_REPORT_FD"

/* gradlab_not_implemented: says "not implemented: FUNCTION (FILE)" and ends
 * the process with status 77. The line goes to the file descriptor named by
 * the environment variable GRADLAB_REPORT_FD_ENV when it is set (gradcheck's
 * isolated checks and the grader's sandbox read it from there), and to
 * stderr otherwise. */
_Noreturn void gradlab_not_implemented(const char *function, const char *file);

#endif
