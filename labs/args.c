/* args.c — option values for every lab program (see args.h). */
#define _POSIX_C_SOURCE 200809L
#include "args.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

_Noreturn void arg_fail(const char *prog, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(GL_EXIT_USAGE);
}

int out_of_memory(const char *prog)
{
    fprintf(stderr, "%s: out of memory\n", prog);
    return GL_EXIT_NO_MEMORY;
}

/* s as an unsigned 64-bit whole number; 0 when it is not one. */
static int whole(const char *s, unsigned long long *v)
{
    int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *digits = s + 2 * hex;
    if (!(hex ? isxdigit((unsigned char)*digits) : isdigit((unsigned char)*digits)))
        return 0;
    char *end;
    errno = 0;
    *v = strtoull(digits, &end, hex ? 16 : 10);
    return !errno && *end == '\0';
}

size_t arg_size(const char *prog, const char *opt, const char *s, size_t min, size_t max)
{
    unsigned long long v;
    if (!whole(s, &v) || v < min || v > max)
        arg_fail(prog, "%s needs a whole number from %zu to %zu, got '%s'", opt, min, max, s);
    return (size_t)v;
}

uint64_t arg_seed(const char *prog, const char *opt, const char *s)
{
    unsigned long long v;
    if (!whole(s, &v))
        arg_fail(prog, "%s needs a whole number from 0 to 2^64 - 1 (decimal or 0x...), got '%s'",
                 opt, s);
    return (uint64_t)v;
}

double arg_real(const char *prog, const char *opt, const char *s, double min, double max)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < min || v > max)
        arg_fail(prog, "%s needs a number from %g to %g, got '%s'", opt, min, max, s);
    return v;
}

const char *arg_out_dir(const char *prog, const char *dir)
{
    struct stat st;
    if (!dir[0])
        arg_fail(prog, "--out-dir needs a directory, got ''");
    if (stat(dir, &st) != 0 && (errno != ENOENT || mkdir(dir, 0777) != 0 || stat(dir, &st) != 0))
        arg_fail(prog, "cannot make --out-dir '%s': %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        arg_fail(prog, "--out-dir '%s' is not a directory", dir);
    return dir;
}

void arg_none(const char *prog, int argc, char **argv, const char *usage)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        fputs(usage, stdout);
        exit(GL_EXIT_DONE);
    }
    if (argc > 1)
        arg_fail(prog, "takes no arguments, got '%s' (see --help)", argv[1]);
}
