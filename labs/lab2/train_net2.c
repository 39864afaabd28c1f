/* train_net2.c — lab 2: fit the 2-layer net of src/net2.c to three spirals
 * with minibatch SGD, using the very net2_loss_and_grad the checker verified.
 *
 * Writes (whole files only) into --out-dir:
 *   loss.dat      iteration, minibatch loss per example, smoothed loss
 *   points.dat    the data: x, y, class
 *   decision.dat  the learned class over a 150 x 150 grid: x, y, class
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
#include "lab2/needs.h"
#include "gradcheck.h"
#include "gradlab.h"
#include "spiral.h"

enum { CLASSES = 3, GRID = 150 };

typedef struct {
    size_t hidden, iters, batch, per_class;
    double lr, init_scale;
    activation act;
    unsigned long long seed;
    const char *out_dir;
} options;

static void usage(FILE *out)
{
    fputs("usage: train_net2 [options]\n"
          "Trains h = phi(x W1 + b1), yhat = softmax(h W2 + b2) on three 2-D spirals.\n"
          "  --activation A  phi: sigmoid, tanh or relu (default sigmoid)\n"
          "  --init-scale S  W1 ~ N(0, S^2 / 2) (default 4)\n"
          "  --hidden H      hidden units (default 100)\n"
          "  --lr R          learning rate, per-example mean gradient (default 2.0)\n"
          "  --iters N       SGD iterations (default 10000)\n"
          "  --batch B       minibatch size (default 32)\n"
          "  --points P      points per class (default 100)\n"
          "  --seed S        seed of the data, the initial weights and the batches (default 1)\n"
          "  --out-dir DIR   where loss.dat, points.dat, decision.dat go (default build/lab2)\n",
          out);
}

static options parse(int argc, char **argv)
{
    options o = { 100, 10000, 32, 100, 2.0, 4.0, ACT_SIGMOID, 1, "build/lab2" };
    static const struct option longs[] = {
        { "hidden", 1, 0, 'H' }, { "lr", 1, 0, 'r' },     { "iters", 1, 0, 'i' },
        { "batch", 1, 0, 'b' },  { "points", 1, 0, 'p' }, { "seed", 1, 0, 's' },
        { "out-dir", 1, 0, 'o' }, { "activation", 1, 0, 'a' }, { "init-scale", 1, 0, 'w' },
        { "help", 0, 0, 'h' },  { 0, 0, 0, 0 }
    };
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (ch) {
        case 'H': o.hidden = arg_size("train_net2", "--hidden", optarg, 1, 100000); break;
        case 'r': o.lr = arg_real("train_net2", "--lr", optarg, 1e-9, 1e308); break;
        case 'i': o.iters = arg_size("train_net2", "--iters", optarg, 1, 1000000000); break;
        case 'b': o.batch = arg_size("train_net2", "--batch", optarg, 1, 1000000); break;
        case 'p': o.per_class = arg_size("train_net2", "--points", optarg, 1, 1000000); break;
        case 's': o.seed = arg_seed("train_net2", "--seed", optarg); break;
        case 'o': o.out_dir = optarg; break;
        case 'a':
            if (activation_parse(optarg, &o.act) != 0) {
                fprintf(stderr, "train_net2: --activation must be sigmoid, tanh or relu, not '%s'\n",
                        optarg);
                exit(GL_EXIT_USAGE);
            }
            break;
        case 'w': o.init_scale = arg_real("train_net2", "--init-scale", optarg, 0, 1e6); break;
        case 'h': usage(stdout); exit(GL_EXIT_DONE);
        default:
            fprintf(stderr, "train_net2: unknown option or missing value '%s' (see --help)\n",
                    argv[optind - 1]);
            exit(GL_EXIT_USAGE);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "train_net2: unexpected argument '%s' (see --help)\n", argv[optind]);
        exit(GL_EXIT_USAGE);
    }
    return o;
}

/* W1 ~ N(0, scale^2 / fan-in) (scale 4 by default, for the 2-D input),
 * W2 ~ N(0, 1 / fan-in); biases zero. */
static void init_params(net2_dims d, double *params, double scale, rng_t *rng)
{
    size_t P = net2_param_count(d);
    memset(params, 0, P * sizeof *params);
    for (size_t i = 0; i < d.dx * d.h; i++)
        params[i] = scale * rng_normal(rng) / sqrt((double)d.dx);
    double *W2 = params + d.dx * d.h + d.h;
    for (size_t i = 0; i < d.h * d.dy; i++)
        W2[i] = rng_normal(rng) / sqrt((double)d.h);
}

