/* jacobian.c — the checks of a vector function F: R^n -> R^m (a view.c view:
 * a map in double or float, or a loss's gradient), all one way. Input probes
 * q (every coordinate e_j of a small input part; sampled coordinates and
 * random unit directions of a large one) and output probes w (the same on
 * the output side) give the values w^T J q:
 *   numeric:  w^T (F(x + h q) - F(x - h q)) / (2h), two evaluations per q;
 *   analytic: from J itself (jacobian), from J q (jvp, once per q) or from
 *             w^T J (vjp, once per w).
 * Each value is judged like a gradient's coordinate (judge.c: the error
 * with its floor, re-derivation by extrapolation of w^T F along q before a
 * FAIL, kinks), counted in the block of its output part x input part
 * ("dx/dz"), and the entries (both probes coordinates) diagnosed like a
 * gradient block. Then, for a square map's Jacobian, the closed-form log|det|
 * against LU and the inverse (logdet.c); for a jvp or vjp, its contract and,
 * with both, <u, J v> = <J^T u, v> (products.c; for a loss's gradient:
 * <u, H v> = <H u, v>, H symmetric). The probes are side.c's. The floor of
 * the entries' errors is 1e-3 of the largest analytic entry; of values along
 * directions, of the largest of their kind. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_internal.h"

enum { MAX_COMPARED = 1 << 24, MAX_DIAGNOSED = 1 << 22 };

typedef gc_side_probe side_probe;
typedef gc_side side;

typedef enum { FROM_JACOBIAN, FROM_JVP, FROM_VJP } source;

typedef struct {
    gc_view *v;
    const gc_options *o;
    gc_judging j;
    gc_kind kind;
    source src;
    side cols, rows;
    double *A, *N;           /* rows.n x cols.n: analytic and numeric w^T J q */
    double *step;            /* per column probe */
    double *J;               /* the analytic J (m x n), when known */
    double *Fx;              /* F(x), once needed */
    double floor[4];         /* by (row is a direction, column is one) */
    double *da, *dn;         /* the entries, block by block, for the diagnosis (or NULL) */
    unsigned char *dw;
    gc_report *r;
} engine;

static double probe_scale(const engine *E, const side_probe *q)
{
    if (!q->dir)
        return fabs(E->v->x[q->i]);
    return gc_max_abs(E->v->x + gc_part_off(E->cols.parts, q->part),
                      gc_block_size(&E->cols.parts[q->part]));
}

/* ---- names ---- */

/* The value w^T J q as it is reported: "dx/dz[1][2]", "dx/dz[1][:] . d3",
 * "u2 . dx/dz[:][0]", "d2J/dW[0][1] db[2]", "u1 . d2J/dW db . d3". */
static void value_name(const engine *E, const side_probe *w, const side_probe *q, char *buf,
                       size_t size)
{
    const gc_view *v = E->v;
    if (!w->dir && !q->dir) {
        gc_view_entry_name(v, w->i, q->i, buf, size);
        return;
    }
    char row[96], col[96], pre[16] = "", post[16] = "", full[320];
    size_t at;
    if (w->dir)
        snprintf(pre, sizeof pre, "u%zu . ", w->i);
    if (q->dir)
        snprintf(post, sizeof post, " . d%zu", q->i);
    if (v->p) {
        if (w->dir)
            snprintf(row, sizeof row, "%s", v->out[w->part].name);
        else
            gc_coord_suffix(&v->out[w->part], (gc_view_part(v->out, v->nout, w->i, &at), at), row,
                            sizeof row);
        if (q->dir)
            snprintf(col, sizeof col, "%s", v->in[q->part].name);
        else
            gc_coord_suffix(&v->in[q->part], (gc_view_part(v->in, v->nin, q->i, &at), at), col,
                            sizeof col);
        snprintf(full, sizeof full, "%sd2J/d%s d%s%s", pre, row, col, post);
    } else {
        char name[96];
        gc_view_block_name(v, w->part, q->part, name, sizeof name);
        if (w->dir)
            snprintf(row, sizeof row, "[:]");
        else
            snprintf(row, sizeof row, "[%zu]", (gc_view_part(v->out, v->nout, w->i, &at), at));
        if (q->dir)
            snprintf(col, sizeof col, "[:]");
        else
            snprintf(col, sizeof col, "[%zu]", (gc_view_part(v->in, v->nin, q->i, &at), at));
        snprintf(full, sizeof full, "%s%s%s%s%s", pre, name, row, col, post);
    }
    gc_fit_text(buf, size, full);
}

