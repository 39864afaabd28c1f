/* hs_cost.c — lab 4: what one (centre, outside) pair costs under each loss as
 * the vocabulary grows. For each V the words get Zipf counts (count(w) ~
 * 1/(w + 1), as in real text), outside words are drawn by frequency, and the
 * three checked functions run on the same pairs with their gradients:
 *   naive softmax          O(V d)        every row of U
 *   hierarchical softmax   O(d log V)    the path's rows of Theta
 *   negative sampling      O(d (K + 1))  u_o and K rows drawn from unigram^0.75
 * Each figure is the median of --reps timings of a batch of pairs that runs
 * at least --budget-ms. Writes DIR/cost.dat (columns named in its header)
 * and prints the table, the fitted log-log slopes, the naive/negative-sampling
 * speed-up next to V/(K+1), and the mean Huffman path length against log2 V.
 * Exit: 0, 2 bad options or an unwritable --out-dir, 3 out of memory. */
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
#include "lab3/needs.h"
#include "lab4/needs.h"
#include "gradcheck.h"
#include "gradlab.h"

enum { MAX_SIZES = 32, MAX_REPS = 101, LOSSES = 3, MAX_K = 64 };
enum { NAIVE, HS, NEG };
static const char *const loss_names[LOSSES] = { "naive softmax", "hierarchical softmax",
                                                "negative sampling" };

typedef struct {
    size_t d, K, reps, sizes[MAX_SIZES], nsizes;
    double budget;            /* seconds per timed batch, at least */
    uint64_t seed;
    const char *out_dir;
} options;

/* One vocabulary size: the words, the tree, the matrices and the gradients. */
typedef struct {
    size_t V, d, K;
    uint64_t *counts;
    hs_tree tree;
    noise_table by_count, noise;        /* unigram (outside words), unigram^0.75 (negatives) */
    double *Vc, *U, *grad_v_c, *grad_U; /* U is also Theta (its first V - 1 rows) */
} bench;

/* What one vocabulary size measured. */
typedef struct {
    size_t V;
    double us[LOSSES];                  /* median microseconds per pair */
    double path_freq, path_uniform;     /* mean path length: by frequency, over the words */
} row;

static void usage(FILE *out)
{
    fputs("usage: hs_cost [options]\n"
          "Times one (centre, outside) pair of naive softmax, hierarchical softmax and negative\n"
          "sampling (src/word2vec.c, src/hsoftmax.c, src/negsamp.c) as the vocabulary grows.\n"
          "  --vocab V1,V2,...   vocabulary sizes, 2 to 1000000 each (default\n"
          "                      100,300,1000,3000,10000,30000,50000)\n"
          "  --dim D             vector size (default 100)\n"
          "  --negative K        negatives per pair (default 5)\n"
          "  --reps R            timings per loss and size; the median is kept (default 5)\n"
          "  --budget-ms MS      each timing runs pairs for at least this long (default 20)\n"
          "  --seed S            seed of the vectors and the pairs (default 1)\n"
          "  --out-dir DIR       where cost.dat goes (default build/lab4)\n",
          out);
}

#define die(...) arg_fail("hs_cost", __VA_ARGS__)

/* "100,300,1000" into o->sizes. */
static void parse_sizes(options *o, const char *s)
{
    char buf[512], *save = NULL;
    if (strlen(s) >= sizeof buf)
        die("--vocab list too long");
    strcpy(buf, s);
    o->nsizes = 0;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (o->nsizes == MAX_SIZES)
            die("--vocab takes at most %d sizes", MAX_SIZES);
        o->sizes[o->nsizes++] = arg_size("hs_cost", "--vocab", t, 2, 1000000);
    }
    if (o->nsizes == 0)
        die("--vocab needs at least one size, got '%s'", s);
}

static options parse(int argc, char **argv)
{
    options o = { .d = 100, .K = 5, .reps = 5, .budget = 0.02, .seed = 1, .out_dir = "build/lab4" };
    parse_sizes(&o, "100,300,1000,3000,10000,30000,50000");
    static const struct option longs[] = {
        { "vocab", 1, 0, 'V' }, { "dim", 1, 0, 'd' },       { "negative", 1, 0, 'K' },
        { "reps", 1, 0, 'r' },  { "budget-ms", 1, 0, 'b' }, { "seed", 1, 0, 's' },
        { "out-dir", 1, 0, 'o' }, { "help", 0, 0, 'h' },    { 0, 0, 0, 0 }
    };
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (ch) {
        case 'V': parse_sizes(&o, optarg); break;
        case 'd': o.d = arg_size("hs_cost", "--dim", optarg, 1, 10000); break;
        case 'K': o.K = arg_size("hs_cost", "--negative", optarg, 1, MAX_K); break;
        case 'r': o.reps = arg_size("hs_cost", "--reps", optarg, 1, MAX_REPS); break;
        case 'b': o.budget = arg_real("hs_cost", "--budget-ms", optarg, 0.01, 60000) / 1e3; break;
        case 's': o.seed = arg_seed("hs_cost", "--seed", optarg); break;
        case 'o': o.out_dir = optarg; break;          /* checked (and made) once parsed */
        case 'h': usage(stdout); exit(GL_EXIT_DONE);
        default: die("unknown option or missing value '%s' (see --help)", argv[optind - 1]);
        }
    }
    if (optind < argc)
        die("unexpected argument '%s' (see --help)", argv[optind]);
    for (size_t i = 0; i < o.nsizes; i++)
        if (o.sizes[i] <= o.K)
            die("--vocab %zu is not more than --negative %zu", o.sizes[i], o.K);
    return o;
}

