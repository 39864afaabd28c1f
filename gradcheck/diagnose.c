/* diagnose.c — what a wrong gradient most likely is, read from the analytic
 * and numeric arrays alone: a flipped sign, a constant factor, a transposed
 * block, rows or entries left at zero, rows off by their own factor (a
 * repeated index counted once), a few wrong entries, or another block's
 * gradient. Says nothing definite when no rule fits every checked entry. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gc_internal.h"

/* One block's checked entries: a and n point at the block's first entry. */
typedef struct {
    const gc_block *b;
    const double *a, *n;
    const unsigned char *wrong;
    size_t len, rows, cols;
    double floor;            /* 1e-3 of the block's largest magnitude */
} view;

static int agree(double u, double v, double floor)
{
    return fabs(u - v) <= 1e-4 * fmax(fmax(fabs(u), fabs(v)), floor);
}

static int checked(const view *v, size_t i) { return !isnan(v->n[i]); }

void gc_format_factor(char *buf, size_t size, double k)
{
    double off = fabs(k - 1.0);
    if (off >= 0.005 || off == 0)
        snprintf(buf, size, "%.2f", k);
    else
        snprintf(buf, size, "%.*g", (int)ceil(-log10(off)) + 2, k);
}

/* Does a = k n explain the disagreement? Every checked entry must agree with
 * k n: to 1e-4 (strict), or, for numeric values too noisy for that, to a
 * quarter of what the factor itself changes (|k - 1| |n|); and the wrong
 * entries' error must shrink to at most half (a factor of 1 explains
 * nothing, nor one of about 0). */
static int explains(const view *v, double k, int strict)
{
    double wrong_before = 0, wrong_after = 0;
    if (!strict && fabs(k) < 1e-3)
        return 0;
    for (size_t i = 0; i < v->len; i++) {
        if (!checked(v, i))
            continue;
        double d0 = v->a[i] - v->n[i], d1 = v->a[i] - k * v->n[i];
        if (!agree(v->a[i], k * v->n[i], v->floor) &&
            (strict || fabs(d1) > 0.25 * fabs(k - 1) * fabs(v->n[i])))
            return 0;
        if (v->wrong[i])
            wrong_before += fabs(d0), wrong_after += fabs(d1);
    }
    return wrong_before > 0 && wrong_after <= 0.5 * wrong_before;
}

/* a = k n on every checked entry, with k read off the largest |n| (or, when
 * the numeric values are too noisy for that, fitted by least squares) and
 * explaining the wrong entries. */
static int constant_factor(const view *v, double *k)
{
    size_t big = v->len;
    double an = 0, nn = 0;
    for (size_t i = 0; i < v->len; i++)
        if (checked(v, i)) {
            an += v->a[i] * v->n[i], nn += v->n[i] * v->n[i];
            if (big == v->len || fabs(v->n[i]) > fabs(v->n[big]))
                big = i;
        }
    if (big == v->len || fabs(v->n[big]) <= v->floor)
        return 0;
    *k = v->a[big] / v->n[big];
    if (explains(v, *k, 1))
        return 1;
    *k = an / nn;
    return explains(v, *k, 0);
}

/* The analytic block equals the numeric one read as its transpose. */
static int transposed(const view *v)
{
    if (v->rows < 2 || v->cols < 2)
        return 0;
    for (size_t i = 0; i < v->rows; i++)
        for (size_t j = 0; j < v->cols; j++)
            if (!checked(v, i * v->cols + j) ||
                !agree(v->a[j * v->rows + i], v->n[i * v->cols + j], v->floor))
                return 0;
    return 1;
}

static int all_wrong_are_zero(const view *v)
{
    for (size_t i = 0; i < v->len; i++)
        if (v->wrong[i] && v->a[i] != 0)
            return 0;
    return 1;
}

/* Appends "rows 3, 7 and 9" (or "entries [2] and [5]") for the marked
 * indices, at most 4 named. */
static void list_indices(char *buf, size_t size, const char *what, const size_t *idx, size_t k)
{
    size_t used = (size_t)snprintf(buf, size, "%s%s", what, k == 1 ? "" : "s");
    for (size_t i = 0; i < k && i < 4 && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%zu",
                                 i == 0 ? " " : (i == k - 1 || i == 3) ? " and " : ", ", idx[i]);
    if (k > 4 && used < size)
        snprintf(buf + used, size - used, " (and %zu more)", k - 4);
}

