/* gc_internal.h — what the checker's own files share (not installed).
 *
 * The layers, bottom first (each file uses only those above it):
 *   precision.c  double or float: steps, default tolerances, rounding
 *   blocks.c     block sizes, coordinate names, problem validation
 *   gc_rng.c     the random stream that picks coordinates and directions
 *   evaluator.c  the loss at the point and at displaced copies of it
 *   contract.c   the functions add (or write) into the caller's buffer, and only there
 *   diagnose.c   what a wrong gradient has in common
 *   judge.c      one analytic value against finite differences (re-derived, kinks)
 *   taylor.c     the Taylor test, first and second order
 *   check.c      the gradient check, and the dispatch by kind
 *   view.c       a map, a float map or a loss's gradient seen as one vector function
 *   side.c       the probes of its input and output; products.c its products' tests
 *   logdet.c     log|det| by LU; jacobian.c the map, JVP, VJP and second-order checks
 *   sweep.c, outputs.c beside them; isolate.c a check in a child process; report.c
 */
#ifndef GRADCHECK_INTERNAL_H
#define GRADCHECK_INTERNAL_H

#include "gradcheck.h"

/* ---- precision.c ---- */
typedef struct {
    gc_precision kind;
    double eps;                  /* DBL_EPSILON or FLT_EPSILON */
    double step_central;         /* eps^(1/3) */
    double step_richardson;      /* eps^(1/5) */
    double rtol;                 /* the default relative tolerance */
    double contract;             /* relative slack of the contract tests */
    const char *name;            /* "double", "float" */
} gc_prec;

const gc_prec *gc_prec_of(gc_precision p);
double gc_round(const gc_prec *q, double v);          /* v as the function sees it */
void gc_to_float(float *dst, const double *src, size_t n);
void gc_to_double(double *dst, const float *src, size_t n);

/* 1 when f0 and every g[i] look computed in float: all exactly floats, and
 * at least two of them with more than 12 significant bits. */
int gc_looks_float(double f0, const double *g, size_t n);

/* How values are judged in one check: the precision and the tolerances. */
typedef struct {
    const gc_prec *prec;
    double rtol, atol, nondet_tol, step;
} gc_judging;

gc_judging gc_judging_of(const gc_options *o, gc_precision p);
/* The difference step for a coordinate of magnitude `scale`. */
double gc_step(const gc_judging *j, gc_method m, double scale);
/* |a - n| <= atol + rtol mag */
int gc_within(const gc_judging *j, double a, double n, double mag);

/* ---- blocks.c ---- */
size_t gc_block_size(const gc_block *b);
double gc_max_abs(const double *v, size_t n);
double gc_dot(const double *a, const double *b, size_t n);
int gc_all_finite(const double *v, size_t n);          /* 1 when every entry is finite */
/* "U[7][2]": coordinate i of block b, without the "dJ/d". */
void gc_coord_suffix(const gc_block *b, size_t i, char *buf, size_t size);
/* Names coordinate i of the whole vector x by its block ("dJ/dU[7][2]"). */
void gc_name_coord(const gc_problem *p, size_t i, char *buf, size_t size);
/* gc_fit_text: src into dst[size], cut at a space with " ..." when it does
 * not fit: never in the middle of a word. */
void gc_fit_text(char *dst, size_t size, const char *src);
/* 0 when o can be used, else -1 with errno EINVAL and why not in why. */
int gc_options_valid(const gc_options *o, char *why, size_t size);
/* gc_refuse: fills *r as GC_ERROR with errno's err and the text why; returns GC_ERROR. */
gc_status gc_refuse(gc_report *r, int err, const char *why);
/* A block's name with a "d?/d" prefix, without repeating one ("dJ/dW", "dx/dz"). */
void gc_block_label(char *buf, size_t size, const char *prefix, const char *name);

/* ---- gc_rng.c: xoshiro256** seeded by splitmix64 (the generator of
 * gradlab's src/rng.c, so check points and sampled coordinates are the same
 * on every machine); the library keeps its own copy to stand alone. ---- */
