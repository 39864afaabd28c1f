/* build.c — the student's probe, compiled in the sandbox (build.h). */
#define _GNU_SOURCE
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { PROBE_MAX_BYTES = 64 << 20 };

/* $1 the work folder, $2 the base, $3 the student's files: the base
 * copied with its times (so only the student's files are compiled again),
 * the student's files over the stubs, make, then the probe on descriptor 4. */
static const char script[] =
    "set -e; cp -Rp \"$2\" \"$1\"; for f in \"$3\"/*.c; do [ -f \"$f\" ] && cp \"$f\" \"$1/src/\"; done; "
    "cd \"$1\"; make -s BUILD=build build/grade-probe >&2; cat build/grade-probe >&4";

static const sandbox_limits compile_limits = { 120.0, 1024, 64, 512, 32 };

int build_probe(const sandbox_cfg *cfg, const char *base, const char *sub, const char *scratch,
                const char *probe_path, char (*names)[64], size_t count, char *log, size_t size,
                int *compiled)
{
    *compiled = 0;
    int boxed = cfg->kind == ISOLATION_BWRAP;
    char work[4200];
    snprintf(work, sizeof work, "%s/w", scratch);
    if (!boxed && (mkdir(work, 0700) != 0 || (cfg->drop && chown(work, cfg->lease.uid, cfg->lease.uid) != 0)))
        return snprintf(log, size, "cannot make %s: %s", work, strerror(errno)), GL_IO;
    sandbox_bind binds[] = { { base, "/grade/base" }, { sub, "/grade/sub" } };
    char *argv[] = { "/bin/sh", "-c", (char *)script, "sh", boxed ? "/tmp/tree" : work,
                     boxed ? "/grade/base" : (char *)base, boxed ? "/grade/sub" : (char *)sub, NULL };
    if (!boxed)
        snprintf(work + strlen(work), sizeof work - strlen(work), "/tree"), argv[4] = work;
    sandbox_run run;
    if (sandbox_start(cfg, &compile_limits, binds, 2, boxed ? "/tmp" : scratch, argv, &run) != 0)
        return snprintf(log, size, "%s", run.printed), GL_FAILED;
    char *bytes = malloc(PROBE_MAX_BYTES);
    size_t got = 0;
    int read_ok = bytes && sandbox_read_all(&run, bytes, PROBE_MAX_BYTES, &got) == 0;
    sandbox_finish(&run);
    int built = read_ok && run.exited && run.code == 0 && got > 0;
    if (!built && (run.grader_fault || sandbox_unexplained_kill(&run))) {
        free(bytes);                       /* student code cannot make the compiler kill itself */
        snprintf(log, size, "the compiler was stopped by something outside its limits: %s",
                 run.grader_fault ? run.fault : "killed by a signal the grader did not send");
        return GL_FAILED;
    }
    if (!built) {
        char why[300] = "";
        if (run.timed_out || run.cpu_limited || run.out_of_memory || run.signal)
            sandbox_describe(&run, why, sizeof why);
        build_messages(run.printed, names, count, log, size);
        if (why[0])
            snprintf(log + strlen(log), size - strlen(log), "The compiler %s\n", why);
        free(bytes);
        return GL_OK;                      /* the student's code did not compile */
    }
    int fd = open(probe_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
    int ok = fd >= 0 && write(fd, bytes, got) == (ssize_t)got;
    ok = fd >= 0 && close(fd) == 0 && ok;
    free(bytes);
    if (!ok)
        return snprintf(log, size, "cannot write %s", probe_path), GL_IO;
    *compiled = 1;
    return GL_OK;
}

/* The student's file a diagnostic line is about ("src/F.c:12:3: ..."), as
 * the length of its "src/" prefix to drop, or -1 when it is another file's. */
static int own_location(const char *line, char (*names)[64], size_t count)
{
    if (strncmp(line, "src/", 4) != 0)
        return -1;
    size_t len = strcspn(line + 4, ":");
    if (line[4 + len] != ':')
        return -1;
    for (size_t i = 0; names && i < count; i++)
        if (strlen(names[i]) == len && strncmp(line + 4, names[i], len) == 0)
            return 4;
    return names ? -1 : 4;                 /* no list: every src/ file is the student's */
}

void build_messages(const char *raw, char (*names)[64], size_t count, char *out, size_t size)
{
    size_t hidden = 0, used = 0;
    int keep = 0;
    out[0] = '\0';
    for (const char *line = raw; *line; ) {
        size_t len = strcspn(line, "\n");
        int cont = line[0] == ' ' || (line[0] >= '0' && line[0] <= '9');
        const char *undef = memmem(line, len, "undefined reference to", 22);
        int driver = (strncmp(line, "cc1: ", 5) == 0 || strncmp(line, "cc: ", 4) == 0 ||
                      strncmp(line, "gcc: ", 5) == 0) &&
                     (memmem(line, len, "out of memory", 13) || memmem(line, len, "signal", 6));
        int skip = own_location(line, names, count);
        if (!cont)
            keep = skip >= 0;
        if (undef) {
            used += (size_t)snprintf(out + used, used < size ? size - used : 0,
                                     "link error: %.*s\n", (int)(len - (size_t)(undef - line)), undef);
        } else if (driver) {                   /* the compiler itself ran out of memory or was killed */
            used += (size_t)snprintf(out + used, used < size ? size - used : 0,
                                     "the compiler: %.*s\n", (int)len, line);
        } else if (keep) {
            const char *from = cont ? line : line + skip;
            size_t n = len - (size_t)(from - line);
            used += (size_t)snprintf(out + used, used < size ? size - used : 0, "%.*s\n", (int)n, from);
        } else if (len > 0) {
            hidden++;
        }
        line += len + (line[len] == '\n');
    }
    if (used >= size && size > 0)
        out[size - 1] = '\0', used = size - 1;
    if (hidden)
        snprintf(out + used, size - used, "(%zu lines about other files or from make not shown)\n",
                 hidden);
}
