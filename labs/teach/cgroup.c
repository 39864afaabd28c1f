/* cgroup.c — a control group per sandboxed run (see cgroup.h). */
#define _GNU_SOURCE
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const v1_names[CG_KINDS] = { "memory", "pids", "cpuacct" };

/* Writes text to the control file dir/file. Returns 0, or -1. */
static int put(const char *dir, const char *file, const char *text)
{
    char path[CG_PATH + 64];
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
        return -1;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t len = (ssize_t)strlen(text);
    int ok = write(fd, text, (size_t)len) == len;
    return close(fd) == 0 && ok ? 0 : -1;
}

/* The number after `key` in dir/file ("oom_kill 3"), or with key NULL the
 * file's first number. -1 when there is none. */
static long long read_number(const char *dir, const char *file, const char *key)
{
    char path[CG_PATH + 64], line[256], name[64];
    long long value = -1, v;
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
        return -1;
    FILE *f = fopen(path, "re");
    while (f && value < 0 && fgets(line, sizeof line, f)) {
        if (!key && sscanf(line, "%lld", &v) == 1)
            value = v;
        else if (key && sscanf(line, "%63s %lld", name, &v) == 2 && strcmp(name, key) == 0)
            value = v;
    }
    if (f)
        fclose(f);
    return value;
}

/* From /proc/self/cgroup, this process's group in the hierarchy whose line
 * names `controller` ("" : the v2 line "0::"). Returns 0, or -1. */
static int own_group(const char *controller, char *path, size_t size)
{
    char line[1024];
    int found = -1;
    FILE *f = fopen("/proc/self/cgroup", "re");
    while (f && found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *list = strchr(line, ':'), *group = list ? strchr(list + 1, ':') : NULL;
        if (!group)
            continue;
        *group++ = '\0', list++;
        int match = controller[0] == '\0' ? list[0] == '\0' && strncmp(line, "0", 2) == 0 : 0;
        for (char *c = strtok(list, ","); c && !match; c = strtok(NULL, ","))
            match = controller[0] && strcmp(c, controller) == 0;
        if (match)
            found = snprintf(path, size, "%s", group) >= (int)size ? -1 : 0;
    }
    if (f)
        fclose(f);
    return found;
}

/* The mount point of the hierarchy of `controller` (v1, fstype cgroup), or
 * of cgroup2 when controller is "", with the mount's own root. Returns 0, or -1. */
static int mount_of(const char *controller, char *mnt, size_t size, char *root, size_t rsize)
{
    char line[2048];
    int found = -1;
    FILE *f = fopen("/proc/self/mountinfo", "re");
    while (f && found && fgets(line, sizeof line, f)) {
        char r[1024], m[1024], type[64], opts[1024];
        char *dash = strstr(line, " - ");
        if (!dash || sscanf(line, "%*s %*s %*s %1023s %1023s", r, m) != 2 ||
            sscanf(dash + 3, "%63s %*s %1023s", type, opts) != 2)
            continue;
        int match = controller[0] == '\0' ? strcmp(type, "cgroup2") == 0 : 0;
        for (char *c = strtok(opts, ","); c && !match && strcmp(type, "cgroup") == 0; c = strtok(NULL, ","))
            match = strcmp(c, controller) == 0;
        if (match && snprintf(mnt, size, "%s", m) < (int)size && snprintf(root, rsize, "%s", r) < (int)rsize)
            found = 0;
    }
    if (f)
        fclose(f);
    return found;
}

/* The folder of this process's group of `controller` ("": v2). Returns 0, or -1. */
static int group_dir(const char *controller, char *dir, size_t size)
{
    char mnt[CG_PATH], root[CG_PATH], group[CG_PATH];
    if (mount_of(controller, mnt, sizeof mnt, root, sizeof root) != 0 ||
        own_group(controller, group, sizeof group) != 0)
        return -1;
    const char *rel = group;
    size_t rl = strlen(root);
    if (strcmp(root, "/") != 0 && strncmp(group, root, rl) == 0)
        rel = group + rl;                  /* a namespaced mount shows its own root */
    return snprintf(dir, size, "%s%s", mnt, strcmp(rel, "/") == 0 ? "" : rel) < (int)size ? 0 : -1;
}

/* 1 when a box can be made and removed in dir. */
static int can_make_in(const char *dir)
{
    char probe[CG_PATH + 64];
    if (snprintf(probe, sizeof probe, "%s/gradlab.probe.XXXXXX", dir) >= (int)sizeof probe ||
        !mkdtemp(probe))
        return 0;
    rmdir(probe);
    return 1;
}

/* v2: the hierarchy's root with memory and pids handed down to a folder
 * "gradlab" of its own, where the boxes go. Returns 0, or -1. */
static int probe_v2(cgroup_host *host)
{
    char mnt[CG_PATH - 64], root[CG_PATH], dir[CG_PATH - 32];
    if (mount_of("", mnt, sizeof mnt, root, sizeof root) != 0)
        return -1;
    snprintf(dir, sizeof dir, "%s/gradlab", mnt);
    put(mnt, "cgroup.subtree_control", "+memory +pids");
    if ((mkdir(dir, 0755) != 0 && errno != EEXIST) ||
        put(dir, "cgroup.subtree_control", "+memory +pids") != 0 || !can_make_in(dir))
        return -1;
    for (int k = 0; k < CG_KINDS; k++)
        snprintf(host->base[k], sizeof host->base[k], "%s", dir);
    host->version = 2;
    return 0;
}

