/* train_flow.c — lab 5: fit a normalizing flow of stacked coupling layers to
 * two moons by maximum likelihood (Adam on minibatches), using the very
 * flow_nll (or, with --coupling realnvp, realnvp_nll) the checker verified,
 * then draw samples from it.
 *
 * Writes (whole files only) into --out-dir:
 *   loss.dat     iteration, minibatch NLL per point, smoothed
 *   data.dat     the training points: x, y
 *   samples.dat  points drawn from the trained flow: x, y
 * Exit: 0 done, 1 the NLL became NaN or a layer singular, 2 bad options or a
 * file that cannot be written, 3 out of memory. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adam.h"
#include "args.h"
#include "require.h"
#include "lab5/needs.h"
#include "gradcheck.h"
#include "gradlab.h"

typedef struct {
    size_t layers, hidden, iters, batch, points, samples;
    int realnvp;                 /* --coupling realnvp: the scale exp(s(u)) of realnvp.h */
    double lr;
    unsigned long long seed;
    const char *out_dir;
} options;

static void usage(FILE *out)
{
    fputs("usage: train_flow [options]\n"
          "Fits a flow of affine coupling layers x = alpha z + F(u), v = beta u to two moons.\n"
          "  --coupling K    constant: alpha, beta fixed per layer (flow.h, the default);\n"
          "                  realnvp: x = z exp(s(u)) + t(u), v = u (realnvp.h)\n"
          "  --layers L      coupling layers, alternating which coordinate moves (default 8)\n"
          "  --hidden H      hidden units of each F (default 24)\n"
          "  --iters N       Adam steps (default 3000)\n"
          "  --batch B       points per step (default 256)\n"
          "  --lr R          Adam's step size (default 0.005)\n"
          "  --points P      training points, at least 2 (default 2000)\n"
          "  --samples S     points drawn from the trained flow (default 2000)\n"
          "  --seed S        seed of the data, the weights and the batches (default 1)\n"
          "  --out-dir DIR   where loss.dat, data.dat, samples.dat go (default build/lab5)\n",
          out);
}

/* --coupling: 0 constant, 1 realnvp; anything else exits 2. */
static int coupling_kind(const char *arg)
{
    if (strcmp(arg, "constant") == 0 || strcmp(arg, "realnvp") == 0)
        return arg[0] == 'r';
    fprintf(stderr, "train_flow: --coupling must be constant or realnvp, not '%s'\n", arg);
    exit(GL_EXIT_USAGE);
}

static options parse(int argc, char **argv)
{
    options o = { 8, 24, 3000, 256, 2000, 2000, 0, 0.005, 1, "build/lab5" };
    static const struct option longs[] = {
        { "layers", 1, 0, 'L' }, { "hidden", 1, 0, 'H' }, { "iters", 1, 0, 'i' },
        { "batch", 1, 0, 'b' },  { "lr", 1, 0, 'r' },     { "points", 1, 0, 'p' },
        { "samples", 1, 0, 'S' }, { "seed", 1, 0, 's' },  { "out-dir", 1, 0, 'o' },
        { "coupling", 1, 0, 'c' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 }
    };
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (ch) {
        case 'L': o.layers = arg_size("train_flow", "--layers", optarg, 1, 1000); break;
        case 'H': o.hidden = arg_size("train_flow", "--hidden", optarg, 1, FLOW_MAX_HIDDEN); break;
        case 'i': o.iters = arg_size("train_flow", "--iters", optarg, 1, 100000000); break;
        case 'b': o.batch = arg_size("train_flow", "--batch", optarg, 1, 1000000); break;
        case 'p': o.points = arg_size("train_flow", "--points", optarg, 2, 10000000); break;
        case 'S': o.samples = arg_size("train_flow", "--samples", optarg, 1, 10000000); break;
        case 's': o.seed = arg_seed("train_flow", "--seed", optarg); break;
        case 'o': o.out_dir = optarg; break;
        case 'c': o.realnvp = coupling_kind(optarg); break;
        case 'r': o.lr = arg_real("train_flow", "--lr", optarg, 1e-9, 1e308); break;
        case 'h': usage(stdout); exit(GL_EXIT_DONE);
        default:
            fprintf(stderr, "train_flow: unknown option or missing value '%s' (see --help)\n",
                    argv[optind - 1]);
            exit(GL_EXIT_USAGE);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "train_flow: unexpected argument '%s' (see --help)\n", argv[optind]);
        exit(GL_EXIT_USAGE);
    }
    return o;
}

/* Two interleaved half circles with N(0, 0.05^2) noise, then centred and
 * scaled to unit variance per coordinate. */