/* What a kind compares, for the notes: "Jacobian entries", "entries of J v (jvp)". */
static const char *compared(const engine *E, int one)
{
    int hess = E->v->p != NULL;
    if (E->kind == GC_JVP || (hess && E->src == FROM_JVP))
        return hess ? (one ? "value of H v (hvp)" : "values of H v (hvp)")
                    : (one ? "value of J v (jvp)" : "values of J v (jvp)");
    if (E->kind == GC_VJP)
        return one ? "value of u^T J (vjp)" : "values of u^T J (vjp)";
    return hess ? (one ? "Hessian entry" : "Hessian entries")
                : (one ? "Jacobian entry" : "Jacobian entries");
}

/* ---- the analytic and numeric values ---- */

static int fail(engine *E, const char *why)
{
    snprintf(E->r->note, sizeof E->r->note, "%s", why);
    E->r->status = GC_FAIL;
    return -1;
}

/* A = w^T J q from the analytic source. 0, or -1 with r filled. */
static int analytic(engine *E, double *vin, double *vout)
{
    gc_view *v = E->v;
    size_t n = v->n, m = v->m, nq = E->cols.n;
    if (E->src == FROM_JACOBIAN) {
        if (gc_view_jacobian(v, v->x, E->J) != 0 || !gc_all_finite(E->J, m * n))
            return fail(E, v->p ? "the analytic Hessian is not finite or was refused at the check "
                        "point" : "the analytic Jacobian is not finite or was refused at the "
                        "check point");
        for (size_t c = 0; c < nq; c++) {                /* vout = J q */
            const side_probe *q = &E->cols.p[c];
            if (q->dir)
                gc_side_dense(&E->cols, q, vin, n);
            for (size_t i = 0; i < m; i++)
                vout[i] = q->dir ? gc_dot(E->J + i * n, vin, n) : E->J[i * n + q->i];
            for (size_t w = 0; w < E->rows.n; w++)
                E->A[w * nq + c] = gc_side_project(&E->rows, &E->rows.p[w], vout);
        }
        return 0;
    }
    const char *what = v->p ? "hvp" : E->src == FROM_JVP ? "jvp" : "vjp";
    char why[120];
    if (E->src == FROM_JVP) {
        for (size_t c = 0; c < nq; c++) {
            gc_side_dense(&E->cols, &E->cols.p[c], vin, n);
            if (gc_view_jvp(v, v->x, vin, vout) != 0 || !gc_all_finite(vout, m)) {
                snprintf(why, sizeof why, "%s refused the check point or gave NaN or Inf there",
                         what);
                return fail(E, why);
            }
            for (size_t w = 0; w < E->rows.n; w++)
                E->A[w * nq + c] = gc_side_project(&E->rows, &E->rows.p[w], vout);
        }
        return 0;
    }
    for (size_t w = 0; w < E->rows.n; w++) {
        gc_side_dense(&E->rows, &E->rows.p[w], vout, m);
        memset(vin, 0, n * sizeof *vin);
        if (gc_view_vjp(v, v->x, vout, vin) != 0 || !gc_all_finite(vin, n)) {
            snprintf(why, sizeof why, "%s refused the check point or gave NaN or Inf there", what);
            return fail(E, why);
        }
        for (size_t c = 0; c < nq; c++)
            E->A[w * nq + c] = gc_side_project(&E->cols, &E->cols.p[c], vin);
    }
    return 0;
}