void cgroup_probe(cgroup_host *host, char *what, size_t size)
{
    memset(host, 0, sizeof *host);
    if (geteuid() != 0) {
        snprintf(what, size, "no cgroup (the grader is not root): memory is bounded per "
                 "process (RLIMIT_AS), shared memory and memfd files are not counted");
        return;
    }
    if (probe_v2(host) == 0) {
        snprintf(what, size, "cgroup v2: memory (shared memory and memfd included), pids, CPU time");
        return;
    }
    char have[64] = "";
    for (int k = 0; k < CG_KINDS; k++) {
        char dir[CG_PATH - 32];
        if (group_dir(v1_names[k], dir, sizeof dir) != 0 || !can_make_in(dir))
            continue;
        snprintf(host->base[k], sizeof host->base[k], "%s", dir);
        snprintf(have + strlen(have), sizeof have - strlen(have), "%s%s", have[0] ? ", " : "",
                 v1_names[k]);
        host->version = 1;
    }
    if (host->version == 1 && host->base[CG_MEMORY][0])
        snprintf(what, size, "cgroup v1: %s (shared memory and memfd counted)", have);
    else if (host->version == 1)
        snprintf(what, size, "cgroup v1: %s; no memory cgroup: shared memory and memfd files are "
                 "not counted", have);
    else
        snprintf(what, size, "no usable cgroup (neither v2 with memory and pids nor v1): memory "
                 "is bounded per process (RLIMIT_AS), shared memory and memfd files are not counted");
}

int cgroup_box_make(const cgroup_host *host, size_t memory_mb, unsigned pids, cgroup_box *box)
{
    char text[64];
    memset(box, 0, sizeof *box);
    box->version = host->version;
    for (int k = 0; k < CG_KINDS && host->version; k++) {
        if (!host->base[k][0] || (k > 0 && host->version == 2)) {
            if (host->version == 2)
                snprintf(box->dir[k], sizeof box->dir[k], "%s", box->dir[0]);
            continue;
        }
        if (snprintf(box->dir[k], sizeof box->dir[k], "%s/gradlab.XXXXXX", host->base[k]) >=
                (int)sizeof box->dir[k] || !mkdtemp(box->dir[k])) {
            box->dir[k][0] = '\0';
            goto fail;
        }
    }
    snprintf(text, sizeof text, "%zu", memory_mb << 20);
    const char *mem = box->dir[CG_MEMORY], *pid = box->dir[CG_PIDS];
    if (mem[0] && put(mem, box->version == 2 ? "memory.max" : "memory.limit_in_bytes", text) != 0)
        goto fail;
    if (mem[0])              /* no swap beyond the limit, where the host counts it */
        put(mem, box->version == 2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes",
            box->version == 2 ? "0" : text);
    snprintf(text, sizeof text, "%u", pids);
    if (pid[0] && put(pid, "pids.max", text) != 0)
        goto fail;
    return 0;
fail:
    cgroup_box_remove(box);
    return -1;
}

int cgroup_box_enter(const cgroup_box *box)
{
    char me[32];
    snprintf(me, sizeof me, "%d", (int)getpid());
    for (int k = 0; k < CG_KINDS; k++)
        if (box->dir[k][0] && (box->version == 1 || k == 0) && put(box->dir[k], "cgroup.procs", me) != 0)
            return -1;
    return 0;
}

double cgroup_box_cpu(const cgroup_box *box)
{
    const char *dir = box->dir[CG_CPU];
    if (!dir[0])
        return -1;
    long long v = box->version == 2 ? read_number(dir, "cpu.stat", "usage_usec")
                                    : read_number(dir, "cpuacct.usage", NULL);
    if (v < 0)
        return -1;
    return box->version == 2 ? (double)v * 1e-6 : (double)v * 1e-9;
}

long cgroup_box_oom_kills(const cgroup_box *box)
{
    const char *dir = box->dir[CG_MEMORY];
    if (!dir[0])
        return 0;
    long long v = read_number(dir, box->version == 2 ? "memory.events" : "memory.oom_control",
                              "oom_kill");
    return v > 0 ? (long)v : 0;
}

/* Sends SIGKILL to every process listed in dir/cgroup.procs; returns how many. */
static unsigned kill_listed(const char *dir)
{
    char path[CG_PATH + 64];
    long pid;
    unsigned count = 0;
    snprintf(path, sizeof path, "%s/cgroup.procs", dir);
    FILE *f = fopen(path, "re");
    while (f && fscanf(f, "%ld", &pid) == 1)
        count += kill((pid_t)pid, SIGKILL) == 0;
    if (f)
        fclose(f);
    return count;
}

unsigned cgroup_box_kill(const cgroup_box *box)
{
    const char *dir = box->dir[CG_MEMORY][0] ? box->dir[CG_MEMORY] : box->dir[CG_PIDS];
    if (!box->version || !dir[0])
        return 0;
    unsigned left = 0;
    for (int i = 0; i < 1000; i++) {
        if (box->version == 2)
            put(dir, "cgroup.kill", "1");
        left = kill_listed(dir);
        if (left == 0)
            break;
        usleep(1000);
    }
    return left;
}

void cgroup_box_remove(cgroup_box *box)
{
    cgroup_box_kill(box);
    for (int k = 0; k < CG_KINDS; k++) {
        if (!box->dir[k][0] || (box->version == 2 && k > 0))
            continue;
        for (int i = 0; i < 200 && rmdir(box->dir[k]) != 0 && errno == EBUSY; i++)
            usleep(5000);
    }
    memset(box, 0, sizeof *box);
}

long cgroup_oom_kills_host(void)
{
    long long v = read_number("/proc", "vmstat", "oom_kill");
    return v > 0 ? (long)v : 0;
}