typedef struct { uint64_t s[4]; } gc_rng;
void gc_rng_seed(gc_rng *r, uint64_t seed);
uint64_t gc_rng_next(gc_rng *r);
size_t gc_rng_index(gc_rng *r, size_t n);     /* uniform in [0, n), n > 0 */
/* A unit direction with entries +-1/sqrt(len), signs from r. */
void gc_rng_direction(gc_rng *r, double *dir, size_t len);

/* ---- evaluator.c ---- */
typedef struct {
    const gc_problem *p;
    gc_judging j;
    double *x0;              /* the point as the function sees it (rounded to float for f32) */
    double *x;               /* working copy of x0; always restored after a probe */
    double *grad, *grad2;    /* the analytic gradient at x0, and its second evaluation */
    float *xf, *gf;          /* f32's arguments */
    double f0;               /* the loss at x0 */
    double t0;               /* when gc_open started */
    size_t evals;
    int bad;                 /* a displaced evaluation was NaN/Inf */
    int looks_float;         /* a double loss whose values are all floats (its contract: float's slack) */
    char bad_note[160];
} evaluator;

/* A direction to move along: coordinate i, or the unit vector dir (len
 * entries) laid over x[lo .. lo+len). */
typedef struct {
    size_t i;
    const double *dir;
    size_t lo, len;
    const char *label;       /* for messages: "dJ/dU[7][2]" */
} probe;

double gc_eval(evaluator *e, double *grad);
double gc_displace(evaluator *e, const probe *q, double s);   /* returns the exact step taken */
void gc_restore(evaluator *e, const probe *q);

/* gc_open: zeroes *r, allocates the evaluator's buffers and evaluates loss and
 * gradient at the point twice (e->f0, e->grad, r->loss). Returns 0; or -1 with
 * r->status GC_ERROR (out of memory) or GC_FAIL (NaN/Inf at the point, or the
 * two evaluations differ) and r->note saying which. Call gc_close either way. */
int gc_open(evaluator *e, const gc_problem *p, const gc_options *o, gc_report *r);

/* gc_open_at: an evaluator for p at f0 = p's loss at p->x, already known:
 * no evaluation, no gradient (the map checks' re-derivation). 0 or -1 (ENOMEM). */
int gc_open_at(evaluator *e, const gc_problem *p, const gc_judging *j, double f0);

/* gc_close: records evaluations and time in *r (when not NULL) and frees the buffers. */
void gc_close(evaluator *e, gc_report *r);

/* What rounding f alone can put into a difference quotient at step h
 * (check.c's comment says why): 8 eps |f| sqrt(n) / h, plus the
 * non-determinism allowed (nondet_tol |f| / h). */
double gc_roundoff(const evaluator *e, double h);

/* ---- contract.c ----
 * gc_contract: after gc_open, tests that f adds into a buffer holding random
 * values (and adds again on a second call), touches no entry it has no
 * gradient for, and gives the same loss with a zeroed, a filled or no
 * buffer. Returns 0; or -1 with r->status GC_FAIL, the first offending
 * entry in r->note and r->where, and what the slip is in r->diagnosis. */
int gc_contract(evaluator *e, const gc_options *o, gc_report *r);

/* A product's contract (jacobian.c): fn(arg, v, buf) computes J v, u^T J or
 * H v for a vector v of `in` entries into buf (`out` entries), adding into
 * it (adds) or writing it. Into a buffer holding random values it must give
 * those plus (adds) or instead of them the product into a zeroed buffer,
 * twice in a row; it must leave v as it was and be linear in v. `what` names
 * it ("vjp"), name(arg, i) an output entry. Returns 0, -1 with r filled
 * (GC_FAIL), or -2 when fn refused (GC_FAIL) or memory ran out (GC_ERROR). */
typedef int (*gc_product_fn)(void *arg, const double *v, double *buf);
int gc_product_contract(gc_product_fn fn, void *arg, size_t in, size_t out, int adds,
                        const gc_judging *j, uint64_t seed, const char *what,
                        void (*name)(void *arg, size_t i, char *buf, size_t size), gc_report *r);

