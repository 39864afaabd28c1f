/* sandbox.h — runs student code (the compiler on it, then its probe) where it
 * can read nothing it was not given, change nothing outside its own
 * scratch, use no more than its limits as a whole, and touch no process but
 * its own, for the grader.
 *
 * Three isolations, strongest first (sandbox_choose picks one):
 *   bwrap  Debian's bubblewrap: new user, PID, network, IPC and mount
 *          namespaces; only /usr (and the links into it), /etc/ld.so.cache,
 *          /etc/alternatives and the binds given are visible, read-only;
 *          size-limited tmpfs at /tmp and /dev/shm are the only writable places; when the
 *          grader is root it first becomes an unprivileged uid leased for
 *          this grader alone (uidpool.h), so bubblewrap is unprivileged too.
 *          Everything the run started dies with it.
 *   uid    the grader is root but bubblewrap cannot run: the run is the
 *          leased uid with rlimits; at the end every process of that uid is
 *          killed and its files in /tmp, /var/tmp and /dev/shm removed.
 *          World-readable files stay readable.
 *   none   neither: the grader refuses unless told --unsafe-no-sandbox.
 * When the grader is root, each run also gets a control group of its own
 * (cgroup.h): its memory as a whole (shared memory and memfd included) and
 * its processes are bounded there, its CPU time is the sum over all its
 * processes, and its processes are the ones killed at its end. The sandbox
 * processes' oom_score_adj is 1000, so when memory runs out anywhere the
 * kernel kills them before the grader.
 *
 * Time: lim->seconds is CPU time, counted over the whole run (its control
 * group; each process's RLIMIT_CPU without one); the wall clock is only a
 * backstop, SANDBOX_WALL_FACTOR times larger. A run the grader waits on
 * whose CPU time has not grown for max(2 s, lim->seconds / 2) is stopped as
 * idle (it sleeps or waits for something that never comes): a process that
 * can run gets the CPU within milliseconds however busy the machine is. So
 * a busy machine slows a run down but never fails it.
 *
 * The child's descriptors: 0 /dev/null, 1 and 2 one pipe (its printing: the
 * first SANDBOX_SAID bytes kept, the rest counted), 3 the requests the
 * grader writes, 4 the answers it reads. */
#ifndef GRADLAB_SANDBOX_H
#define GRADLAB_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

#include "cgroup.h"
#include "uidpool.h"

typedef enum { ISOLATION_BWRAP, ISOLATION_UID, ISOLATION_NONE } isolation_kind;

typedef struct {
    isolation_kind kind;
    uid_lease lease;         /* the unprivileged uid, this grader's alone (when drop) */
    int drop;                /* 1: become lease.uid before anything else (the grader is root) */
    char bwrap[256];         /* bubblewrap's path (ISOLATION_BWRAP) */
    cgroup_host cg;          /* where each run's control group is made (version 0: none) */
} sandbox_cfg;

typedef struct {
    double seconds;          /* CPU time of one run, all its processes together */
    size_t memory_mb;        /* memory of one run as a whole (cgroup) and of each process (RLIMIT_AS) */
    size_t file_mb;          /* the largest file (RLIMIT_FSIZE) */
    size_t disk_mb;          /* each writable tmpfs, /tmp and /dev/shm (bwrap) */
    unsigned procs;          /* processes of the run (cgroup pids, and RLIMIT_NPROC of its uid) */
} sandbox_limits;

/* The wall-clock backstop of a run: SANDBOX_WALL_FACTOR x its CPU seconds + 2 s. */
enum { SANDBOX_WALL_FACTOR = 4 };

/* A path of the grader's shown read-only inside at `inside` (bwrap), or
 * reachable at its own path (uid, none). */
typedef struct {
    const char *outside, *inside;
} sandbox_bind;

enum { SANDBOX_SAID = 16384 };

