/* train_word2vec.c — lab 3: train word vectors on a corpus with the checked
 * skip-gram / CBOW losses (naive softmax, negative sampling or, lab 4,
 * hierarchical softmax).
 *
 * Writes, whole files only:
 *   --out FILE            the centre vectors Vc in the word2vec text format
 *   FILE minus .txt + .loss.dat   the loss curve (epoch, mean loss per pair)
 *   FILE.ckpt             with --save-every N: a checkpoint every N epochs
 *   FILE minus .txt + .epochs.dat   with --held-out F: per epoch the training
 *                         loss, the held-out loss and the --pairs found (w2v_eval.h)
 * Exit: 0 done, 1 the loss became NaN (the last checkpoint is kept), 2 bad
 * input (options, corpus, checkpoint) or a file that cannot be written, 3 out
 * of memory (never told as a divergence). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "args.h"
#include "require.h"
#include "lab1/needs.h"
#include "lab3/needs.h"
#include "lab4/needs.h"
#include "w2v_eval.h"
#include "w2v_io.h"
#include "w2v_train.h"

typedef struct {
    w2v_config cfg;
    const char *corpus, *out, *resume, *pairs;
    size_t min_count, save_every, max_words;
    double held_out;
    int lr_given;
    char curve[4096], ckpt[4096], epochs[4096];
} options;

static void usage(FILE *out)
{
    fputs("usage: train_word2vec [options]\n"
          "Trains word vectors with the skip-gram (or CBOW) losses of src/word2vec.c, src/negsamp.c\n"
          "and src/hsoftmax.c.\n"
          "  --corpus FILE       text, one sentence per line (default labs/lab3/data/kjv.txt)\n"
          "  --loss softmax|neg|hs   naive softmax, negative sampling or hierarchical softmax\n"
          "                      on a Huffman tree (default neg)\n"
          "  --model skipgram|cbow   (default skipgram)\n"
          "  --dim D             vector size (default 100)\n"
          "  --window W          largest window half-width; each window is shrunk at random (default 5)\n"
          "  --negative K        negatives per pair (default 5)\n"
          "  --min-count N       drop words seen fewer than N times (default 5)\n"
          "  --sample T          subsampling threshold of frequent words, 0 = off (default 1e-3)\n"
          "  --epochs E          passes over the corpus (default 5)\n"
          "  --lr R              starting learning rate, decays linearly (default 0.025, cbow 0.05)\n"
          "  --threads T         threads, each on a copy of the vectors merged into the shared\n"
          "                      ones every 50 000 of its words (default 1)\n"
          "  --seed S            seed of the initial vectors and of every random draw (default 1)\n"
          "  --max-words N       use only the first N words of the corpus (default: all)\n"
          "  --out FILE          the vectors (default build/lab3/vectors.txt); the loss curve goes\n"
          "                      beside it (FILE without .txt, plus .loss.dat)\n"
          "  --save-every N      write FILE.ckpt every N epochs\n"
          "  --stop-after N      stop after epoch N of the --epochs plan (writes FILE.ckpt too)\n"
          "  --resume CKPT       continue from a checkpoint of the same corpus and settings\n"
          "  --held-out F        train on all lines but the last fraction F (0 .. 0.5); after\n"
          "                      each epoch, the same loss on those lines with fixed negatives\n"
          "                      (FILE without .txt, plus .epochs.dat)\n"
          "  --pairs A:B,C:D,..  with --held-out: per epoch, how many of these word pairs are\n"
          "                      in each other's 10 nearest neighbours\n"
          "  --quiet             no progress lines\n",
          out);
}

/* One line on stderr, exit status 2. */
#define die(...) arg_fail("train_word2vec", __VA_ARGS__)

/* The loss curve's name: FILE without a .txt ending, plus .loss.dat. */
static void derive_paths(options *o)
{
    size_t n = strlen(o->out);
    if (n >= 4 && strcmp(o->out + n - 4, ".txt") == 0)
        n -= 4;
    if (n + 16 > sizeof o->curve)
        die("--out path too long");
    snprintf(o->curve, sizeof o->curve, "%.*s.loss.dat", (int)n, o->out);
    snprintf(o->epochs, sizeof o->epochs, "%.*s.epochs.dat", (int)n, o->out);
    snprintf(o->ckpt, sizeof o->ckpt, "%s.ckpt", o->out);
}

