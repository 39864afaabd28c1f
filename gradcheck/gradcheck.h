/* gradcheck.h — libgradcheck: a finite-difference checker for the gradient of
 * any scalar function and the Jacobian of any map (C and C++; gradcheck(3)).
 *
 * A problem is a scalar loss f(x), x in R^n, that can also ADD its analytic
 * gradient into a caller-zeroed buffer, plus a description of how x splits into
 * named parameter blocks (so a coordinate is reported as dJ/dU[7][2]). The
 * checker compares the analytic gradient with central differences (or
 * Richardson extrapolation), re-derives any disagreeing coordinate with an
 * extrapolation tableau before calling it wrong, never passes on NaN or Inf,
 * and refuses to pass a vacuous check. Every entry point validates what it is
 * given: a problem or option it cannot use is GC_ERROR with the reason in the
 * report's note, never a crash and never a PASS with nothing checked.
 * The library knows nothing of any course: a program supplies its checks.
 */
#ifndef GRADCHECK_H
#define GRADCHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GC_VERSION "0.3.0"

#define GC_MAX_BLOCKS 16

/* The loss: returns f(x); when grad != NULL also ADDS df/dx into grad[0..n). */
typedef double (*gc_loss_fn)(void *ctx, const double *x, double *grad);

/* The loss with its gradient in parts (consecutive runs of blocks), each of
 * which may be left out: parts[k] points at part k of the gradient buffer,
 * or is NULL when that part is not asked for. */
typedef double (*gc_parts_fn)(void *ctx, const double *x, double *const *parts);
#define GC_MAX_PARTS 4

typedef enum { GC_CENTRAL, GC_RICHARDSON, GC_TAYLOR } gc_method;

typedef enum {
    GC_PASS, GC_FAIL, GC_VACUOUS, GC_NOT_IMPLEMENTED, GC_CRASH, GC_TIMEOUT, GC_ERROR
} gc_status;

struct gc_problem;
struct gc_options;
struct gc_report;
typedef gc_status (*gc_status_fn)(const struct gc_problem *p, const struct gc_options *o,
                                  struct gc_report *r);

/* The name of one output value, e.g. "dJ/dU[7][2]" or "log|det J|". */
typedef char gc_name[48];

/* A custom check's values for the grader to compare with the reference
 * solution: with out == NULL, returns only how many there are; else fills
 * out[] (and names[], when not NULL) and returns the count. */
typedef size_t (*gc_outputs_fn)(const struct gc_problem *p, double *out, gc_name *names);

/* A named block of x, laid out in order: rows x cols (row-major), or a vector
 * of `rows` entries when cols == 0. */
typedef struct {
    const char *name;
    size_t rows, cols;
} gc_block;

typedef struct gc_problem {
    gc_loss_fn f;
    void *ctx;                  /* owned by the problem; freed by gc_problem_free */
    void (*reset)(void *ctx);   /* restores random state; called before EVERY evaluation; may be NULL */
    void (*release)(void *ctx); /* frees what ctx itself points to (gc_problem_free); may be NULL */
    gc_status_fn custom;        /* not a gradient: checks itself; may be NULL */
    gc_outputs_fn outputs;      /* a custom check's values to compare with a reference; may be NULL */
    const struct gc_map *map;   /* a map check (gc_check_map) when custom is NULL; may be NULL.
                                 * Its functions are all the check calls, so a caller may wrap them. */
    double *x;                  /* the point to check at (n entries, owned) */
    size_t n;
    gc_block blocks[GC_MAX_BLOCKS];
    size_t nblocks;             /* block sizes add up to n */
    /* may be NULL: names a known mistake from a failing gradient (a the
     * analytic one, num the numeric one, NaN where not checked) into buf, or
     * leaves it empty; its words lead the diagnosis */
    void (*explain)(const struct gc_problem *p, const double *a, const double *num, char *buf,
                    size_t size);
    gc_parts_fn f_parts;        /* may be NULL; else every combination of NULL parts is checked: */
    size_t part_blocks[GC_MAX_PARTS];   /* the same loss, the asked parts' gradient added, */
    size_t nparts;              /* the others untouched; part k is part_blocks[k] blocks. */
} gc_problem;                   /* With f NULL, f(x, grad) is f_parts with grad split in parts. */

