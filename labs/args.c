/* args.c — numbers in long options, for every lab program. */
#include "args.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

_Noreturn void arg_fail(const char *prog, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

size_t arg_size(const char *prog, const char *opt, const char *s, size_t min, size_t max)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v < min || v > max)
        arg_fail(prog, "%s needs a whole number from %zu to %zu, got '%s'", opt, min, max, s);
    return (size_t)v;
}

double arg_real(const char *prog, const char *opt, const char *s, int zero_ok)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0 || (v == 0 && !zero_ok))
        arg_fail(prog, "%s needs a %s number, got '%s'", opt,
                 zero_ok ? "finite, non-negative" : "finite, positive", s);
    return v;
}
