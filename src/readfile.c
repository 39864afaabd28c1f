/* readfile.c — see readfile.h. */
#include "readfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    errno = 0;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *more = realloc(buf, 2 * cap + 1);
        if (!more)
            free(buf);
        buf = more;
        cap *= 2;
    }
    int bad = ferror(f), err = errno;
    fclose(f);
    if (!buf || bad) {
        free(buf);
        errno = !bad ? ENOMEM : err ? err : EIO;      /* a directory reads as EISDIR */
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}
