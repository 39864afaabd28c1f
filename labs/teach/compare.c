/* compare.c — the student's values against the reference's (compare.h). */
#include "compare.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_SHOWN_BLOCKS = 4 };

/* The values compared, and the scale of the relative errors' floor. */
typedef struct {
    const double *s, *r;
    const gc_name *names;
    size_t count;
    double scale;            /* max |r| */
} vals;

/* A block: its first value and how many; a matrix has cols > 0. */
typedef struct {
    size_t at, len, rows, cols;
} span;

static void add(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

/* The relative error of s against r, with the floor of compare.h; inf for NaN. */
static double rel_err(double s, double r, double scale)
{
    double e = fabs(s - r) / fmax(fabs(r), 1e-6 * (1.0 + scale));
    return isnan(e) ? INFINITY : e;
}

static int differs(const vals *v, size_t i)
{
    return rel_err(v->s[i], v->r[i], v->scale) > COMPARE_RTOL;
}

/* The block a value's name belongs to: the name up to its first '['. */
static size_t block_len(const char *name)
{
    return strcspn(name, "[");
}

static int same_block(const char *a, const char *b)
{
    size_t len = block_len(a);
    return block_len(b) == len && strncmp(a, b, len) == 0;
}

/* "dJ/dU[7][2]": 1 and its two indices; 0 for any other name. */
static int index_pair(const char *name, size_t *i, size_t *j)
{
    const char *p = strchr(name, '[');
    char tail;
    return p && sscanf(p, "[%zu][%zu]%c", i, j, &tail) == 2;
}

/* The block starting at value `at`: a matrix when every name carries two
 * indices laid out row-major, else a vector of len values. */
static span span_at(const vals *v, size_t at)
{
    span b = { at, 0, 0, 0 };
    while (at + b.len < v->count && same_block(v->names[at], v->names[at + b.len]))
        b.len++;
    size_t rows = 0, cols = 0, i, j;
    for (size_t k = 0; k < b.len; k++) {
        if (!index_pair(v->names[at + k], &i, &j))
            return b.rows = b.len, b;
        rows = i + 1 > rows ? i + 1 : rows;
        cols = j + 1 > cols ? j + 1 : cols;
    }
    for (size_t k = 0; k < b.len && rows * cols == b.len; k++) {
        index_pair(v->names[at + k], &i, &j);
        if (i * cols + j != k)
            return b.rows = b.len, b;
    }
    if (rows * cols != b.len)
        return b.rows = b.len, b;
    b.rows = rows, b.cols = cols;
    return b;
}

/* ---- the relations: small predicates over the wrong values of [from, to) ---- */

static int any_not_finite(const vals *v, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (differs(v, i) && !isfinite(v->s[i]))
            return 1;
    return 0;
}

static int all_zero(const vals *v, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (differs(v, i) && v->s[i] != 0.0)
            return 0;
    return 1;
}

/* Every wrong value is k times the reference's (the same k); *wrong counts them. */
static int common_factor(const vals *v, size_t from, size_t to, double *k, size_t *wrong)
{
    *k = NAN, *wrong = 0;
    for (size_t i = from; i < to; i++) {
        if (!differs(v, i))
            continue;
        ++*wrong;
        if (v->r[i] == 0.0 || !isfinite(v->s[i]))
            return 0;
        double ki = v->s[i] / v->r[i];
        if (isnan(*k))
            *k = ki;
        if (!(fabs(ki - *k) <= 1e-6 * fabs(*k)))
            return 0;
    }
    return *wrong > 0;
}

/* The block holds the reference's transposed: s as cols x rows is r^T. */
static int transposed(const vals *v, span b)
{
    if (b.rows < 2 || b.cols < 2)
        return 0;
    for (size_t i = 0; i < b.rows; i++)
        for (size_t j = 0; j < b.cols; j++)
            if (rel_err(v->s[b.at + j * b.rows + i], v->r[b.at + i * b.cols + j], v->scale) >
                COMPARE_RTOL)
                return 0;
    return 1;
}

static int row_all(const double *x, size_t n, double value)
{
    for (size_t j = 0; j < n; j++)
        if (x[j] != value)
            return 0;
    return 1;
}

static size_t count_wrong(const vals *v, size_t at, size_t n)
{
    size_t wrong = 0;
    for (size_t j = 0; j < n; j++)
        wrong += differs(v, at + j);
    return wrong;
}

static int row_wrong(const vals *v, size_t at, size_t n)
{
    return count_wrong(v, at, n) > 0;
}

/* Each wrong row either gets nothing though it should (missing) or gets
 * something though the reference leaves it at 0 (extra). Returns
 * REL_WRONG_ROWS (both kinds), REL_EXTRA_ROWS (extra only), or REL_OTHER. */
static compare_relation row_places(const vals *v, span b)
{
    size_t missing = 0, extra = 0;
    for (size_t i = 0; b.cols && i < b.rows; i++) {
        size_t at = b.at + i * b.cols;
        if (!row_wrong(v, at, b.cols))
            continue;
        if (row_all(v->s + at, b.cols, 0.0))
            missing++;
        else if (row_all(v->r + at, b.cols, 0.0))
            extra++;
        else
            return REL_OTHER;
    }
    return missing && extra ? REL_WRONG_ROWS : extra && !missing ? REL_EXTRA_ROWS : REL_OTHER;
}

/* Each wrong row is its own multiple of the reference's row; says whether
 * every factor is 1/k for a whole k >= 2, and whether every one is negative. */
static int row_factors(const vals *v, span b, int *repeat, int *opposite)
{
    size_t rows = 0;
    *repeat = 1, *opposite = 1;
    for (size_t i = 0; b.cols && i < b.rows; i++) {
        size_t at = b.at + i * b.cols, big = at;
        if (!row_wrong(v, at, b.cols))
            continue;
        for (size_t j = at; j < at + b.cols; j++)
            if (fabs(v->r[j]) > fabs(v->r[big]))
                big = j;
        if (v->r[big] == 0.0 || !isfinite(v->s[big]))
            return 0;
        double k = v->s[big] / v->r[big], times = 1.0 / k;
        for (size_t j = at; j < at + b.cols; j++)
            if (rel_err(v->s[j], k * v->r[j], v->scale) > COMPARE_RTOL)
                return 0;
        *repeat &= k > 0 && times >= 1.5 && fabs(times - round(times)) <= 1e-3 * times;
        *opposite &= k < 0;
        rows++;
    }
    return rows > 0;
}

/* Only log|det J| differs, by exactly log|J[k][k]| of the reference's J. */
static int diagonal_term(const vals *v, const comparison *c, int *twice)
{
    if (c->wrong != 1 || strcmp(v->names[c->worst], "log|det J|") != 0)
        return 0;
    double diff = v->s[c->worst] - v->r[c->worst];
    size_t i, j;
    for (size_t n = 0; n < v->count; n++) {
        if (!index_pair(v->names[n], &i, &j) || i != j || block_len(v->names[n]) != 1 ||
            v->names[n][0] != 'J')
            continue;
        double term = log(fabs(v->r[n]));
        if (term != 0.0 && isfinite(term) &&
            fabs(fabs(diff) - fabs(term)) <= 1e-9 * fmax(1.0, fabs(term))) {
            *twice = (diff > 0) == (term > 0);
            return 1;
        }
    }
    return 0;
}

/* A block's own relation, or REL_OTHER. */
static compare_relation block_relation(const vals *v, span b, comparison *c)
{
    double k;
    size_t wrong;
    int factor = common_factor(v, b.at, b.at + b.len, &k, &wrong);
    compare_relation rows = row_places(v, b);
    if (all_zero(v, b.at, b.at + b.len))
        return REL_ZERO;
    if (factor && (k == -1.0 || wrong > 1))
        return c->factor = k, k == -1.0 ? REL_SIGN : REL_FACTOR;
    if (transposed(v, b))
        return REL_TRANSPOSED;
    if (rows != REL_OTHER)
        return rows;
    if (row_factors(v, b, &c->rows_repeat, &c->rows_opposite))
        return REL_ROW_FACTORS;
    if (count_wrong(v, b.at, b.len) <= 3 && b.len >= 4)
        return REL_FEW;
    return REL_OTHER;
}

/* The relation of every wrong value, else of the first block that has one. */
static compare_relation find_relation(const vals *v, comparison *c)
{
    double k;
    size_t wrong;
    int factor = common_factor(v, 0, v->count, &k, &wrong);
    if (c->wrong == 0)
        return REL_NONE;
    if (any_not_finite(v, 0, v->count))
        return REL_NOT_FINITE;
    if (all_zero(v, 0, v->count))
        return REL_ZERO;
    if (factor && (k == -1.0 || wrong > 1))
        return c->factor = k, k == -1.0 ? REL_SIGN : REL_FACTOR;
    if (diagonal_term(v, c, &c->term_twice))
        return REL_DIAGONAL_TERM;
    for (size_t at = c->loss_named; at < v->count; ) {
        span b = span_at(v, at);
        at += b.len;
        if (!row_wrong(v, b.at, b.len))
            continue;
        compare_relation rel = block_relation(v, b, c);
        if (rel != REL_OTHER) {
            snprintf(c->block, sizeof c->block, "%.*s", (int)block_len(v->names[b.at]),
                     v->names[b.at]);
            return rel;
        }
    }
    return REL_OTHER;
}

/* c->blocks: every block with a wrong value, by name. */
static void list_blocks(const vals *v, comparison *c)
{
    for (size_t at = 0; at < v->count; ) {
        span b = span_at(v, at);
        at += b.len;
        if (row_wrong(v, b.at, b.len))
            add(c->blocks, sizeof c->blocks, "%s%.*s", c->blocks[0] ? ", " : "",
                (int)block_len(v->names[b.at]), v->names[b.at]);
    }
}

int compare_values(const double *s, const double *r, const gc_name *names, size_t count,
                   comparison *c)
{
    vals v = { s, r, names, count, 0.0 };
    memset(c, 0, sizeof *c);
    c->count = count;
    c->loss_named = count > 0 && strcmp(names[0], "J") == 0;
    for (size_t i = 0; i < count; i++)
        v.scale = fmax(v.scale, fabs(r[i]));
    for (size_t i = 0; i < count; i++) {
        double e = rel_err(s[i], r[i], v.scale);
        if (e <= COMPARE_RTOL)
            continue;
        if (c->wrong++ == 0 || e > c->worst_err)
            c->worst = i, c->worst_err = e;
    }
    c->loss_wrong = c->loss_named && differs(&v, 0);
    c->relation = find_relation(&v, c);
    list_blocks(&v, c);
    return c->wrong == 0;
}

void compare_factor_text(double k, char *buf, size_t size)
{
    for (int digits = 3; digits <= 12; digits++) {
        snprintf(buf, size, "%.*g", digits, k);
        if (fabs(strtod(buf, NULL) - k) <= 1e-7 * fabs(k))
            return;
    }
}

/* "dJ/dU (12 of 40 values), dJ/dv_c (all 5)": the blocks holding wrong values. */
static void describe_blocks(const comparison *c, const double *s, const double *r,
                            const gc_name *names, char *buf, size_t size)
{
    vals v = { s, r, names, c->count, 0.0 };
    for (size_t i = 0; i < c->count; i++)
        v.scale = fmax(v.scale, fabs(r[i]));
    size_t shown = 0, more = 0;
    for (size_t at = 0; at < c->count; ) {
        span b = span_at(&v, at);
        size_t bad = 0;
        for (size_t i = b.at; i < b.at + b.len; i++)
            bad += differs(&v, i);
        at += b.len;
        if (bad && shown < MAX_SHOWN_BLOCKS) {
            add(buf, size, "%s%.*s", shown ? ", " : "", (int)block_len(names[b.at]), names[b.at]);
            if (b.len > 1 && bad == b.len)
                add(buf, size, " (all %zu)", b.len);
            else if (b.len > 1)
                add(buf, size, " (%zu of %zu)", bad, b.len);
            shown++;
        } else if (bad) {
            more++;
        }
    }
    if (more)
        add(buf, size, " and %zu more", more);
}

/* The relation, in a sentence, or nothing. */
static void describe_relation(const comparison *c, char *buf, size_t size)
{
    char kt[32], whose[80] = "Each of them";
    if (c->block[0])
        snprintf(whose, sizeof whose, "Each wrong value of %s", c->block);
    switch (c->relation) {
    case REL_ZERO:
        add(buf, size, " %s is 0 in your answer: left at zero, or never computed?", whose);
        break;
    case REL_SIGN:
        add(buf, size, " %s is -1 times the reference's: a flipped sign.", whose);
        break;
    case REL_FACTOR:
        compare_factor_text(c->factor, kt, sizeof kt);
        add(buf, size, " %s is %s times the reference's: a constant factor.", whose, kt);
        break;
    case REL_DIAGONAL_TERM:
        add(buf, size, " log|det J| is off by exactly one diagonal term log|J[k][k]|, %s: an "
            "index range off by one?", c->term_twice ? "counted twice or one too many" : "left out");
        break;
    case REL_TRANSPOSED:
        add(buf, size, " %s holds the right numbers in transposed layout.", c->block);
        break;
    case REL_WRONG_ROWS:
        add(buf, size, " Rows of %s that should get something get nothing, and rows that should "
            "get nothing get something: the gradient went to the wrong rows.", c->block);
        break;
    case REL_EXTRA_ROWS:
        add(buf, size, " The wrong rows of %s are rows with no gradient: it writes entries it has "
            "no gradient for.", c->block);
        break;
    case REL_ROW_FACTORS:
        add(buf, size, " Each wrong row of %s is its own multiple of the reference's row%s",
            c->block, c->rows_repeat ? ", 1/k for a whole k: a repeated index counted once "
            "instead of once per occurrence?" : c->rows_opposite ? ", of the opposite sign: a "
            "+1/-1 convention read one way in the loss, the other in the gradient?" : ".");
        break;
    default:
        break;
    }
}

void compare_describe(const comparison *c, const double *s, const double *r,
                      const gc_name *names, char *buf, size_t size)
{
    if (c->wrong == 0)
        return;
    add(buf, size, "%zu of %zu values differ from the reference solution's: ", c->wrong, c->count);
    describe_blocks(c, s, r, names, buf, size);
    if (isinf(c->worst_err) && c->loss_named && c->worst == 0)
        add(buf, size, ". The loss J is not a number: look for log(0), 0/0 or inf - inf.");
    else if (isinf(c->worst_err))
        add(buf, size, ". The worst, %s, is not a number: look for log(0), 0/0 or inf - inf.",
            names[c->worst]);
    else
        add(buf, size, ". The worst is %s, off by %.2g relative.", names[c->worst], c->worst_err);
    describe_relation(c, buf, size);
    if (!c->loss_named)
        return;
    if (c->loss_wrong && c->wrong == 1)
        add(buf, size, " Only the loss J differs: your gradient is right, but the loss computes "
            "another function (a term or a constant missing, a mean for a sum?).");
    else if (c->loss_wrong)
        add(buf, size, " The loss J itself differs: if your gradient check passes, your loss and "
            "gradient agree with each other but compute another function than the one asked.");
    else
        add(buf, size, " The loss J agrees; its gradient does not.");
}
