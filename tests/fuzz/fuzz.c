/* fuzz.c — a mutation fuzzer for every reader of user input: the corpus,
 * the vectors file, the checkpoint, the grading table, a results.json (the
 * class report's reader; in this process) and
 * the command lines of the programs (each run in a child). Each target
 * starts from valid inputs and mutates them (flip, insert, delete, repeat,
 * splice a dictionary word) with a fixed seed for a bounded time; a crash
 * is a sanitizer's report (make check SAN=1) or a signal, and every refusal
 * must be one line.
 *   fuzz TARGET SECONDS SEED [PROGRAM]
 *   TARGET: corpus | vectors | checkpoint | table | results | options (PROGRAM: its path)
 * Prints "fuzz: TARGET: N runs, K accepted, M refused" and exits 0; 1 when an
 * invariant broke (the input is kept in /tmp/gl_fuzz_fail.TARGET). */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "class_results.h"
#include "corpus.h"
#include "exits.h"
#include "gradcheck.h"
#include "rng.h"
#include "table.h"
#include "lab3/w2v_io.h"

enum { MAX_INPUT = 1 << 16 };

typedef struct {
    unsigned char *b;
    size_t n;
} input;

static const char *const dict[] = {
    " ", "\n", "\r\n", "\t", "\0", "#", "seed", "0x", "-1", "1e308", "nan", "inf", "-0",
    "18446744073709551616", "gradient", "reference", "softmax", "visible", "hidden",
    "\xef\xbb\xbf", "\xff", "99999999999", "0", "1.5", ",",
};

/* One mutation of x, in place (x->b has room for MAX_INPUT bytes). */
static void mutate(input *x, rng_t *r)
{
    size_t at = x->n ? rng_index(r, x->n + 1) : 0;
    switch (rng_index(r, 5)) {
    case 0:                                                  /* flip a byte */
        if (x->n)
            x->b[rng_index(r, x->n)] ^= (unsigned char)(1u << rng_index(r, 8));
        break;
    case 1:                                                  /* delete a run */
        if (x->n) {
            size_t len = 1 + rng_index(r, 8), from = rng_index(r, x->n);
            len = len < x->n - from ? len : x->n - from;
            memmove(x->b + from, x->b + from + len, x->n - from - len);
            x->n -= len;
        }
        break;
    case 2: {                                                /* a dictionary word */
        const char *w = dict[rng_index(r, sizeof dict / sizeof dict[0])];
        size_t len = strlen(w) ? strlen(w) : 1;
        if (x->n + len < MAX_INPUT) {
            memmove(x->b + at + len, x->b + at, x->n - at);
            memcpy(x->b + at, w, len);
            x->n += len;
        }
        break;
    }
    case 3: {                                                /* repeat a run */
        size_t len = x->n ? 1 + rng_index(r, 32) : 0, from = x->n ? rng_index(r, x->n) : 0;
        len = len < x->n - from ? len : x->n - from;
        if (x->n + len < MAX_INPUT) {
            memmove(x->b + at + len, x->b + at, x->n - at);
            memmove(x->b + at, x->b + from + (from >= at ? len : 0), len);
            x->n += len;
        }
        break;
    }
    default:                                                 /* a random byte */
        if (x->n + 1 < MAX_INPUT) {
            memmove(x->b + at + 1, x->b + at, x->n - at);
            x->b[at] = (unsigned char)rng_next(r);
            x->n++;
        }
    }
}

static void save(const char *path, const input *x)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(x->b, 1, x->n, f);
        fclose(f);
    }
}

/* A refusal is one line: no newline inside, and not empty. */
static int one_line(const char *err)
{
    return err[0] && !strchr(err, '\n');
}

/* ---- the in-process readers: 0 kept its contract, 1 broke it ---- */

static int try_corpus(const char *path)
{
    corpus C;
    char err[512] = "";
    if (corpus_load(&C, path, 1, 0, err, sizeof err) != 0)
        return !one_line(err);
    int bad = C.V == 0 || C.n == 0;
    for (size_t i = 0; i < C.n; i++)
        bad |= C.ids[i] >= C.V;
    for (size_t w = 0; w < C.V; w++)
        bad |= strlen(C.words[w]) == 0 || strlen(C.words[w]) > CORPUS_MAX_WORD;
    corpus_free(&C);
    return bad;
}

static int try_vectors(const char *path)
{
    w2v_vectors v;
    char err[512] = "";
    if (w2v_read_vectors(path, &v, err, sizeof err) != 0)
        return !one_line(err);
    int bad = 0;
    for (size_t i = 0; i < v.V * v.d; i++)
        bad |= !isfinite(v.vec[i]);
    w2v_vectors_free(&v);
    return bad;
}

