/* probe.c — grade-probe, the process of one graded test. It is linked with a
 * student's src/ (or the reference) and started by the grader with time,
 * memory, file-size and core limits (sandbox.c); whatever happens inside the
 * student's functions stays inside this process.
 *
 *   grade-probe check NAME          runs registry check NAME with the default
 *                                   options and sends its gc_report
 *   grade-probe outputs NAME SEED   sets NAME's problem up at SEED (a hidden
 *                                   input) and sends gc_outputs: J and dJ/dx
 *
 * The answer goes to the descriptor in GRADLAB_REPORT_FD (see probe.h); what
 * the functions print goes to stdout and stderr, which the grader keeps apart.
 * Exit: 0 sent, 2 bad usage or unknown check, 3 out of memory, 4 write error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gradcheck.h"
#include "args.h"
#include "probe.h"
#include "registry.h"

static int send_all(int fd, const void *data, size_t size)
{
    const char *p = data;
    while (size > 0) {
        ssize_t w = write(fd, p, size);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w, size -= (size_t)w;
    }
    return 0;
}

static int send_record(int fd, const char *tag, uint64_t count, const void *body, size_t size)
{
    probe_head h;
    memset(&h, 0, sizeof h);
    snprintf(h.tag, sizeof h.tag, "%s", tag);
    h.count = count;
    return send_all(fd, &h, sizeof h) == 0 && send_all(fd, body, size) == 0 ? 0 : 4;
}

static int run_check(int fd, const gc_check *c)
{
    gc_options o = gc_default_options();
    gc_report r;
    gc_run_check(c, &o, &r);
    return send_record(fd, PROBE_TAG_CHECK, sizeof r, &r, sizeof r);
}

static int run_outputs(int fd, const gc_check *c, uint64_t seed)
{
    gc_problem p;
    if (c->setup(&p, seed) != 0)
        return 3;
    size_t count = gc_output_count(&p);
    double *out = malloc((count ? count : 1) * sizeof *out);
    int rc = !out || gc_outputs(&p, out, NULL) != 0 ? 3
           : send_record(fd, PROBE_TAG_OUTPUTS, count, out, count * sizeof *out);
    free(out);
    gc_problem_free(&p);
    return rc;
}

int main(int argc, char **argv)
{
    const char *fdname = getenv("GRADLAB_REPORT_FD");
    int fd = fdname ? atoi(fdname) : -1;
    const gc_check *c = argc >= 3 ? lab_find(argv[2]) : NULL;
    if (fd < 0 || !c) {
        fprintf(stderr, "usage: GRADLAB_REPORT_FD=N grade-probe check NAME | outputs NAME SEED "
                "(NAME a registry check)\n");
        return 2;
    }
    if (argc == 3 && strcmp(argv[1], "check") == 0)
        return run_check(fd, c);
    if (argc == 4 && strcmp(argv[1], "outputs") == 0)
        return run_outputs(fd, c, arg_seed("grade-probe", "SEED", argv[3]));
    fprintf(stderr, "grade-probe: unknown mode '%s'\n", argv[1]);
    return 2;
}