static double accuracy(net2_dims d, const double *params, const double *X, const size_t *labels,
                       size_t n, double *yhat)
{
    net2_predict(d, params, X, n, yhat);
    size_t right = 0;
    for (size_t r = 0; r < n; r++) {
        size_t best = 0;
        for (size_t k = 1; k < d.dy; k++)
            if (yhat[r * d.dy + k] > yhat[r * d.dy + best])
                best = k;
        right += best == labels[r];
    }
    return (double)right / (double)n;
}

static int write_points(const char *path, const double *X, const size_t *labels, size_t n)
{
    gc_outfile o;
    if (gc_outfile_open(&o, path) != 0)
        return -1;
    fprintf(o.f, "# x\ty\tclass\n");
    for (size_t r = 0; r < n; r++)
        fprintf(o.f, "%.6f\t%.6f\t%zu\n", X[2 * r], X[2 * r + 1], labels[r]);
    return gc_outfile_commit(&o);
}

/* The predicted class over a GRID x GRID lattice of [-1.1, 1.1]^2. */
static int write_decision(const char *path, net2_dims d, const double *params)
{
    double x[2 * GRID], yhat[CLASSES * GRID];
    gc_outfile o;
    if (gc_outfile_open(&o, path) != 0)
        return -1;
    fprintf(o.f, "# x\ty\tpredicted class\n");
    for (size_t i = 0; i < GRID; i++) {
        for (size_t j = 0; j < GRID; j++) {
            x[2 * j] = -1.1 + 2.2 * (double)j / (GRID - 1);
            x[2 * j + 1] = -1.1 + 2.2 * (double)i / (GRID - 1);
        }
        net2_predict(d, params, x, GRID, yhat);
        for (size_t j = 0; j < GRID; j++) {
            size_t best = 0;
            for (size_t k = 1; k < CLASSES; k++)
                if (yhat[j * CLASSES + k] > yhat[j * CLASSES + best])
                    best = k;
            fprintf(o.f, "%.5f\t%.5f\t%zu\n", x[2 * j], x[2 * j + 1], best);
        }
        fputc('\n', o.f);
    }
    return gc_outfile_commit(&o);
}

/* Prints how far W1 (n entries) moved from W1_0: |W1 - W1_0| / |W1_0|, or,
 * when it started at zero (--init-scale 0), the size it reached. */
static void print_moved(const double *W1, const double *W1_0, size_t n)
{
    double diff = 0, size = 0;
    for (size_t i = 0; i < n; i++) {
        diff += (W1[i] - W1_0[i]) * (W1[i] - W1_0[i]);
        size += W1_0[i] * W1_0[i];
    }
    if (size > 0)
        printf("train_net2: W1 moved %.1f%% of its initial size (|W1 - W1_0| / |W1_0|)\n",
               100 * sqrt(diff / size));
    else
        printf("train_net2: W1 started at zero and reached |W1| = %.4g\n", sqrt(diff));
}

typedef struct {
    net2_dims d;
    double *params, *grad, *Xb;
    size_t *yb;
} trainer;

/* One SGD step on a random minibatch; returns its mean loss. */
static double sgd_step(trainer *t, const options *o, const double *X, const size_t *labels,
                       size_t n, rng_t *rng)
{
    size_t P = net2_param_count(t->d);
    for (size_t b = 0; b < o->batch; b++) {
        size_t r = rng_index(rng, n);
        t->Xb[2 * b] = X[2 * r];
        t->Xb[2 * b + 1] = X[2 * r + 1];
        t->yb[b] = labels[r];
    }
    memset(t->grad, 0, P * sizeof *t->grad);
    double loss = net2_loss_and_grad(t->d, t->params, t->Xb, t->yb, o->batch, t->grad, NULL);
    for (size_t i = 0; i < P; i++)
        t->params[i] -= o->lr * t->grad[i] / (double)o->batch;
    return loss / (double)o->batch;
}

static int fail_write(const char *path)
{
    fprintf(stderr, "train_net2: cannot write '%s': %s\n", path, strerror(errno));
    return GL_EXIT_USAGE;
}

typedef struct {
    double *X, *yhat;        /* n x 2 points, n x 3 predictions */
    size_t *labels;
    size_t n;
} dataset;

/* The SGD loop, writing loss.dat as it goes. Returns GL_EXIT_DONE,
 * GL_EXIT_FAILED (NaN loss: no file is left), GL_EXIT_USAGE (cannot write)
 * or GL_EXIT_NO_MEMORY. */
