/* gradcheck.h — libgradcheck: a finite-difference checker for the gradient of
 * any scalar function, the Jacobian of any map R^n -> R^m, a user's own
 * forward-mode (J v) and reverse-mode (u^T J) products, and second order (a
 * Hessian-vector product, a Hessian), for functions in double or in float
 * (C and C++; gradcheck(3)).
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
 *
 * Failures of the library itself follow one convention (the C library's): a
 * function that fails returns -1 (an int), NaN (a number) or NULL (a
 * pointer) and sets errno: EINVAL (an argument it cannot use; nothing was
 * done), ENOMEM (out of memory), EDOM (the function checked is not usable at
 * its point: NaN, Inf, not deterministic), ECHILD (no child process could be
 * started), or the system's errno of a failed write. A check returns its
 * verdict; GC_ERROR when it could not run, with that errno value in
 * r->error and the reason in r->note. The one int that is a verdict rather
 * than a failure is gc_golden_verdict's -1.
 */
#ifndef GRADCHECK_H
#define GRADCHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GC_VERSION "0.4.0"

#define GC_MAX_BLOCKS 16

/* The loss: returns f(x); when grad != NULL also ADDS df/dx into grad[0..n). */
typedef double (*gc_loss_fn)(void *ctx, const double *x, double *grad);

/* The same loss computed in single precision (gc_problem.f32). */
typedef float (*gc_loss32_fn)(void *ctx, const float *x, float *grad);

/* The loss with its gradient in parts (consecutive runs of blocks), each of
 * which may be left out: parts[k] points at part k of the gradient buffer,
 * or is NULL when that part is not asked for. */
typedef double (*gc_parts_fn)(void *ctx, const double *x, double *const *parts);
#define GC_MAX_PARTS 4

/* Second order. A Hessian-vector product ADDS H v (H = d^2 f / dx^2 at x,
 * n x n) into Hv[0..n), as a gradient adds into its buffer; a Hessian WRITES
 * H (n x n, row-major). Each returns 0, or non-zero when it refuses x. */
typedef int (*gc_hvp_fn)(void *ctx, const double *x, const double *v, double *Hv);
typedef int (*gc_hvp32_fn)(void *ctx, const float *x, const float *v, float *Hv);
typedef int (*gc_hessian_fn)(void *ctx, const double *x, double *H);
typedef int (*gc_hessian32_fn)(void *ctx, const float *x, float *H);

typedef enum { GC_CENTRAL, GC_RICHARDSON, GC_TAYLOR } gc_method;

typedef enum {
    GC_PASS, GC_FAIL, GC_VACUOUS, GC_NOT_IMPLEMENTED, GC_CRASH, GC_TIMEOUT, GC_ERROR
} gc_status;

/* What a problem's check is (gc_problem.kind). GC_AUTO: a custom check when
 * the problem has one, else its map's Jacobian when it has a map, else its
 * gradient. GC_JVP and GC_VJP check the map's own products, GC_SECOND the
 * loss's second order (hvp and/or hessian). */
typedef enum { GC_AUTO, GC_GRADIENT, GC_JACOBIAN, GC_JVP, GC_VJP, GC_SECOND } gc_kind;

/* The precision a function computes in: its steps and default tolerances
 * follow (DBL_EPSILON or FLT_EPSILON). */
typedef enum { GC_DOUBLE, GC_FLOAT } gc_precision;

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
 * of `rows` entries when cols == 0. A name has 1 to 24 characters (a map's
 * parts: 1 to 12). */
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
    /* may be NULL: names a known mistake from a failing check into buf, or
     * leaves it empty; its words lead the diagnosis. For a gradient, a is the
     * analytic gradient and num the numeric one (NaN where not checked); for
     * a map, both are laid out as gc_outputs gives a map's values: a = (the
     * output, the closed-form log|det J|, J), num = (the output, log|det J|
     * by LU of J, J by differences), NaN where not computed. */
    void (*explain)(const struct gc_problem *p, const double *a, const double *num, char *buf,
                    size_t size);
    gc_parts_fn f_parts;        /* may be NULL; else every combination of NULL parts is checked: */
    size_t part_blocks[GC_MAX_PARTS];   /* the same loss, the asked parts' gradient added, */
    size_t nparts;              /* the others untouched; part k is part_blocks[k] blocks. */
                                /* With f NULL, f(x, grad) is f_parts with grad split in parts. */
    gc_loss32_fn f32;           /* with f and f_parts NULL: the loss in float, checked with
                                 * float's steps and tolerances (x is rounded to float) */
    gc_hvp_fn hvp;              /* second order (kind GC_SECOND); may be NULL */
    gc_hessian_fn hessian;      /* the gradient's own gradient, H; may be NULL */
    gc_hvp32_fn hvp32;          /* the same two for a float loss (f32) */
    gc_hessian32_fn hessian32;
    gc_kind kind;               /* what gc_check_gradient checks (GC_AUTO: see gc_kind) */
    /* may be NULL: names into buf what the loss J at p->x most likely
     * computes when a golden loss says it is not the loss asked (a window one
     * word short, a sum where a mean belongs), or leaves buf empty; its words
     * lead the diagnosis. */
    void (*explain_loss)(const struct gc_problem *p, double J, char *buf, size_t size);
    int kink_side;              /* at a kink (f not differentiable inside the stencil): 0, any
                                 * value between the one-sided derivatives passes (a
                                 * subgradient); -1 or +1, along a coordinate only the left or
                                 * the right one does (a convention, such as relu'(0) = 0) */
} gc_problem;

