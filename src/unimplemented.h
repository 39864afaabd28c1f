/* unimplemented.h — the call that stands in for a function's body in the
 * student release: it reports the function as not written yet
 * instead of letting a check crash or fail on made-up numbers. */
#ifndef GRADLAB_UNIMPLEMENTED_H
#define GRADLAB_UNIMPLEMENTED_H

/* The environment variable naming the descriptor to say "not implemented"
 * on: libgradcheck's GC_REPORT_FD_ENV (gradcheck(3)), whose gc_run_child
 * sets it. src/ uses nothing of gradcheck/, so the name is repeated here; a
 * test holds them equal, as it holds exits.h's GL_EXIT_NOT_IMPLEMENTED equal
 * to GC_EXIT_NOT_IMPLEMENTED. */
#define GRADLAB_REPORT_FD_ENV "GRADLAB_REPORT_FD"

/* gradlab_not_implemented: says "not implemented: FUNCTION (FILE)" and ends
 * the process with status GL_EXIT_NOT_IMPLEMENTED (exits.h: 77). The line
 * goes to the file descriptor named by GRADLAB_REPORT_FD_ENV when it is set
 * (gradcheck's isolated checks and the grader's sandbox read it from there),
 * and to stderr otherwise. */
_Noreturn void gradlab_not_implemented(const char *function, const char *file);

#endif
