/* intake.c — the student's files, taken as regular files only (intake.h). */
#define _GNU_SOURCE
#include "intake.h"

#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_REFUSED = 5 };

static void add(char *notes, size_t size, const char *fmt, ...)
{
    size_t used = strlen(notes);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(notes + used, size - used, fmt, ap);
    va_end(ap);
}

int intake_load(const char *path, intake_list *l, char *err, size_t size)
{
    memset(l, 0, sizeof *l);
    FILE *f = fopen(path, "r");
    if (!f)
        return snprintf(err, size, "cannot read %s: %s", path, strerror(errno)), -1;
    char line[128];
    int bad = 0;
    while (!bad && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        bad = l->count == INTAKE_MAX_FILES || strlen(line) >= sizeof l->names[0] ||
              strchr(line, '/') || line[0] == '.';
        if (!bad)
            snprintf(l->names[l->count++], sizeof l->names[0], "%s", line);
    }
    fclose(f);
    if (bad)
        snprintf(err, size, "%s: a name is too long, holds a '/', or there are too many", path);
    return bad ? -1 : 0;
}

/* What a file that is not taken is, for the student's line. */
static const char *kind_of(const struct stat *st)
{
    if (S_ISLNK(st->st_mode)) return "a symbolic link";
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) return "a device";
    if (S_ISFIFO(st->st_mode)) return "a FIFO";
    if (S_ISSOCK(st->st_mode)) return "a socket";
    if (S_ISREG(st->st_mode) && st->st_nlink > 1) return "a hard link";
    if (S_ISREG(st->st_mode) && st->st_size > INTAKE_MAX_BYTES) return "larger than 256 KiB";
    return NULL;
}

/* The walk's findings: refused entries and, per editable file, the first
 * path (in byte order, relative to the submission) with its name. nftw has no user pointer, so the walk
 * fills this one, which lives only during intake_take. */
typedef struct {
    const char *root;
    intake_list *l;
    char found[INTAKE_MAX_FILES][4096];
    char refused[MAX_REFUSED][300];
    size_t nrefused, more_refused;
} walk_state;

static walk_state *walk;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)type;
    const char *rel = path + strlen(walk->root) + (ftw->level > 0);
    const char *kind = S_ISDIR(st->st_mode) ? NULL : kind_of(st);
    if (kind) {
        if (walk->nrefused < MAX_REFUSED)
            snprintf(walk->refused[walk->nrefused++], sizeof walk->refused[0], "%.200s (%s)",
                     rel, kind);
        else
            walk->more_refused++;
        return 0;
    }
    if (!S_ISREG(st->st_mode))
        return 0;
    for (size_t i = 0; i < walk->l->count; i++)
        if (strcmp(path + ftw->base, walk->l->names[i]) == 0 &&
            (!walk->found[i][0] || strcmp(rel, walk->found[i]) < 0))
            snprintf(walk->found[i], sizeof walk->found[i], "%s", rel);
    return 0;
}

/* Opens root/rel (a relative path without "..") one component at a time,
 * following no symbolic link at any depth: a link anywhere on the way, or a
 * last component that is not a regular file of one link within the cap,
 * gives -1. */
static int open_beneath(const char *root, const char *rel)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", rel) >= (int)sizeof path)
        return -1;
    int dir = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    char *save = NULL, *part = strtok_r(path, "/", &save);
    while (dir >= 0 && part) {
        char *next = strtok_r(NULL, "/", &save);
        int fd = strcmp(part, "..") == 0 ? -1
               : openat(dir, part, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (next ? O_DIRECTORY : O_NONBLOCK));
        close(dir);
        dir = fd, part = next;
        if (!next)
            break;
    }
    struct stat st;
    if (dir >= 0 && (fstat(dir, &st) != 0 || !S_ISREG(st.st_mode) || kind_of(&st))) {
        close(dir);
        return -1;
    }
    return dir;
}

/* The candidate for names[i], relative to the submission: src/F, F, else the
 * walk's first. "" when none that may be taken. */
static const char *candidate(const walk_state *w, const char *sub, size_t i, char *buf, size_t size)
{
    const char *name = w->l->names[i];
    const char *forms[] = { "src/%s", "%s" };
    for (size_t k = 0; k < 2; k++) {
        snprintf(buf, size, forms[k], name);
        int fd = open_beneath(sub, buf);
        if (fd >= 0)
            return close(fd), buf;
    }
    return w->found[i];
}

/* Copies sub/rel to dest/name, every component opened without following a
 * link. Returns 0, or -1. */
static int copy_in(const char *sub, const char *rel, const char *dest, const char *name)
{
    int in = open_beneath(sub, rel);
    if (in < 0)
        return -1;
    char path[4200], buf[65536];
    snprintf(path, sizeof path, "%s/%s", dest, name);
    int out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    ssize_t n = 0, total = 0;
    while (out >= 0 && (n = read(in, buf, sizeof buf)) > 0 && total + n <= INTAKE_MAX_BYTES)
        total += n, n = write(out, buf, (size_t)n) == n ? n : -1;
    close(in);
    if (out < 0 || n != 0 || close(out) != 0) {
        unlink(path);
        return -1;
    }
    return 0;
}

int intake_take(const char *sub, const char *dest, intake_list *l, char *notes, size_t size)
{
    struct stat st;
    notes[0] = '\0';
    if (lstat(sub, &st) != 0 || !S_ISDIR(st.st_mode)) {
        add(notes, size, "Your submission is not a folder of files, so nothing was taken.\n");
        return -1;
    }
    walk_state *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->root = sub, w->l = l;
    walk = w;
    nftw(sub, visit, 32, FTW_PHYS);
    walk = NULL;
    for (size_t i = 0; i < w->nrefused; i++)
        add(notes, size, "Refused, not a regular file of your own: %s.\n", w->refused[i]);
    if (w->more_refused)
        add(notes, size, "Refused: %zu more such entries.\n", w->more_refused);
    int taken = 0;
    char buf[4200], list[2048] = "", missing[2048] = "";
    for (size_t i = 0; i < l->count; i++) {
        const char *from = candidate(w, sub, i, buf, sizeof buf);
        l->taken[i] = from[0] && copy_in(sub, from, dest, l->names[i]) == 0;
        char *to = l->taken[i] ? list : missing;
        snprintf(to + strlen(to), 2048 - strlen(to), " src/%s", l->names[i]);
        taken += l->taken[i];
    }
    free(w);
    if (list[0])
        add(notes, size, "Graded with your%s.\n", list);
    if (missing[0])
        add(notes, size, "Not in your submission, so graded as not implemented:%s.\n", missing);
    return taken;
}

int intake_digest(const char *dest, const intake_list *l, char hex[65])
{
    sha256_ctx c;
    unsigned char digest[SHA256_BYTES], buf[65536];
    sha256_init(&c);
    for (size_t i = 0; i < l->count; i++) {
        sha256_update(&c, l->names[i], strlen(l->names[i]) + 1);
        sha256_update(&c, l->taken[i] ? "+" : "-", 1);
        if (!l->taken[i])
            continue;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dest, l->names[i]);
        int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        ssize_t n = 0;
        while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
            sha256_update(&c, buf, (size_t)n);
        if (fd < 0 || n < 0) {
            if (fd >= 0)
                close(fd);
            return -1;
        }
        close(fd);
        sha256_update(&c, "\0", 1);
    }
    sha256_final(&c, digest);
    sha256_hex(digest, hex);
    return 0;
}
