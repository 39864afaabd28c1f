
/* A covert channel from a hidden test to a visible one, through the page
 * cache (appended to the reference cross_entropy.c, whose function the script
 * renamed softmax_cross_entropy_right). 17 files of /usr/share/doc that
 * nothing else reads carry 16 bits and a flag: a file in the cache is a 1
 * (read it), one out of it a 0 (evicted with POSIX_FADV_DONTNEED); a probe
 * reads the bits with preadv2(RWF_NOWAIT), which fails on a page not in the
 * cache. Each probe prints what it found ("CHANNEL xxxx") when it starts and
 * the hash of the last input its cross-entropy saw ("SAW xxxx") when it
 * ends, and leaves that hash in the channel for the next probe. A hidden
 * test's SAW must never show as a visible test's CHANNEL. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

enum { CHANNEL_BITS = 17 };
static char channel_files[CHANNEL_BITS][512];
static int channel_ready;
static unsigned channel_saw = 0x10000;       /* bit 16: nothing seen yet */

static int by_name(const void *a, const void *b) { return strcmp(a, b); }

/* The channel: the first 17 copyright files over 8 KiB, in name order. */
static void channel_open(void)
{
    static char all[4096][512];
    size_t count = 0;
    DIR *d = opendir("/usr/share/doc");
    struct dirent *e;
    while (d && (e = readdir(d)) && count < 4096) {
        struct stat st;
        snprintf(all[count], sizeof all[0], "/usr/share/doc/%s/copyright", e->d_name);
        if (e->d_name[0] != '.' && stat(all[count], &st) == 0 && S_ISREG(st.st_mode) &&
            st.st_size > 8192)
            count++;
    }
    if (d)
        closedir(d);
    qsort(all, count, sizeof all[0], by_name);
    channel_ready = count >= CHANNEL_BITS;
    for (size_t i = 0; channel_ready && i < CHANNEL_BITS; i++)
        memcpy(channel_files[i], all[i], sizeof all[0]);
}

static int channel_bit(const char *path)
{
    char c;
    struct iovec v = { &c, 1 };
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? preadv2(fd, &v, 1, 0, RWF_NOWAIT) : -1;
    if (fd >= 0)
        close(fd);
    return n == 1;
}

static void channel_set(const char *path, int bit)
{
    char buf[4096];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return;
    if (bit)
        while (read(fd, buf, sizeof buf) > 0)
            ;
    else
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
}

static void channel_write(void)
{
    if (!channel_ready || channel_saw >> 16)
        return;
    for (int i = 0; i < CHANNEL_BITS; i++)
        channel_set(channel_files[i], i == 16 ? 1 : (int)(channel_saw >> i & 1));
    fprintf(stderr, " SAW %04x\n", channel_saw);
}

__attribute__((constructor)) static void channel_read(void)
{
    if (fcntl(3, F_GETFD) < 0)
        return;                              /* not the grader's probe */
    channel_open();
    unsigned v = 0;
    for (int i = 0; channel_ready && i < CHANNEL_BITS; i++)
        v |= (unsigned)channel_bit(channel_files[i]) << i;
    if (v >> 16)
        fprintf(stderr, "CHANNEL %04x", v & 0xffff);
    atexit(channel_write);
}

double softmax_cross_entropy(const double *theta, const double *y, size_t n, double *grad_theta)
{
    unsigned h = 2166136261u;
    const unsigned char *bytes = (const unsigned char *)theta;
    for (size_t i = 0; i < n * sizeof *theta; i++)
        h = (h ^ bytes[i]) * 16777619u;
    channel_saw = (h ^ h >> 16) & 0xffff;
    return softmax_cross_entropy_right(theta, y, n, grad_theta);
}
