/* activations.c — lab 2's experiment: why saturated units learn slowly and
 * why activations that are not zero-centred make gradient descent zig-zag.
 * Every gradient comes from the net2_loss_and_grad the checker verified.
 *
 *   (a) saturation: the net of lab 2 (Dx = 10, H = 100, Dy = 3, 500 rows of
 *       N(0, 1) inputs, W1 ~ N(0, s^2 / Dx), so each z1 ~ N(0, s^2)) at
 *       initial scales s = 0.1 .. 30: |dJ/dW1| and |dJ/dW2| per row, and the
 *       fraction of (row, unit) pairs with phi'(z1) < 0.01, for each phi;
 *   (b) zero-centring: the fraction of hidden units whose incoming-weight
 *       gradient (a column of dJ/dW1, one row at a time) has one sign, for
 *       all-positive inputs and for the same inputs centred; the same at the
 *       output units, whose inputs are h (sigmoid and ReLU: >= 0; tanh: both
 *       signs); and SGD's path on the two weights of one linear unit.
 *
 * Writes (whole files only) into --out-dir:
 *   saturation.dat  s, then per activation |dJ/dW1| per row and the saturated fraction
 *   zigzag.dat      SGD's path (step, w_1, w_2): index 0 positive inputs, index 1 centred
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "require.h"
#include "lab1/needs.h"
#include "lab2/checks.h"
#include "lab2/needs.h"
#include "gradcheck.h"
#include "gradlab.h"

enum { DX = 10, H = 100, DY = 3, ROWS = 500, NSCALES = 6, STEPS = 300 };

static const double scales[NSCALES] = { 0.1, 0.3, 1, 3, 10, 30 };

/* One net and its data: params (W1 | b1 | W2 | b2), X (ROWS x DX), labels. */
typedef struct {
    net2_dims d;
    double *params, *grad, *X;
    size_t labels[ROWS];
} net;

static int net_alloc(net *m, activation act)
{
    m->d = (net2_dims){ DX, H, DY, act };
    size_t P = net2_param_count(m->d);
    m->params = calloc(P, sizeof *m->params);
    m->grad = calloc(P, sizeof *m->grad);
    m->X = calloc(ROWS * DX, sizeof *m->X);
    return m->params && m->grad && m->X ? 0 : -1;
}

static void net_free(net *m)
{
    free(m->params), free(m->grad), free(m->X);
}

/* W1 ~ N(0, s^2 / DX), W2 ~ N(0, 1 / H), biases 0; labels uniform. The same
 * seed gives the same draws whatever s is, so only the scale changes. */
static void net_init(net *m, double s, uint64_t seed)
{
    rng_t r;
    rng_seed(&r, seed);
    double *W1 = m->params, *W2 = m->params + DX * H + H;
    for (size_t i = 0; i < DX * H; i++)
        W1[i] = s * rng_normal(&r) / sqrt((double)DX);
    for (size_t i = 0; i < H * DY; i++)
        W2[i] = rng_normal(&r) / sqrt((double)H);
    for (size_t i = 0; i < ROWS; i++)
        m->labels[i] = rng_index(&r, DY);
}

static double norm(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i] * v[i];
    return sqrt(s);
}

/* The fraction of (row, unit) pairs whose phi'(z1) is below 0.01. */
static double saturated_fraction(const net *m)
{
    size_t below = 0;
    for (size_t r = 0; r < ROWS; r++)
        for (size_t j = 0; j < H; j++) {
            double h = activation_apply(m->d.act, net2_z1(m->d, m->params, m->X + r * DX, j));
            below += activation_grad(m->d.act, h) < 0.01;
        }
    return (double)below / (double)(ROWS * H);
}

typedef struct { double gW1, gW2, saturated; } saturation_row;

/* Part (a) for one activation and scale. Returns -1 when net2 fails. */
static int measure_saturation(net *m, double s, uint64_t seed, saturation_row *out)
{
    size_t P = net2_param_count(m->d);
    net_init(m, s, seed);
    memset(m->grad, 0, P * sizeof *m->grad);
    double J = net2_loss_and_grad(m->d, m->params, m->X, m->labels, ROWS, m->grad, NULL);
    if (!isfinite(J))
        return -1;
    out->gW1 = norm(m->grad, DX * H) / ROWS;
    out->gW2 = norm(m->grad + DX * H + H, H * DY) / ROWS;
    out->saturated = saturated_fraction(m);
    return 0;
}

