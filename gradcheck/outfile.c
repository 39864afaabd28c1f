/* outfile.c — a file written whole or not at all (gc_outfile_open in
 * gradcheck.h): a temporary file in the target's directory, renamed over the
 * target only when everything was written, and only over a regular file. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gradcheck.h"

/* 0 when path is a regular file or nothing yet, else -1 with errno saying
 * what it is (a directory, or another kind of file: a FIFO, a device, a
 * symbolic link, which are never replaced). */
static int replaceable(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (S_ISREG(st.st_mode))
        return 0;
    errno = S_ISDIR(st.st_mode) ? EISDIR : EEXIST;
    return -1;
}

const char *gc_outfile_error(int err)
{
    return err == EEXIST ? "it exists and is not a regular file (a link, a FIFO or a device), "
                           "which is never replaced" : strerror(err);
}

int gc_outfile_open(gc_outfile *o, const char *path)
{
    if (!o || !path || !path[0]) {
        errno = ENOENT;
        return -1;
    }
    memset(o, 0, sizeof *o);
    if (strlen(path) >= sizeof o->path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (replaceable(path) != 0)
        return -1;
    strcpy(o->path, path);
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0)
        return -1;
    o->f = fdopen(fd, "w");
    if (!o->f) {
        int saved = errno;
        close(fd);
        unlink(o->tmp);
        errno = saved;
        return -1;
    }
    return 0;
}

int gc_outfile_commit(gc_outfile *o)
{
    int bad = ferror(o->f);
    bad |= fclose(o->f) != 0;
    o->f = NULL;
    errno = bad ? (errno ? errno : EIO) : 0;
    if (bad || replaceable(o->path) != 0 || rename(o->tmp, o->path) != 0) {
        int saved = errno ? errno : EIO;
        unlink(o->tmp);
        errno = saved;
        return -1;
    }
    return 0;
}

void gc_outfile_abort(gc_outfile *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    unlink(o->tmp);
}
