
/* A memory hog that no per-process limit sees (appended to the stubs'
 * sigmoid.c): in every probe a child fills memfd files of 16 MiB each,
 * unmapped again so that RLIMIT_AS never counts them, then waits. Bounded by
 * its run's memory cgroup, it must harm neither the grader nor a classmate,
 * and its gradebook row must be whole. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((constructor)) static void memfd_hog(void)
{
    enum { CHUNK = 16 << 20 };
    if (fcntl(3, F_GETFD) < 0)
        return;
    pid_t child = fork();
    if (child != 0) {                        /* the probe waits for its hog */
        waitpid(child, NULL, 0);
        return;
    }
    for (int i = 0; i < 512; i++) {
        int fd = memfd_create("gradlab-hog", 0);
        if (fd < 0 || ftruncate(fd, CHUNK) != 0)
            break;
        void *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED)
            break;
        memset(p, 1, CHUNK);
        munmap(p, CHUNK);
    }
    pause();
}