/* gc_loss: the problem's loss and (grad not NULL) its gradient added into
 * grad[0..n): p->f, p->f_parts with grad split into its parts, or p->f32
 * through float copies of x and grad (NaN with errno ENOMEM when those
 * cannot be allocated). */
double gc_loss(const gc_problem *p, const double *x, double *grad);

/* gc_problem_precision: GC_FLOAT for a problem given in float (f32, or a
 * map given as map32), else GC_DOUBLE. */
gc_precision gc_problem_precision(const gc_problem *p);

typedef struct gc_options {
    gc_method method;
    double rtol;         /* relative tolerance; 0: the function's precision's default,
                            1e-6 for double, 1e-6 (FLT_EPSILON/DBL_EPSILON)^(1/3) = 8.1e-4 for float */
    uint64_t seed;       /* the check point and the sampled coordinates/directions */
    size_t full_limit;   /* blocks with at most this many entries: every coordinate
                            (0 with sample 0: the directional mode only) */
    size_t sample;       /* larger blocks: this many coordinates (half the largest |grad|) */
    size_t directions;   /* ... plus this many random unit directions */
    double atol;         /* absolute tolerance (default 0). A value a (analytic) and n
                            (numeric) agree when |a - n| <= atol + rtol max(|a|, |n|, floor),
                            floor = 1e-3 of the block's largest magnitude */
    double step;         /* the relative step: h = step max(1, |x_i|); 0: eps^(1/3) for central
                            differences, eps^(1/5) for Richardson (eps of the precision) */
    double nondet_tol;   /* 0 (default): two evaluations at one point must be identical; else
                            they may differ by nondet_tol relative, and finite differences allow
                            that much noise */
} gc_options;

typedef struct {
    char name[64];
    size_t total;                /* coordinates of the block, or entries of a Jacobian block */
    size_t checked;              /* of those, how many were compared one by one */
    size_t directions;           /* random directions compared */
    size_t wrong;                /* how many of the compared values disagree (coordinates or
                                    entries and directions together) */
    size_t wrong_directions;     /* ... of which directions */
    int entries;                 /* 1: the block is part of a Jacobian (entries), 0: of a gradient */
    int refined;                 /* the worst value was re-derived by extrapolation */
    size_t kinks;                /* coordinates where f has a kink inside the stencil */
    double order;                /* --method taylor: fitted order of the remainder (0: not run) */
    double max_err;
    char where[96];              /* "dJ/dU[7][2]" or "dJ/dU . d3" */
    double analytic, numeric, step;
} gc_block_report;

