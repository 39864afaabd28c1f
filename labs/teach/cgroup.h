/* cgroup.h — a control group per sandboxed run, so that the run as a whole
 * (every process it starts, its shared memory, memfd files and tmpfs pages
 * included) is bounded in memory and processes, its CPU time is counted over
 * all its processes, its out-of-memory kills are told apart from anyone
 * else's, and the grader can kill exactly its processes.
 *
 * cgroup v2 (memory and pids controllers, under the grader's own group when
 * it is delegated, else under the hierarchy's root) where the machine has
 * them; else the v1 memory, pids and cpuacct hierarchies. Only root makes
 * groups; without them, cgroup_probe says which protection is missing and the
 * sandbox falls back to per-process rlimits.
 *
 * Shapes: a box is one folder per hierarchy (v2: one; v1: memory, pids,
 * cpuacct), "gradlab.PID.N" under the base folders cgroup_probe found. */
#ifndef GRADLAB_CGROUP_H
#define GRADLAB_CGROUP_H

#include <stddef.h>
#include <sys/types.h>

enum { CG_MEMORY, CG_PIDS, CG_CPU, CG_KINDS };
enum { CG_PATH = 1024 };          /* the longest folder path kept */

typedef struct {
    int version;                  /* 2, 1, or 0: none usable */
    char base[CG_KINDS][CG_PATH - 32];   /* the folder boxes are made in, per controller ("" none) */
} cgroup_host;

typedef struct {
    int version;
    char dir[CG_KINDS][CG_PATH];  /* the box's folders ("" where the host has none) */
} cgroup_box;

/* cgroup_probe: finds where this process may make boxes. Writes one line
 * for the log into what: "cgroup v1: memory, pids, cpuacct" or why none. */
void cgroup_probe(cgroup_host *host, char *what, size_t size);

/* cgroup_box_make: a new box with memory_mb of memory (swap none where the
 * host counts it) and at most pids processes. Returns 0, or -1 (the box is
 * then empty: version 0). */
int cgroup_box_make(const cgroup_host *host, size_t memory_mb, unsigned pids, cgroup_box *box);

/* cgroup_box_enter: moves the calling process into the box (before it
 * drops its privileges). Returns 0, or -1. */
int cgroup_box_enter(const cgroup_box *box);

/* cgroup_box_cpu: the CPU seconds all the box's processes used so far; -1
 * when the host does not count them. */
double cgroup_box_cpu(const cgroup_box *box);

/* cgroup_box_oom_kills: how many processes the kernel killed in the box
 * because it reached its memory limit (0 when unknown). */
long cgroup_box_oom_kills(const cgroup_box *box);

/* cgroup_box_kill: SIGKILL to every process in the box, until none is left
 * (at most about a second). Returns the number still there. */
unsigned cgroup_box_kill(const cgroup_box *box);

/* cgroup_box_remove: kills what is left and removes the box's folders. */
void cgroup_box_remove(cgroup_box *box);

/* cgroup_oom_kills_host: the kernel's count of out-of-memory kills on the
 * whole host (/proc/vmstat oom_kill), to tell a kill from outside the box. */
long cgroup_oom_kills_host(void);

#endif