static int train(const options *o, trainer *t, const dataset *s, rng_t *rng)
{
    char path[4096];
    gc_outfile lf;
    snprintf(path, sizeof path, "%s/loss.dat", o->out_dir);
    if (gc_outfile_open(&lf, path) != 0)
        return fail_write(path);
    fprintf(lf.f, "# iteration\tminibatch loss per example\tsmoothed (EMA 0.99)\n");
    double smooth = NAN;
    for (size_t it = 1; it <= o->iters; it++) {
        errno = 0;
        double loss = sgd_step(t, o, s->X, s->labels, s->n, rng);
        if (!isfinite(loss) && errno == ENOMEM) {       /* net2's scratch: not a divergence */
            gc_outfile_abort(&lf);
            return out_of_memory("train_net2");
        }
        if (!isfinite(loss)) {
            gc_outfile_abort(&lf);
            fprintf(stderr, "train_net2: the loss became %s at iteration %zu; try a smaller --lr "
                    "(now %g)\n", isnan(loss) ? "NaN" : "infinite", it, o->lr);
            return GL_EXIT_FAILED;
        }
        smooth = isnan(smooth) ? loss : 0.99 * smooth + 0.01 * loss;
        fprintf(lf.f, "%zu\t%.6g\t%.6g\n", it, loss, smooth);
        if (it % (o->iters / 10 ? o->iters / 10 : 1) == 0)
            printf("  iter %7zu/%zu  %3.0f%%  loss %.4f  accuracy %.1f%%\n", it, o->iters,
                   100.0 * (double)it / (double)o->iters, smooth,
                   100 * accuracy(t->d, t->params, s->X, s->labels, s->n, s->yhat));
    }
    return gc_outfile_commit(&lf) == 0 ? GL_EXIT_DONE : fail_write(path);
}

static int write_results(const options *o, const trainer *t, const dataset *s)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/points.dat", o->out_dir);
    if (write_points(path, s->X, s->labels, s->n) != 0)
        return fail_write(path);
    snprintf(path, sizeof path, "%s/decision.dat", o->out_dir);
    if (write_decision(path, t->d, t->params) != 0)
        return fail_write(path);
    return GL_EXIT_DONE;
}

int main(int argc, char **argv)
{
    options o = parse(argc, argv);
    /* The hidden activation's functions first, then the rest of the net's. */
    static const lab_need needs[ACT_COUNT][6] = {
        [ACT_SIGMOID] = { need_sigmoid, need_sigmoid_grad, need_softmax, need_cross_entropy,
                          need_net2_loss, need_net2_predict },
        [ACT_TANH] = { need_tanh_grad, need_softmax, need_cross_entropy, need_net2_loss,
                       need_net2_predict },
        [ACT_RELU] = { need_relu, need_relu_grad, need_softmax, need_cross_entropy,
                       need_net2_loss, need_net2_predict },
    };
    size_t nneeds = o.act == ACT_TANH ? 5 : 6;
    require_functions("train_net2", 2, needs[o.act], nneeds);
    net2_dims d = { 2, o.hidden, CLASSES, o.act };
    size_t n = CLASSES * o.per_class, P = net2_param_count(d);
    rng_t rng;
    rng_seed(&rng, o.seed);
    dataset s = { malloc(2 * n * sizeof(double)), malloc(CLASSES * n * sizeof(double)),
                  malloc(n * sizeof(size_t)), n };
    trainer t = { d, malloc(P * sizeof(double)), malloc(P * sizeof(double)),
                  malloc(2 * o.batch * sizeof(double)), malloc(o.batch * sizeof(size_t)) };
    double *W1_0 = malloc(2 * o.hidden * sizeof *W1_0);         /* W1 as training starts */
    int status = GL_EXIT_USAGE;
    if (!s.X || !s.yhat || !s.labels || !t.params || !t.grad || !t.Xb || !t.yb || !W1_0) {
        status = out_of_memory("train_net2");
        goto done;
    }
    spiral_make(&rng, CLASSES, o.per_class, s.X, s.labels);
    init_params(d, t.params, o.init_scale, &rng);
    arg_out_dir("train_net2", o.out_dir);
    printf("train_net2: %zu points, H = %zu %s units (%zu parameters), lr %g, batch %zu, "
           "%zu iterations\n", n, o.hidden, activation_name(o.act), P, o.lr, o.batch, o.iters);
    memcpy(W1_0, t.params, d.dx * d.h * sizeof *W1_0);
    double t0 = gc_clock();
    status = train(&o, &t, &s, &rng);
    if (status != GL_EXIT_DONE)
        goto done;
    printf("train_net2: training accuracy %.1f%% after %zu iterations, %.2f s\n",
           100 * accuracy(d, t.params, s.X, s.labels, n, s.yhat), o.iters, gc_clock() - t0);
    print_moved(t.params, W1_0, d.dx * d.h);
    status = write_results(&o, &t, &s);
done:
    free(s.X), free(s.yhat), free(s.labels), free(t.params), free(t.grad), free(t.Xb), free(t.yb);
    free(W1_0);
    return status;
}