static void bench_free(bench *b)
{
    free(b->counts);
    hs_tree_free(&b->tree);
    noise_table_free(&b->by_count);
    noise_table_free(&b->noise);
    free(b->Vc);
    free(b->U);
    free(b->grad_v_c);
    free(b->grad_U);
}

/* Zipf counts, the tree, both samplers, small random vectors. 0 or -1. */
static int bench_init(bench *b, size_t V, size_t d, size_t K, rng_t *r)
{
    *b = (bench){ .V = V, .d = d, .K = K };
    b->counts = malloc(V * sizeof *b->counts);
    b->Vc = malloc(V * d * sizeof *b->Vc);
    b->U = malloc(V * d * sizeof *b->U);
    b->grad_v_c = calloc(d, sizeof *b->grad_v_c);
    b->grad_U = calloc(V * d, sizeof *b->grad_U);
    if (!b->counts || !b->Vc || !b->U || !b->grad_v_c || !b->grad_U)
        return -1;
    for (size_t w = 0; w < V; w++)
        b->counts[w] = 10000000 / (w + 1) + 1;
    if (hs_tree_build(&b->tree, b->counts, V) != 0 ||
        noise_table_init(&b->by_count, b->counts, V, 1.0) != 0 ||
        noise_table_init(&b->noise, b->counts, V, 0.75) != 0)
        return -1;
    for (size_t i = 0; i < V * d; i++) {
        b->Vc[i] = (rng_uniform(r) - 0.5) / (double)d;
        b->U[i] = 0.1 * rng_normal(r);
    }
    return 0;
}

/* Runs n pairs of one loss; the pairs come from a fresh copy of `start`, so
 * every loss and every repetition sees the same words. Returns seconds. */
static double run_pairs(bench *b, int loss, size_t n, const rng_t *start, double *sink)
{
    rng_t r = *start;
    size_t neg[MAX_K];
    double t0 = gc_clock(), J = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = noise_draw(&b->by_count, &r), o = noise_draw(&b->by_count, &r);
        const double *v_c = b->Vc + c * b->d;
        if (loss == NEG)
            noise_sample(&b->noise, &r, o, b->K, neg);
        if (loss == NAIVE)
            J += naive_softmax_loss_and_grad(v_c, o, b->U, b->V, b->d, b->grad_v_c, b->grad_U);
        else if (loss == HS)
            J += hsoftmax_loss_and_grad(v_c, hs_path_of(&b->tree, o), b->U, b->d, b->grad_v_c,
                                        b->grad_U);
        else
            J += neg_sampling_loss_and_grad(v_c, o, b->U, b->d, neg, b->K, b->grad_v_c, b->grad_U);
    }
    *sink += J;
    return gc_clock() - t0;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median microseconds per pair: the batch doubles until it runs for the
 * budget, then reps timings of that batch. */
static double time_loss(bench *b, int loss, const options *o, const rng_t *start, double *sink)
{
    size_t n = 1;
    while (run_pairs(b, loss, n, start, sink) < o->budget && n < ((size_t)1 << 40))
        n *= 2;
    double t[MAX_REPS];
    for (size_t k = 0; k < o->reps; k++)
        t[k] = run_pairs(b, loss, n, start, sink) / (double)n * 1e6;
    qsort(t, o->reps, sizeof *t, by_value);
    return t[o->reps / 2];
}

/* Mean path length: weighted by count (what training meets), and plain. */
static void path_lengths(const bench *b, double *freq, double *uniform)
{
    double total = 0, weighted = 0, plain = 0;
    for (size_t w = 0; w < b->V; w++) {
        double len = (double)hs_path_of(&b->tree, w).len;
        total += (double)b->counts[w];
        weighted += (double)b->counts[w] * len;
        plain += len;
    }
    *freq = weighted / total;
    *uniform = plain / (double)b->V;
}

/* Least-squares slope of log(y) against log(x). */
static double loglog_slope(const row *rows, size_t n, int loss)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        double x = log((double)rows[i].V), y = log(rows[i].us[loss]);
        sx += x, sy += y, sxx += x * x, sxy += x * y;
    }
    double den = (double)n * sxx - sx * sx;
    return den > 0 ? ((double)n * sxy - sx * sy) / den : NAN;
}

