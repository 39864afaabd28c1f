/* args.h — the values of the lab programs' long options, each checked
 * against its own range. Anything else ends the program: one line on stderr
 * ("PROG: --opt needs ..., got 'x'") and exit status GL_EXIT_USAGE (2; the
 * statuses are named in exits.h). */
#ifndef GRADLAB_ARGS_H
#define GRADLAB_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "exits.h"

/* out_of_memory: "PROG: out of memory" on stderr; returns GL_EXIT_NO_MEMORY. */
int out_of_memory(const char *prog);

/* arg_fail: prints "PROG: " and the formatted message as one line on
 * stderr, then exits GL_EXIT_USAGE (bad usage or input). */
_Noreturn void arg_fail(const char *prog, const char *fmt, ...);

/* arg_size: a whole number in [min, max]: decimal, or hexadecimal after 0x;
 * no sign, no fraction, no trailing text. */
size_t arg_size(const char *prog, const char *opt, const char *s, size_t min, size_t max);

/* arg_seed: a seed, any unsigned 64-bit number (decimal or 0x...). */
uint64_t arg_seed(const char *prog, const char *opt, const char *s);

/* arg_real: a finite number in [min, max]. */
double arg_real(const char *prog, const char *opt, const char *s, double min, double max);

/* arg_out_dir: dir, made when it does not exist yet; exits GL_EXIT_USAGE when it is
 * empty, not a directory, or cannot be made. */
const char *arg_out_dir(const char *prog, const char *dir);

/* arg_none: a program that takes no arguments: --help prints usage and
 * exits GL_EXIT_DONE, anything else GL_EXIT_USAGE. */
void arg_none(const char *prog, int argc, char **argv, const char *usage);

#endif
