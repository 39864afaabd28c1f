/* args.c — numbers in long options, for every lab program. */
#include "args.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

size_t arg_size(const char *prog, const char *opt, const char *s, size_t min, size_t max)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v < min || v > max) {
        fprintf(stderr, "%s: %s needs a whole number from %zu to %zu, got '%s'\n", prog, opt, min,
                max, s);
        exit(2);
    }
    return (size_t)v;
}

double arg_real(const char *prog, const char *opt, const char *s, int zero_ok)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0 || (v == 0 && !zero_ok)) {
        fprintf(stderr, "%s: %s needs a %s number, got '%s'\n", prog, opt,
                zero_ok ? "finite, non-negative" : "finite, positive", s);
        exit(2);
    }
    return v;
}