static int write_table(const char *dir, const options *o, const row *rows, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/cost.dat", dir);
    gc_outfile f;
    if (gc_outfile_open(&f, path) != 0)
        return -1;
    fprintf(f.f, "# hs_cost: d = %zu, K = %zu, median of %zu timings; microseconds per "
            "(centre, outside) pair with gradients\n# V\tnaive_us\ths_us\tneg_us\t"
            "path_freq\tpath_uniform\tlog2V\tspeedup_naive_neg\tV_over_K1\n", o->d, o->K, o->reps);
    for (size_t i = 0; i < n; i++)
        fprintf(f.f, "%zu\t%.6g\t%.6g\t%.6g\t%.4f\t%.4f\t%.4f\t%.4g\t%.4g\n", rows[i].V,
                rows[i].us[NAIVE], rows[i].us[HS], rows[i].us[NEG], rows[i].path_freq,
                rows[i].path_uniform, log2((double)rows[i].V), rows[i].us[NAIVE] / rows[i].us[NEG],
                (double)rows[i].V / (double)(o->K + 1));
    return gc_outfile_commit(&f);
}

static void print_summary(const options *o, const row *rows, size_t n)
{
    size_t half = (n + 1) / 2;          /* the smaller sizes: the matrices stay in cache */
    printf("hs_cost: fitted slopes of log(time per pair) against log V (1: linear in V, 0: flat)\n");
    for (int l = 0; l < LOSSES; l++) {
        printf("  %-22s slope %.2f over V = %zu .. %zu", loss_names[l], loglog_slope(rows, n, l),
               rows[0].V, rows[n - 1].V);
        if (half >= 2 && half < n)
            printf("; %.2f over V = %zu .. %zu", loglog_slope(rows, half, l), rows[0].V,
                   rows[half - 1].V);
        putchar('\n');
    }
    printf("hs_cost: hierarchical softmax per node of the path: ");
    for (size_t i = 0; i < n; i++)
        printf("%s%.0f ns", i ? ", " : "", 1e3 * rows[i].us[HS] / rows[i].path_freq);
    printf(" (V = %zu .. %zu)\n", rows[0].V, rows[n - 1].V);
    printf("hs_cost: %-8s %-14s %-12s %-10s %-12s\n", "V", "naive/neg", "V/(K+1)", "log2 V",
           "mean path (by frequency, over words)");
    for (size_t i = 0; i < n; i++)
        printf("hs_cost: %-8zu %-14.1f %-12.1f %-10.2f %.2f, %.2f\n", rows[i].V,
               rows[i].us[NAIVE] / rows[i].us[NEG], (double)rows[i].V / (double)(o->K + 1),
               log2((double)rows[i].V), rows[i].path_freq, rows[i].path_uniform);
}

int main(int argc, char **argv)
{
    options o = parse(argc, argv);
    static const lab_need needs[] = { need_softmax, need_naive_softmax, need_sigmoid,
                                       need_log_sigmoid, need_neg_sampling, need_hs_tree_build,
                                       need_hsoftmax };
    require_functions("hs_cost", 4, needs, sizeof needs / sizeof needs[0]);
    gc_outfile trial;                               /* fail now, not after the timings */
    char path[4096];
    snprintf(path, sizeof path, "%s/cost.dat", arg_out_dir("hs_cost", o.out_dir));
    if (gc_outfile_open(&trial, path) != 0) {
        fprintf(stderr, "hs_cost: cannot write '%s': %s\n", path, strerror(errno));
        return GL_EXIT_USAGE;
    }
    gc_outfile_abort(&trial);
    row rows[MAX_SIZES];
    double sink = 0;
    rng_t r;
    rng_seed(&r, o.seed);
    printf("hs_cost: d = %zu, K = %zu, %zu timings of >= %.0f ms each; microseconds per pair\n",
           o.d, o.K, o.reps, o.budget * 1e3);
    printf("hs_cost: %-8s %-14s %-14s %-14s\n", "V", "naive", "hierarchical", "negative");
    for (size_t i = 0; i < o.nsizes; i++) {
        bench b;
        if (bench_init(&b, o.sizes[i], o.d, o.K, &r) != 0) {
            bench_free(&b);
            fprintf(stderr, "hs_cost: out of memory at V = %zu\n", o.sizes[i]);
            return GL_EXIT_NO_MEMORY;
        }
        rows[i].V = b.V;
        for (int l = 0; l < LOSSES; l++)
            rows[i].us[l] = time_loss(&b, l, &o, &r, &sink);
        path_lengths(&b, &rows[i].path_freq, &rows[i].path_uniform);
        printf("hs_cost: %-8zu %-14.3f %-14.3f %-14.3f\n", b.V, rows[i].us[NAIVE], rows[i].us[HS],
               rows[i].us[NEG]);
        fflush(stdout);
        bench_free(&b);
    }
    print_summary(&o, rows, o.nsizes);
    if (!isfinite(sink))
        printf("hs_cost: (the summed losses were not finite: %g)\n", sink);
    if (write_table(o.out_dir, &o, rows, o.nsizes) != 0) {
        fprintf(stderr, "hs_cost: cannot write '%s': %s\n", path, strerror(errno));
        return GL_EXIT_USAGE;
    }
    printf("hs_cost: wrote %s\n", path);
    return GL_EXIT_DONE;
}
