/* outfile.h — write a whole file or none: open under a temporary name beside
 * the target, then rename it into place. A crash, a full disk or an error
 * half-way leaves the old file (or nothing) at the target path. */
#ifndef GRADLAB_OUTFILE_H
#define GRADLAB_OUTFILE_H

#include <stdio.h>

typedef struct {
    FILE *f;
    char path[4096];
    char tmp[4096 + 32];
} outfile;

/* outfile_open: opens "<path>.tmp.<pid>" for writing. Returns 0, or -1 with
 * errno set (nothing is created). */
int outfile_open(outfile *o, const char *path);

/* outfile_commit: closes the file and renames it to its path. Returns 0, or -1
 * (the temporary file is removed, the target left as it was). */
int outfile_commit(outfile *o);

/* outfile_abort: closes and removes the temporary file. */
void outfile_abort(outfile *o);

#endif
