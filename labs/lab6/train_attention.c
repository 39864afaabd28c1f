/* train_attention.c — lab 6: train the tiny attention model of model.h to
 * reverse sequences of tokens (the target at position i is the token at
 * position n - 1 - i), with Adam on fresh random minibatches, using the very
 * layer norm and attention the checker verified. A position can only find
 * its answer by attending to the mirror position, so the attention weights
 * the model learns are what the plots show: from flat to an anti-diagonal.
 *
 * Writes (whole files only) into --out-dir:
 *   loss.dat             step, minibatch loss per token, smoothed, and every
 *                        --eval-every steps the accuracy on held-out sequences
 *   attention_start.dat  the weights A_ij of one held-out sequence before training
 *   attention.dat        the same after training (query i, key j, A_ij)
 * The two attention files are written once training has succeeded, so a
 * failed run leaves none of the three.
 * Exit (exits.h): 0 done, 1 the loss became NaN, 2 bad options or a file
 * that cannot be written, 3 out of memory. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adam.h"
#include "args.h"
#include "gradcheck.h"
#include "lab1/needs.h"
#include "lab6/model.h"
#include "lab6/needs.h"
#include "require.h"
#include "rng.h"

static const char *const prog = "train_attention";

typedef struct {
    model_dims m;
    size_t steps, batch, held_out, eval_every;
    double lr;
    uint64_t seed;
    const char *out_dir;
} options;

static void usage(FILE *out)
{
    fputs("usage: train_attention [options]\n"
          "Trains embeddings, layer norm, one attention layer and an output layer to reverse\n"
          "sequences of tokens, and writes the loss curve and the attention weights.\n"
          "  --length N      positions per sequence, at least 2 (default 12)\n"
          "  --vocab V       tokens, at least 2 (default 16)\n"
          "  --dim D         the model's width (default 24)\n"
          "  --dk K          the queries' and keys' width (default 12)\n"
          "  --steps S       Adam steps (default 600)\n"
          "  --batch B       sequences per step (default 32)\n"
          "  --lr R          Adam's step size (default 0.001)\n"
          "  --held-out H    sequences the accuracy is measured on (default 500)\n"
          "  --eval-every E  steps between two measures (default 20)\n"
          "  --seed S        seed of the weights, the data and the held-out set (default 1)\n"
          "  --out-dir DIR   where loss.dat, attention_start.dat, attention.dat go\n"
          "                  (default build/lab6)\n", out);
}

static options parse(int argc, char **argv)
{
    options o = { { 16, 12, 24, 12, 1e-5 }, 600, 32, 500, 20, 0.001, 1, "build/lab6" };
    static const struct option longs[] = {
        { "length", 1, 0, 'n' }, { "vocab", 1, 0, 'V' },    { "dim", 1, 0, 'd' },
        { "dk", 1, 0, 'k' },     { "steps", 1, 0, 'S' },    { "batch", 1, 0, 'b' },
        { "lr", 1, 0, 'r' },     { "held-out", 1, 0, 'H' }, { "eval-every", 1, 0, 'e' },
        { "seed", 1, 0, 's' },   { "out-dir", 1, 0, 'o' },  { "help", 0, 0, 'h' },
        { 0, 0, 0, 0 }
    };
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (ch) {
        case 'n': o.m.n = arg_size(prog, "--length", optarg, 2, 256); break;
        case 'V': o.m.V = arg_size(prog, "--vocab", optarg, 2, 10000); break;
        case 'd': o.m.d = arg_size(prog, "--dim", optarg, 1, 1024); break;
        case 'k': o.m.dk = arg_size(prog, "--dk", optarg, 1, 1024); break;
        case 'S': o.steps = arg_size(prog, "--steps", optarg, 1, 100000000); break;
        case 'b': o.batch = arg_size(prog, "--batch", optarg, 1, 100000); break;
        case 'r': o.lr = arg_real(prog, "--lr", optarg, 1e-9, 1e308); break;
        case 'H': o.held_out = arg_size(prog, "--held-out", optarg, 1, 1000000); break;
        case 'e': o.eval_every = arg_size(prog, "--eval-every", optarg, 1, 100000000); break;
        case 's': o.seed = arg_seed(prog, "--seed", optarg); break;
        case 'o': o.out_dir = optarg; break;
        case 'h': usage(stdout); exit(GL_EXIT_DONE);
        default:
            arg_fail(prog, "unknown option or missing value '%s' (see --help)", argv[optind - 1]);
        }
    }
    if (optind < argc)
        arg_fail(prog, "unexpected argument '%s' (see --help)", argv[optind]);
    return o;
}

/* B random sequences of n tokens and their reversals. */
static void draw(rng_t *r, model_dims m, size_t B, size_t *tokens, size_t *targets)
{
    for (size_t b = 0; b < B; b++)
        for (size_t i = 0; i < m.n; i++)
            tokens[b * m.n + i] = rng_index(r, m.V);
    for (size_t b = 0; b < B; b++)
        for (size_t i = 0; i < m.n; i++)
            targets[b * m.n + i] = tokens[b * m.n + m.n - 1 - i];
}