static void parse_choice(options *o, int ch, const char *arg)
{
    if (ch == 'l' && strcmp(arg, "softmax") == 0)
        o->cfg.loss = W2V_SOFTMAX;
    else if (ch == 'l' && strcmp(arg, "neg") == 0)
        o->cfg.loss = W2V_NEG;
    else if (ch == 'l' && strcmp(arg, "hs") == 0)
        o->cfg.loss = W2V_HS;
    else if (ch == 'M' && strcmp(arg, "skipgram") == 0)
        o->cfg.model = MODEL_SKIPGRAM;
    else if (ch == 'M' && strcmp(arg, "cbow") == 0)
        o->cfg.model = MODEL_CBOW;
    else
        die(ch == 'l' ? "--loss is softmax, neg or hs, not '%s'" : "--model is skipgram or cbow, not '%s'",
            arg);
}

static options parse(int argc, char **argv)
{
    options o = { .cfg = { .loss = W2V_NEG, .model = MODEL_SKIPGRAM, .dim = 100, .window = 5,
                           .negative = 5, .epochs = 5, .threads = 1, .sample = 1e-3,
                           .lr = 0.025, .seed = 1 },
                  .corpus = "labs/lab3/data/kjv.txt", .out = "build/lab3/vectors.txt",
                  .min_count = 5 };
    static const struct option longs[] = {
        { "corpus", 1, 0, 'c' },  { "loss", 1, 0, 'l' },      { "model", 1, 0, 'M' },
        { "dim", 1, 0, 'd' },     { "window", 1, 0, 'w' },    { "negative", 1, 0, 'k' },
        { "min-count", 1, 0, 'm' }, { "sample", 1, 0, 's' },  { "epochs", 1, 0, 'e' },
        { "lr", 1, 0, 'r' },      { "threads", 1, 0, 't' },   { "seed", 1, 0, 'S' },
        { "max-words", 1, 0, 'x' }, { "out", 1, 0, 'o' },     { "save-every", 1, 0, 'v' },
        { "resume", 1, 0, 'R' },  { "quiet", 0, 0, 'q' },     { "help", 0, 0, 'h' },
        { "stop-after", 1, 0, 'a' }, { "held-out", 1, 0, 'H' }, { "pairs", 1, 0, 'P' },
        { 0, 0, 0, 0 }
    };
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (ch) {
        case 'c': o.corpus = optarg; break;
        case 'l': case 'M': parse_choice(&o, ch, optarg); break;
        case 'd': o.cfg.dim = arg_size("train_word2vec", "--dim", optarg, 1, 10000); break;
        case 'w': o.cfg.window = arg_size("train_word2vec", "--window", optarg, 1, 1000); break;
        case 'k': o.cfg.negative = arg_size("train_word2vec", "--negative", optarg, 1, 1000); break;
        case 'm': o.min_count = arg_size("train_word2vec", "--min-count", optarg, 1, (size_t)1 << 40); break;
        case 's': o.cfg.sample = arg_real("train_word2vec", "--sample", optarg, 0, 1); break;
        case 'e': o.cfg.epochs = arg_size("train_word2vec", "--epochs", optarg, 1, 100000); break;
        case 'r': o.cfg.lr = arg_real("train_word2vec", "--lr", optarg, 1e-9, 1e308); o.lr_given = 1; break;
        case 't': o.cfg.threads = arg_size("train_word2vec", "--threads", optarg, 1, 256); break;
        case 'S': o.cfg.seed = arg_seed("train_word2vec", "--seed", optarg); break;
        case 'x': o.max_words = arg_size("train_word2vec", "--max-words", optarg, 1, (size_t)-1); break;
        case 'o': o.out = optarg; break;
        case 'v': o.save_every = arg_size("train_word2vec", "--save-every", optarg, 1, 100000); break;
        case 'R': o.resume = optarg; break;
        case 'a': o.cfg.stop_after = arg_size("train_word2vec", "--stop-after", optarg, 1, 100000); break;
        case 'q': o.cfg.quiet = 1; break;
        case 'H': o.held_out = arg_real("train_word2vec", "--held-out", optarg, 0, 0.5); break;
        case 'P': o.pairs = optarg; break;
        case 'h': usage(stdout); exit(GL_EXIT_DONE);
        default: die("unknown option or missing value '%s' (see --help)", argv[optind - 1]);
        }
    }
    if (optind < argc)
        die("unexpected argument '%s' (see --help)", argv[optind]);
    if (o.cfg.stop_after > o.cfg.epochs)
        die("--stop-after %zu is past --epochs %zu", o.cfg.stop_after, o.cfg.epochs);
    if (o.pairs && o.held_out == 0)
        die("--pairs needs --held-out F (the figures are written per epoch beside it)");
    if (o.cfg.model == MODEL_CBOW && !o.lr_given)
        o.cfg.lr = 0.05;
    derive_paths(&o);
    return o;
}