static void two_moons(rng_t *r, size_t n, double *P)
{
    double mean[2] = { 0, 0 }, var[2] = { 0, 0 };
    for (size_t i = 0; i < n; i++) {
        double t = rng_range(r, 0, 3.14159265358979323846);
        int lower = i % 2;
        P[2 * i] = (lower ? 1 - cos(t) : cos(t)) + 0.05 * rng_normal(r);
        P[2 * i + 1] = (lower ? 0.5 - sin(t) : sin(t)) + 0.05 * rng_normal(r);
        mean[0] += P[2 * i] / (double)n;
        mean[1] += P[2 * i + 1] / (double)n;
    }
    for (size_t i = 0; i < 2 * n; i++)
        var[i % 2] += (P[i] - mean[i % 2]) * (P[i] - mean[i % 2]) / (double)n;
    for (size_t i = 0; i < 2 * n; i++)
        P[i] = (P[i] - mean[i % 2]) / sqrt(var[i % 2]);
}

/* What differs between the two layers: the parameters, their start, the NLL
 * and its gradient, and the samples. */
typedef struct {
    const char *name;
    size_t (*count)(flow_dims d);
    void (*init)(flow_dims d, size_t L, double *params, rng_t *r);
    double (*nll)(flow_dims d, size_t L, const double *params, const double *P, size_t N,
                  double *grad);
    int (*sample)(flow_dims d, size_t L, const double *params, const double *B, size_t N,
                  double *S);
} coupling;

/* Near the identity: alpha = beta = 1, W1 ~ N(0, 1), b1 ~ N(0, 1), W2 small. */
static void init_flow(flow_dims d, size_t L, double *params, rng_t *r)
{
    size_t Q = flow_param_count(d);
    for (size_t l = 0; l < L; l++) {
        double *p = params + l * Q;
        p[0] = p[1] = 1.0;
        for (size_t i = 2; i < 2 + 2 * d.H; i++)           /* W1 (H x 1), b1 (H) */
            p[i] = rng_normal(r);
        for (size_t i = 2 + 2 * d.H; i < Q; i++)           /* W2 (1 x H), b2 */
            p[i] = 0.01 * rng_normal(r);
    }
}

/* Near the identity too: W1, b1 ~ N(0, 1), and Ws, bs, Wt, bt small, so
 * that s and t start near 0 (x = z, v = u). */
static void init_realnvp(flow_dims d, size_t L, double *params, rng_t *r)
{
    size_t Q = realnvp_param_count(d), net = d.H * d.h + d.H;
    for (size_t l = 0; l < L; l++)
        for (size_t i = 0; i < Q; i++)
            params[l * Q + i] = (i < net ? 1.0 : 0.01) * rng_normal(r);
}

static double nll_realnvp(flow_dims d, size_t L, const double *params, const double *P, size_t N,
                          double *grad)
{
    return realnvp_nll(d, L, params, P, N, grad, NULL);
}

static const coupling constant_scale = { "constant-scale", flow_param_count, init_flow, flow_nll,
                                         flow_sample };
static const coupling realnvp_scale = { "RealNVP", realnvp_param_count, init_realnvp, nll_realnvp,
                                        realnvp_sample };

static int write_points(const char *dir, const char *name, const double *P, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gc_outfile o;
    if (gc_outfile_open(&o, path) != 0)
        return -1;
    fprintf(o.f, "# x\ty\n");
    for (size_t i = 0; i < n; i++)
        fprintf(o.f, "%.6f\t%.6f\n", P[2 * i], P[2 * i + 1]);
    return gc_outfile_commit(&o);
}

static int fail_write(const char *dir)
{
    fprintf(stderr, "train_flow: cannot write into '%s': %s\n", dir, strerror(errno));
    return GL_EXIT_USAGE;
}

typedef struct {
    flow_dims d;
    const coupling *kind;
    double *params, *grad, *P, *batch;
    adam opt;
} trainer;

/* The Adam loop, writing loss.dat as it goes: an exit status (GL_EXIT_FAILED:
 * NaN, no file left). */
static int train(const options *o, trainer *t, rng_t *rng)
{
    char path[4096];
    size_t n = o->layers * t->kind->count(t->d);
    gc_outfile lf;
    snprintf(path, sizeof path, "%s/loss.dat", o->out_dir);
    if (gc_outfile_open(&lf, path) != 0)
        return fail_write(o->out_dir);
    fprintf(lf.f, "# iteration\tminibatch NLL per point (nats)\tsmoothed (EMA 0.99)\n");
    double smooth = NAN;
    for (size_t it = 1; it <= o->iters; it++) {
        for (size_t b = 0; b < o->batch; b++) {
            size_t r = rng_index(rng, o->points);
            t->batch[2 * b] = t->P[2 * r];
            t->batch[2 * b + 1] = t->P[2 * r + 1];
        }
        memset(t->grad, 0, n * sizeof *t->grad);
        errno = 0;
        double nll = t->kind->nll(t->d, o->layers, t->params, t->batch, o->batch, t->grad) /
                     (double)o->batch;
        if (!isfinite(nll) && errno == ENOMEM) {
            gc_outfile_abort(&lf);
            return out_of_memory("train_flow");
        }
        if (!isfinite(nll)) {
            gc_outfile_abort(&lf);
            fprintf(stderr, "train_flow: the NLL became %s at step %zu (a scale reached 0 or the "
                    "weights blew up); try a smaller --lr (now %g)\n", isnan(nll) ? "NaN" :
                    "infinite", it, o->lr);
            return GL_EXIT_FAILED;
        }
        for (size_t i = 0; i < n; i++)
            t->grad[i] /= (double)o->batch;
        adam_step(&t->opt, t->params, t->grad, o->lr);
        smooth = isnan(smooth) ? nll : 0.99 * smooth + 0.01 * nll;
        fprintf(lf.f, "%zu\t%.6g\t%.6g\n", it, nll, smooth);
        if (it % (o->iters / 10 ? o->iters / 10 : 1) == 0)
            printf("  step %6zu/%zu  %3.0f%%  NLL per point %.4f\n", it, o->iters,
                   100.0 * (double)it / (double)o->iters, smooth);
    }
    return gc_outfile_commit(&lf) == 0 ? GL_EXIT_DONE : fail_write(o->out_dir);
}