/* Embeddings ~ N(0, 1), gamma = 1, beta = 0, the projections and the output
 * layer ~ N(0, 1/d), bo = 0. */
static void init_params(model_dims m, double *params, rng_t *r)
{
    model_layout L = model_layout_of(m);
    for (size_t i = 0; i < L.count; i++)
        params[i] = i < L.gamma ? rng_normal(r) : rng_normal(r) / sqrt((double)m.d);
    for (size_t j = 0; j < m.d; j++)
        params[L.gamma + j] = 1.0, params[L.beta + j] = 0.0;
    for (size_t v = 0; v < m.V; v++)
        params[L.bo + v] = 0.0;
}

typedef struct {
    double *params, *grad;
    size_t *tokens, *targets;          /* a minibatch */
    size_t *held, *held_targets, *guess;
    double *A;                         /* n x n: held-out sequence 0's weights... */
    size_t *guess0;                    /* ... and guesses before training */
    double *A0;
    adam opt;
} trainer;

/* The accuracy on the held-out sequences: of the tokens, and of whole
 * sequences. 0, or a gl_status. */
static int accuracy(const options *o, const trainer *t, double *tokens, double *sequences)
{
    size_t n = o->m.n, right = 0, whole = 0;
    for (size_t s = 0; s < o->held_out; s++) {
        int rc = model_predict(o->m, t->params, t->held + s * n, t->guess, NULL);
        if (rc != GL_OK)
            return rc;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            k += t->guess[i] == t->held_targets[s * n + i];
        right += k, whole += k == n;
    }
    *tokens = (double)right / (double)(o->held_out * n);
    *sequences = (double)whole / (double)o->held_out;
    return GL_OK;
}

/* The weights of held-out sequence 0 and its guessed tokens (model_predict's
 * A and out) into DIR/name: "query key weight" rows, a blank line after each
 * query (gnuplot's grid), the tokens in the header. 0, or -1 (errno). */
static int write_attention(const options *o, const trainer *t, const double *A,
                           const size_t *guess, const char *name)
{
    size_t n = o->m.n;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", o->out_dir, name);
    gc_outfile f;
    if (gc_outfile_open(&f, path) != 0)
        return -1;
    fprintf(f.f, "# the attention weights A_ij of one held-out sequence: query i, key j, A_ij\n"
            "# tokens:");
    for (size_t i = 0; i < n; i++)
        fprintf(f.f, " %zu", t->held[i]);
    fprintf(f.f, "\n# guessed:");
    for (size_t i = 0; i < n; i++)
        fprintf(f.f, " %zu", guess[i]);
    fprintf(f.f, "\n");
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++)
            fprintf(f.f, "%zu\t%zu\t%.6f\n", i, j, A[i * n + j]);
        fprintf(f.f, "\n");
    }
    return gc_outfile_commit(&f);
}

static int fail_write(const char *dir)
{
    fprintf(stderr, "%s: cannot write into '%s': %s\n", prog, dir, strerror(errno));
    return GL_EXIT_USAGE;
}

/* The Adam loop, writing loss.dat as it goes: an exit status (GL_EXIT_FAILED:
 * NaN, no file left). */
static int train(const options *o, trainer *t, rng_t *rng)
{
    char path[4096];
    size_t count = model_layout_of(o->m).count, tokens = o->batch * o->m.n;
    gc_outfile lf;
    snprintf(path, sizeof path, "%s/loss.dat", o->out_dir);
    if (gc_outfile_open(&lf, path) != 0)
        return fail_write(o->out_dir);
    fprintf(lf.f, "# step\tminibatch loss per token (nats)\tsmoothed (EMA 0.95)\t"
            "held-out token accuracy\theld-out sequence accuracy (every %zu steps)\n",
            o->eval_every);
    double smooth = NAN;
    int rc = GL_OK;
    for (size_t step = 1; rc == GL_OK && step <= o->steps; step++) {
        draw(rng, o->m, o->batch, t->tokens, t->targets);
        memset(t->grad, 0, count * sizeof *t->grad);
        errno = 0;
        double J = model_loss_and_grad(o->m, t->params, t->tokens, t->targets, o->batch, t->grad);
        rc = isfinite(J) ? GL_OK : errno == ENOMEM ? GL_NO_MEMORY : GL_DIVERGED;
        if (rc != GL_OK)
            break;
        for (size_t i = 0; i < count; i++)
            t->grad[i] /= (double)tokens;
        adam_step(&t->opt, t->params, t->grad, o->lr);
        double loss = J / (double)tokens;
        smooth = isnan(smooth) ? loss : 0.95 * smooth + 0.05 * loss;
        fprintf(lf.f, "%zu\t%.6g\t%.6g", step, loss, smooth);
        if (step % o->eval_every == 0 || step == o->steps) {
            double tok, seq;
            rc = accuracy(o, t, &tok, &seq);
            fprintf(lf.f, "\t%.4f\t%.4f", tok, seq);
            if (step % (o->steps / 10 ? o->steps / 10 : 1) == 0 || step == o->steps)
                printf("  step %6zu/%zu  %3.0f%%  loss per token %.4f  held-out accuracy: "
                       "tokens %.1f%%, sequences %.1f%%\n", step, o->steps,
                       100.0 * (double)step / (double)o->steps, smooth, 100 * tok, 100 * seq);
        }
        fprintf(lf.f, "\n");
    }
    if (rc != GL_OK) {
        gc_outfile_abort(&lf);
        if (rc == GL_NO_MEMORY)
            return out_of_memory(prog);
        fprintf(stderr, "%s: the loss became NaN or infinite; try a smaller --lr (now %g)\n", prog,
                o->lr);
        return GL_EXIT_FAILED;
    }
    return gc_outfile_commit(&lf) == 0 ? GL_EXIT_DONE : fail_write(o->out_dir);
}

