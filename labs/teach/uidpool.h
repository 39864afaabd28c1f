/* uidpool.h — an unprivileged uid that no other grader on this host holds
 * while this one runs (make grade, make check and the autograder may run
 * side by side). A uid is leased by taking an exclusive lock on its own file
 * in a root-only folder; the lock ends with the lease or with the process,
 * however it ends, so a crashed grader never keeps its uid. Before a lease
 * is handed out, whatever a dead grader left running as that uid is killed.
 * Only for a grader running as root (it changes to the uid). */
#ifndef GRADLAB_UIDPOOL_H
#define GRADLAB_UIDPOOL_H

#include <stddef.h>
#include <sys/types.h>

enum { UIDPOOL_SIZE = 1000 };           /* uids first .. first + 999 */

typedef struct {
    uid_t uid;
    int fd;                              /* the held lock; -1: no lease */
} uid_lease;

/* The folder of the lock files: root's own, mode 0700. */
#define UIDPOOL_DIR "/run/gradlab-uids"

/* uid_lease_take: leases the first free uid of first .. first + UIDPOOL_SIZE - 1.
 * Returns 0, or -1 with one line in err: the lock folder is missing and
 * cannot be made, is not root's own 0700 folder, or every uid is held. */
int uid_lease_take(uid_t first, uid_lease *lease, char *err, size_t size);

/* uid_lease_release: gives the uid back (safe on a lease never taken). */
void uid_lease_release(uid_lease *lease);

/* uid_kill_all: as `uid` (in a child), kills every process of uid and,
 * with clean, removes its files from /tmp, /var/tmp and /dev/shm. Only for
 * a uid this process holds the lease of. */
void uid_kill_all(uid_t uid, int clean);

/* uid_process_count: processes whose real uid is `uid`; zombies too when
 * `zombies` (RLIMIT_NPROC counts them until they are reaped). */
unsigned uid_process_count(uid_t uid, int zombies);

#endif