/* Base points from N(0, I) pushed back through the flow into samples.dat.
 * An exit status: GL_EXIT_FAILED a singular layer, GL_EXIT_USAGE cannot write,
 * GL_EXIT_NO_MEMORY. */
static int draw_samples(const options *o, const trainer *t, rng_t *rng)
{
    double *B = malloc(4 * o->samples * sizeof *B), *S = B + 2 * o->samples;
    if (!B)
        return out_of_memory("train_flow");
    for (size_t i = 0; i < 2 * o->samples; i++)
        B[i] = rng_normal(rng);
    int rc = GL_EXIT_DONE;
    if (t->kind->sample(t->d, o->layers, t->params, B, o->samples, S) != GL_OK) {
        fprintf(stderr, "train_flow: a trained layer is singular (%s)\n", o->realnvp ?
                "exp(s) is 0 or Inf at a sample" : "alpha or beta is 0");
        rc = GL_EXIT_FAILED;
    } else if (write_points(o->out_dir, "samples.dat", S, o->samples) != 0) {
        rc = fail_write(o->out_dir);
    }
    free(B);
    return rc;
}

int main(int argc, char **argv)
{
    options o = parse(argc, argv);
    static const lab_need needs[] = { need_flow_check, need_flow_forward, need_flow_inverse,
                                       need_flow_log_abs_det, need_flow_backward };
    static const lab_need rn_needs[] = { need_realnvp_forward, need_realnvp_inverse,
                                          need_realnvp_log_abs_det, need_realnvp_backward };
    if (o.realnvp)
        require_functions("train_flow", 5, rn_needs, sizeof rn_needs / sizeof rn_needs[0]);
    else
        require_functions("train_flow", 5, needs, sizeof needs / sizeof needs[0]);
    trainer t = { .d = { 1, 1, o.hidden }, .kind = o.realnvp ? &realnvp_scale : &constant_scale };
    size_t n = o.layers * t.kind->count(t.d);
    t.params = malloc(n * sizeof(double));
    t.grad = malloc(n * sizeof(double));
    t.P = malloc(2 * o.points * sizeof(double));
    t.batch = malloc(2 * o.batch * sizeof(double));
    int rc = GL_EXIT_USAGE;
    if (adam_init(&t.opt, n) != 0 || !t.params || !t.grad || !t.P || !t.batch) {
        rc = out_of_memory("train_flow");
        goto done;
    }
    rng_t rng;
    rng_seed(&rng, o.seed);
    two_moons(&rng, o.points, t.P);
    t.kind->init(t.d, o.layers, t.params, &rng);
    arg_out_dir("train_flow", o.out_dir);
    printf("train_flow: %zu two-moons points, %zu %s coupling layers (H = %zu, %zu parameters), "
           "Adam lr %g, batch %zu, %zu steps\n", o.points, o.layers, t.kind->name, o.hidden, n,
           o.lr, o.batch, o.iters);
    double t0 = gc_clock();
    rc = train(&o, &t, &rng);
    double seconds = gc_clock() - t0;
    if (rc == GL_EXIT_DONE) {
        double all = t.kind->nll(t.d, o.layers, t.params, t.P, o.points, NULL) / (double)o.points;
        printf("train_flow: NLL per point on all %zu points %.4f nats (a standard normal fit would "
               "give 2.8379), %.2f s\n", o.points, all, seconds);
        rc = draw_samples(&o, &t, &rng);
    }
    if (rc == GL_EXIT_DONE && write_points(o.out_dir, "data.dat", t.P, o.points) != 0)   /* last: no   */
        rc = fail_write(o.out_dir);                   /* data.dat is left beside a failed run */
done:
    free(t.params), free(t.grad), free(t.P), free(t.batch);
    adam_free(&t.opt);
    return rc;
}