/* The signs among v[0], v[stride], ... (n entries): 1 one sign, 2 both,
 * 0 all zero (a ReLU unit that is off for this row gets no gradient). */
static int signs(const double *v, size_t n, size_t stride)
{
    int pos = 0, neg = 0;
    for (size_t i = 0; i < n; i++) {
        pos |= v[i * stride] > 0;
        neg |= v[i * stride] < 0;
    }
    return pos + neg;
}

typedef struct { double in_W1, in_W2; } sign_row;

/* Part (b): one row at a time, of the units that get a gradient, the
 * fraction of hidden units whose column of dJ/dW1 has one sign, and of
 * output units whose column of dJ/dW2 has one. */
static int measure_signs(net *m, sign_row *out)
{
    size_t P = net2_param_count(m->d), w1 = 0, w2 = 0, n1 = 0, n2 = 0;
    const double *gW2 = m->grad + DX * H + H;
    for (size_t r = 0; r < ROWS; r++) {
        memset(m->grad, 0, P * sizeof *m->grad);
        double J = net2_loss_and_grad(m->d, m->params, m->X + r * DX, m->labels + r, 1, m->grad,
                                      NULL);
        if (!isfinite(J))
            return -1;
        for (size_t j = 0; j < H; j++) {
            int k = signs(m->grad + j, DX, H);
            w1 += k == 1, n1 += k > 0;
        }
        for (size_t k = 0; k < DY; k++) {
            int c = signs(gW2 + k, H, DY);
            w2 += c == 1, n2 += c > 0;
        }
    }
    out->in_W1 = n1 ? (double)w1 / (double)n1 : 0;
    out->in_W2 = n2 ? (double)w2 / (double)n2 : 0;
    return 0;
}

/* Inputs uniform in [lo, lo + 1): lo = 0 all positive, lo = -0.5 centred,
 * from the same stream so that the two sets differ by the shift alone. */
static void fill_inputs(double *X, size_t n, double lo, uint64_t seed)
{
    rng_t r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++)
        X[i] = lo + rng_uniform(&r);
}

/* ---- SGD on one linear unit y = w . x, loss (w . x - w* . x)^2 / 2 ---- */

/* same_sign: the fraction of steps moving both weights the same way;
 * path_ratio: the path's length over the distance it covered;
 * steps_to_target: the first step within 0.1 of w* (0: none). */
typedef struct { double same_sign, path_ratio; size_t steps_to_target; int diverged; } path_stats;

/* STEPS single-example steps from w = (-1, 1) towards w* = (1, -1), inputs
 * x = offset + u, u uniform in [-0.5, 0.5)^2: offset 1 keeps every input in
 * [0.5, 1.5), offset 0 centres them. dJ/dw = (w - w*) . x x: a multiple of x,
 * so with positive x both weights move the same way at every step. */
static void sgd_path(double offset, double lr, uint64_t seed, double (*w)[2], path_stats *st)
{
    const double target[2] = { 1, -1 };
    rng_t r;
    rng_seed(&r, seed);
    w[0][0] = -1, w[0][1] = 1;
    size_t same = 0;
    double length = 0;
    st->steps_to_target = 0;
    for (size_t t = 1; t <= STEPS; t++) {
        double x0 = offset + rng_uniform(&r) - 0.5, x1 = offset + rng_uniform(&r) - 0.5;
        double e = (w[t - 1][0] - target[0]) * x0 + (w[t - 1][1] - target[1]) * x1;
        double d0 = -lr * e * x0, d1 = -lr * e * x1;
        w[t][0] = w[t - 1][0] + d0, w[t][1] = w[t - 1][1] + d1;
        same += d0 * d1 > 0;
        length += hypot(d0, d1);
        if (!st->steps_to_target && hypot(w[t][0] - target[0], w[t][1] - target[1]) < 0.1)
            st->steps_to_target = t;
    }
    st->diverged = !(hypot(w[STEPS][0], w[STEPS][1]) < 1e6);
    st->same_sign = (double)same / STEPS;
    st->path_ratio = length / hypot(w[STEPS][0] - w[0][0], w[STEPS][1] - w[0][1]);
}

/* ---- output ---- */

