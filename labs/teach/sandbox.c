/* sandbox.c — student code in bubblewrap, or as an unprivileged uid with
 * rlimits, each run in a control group of its own (see sandbox.h). */
#define _GNU_SOURCE
#include "sandbox.h"

#include "exits.h"
#include "gradcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_ARGS = 96, SETUP_FD = 5, KEEP_FDS = 6 };
static const double CPU_POLL = 0.1;        /* seconds between reads of a run's CPU time */

static void limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit r = { soft, hard };
    setrlimit(resource, &r);
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

/* In the child, when its set-up fails: one byte on the set-up pipe, then
 * GL_EXIT_NO_SANDBOX. */
static _Noreturn void setup_failed(void)
{
    (void)!write(SETUP_FD, "!", 1);
    _exit(GL_EXIT_NO_SANDBOX);
}

/* Makes this process the kernel's first choice when memory runs out. */
static void oom_first(void)
{
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)!write(fd, "1000", 4);
        close(fd);
    }
}

/* In the child: descriptors 0-5, limits, its control group, the user, then
 * exec. Never returns. fds: requests, answers, printing, set-up report. */
static _Noreturn void child(const sandbox_cfg *cfg, const sandbox_limits *lim,
                            const cgroup_box *box, const sandbox_bind *binds, size_t nbinds,
                            const char *dir, char *const argv[], const int fds[4],
                            unsigned nproc)
{
    int hi[4];
    for (int i = 0; i < 4; i++)
        hi[i] = fcntl(fds[i], F_DUPFD, 10);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull < 0 || hi[0] < 0 || hi[1] < 0 || hi[2] < 0 || hi[3] < 0)
        _exit(GL_EXIT_NO_SANDBOX);
    dup2(devnull, 0), dup2(hi[2], 1), dup2(hi[2], 2), dup2(hi[0], 3), dup2(hi[1], 4);
    dup2(hi[3], SETUP_FD);
    fcntl(SETUP_FD, F_SETFD, FD_CLOEXEC);  /* closed by a successful exec */
    closefrom(KEEP_FDS);
    setpgid(0, 0);
    oom_first();
    if (box->version && cgroup_box_enter(box) != 0)
        setup_failed();
    rlim_t cpu = (rlim_t)ceil(lim->seconds) + 1;
    limit(RLIMIT_CORE, 0, 0);
    limit(RLIMIT_AS, (rlim_t)lim->memory_mb << 20, (rlim_t)lim->memory_mb << 20);
    limit(RLIMIT_FSIZE, (rlim_t)lim->file_mb << 20, (rlim_t)lim->file_mb << 20);
    limit(RLIMIT_CPU, cpu, cpu + 1);
    limit(RLIMIT_NPROC, nproc, nproc);
    uid_t uid = cfg->lease.uid;
    if (cfg->drop && (setgroups(0, NULL) != 0 || setgid(uid) != 0 || setuid(uid) != 0 ||
                      getuid() != uid || geteuid() != uid))
        setup_failed();                    /* never run student code as root */
    if (cfg->kind == ISOLATION_BWRAP) {
        char *args[MAX_ARGS], size_text[32], links[6][2][64];
        bwrap_args(cfg, lim, binds, nbinds, dir, argv, args, size_text, links);
        execv(cfg->bwrap, args);
        dprintf(2, "cannot run %s: %s", cfg->bwrap, strerror(errno));
        setup_failed();
    }
    if (chdir(dir) != 0)
        setup_failed();
    clearenv();
    setenv("PATH", "/usr/bin:/bin", 1);
    setenv("HOME", dir, 1);
    setenv("LC_ALL", "C", 1);
    setenv("GRADLAB_REPORT_FD", "2", 1);
    execv(argv[0], argv);
    dprintf(2, "cannot run %s: %s", argv[0], strerror(errno));
    setup_failed();
}

/* Closes both ends of each of n pipes that were opened. */
static void close_pipes(int (*p)[2], int n)
{
    for (int i = 0; i < n; i++)
        close(p[i][0]), close(p[i][1]);
}

