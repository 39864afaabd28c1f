/* sandbox.h — runs student code (the compiler on it, then its probe) where it
 * can read nothing it was not given and change nothing outside its own
 * scratch, for the grader.
 *
 * Three isolations, strongest first (sandbox_choose picks one):
 *   bwrap  Debian's bubblewrap: new user, PID, network, IPC and mount
 *          namespaces; only /usr (and the links into it), /etc/ld.so.cache,
 *          /etc/alternatives and the binds given are visible, read-only;
 *          size-limited tmpfs at /tmp and /dev/shm are the only writable places; when the
 *          grader is root it first becomes the unprivileged uid, so bubblewrap
 *          is unprivileged too. Everything the run started dies with it.
 *   uid    the grader is root but bubblewrap cannot run: the run is the
 *          unprivileged uid with rlimits; at the end every process of that
 *          uid is killed and its files in /tmp, /var/tmp and /dev/shm removed.
 *          World-readable files stay readable.
 *   none   neither: the grader refuses unless told --unsafe-no-sandbox.
 * Every isolation sets the rlimits of sandbox_limits; the wall clock is the
 * caller's (sandbox_read/sandbox_write give up at the deadline).
 *
 * The child's descriptors: 0 /dev/null, 1 and 2 one pipe (its printing: the
 * first SANDBOX_SAID bytes kept, the rest counted), 3 the requests the
 * grader writes, 4 the answers it reads. */
#ifndef GRADLAB_SANDBOX_H
#define GRADLAB_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

typedef enum { ISOLATION_BWRAP, ISOLATION_UID, ISOLATION_NONE } isolation_kind;

typedef struct {
    isolation_kind kind;
    uid_t uid;               /* the unprivileged user (when the grader is root) */
    int drop;                /* 1: become uid before anything else (the grader is root) */
    char bwrap[256];         /* bubblewrap's path (ISOLATION_BWRAP) */
} sandbox_cfg;

typedef struct {
    double seconds;          /* wall clock of one run; CPU time is limited to this + 1 s */
    size_t memory_mb;        /* address space of each process (RLIMIT_AS) */
    size_t file_mb;          /* the largest file (RLIMIT_FSIZE) */
    size_t disk_mb;          /* each writable tmpfs, /tmp and /dev/shm (bwrap) */
    unsigned procs;          /* processes of the run's user (RLIMIT_NPROC) */
} sandbox_limits;

/* A path of the grader's shown read-only inside at `inside` (bwrap), or
 * reachable at its own path (uid, none). */
typedef struct {
    const char *outside, *inside;
} sandbox_bind;

enum { SANDBOX_SAID = 16384 };

typedef struct {
    pid_t pid;
    int to, from, said;       /* requests, answers, printing (-1: closed) */
    double deadline;          /* gc_clock() time the run is stopped at */
    const sandbox_cfg *cfg;
    const sandbox_limits *lim;
    /* after sandbox_finish: */
    int exited, code, signal, timed_out;
    char printed[SANDBOX_SAID];   /* the first bytes of stdout + stderr (NUL-terminated) */
    size_t printed_total;
} sandbox_run;

/* sandbox_choose: the strongest isolation this process can use: bwrap when
 * `bwrap` runs a trial command (as uid when we are root), else uid when we
 * are root, else none. uid is the unprivileged user to become. Writes one
 * line naming it to `name` (for the log and every results.json). */
void sandbox_choose(sandbox_cfg *cfg, uid_t uid, const char *bwrap, char *name, size_t size);

/* sandbox_start: runs argv (argv[0] a path inside) in cfg's isolation with
 * binds[0 .. nbinds), working directory `dir` (inside), the limits, and a
 * deadline lim->seconds from now. Returns 0, or -1 with run->printed saying
 * why it could not start. */
int sandbox_start(const sandbox_cfg *cfg, const sandbox_limits *lim, const sandbox_bind *binds,
                  size_t nbinds, const char *dir, char *const argv[], sandbox_run *run);

/* Writes size bytes of requests. Returns 0, or -1 when the run is gone or
 * the deadline passed (run->timed_out then). */
int sandbox_write(sandbox_run *run, const void *data, size_t size);

/* Reads exactly size bytes of answer. Returns 0, or -1 when the answers
 * ended first (the run exited or closed them) or the deadline passed. */
int sandbox_read(sandbox_run *run, void *data, size_t size);

/* Reads answers until they end, at most cap bytes into data; *got says how
 * many. Returns 0 at their end, -1 at the deadline or when more than cap came. */
int sandbox_read_all(sandbox_run *run, void *data, size_t cap, size_t *got);

/* 1 when an answer byte is waiting that nobody asked for. */
int sandbox_unasked(sandbox_run *run);

/* sandbox_finish: ends the run and everything it started (its namespace, or
 * every process of its uid), reaps it, keeps the rest of its printing and
 * fills exited/code/signal. Safe to call twice. */
void sandbox_finish(sandbox_run *run);

/* One line saying what ended a run that gave no complete answer: "crashed:
 * Segmentation fault (signal 11) ...", "no answer after 10 s ...". */
void sandbox_describe(const sandbox_run *run, char *buf, size_t size);

#endif