/* ---- diagnose.c ----
 * Writes what the wrong coordinates have in common into r->diagnosis (or
 * leaves it empty when there is no clear pattern). num[i] is the numeric
 * derivative of coordinate i (NaN where not checked), wrong[i] its verdict. */
void gc_diagnose(const gc_problem *p, const double *a, const double *num,
                 const unsigned char *wrong, gc_report *r);
/* Puts a problem's own explanation ("known", may be "") before r's diagnosis. */
void gc_lead_diagnosis(gc_report *r, const char *known);
/* "1.0001", "2.00": a factor with the digits that tell it from 1. */
void gc_format_factor(char *buf, size_t size, double k);

/* ---- judge.c: one analytic value against finite differences ---- */
typedef struct {
    double err, a, n, step, err_est;
    int refined, wrong;
    char where[96];
    int kink;                /* f has a kink inside the stencil */
    double left, right;      /* its one-sided derivatives */
    int relied;              /* it agrees only thanks to the noise allowance: */
    double allowance, roundoff;   /* the allowance and its round-off part, relative */
    int direction;           /* a random direction, not a coordinate */
} verdict;

extern const verdict GC_NO_VERDICT;     /* no value judged yet: any verdict is worse */
int gc_worse(const verdict *v, const verdict *w);
/* The numeric derivative along q with the method's step (its step in *step). */
double gc_numeric(evaluator *e, gc_method m, const probe *q, double scale, double *step);
/* Compares a with the numeric derivative n along q; re-derives before a FAIL,
 * and accepts a kink when a lies between the one-sided derivatives. */
verdict gc_judge(evaluator *e, const probe *q, double a, double n, double step, double scale,
                 double floor);
/* Keeps r's record of the value that leaned most on the noise allowance. */
void gc_note_allowance(gc_report *r, const verdict *v);

/* ---- taylor.c: the Taylor test (--method taylor); second order with hv
 * (H along a direction: hv(arg, d, Hd)) not NULL ---- */
typedef int (*gc_hv_fn)(void *arg, const double *d, double *Hd);
gc_status gc_taylor(const gc_problem *p, const gc_options *o, gc_hv_fn hv, void *arg,
                    gc_report *r);

/* ---- check.c ---- */
gc_status gc_check_loss(const gc_problem *p, const gc_options *o, gc_report *r);

/* ---- view.c: a vector function F: R^n -> R^m and what is given of its
 * derivative, whatever it came from: a map in double or float, or the
 * gradient of a loss (second order: F = grad f, J = H, both products H v) ---- */
typedef struct gc_view {
    size_t n, m;
    double *x;                   /* the point as the function sees it (owned) */
    gc_block in[GC_MAX_BLOCKS], out[GC_MAX_BLOCKS];   /* columns' and rows' parts */
    size_t nin, nout;
    const gc_prec *prec;
    const gc_map *f;             /* a map, or */
    const gc_problem *p;         /* a loss whose gradient F is */
    int has_jacobian, has_jvp, has_vjp;
    float *xf, *af, *bf, *Jf;    /* float arguments */
    size_t evals;
} gc_view;

/* gc_view_of_map: the view of f (validated: "" or why not in *why). 0, or
 * -1 with errno EINVAL (why says) or ENOMEM. gc_view_of_gradient: the view
 * of p's gradient (p valid, with hvp or hessian). Free with gc_view_free. */
int gc_view_of_map(gc_view *v, const gc_map *f, const char **why);
int gc_view_of_gradient(gc_view *v, const gc_problem *p);
void gc_view_free(gc_view *v);
/* F(x) into out (m); J (m x n, written); J d into Jd (m, written); u^T J
 * added into uJ (n). Each 0, or -1 when the function refused. */