/* Rows whose analytic entries are all zero while the numeric ones are not. */
static int zero_rows(const view *v, char *buf, size_t size)
{
    size_t rows[64], k = 0;
    if (v->cols == 0)
        return 0;
    for (size_t r = 0; r < v->rows; r++) {
        int any = 0, zero = 1;
        for (size_t j = 0; j < v->cols; j++) {
            size_t i = r * v->cols + j;
            any |= v->wrong[i];
            zero &= v->a[i] == 0;
        }
        if (any && !zero)
            return 0;
        if (any && k < 64)
            rows[k++] = r;
    }
    list_indices(buf, size, "row", rows, k);
    strncat(buf, k == 1 ? " is zero but should not be (a dropped term?)"
                        : " are zero but should not be (a dropped term?)", size - strlen(buf) - 1);
    return 1;
}

/* Each wrong row is its own constant multiple of the true row, the rest are
 * right: typical of a repeated index (a duplicate negative) counted once. */
static int row_factors(const view *v, char *buf, size_t size)
{
    size_t rows[64], k = 0, used;
    double f[64];
    if (v->cols == 0)
        return 0;
    for (size_t r = 0; r < v->rows && k < 64; r++) {
        view row = { v->b, v->a + r * v->cols, v->n + r * v->cols, v->wrong + r * v->cols,
                     v->cols, 1, 0, v->floor };
        int any = 0;
        for (size_t j = 0; j < v->cols; j++)
            any |= row.wrong[j];
        if (!any)
            continue;
        if (!constant_factor(&row, &f[k]))
            return 0;
        rows[k++] = r;
    }
    if (k == 0)
        return 0;
    list_indices(buf, size, "row", rows, k);
    used = strlen(buf);
    used += (size_t)snprintf(buf + used, size - used, " %s off by %s own factor (",
                             k == 1 ? "is" : "are", k == 1 ? "its" : "their");
    for (size_t i = 0; i < k && i < 4 && used < size; i++) {
        char factor[32];
        gc_format_factor(factor, sizeof factor, f[i]);
        used += (size_t)snprintf(buf + used, size - used, "%s%sx", i ? ", " : "", factor);
    }
    int negative = 1, fraction = 1;
    for (size_t i = 0; i < k; i++) {          /* 1/2, 1/3, ...: a count of 2, 3, ... taken as 1 */
        double times = 1.0 / f[i];
        negative &= f[i] < 0;
        fraction &= f[i] > 0 && times >= 1.5 && fabs(times - round(times)) <= 1e-3 * times;
    }
    if (used < size)
        snprintf(buf + used, size - used, "), the other rows are right%s",
                 negative ? "; each factor has the opposite sign: a +1/-1 convention (a "
                            "label, a code) read one way in the loss, the other in the gradient?"
                 : fraction ? ": each factor is 1/k for a whole k, a repeated index counted once "
                              "instead of once per occurrence?" : "");
    return 1;
}

/* Rows that get nothing although they should, while rows that should get
 * nothing get something: the gradient was added at the wrong row index. */
static int misplaced_rows(const view *v, char *buf, size_t size)
{
    size_t missing[64], extra[64], km = 0, ke = 0;
    if (v->cols == 0)
        return 0;
    for (size_t r = 0; r < v->rows; r++) {
        int a_zero = 1, n_zero = 1, any = 0;
        for (size_t j = 0; j < v->cols; j++) {
            size_t i = r * v->cols + j;
            any |= v->wrong[i];
            a_zero &= v->a[i] == 0;
            n_zero &= !checked(v, i) || fabs(v->n[i]) <= v->floor;
        }
        if (!any)
            continue;
        if (a_zero && km < 64)
            missing[km++] = r;
        else if (n_zero && ke < 64)
            extra[ke++] = r;
        else
            return 0;
    }
    if (km == 0 || ke == 0)
        return 0;
    char got[120];
    list_indices(buf, size, "row", missing, km);
    list_indices(got, sizeof got, "row", extra, ke);
    size_t used = strlen(buf);
    snprintf(buf + used, size - used, " get%s nothing and %s, which should get nothing, get%s "
             "something: the gradient went to the wrong rows (the wrong index, e.g. a word's "
             "own row instead of the rows it used?)", km == 1 ? "s" : "", got, ke == 1 ? "s" : "");
    return 1;
}

/* The loss does not move with this block at all (every checked numeric
 * derivative is 0 to round-off), yet the analytic one is not 0. */