/* The learning rates tried; the paths of rates[PICTURED] are written for the picture. */
static const double rates[] = { 0.1, 0.3, 1, 3 };
enum { NRATES = sizeof rates / sizeof rates[0], PICTURED = 1 };

/* "same-way 100%, path 4.7x, w* in 124 steps" (or "diverged", "not reached"). */
static void print_path(const path_stats *st)
{
    char reached[48];
    if (st->diverged) {
        printf("%-43s", "diverged");
        return;
    }
    if (st->steps_to_target)
        snprintf(reached, sizeof reached, "w* in %zu steps", st->steps_to_target);
    else
        snprintf(reached, sizeof reached, "w* not reached");
    printf("same way %3.0f%%, path %4.1fx, %-16s", 100 * st->same_sign, st->path_ratio, reached);
}

static int write_saturation(const char *path, saturation_row rows[ACT_COUNT][NSCALES])
{
    gc_outfile o;
    if (gc_outfile_open(&o, path) != 0)
        return -1;
    fprintf(o.f, "# scale s\tsigmoid |dJ/dW1|/n\tsaturated\ttanh |dJ/dW1|/n\tsaturated\t"
            "relu |dJ/dW1|/n\tphi' < 0.01\n");
    for (size_t k = 0; k < NSCALES; k++) {
        fprintf(o.f, "%g", scales[k]);
        for (activation a = ACT_SIGMOID; a < ACT_COUNT; a++)
            fprintf(o.f, "\t%.6g\t%.6g", rows[a][k].gW1, rows[a][k].saturated);
        fputc('\n', o.f);
    }
    return gc_outfile_commit(&o);
}

static int write_paths(const char *path, double (*pos)[2], double (*centred)[2], double lr)
{
    gc_outfile o;
    if (gc_outfile_open(&o, path) != 0)
        return -1;
    fprintf(o.f, "# SGD on w = (w_1, w_2) from (-1, 1) to (1, -1), learning rate %g; index 0: "
            "inputs in [0.5, 1.5), index 1: centred\n", lr);
    for (int set = 0; set < 2; set++) {
        double (*w)[2] = set ? centred : pos;
        for (size_t t = 0; t <= STEPS; t++)
            fprintf(o.f, "%zu\t%.6f\t%.6f\n", t, w[t][0], w[t][1]);
        fputs(set ? "" : "\n\n", o.f);
    }
    return gc_outfile_commit(&o);
}

static void print_saturation(saturation_row rows[ACT_COUNT][NSCALES])
{
    printf("(a) saturation: Dx = %d, H = %d, Dy = %d, %d rows, z1 ~ N(0, s^2)\n", DX, H, DY, ROWS);
    printf("    s      |dJ/dW1| per row (|dJ/dW2|)                         phi' < 0.01\n");
    printf("           sigmoid            tanh               relu           sigm   tanh   relu\n");
    for (size_t k = 0; k < NSCALES; k++) {
        printf("  %5g ", scales[k]);
        for (activation a = ACT_SIGMOID; a < ACT_COUNT; a++)
            printf("  %.2e (%.2e)", rows[a][k].gW1, rows[a][k].gW2);
        printf("  ");
        for (activation a = ACT_SIGMOID; a < ACT_COUNT; a++)
            printf(" %5.1f%%", 100 * rows[a][k].saturated);
        printf("\n");
    }
}

typedef struct {
    const char *out_dir;
    uint64_t seed;
} options;

static options parse(int argc, char **argv)
{
    options o = { "build/lab2", 1 };
    static const struct option longs[] = {
        { "out-dir", 1, 0, 'o' }, { "seed", 1, 0, 's' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 }
    };
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (ch) {
        case 'o': o.out_dir = optarg; break;
        case 's': o.seed = arg_seed("lab2_activations", "--seed", optarg); break;
        case 'h':
            puts("usage: lab2_activations [--out-dir DIR] [--seed S]\n"
                 "Measures saturation and zero-centring with the lab's net2; writes\n"
                 "saturation.dat and zigzag.dat into DIR (default build/lab2).");
            exit(GL_EXIT_DONE);
        default:
            arg_fail("lab2_activations", "unknown option or missing value '%s' (see --help)",
                     argv[optind - 1]);
        }
    }
    if (optind < argc)
        arg_fail("lab2_activations", "unexpected argument '%s' (see --help)", argv[optind]);
    return o;
}