static const char *loss_name(const w2v_config *c)
{
    return c->loss == W2V_NEG ? "negative sampling"
         : c->loss == W2V_HS  ? "hierarchical softmax" : "naive softmax";
}

/* "skip-gram negative sampling, d = 100, window 5, K = 5" (K for negative sampling only). */
static void describe(const w2v_config *c, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s %s, d = %zu, window %zu", c->model == MODEL_CBOW ? "CBOW"
                     : "skip-gram", loss_name(c), c->dim, c->window);
    if (c->loss == W2V_NEG && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, ", K = %zu", c->negative);
}

/* The epoch hook: a checkpoint every --save-every epochs. */
typedef struct {
    const options *o;
    w2v_ckpt_key key;
} saver;

static int save_hook(void *arg, const w2v_model *m, const w2v_progress *p)
{
    const saver *s = arg;
    int every = s->o->save_every && p->epochs_done % s->o->save_every == 0;
    if (!every && p->epochs_done != s->o->cfg.stop_after)
        return GL_OK;
    if (w2v_save_checkpoint(s->o->ckpt, &s->key, m, p) != 0) {
        fprintf(stderr, "train_word2vec: cannot write checkpoint '%s': %s\n", s->o->ckpt,
                strerror(errno));
        return GL_IO;
    }
    if (!s->o->cfg.quiet)
        printf("  checkpoint after epoch %zu: %s\n", p->epochs_done, s->o->ckpt);
    return GL_OK;
}

/* Per epoch with --held-out: the figures of learning (w2v_eval.h). */
typedef struct {
    double epoch, train, held_out;
    size_t hits;
} epoch_figures;

typedef struct {
    saver *s;
    w2v_eval *e;                 /* NULL: no held-out lines */
    epoch_figures rows[1024];
    size_t nrows;
} epoch_log;

/* The mean of the curve's points in epoch (e - 1, e]. */
static double epoch_train_loss(const w2v_progress *p, size_t e)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < p->npoints; i++)
        if (p->curve[i].epoch > (double)e - 1 + 1e-9 && p->curve[i].epoch <= (double)e + 1e-9)
            sum += p->curve[i].loss, n++;
    return n ? sum / (double)n : NAN;
}

/* Evaluates after epoch e (0: before training) and keeps the row. */
static void log_epoch(epoch_log *L, const w2v_model *m, const w2v_progress *p, size_t e)
{
    uint64_t pairs = 0;
    epoch_figures f = { (double)e, e ? epoch_train_loss(p, e) : NAN, w2v_eval_loss(L->e, m, &pairs),
                        w2v_eval_pairs(L->e, m) };
    if (L->nrows < sizeof L->rows / sizeof L->rows[0])
        L->rows[L->nrows++] = f;
    if (L->s->o->cfg.quiet)
        return;
    char train[32] = "-";                          /* before training: none yet, as in the .dat */
    if (!isnan(f.train))
        snprintf(train, sizeof train, "%.4f", f.train);
    printf("  epoch %zu: training loss %s, held-out loss %.4f (%llu pairs), %zu of %zu "
           "pairs in each other's top %d\n", e, train, f.held_out,
           (unsigned long long)pairs, f.hits, L->e->listed, EVAL_TOP);
}

static int epoch_hook(void *arg, const w2v_model *m, const w2v_progress *p)
{
    epoch_log *L = arg;
    if (L->e)
        log_epoch(L, m, p, p->epochs_done);
    return save_hook(L->s, m, p);
}

/* FILE.epochs.dat: one row per evaluated epoch ("-": no training loss yet). */
static int write_epochs(const char *path, const epoch_log *L, const char *title)
{
    gc_outfile o;
    if (gc_outfile_open(&o, path) != 0)
        return -1;
    fprintf(o.f, "# %s\n# epoch\ttraining loss\theld-out loss\tpairs in each other's top %d "
            "(of %zu listed, %zu in the vocabulary)\n", title, EVAL_TOP, L->e->listed,
            L->e->npairs);
    for (size_t i = 0; i < L->nrows; i++) {
        const epoch_figures *f = &L->rows[i];
        fprintf(o.f, "%.0f\t", f->epoch);
        fprintf(o.f, isnan(f->train) ? "-\t" : "%.6g\t", f->train);
        fprintf(o.f, "%.6g\t%zu\n", f->held_out, f->hits);
    }
    return gc_outfile_commit(&o);
}