/* N = w^T (F(x + h q) - F(x - h q)) / (the step taken): central differences
 * at h = eps^(1/3) max(1, |x|), the steps rounded as the function sees them.
 * 0, or -1 with r filled (NaN or Inf next to the point). */
static int numeric(engine *E, double *xp, double *fp, double *fm, double *col)
{
    gc_view *v = E->v;
    size_t n = v->n, m = v->m, nq = E->cols.n;
    memcpy(xp, v->x, n * sizeof *xp);
    for (size_t c = 0; c < nq; c++) {
        const side_probe *q = &E->cols.p[c];
        double h = gc_step(&E->j, GC_CENTRAL, probe_scale(E, q)), taken = 2 * h;
        E->step[c] = h;
        if (!q->dir) {
            size_t j = q->i;
            volatile double up = gc_round(v->prec, v->x[j] + h), down;
            xp[j] = up;
            gc_view_value(v, xp, fp);
            xp[j] = down = gc_round(v->prec, v->x[j] - h);
            gc_view_value(v, xp, fm);
            xp[j] = v->x[j];
            taken = up - down;                          /* the step actually taken */
        } else {
            size_t off = gc_part_off(E->cols.parts, q->part);
            size_t len = gc_block_size(&E->cols.parts[q->part]);
            for (int s = 1; s >= -1; s -= 2) {
                for (size_t k = 0; k < len; k++)
                    xp[off + k] = gc_round(v->prec, v->x[off + k] + s * h * q->dir[k]);
                gc_view_value(v, xp, s > 0 ? fp : fm);
            }
            memcpy(xp + off, v->x + off, len * sizeof *xp);
        }
        for (size_t i = 0; i < m; i++)
            col[i] = (fp[i] - fm[i]) / taken;
        if (!gc_all_finite(col, m))
            return fail(E, "the map gives NaN or Inf next to the check point");
        for (size_t w = 0; w < E->rows.n; w++)
            E->N[w * nq + c] = gc_side_project(&E->rows, &E->rows.p[w], col);
    }
    return 0;
}

/* ---- judging the values ---- */

/* w^T F as a loss, for re-deriving one value by extrapolation. */
typedef struct {
    gc_view *v;
    const double *w;
    double *out;
} scalar;

static double scalar_f(void *ctx, const double *x, double *grad)
{
    const scalar *s = ctx;
    (void)grad;
    gc_view_value(s->v, x, s->out);
    return gc_all_finite(s->out, s->v->m) ? gc_dot(s->w, s->out, s->v->m) : NAN;
}

/* The value (w, q) re-derived and judged (judge.c); -1 when memory ran out. */
static int rederive(engine *E, const side_probe *w, const side_probe *q, double a, double n,
                    double step, double floor, const char *label, verdict *out)
{
    gc_view *v = E->v;
    double *buf = malloc((2 * v->m) * sizeof *buf), *wv = buf ? buf + v->m : NULL;
    if (!buf)
        return -1;
    if (!E->Fx && (E->Fx = malloc(v->m * sizeof *E->Fx)) != NULL)
        gc_view_value(v, v->x, E->Fx);
    gc_side_dense(&E->rows, w, wv, v->m);
    scalar s = { v, wv, buf };
    gc_problem ap;
    memset(&ap, 0, sizeof ap);
    ap.f = scalar_f, ap.ctx = &s, ap.x = v->x, ap.n = v->n;
    evaluator e;
    memset(&e, 0, sizeof e);
    if (!E->Fx || gc_open_at(&e, &ap, &E->j, gc_dot(wv, E->Fx, v->m)) != 0) {
        gc_close(&e, NULL);
        free(buf);
        return -1;
    }
    size_t off = q->dir ? gc_part_off(E->cols.parts, q->part) : 0;
    size_t len = q->dir ? gc_block_size(&E->cols.parts[q->part]) : 0;
    probe pq = { q->dir ? 0 : q->i, q->dir, off, len, label };
    *out = gc_judge(&e, &pq, a, n, step, probe_scale(E, q), floor);
    gc_close(&e, NULL);
    free(buf);
    return 0;
}