typedef struct gc_report {
    gc_status status;
    double loss;                 /* the loss (a Jacobian check: the closed-form log|det J|) */
    double max_err;              /* the worst over all blocks */
    char where[96];
    double analytic, numeric, step;
    int refined;                 /* the worst value was re-derived by extrapolation */
    double refined_err_est;      /* that extrapolation's own error estimate */
    gc_block_report blocks[GC_MAX_BLOCKS];
    size_t nblocks;
    size_t kinks;                /* kinks accepted (analytic between the one-sided derivatives) */
    char kink_where[96];         /* the first of them */
    double kink_left, kink_right, kink_analytic;
    int kink_side;               /* the problem's kink_side they were judged by (0: any subgradient) */
    double order;                /* --method taylor: the smallest fitted order over the blocks */
    size_t evals;
    double seconds;
    char note[320];              /* why it failed (or, with a PASS, what to know) */
    char diagnosis[1024];        /* what the wrong coordinates have in common, if anything */
    char extra[320];             /* a Jacobian check: the log-det, round-trip and inverse figures */
    int error;                   /* GC_ERROR: the errno value of the failure (EINVAL, ENOMEM, ...) */
    gc_kind kind;                /* what was checked (never GC_AUTO once checked) */
    gc_precision precision;      /* of the function checked */
    double rtol, atol;           /* the tolerances applied */
    double order_want;           /* --method taylor: the order a right derivative gives (2, or 3
                                    for second order); it passes above order_want - 0.5 */
    size_t relied;               /* compared values that agree only thanks to the noise allowance
                                    (f's own round-off, the extrapolation's error) */
    double allowance;            /* the largest such allowance, relative like max_err */
    double allowance_err;        /* the error it let pass */
    double allowance_roundoff;   /* its part due to f's round-off (8 eps |f| sqrt(n) / h) */
    char allowance_where[96];
    char warning[320];           /* printed with any verdict ("" when none) */
} gc_report;

gc_options gc_default_options(void);
const char *gc_status_name(gc_status s);       /* "PASS", "FAIL", ... */
const char *gc_method_name(gc_method m);
const char *gc_kind_name(gc_kind k);           /* "gradient", "Jacobian", "JVP", ... */

/* Checks p at p->x: its gradient (with o->method GC_TAYLOR: the Taylor
 * test), or what p->kind names (gc_kind). Fills *r completely and returns
 * r->status: GC_PASS, GC_FAIL (wrong, NaN/Inf, non-deterministic) or
 * GC_VACUOUS (a zero gradient of a loss that does not move: it proves
 * nothing), GC_ERROR with errno's code in r->error and the reason in
 * r->note: out of memory (ENOMEM), or a problem or options it cannot use
 * (EINVAL: NULL f or x, n = 0, no blocks or more than GC_MAX_BLOCKS, a block
 * without a name, with one over 24 characters or without entries, block sizes
 * that do not add up to n, a tolerance that is not finite and in [0, 1), an
 * unknown method or kind, a kind the problem lacks the functions for).
 * With r NULL it returns GC_ERROR and writes nothing. Does not change p->x. */
gc_status gc_check_gradient(const gc_problem *p, const gc_options *o, gc_report *r);

/* gc_check_second: the second order of p's loss: p->hvp (H v against
 * central differences of the gradient along v, coordinate by coordinate or
 * along random directions, and <u, H v> = <H u, v>) and/or p->hessian
 * (entry by entry, and symmetric), or with o->method GC_TAYLOR the remainder
 * f(x + t d) - f(x) - t g.d - t^2/2 d.H d, of order 3 when H is right (2 when
 * it is wrong, 1 when the gradient is). The gradient itself is taken as
 * right: check it first. The same as gc_check_gradient with kind GC_SECOND. */
gc_status gc_check_second(const gc_problem *p, const gc_options *o, gc_report *r);

/* Writes, for steps h = 1e-1 .. 1e-15, the largest error of forward,
 * central and Richardson differences against the analytic gradient (the data
 * behind the V-shaped step-size curve), and the Taylor remainders, with the
 * analytic gradient and with it scaled by 1.1 (what a wrong one gives).
 * Returns 0, or -1 with errno EINVAL (a problem that is not valid, or not a
 * gradient), EDOM (the point is unusable: NaN/Inf, not deterministic),
 * ENOMEM, or the stream's errno (EIO when it has none) on a write error. */
int gc_sweep(const gc_problem *p, FILE *out);

/* gc_problem_valid: 0 when p can be checked; else -1 with errno EINVAL and
 * why not (one line) in why[0..size) when why is not NULL. Every entry point
 * that takes a problem asks this first. */
int gc_problem_valid(const gc_problem *p, char *why, size_t size);

/* Formats the coordinate `i` of block b as "dJ/dU[7][2]" into buf (a name
 * that holds a '/', such as a Jacobian block's "dx/dz", is used as it is). */
void gc_coord_name(const gc_block *b, size_t i, char *buf, size_t size);

/* Frees what a check's setup allocated (p->release(ctx), then x and ctx) and zeroes *p. */
void gc_problem_free(gc_problem *p);

/* Allocates p->x (n zeroed doubles) and p->ctx (ctx_bytes zeroed bytes).
 * Returns 0, or -1 with errno ENOMEM (and frees both), or EINVAL (p NULL). */
int gc_problem_alloc(gc_problem *p, size_t n, size_t ctx_bytes);