static double peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;      /* ru_maxrss is in KiB on Linux */
}

/* The corpus, checked against the options. Exits 2 on bad input. */
static void load_corpus(const options *o, corpus *C)
{
    char err[512];
    if (corpus_load(C, o->corpus, o->min_count, o->max_words, err, sizeof err) != 0)
        die("%s", err);
    if (o->cfg.loss == W2V_NEG && C->V <= o->cfg.negative) {
        size_t V = C->V;
        corpus_free(C);
        die("--negative %zu needs more than %zu words in the vocabulary, and '%s' has %zu "
            "with --min-count %zu", o->cfg.negative, o->cfg.negative, o->corpus, V, o->min_count);
    }
    if (C->V < 2) {
        corpus_free(C);
        die("'%s' has fewer than 2 words with --min-count %zu: nothing to predict", o->corpus,
            o->min_count);
    }
}

/* Fresh vectors, or the checkpoint's. GL_EXIT_DONE, or GL_EXIT_USAGE or
 * GL_EXIT_NO_MEMORY with the message printed. */
static int start_model(const options *o, saver *s, const corpus *C, w2v_model *m,
                       w2v_progress *p)
{
    if (w2v_model_init(m, C->V, o->cfg.dim, o->cfg.seed) != 0) {
        fprintf(stderr, "train_word2vec: out of memory for %zu x %zu vectors\n", C->V, o->cfg.dim);
        return GL_EXIT_NO_MEMORY;
    }
    if (!o->resume)
        return GL_EXIT_DONE;
    char err[512];
    if (w2v_load_checkpoint(o->resume, &s->key, m, p, err, sizeof err) != 0) {
        fprintf(stderr, "train_word2vec: %s\n", err);
        return GL_EXIT_USAGE;
    }
    size_t last = o->cfg.stop_after ? o->cfg.stop_after : o->cfg.epochs;
    if (p->epochs_done >= last) {
        fprintf(stderr, "train_word2vec: checkpoint '%s' already has %zu epochs; ask for more "
                "with --epochs\n", o->resume, p->epochs_done);
        return GL_EXIT_USAGE;
    }
    if (s->key.epochs != o->cfg.epochs)
        printf("train_word2vec: note: the checkpoint planned %zu epochs; the learning rate now "
               "decays over %zu\n", s->key.epochs, o->cfg.epochs);
    s->key.epochs = o->cfg.epochs;
    printf("train_word2vec: resuming '%s' after epoch %zu\n", o->resume, p->epochs_done);
    return GL_EXIT_DONE;
}

static int finish(const options *o, const corpus *C, const w2v_model *m, const w2v_progress *p,
                  const epoch_log *L)
{
    char title[256];
    describe(&o->cfg, title, sizeof title);
    if (w2v_write_vectors(o->out, C, m->Vc, m->d) != 0 || w2v_write_curve(o->curve, p, title) != 0 ||
        (L->e && write_epochs(o->epochs, L, title) != 0)) {
        fprintf(stderr, "train_word2vec: cannot write '%s': %s\n", o->out, strerror(errno));
        return GL_EXIT_USAGE;
    }
    double rate = (double)p->words / (p->seconds > 0 ? p->seconds : 1e-9);
    printf("train_word2vec: %llu words in %.2f s: %.0fk words/s, %.0fk per thread (%zu); "
           "peak memory %.1f MiB\n", (unsigned long long)p->words, p->seconds, rate / 1e3,
           rate / 1e3 / (double)o->cfg.threads, o->cfg.threads, peak_mib());
    double flops = 6.0 * (double)m->d * (double)p->rows;
    printf("train_word2vec: %llu pairs, %.2f score rows per pair, 6d = %zu FLOPs per row: "
           "%.2f GFLOP/s\n", (unsigned long long)p->pairs,
           p->pairs ? (double)p->rows / (double)p->pairs : 0.0, 6 * m->d,
           flops / (p->seconds > 0 ? p->seconds : 1e-9) / 1e9);
    if (p->rows != p->path_rows && p->pairs)
        printf("train_word2vec: %.2f distinct path nodes per pair of %.2f path rows (%.1f%%): "
               "each computed once per window\n", (double)p->rows / (double)p->pairs,
               (double)p->path_rows / (double)p->pairs, 100.0 * (double)p->rows /
               (double)p->path_rows);
    printf("train_word2vec: wrote %s and %s%s%s\n", o->out, o->curve, L->e ? " and " : "",
           L->e ? o->epochs : "");
    return GL_EXIT_DONE;
}

