/* uidpool.c — leases of unprivileged uids, one grader each (uidpool.h). */
#define _GNU_SOURCE
#include "uidpool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

unsigned uid_process_count(uid_t uid, int zombies)
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
        count += real == (long)uid && (zombies || state != 'Z');
    }
    if (d)
        closedir(d);
    return count;
}

/* nftw callback of the sweep: removes what the (dropped) caller owns. */
static int remove_own(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)type;
    if (ftw->level > 0 && st->st_uid == getuid())
        remove(path);
    return 0;
}

/* In a child: becomes uid, kills every other process of it, removes its files. */
static _Noreturn void sweep(uid_t uid, int clean)
{
    if (setgroups(0, NULL) != 0 || setgid(uid) != 0 || setuid(uid) != 0 || getuid() != uid)
        _exit(1);
    for (int i = 0; i < 500 && uid_process_count(uid, 0) > 1; i++) {   /* 1: this one */
        kill(-1, SIGKILL);                 /* every process we may signal but this one */
        if (i)
            usleep(1000);
    }
    static const char *const shared[] = { "/tmp", "/var/tmp", "/dev/shm" };
    for (size_t i = 0; clean && i < sizeof shared / sizeof shared[0]; i++)
        nftw(shared[i], remove_own, 16, FTW_DEPTH | FTW_PHYS);
    _exit(0);
}

void uid_kill_all(uid_t uid, int clean)
{
    pid_t pid = fork();
    if (pid == 0)
        sweep(uid, clean);
    while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* The lock folder, made root's own 0700 when missing. Returns its descriptor or -1. */
static int lock_dir(char *err, size_t size)
{
    if (mkdir(UIDPOOL_DIR, 0700) != 0 && errno != EEXIST)
        return snprintf(err, size, "cannot make %s: %s", UIDPOOL_DIR, strerror(errno)), -1;
    int fd = open(UIDPOOL_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_uid != 0 || (st.st_mode & 077) != 0) {
        if (fd >= 0)
            close(fd);
        return snprintf(err, size, "%s is not a folder of root's own with mode 0700: "
                        "remove it", UIDPOOL_DIR), -1;
    }
    return fd;
}

int uid_lease_take(uid_t first, uid_lease *lease, char *err, size_t size)
{
    lease->uid = 0, lease->fd = -1;
    int dir = lock_dir(err, size);
    if (dir < 0)
        return -1;
    for (unsigned k = 0; k < UIDPOOL_SIZE; k++) {
        char name[32];
        snprintf(name, sizeof name, "%u", (unsigned)(first + k));
        int fd = openat(dir, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            continue;
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            close(fd);
            continue;                      /* another grader's */
        }
        lease->uid = first + k, lease->fd = fd;
        close(dir);
        if (uid_process_count(lease->uid, 0) > 0)
            uid_kill_all(lease->uid, 1);   /* a dead grader's leftovers */
        return 0;
    }
    close(dir);
    return snprintf(err, size, "all %d uids from %u are held by other graders", UIDPOOL_SIZE,
                    (unsigned)first), -1;
}

void uid_lease_release(uid_lease *lease)
{
    if (lease->fd >= 0)
        close(lease->fd);                  /* the lock ends with it */
    lease->fd = -1;
}