static int try_checkpoint(const char *path)
{
    w2v_ckpt_key key = { 0x1234, W2V_NEG, MODEL_SKIPGRAM, 2 };
    w2v_model m;
    w2v_progress p;
    char err[512] = "";
    if (w2v_model_init(&m, 4, 3, 1) != 0)
        return 1;
    int rc = w2v_load_checkpoint(path, &key, &m, &p, err, sizeof err), bad = 0;
    if (rc != 0) {
        bad = !one_line(err);
    } else {
        for (size_t i = 0; i < 12; i++)
            bad |= !isfinite(m.Vc[i]) || !isfinite(m.U[i]);
        w2v_progress_free(&p);
    }
    w2v_model_free(&m);
    return bad;
}

static int try_table(const char *path)
{
    test_list list = { 0 };
    char err[512] = "";
    int rc = table_load(path, &list, err, sizeof err), bad = rc != 0 ? !one_line(err) : list.count == 0;
    table_free(&list);
    return bad;
}

/* A grading table is read as lab 1's: dir/lab1/teach/table.txt, its path
 * into path; the folders are made. 0, or -1. */
static int table_dir(const char *dir, char *path, size_t size)
{
    static const char *const parts[] = { "", "/lab1", "/lab1/teach" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, size, "%s%s", dir, parts[i]);
        if (mkdir(path, 0755) != 0)
            return -1;
    }
    snprintf(path, size, "%s/lab1/teach/table.txt", dir);
    return 0;
}

static void table_dir_remove(const char *dir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/lab1/teach", dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/lab1", dir);
    rmdir(path);
    rmdir(dir);
}

static int try_results(const char *path)
{
    class_run run = { 0 };
    char err[600] = "";
    int rc = class_read(path, &run, err, sizeof err);
    int bad = rc == -1 ? !one_line(err) : rc == 0 ? run.count != 1 : 0;
    class_free(&run);
    return bad;
}

/* path without its last component (in place). */
static char *dirname_of(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash)
        *slash = '\0';
    return path;
}

/* The starting inputs, written valid. */
static void start(const char *target, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    if (strcmp(target, "corpus") == 0)
        fputs("in the beginning god created the heaven and the earth\nand the earth was "
              "without form\n", f);
    else if (strcmp(target, "vectors") == 0)
        fputs("3 2\nthe 0.5 -0.25\nearth 1e-3 2\ngod -1 0\n", f);
    else if (strcmp(target, "table") == 0)
        fputs("# a table\nseed 0x2545f4914f6cdd1d\ngradient softmax 2 visible\nreference "
              "softmax 1 hidden\n", f);
    else if (strcmp(target, "results") == 0)
        fputs("{\"score\": 2, \"output\": \"caf\u00e9 \\u00e9\",\n \"tests\": [\n  {\"name\": "
              "\"lab1/softmax: x\", \"score\": 2, \"max_score\": 2, \"status\": \"passed\", "
              "\"visibility\": \"visible\", \"output\": \"PASS\\n\", \"extra_data\": {\"code\": "
              "\"passed\", \"test\": \"lab1:gradient:softmax\", \"function\": \"softmax\", "
              "\"factor\": null, \"cause\": \"\"}}]}\n", f);
    fclose(f);
    if (strcmp(target, "checkpoint") == 0) {
        w2v_ckpt_key key = { 0x1234, W2V_NEG, MODEL_SKIPGRAM, 2 };
        w2v_model m;
        w2v_point pts[2] = { { 0.5, 2.0 }, { 1.0, 1.5 } };
        w2v_progress p = { .epochs_done = 1, .curve = pts, .npoints = 2, .cap = 2, .seconds = 0.1, .words = 10 };
        if (w2v_model_init(&m, 4, 3, 1) == 0) {
            w2v_save_checkpoint(path, &key, &m, &p);
            w2v_model_free(&m);
        }
    }
}

/* ---- command lines, each run in a child with a time limit ---- */

static const char *const words[] = {
    "--all", "--lab", "1", "3", "99", "--list", "--method", "taylor", "central", "--tol",
    "1e-7", "1", "1e308", "--seed", "0x10", "-1", "18446744073709551616", "--format", "tap",
    "json", "junit", "xml", "--timeout", "0", "--out", "/dev/null", "--sweep", "softmax",
    "relu", "--top", "1.5", "5abc", "--out-dir", "", "--lr", "nan", "--points", "--iters",
    "--dim", "--epochs", "--corpus", "/nonexistent", "--help", "--bogus", "--vectors",
    "--budget-ms", "--vocab", "2,3", "--negative", "--resume", "/tmp", "--window", "--hidden",
    "--batch", "--layers", "-", "--", "--max-words",
};

/* Runs prog with argv; 0 when it exited 0..3 (done, failed, usage, no
 * memory) within 20 s and, exiting GL_EXIT_USAGE, said one line. A trainer given valid options is stopped by an unusable corpus or
 * output directory placed first: the fuzz is of parsing, not training. */
