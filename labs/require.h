/* require.h — a trainer's first step: are the lab functions it needs
 * written yet? In the student release an unwritten function is a stub that
 * names itself and exits 77 (src/unimplemented.c); a trainer asks before it
 * loads any data, so it refuses at once and names every missing function,
 * not only the first one training would reach. */
#ifndef GRADLAB_REQUIRE_H
#define GRADLAB_REQUIRE_H

#include <stddef.h>

/* A need calls one lab function on a tiny valid input (labs/labN/needs.h). */
typedef void (*lab_need)(void);

/* require_functions: runs each need in a child process. Returns when every
 * function is implemented. Otherwise prints one line,
 *   PROG: cannot start: not implemented yet: softmax (src/softmax.c), ...; ...
 * and exits 2. A need that crashes or loops is not judged here: training,
 * or gradcheck, will say more. */
void require_functions(const char *prog, int lab, const lab_need *needs, size_t n);

#endif