static double entry_err(double a, double n, double floor)
{
    return a == n ? 0.0 : fabs(a - n) / fmax(fmax(fabs(a), fabs(n)), floor);
}

static int class_of(const side_probe *w, const side_probe *q)
{
    return (w->dir != NULL) * 2 + (q->dir != NULL);
}

/* The floors: 1e-3 of the largest analytic entry (both probes
 * coordinates), or of the largest value of the same kind. */
static void floors(engine *E)
{
    size_t nq = E->cols.n;
    memset(E->floor, 0, sizeof E->floor);
    if (E->src == FROM_JACOBIAN)
        E->floor[0] = gc_max_abs(E->J, E->v->m * E->v->n);
    for (size_t w = 0; w < E->rows.n; w++)
        for (size_t c = 0; c < nq; c++) {
            int k = class_of(&E->rows.p[w], &E->cols.p[c]);
            double a = fabs(E->A[w * nq + c]), n = fabs(E->N[w * nq + c]);
            E->floor[k] = fmax(E->floor[k], k == 0 ? a : fmax(a, n));
        }
    for (int k = 0; k < 4; k++)
        E->floor[k] *= 1e-3;
}

/* Where entry (i, j) lies in the diagnosis arrays (block by block). */
static size_t diag_index(const engine *E, size_t i, size_t j)
{
    const gc_view *v = E->v;
    size_t ai, aj, P = gc_view_part(v->out, v->nout, i, &ai), R = gc_view_part(v->in, v->nin, j, &aj);
    size_t at = 0;
    for (size_t k = 0; k < P * v->nin + R; k++)
        at += gc_block_size(&v->out[k / v->nin]) * gc_block_size(&v->in[k % v->nin]);
    return at + ai * gc_block_size(&v->in[R]) + aj;
}

/* Every value judged into its block's report; returns the number wrong, or
 * (size_t)-1 when memory ran out. */