static int no_dependence(const view *v)
{
    double amax = 0, nmax = 0;
    size_t k = 0;
    for (size_t i = 0; i < v->len; i++)
        if (checked(v, i)) {
            amax = fmax(amax, fabs(v->a[i]));
            nmax = fmax(nmax, fabs(v->n[i]));
            k++;
        }
    return k > 0 && amax > 0 && nmax <= 1e-6 * amax;
}

/* A square block whose wrong entries are its diagonal, each off by the same
 * amount c: a term c I left out or added (a regularizer's lambda v in a
 * Hessian-vector product, a residual connection's identity). */
static int diagonal_shift(const view *v, char *buf, size_t size)
{
    if (v->rows < 2 || v->rows != v->cols)
        return 0;
    double c = NAN;
    for (size_t i = 0; i < v->len; i++) {
        int diag = i / v->cols == i % v->cols;
        if (v->wrong[i] && !diag)
            return 0;
        if (!diag)
            continue;
        if (!checked(v, i))
            return 0;
        double d = v->a[i] - v->n[i];
        if (isnan(c))
            c = d;
        else if (!agree(d, c, 1e-3 * v->floor))
            return 0;
    }
    if (isnan(c) || c == 0)
        return 0;
    snprintf(buf, size, "only the diagonal is wrong, every entry off by %.6g (analytic - numeric): "
             "a term %.6g I left out or counted twice (a regularizer's lambda, an identity)",
             c, -c);
    return 1;
}

/* Only a few entries wrong: name them. */
static int few_wrong(const view *v, char *buf, size_t size)
{
    size_t k = 0, total = 0, first = 0;
    for (size_t i = 0; i < v->len; i++) {
        total += checked(v, i);
        if (v->wrong[i] && k++ == 0)
            first = i;
    }
    if (k > 3 || total < 4)
        return 0;
    char name[64];
    gc_coord_name(v->b, first, name, sizeof name);
    snprintf(buf, size, "only %zu of %zu entries %s wrong (first %s: analytic %.6g, numeric "
             "%.6g); the rest are right", k, total, k == 1 ? "is" : "are", name, v->a[first],
             v->n[first]);
    return 1;
}

/* Does the analytic block equal the numeric gradient of another block? */
static int other_block(const gc_problem *p, const view *v, const double *num, char *buf, size_t size)
{
    size_t off = 0;
    for (size_t c = 0; c < p->nblocks; off += gc_block_size(&p->blocks[c]), c++) {
        const gc_block *o = &p->blocks[c];
        if (o == v->b || gc_block_size(o) != v->len)
            continue;
        size_t i = 0;
        while (i < v->len && !isnan(num[off + i]) && agree(v->a[i], num[off + i], v->floor))
            i++;
        if (i == v->len) {
            snprintf(buf, size, "it holds the true gradient of %s (blocks swapped?)", o->name);
            return 1;
        }
    }
    return 0;
}

/* Only random directions disagree: the sampled values are all right, or, when
 * they agree only within the noise allowance, the disagreement is as small as
 * the noise and none can be named. */
static int only_directions(const gc_block_report *br, const gc_report *r, char *buf,
                           size_t size)
{
    if (br->wrong != br->wrong_directions)
        return 0;
    const char *unit = br->entries ? "entries" : "coordinates";
    if (r->relied)
        snprintf(buf, size, "%zu of %zu random directions disagree by up to %.2e, but the %zu "
                 "checked %s agree only within a noise allowance of up to %.2e (f's own "
                 "round-off): an error this small cannot be told from noise at this point, "
                 "everywhere or in a few %s; check where |f| is smaller, or every one (--full)",
                 br->wrong_directions, br->directions, br->max_err, br->checked, unit,
                 r->allowance, unit);
    else
        snprintf(buf, size, "the %zu checked %s agree, but %zu of %zu random directions disagree: "
                 "the wrong %s are among the %zu not sampled (check every one: --full, or a "
                 "full_limit of %zu)", br->checked, unit, br->wrong_directions, br->directions,
                 unit, br->total - br->checked, br->total);
    return 1;
}

