/* readfile.h — a whole file in memory, for the readers of text (the corpus,
 * the release's leak check). */
#ifndef GRADLAB_READFILE_H
#define GRADLAB_READFILE_H

#include <stddef.h>

/* read_file: the bytes of path, NUL-terminated (malloc'd; the caller frees),
 * their count in *len (may be NULL). NULL with errno set: fopen's when it
 * cannot be opened, EISDIR or EIO when it cannot be read, ENOMEM when memory
 * runs out. */
char *read_file(const char *path, size_t *len);

#endif
