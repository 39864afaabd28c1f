/* sandbox.c — student code in bubblewrap, or as an unprivileged uid with
 * rlimits (see sandbox.h). */
#define _GNU_SOURCE
#include "sandbox.h"

#include "gradcheck.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_ARGS = 96, KEEP_FDS = 5 };

static void limit(int resource, rlim_t value)
{
    struct rlimit r = { value, value };
    setrlimit(resource, &r);
}

/* How many live processes `uid` has now (its real uid; zombies are not
 * counted: they hold nothing). For RLIMIT_NPROC when we cannot change user
 * (the limit counts the instructor's own processes too) and for kill_uid. */
static unsigned processes_of(uid_t uid)
{
    unsigned count = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        char path[300], line[256], state = '?';
        long real = -1;
        snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
        FILE *f = fopen(path, "r");
        while (f && fgets(line, sizeof line, f) && real < 0)
            if (sscanf(line, "State: %c", &state) != 1)
                sscanf(line, "Uid: %ld", &real);
        if (f)
            fclose(f);
        count += real == (long)uid && state != 'Z';
    }
    if (d)
        closedir(d);
    return count;
}

/* bubblewrap's arguments: the system read-only, the binds, a tmpfs, argv. */
static size_t bwrap_args(const sandbox_cfg *cfg, const sandbox_limits *lim,
                         const sandbox_bind *binds, size_t nbinds, const char *dir,
                         char *const argv[], char **out, char *size_text, char links[][2][64])
{
    static const char *const tops[] = { "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32" };
    size_t k = 0;
    out[k++] = (char *)cfg->bwrap;
    const char *fixed[] = { "--unshare-all", "--die-with-parent", "--new-session",
                            "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
                            "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
                            "--ro-bind-try", "/etc/alternatives", "/etc/alternatives" };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        out[k++] = (char *)fixed[i];
    for (size_t i = 0; i < sizeof tops / sizeof tops[0]; i++) {
        ssize_t n = readlink(tops[i], links[i][0], sizeof links[i][0] - 1);
        if (n <= 0)
            continue;                      /* not a link into /usr: not shown */
        links[i][0][n] = '\0';
        snprintf(links[i][1], sizeof links[i][1], "%s", tops[i]);
        out[k++] = "--symlink", out[k++] = links[i][0], out[k++] = links[i][1];
    }
    snprintf(size_text, 32, "%zu", lim->disk_mb << 20);
    out[k++] = "--size", out[k++] = size_text, out[k++] = "--tmpfs", out[k++] = "/tmp";
    out[k++] = "--size", out[k++] = size_text, out[k++] = "--tmpfs", out[k++] = "/dev/shm";
    out[k++] = "--remount-ro", out[k++] = "/dev";
    for (size_t i = 0; i < nbinds && k + 3 < MAX_ARGS - 24; i++)
        out[k++] = "--ro-bind", out[k++] = (char *)binds[i].outside, out[k++] = (char *)binds[i].inside;
    const char *env[] = { "--remount-ro", "/", "--chdir", dir, "--clearenv", "--setenv", "PATH", "/usr/bin:/bin",
                          "--setenv", "HOME", "/tmp", "--setenv", "LC_ALL", "C",
                          "--setenv", "GRADLAB_REPORT_FD", "2", "--" };
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++)
        out[k++] = (char *)env[i];
    for (size_t i = 0; argv[i] && k + 1 < MAX_ARGS; i++)
        out[k++] = argv[i];
    out[k] = NULL;
    return k;
}