/* Part (a) for every activation and scale into rows; part (b)'s sign
 * fractions printed. Returns GL_EXIT_DONE, GL_EXIT_FAILED (net2 gave a loss that is not
 * finite) or GL_EXIT_NO_MEMORY, each said on stderr. */
static int run_nets(uint64_t seed, saturation_row rows[ACT_COUNT][NSCALES])
{
    int status = GL_EXIT_FAILED;
    net m[ACT_COUNT] = { 0 };
    for (activation a = ACT_SIGMOID; a < ACT_COUNT; a++)
        if (net_alloc(&m[a], a) != 0)
            goto done;
    for (activation a = ACT_SIGMOID; a < ACT_COUNT; a++) {
        rng_t r;
        rng_seed(&r, seed + 1);
        for (size_t i = 0; i < ROWS * DX; i++)
            m[a].X[i] = rng_normal(&r);
        for (size_t k = 0; k < NSCALES; k++)
            if (measure_saturation(&m[a], scales[k], seed, &rows[a][k]) != 0)
                goto done;
    }
    print_saturation(rows);
    printf("(b) units whose incoming-weight gradient has one sign (one row at a time, s = 1):\n"
           "    phi       hidden units (dJ/dW1)              output units (dJ/dW2),\n"
           "              inputs x in [0, 1)  x centred      their inputs h\n");
    for (activation a = ACT_SIGMOID; a < ACT_COUNT; a++) {
        sign_row pos, cen;
        net_init(&m[a], 1, seed);
        fill_inputs(m[a].X, ROWS * DX, 0, seed + 2);
        if (measure_signs(&m[a], &pos) != 0)
            goto done;
        fill_inputs(m[a].X, ROWS * DX, -0.5, seed + 2);
        if (measure_signs(&m[a], &cen) != 0)
            goto done;
        printf("    %-7s   %6.2f%%             %6.2f%%           %6.2f%%\n", activation_name(a),
               100 * pos.in_W1, 100 * cen.in_W1, 100 * cen.in_W2);
    }
    status = GL_EXIT_DONE;
done:
    if (status != GL_EXIT_DONE && errno == ENOMEM)
        status = out_of_memory("lab2_activations");
    else if (status != GL_EXIT_DONE)
        fprintf(stderr, "lab2_activations: net2_loss_and_grad gave a loss that is not finite\n");
    for (activation a = ACT_SIGMOID; a < ACT_COUNT; a++)
        net_free(&m[a]);
    return status;
}

int main(int argc, char **argv)
{
    options o = parse(argc, argv);
    static const lab_need needs[] = { need_sigmoid, need_sigmoid_grad, need_tanh_grad,
                                       need_relu, need_relu_grad, need_cross_entropy,
                                       need_net2_loss };
    require_functions("lab2_activations", 2, needs, sizeof needs / sizeof needs[0]);
    arg_out_dir("lab2_activations", o.out_dir);
    saturation_row rows[ACT_COUNT][NSCALES];
    int status = run_nets(o.seed, rows);
    if (status != GL_EXIT_DONE)
        return status;
    static double pos[NRATES][STEPS + 1][2], centred[NRATES][STEPS + 1][2];
    printf("    SGD on one linear unit's two weights, %d steps from (-1, 1) to w* = (1, -1):\n"
           "      lr   inputs in [0.5, 1.5)                       centred inputs\n", STEPS);
    for (size_t k = 0; k < NRATES; k++) {
        path_stats sp, sc;
        sgd_path(1.0, rates[k], o.seed + 3, pos[k], &sp);
        sgd_path(0.0, rates[k], o.seed + 3, centred[k], &sc);
        printf("    %4g   ", rates[k]);
        print_path(&sp);
        printf("   ");
        print_path(&sc);
        printf("\n");
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/saturation.dat", o.out_dir);
    if (write_saturation(path, rows) != 0)
        goto fail;
    printf("wrote %s\n", path);
    snprintf(path, sizeof path, "%s/zigzag.dat", o.out_dir);
    if (write_paths(path, pos[PICTURED], centred[PICTURED], rates[PICTURED]) != 0)
        goto fail;
    printf("wrote %s\n", path);
    return GL_EXIT_DONE;
fail:
    fprintf(stderr, "lab2_activations: cannot write '%s': %s\n", path, strerror(errno));
    return GL_EXIT_USAGE;
}
