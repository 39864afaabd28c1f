/* build.h — compiles a student's probe in the sandbox: the stripped base
 * tree (built once) with the student's files over its stubs. Only the
 * probe's bytes come out, through a pipe, capped; the compiler's messages
 * are kept for the student's own files only. */
#ifndef GRADLAB_BUILD_H
#define GRADLAB_BUILD_H

#include <stddef.h>

#include "sandbox.h"
#include "status.h"

/* Builds base (a built tree) with the files in folder sub over its src/. The
 * outcome is said in *compiled: 1, and the probe written to probe_path
 * (0755); or 0, the student's code did not compile, and the student's
 * messages about names[0 .. count) in log. scratch is a folder of the
 * grader's the sandbox may use (uid and none isolations build there).
 * Returns GL_OK when the build ran (whatever its outcome), or the grader's
 * own failure with the reason in log: GL_FAILED (the sandbox could not be
 * set up, the compiler was stopped from outside its limits) or GL_IO (a
 * folder or the probe could not be written). */
int build_probe(const sandbox_cfg *cfg, const char *base, const char *sub, const char *scratch,
                const char *probe_path, char (*names)[64], size_t count, char *log, size_t size,
                int *compiled);

/* The compiler's messages about the student's files only: diagnostics whose
 * location is src/F.c (F.c of names), shown as F.c:LINE..., with their
 * source and caret lines, the linker's "undefined reference to" lines and
 * the compiler's own "out of memory" or "killed by a signal" lines;
 * everything else (other files' lines, make's) is counted, not shown. */
void build_messages(const char *raw, char (*names)[64], size_t count, char *out, size_t size);

#endif