/* gc_loss: the problem's loss and (grad not NULL) its gradient added into
 * grad[0..n): p->f, or p->f_parts with grad split into its parts. */
double gc_loss(const gc_problem *p, const double *x, double *grad);



typedef struct gc_options {
    gc_method method;
    double tol;          /* largest error a coordinate may have (see handout 00) */
    uint64_t seed;       /* the check point and the sampled coordinates/directions */
    size_t full_limit;   /* blocks with at most this many entries: every coordinate
                            (0 with sample 0: the directional mode only) */
    size_t sample;       /* larger blocks: this many coordinates (half the largest |grad|) */
    size_t directions;   /* ... plus this many random unit directions */
} gc_options;



typedef struct {
    char name[32];
    size_t total, checked, directions, wrong;
    int refined;                 /* the worst value was re-derived by extrapolation */
    size_t kinks;                /* coordinates where f has a kink inside the stencil */
    double order;                /* --method taylor: fitted order of the remainder (0: not run) */
    double max_err;
    char where[64];              /* "dJ/dU[7][2]" or "dJ/dU . d3" */
    double analytic, numeric, step;
} gc_block_report;

typedef struct gc_report {
    gc_status status;
    double loss;                 /* the loss (a Jacobian check: the closed-form log|det J|) */
    double max_err;              /* the worst over all blocks */
    char where[64];
    double analytic, numeric, step;
    int refined;                 /* the worst value was re-derived by extrapolation */
    double refined_err_est;      /* that extrapolation's own error estimate */
    gc_block_report blocks[GC_MAX_BLOCKS];
    size_t nblocks;
    size_t kinks;                /* kinks accepted (analytic between the one-sided derivatives) */
    char kink_where[64];         /* the first of them */
    double kink_left, kink_right, kink_analytic;
    double order;                /* --method taylor: the smallest fitted order over the blocks */
    size_t evals;
    double seconds;
    char note[320];              /* why it failed, or a warning */
    char diagnosis[1024];        /* what the wrong coordinates have in common, if anything */
    char extra[320];             /* a Jacobian check: the log-det, round-trip and inverse figures */
} gc_report;

gc_options gc_default_options(void);
const char *gc_status_name(gc_status s);       /* "PASS", "FAIL", ... */
const char *gc_method_name(gc_method m);

/* Checks p's gradient at p->x (with o->method GC_TAYLOR: the Taylor test).
 * Fills *r completely and returns r->status:
 * GC_PASS, GC_FAIL (wrong, NaN/Inf, non-deterministic) or GC_VACUOUS
 * (a zero gradient of a loss that does not move: it proves nothing),
 * GC_ERROR with the reason in r->note: out of memory, or a problem or
 * options it cannot use (NULL f or x, n = 0, no blocks or more than
 * GC_MAX_BLOCKS, a block without a name or entries, block sizes that do not
 * add up to n, a tol that is not finite and in (0, 1), an unknown method).
 * With r NULL it returns GC_ERROR and writes nothing. Does not change p->x. */
gc_status gc_check_gradient(const gc_problem *p, const gc_options *o, gc_report *r);

/* Writes, for steps h = 1e-1 .. 1e-15, the largest error of forward,
 * central and Richardson differences against the analytic gradient (the data
 * behind the V-shaped step-size curve), and the Taylor remainders. Returns 0,
 * -1 on a write error, -2 when the problem is not valid (as for
 * gc_check_gradient), the point is unusable (NaN/Inf, not deterministic) or
 * memory runs out. */
int gc_sweep(const gc_problem *p, FILE *out);

/* gc_problem_valid: "" when p can be checked, else why not (one line; the
 * text is static). Every entry point that takes a problem asks this first. */
const char *gc_problem_valid(const gc_problem *p);

/* Formats the coordinate `i` of block b as "dJ/dU[7][2]" into buf (a name
 * that holds a '/', such as a Jacobian block's "dx/dz", is used as it is). */
void gc_coord_name(const gc_block *b, size_t i, char *buf, size_t size);

/* Frees what a check's setup allocated (p->release(ctx), then x and ctx) and zeroes *p. */
void gc_problem_free(gc_problem *p);