static size_t judge_all(engine *E)
{
    gc_view *v = E->v;
    gc_report *r = E->r;
    size_t nq = E->cols.n, wrong = 0;
    verdict bworst[GC_MAX_BLOCKS], worst = GC_NO_VERDICT;
    r->nblocks = v->nout * v->nin;
    for (size_t k = 0; k < r->nblocks; k++) {
        gc_block_report *b = &r->blocks[k];
        bworst[k] = GC_NO_VERDICT;
        gc_view_block_name(v, k / v->nin, k % v->nin, b->name, sizeof b->name);
        b->total = gc_block_size(&v->out[k / v->nin]) * gc_block_size(&v->in[k % v->nin]);
        b->entries = 1;
    }
    for (size_t w = 0; w < E->rows.n; w++)
        for (size_t c = 0; c < nq; c++) {
            const side_probe *pw = &E->rows.p[w], *pq = &E->cols.p[c];
            size_t k = pw->part * v->nin + pq->part;
            double a = E->A[w * nq + c], n = E->N[w * nq + c], floor = E->floor[class_of(pw, pq)];
            char label[96];
            value_name(E, pw, pq, label, sizeof label);
            verdict vd = GC_NO_VERDICT;
            vd.err = entry_err(a, n, floor), vd.a = a, vd.n = n, vd.step = E->step[c];
            vd.direction = pw->dir || pq->dir;
            snprintf(vd.where, sizeof vd.where, "%s", label);
            if (!(vd.err <= E->j.rtol || gc_within(&E->j, a, n, fmax(fmax(fabs(a), fabs(n)), floor)))
                && rederive(E, pw, pq, a, n, E->step[c], floor, label, &vd) != 0)
                return (size_t)-1;
            vd.direction = pw->dir || pq->dir;
            gc_block_report *b = &r->blocks[k];
            b->checked += !vd.direction, b->directions += vd.direction;
            b->wrong += vd.wrong, b->wrong_directions += vd.wrong && vd.direction;
            b->kinks += vd.kink && !vd.wrong;
            wrong += vd.wrong;
            if (vd.wrong != bworst[k].wrong ? vd.wrong > bworst[k].wrong : vd.err >= bworst[k].err)
                bworst[k] = vd;                           /* ties: the later entry */
            if (gc_worse(&vd, &worst))
                worst = vd;
            if (vd.kink && !vd.wrong && r->kinks++ == 0) {
                snprintf(r->kink_where, sizeof r->kink_where, "%s", vd.where);
                r->kink_left = vd.left, r->kink_right = vd.right, r->kink_analytic = vd.a;
            }
            gc_note_allowance(r, &vd);
            if (E->da && !vd.direction) {
                size_t at = diag_index(E, pw->i, pq->i);
                E->da[at] = a, E->dn[at] = vd.n, E->dw[at] = (unsigned char)vd.wrong;
            }
        }
    for (size_t k = 0; k < r->nblocks; k++) {
        gc_block_report *b = &r->blocks[k];
        const verdict *bw = &bworst[k];
        if (bw->err < 0)
            continue;
        b->max_err = bw->err, b->analytic = bw->a, b->numeric = bw->n, b->step = bw->step;
        b->refined = bw->refined;
        char where[96] = "";                    /* every byte set: the report is sent whole */
        snprintf(where, sizeof where, "%s", bw->where);
        memcpy(b->where, where, sizeof b->where);
    }
    if (worst.err >= 0) {
        r->max_err = worst.err, r->analytic = worst.a, r->numeric = worst.n;
        r->refined = worst.refined, r->refined_err_est = worst.err_est;
        snprintf(r->where, sizeof r->where, "%s", worst.where);
    }
    return wrong;
}

/* The note of a check with wrong values, counted as what they are. */
static void note_wrong(engine *E)
{
    gc_report *r = E->r;
    size_t wc = 0, wd = 0, nc = 0, nd = 0;
    for (size_t b = 0; b < r->nblocks; b++) {
        wc += r->blocks[b].wrong - r->blocks[b].wrong_directions;
        wd += r->blocks[b].wrong_directions;
        nc += r->blocks[b].checked, nd += r->blocks[b].directions;
    }
    if (nd == 0)
        snprintf(r->note, sizeof r->note, "%zu %s disagree%s with finite differences", wc,
                 compared(E, wc == 1), wc == 1 ? "s" : "");
    else
        snprintf(r->note, sizeof r->note, "%zu of %zu %s and %zu of %zu values along random "
                 "directions disagree with finite differences", wc, nc, compared(E, 0), wd, nd);
}

/* The diagnosis: the entries block by block, read as gradient blocks. */
static void diagnose(engine *E)
{
    const gc_view *v = E->v;
    if (!E->da)
        return;
    gc_problem blocks;
    memset(&blocks, 0, sizeof blocks);
    for (size_t k = 0; k < E->r->nblocks; k++)
        blocks.blocks[k] = (gc_block){ E->r->blocks[k].name, gc_block_size(&v->out[k / v->nin]),
                                       gc_block_size(&v->in[k % v->nin]) };
    blocks.n = v->m * v->n;
    blocks.nblocks = E->r->nblocks;
    gc_diagnose(&blocks, E->da, E->dn, E->dw, E->r);
}

/* ---- a square map's log-determinant and inverse (logdet.c) ---- */

