/* args.h — the numbers in the lab programs' long options. Anything that is
 * not such a number ends the program: one line on stderr ("PROG: --opt needs
 * ..., got 'x'") and exit status 2. */
#ifndef GRADLAB_ARGS_H
#define GRADLAB_ARGS_H

#include <stddef.h>

/* arg_fail: prints "PROG: " and the formatted message as one line on
 * stderr, then exits with status 2 (bad usage or input). */
_Noreturn void arg_fail(const char *prog, const char *fmt, ...);

/* arg_size: a whole number in [min, max] (no sign, no trailing text). */
size_t arg_size(const char *prog, const char *opt, const char *s, size_t min, size_t max);

/* arg_real: a finite number > 0, or >= 0 when zero_ok. */
double arg_real(const char *prog, const char *opt, const char *s, int zero_ok);

#endif