/* Allocates p->x (n zeroed doubles) and p->ctx (ctx_bytes zeroed bytes).
 * Returns 0, or -1 (and frees both) when out of memory. */
int gc_problem_alloc(gc_problem *p, size_t n, size_t ctx_bytes);

/* ---- outputs: a check's values, to compare with another implementation's ---- */

/* How many values gc_outputs gives for p: 1 + n for a loss (J, then dJ/dx),
 * m + 1 + m*m for a map (its output, log|det J|, J),
 * p->outputs' count for a custom check, 0 for a custom check without one
 * (nothing to compare: such a check is graded by its own verdict only). */
size_t gc_output_count(const gc_problem *p);

/* Fills out[0 .. gc_output_count(p)) at p->x (after p->reset): the loss and
 * its analytic gradient, a map's values, or a custom check's own; names[] too when not
 * NULL. Returns 0, or -1 when p is not valid or memory runs out. */
int gc_outputs(const gc_problem *p, double *out, gc_name *names);

/* ---- vector-valued maps f: R^m -> R^m ---- */
typedef struct gc_map {
    void (*map)(void *ctx, const double *in, double *out);
    int (*jacobian)(void *ctx, const double *in, double *J);       /* m x m, J[i][j] = dout_i/din_j; 0 ok */
    int (*log_abs_det)(void *ctx, const double *in, double *ld);   /* the closed form; 0 ok */
    void (*inverse)(void *ctx, const double *out, double *in);     /* may be NULL */
    void *ctx;
    size_t m;
    const double *x;                                               /* the check point */
    gc_block in[4], out[4];        /* the parts of in and out ("z", "u"; "x", "v"), rows only */
    size_t nin, nout;
} gc_map;

/* gc_check_map: the analytic Jacobian against central differences, entry by
 * entry (one block report per output part x input part, "dx/du[0][1]"); the
 * closed-form log|det J| against LU of J; with an inverse, the round trip
 * (1e-11 relative) and log|det J^-1| = -log|det J| (J^-1 by differences).
 * PASS, FAIL with the reason in r->note, or VACUOUS when log|det J| = 0;
 * ERROR when f is not usable (NULL map, jacobian, log_abs_det or x, m = 0,
 * parts that are missing or do not add up to m) or out of memory. */
gc_status gc_check_map(const gc_map *f, const gc_options *o, gc_report *r);

/* gc_log_abs_det: log |det A| of the m x m matrix A (unchanged) by LU with
 * partial pivoting; *sign is the determinant's sign (0 and -inf: singular).
 * NaN when out of memory. */
double gc_log_abs_det(const double *A, size_t m, int *sign);

/* ---- named checks: a problem set-up a program runs by name ---- */
typedef struct {
    const char *name;    /* e.g. "cross_entropy" */
    int group;           /* the group it belongs to (a program's module, lab, ...) */
    const char *what;    /* one line: what it checks, and the sizes */
    int (*setup)(gc_problem *p, uint64_t seed);   /* 0, or -1 when out of memory */
    const double *golden;  /* may be NULL: the loss at the points of seeds GC_GOLDEN_SEED + k, */
    size_t ngolden;        /* k < ngolden, worked out once from a reference implementation */
} gc_check;

/* The seeds of the golden points: fixed, whatever --seed is. */
#define GC_GOLDEN_SEED 0x60141de5ULL

/* A program's checks: tables, each ended by an entry whose name is NULL. */
typedef struct {
    const gc_check *const *tables;
    size_t ntables;
} gc_registry;

size_t gc_registry_count(const gc_registry *g);
const gc_check *gc_registry_at(const gc_registry *g, size_t i);     /* NULL past the end */
const gc_check *gc_registry_find(const gc_registry *g, const char *name);   /* NULL: none */

/* Runs check c (setup, check, free) in this process. GC_ERROR (with a note)
 * when c or its setup is NULL or the set-up fails. */
gc_status gc_run_check(const gc_check *c, const gc_options *o, gc_report *r);