static void trainer_free(trainer *t)
{
    free(t->params), free(t->grad), free(t->tokens), free(t->targets), free(t->held);
    free(t->held_targets), free(t->guess), free(t->A), free(t->guess0), free(t->A0);
    adam_free(&t->opt);
}

/* Everything the run needs. 0, or -1 when out of memory. */
static int trainer_alloc(trainer *t, const options *o)
{
    size_t count = model_layout_of(o->m).count, n = o->m.n;
    *t = (trainer){ malloc(count * sizeof(double)), malloc(count * sizeof(double)),
                    malloc(o->batch * n * sizeof(size_t)), malloc(o->batch * n * sizeof(size_t)),
                    malloc(o->held_out * n * sizeof(size_t)),
                    malloc(o->held_out * n * sizeof(size_t)), malloc(n * sizeof(size_t)),
                    malloc(n * n * sizeof(double)), malloc(n * sizeof(size_t)),
                    malloc(n * n * sizeof(double)), { 0 } };
    int ok = t->params && t->grad && t->tokens && t->targets && t->held && t->held_targets &&
             t->guess && t->A && t->guess0 && t->A0;
    return ok && adam_init(&t->opt, count) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    options o = parse(argc, argv);
    static const lab_need needs[] = { need_layernorm_forward, need_layernorm_backward,
                                      need_attention_forward, need_attention_backward,
                                      need_attention_layer_forward,
                                      need_attention_layer_backward, need_softmax,
                                      need_cross_entropy };
    require_functions(prog, LAB_NUMBER, needs, sizeof needs / sizeof needs[0]);
    arg_out_dir(prog, o.out_dir);
    trainer t;
    int rc = GL_EXIT_DONE;
    if (trainer_alloc(&t, &o) != 0) {
        rc = out_of_memory(prog);
        goto done;
    }
    rng_t rng, held;
    rng_seed(&rng, o.seed);
    rng_seed(&held, o.seed ^ 0x5eed);
    init_params(o.m, t.params, &rng);
    draw(&held, o.m, o.held_out, t.held, t.held_targets);
    double tok, seq;
    if (accuracy(&o, &t, &tok, &seq) != GL_OK ||
        model_predict(o.m, t.params, t.held, t.guess0, t.A0) != GL_OK) {
        rc = out_of_memory(prog);
        goto done;
    }
    printf("%s: reverse %zu tokens of %zu; d = %zu, dk = %zu, %zu parameters; Adam lr %g, "
           "batch %zu, %zu steps\n", prog, o.m.n, o.m.V, o.m.d, o.m.dk,
           model_layout_of(o.m).count, o.lr, o.batch, o.steps);
    printf("%s: before training: held-out accuracy: tokens %.1f%%, sequences %.1f%% (chance: "
           "%.1f%%)\n", prog, 100 * tok, 100 * seq, 100.0 / (double)o.m.V);
    double t0 = gc_clock();
    rc = train(&o, &t, &rng);
    if (rc != GL_EXIT_DONE)
        goto done;
    double seconds = gc_clock() - t0;
    if (accuracy(&o, &t, &tok, &seq) != GL_OK ||
        model_predict(o.m, t.params, t.held, t.guess, t.A) != GL_OK) {
        rc = out_of_memory(prog);
        goto done;
    }
    printf("%s: after %zu steps (%.2f s): held-out accuracy: tokens %.1f%%, sequences %.1f%%\n",
           prog, o.steps, seconds, 100 * tok, 100 * seq);
    if (write_attention(&o, &t, t.A0, t.guess0, "attention_start.dat") != 0 ||
        write_attention(&o, &t, t.A, t.guess, "attention.dat") != 0)
        rc = fail_write(o.out_dir);
    else
        printf("%s: wrote %s/loss.dat, attention_start.dat and attention.dat\n", prog, o.out_dir);
done:
    trainer_free(&t);
    return rc;
}