static int try_options(const char *prog, char **argv)
{
    int err[2];
    if (pipe(err) != 0)
        return 0;
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(err[1], 2);
        close(err[0]);
        alarm(20);
        execv(prog, argv);
        _exit(GL_EXIT_NO_EXEC);
    }
    close(err[1]);
    char said[4096];
    size_t got = 0;
    ssize_t n;
    while ((n = read(err[0], said + got, sizeof said - 1 - got)) > 0)
        got += (size_t)n;
    said[got] = '\0';
    close(err[0]);
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) > GL_EXIT_NO_MEMORY)
        return 1;
    if (WEXITSTATUS(status) == GL_EXIT_USAGE) {                 /* one line, ended by its newline */
        char *nl = strchr(said, '\n');
        return !(nl && nl[1] == '\0') && !strstr(said, "cannot start: not implemented");
    }
    return 0;
}

static int fuzz_options(const char *prog, double seconds, uint64_t seed, const char *fail)
{
    rng_t r;
    rng_seed(&r, seed);
    size_t runs = 0, broke = 0;
    double t0 = gc_clock();
    const char *guard = strstr(prog, "gradcheck") || strstr(prog, "explore") ? NULL : "--out-dir";
    while (gc_clock() - t0 < seconds && !broke) {
        char *argv[16];
        size_t k = 0;
        argv[k++] = (char *)prog;
        size_t count = 1 + rng_index(&r, 6);
        for (size_t i = 0; i < count; i++)
            argv[k++] = (char *)words[rng_index(&r, sizeof words / sizeof words[0])];
        if (guard) {                                /* stop a valid run before it trains */
            argv[k++] = "--corpus", argv[k++] = "/nonexistent";
            argv[k++] = "--out-dir", argv[k++] = "/nonexistent-dir/fuzz";
        }
        argv[k] = NULL;
        runs++;
        if (try_options(prog, argv)) {
            broke = 1;
            FILE *f = fopen(fail, "w");
            for (size_t i = 0; f && i < k; i++)
                fprintf(f, "'%s' ", argv[i]);
            if (f)
                fclose(f);
        }
    }
    printf("fuzz: options of %s: %zu runs%s\n", prog, runs, broke ? ", BROKE (see the file)" : "");
    return broke;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: fuzz corpus|vectors|checkpoint|table|results|options SECONDS SEED "
                "[PROGRAM]\n");
        return 2;
    }
    const char *target = argv[1];
    double seconds = atof(argv[2]);
    uint64_t seed = strtoull(argv[3], NULL, 0);
    char fail[128], path[128];
    snprintf(fail, sizeof fail, "/tmp/gl_fuzz_fail.%s", target);
    if (strcmp(target, "options") == 0)
        return argc > 4 ? fuzz_options(argv[4], seconds, seed, fail) : 2;
    int (*try)(const char *) = strcmp(target, "corpus") == 0 ? try_corpus
                             : strcmp(target, "vectors") == 0 ? try_vectors
                             : strcmp(target, "checkpoint") == 0 ? try_checkpoint
                             : strcmp(target, "table") == 0 ? try_table
                             : strcmp(target, "results") == 0 ? try_results : NULL;
    if (!try)
        return fprintf(stderr, "fuzz: no target '%s'\n", target), 2;
    char dir[96];
    snprintf(dir, sizeof dir, "/tmp/gl_fuzz.%s.%d", target, (int)getpid());
    if (try == try_table && table_dir(dir, path, sizeof path) != 0)
        return fprintf(stderr, "fuzz: cannot make %s\n", path), 2;
    if (try != try_table)
        snprintf(path, sizeof path, "%s", dir);
    if (try == try_results) {                  /* the reader takes files named results.json */
        mkdir(path, 0700);
        strcat(path, "/results.json");
    }
    start(target, path);
    input x = { malloc(MAX_INPUT), 0 }, first = { malloc(MAX_INPUT), 0 };
    FILE *f = fopen(path, "rb");
    if (!x.b || !first.b || !f)
        return fprintf(stderr, "fuzz: cannot start %s\n", target), 2;
    first.n = fread(first.b, 1, MAX_INPUT, f);
    fclose(f);
    rng_t r;
    rng_seed(&r, seed);
    size_t runs = 0, broke = 0;
    double t0 = gc_clock();
    while (gc_clock() - t0 < seconds && !broke) {
        memcpy(x.b, first.b, first.n);              /* from the valid input, 1 to 8 mutations */
        x.n = first.n;
        for (size_t m = 1 + rng_index(&r, 8); m > 0; m--)
            mutate(&x, &r);
        save(path, &x);
        runs++;
        if (try(path)) {
            broke = 1;
            save(fail, &x);
        }
    }
    unlink(path);
    if (try == try_table)
        table_dir_remove(dir);
    if (try == try_results)
        rmdir(dirname_of(path));
    printf("fuzz: %s: %zu runs%s\n", target, runs, broke ? ", BROKE (input kept)" : "");
    free(x.b), free(first.b);
    return broke;
}