/* The whole analytic J (from jacobian, else jvp columns, else vjp rows). */
static int whole_jacobian(engine *E, double *vin, double *vout)
{
    gc_view *v = E->v;
    size_t n = v->n, m = v->m;
    if (E->src == FROM_JACOBIAN)
        return 0;
    for (size_t j = 0; j < n && v->has_jvp; j++) {
        memset(vin, 0, n * sizeof *vin);
        vin[j] = 1;
        if (gc_view_jvp(v, v->x, vin, vout) != 0)
            return -1;
        for (size_t i = 0; i < m; i++)
            E->J[i * n + j] = vout[i];
    }
    for (size_t i = 0; i < m && !v->has_jvp; i++) {
        memset(vout, 0, m * sizeof *vout);
        vout[i] = 1;
        memset(E->J + i * n, 0, n * sizeof *E->J);
        if (gc_view_vjp(v, v->x, vout, E->J + i * n) != 0)
            return -1;
    }
    return 0;
}

/* log|det J| (closed form against LU of J) and the inverse, for a square map
 * in double that gives them. Sets r->status. */
static void log_det_and_inverse(engine *E, double *vin, double *vout)
{
    const gc_map *f = E->v->f;
    gc_report *r = E->r;
    size_t m = f->m;
    double ld = NAN, lu = NAN, trip = NAN, inv_sum = NAN, *work = malloc((m * m + 6 * m) * sizeof *work);
    r->status = GC_FAIL;
    if (!work) {
        r->status = GC_ERROR, r->error = ENOMEM;
        snprintf(r->note, sizeof r->note, "out of memory");
        return;
    }
    if (whole_jacobian(E, vin, vout) != 0) {
        snprintf(r->note, sizeof r->note, "jvp or vjp refused the check point");
        goto done;
    }
    int sign;
    lu = gc_log_abs_det(E->J, m, &sign);
    if (f->log_abs_det(f->ctx, f->x, &ld) != 0 || !isfinite(ld)) {
        snprintf(r->note, sizeof r->note, "the closed-form log|det J| is %s; LU of J gives %.10g",
                 isnan(ld) ? "NaN" : "not finite or was refused", lu);
        goto done;
    }
    if (!gc_check_log_det(E->J, m, ld, lu, r))
        goto done;
    if (f->inverse && !gc_check_inverse(f, ld, work, r, &E->v->evals, &trip, &inv_sum))
        goto done;
    r->status = fabs(ld) < 1e-12 ? GC_VACUOUS : GC_PASS;
    if (r->status == GC_VACUOUS)
        snprintf(r->note, sizeof r->note, "log|det J| is 0 at this point, so a missing log or abs "
                 "or a sign slip would not show: check with scales away from +-1");
done:
    if (isfinite(lu) && isfinite(ld))
        snprintf(r->extra, sizeof r->extra, "log|det J|: closed form %.12g, LU of J %.12g "
                 "(diff %.1e)", ld, lu, fabs(ld - lu));
    if (isfinite(trip))
        snprintf(r->extra + strlen(r->extra), sizeof r->extra - strlen(r->extra),
                 "; round trip %.1e; log|det J^-1| + log|det J| = %.1e", trip, inv_sum);
    r->loss = ld;
    free(work);
}

/* ---- the check ---- */

/* The source of A for a kind: "" or why the view cannot be checked so. */
static const char *choose_source(engine *E)
{
    gc_view *v = E->v;
    if (E->kind == GC_JVP) {
        E->src = FROM_JVP;
        return v->has_jvp ? "" : "a JVP check needs the map's jvp (NULL)";
    }
    if (E->kind == GC_VJP) {
        E->src = FROM_VJP;
        return v->has_vjp ? "" : "a VJP check needs the map's vjp (NULL)";
    }
    E->src = v->has_jacobian ? FROM_JACOBIAN : v->has_jvp ? FROM_JVP : FROM_VJP;
    return "";
}

/* The problem's explanation of a failing map check, on the values laid out
 * as gc_outputs gives them (analytic, numeric): output, log|det J|, J. */
