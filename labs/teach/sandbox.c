/* sandbox.c — one program in a child process with time, memory, file-size
 * and core limits (see sandbox.h). */
#define _GNU_SOURCE
#include "sandbox.h"

#include "gradcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void limit(int resource, rlim_t value)
{
    struct rlimit r = { value, value };
    setrlimit(resource, &r);
}

/* In the child: descriptors, limits, then exec. Never returns. */
static _Noreturn void child(char *const argv[], const sandbox_limits *lim, int said, int report)
{
    setpgid(0, 0);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
        dup2(devnull, 0);
    dup2(said, 1);
    dup2(said, 2);
    dup2(report, 3);
    for (int fd = 4; fd < 1024; fd++)
        close(fd);
    setenv("GRADLAB_REPORT_FD", "3", 1);
    char dir[4096];                            /* files it writes land next to the program */
    const char *slash = strrchr(argv[0], '/');
    if (slash && (size_t)(slash - argv[0]) < sizeof dir) {
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - argv[0]), argv[0]);
        if (dir[0] && chdir(dir) != 0)
            _exit(127);
    }
    limit(RLIMIT_CORE, 0);
    limit(RLIMIT_AS, (rlim_t)lim->memory_mb << 20);
    limit(RLIMIT_FSIZE, (rlim_t)lim->file_mb << 20);
    limit(RLIMIT_CPU, (rlim_t)lim->seconds + 1);
    execv(argv[0], argv);
    dprintf(2, "cannot run %s: %s", argv[0], strerror(errno));
    _exit(127);
}

/* Reads what is there on fd into the report (up to cap) or the said buffer.
 * Returns 0 at end of file, 1 when more may come. */
static int drain(int fd, sandbox_run *out, size_t cap, int is_report)
{
    char buf[65536];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN;
    if (n == 0)
        return 0;
    size_t len = (size_t)n;
    if (is_report) {
        size_t room = cap - out->report_len, take = len < room ? len : room;
        memcpy(out->report + out->report_len, buf, take);
        out->report_len += take;
        return 1;
    }
    size_t used = out->said_total < SANDBOX_SAID - 1 ? out->said_total : SANDBOX_SAID - 1;
    size_t room = SANDBOX_SAID - 1 - used;
    memcpy(out->said + used, buf, len < room ? len : room);
    out->said_total += len;
    return 1;
}

/* Waits for the child, reading both pipes, until it exits or the deadline
 * passes (then kills it); then kills its group (a grandchild may hold the
 * pipes) and reads what is left. */
static void supervise(pid_t pid, int fds[2], const sandbox_limits *lim, size_t cap,
                      sandbox_run *out, double t0)
{
    int open_fds[2] = { fds[0], fds[1] }, status = 0;
    for (;;) {
        struct pollfd pf[2] = { { open_fds[0], POLLIN, 0 }, { open_fds[1], POLLIN, 0 } };
        poll(pf, 2, 20);
        for (int i = 0; i < 2; i++)
            if (open_fds[i] >= 0 && (pf[i].revents & (POLLIN | POLLHUP)) &&
                !drain(open_fds[i], out, cap, i == 0))
                open_fds[i] = -1;
        if (waitpid(pid, &status, WNOHANG) == pid)
            break;                         /* what is left in the pipes is read below */
        if (gc_clock() - t0 > lim->seconds) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            out->timed_out = 1;
            break;
        }
    }
    kill(-pid, SIGKILL);                               /* whatever it left behind */
    for (int i = 0; i < 2; i++)
        if (open_fds[i] >= 0) {
            fcntl(open_fds[i], F_SETFL, O_NONBLOCK);
            for (errno = 0; drain(open_fds[i], out, cap, i == 0) && errno != EAGAIN; errno = 0)
                ;
        }
    out->exited = !out->timed_out && WIFEXITED(status);
    out->code = out->exited ? WEXITSTATUS(status) : 0;
    out->signal = !out->timed_out && WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

int sandbox_exec(char *const argv[], const sandbox_limits *lim, size_t report_cap,
                 sandbox_run *out)
{
    int rep[2], said[2];
    memset(out, 0, sizeof *out);
    out->report = calloc(report_cap + 1, 1);
    if (!out->report || pipe(rep) != 0) {
        snprintf(out->said, sizeof out->said, "out of memory or descriptors");
        return -1;
    }
    if (pipe(said) != 0) {
        close(rep[0]), close(rep[1]);
        snprintf(out->said, sizeof out->said, "out of descriptors");
        return -1;
    }
    double t0 = gc_clock();
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        child(argv, lim, said[1], rep[1]);
    close(rep[1]), close(said[1]);
    if (pid < 0) {
        close(rep[0]), close(said[0]);
        snprintf(out->said, sizeof out->said, "fork failed: %s", strerror(errno));
        return -1;
    }
    setpgid(pid, pid);
    supervise(pid, (int[2]){ rep[0], said[0] }, lim, report_cap, out, t0);
    close(rep[0]), close(said[0]);
    out->seconds = gc_clock() - t0;
    return 0;
}

void sandbox_describe(const sandbox_run *run, const sandbox_limits *lim, char *buf, size_t size)
{
    int s = run->signal;
    if (run->timed_out)
        snprintf(buf, size, "no answer after %.0f s, so the test was stopped: an endless loop?",
                 lim->seconds);
    else if (s == SIGXCPU)
        snprintf(buf, size, "used more than %.0f s of CPU time, so the test was stopped: an "
                 "endless loop?", lim->seconds + 1);
    else if (s == SIGXFSZ)
        snprintf(buf, size, "wrote a file larger than the %zu MiB limit", lim->file_mb);
    else if (s == SIGSEGV || s == SIGBUS)
        snprintf(buf, size, "crashed: %s (signal %d): a bad pointer or index, or a NULL from a "
                 "malloc over the %zu MiB limit", strsignal(s), s, lim->memory_mb);
    else if (s == SIGABRT)
        snprintf(buf, size, "crashed: abort() was called (signal %d): a failed assert, or "
                 "memory over the %zu MiB limit", s, lim->memory_mb);
    else if (s)
        snprintf(buf, size, "crashed: %s (signal %d)", strsignal(s), s);
    else if (run->exited && run->code == 127)
        snprintf(buf, size, "could not start the test program (%s)", run->said);
    else
        snprintf(buf, size, "the process exited with status %d before the test finished: "
                 "exit() called inside a function?", run->code);
}