/* In the child: descriptors 0-4, limits, the user, then exec. Never returns. */
static _Noreturn void child(const sandbox_cfg *cfg, const sandbox_limits *lim,
                            const sandbox_bind *binds, size_t nbinds, const char *dir,
                            char *const argv[], const int fds[3], unsigned nproc)
{
    int hi[3];
    for (int i = 0; i < 3; i++)
        hi[i] = fcntl(fds[i], F_DUPFD, 10);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull < 0 || hi[0] < 0 || hi[1] < 0 || hi[2] < 0)
        _exit(126);
    dup2(devnull, 0), dup2(hi[2], 1), dup2(hi[2], 2), dup2(hi[0], 3), dup2(hi[1], 4);
    closefrom(KEEP_FDS);
    setpgid(0, 0);
    limit(RLIMIT_CORE, 0);
    limit(RLIMIT_AS, (rlim_t)lim->memory_mb << 20);
    limit(RLIMIT_FSIZE, (rlim_t)lim->file_mb << 20);
    limit(RLIMIT_CPU, (rlim_t)lim->seconds + 1);
    limit(RLIMIT_NPROC, nproc);
    if (cfg->drop && (setgroups(0, NULL) != 0 || setgid(cfg->uid) != 0 || setuid(cfg->uid) != 0 ||
                      getuid() != cfg->uid || geteuid() != cfg->uid))
        _exit(126);                        /* never run student code as root */
    if (cfg->kind == ISOLATION_BWRAP) {
        char *args[MAX_ARGS], size_text[32], links[6][2][64];
        bwrap_args(cfg, lim, binds, nbinds, dir, argv, args, size_text, links);
        execv(cfg->bwrap, args);
        dprintf(2, "cannot run %s: %s", cfg->bwrap, strerror(errno));
        _exit(127);
    }
    if (chdir(dir) != 0)
        _exit(127);
    clearenv();
    setenv("PATH", "/usr/bin:/bin", 1);
    setenv("HOME", dir, 1);
    setenv("LC_ALL", "C", 1);
    setenv("GRADLAB_REPORT_FD", "2", 1);
    execv(argv[0], argv);
    dprintf(2, "cannot run %s: %s", argv[0], strerror(errno));
    _exit(127);
}

int sandbox_start(const sandbox_cfg *cfg, const sandbox_limits *lim, const sandbox_bind *binds,
                  size_t nbinds, const char *dir, char *const argv[], sandbox_run *run)
{
    int req[2], ans[2], said[2];
    memset(run, 0, sizeof *run);
    run->pid = -1, run->to = run->from = run->said = -1;
    run->cfg = cfg, run->lim = lim;
    if (pipe2(req, O_CLOEXEC) != 0)
        goto no_pipes;
    if (pipe2(ans, O_CLOEXEC) != 0) {
        close(req[0]), close(req[1]);
        goto no_pipes;
    }
    if (pipe2(said, O_CLOEXEC) != 0) {
        close(req[0]), close(req[1]), close(ans[0]), close(ans[1]);
        goto no_pipes;
    }
    unsigned nproc = cfg->drop ? lim->procs : processes_of(getuid()) + lim->procs;
    run->deadline = gc_clock() + lim->seconds;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        child(cfg, lim, binds, nbinds, dir, argv, (int[3]){ req[0], ans[1], said[1] }, nproc);
    close(req[0]), close(ans[1]), close(said[1]);
    run->to = req[1], run->from = ans[0], run->said = said[0];
    for (int fd = 0; fd < 3; fd++)
        fcntl((int[]){ run->to, run->from, run->said }[fd], F_SETFL, O_NONBLOCK);
    if (pid < 0) {
        snprintf(run->printed, sizeof run->printed, "fork failed: %s", strerror(errno));
        sandbox_finish(run);
        return -1;
    }
    run->pid = pid;
    return 0;
no_pipes:
    snprintf(run->printed, sizeof run->printed, "out of descriptors: %s", strerror(errno));
    return -1;
}

/* Keeps what came on the printing pipe. Returns 0 at its end. */
static int take_printing(sandbox_run *run)
{
    char buf[65536];
    ssize_t n = read(run->said, buf, sizeof buf);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN;
    if (n == 0) {
        close(run->said), run->said = -1;
        return 0;
    }
    size_t used = run->printed_total < SANDBOX_SAID - 1 ? run->printed_total : SANDBOX_SAID - 1;
    size_t room = SANDBOX_SAID - 1 - used, len = (size_t)n;
    memcpy(run->printed + used, buf, len < room ? len : room);
    run->printed_total += len;
    return 1;
}

/* Waits until fd is ready for `events` (or the deadline), reading the
 * printing meanwhile. Returns 1 ready, 0 at the deadline. */