/* gc_golden_verdict: the loss J at c's golden input k (the problem of seed
 * GC_GOLDEN_SEED + k) against c->golden[k], to 1e-9 relative. Returns 0 when
 * they agree (or c has no golden input k), else -1 with r set to GC_FAIL and
 * a note naming the likely slip ("the sign of the loss is flipped"). For a
 * caller that evaluates the losses itself (gc_run_check does this after a
 * passing check). */
int gc_golden_verdict(const gc_check *c, size_t k, double J, gc_report *r);

/* Runs check c in a child process with a time limit of `timeout` seconds
 * (0: none): a crash, a timeout or an exit() becomes GC_CRASH / GC_TIMEOUT
 * in *r, and an exit with GC_EXIT_NOT_IMPLEMENTED becomes GC_NOT_IMPLEMENTED. */
#define GC_EXIT_NOT_IMPLEMENTED 77
gc_status gc_run_isolated(const gc_check *c, const gc_options *o, unsigned timeout, gc_report *r);

/* gc_run_child: runs fn(arg, fd) in a child process, with its stdout sent to
 * stderr, GRADLAB_REPORT_FD naming fd (a pipe back to this process, where a
 * stub names itself before exiting GC_EXIT_NOT_IMPLEMENTED) and SIGALRM after
 * `timeout` seconds; the child exits 0 when fn returns. Up to `size` bytes it
 * writes on fd land in answer; returns how many, with the wait status in
 * *status (-1 and 0 bytes when no child could be started or fn is NULL). */
size_t gc_run_child(void (*fn)(void *arg, int fd), void *arg, unsigned timeout, void *answer,
                    size_t size, int *status);

/* ---- reports ---- */
typedef enum { GC_TEXT, GC_TAP, GC_JSON, GC_JUNIT } gc_format;

/* Each printer returns 0, or -1 when an argument is NULL or out of range
 * (nothing is printed) or the stream has a write error. `group_word` names
 * what a check's group is ("lab" prints "lab 3" and JSON "lab":3); NULL
 * leaves the group out. */
int gc_print_header(FILE *out, gc_format f, const gc_options *o, size_t count);
int gc_print_report(FILE *out, gc_format f, int explain, size_t number, const char *group_word,
                    const gc_check *c, const gc_report *r);
int gc_print_summary(FILE *out, gc_format f, const size_t counts[GC_ERROR + 1]);
/* JSON lines begin with a header object (version, method, tol, seed, checks)
 * and end with {"summary": {...}}. JUnit XML needs every report at once:
 * gc_print_report refuses GC_JUNIT, and gc_print_junit writes n reports as
 * one <testsuites>, a <testsuite> per group (in order of first use), a
 * <testcase> per check whose <failure> carries the diagnosis and the text
 * report. */
int gc_print_junit(FILE *out, const char *group_word, const gc_check *const *checks,
                   const gc_report *reports, size_t n);

/* Writes s as a JSON string (quotes included): control characters escaped,
 * invalid UTF-8 bytes replaced by '?', so any text a program made is safe.
 * NULL is written as "". */
void gc_json_string(FILE *out, const char *s);

/* Seconds on the monotonic clock: the one clock for timing. */
double gc_clock(void);

/* ---- files written whole or not at all ---- */
typedef struct {
    FILE *f;
    char path[4096];
    char tmp[4096 + 32];
} gc_outfile;

/* gc_outfile_open: opens a new temporary file "<path>.tmp.<pid>" beside path
 * for writing into o->f. Returns 0, or -1 with errno set and nothing created:
 * path empty or too long, an existing path that is a directory (EISDIR) or
 * not a regular file (EEXIST: a symbolic link, a FIFO or a device is never
 * replaced), or a directory that cannot be written. */
int gc_outfile_open(gc_outfile *o, const char *path);

/* gc_outfile_commit: closes the file and renames it over path (still only a
 * regular file or nothing). Returns 0, or -1 with errno set (a write error
 * on the way included); then the temporary file is gone and path as it was. */
int gc_outfile_commit(gc_outfile *o);

/* gc_outfile_abort: closes and removes the temporary file. */
void gc_outfile_abort(gc_outfile *o);

/* gc_outfile_error: the text for an errno from the calls above. */
const char *gc_outfile_error(int err);

#ifdef __cplusplus
}
#endif

#endif