typedef struct {
    pid_t pid;
    int to, from, said;       /* requests, answers, printing (-1: closed) */
    int setup;                /* the child's set-up report (a byte when it failed; -1: closed) */
    double deadline;          /* gc_clock() time of the wall-clock backstop */
    double cpu_checked;       /* gc_clock() time its CPU time was last read */
    double cpu_last;          /* what it read (-1: nothing yet in this wait) */
    double progress_at;       /* gc_clock() time its CPU time last grew, or the wait began */
    int killed;               /* sandbox_finish had to kill it (it did not end by itself) */
    const sandbox_cfg *cfg;
    const sandbox_limits *lim;
    cgroup_box box;           /* its control group (version 0: none) */
    long host_oom_before;     /* the host's out-of-memory kills when it started */
    /* after sandbox_finish: */
    int exited, code, signal;
    int timed_out;            /* stopped by the wall-clock backstop */
    int idle;                 /* stopped for using no CPU while an answer was due */
    int cpu_limited;          /* stopped, or killed by RLIMIT_CPU, for its CPU time */
    int out_of_memory;        /* the kernel killed a process of it at its memory limit */
    int grader_fault;         /* it ended for a reason that is not the student's: see fault */
    char fault[200];
    double cpu_seconds;       /* CPU time it used (-1: not counted) */
    char printed[SANDBOX_SAID];   /* the first bytes of stdout + stderr (NUL-terminated) */
    size_t printed_total;
} sandbox_run;

/* sandbox_choose: makes this process the subreaper of what its runs orphan,
 * then picks the strongest isolation this process can use: bwrap when
 * `bwrap` runs a trial command (as a leased uid of uid_first.. when we are
 * root), else uid when we are root, else none. Writes one line naming it,
 * and the control groups, to `name` (for the log and every results.json).
 * Returns 0, or -1 when we are root and no uid could be leased (name says
 * why; kind is then ISOLATION_NONE). */
int sandbox_choose(sandbox_cfg *cfg, uid_t uid_first, const char *bwrap, char *name, size_t size);

/* sandbox_release: gives back what sandbox_choose took (the uid lease). */
void sandbox_release(sandbox_cfg *cfg);

/* sandbox_start: runs argv (argv[0] a path inside) in cfg's isolation with
 * binds[0 .. nbinds), working directory `dir` (inside) and the limits.
 * Returns 0, or -1 with run->printed saying why it could not start. */
int sandbox_start(const sandbox_cfg *cfg, const sandbox_limits *lim, const sandbox_bind *binds,
                  size_t nbinds, const char *dir, char *const argv[], sandbox_run *run);

/* Writes size bytes of requests. Returns 0, or -1 when the run is gone or
 * over a limit (run->cpu_limited or run->timed_out then). */
int sandbox_write(sandbox_run *run, const void *data, size_t size);

/* Reads exactly size bytes of answer. Returns 0, or -1 when the answers
 * ended first (the run exited or closed them) or it went over a limit. */
int sandbox_read(sandbox_run *run, void *data, size_t size);

/* Reads answers until they end, at most cap bytes into data; *got says how
 * many. Returns 0 at their end, -1 over a limit or when more than cap came. */
int sandbox_read_all(sandbox_run *run, void *data, size_t cap, size_t *got);

/* 1 when an answer byte is waiting that nobody asked for. */
int sandbox_unasked(sandbox_run *run);

/* sandbox_finish: ends the run and everything it started (its control
 * group, its namespace, or every process of its uid), reaps it, keeps the
 * rest of its printing, fills exited/code/signal and says why it ended:
 * a limit of its own (timed_out, cpu_limited, out_of_memory), or a
 * grader_fault with the reason in fault (its sandbox could not be set up,
 * or a kill no limit of its own explains while the host ran out of memory).
 * Safe to call twice. */
void sandbox_finish(sandbox_run *run);

/* sandbox_unexplained_kill: 1 when the run was killed by SIGKILL or SIGTERM
 * that no limit of its own explains (for the compiler, which student code
 * cannot make kill itself, that is the grader's fault). */
int sandbox_unexplained_kill(const sandbox_run *run);

/* One line saying what ended a run that gave no complete answer: "crashed:
 * Segmentation fault (signal 11) ...", "used more than 10 s of CPU time ...". */
void sandbox_describe(const sandbox_run *run, char *buf, size_t size);

#endif