static int wait_for(sandbox_run *run, int fd, short events)
{
    for (;;) {
        double left = run->deadline - gc_clock();
        if (left <= 0) {
            run->timed_out = 1;
            return 0;
        }
        struct pollfd pf[2] = { { fd, events, 0 }, { run->said, POLLIN, 0 } };
        int ms = left > 1.0 ? 1000 : (int)(left * 1000) + 1;
        if (poll(pf, run->said >= 0 ? 2 : 1, ms) < 0 && errno != EINTR)
            return 0;
        if (run->said >= 0 && (pf[1].revents & (POLLIN | POLLHUP)))
            take_printing(run);
        if (pf[0].revents)
            return 1;
    }
}

int sandbox_write(sandbox_run *run, const void *data, size_t size)
{
    const char *p = data;
    while (size > 0) {
        if (run->to < 0 || !wait_for(run, run->to, POLLOUT))
            return -1;
        ssize_t w = write(run->to, p, size);
        if (w < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (w <= 0)
            return -1;                      /* EPIPE: it is gone */
        p += w, size -= (size_t)w;
    }
    return 0;
}

int sandbox_read(sandbox_run *run, void *data, size_t size)
{
    char *p = data;
    while (size > 0) {
        if (run->from < 0 || !wait_for(run, run->from, POLLIN))
            return -1;
        ssize_t n = read(run->from, p, size);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return -1;
        p += n, size -= (size_t)n;
    }
    return 0;
}

int sandbox_read_all(sandbox_run *run, void *data, size_t cap, size_t *got)
{
    char *p = data, spill;
    *got = 0;
    for (;;) {
        if (run->from < 0 || !wait_for(run, run->from, POLLIN))
            return -1;
        ssize_t n = read(run->from, *got < cap ? p + *got : &spill, *got < cap ? cap - *got : 1);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return n == 0 ? 0 : -1;
        if (*got >= cap)
            return -1;                      /* more than cap */
        *got += (size_t)n;
    }
}

int sandbox_unasked(sandbox_run *run)
{
    struct pollfd pf = { run->from, POLLIN, 0 };
    return run->from >= 0 && poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN);
}

/* nftw callback of clean_files: removes what the (dropped) caller owns. */
static int remove_own(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)type;
    if (ftw->level > 0 && st->st_uid == getuid())
        remove(path);
    return 0;
}

/* As uid: kills every process of uid and removes its files in the shared
 * writable places, then exits. Runs in a child of the grader. */
static _Noreturn void sweep_uid(uid_t uid, int clean)
{
    if (setgroups(0, NULL) != 0 || setgid(uid) != 0 || setuid(uid) != 0 || getuid() != uid)
        _exit(1);
    for (int i = 0; i < 500 && processes_of(uid) > 1; i++) {   /* 1: this one */
        kill(-1, SIGKILL);                 /* every process we may signal but this one */
        if (i)
            usleep(1000);
    }
    static const char *const shared[] = { "/tmp", "/var/tmp", "/dev/shm" };
    for (size_t i = 0; clean && i < sizeof shared / sizeof shared[0]; i++)
        nftw(shared[i], remove_own, 16, FTW_DEPTH | FTW_PHYS);
    _exit(0);
}

