/* compare.c — the student's values against the reference's (compare.h). */
#include "compare.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_SHOWN_BLOCKS = 4 };

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

int compare_values(const double *s, const double *r, const gc_name *names, size_t count,
                   comparison *c)
{
    double scale = 0.0;
    memset(c, 0, sizeof *c);
    c->count = count;
    c->loss_named = count > 0 && strcmp(names[0], "J") == 0;
    for (size_t i = 0; i < count; i++)
        scale = fmax(scale, fabs(r[i]));
    for (size_t i = 0; i < count; i++) {
        double e = rel_err(s[i], r[i], scale);
        if (e <= COMPARE_RTOL)
            continue;
        if (c->wrong++ == 0 || e > c->worst_err)
            c->worst = i, c->worst_err = e;
    }
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

/* The block a value's name belongs to: the name up to its first '['. */
static size_t block_len(const char *name)
{
    return strcspn(name, "[");
}

/* "dJ/dU (12 of 40 values), dJ/dv_c (all 5)": the blocks holding wrong values. */
static void describe_blocks(const comparison *c, const double *s, const double *r,
                            const gc_name *names, char *buf, size_t size)
{
    double scale = 0.0;
    for (size_t i = 0; i < c->count; i++)
        scale = fmax(scale, fabs(r[i]));
    size_t shown = 0, more = 0;
    for (size_t i = 0; i < c->count; ) {
        size_t len = block_len(names[i]), j = i, total = 0, bad = 0;
        for (; j < c->count && block_len(names[j]) == len && strncmp(names[j], names[i], len) == 0; j++)
            total++, bad += rel_err(s[j], r[j], scale) > COMPARE_RTOL;
        if (bad && shown < MAX_SHOWN_BLOCKS) {
            add(buf, size, "%s%.*s", shown ? ", " : "", (int)len, names[i]);
            if (total > 1 && bad == total)
                add(buf, size, " (all %zu)", total);
            else if (total > 1)
                add(buf, size, " (%zu of %zu)", bad, total);
            shown++;
        } else if (bad) {
            more++;
        }
        i = j;
    }
    if (more)
        add(buf, size, " and %zu more", more);
}

/* The relation every wrong value shares with the reference's, or "". */
static void describe_relation(const comparison *c, const double *s, const double *r,
                              char *buf, size_t size)
{
    double scale = 0.0, k = NAN;
    int zero = 1, factor = 1;
    for (size_t i = 0; i < c->count; i++)
        scale = fmax(scale, fabs(r[i]));
    for (size_t i = 0; i < c->count && (zero || factor); i++) {
        if (rel_err(s[i], r[i], scale) <= COMPARE_RTOL)
            continue;
        zero = zero && s[i] == 0.0;
        if (r[i] == 0.0 || !isfinite(s[i])) {
            factor = 0;
            continue;
        }
        double ki = s[i] / r[i];
        if (isnan(k))
            k = ki;
        factor = factor && fabs(ki - k) <= 1e-6 * fabs(k);
    }
    char kt[32];
    if (zero)
        add(buf, size, " Each of them is 0 in your answer: left at zero, or never computed?");
    else if (factor && k == -1.0)
        add(buf, size, " Each of them is -1 times the reference's: a flipped sign.");
    else if (factor && c->wrong > 1) {
        compare_factor_text(k, kt, sizeof kt);
        add(buf, size, " Each of them is %s times the reference's: a constant factor.", kt);
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
    describe_relation(c, s, r, buf, size);
    if (!c->loss_named)
        return;
    double scale = fabs(r[0]);
    int loss_wrong = rel_err(s[0], r[0], scale) > COMPARE_RTOL;
    if (loss_wrong && c->wrong == 1)
        add(buf, size, " Only the loss J differs: your gradient is right, but the loss computes "
            "another function (a term or a constant missing, a mean for a sum?).");
    else if (loss_wrong)
        add(buf, size, " The loss J itself differs: if your gradient check passes, your loss and "
            "gradient agree with each other but compute another function than the one asked.");
    else
        add(buf, size, " The loss J agrees; its gradient does not.");
}
