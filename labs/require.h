/* require.h — a trainer's first step: are the lab functions it needs
 * written yet? In the student release an unwritten function is a stub that
 * names itself and exits 77 (src/unimplemented.c); a trainer asks before it
 * loads any data, so it refuses at once and names every missing function,
 * not only the first one training would reach. */
#ifndef GRADLAB_REQUIRE_H
#define GRADLAB_REQUIRE_H

#include <stddef.h>

/* require_functions: calls each named lab function ("softmax", "flow_forward",
 * ...: see require.c's list) on a tiny valid input, each in a child process.
 * Returns when all are implemented. Otherwise prints one line,
 *   PROG: cannot start: not implemented yet: softmax (src/softmax.c), ...; ...
 * and exits 2. An unknown name is a programming error: exits 70. */
void require_functions(const char *prog, int lab, const char *const *names, size_t n);

#endif
