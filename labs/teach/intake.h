/* intake.h — the files the grader takes from a submission: only the
 * student-editable src/ files (F.c), only regular files of one link, each at most
 * INTAKE_MAX_BYTES, copied out of the submission before anything runs. */
#ifndef GRADLAB_INTAKE_H
#define GRADLAB_INTAKE_H

#include <stddef.h>

enum { INTAKE_MAX_BYTES = 256 * 1024, INTAKE_MAX_FILES = 64 };

typedef struct {
    char names[INTAKE_MAX_FILES][64];   /* the editable files ("softmax.c") */
    size_t count;
    int taken[INTAKE_MAX_FILES];        /* 1: copied into dest */
} intake_list;

/* Reads the editable file names, one per line, from path. Returns 0, or -1
 * with why in err. */
int intake_load(const char *path, intake_list *l, char *err, size_t size);

/* Copies each editable file found in the folder sub (at src/F, at F, else
 * the first F anywhere below it in path order) into dest/F. Everything in
 * sub that is not a regular file or a folder, a hard link, or a file over
 * the cap, is refused: one line each (the first few) in notes, with the
 * files taken and the files missing. Returns the number taken, -1 when sub
 * itself is not a folder (said in notes). No symbolic link is followed at
 * any depth: a path through one is refused like the link itself. */
int intake_take(const char *sub, const char *dest, intake_list *l, char *notes, size_t size);

/* intake_digest: the SHA-256 of what was taken into dest (each editable
 * name, whether it was taken, and its bytes), as 64 hex digits: the
 * submission's identity, from which its hidden inputs are drawn. Returns 0,
 * or -1 when a taken file cannot be read. */
int intake_digest(const char *dest, const intake_list *l, char hex[65]);

#endif