int sandbox_start(const sandbox_cfg *cfg, const sandbox_limits *lim, const sandbox_bind *binds,
                  size_t nbinds, const char *dir, char *const argv[], sandbox_run *run)
{
    int p[4][2], made = 0;     /* requests, answers, printing, set-up report */
    memset(run, 0, sizeof *run);
    run->pid = -1, run->to = run->from = run->said = run->setup = -1;
    run->cfg = cfg, run->lim = lim;
    run->cpu_seconds = -1;
    while (made < 4 && pipe2(p[made], O_CLOEXEC) == 0)
        made++;
    if (made < 4) {
        close_pipes(p, made);
        snprintf(run->printed, sizeof run->printed, "out of descriptors: %s", strerror(errno));
        return -1;
    }
    if (cfg->cg.version && cgroup_box_make(&cfg->cg, lim->memory_mb, lim->procs, &run->box) != 0) {
        close_pipes(p, 4);
        snprintf(run->printed, sizeof run->printed, "cannot make the run's control group: %s",
                 strerror(errno));
        return -1;
    }
    run->host_oom_before = cgroup_oom_kills_host();
    run->deadline = gc_clock() + SANDBOX_WALL_FACTOR * lim->seconds + 2.0;
    run->cpu_checked = gc_clock();
    /* the leased uid is ours alone, so its count is the run's; our own
     * user's count includes the instructor's processes */
    unsigned nproc = cfg->drop ? lim->procs : uid_process_count(getuid(), 0) + lim->procs;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        child(cfg, lim, &run->box, binds, nbinds, dir, argv,
              (int[4]){ p[0][0], p[1][1], p[2][1], p[3][1] }, nproc);
    close(p[0][0]), close(p[1][1]), close(p[2][1]), close(p[3][1]);
    run->to = p[0][1], run->from = p[1][0], run->said = p[2][0], run->setup = p[3][0];
    for (int fd = 0; fd < 3; fd++)
        fcntl((int[]){ run->to, run->from, run->said }[fd], F_SETFL, O_NONBLOCK);
    if (pid < 0) {
        snprintf(run->printed, sizeof run->printed, "fork failed: %s", strerror(errno));
        sandbox_finish(run);
        return -1;
    }
    run->pid = pid;
    return 0;
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

/* How long a run the grader waits on may use no CPU before it is idle. */
static double idle_limit(const sandbox_limits *lim)
{
    return fmax(2.0, lim->seconds / 2);
}

/* 1 when the run is over a limit of its own: its CPU time (read at most
 * every CPU_POLL seconds), no CPU used for idle_limit while we wait, or the
 * wall-clock backstop. */
static int over_limit(sandbox_run *run)
{
    double now = gc_clock();
    if (now >= run->deadline)
        return run->timed_out = 1;
    if (now - run->cpu_checked < CPU_POLL || !run->box.version)
        return 0;
    run->cpu_checked = now;
    double cpu = cgroup_box_cpu(&run->box);
    if (cpu >= run->lim->seconds)
        return run->cpu_limited = 1;
    if (cpu > run->cpu_last)
        run->cpu_last = cpu, run->progress_at = now;
    if (cpu >= 0 && now - run->progress_at >= idle_limit(run->lim))
        return run->idle = 1;
    return 0;
}

/* Waits until fd is ready for `events` (or a limit), reading the printing
 * meanwhile. Returns 1 ready, 0 over a limit. */
static int wait_for(sandbox_run *run, int fd, short events)
{
    run->progress_at = gc_clock();             /* idle counts only while we wait */
    run->cpu_last = -1;
    for (;;) {
        if (over_limit(run))
            return 0;
        double left = fmin(run->deadline - gc_clock(), run->box.version ? CPU_POLL : 1.0);
        struct pollfd pf[2] = { { fd, events, 0 }, { run->said, POLLIN, 0 } };
        if (poll(pf, run->said >= 0 ? 2 : 1, (int)(left * 1000) + 1) < 0 && errno != EINTR)
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

/* The exit status, read as bubblewrap passes it on (128 + signal). */
static void take_status(sandbox_run *run, int status)
{
    run->exited = WIFEXITED(status);
    run->code = run->exited ? WEXITSTATUS(status) : 0;
    run->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (run->cfg->kind == ISOLATION_BWRAP && run->exited && run->code > 128 && run->code < 128 + 65)
        run->signal = run->code - 128, run->exited = 0, run->code = 0;
}

/* Waits for the run's own process, killing it (and its group) when it does
 * not end by itself within half a second or is over a limit already. */
static void end_process(sandbox_run *run, struct rusage *use)
{
    int status = 0;
    pid_t got = 0;
    double until = gc_clock() + 0.5;           /* it may be exiting now */
    int over = run->timed_out || run->cpu_limited || run->idle;
    while (!over && (got = wait4(run->pid, &status, WNOHANG, use)) == 0 && gc_clock() < until &&
           !over_limit(run))
        usleep(1000);
    if (got != run->pid) {
        run->killed = 1;
        cgroup_box_kill(&run->box);
        kill(-run->pid, SIGKILL);
        kill(run->pid, SIGKILL);
        while (wait4(run->pid, &status, 0, use) < 0 && errno == EINTR)
            ;
    }
    take_status(run, status);
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;                                      /* orphans a subreaper inherited */
}

/* Why the run ended, when no wait of ours says: its own limits, or a fault
 * of the grader's (a sandbox that could not be set up, the host's memory). */
static void explain_end(sandbox_run *run, const struct rusage *use, int setup_byte)
{
    double cpu = cgroup_box_cpu(&run->box);
    if (cpu < 0)
        cpu = use->ru_utime.tv_sec + use->ru_stime.tv_sec +
              1e-6 * (use->ru_utime.tv_usec + use->ru_stime.tv_usec);
    run->cpu_seconds = cpu;
    int s = run->signal;
    run->out_of_memory = cgroup_box_oom_kills(&run->box) > 0;
    if (s == SIGXCPU || (s == SIGKILL && cpu >= ceil(run->lim->seconds) + 0.9))
        run->cpu_limited = 1;                  /* RLIMIT_CPU: the soft, then the hard limit */
    if (setup_byte) {
        run->grader_fault = 1;
        snprintf(run->fault, sizeof run->fault, "its sandbox could not be set up");
    } else if (run->cfg->kind == ISOLATION_BWRAP && run->exited && run->code == 1 &&
               strncmp(run->printed, "bwrap: ", 7) == 0) {
        run->grader_fault = 1;
        snprintf(run->fault, sizeof run->fault, "bubblewrap failed: %.*s",
                 (int)strcspn(run->printed, "\n"), run->printed);
    } else if (sandbox_unexplained_kill(run) && cgroup_oom_kills_host() > run->host_oom_before) {
        run->grader_fault = 1;
        snprintf(run->fault, sizeof run->fault, "it was killed while the host ran out of memory "
                 "outside this test (the kernel's out-of-memory killer)");
    }
}

/* Reaps what the run orphaned (this process is their subreaper) until no
 * process of uid is left, zombies included, so that the next run's
 * RLIMIT_NPROC starts from nothing (for a second at the most). */
static void reap_uid(uid_t uid)
{
    for (int i = 0; i < 1000; i++) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        if (uid_process_count(uid, 1) == 0)
            return;
        usleep(1000);
    }
}

void sandbox_finish(sandbox_run *run)
{
    if (run->pid > 0) {
        struct rusage use = { 0 };
        end_process(run, &use);
        char byte = 0;
        int setup_byte = run->setup >= 0 && read(run->setup, &byte, 1) == 1;
        explain_end(run, &use, setup_byte);
        cgroup_box_remove(&run->box);
        if (run->cfg->drop && (run->cfg->kind == ISOLATION_UID || !run->cfg->cg.version))
            uid_kill_all(run->cfg->lease.uid, run->cfg->kind != ISOLATION_BWRAP);
        if (run->cfg->drop)
            reap_uid(run->cfg->lease.uid);
        run->pid = -1;
    }
    if (run->said >= 0) {
        run->deadline = gc_clock() + 0.2;       /* all writers are dead: its end is near */
        while (run->said >= 0 && wait_for(run, run->said, POLLIN) && take_printing(run))
            ;
    }
    for (int *fd = &run->to; fd <= &run->setup; fd++)
        if (*fd >= 0)
            close(*fd), *fd = -1;
    cgroup_box_remove(&run->box);              /* a run that never started */
}

int sandbox_unexplained_kill(const sandbox_run *run)
{
    return (run->signal == SIGKILL || run->signal == SIGTERM) && !run->killed &&
           !run->timed_out && !run->idle && !run->cpu_limited && !run->out_of_memory;
}

void sandbox_describe(const sandbox_run *run, char *buf, size_t size)
{
    int s = run->signal;
    if (run->grader_fault)
        snprintf(buf, size, "the grader failed here, not your code: %s; this test will be "
                 "graded again", run->fault);
    else if (run->cpu_limited)
        snprintf(buf, size, "used more than %g s of CPU time, so the test was stopped: an "
                 "endless loop?", run->lim->seconds);
    else if (run->out_of_memory)
        snprintf(buf, size, "used more than the %zu MiB of memory a test may have (its processes, "
                 "shared memory and files in /tmp together), so it was stopped",
                 run->lim->memory_mb);
    else if (run->idle)
        snprintf(buf, size, "used no CPU time for %.0f s while its answer was due, so the test "
                 "was stopped: it sleeps, or waits for something that never comes",
                 idle_limit(run->lim));
    else if (run->timed_out)
        snprintf(buf, size, "no answer after %.0f s of waiting, though it used only %.1f s of "
                 "CPU time, so the test was stopped: it sleeps, or waits for something that "
                 "never comes", SANDBOX_WALL_FACTOR * run->lim->seconds + 2.0,
                 fmax(run->cpu_seconds, 0.0));
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
    else if (run->exited && run->code == GL_EXIT_NO_EXEC)
        snprintf(buf, size, "could not start the test program");
    else if (run->exited)
        snprintf(buf, size, "the process exited with status %d before the test finished: "
                 "exit() called inside a function?", run->code);
    else
        snprintf(buf, size, "the test program stopped answering");
}

/* The line naming the isolation, for the log and every results.json. */
static void name_isolation(const sandbox_cfg *cfg, const char *bwrap, const char *cg, char *name,
                           size_t size)
{
    if (cfg->kind == ISOLATION_BWRAP)
        snprintf(name, size, "bubblewrap (%s): user, PID, network, IPC and mount namespaces, only "
                 "/usr and the submission visible, read-only; run as %s", bwrap,
                 cfg->drop ? "an unprivileged uid of this grader's own" : "the grader's own user, "
                 "who is not root");
    else if (cfg->kind == ISOLATION_UID)
        snprintf(name, size, "an unprivileged uid of this grader's own with rlimits, every process "
                 "of the uid killed after each run (no bubblewrap here: files every user may read "
                 "stay readable)");
    else
        snprintf(name, size, "NONE: not root and no usable bubblewrap, so student code runs as "
                 "the grader's own user with rlimits only");
    if (cfg->drop)
        snprintf(name + strlen(name), size - strlen(name), " (uid %u)", (unsigned)cfg->lease.uid);
    snprintf(name + strlen(name), size - strlen(name), "; %s", cg);
}

/* 1 when bubblewrap at cfg->bwrap runs a trial command here. */
static int bwrap_runs(sandbox_cfg *cfg)
{
    sandbox_limits lim = { 10.0, 256, 1, 1, 16 };
    sandbox_run run;
    char *argv[] = { "/usr/bin/true", NULL };
    cfg->kind = ISOLATION_BWRAP;
    if (access(cfg->bwrap, X_OK) != 0 || sandbox_start(cfg, &lim, NULL, 0, "/", argv, &run) != 0)
        return 0;
    sandbox_finish(&run);
    return run.exited && run.code == 0;
}

int sandbox_choose(sandbox_cfg *cfg, uid_t uid_first, const char *bwrap, char *name, size_t size)
{
    char cg[300];
    prctl(PR_SET_CHILD_SUBREAPER, 1);          /* what student code orphans is ours to reap */
    memset(cfg, 0, sizeof *cfg);
    cfg->lease.fd = -1;
    cfg->drop = geteuid() == 0;
    cfg->kind = ISOLATION_NONE;
    if (cfg->drop && uid_lease_take(uid_first, &cfg->lease, name, size) != 0) {
        cfg->drop = 0;
        return -1;
    }
    cgroup_probe(&cfg->cg, cg, sizeof cg);
    snprintf(cfg->bwrap, sizeof cfg->bwrap, "%s", bwrap ? bwrap : "");
    if (!bwrap || !bwrap_runs(cfg))
        cfg->kind = cfg->drop ? ISOLATION_UID : ISOLATION_NONE;
    name_isolation(cfg, cfg->bwrap, cg, name, size);
    return 0;
}

void sandbox_release(sandbox_cfg *cfg)
{
    uid_lease_release(&cfg->lease);
}