/* The lab functions this run calls, asked for before the corpus is read. */
static void require_for(const w2v_config *cfg)
{
    lab_need model = cfg->model == MODEL_CBOW ? need_cbow : need_skipgram;
    const lab_need softmax_fns[] = { need_softmax, need_naive_softmax, model };
    const lab_need neg_fns[] = { need_sigmoid, need_log_sigmoid, need_neg_sampling, model };
    const lab_need hs_fns[] = { need_sigmoid, need_hs_tree_build, need_hsoftmax, model,
                                need_hs_window };            /* skip-gram trains with it */
    if (cfg->loss == W2V_SOFTMAX)
        require_functions("train_word2vec", 3, softmax_fns, 3);
    else if (cfg->loss == W2V_NEG)
        require_functions("train_word2vec", 3, neg_fns, 4);
    else
        require_functions("train_word2vec", 4, hs_fns, cfg->model == MODEL_CBOW ? 4 : 5);
}

/* --held-out F: T is C without its last ceil(F nlines) lines (at least one
 * line is left to train on), which the evaluation reads. Exits 2 on bad input. */
static void hold_out(const options *o, const corpus *C, corpus *T, w2v_eval *e, epoch_log *L)
{
    size_t h = (size_t)ceil(o->held_out * (double)C->nlines);
    if (h == 0 || h >= C->nlines)
        die("--held-out %g leaves no line to hold out or none to train on (%zu lines)",
            o->held_out, C->nlines);
    T->nlines = C->nlines - h;
    T->n = C->line_start[T->nlines];
    char err[300];
    if (w2v_eval_init(e, C, T->nlines, &o->cfg, o->pairs, err, sizeof err) != 0)
        die("%s", err);
    L->e = e;
    printf("train_word2vec: held out the last %zu lines (%zu tokens), never trained on\n", h,
           C->n - T->n);
}

int main(int argc, char **argv)
{
    options o = parse(argc, argv);
    require_for(&o.cfg);
    gc_outfile trial;                             /* fail now, not after training */
    if (gc_outfile_open(&trial, o.out) != 0)
        die("cannot write '%s': %s", o.out, strerror(errno));
    gc_outfile_abort(&trial);
    corpus C;
    load_corpus(&o, &C);
    printf("train_word2vec: '%s': %llu words, %zu types; %zu with --min-count %zu (%zu tokens, "
           "%zu lines)\n", o.corpus, (unsigned long long)C.tokens_read, C.types_read, C.V,
           o.min_count, C.n, C.nlines);
    char what[256];
    describe(&o.cfg, what, sizeof what);
    printf("train_word2vec: %s, sample %g, lr %g, %zu epochs, %zu thread%s\n", what, o.cfg.sample,
           o.cfg.lr, o.cfg.epochs, o.cfg.threads, o.cfg.threads == 1 ? "" : "s");
    saver s = { &o, { corpus_fingerprint(&C), o.cfg.loss, o.cfg.model, o.cfg.epochs } };
    w2v_model m = { 0 };
    w2v_progress p = { 0 };
    corpus T = C;                                 /* the lines trained on */
    w2v_eval eval;
    static epoch_log log;
    log = (epoch_log){ .s = &s };
    if (o.held_out > 0)
        hold_out(&o, &C, &T, &eval, &log);
    int rc = start_model(&o, &s, &C, &m, &p);
    if (rc == GL_EXIT_DONE && log.e && p.epochs_done == 0)
        log_epoch(&log, &m, &p, 0);
    int trained = rc == GL_EXIT_DONE ? w2v_train(&o.cfg, &T, &m, &p, epoch_hook, &log) : GL_OK;
    if (trained == GL_DIVERGED) {
        fprintf(stderr, "train_word2vec: the loss became NaN or infinite in epoch %zu; try a "
                "smaller --lr (now %g)%s%s\n", p.epochs_done + 1, o.cfg.lr,
                o.save_every && p.epochs_done >= o.save_every ? "; the last checkpoint is " : "",
                o.save_every && p.epochs_done >= o.save_every ? o.ckpt : "");
        rc = GL_EXIT_FAILED;
    } else if (trained == GL_NO_MEMORY) {
        rc = out_of_memory("train_word2vec");
    } else if (trained != GL_OK) {
        rc = GL_EXIT_USAGE;                             /* a checkpoint not written: said */
    }
    if (rc == GL_EXIT_DONE)
        rc = finish(&o, &C, &m, &p, &log);
    if (log.e)
        w2v_eval_free(log.e);
    w2v_model_free(&m);
    w2v_progress_free(&p);
    corpus_free(&C);
    return rc;
}