static void explain_map(engine *E, const gc_problem *p)
{
    gc_view *v = E->v;
    size_t m = v->m, n = v->n, count = m + 1 + m * n;
    if (!p || !p->explain || !v->f || m > MAX_DIAGNOSED / n)
        return;
    double *a = malloc(2 * count * sizeof *a), *num = a ? a + count : NULL;
    if (!a)
        return;
    for (size_t i = 0; i < 2 * count; i++)
        a[i] = NAN;
    if (!E->Fx && (E->Fx = malloc(m * sizeof *E->Fx)) != NULL)
        gc_view_value(v, v->x, E->Fx);
    if (E->Fx)
        memcpy(a, E->Fx, m * sizeof *a), memcpy(num, E->Fx, m * sizeof *num);
    const gc_map *f = v->f;
    double ld;
    if (f->log_abs_det && f->log_abs_det(f->ctx, f->x, &ld) == 0)
        a[m] = ld;
    int sign;
    if (E->src == FROM_JACOBIAN && gc_all_finite(E->J, m * n)) {
        memcpy(a + m + 1, E->J, m * n * sizeof *a);
        if (m == n)
            num[m] = gc_log_abs_det(E->J, m, &sign);
    }
    for (size_t w = 0; w < E->rows.n; w++)
        for (size_t c = 0; c < E->cols.n; c++)
            if (!E->rows.p[w].dir && !E->cols.p[c].dir)
                num[m + 1 + E->rows.p[w].i * n + E->cols.p[c].i] = E->N[w * E->cols.n + c];
    char known[sizeof E->r->diagnosis] = "";
    p->explain(p, a, num, known, sizeof known);
    gc_lead_diagnosis(E->r, known);
    free(a);
}