static void diagnose_block(const gc_problem *p, const view *v, const gc_block_report *br,
                           const gc_report *r, const double *num, char *buf, size_t size)
{
    double k;
    char factor[32];
    int zero = 1;
    for (size_t i = 0; i < v->len; i++)
        zero &= v->a[i] == 0;
    if (only_directions(br, r, buf, size))
        ;
    else if (zero)
        snprintf(buf, size, "it is zero everywhere: nothing is added into it");
    else if (no_dependence(v))
        snprintf(buf, size, "the loss does not depend on these entries, yet they get a gradient: "
                 "it touches entries it has no gradient for (rows it must not write)");
    else if (constant_factor(v, &k) && fabs(k + 1) < 1e-3)
        snprintf(buf, size, "the sign is flipped (analytic = -numeric everywhere)");
    else if (constant_factor(v, &k)) {
        gc_format_factor(factor, sizeof factor, k);
        snprintf(buf, size, "your %s is %sx the true one everywhere (a constant factor%s)",
                 br->entries ? "Jacobian block" : "gradient", factor,
                 fabs(k - 1.0) < 0.005 ? ", close to 1" : "");
    }
    else if (transposed(v))
        snprintf(buf, size, "the right numbers in transposed layout: it reads as the true %s "
                 "transposed (%zu x %zu stored where %zu x %zu belongs)", v->b->name, v->cols,
                 v->rows, v->rows, v->cols);
    else if (misplaced_rows(v, buf, size))
        ;
    else if (all_wrong_are_zero(v) && zero_rows(v, buf, size))
        ;
    else if (diagonal_shift(v, buf, size) || row_factors(v, buf, size) || few_wrong(v, buf, size))
        ;
    else if (other_block(p, v, num, buf, size))
        ;
    else
        snprintf(buf, size, "no simple pattern (not a flipped sign, a constant factor, a "
                 "transpose or missing entries)");
}

/* Blocks with the same finding are named together: "dJ/dW1, dJ/dX: ...". */
static void append_grouped(char *out, size_t size, char parts[][480], const char **names, size_t k)
{
    unsigned char done[GC_MAX_BLOCKS] = { 0 };
    size_t used = strlen(out);
    for (size_t i = 0; i < k && used < size; i++) {
        if (done[i])
            continue;
        for (size_t j = i; j < k && used < size; j++)
            if (!done[j] && strcmp(parts[i], parts[j]) == 0) {
                used += (size_t)snprintf(out + used, size - used, "%s%s", j == i ? "" : ", ",
                                         names[j]);
                done[j] = 1;
            }
        if (used < size)
            used += (size_t)snprintf(out + used, size - used, ": %s. ", parts[i]);
    }
}

void gc_diagnose(const gc_problem *p, const double *a, const double *num,
                 const unsigned char *wrong, gc_report *r)
{
    char wrong_names[400] = "", right_names[400] = "", parts[GC_MAX_BLOCKS][480], text[8192] = "";
    const char *names[GC_MAX_BLOCKS];
    size_t off = 0, k = 0, nwrong = 0;
    r->diagnosis[0] = 0;
    for (size_t b = 0; b < r->nblocks; off += gc_block_size(&p->blocks[b]), b++) {
        char *list = r->blocks[b].wrong ? wrong_names : right_names;
        snprintf(list + strlen(list), 400 - strlen(list), "%s%s", list[0] ? ", " : "",
                 r->blocks[b].name);
        if (!r->blocks[b].wrong)
            continue;
        nwrong++;
        const gc_block *blk = &p->blocks[b];
        double scale = 0;
        for (size_t i = 0; i < gc_block_size(blk); i++)
            if (!isnan(num[off + i]))
                scale = fmax(scale, fmax(fabs(num[off + i]), fabs(a[off + i])));
        view v = { blk, a + off, num + off, wrong + off, gc_block_size(blk), blk->rows, blk->cols,
                   1e-3 * scale };
        diagnose_block(p, &v, &r->blocks[b], r, num, parts[k], sizeof parts[k]);
        names[k++] = r->blocks[b].name;
    }
    if (nwrong && nwrong < r->nblocks)
        snprintf(text, sizeof text, "wrong: %s; right: %s. ", wrong_names,
                 right_names);
    append_grouped(text, sizeof text, parts, names, k);
    gc_fit_text(r->diagnosis, sizeof r->diagnosis, text);
}

void gc_lead_diagnosis(gc_report *r, const char *known)
{
    char text[3 * sizeof r->diagnosis];
    if (!known[0])
        return;
    size_t len = strlen(known);
    int stop = known[len - 1] == '.' || known[len - 1] == '?' || known[len - 1] == '!';
    snprintf(text, sizeof text, "likely: %s%s %s", known, stop ? "" : ".", r->diagnosis);
    gc_fit_text(r->diagnosis, sizeof r->diagnosis, text);
}
