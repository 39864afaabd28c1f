/* w2v_explore.c — lab 3: look at trained word vectors (any file in the
 * word2vec text format): the nearest neighbours of some words by cosine
 * similarity, and the top two principal components of a chosen set of words
 * for a 2-D picture.
 *
 *   w2v_explore --vectors FILE [--neighbours w1,w2,..] [--top N]
 *               [--project w1,w2,.. --out FILE.dat] [--pairs a:b,c:d,..]
 * --pairs: how many of the pairs have each word among the other's 10 nearest
 * (train_word2vec --held-out's figure, for any vectors file).
 * Exit 0, or 2 with one line on bad input (missing file, bad format, fewer
 * than 3 known words to project). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "vec.h"
#include "w2v_eval.h"
#include "w2v_io.h"

enum { MAX_WORDS = 64, POWER_ITERATIONS = 1000 };

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "w2v_explore: %s%s\n", msg, arg);
    exit(GL_EXIT_USAGE);
}

static long find(const w2v_vectors *v, const char *word)
{
    for (size_t i = 0; i < v->V; i++)
        if (strcmp(v->words[i], word) == 0)
            return (long)i;
    return -1;
}

/* Splits a comma list in place; returns how many words (at most MAX_WORDS). */
static size_t split(char *list, char **words)
{
    size_t n = 0;
    for (char *w = strtok(list, ","); w && n < MAX_WORDS; w = strtok(NULL, ","))
        words[n++] = w;
    return n;
}

/* Every row scaled to unit length (a zero row stays zero). */
static double *unit_rows(const w2v_vectors *v)
{
    double *u = malloc(v->V * v->d * sizeof *u);
    if (!u)
        die("out of memory", "");
    for (size_t i = 0; i < v->V; i++) {
        const double *x = v->vec + i * v->d;
        double norm = sqrt(dot(x, x, v->d));
        for (size_t k = 0; k < v->d; k++)
            u[i * v->d + k] = norm > 0 ? x[k] / norm : 0.0;
    }
    return u;
}

/* Prints the `top` words with the largest cosine similarity to word q. */
static void neighbours(const w2v_vectors *v, const double *u, const char *word, size_t top)
{
    long q = find(v, word);
    if (q < 0) {
        printf("  %-12s (not in the vocabulary)\n", word);
        return;
    }
    size_t best[32];
    double sim[32];
    size_t n = 0;
    for (size_t i = 0; i < v->V; i++) {
        if ((long)i == q)
            continue;
        double s = dot(u + i * v->d, u + (size_t)q * v->d, v->d);
        size_t at = n < top ? n++ : top;            /* insertion into the sorted top list */
        while (at > 0 && sim[at - 1] < s) {
            if (at < top)
                best[at] = best[at - 1], sim[at] = sim[at - 1];
            at--;
        }
        if (at < top)
            best[at] = i, sim[at] = s;
    }
    if (dot(u + (size_t)q * v->d, u + (size_t)q * v->d, v->d) == 0) {
        printf("  %-12s (its vector is zero: it has no direction to compare)\n", word);
        return;
    }
    printf("  %-12s", word);
    for (size_t j = 0; j < n; j++)
        printf(" %s (%.2f)", v->words[best[j]], sim[j]);
    putchar('\n');
}

/* The top eigenvector of the symmetric n x n matrix G by power iteration from
 * a fixed start; returns its eigenvalue. */
static double top_eigen(const double *G, size_t n, double *u)
{
    double lambda = 0.0, next[MAX_WORDS];
    for (size_t i = 0; i < n; i++)
        u[i] = 1.0 + 0.01 * (double)i;              /* not orthogonal to anything in practice */
    for (int it = 0; it < POWER_ITERATIONS; it++) {
        for (size_t i = 0; i < n; i++)
            next[i] = dot(G + i * n, u, n);
        lambda = sqrt(dot(next, next, n));
        if (lambda == 0.0)
            return 0.0;
        for (size_t i = 0; i < n; i++)
            u[i] = next[i] / lambda;
    }
    return lambda;
}

/* The words' unit vectors, centred; their Gram matrix G = X X^T (n x n) has
 * the principal components' scores as its scaled eigenvectors:
 * score_k(word i) = sqrt(lambda_k) u_k[i]. Writes "word pc1 pc2" lines. */