/* The buffers of the engine; 0 or -1 (ENOMEM, or too many values: EINVAL). */
static int alloc_engine(engine *E, double **scratch)
{
    gc_view *v = E->v;
    size_t n = v->n, m = v->m, big = n > m ? n : m, nq = E->cols.n, nw = E->rows.n;
    if (nw && nq > MAX_COMPARED / nw) {
        errno = EINVAL;
        return -1;
    }
    E->A = malloc((2 * nw * nq + nq + 1) * sizeof *E->A);
    E->N = E->A ? E->A + nw * nq : NULL;
    E->step = E->N ? E->N + nw * nq : NULL;
    int need_J = E->src == FROM_JACOBIAN || (v->f && v->f->log_abs_det && E->kind == GC_JACOBIAN)
              || (v->p && v->has_jacobian);
    E->J = need_J ? malloc(m * n * sizeof *E->J) : NULL;
    *scratch = malloc((2 * n + 6 * big) * sizeof **scratch);
    if (m <= MAX_DIAGNOSED / n) {
        E->da = malloc(2 * m * n * sizeof *E->da);
        E->dn = E->da ? E->da + m * n : NULL;
        E->dw = calloc(m * n, 1);
        for (size_t i = 0; E->da && i < 2 * m * n; i++)
            E->da[i] = NAN;
    }
    if (!E->A || (need_J && !E->J) || !*scratch || (m <= MAX_DIAGNOSED / n && (!E->da || !E->dw))) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

static void free_engine(engine *E, double *scratch)
{
    free(E->A), free(E->J), free(E->Fx), free(E->da), free(E->dw), free(scratch);
    gc_side_free(&E->cols), gc_side_free(&E->rows);
}

gc_status gc_view_check(gc_view *v, const gc_options *o, gc_kind kind,
                        const gc_problem *explainer, gc_report *r)
{
    engine E;
    double *scratch = NULL, t0 = gc_clock();
    memset(&E, 0, sizeof E);
    memset(r, 0, sizeof *r);
    E.v = v, E.o = o, E.kind = kind, E.r = r;
    E.j = gc_judging_of(o, v->prec->kind);
    r->loss = NAN;                     /* a map's log|det J|, when it gives one */
    r->kind = kind, r->precision = v->prec->kind, r->rtol = E.j.rtol, r->atol = E.j.atol;
    const char *why = choose_source(&E);
    if (why[0]) {
        gc_refuse(r, EINVAL, why);
        r->kind = kind;
        return GC_ERROR;
    }
    gc_rng rng;
    gc_rng_seed(&rng, o->seed ^ 0x6a09e667f3bcc908ULL);
    if (gc_side_pick(&E.cols, v->in, v->nin, o, &rng) != 0 ||
        gc_side_pick(&E.rows, v->out, v->nout, o, &rng) != 0 || alloc_engine(&E, &scratch) != 0) {
        int err = errno == EINVAL ? EINVAL : ENOMEM;
        free_engine(&E, scratch);
        gc_refuse(r, err, err == EINVAL ? "too many values to compare (over 2^24): lower "
                  "full_limit, sample or directions" : "out of memory");
        r->kind = kind;
        return GC_ERROR;
    }
    double *xp = scratch, *vin = xp + v->n, *fp = vin + v->n, *fm = fp + v->m, *col = fm + v->m,
           *vout = col + v->m;
    size_t wrong = 0;
    r->status = GC_FAIL;
    if (gc_products_contract(v, kind, &E.j, o->seed, r) != 0 || analytic(&E, vin, vout) != 0 ||
        numeric(&E, xp, fp, fm, col) != 0)
        goto done;
    floors(&E);
    if ((wrong = judge_all(&E)) == (size_t)-1) {
        r->status = GC_ERROR, r->error = ENOMEM;
        snprintf(r->note, sizeof r->note, "out of memory");
        goto done;
    }
    if (wrong) {
        note_wrong(&E);
        diagnose(&E);
        goto done;
    }
    int both = v->p ? 1 : (kind == GC_JVP || kind == GC_VJP) && v->has_jvp && v->has_vjp;
    if (v->p && v->has_jacobian && E.src != FROM_JACOBIAN &&
        gc_view_jacobian(v, v->x, E.J) != 0)
        both = 0;
    if (both && !gc_products_identity(v, E.J, &E.j, o->seed, vin, r))
        goto done;
    if (kind == GC_JACOBIAN && v->f && v->f->log_abs_det) {
        log_det_and_inverse(&E, vin, vout);
        goto done;
    }
    r->status = gc_max_abs(E.A, E.rows.n * E.cols.n) == 0 && gc_max_abs(E.N, E.rows.n * E.cols.n) == 0
              ? GC_VACUOUS : GC_PASS;
    if (r->status == GC_VACUOUS)
        snprintf(r->note, sizeof r->note, "every compared value of the derivative is 0 and the "
                 "function does not move there: this check proves nothing");
done:
    if (r->status == GC_FAIL)
        explain_map(&E, explainer);
    r->evals = v->evals;
    r->seconds = gc_clock() - t0;
    free_engine(&E, scratch);
    return r->status;
}

gc_status gc_map_check(const gc_map *f, const gc_options *o, gc_kind kind,
                       const gc_problem *explainer, gc_report *r)
{
    if (!r)
        return GC_ERROR;
    char why[200];
    if (gc_options_valid(o, why, sizeof why) != 0)
        return gc_refuse(r, EINVAL, why);
    gc_view v;
    const char *no;
    if (gc_view_of_map(&v, f, &no) != 0)
        return gc_refuse(r, errno, no);
    gc_status s = gc_view_check(&v, o, kind, explainer, r);
    gc_view_free(&v);
    return s;
}

/* A map check of one kind, reported as that kind. */
static gc_status check_kind(const gc_map *f, const gc_options *o, gc_kind kind, gc_report *r)
{
    gc_status s = gc_map_check(f, o, kind, NULL, r);
    if (r)
        r->kind = kind;
    return s;
}

gc_status gc_check_map(const gc_map *f, const gc_options *o, gc_report *r)
{
    return check_kind(f, o, GC_JACOBIAN, r);
}

gc_status gc_check_jvp(const gc_map *f, const gc_options *o, gc_report *r)
{
    return check_kind(f, o, GC_JVP, r);
}

gc_status gc_check_vjp(const gc_map *f, const gc_options *o, gc_report *r)
{
    return check_kind(f, o, GC_VJP, r);
}