/* ---- outputs: a check's values, to compare with another implementation's ---- */

/* How many values gc_outputs gives for p: 1 + n for a loss (J, then dJ/dx),
 * m_out + 1 + m_out*m for a map (its output, log|det J|, J; m_out = m when
 * square, so m + 1 + m*m), p->outputs' count for a custom check, 0 for a
 * custom check without one (nothing to compare: such a check is graded by its
 * own verdict only) or a problem that is not valid. */
size_t gc_output_count(const gc_problem *p);

/* Fills out[0 .. gc_output_count(p)) at p->x (after p->reset): the loss and
 * its analytic gradient, a map's values (log|det J| NaN when the map gives
 * no log_abs_det; J from jacobian, else from jvp or vjp), or a custom
 * check's own; names[] too when not NULL. Returns 0, or -1 with errno
 * EINVAL (p not valid, out NULL) or ENOMEM. */
int gc_outputs(const gc_problem *p, double *out, gc_name *names);

/* ---- vector-valued maps f: R^m -> R^m_out ---- */
typedef struct gc_map {
    void (*map)(void *ctx, const double *in, double *out);
    int (*jacobian)(void *ctx, const double *in, double *J);       /* m_out x m, J[i][j] =
                                                                      dout_i/din_j; 0 ok */
    int (*log_abs_det)(void *ctx, const double *in, double *ld);   /* the closed form; 0 ok;
                                                                      square maps only */
    void (*inverse)(void *ctx, const double *out, double *in);     /* may be NULL; square only */
    void *ctx;
    size_t m;                      /* the input's length (and the output's when m_out is 0) */
    const double *x;               /* the check point */
    gc_block in[4], out[4];        /* the parts of in and out ("z", "u"; "x", "v"), rows only;
                                      nin 0 (nout 0): one part named "in" ("out") */
    size_t nin, nout;
    size_t m_out;                  /* the output's length; 0: m (a square map) */
    /* forward mode: WRITES J v into Jv[0..m_out); reverse mode: ADDS u^T J
     * (= J^T u) into uJ[0..m), as a gradient adds. 0 ok; may be NULL. */
    int (*jvp)(void *ctx, const double *in, const double *v, double *Jv);
    int (*vjp)(void *ctx, const double *in, const double *u, double *uJ);
    /* the map in single precision: with map NULL, map32 and the functions
     * below are used instead (log_abs_det and inverse are not checked) */
    void (*map32)(void *ctx, const float *in, float *out);
    int (*jacobian32)(void *ctx, const float *in, float *J);
    int (*jvp32)(void *ctx, const float *in, const float *v, float *Jv);
    int (*vjp32)(void *ctx, const float *in, const float *u, float *uJ);
} gc_map;

/* gc_check_map: the analytic Jacobian (jacobian, else assembled from jvp or
 * vjp) against central differences, entry by entry (one block report per
 * output part x input part, "dx/du[0][1]"; maps with more than o->full_limit
 * inputs or outputs: sampled columns and rows plus random directions), each
 * disagreeing entry re-derived by extrapolation before it is called wrong;
 * for a square map with log_abs_det, the closed-form log|det J| against LU
 * of J; with an inverse, the round trip (1e-11 relative) and log|det J^-1| =
 * -log|det J| (J^-1 by differences).
 * PASS, FAIL with the reason in r->note, or VACUOUS when log|det J| = 0 (or
 * J = 0 everywhere and the map does not move); ERROR when f is not usable
 * (NULL map, no jacobian, jvp or vjp, NULL x, m = 0 or m_out * m over 2^24,
 * parts that are missing, named over 12 characters or do not add up, a
 * log_abs_det or inverse on a map that is not square or is given in float)
 * or out of memory. */
gc_status gc_check_map(const gc_map *f, const gc_options *o, gc_report *r);

/* gc_check_jvp, gc_check_vjp: f's forward-mode product J v (or reverse-mode
 * u^T J) against central differences, for every input coordinate v = e_j
 * (every output coordinate u = e_i) or, beyond o->full_limit, sampled ones
 * and random directions, diagnosed like a gradient; first its contract (jvp
 * writes its whole buffer, vjp adds into it, both linear, neither changes
 * its arguments); and when f gives both, <u, J v> = <J^T u, v> for random
 * u, v. The same verdicts and errors as gc_check_map. */
gc_status gc_check_jvp(const gc_map *f, const gc_options *o, gc_report *r);
gc_status gc_check_vjp(const gc_map *f, const gc_options *o, gc_report *r);