static void project(const w2v_vectors *v, const double *unit, char **words, size_t n,
                    const char *out)
{
    size_t idx[MAX_WORDS], m = 0, d = v->d;
    for (size_t j = 0; j < n; j++) {
        long i = find(v, words[j]);
        if (i < 0)
            printf("  (left out of the projection: '%s' is not in the vocabulary)\n", words[j]);
        else
            idx[m++] = (size_t)i;
    }
    if (m < 3)
        die("--project needs at least 3 words in the vocabulary", "");
    double *X = calloc(m * d, sizeof *X), *G = calloc(m * m, sizeof *G), mean[10000] = { 0 };
    double u1[MAX_WORDS], u2[MAX_WORDS];
    if (!X || !G || d > 10000)
        die("out of memory", "");
    for (size_t j = 0; j < m; j++)
        axpy(1.0 / (double)m, unit + idx[j] * d, mean, d);
    for (size_t j = 0; j < m; j++)
        for (size_t k = 0; k < d; k++)
            X[j * d + k] = unit[idx[j] * d + k] - mean[k];
    double trace = 0.0;
    for (size_t i = 0; i < m; i++) {
        for (size_t j = 0; j < m; j++)
            G[i * m + j] = dot(X + i * d, X + j * d, d);
        trace += G[i * m + i];
    }
    if (!(trace > 0))
        die("--project: the chosen words' vectors do not vary (all equal or zero)", "");
    double l1 = top_eigen(G, m, u1);
    for (size_t i = 0; i < m; i++)                  /* deflate: G -= l1 u1 u1^T */
        for (size_t j = 0; j < m; j++)
            G[i * m + j] -= l1 * u1[i] * u1[j];
    double l2 = top_eigen(G, m, u2);
    gc_outfile o;
    if (gc_outfile_open(&o, out) != 0)
        die("cannot write ", out);
    fprintf(o.f, "# word\tpc1\tpc2   (%zu words; the two components explain %.0f%% and %.0f%% of "
            "their variance)\n", m, 100 * l1 / trace, 100 * l2 / trace);
    for (size_t j = 0; j < m; j++)
        fprintf(o.f, "%s\t%.5f\t%.5f\n", v->words[idx[j]], sqrt(l1) * u1[j], sqrt(l2) * u2[j]);
    if (gc_outfile_commit(&o) != 0)
        die("cannot write ", out);
    printf("w2v_explore: wrote %s (%zu words; PC1 %.0f%%, PC2 %.0f%% of their variance)\n", out, m,
           100 * l1 / trace, 100 * l2 / trace);
    free(X);
    free(G);
}

static long find_in(const void *v, const char *word)
{
    return find(v, word);
}

/* --pairs: one line, "N of M pairs in each other's top 10". */
static void pairs_found(const w2v_vectors *v, const char *list)
{
    size_t pair[EVAL_MAX_PAIRS][2], n, listed;
    char err[300];
    if (w2v_parse_pairs(list, find_in, v, pair, &n, &listed, err, sizeof err) != 0)
        die(err, "");
    printf("w2v_explore: %zu of %zu pairs in each other's top %d (%zu listed, %zu with a word not "
           "in the vocabulary)\n", w2v_pairs_found(v->vec, v->V, v->d, (const size_t (*)[2])pair, n),
           n, EVAL_TOP, listed, listed - n);
}

static void usage(FILE *out)
{
    fputs("usage: w2v_explore --vectors FILE [options]\n"
          "  --neighbours W1,W2,..  print each word's nearest neighbours by cosine similarity\n"
          "  --top N                how many neighbours (default 5, at most 32)\n"
          "  --project W1,W2,..     the words' top two principal components, written to --out\n"
          "  --out FILE             where the projection goes (default build/lab3/projection.dat)\n"
          "  --pairs A:B,C:D,..     how many pairs have each word among the other's 10 nearest\n",
          out);
}

int main(int argc, char **argv)
{
    const char *path = NULL, *out = "build/lab3/projection.dat";
    char *near = NULL, *proj = NULL, *pairs = NULL;
    size_t top = 5;
    static const struct option longs[] = {
        { "vectors", 1, 0, 'v' }, { "neighbours", 1, 0, 'n' }, { "top", 1, 0, 't' },
        { "project", 1, 0, 'p' }, { "out", 1, 0, 'o' },        { "help", 0, 0, 'h' },
        { "pairs", 1, 0, 'P' },
        { 0, 0, 0, 0 }
    };
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (ch) {
        case 'v': path = optarg; break;
        case 'n': near = optarg; break;
        case 't': top = arg_size("w2v_explore", "--top", optarg, 1, 32); break;
        case 'p': proj = optarg; break;
        case 'o': out = optarg; break;
        case 'P': pairs = optarg; break;
        case 'h': usage(stdout); return GL_EXIT_DONE;
        default: die("unknown option or missing value (see --help): ", argv[optind - 1]);
        }
    }
    if (optind < argc)
        die("unexpected argument (see --help): ", argv[optind]);
    if (!path)
        die("--vectors FILE is required (see --help)", "");
    char err[512];
    w2v_vectors v;
    if (w2v_read_vectors(path, &v, err, sizeof err) != 0)
        die(err, "");
    double *unit = unit_rows(&v);
    char *words[MAX_WORDS];
    if (near) {
        size_t n = split(near, words);
        printf("w2v_explore: nearest neighbours in %s (%zu words, d = %zu), cosine similarity:\n",
               path, v.V, v.d);
        for (size_t j = 0; j < n; j++)
            neighbours(&v, unit, words[j], top);
    }
    if (proj)
        project(&v, unit, words, split(proj, words), out);
    if (pairs)
        pairs_found(&v, pairs);
    free(unit);
    w2v_vectors_free(&v);
    return GL_EXIT_DONE;
}