int gc_view_value(gc_view *v, const double *x, double *out);
int gc_view_jacobian(gc_view *v, const double *x, double *J);
int gc_view_jvp(gc_view *v, const double *x, const double *d, double *Jd);
int gc_view_vjp(gc_view *v, const double *x, const double *u, double *uJ);
/* The name of entry (i, j) of J ("dx/dz[1][2]", "d2J/dW[0][1] db[2]") and of
 * the block of row part P and column part R ("dx/dz", "d2J/dW db"). */
void gc_view_entry_name(const gc_view *v, size_t i, size_t j, char *buf, size_t size);
void gc_view_block_name(const gc_view *v, size_t P, size_t R, char *buf, size_t size);
/* Which part index i of a side lies in, and its offset there. */
size_t gc_view_part(const gc_block *parts, size_t nparts, size_t i, size_t *at);

/* ---- logdet.c: a square map's log-determinant and inverse ----
 * gc_check_log_det: the closed form against LU of the analytic J (already
 * proven equal to the differences); on a mismatch says whether it is one
 * diagonal term too few or too many. gc_check_inverse: the round trip
 * (1e-11 relative) and log|det J^-1| + log|det J| = 0, J^-1 by central
 * differences (work: m*m + 6m doubles). Each returns 1 when it holds, else
 * 0 with r->note saying how not; the figures in *trip and *inv_sum. */
int gc_check_log_det(const double *J, size_t m, double closed, double lu, gc_report *r);
int gc_check_inverse(const gc_map *f, double ld, double *work, gc_report *r, size_t *evals,
                     double *trip, double *inv_sum);

/* ---- side.c: the probes of one side (input or output) of a view ---- */
typedef struct {
    size_t part;             /* the part it lies in */
    size_t i;                /* a coordinate: its index on the side; a direction: its number */
    const double *dir;       /* a direction's entries over the part; NULL for a coordinate */
} gc_side_probe;

typedef struct {
    const gc_block *parts;
    size_t nparts;
    gc_side_probe *p;
    size_t n;
    double *dirs;            /* the directions' storage */
} gc_side;

size_t gc_part_off(const gc_block *parts, size_t k);     /* where part k starts */
/* The probes of a side: every coordinate of a part of at most full_limit
 * entries, else `sample` distinct random ones (in order) and `directions`
 * random unit directions. 0 or -1 (ENOMEM); free with gc_side_free. */
int gc_side_pick(gc_side *s, const gc_block *parts, size_t nparts, const gc_options *o,
                 gc_rng *rng);
void gc_side_free(gc_side *s);
/* The probe as a vector of the whole side (len entries); y read along it. */
void gc_side_dense(const gc_side *s, const gc_side_probe *q, double *out, size_t len);
double gc_side_project(const gc_side *s, const gc_side_probe *q, const double *y);

/* ---- products.c ----
 * gc_products_contract: the contract of the product a check of `kind` is
 * about (jvp; vjp; a loss's hvp), when the view has it. 0, or -1 with r
 * filled. gc_products_identity: <u, J d> = <J^T u, d> for random unit u, d
 * (a loss's gradient: <u, H d> = <H u, d>, with hvp and/or J = H); returns
 * 1 and adds the figures to r->extra, or 0 with r a FAIL. scratch: 2 (n + m). */
int gc_products_contract(gc_view *v, gc_kind kind, const gc_judging *j, uint64_t seed,
                         gc_report *r);
int gc_products_identity(gc_view *v, const double *J, const gc_judging *j, uint64_t seed,
                         double *scratch, gc_report *r);

/* ---- jacobian.c ---- */
/* The map check of kind GC_JACOBIAN, GC_JVP or GC_VJP; `explainer` (may be
 * NULL) is the problem whose explain hook names a known mistake. */
gc_status gc_map_check(const gc_map *f, const gc_options *o, gc_kind kind,
                       const gc_problem *explainer, gc_report *r);
/* The same checks of a view (second order uses the gradient's view). */
gc_status gc_view_check(gc_view *v, const gc_options *o, gc_kind kind,
                        const gc_problem *explainer, gc_report *r);

#endif