/* gc_log_abs_det: log |det A| of the m x m matrix A (unchanged) by LU with
 * partial pivoting; *sign is the determinant's sign (0 and -inf: singular).
 * NaN with errno EINVAL (A NULL, m 0 or over 65536) or ENOMEM. */
double gc_log_abs_det(const double *A, size_t m, int *sign);

/* ---- named checks: a problem set-up a program runs by name ---- */
typedef struct {
    const char *name;    /* e.g. "cross_entropy" */
    int group;           /* the group it belongs to (a program's module, lab, ...) */
    const char *what;    /* one line: what it checks, and the sizes */
    int (*setup)(gc_problem *p, uint64_t seed);   /* 0, or -1 with errno (ENOMEM) */
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

/* Runs check c (setup, check, free) in this process. GC_ERROR (with a note
 * and r->error) when c or its setup is NULL, the set-up fails, or, after a
 * passing check, a golden point cannot be set up (or is not a loss). After a
 * failing one the golden losses are compared too: a wrong loss is named
 * first in the diagnosis (the loss is wrong as well as its gradient). */
gc_status gc_run_check(const gc_check *c, const gc_options *o, gc_report *r);

/* gc_golden_verdict: the loss J at c's golden input k (the problem of seed
 * GC_GOLDEN_SEED + k) against c->golden[k], to 1e-9 relative. Returns 0 when
 * they agree (or c has no golden input k), else -1 with r set to GC_FAIL and
 * a note naming the likely slip ("the sign of the loss is flipped"): a
 * verdict, not a failure (errno is untouched). For a caller that evaluates
 * the losses itself (gc_run_check does this after a passing check). */
int gc_golden_verdict(const gc_check *c, size_t k, double J, gc_report *r);

/* Runs check c in a child process with a time limit of `timeout` seconds
 * (0: none): a crash, a timeout or an exit() becomes GC_CRASH / GC_TIMEOUT
 * in *r, and an exit with GC_EXIT_NOT_IMPLEMENTED becomes GC_NOT_IMPLEMENTED. */
#define GC_EXIT_NOT_IMPLEMENTED 77
gc_status gc_run_isolated(const gc_check *c, const gc_options *o, unsigned timeout, gc_report *r);

/* The environment variable gc_run_child sets in the child: the number of
 * the descriptor of the pipe back to the parent. A function that cannot run
 * there (an unwritten stub) writes one line "not implemented: NAME (FILE)"
 * to it and exits with GC_EXIT_NOT_IMPLEMENTED; gc_run_isolated reports that
 * line as the check's note. */
#define GC_REPORT_FD_ENV "GRADLAB_REPORT_FD"

/* gc_run_child: runs fn(arg, fd) in a child process, with its stdout sent to
 * stderr, GC_REPORT_FD_ENV naming fd (a pipe back to this process) and
 * SIGALRM after `timeout` seconds (0: none); the child exits 0 when fn
 * returns. Up to `size` bytes it writes on fd land in answer, their count in
 * *got (may be NULL), the wait status in *status. Returns 0, or -1 with errno
 * EINVAL (fn NULL, answer NULL with size, status NULL) or ECHILD (no child
 * could be started; *got is 0). */
int gc_run_child(void (*fn)(void *arg, int fd), void *arg, unsigned timeout, void *answer,
                 size_t size, size_t *got, int *status);

/* ---- reports ---- */
typedef enum { GC_TEXT, GC_TAP, GC_JSON, GC_JUNIT } gc_format;

/* Each printer returns 0, or -1 with errno EINVAL when an argument is NULL or
 * out of range (nothing is printed), or the stream's errno (EIO when it has
 * none) on a write error. `group_word` names what a check's group is ("lab"
 * prints "lab 3" and JSON "lab":3); NULL leaves the group out. */
int gc_print_header(FILE *out, gc_format f, const gc_options *o, size_t count);
int gc_print_report(FILE *out, gc_format f, int explain, size_t number, const char *group_word,
                    const gc_check *c, const gc_report *r);
int gc_print_summary(FILE *out, gc_format f, const size_t counts[GC_ERROR + 1]);
/* JSON lines begin with a header object (version, method, tol, rtol, atol,
 * seed, checks) and end with {"summary": {...}}. JUnit XML needs every
 * report at once: gc_print_report refuses GC_JUNIT, and gc_print_junit writes
 * n reports as one <testsuites>, a <testsuite> per group (in order of first
 * use), a <testcase> per check whose <failure> carries the diagnosis and the
 * text report. */
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