static void kill_uid(uid_t uid, int clean)
{
    pid_t pid = fork();
    if (pid == 0)
        sweep_uid(uid, clean);
    while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* The exit status, read as bubblewrap passes it on (128 + signal). */
static void take_status(sandbox_run *run, int status)
{
    run->exited = WIFEXITED(status);
    run->code = run->exited ? WEXITSTATUS(status) : 0;
    run->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (run->cfg->kind == ISOLATION_BWRAP && run->exited && run->code > 128 && run->code < 128 + 65)
        run->signal = run->code - 128, run->exited = 0, run->code = 0;
}

void sandbox_finish(sandbox_run *run)
{
    if (run->pid > 0) {
        int status = 0;
        pid_t got = 0;
        double until = gc_clock() + 0.5;       /* it may be exiting now */
        while ((got = waitpid(run->pid, &status, WNOHANG)) == 0 && gc_clock() < until &&
               gc_clock() < run->deadline)
            usleep(1000);
        if (got != run->pid) {
            kill(-run->pid, SIGKILL);
            kill(run->pid, SIGKILL);
            while (waitpid(run->pid, &status, 0) < 0 && errno == EINTR)
                ;
            if (gc_clock() >= run->deadline)
                run->timed_out = 1;
        }
        take_status(run, status);
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;                              /* orphans a subreaper inherited */
        if (run->cfg->drop)
            kill_uid(run->cfg->uid, run->cfg->kind != ISOLATION_BWRAP);
        run->pid = -1;
    }
    if (run->said >= 0) {
        run->deadline = gc_clock() + 0.2;       /* all writers are dead: its end is near */
        while (run->said >= 0 && wait_for(run, run->said, POLLIN) && take_printing(run))
            ;
    }
    for (int *fd = &run->to; fd <= &run->said; fd++)
        if (*fd >= 0)
            close(*fd), *fd = -1;
}

void sandbox_describe(const sandbox_run *run, char *buf, size_t size)
{
    int s = run->signal;
    if (run->timed_out)
        snprintf(buf, size, "no answer after %.0f s, so the test was stopped: an endless loop?",
                 run->lim->seconds);
    else if (s == SIGXCPU)
        snprintf(buf, size, "used more than %.0f s of CPU time, so the test was stopped: an "
                 "endless loop?", run->lim->seconds + 1);
    else if (s == SIGXFSZ)
        snprintf(buf, size, "wrote a file larger than the %zu MiB limit", run->lim->file_mb);
    else if (s == SIGSEGV || s == SIGBUS)
        snprintf(buf, size, "crashed: %s (signal %d): a bad pointer or index, or a NULL from a "
                 "malloc over the %zu MiB limit", strsignal(s), s, run->lim->memory_mb);
    else if (s == SIGABRT)
        snprintf(buf, size, "crashed: abort() was called (signal %d): a failed assert, or "
                 "memory over the %zu MiB limit", s, run->lim->memory_mb);
    else if (s)
        snprintf(buf, size, "crashed: %s (signal %d)", strsignal(s), s);
    else if (run->exited && run->code == 126)
        snprintf(buf, size, "the sandbox could not be set up (the grader's fault, not yours: "
                 "please tell the instructor)");
    else if (run->exited && run->code == 127)
        snprintf(buf, size, "could not start the test program");
    else if (run->exited)
        snprintf(buf, size, "the process exited with status %d before the test finished: "
                 "exit() called inside a function?", run->code);
    else
        snprintf(buf, size, "the test program stopped answering");
}

void sandbox_choose(sandbox_cfg *cfg, uid_t uid, const char *bwrap, char *name, size_t size)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->uid = uid;
    cfg->drop = geteuid() == 0;
    snprintf(cfg->bwrap, sizeof cfg->bwrap, "%s", bwrap ? bwrap : "");
    if (bwrap && access(bwrap, X_OK) == 0) {
        cfg->kind = ISOLATION_BWRAP;
        sandbox_limits lim = { 10.0, 256, 1, 1, 16 };
        sandbox_run run;
        char *argv[] = { "/usr/bin/true", NULL };
        if (sandbox_start(cfg, &lim, NULL, 0, "/", argv, &run) == 0) {
            sandbox_finish(&run);
            if (run.exited && run.code == 0) {
                snprintf(name, size, "bubblewrap (%s): user, PID, network, IPC and mount "
                         "namespaces, only /usr and the submission visible, read-only; %s",
                         bwrap, cfg->drop ? "run as an unprivileged uid" : "run as the "
                         "grader's own user, who is not root");
                if (cfg->drop)
                    snprintf(name + strlen(name), size - strlen(name), " (%u)", (unsigned)uid);
                return;
            }
        }
    }
    cfg->kind = cfg->drop ? ISOLATION_UID : ISOLATION_NONE;
    if (cfg->drop)
        snprintf(name, size, "unprivileged uid %u with rlimits, every process of the uid killed "
                 "after each run (no bubblewrap here: files every user may read stay readable)",
                 (unsigned)uid);
    else
        snprintf(name, size, "NONE: not root and no usable bubblewrap, so student code runs as "
                 "the grader's own user with rlimits only");
}
