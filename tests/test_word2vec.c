/* test_word2vec.c — lab 3's modules: naive softmax and negative sampling at
 * hand-computable points, the += / NULL / touched-rows contracts, repeated
 * negatives, the alias sampler's frequencies, the windows as sums of pairs,
 * the corpus reader, and every lab 3 check (plus one without its RNG reset,
 * which must fail). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gradcheck.h"
#include "gradlab.h"
#include "registry.h"
#include "lab3/w2v_train.h"
#include "tests.h"

/* U = 0: every score is 0, yhat is uniform, J = log V, dJ/dv_c = U^T(..) = 0
 * and row w of dJ/dU is (1/V - [w = o]) v_c. */
START_TEST(naive_softmax_at_zero_U_is_log_V)
{
    enum { V = 4, D = 3 };
    double U[V * D] = { 0 }, v_c[D] = { 1, -2, 0.5 }, gv[D] = { 0 }, gU[V * D] = { 0 };
    double J = naive_softmax_loss_and_grad(v_c, 2, U, V, D, gv, gU);
    ck_assert_double_eq_tol(J, log(4.0), 1e-15);
    for (int i = 0; i < D; i++)
        ck_assert_double_eq(gv[i], 0.0);
    for (int w = 0; w < V; w++)
        for (int i = 0; i < D; i++)
            ck_assert_double_eq_tol(gU[w * D + i], (0.25 - (w == 2)) * v_c[i], 1e-15);
}
END_TEST

/* One word, scores s_w = u_w . v_c by hand: J = logsumexp(s) - s_o. */
START_TEST(naive_softmax_matches_a_hand_computed_loss)
{
    double U[6] = { 1, 0, 0, 1, 1, 1 }, v_c[2] = { 0.5, -1 };   /* s = 0.5, -1, -0.5 */
    double want = log(exp(0.5) + exp(-1.0) + exp(-0.5)) - (-1.0);
    ck_assert_double_eq_tol(naive_softmax_loss_and_grad(v_c, 1, U, 3, 2, NULL, NULL), want, 1e-15);
}
END_TEST

/* U = 0: sigma(0) = 1/2, so J = (K + 1) log 2, dJ/dv_c = 0,
 * dJ/du_o = -v_c / 2 and each draw of a negative adds v_c / 2. */
START_TEST(neg_sampling_at_zero_U_and_repeats)
{
    enum { V = 5, D = 2, K = 4 };
    double U[V * D] = { 0 }, v_c[D] = { 2, -4 }, gv[D] = { 0 }, gU[V * D];
    for (int i = 0; i < V * D; i++)
        gU[i] = 7.0;                                   /* untouched rows must stay 7 */
    size_t neg[K] = { 1, 3, 1, 1 };
    double J = neg_sampling_loss_and_grad(v_c, 0, U, D, neg, K, gv, gU);
    ck_assert_double_eq_tol(J, 5 * log(2.0), 1e-15);
    ck_assert_double_eq(gv[0], 0.0);
    ck_assert_double_eq_tol(gU[0], 7.0 - 1.0, 1e-15);          /* u_o: -v_c / 2 */
    ck_assert_double_eq_tol(gU[1], 7.0 + 2.0, 1e-15);
    ck_assert_double_eq_tol(gU[2], 7.0 + 3.0, 1e-15);          /* word 1 drawn 3 times */
    ck_assert_double_eq_tol(gU[3], 7.0 - 6.0, 1e-15);
    ck_assert_double_eq_tol(gU[6], 7.0 + 1.0, 1e-15);          /* word 3 once */
    ck_assert_double_eq(gU[4], 7.0);                            /* word 2: not involved */
    ck_assert_double_eq(gU[8], 7.0);                            /* word 4 */
}
END_TEST

/* Large scores stay finite and exact: -log sigma(40) = log1p(e^-40). */
START_TEST(neg_sampling_is_finite_at_large_scores)
{
    double U[4] = { 40, 0, -40, 0 }, v_c[2] = { 1, 0 }, gv[2] = { 0 }, gU[4] = { 0 };
    size_t neg[1] = { 1 };
    double J = neg_sampling_loss_and_grad(v_c, 0, U, 2, neg, 1, gv, gU);
    ck_assert_double_eq_tol(J, 2 * log1p(exp(-40.0)), 1e-30);
    ck_assert(J > 0);
    double far[4] = { -800, 0, 800, 0 };                       /* both terms ~ 800 */
    ck_assert_double_eq_tol(neg_sampling_loss_and_grad(v_c, 0, far, 2, neg, 1, NULL, NULL), 1600,
                            1e-9);
}
END_TEST

/* The += contract: a second call doubles the gradients; NULL skips one. */
START_TEST(gradients_add_and_null_skips)
{
    enum { V = 6, D = 3 };
    rng_t r;
    rng_seed(&r, 5);
    double U[V * D], v_c[D], g1[V * D] = { 0 }, g2[V * D] = { 0 }, gv1[D] = { 0 }, gv2[D] = { 0 };
    for (int i = 0; i < V * D; i++)
        U[i] = rng_normal(&r);
    for (int i = 0; i < D; i++)
        v_c[i] = rng_normal(&r);
    size_t neg[3] = { 1, 4, 5 };
    double J = naive_softmax_loss_and_grad(v_c, 2, U, V, D, gv1, g1);
    naive_softmax_loss_and_grad(v_c, 2, U, V, D, gv1, g1);
    ck_assert_double_eq(naive_softmax_loss_and_grad(v_c, 2, U, V, D, NULL, g2), J);
    ck_assert_double_eq(naive_softmax_loss_and_grad(v_c, 2, U, V, D, gv2, NULL), J);
    for (int i = 0; i < V * D; i++)
        ck_assert_double_eq_tol(g1[i], 2 * g2[i], 1e-15);
    for (int i = 0; i < D; i++)
        ck_assert_double_eq_tol(gv1[i], 2 * gv2[i], 1e-15);
    double Jn = neg_sampling_loss_and_grad(v_c, 2, U, D, neg, 3, NULL, NULL);
    memset(g1, 0, sizeof g1);
    ck_assert_double_eq(neg_sampling_loss_and_grad(v_c, 2, U, D, neg, 3, NULL, g1), Jn);
}
END_TEST

/* A window's loss and gradients are the sums over its pairs. */
START_TEST(skipgram_is_the_sum_of_its_pairs)
{
    enum { V = 7, D = 3, M = 3, K = 2 };
    rng_t r;
    rng_seed(&r, 9);
    double Vc[V * D], U[V * D], gVc[V * D] = { 0 }, gU[V * D] = { 0 };
    double gv[D] = { 0 }, gU2[V * D] = { 0 };
    for (int i = 0; i < V * D; i++)
        Vc[i] = rng_normal(&r), U[i] = rng_normal(&r);
    size_t outside[M] = { 1, 6, 1 }, neg[M * K] = { 2, 3, 4, 4, 0, 5 };
    for (int kind = 0; kind < 2; kind++) {
        w2v_loss L = { .kind = kind ? W2V_NEG : W2V_SOFTMAX, .K = K, .negatives = neg };
        memset(gVc, 0, sizeof gVc), memset(gU, 0, sizeof gU);
        memset(gv, 0, sizeof gv), memset(gU2, 0, sizeof gU2);
        double J = skipgram_loss_and_grad(&L, 3, outside, M, Vc, U, V, D, gVc, gU), sum = 0;
        for (size_t j = 0; j < M; j++)
            sum += kind ? neg_sampling_loss_and_grad(Vc + 3 * D, outside[j], U, D, neg + j * K, K, gv, gU2)
                        : naive_softmax_loss_and_grad(Vc + 3 * D, outside[j], U, V, D, gv, gU2);
        ck_assert_double_eq_tol(J, sum, 1e-13);
        for (int i = 0; i < V * D; i++) {
            ck_assert_double_eq_tol(gU[i], gU2[i], 1e-13);
            double want = i / D == 3 ? gv[i % D] : 0.0;        /* only the centre's row */
            ck_assert_double_eq_tol(gVc[i], want, 1e-13);
        }
    }
}
END_TEST

/* The alias table draws word w with probability count^0.75 / sum; a word
 * with count 0 never; noise_sample never returns the outside word. */
START_TEST(noise_table_matches_unigram_three_quarters)
{
    enum { V = 6, N = 600000 };
    uint64_t counts[V] = { 1000, 300, 0, 50, 7, 1 };
    noise_table t;
    ck_assert_int_eq(noise_table_init(&t, counts, V, 0.75), 0);
    double p[V], sum = 0;
    for (int w = 0; w < V; w++)
        sum += p[w] = pow((double)counts[w], 0.75);
    size_t seen[V] = { 0 };
    rng_t r;
    rng_seed(&r, 11);
    for (int i = 0; i < N; i++)
        seen[noise_draw(&t, &r)]++;
    for (int w = 0; w < V; w++) {
        double expect = N * p[w] / sum, sd = sqrt(expect + 1);
        ck_assert_msg(fabs((double)seen[w] - expect) < 5 * sd, "word %d: %zu draws, expected %.0f",
                      w, seen[w], expect);
    }
    ck_assert_uint_eq(seen[2], 0);
    size_t neg[1000];
    noise_sample(&t, &r, 0, 1000, neg);
    for (int k = 0; k < 1000; k++)
        ck_assert_uint_ne(neg[k], 0);
    noise_table_free(&t);
    uint64_t zeros[3] = { 0, 0, 0 };
    ck_assert_int_eq(noise_table_init(&t, zeros, 3, 0.75), -1);
    ck_assert_int_eq(noise_table_init(&t, counts, 0, 0.75), -1);
}
END_TEST

/* Every lab 3 check passes; the sampled one fails once its reset is gone. */
START_TEST(lab3_checks_pass_and_need_the_rng_reset)
{
    gc_options o = gc_default_options();
    size_t found = 0;
    for (size_t i = 0; i < lab_check_count(); i++) {
        const gc_check *c = lab_check_at(i);
        if (c->group != 3)
            continue;
        gc_report r;
        ck_assert_msg(gc_run_check(c, &o, &r) == GC_PASS, "%s: %s", c->name, r.note);
        found++;
    }
    ck_assert_uint_ge(found, 9);
    gc_problem p;
    ck_assert_int_eq(lab_find("neg_sampling_seed1")->setup(&p, 1), 0);
    ck_assert_ptr_nonnull(p.reset);
    p.reset = NULL;                        /* the negatives now change between evaluations */
    gc_report r;
    ck_assert_int_eq(gc_check_gradient(&p, &o, &r), GC_FAIL);
    ck_assert_msg(strstr(r.note, "determin") != NULL, "%s", r.note);
    gc_problem_free(&p);
}
END_TEST

/* ---- the corpus reader ---- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(corpus_counts_sorts_and_drops_rare_words)
{
    char path[64], err[256];
    snprintf(path, sizeof path, "/tmp/gl_corpus.%d", (int)getpid());
    write_file(path, "b a c a\n\n  a b  d\tb\r\nrare a\nrare2");    /* a 4, b 3, c 1, d 1 */
    corpus C;
    ck_assert_int_eq(corpus_load(&C, path, 2, 0, err, sizeof err), 0);
    ck_assert_uint_eq(C.tokens_read, 11);
    ck_assert_uint_eq(C.types_read, 6);
    ck_assert_uint_eq(C.V, 2);
    ck_assert_str_eq(C.words[0], "a");
    ck_assert_str_eq(C.words[1], "b");
    ck_assert_uint_eq(C.counts[0], 4);
    ck_assert_uint_eq(C.counts[1], 3);
    ck_assert_uint_eq(C.n, 7);                 /* b a a | a b b | a */
    ck_assert_uint_eq(C.nlines, 3);            /* the blank line and "rare2" vanish */
    uint32_t want[7] = { 1, 0, 0, 0, 1, 1, 0 };
    for (int i = 0; i < 7; i++)
        ck_assert_uint_eq(C.ids[i], want[i]);
    ck_assert_uint_eq(C.line_start[1], 3);
    ck_assert_uint_eq(C.line_start[2], 6);
    ck_assert_int_eq(corpus_find(&C, "b"), 1);
    ck_assert_int_eq(corpus_find(&C, "c"), -1);
    uint64_t fp = corpus_fingerprint(&C);
    corpus_free(&C);
    ck_assert_int_eq(corpus_load(&C, path, 1, 4, err, sizeof err), 0);   /* first 4 tokens */
    ck_assert_uint_eq(C.tokens_read, 4);
    ck_assert_uint_eq(C.V, 3);
    ck_assert(corpus_fingerprint(&C) != fp);
    corpus_free(&C);
    remove(path);
}
END_TEST

START_TEST(corpus_grows_its_table_without_losing_words)
{
    char path[64], err[256];
    snprintf(path, sizeof path, "/tmp/gl_corpus_big.%d", (int)getpid());
    FILE *f = fopen(path, "w");
    for (int rep = 0; rep < 3; rep++)
        for (int w = 0; w < 5000; w++)
            fprintf(f, "w%d%c", w, w % 10 == 9 ? '\n' : ' ');
    fclose(f);
    corpus C;
    ck_assert_int_eq(corpus_load(&C, path, 3, 0, err, sizeof err), 0);
    ck_assert_uint_eq(C.V, 5000);
    ck_assert_uint_eq(C.n, 15000);
    for (size_t w = 0; w < C.V; w++)
        ck_assert_uint_eq(C.counts[w], 3);
    ck_assert_str_eq(C.words[C.ids[0]], "w0");
    ck_assert_str_eq(C.words[C.ids[14999]], "w4999");
    corpus_free(&C);
    remove(path);
}
END_TEST

START_TEST(corpus_errors_are_one_line)
{
    char path[64], err[256];
    corpus C;
    ck_assert_int_eq(corpus_load(&C, "/nonexistent/kjv.txt", 1, 0, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "cannot open corpus '/nonexistent/kjv.txt'"));
    snprintf(path, sizeof path, "/tmp/gl_corpus_empty.%d", (int)getpid());
    write_file(path, " \n\n\t\n");
    ck_assert_int_eq(corpus_load(&C, path, 1, 0, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "has no words"));
    write_file(path, "one two three\n");
    ck_assert_int_eq(corpus_load(&C, path, 2, 0, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "lower --min-count"));
    ck_assert_ptr_null(strchr(err, '\n'));
    ck_assert_int_eq(corpus_load(&C, "/tmp", 1, 0, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "cannot read corpus '/tmp'"));
    remove(path);
}
END_TEST

/* ---- the trainer and the explorer, run as programs ($TRAIN_WORD2VEC, $W2V_EXPLORE) ---- */

static char tmpdir[64];

/* A small corpus with structure: "the X eats Y" for animals and foods. */
static const char *toy_corpus(void)
{
    static char path[96];
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gl_w2v.%d", (int)getpid());
    mkdir(tmpdir, 0777);
    snprintf(path, sizeof path, "%s/toy.txt", tmpdir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    const char *animal[] = { "cat", "dog", "cow", "horse" }, *food[] = { "fish", "meat", "grass", "hay" };
    rng_t r;
    rng_seed(&r, 4);
    for (int line = 0; line < 1500; line++) {
        size_t a = rng_index(&r, 4);
        fprintf(f, "the %s eats %s and the %s sleeps\n", animal[a], food[a], animal[rng_index(&r, 4)]);
    }
    fclose(f);
    return path;
}

/* Runs "$env args" with stdout into tmpdir/stdout; stderr into err. */
static int run(const char *env, const char *args, char *err, size_t errsize)
{
    char out[96];
    snprintf(out, sizeof out, "%s/stdout", tmpdir);
    return run_program(env, args, out, err, errsize);
}

static int same_files(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb, ca, cb;
    while (same && ((ca = fgetc(fa)) != EOF) | ((cb = fgetc(fb)) != EOF))
        same = ca == cb;
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

/* The first and the last loss of a curve file. */
static void curve_ends(const char *path, double *first, double *last)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    double epoch, loss;
    *first = *last = NAN;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%lf %lf", &epoch, &loss) == 2) {
            if (isnan(*first))
                *first = loss;
            *last = loss;
        }
    fclose(f);
}

/* The first word after `word` on its line of w2v_explore's output. */
static void nearest_of(const char *out, const char *word, char *nearest, size_t size)
{
    char key[64];
    snprintf(key, sizeof key, "\n  %s ", word);
    const char *at = strstr(out, key);
    ck_assert_msg(at != NULL, "%s not listed", word);
    ck_assert_int_eq(sscanf(at + strlen(key), "%63s", nearest), 1);
    (void)size;
}

/* Two threads each train on a copy of their own and merge (w2v_train.c):
 * every thread's updates must reach the shared vectors. The corpus's first
 * half uses only a b c d, its second half only w x y z, so thread 0 sees the
 * first words and thread 1 the others; after one epoch every word's centre
 * vector has moved from its start, and U (zero at the start) is not zero
 * for any of them. A merge that lost one thread's work fails here. */
START_TEST(trainer_merges_every_threads_updates)
{
    char path[128], err[300];
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gl_w2v.%d", (int)getpid());
    mkdir(tmpdir, 0777);
    snprintf(path, sizeof path, "%s/halves.txt", tmpdir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int line = 0; line < 400; line++)
        fputs(line < 200 ? "a b c d a c b d\n" : "w x y z w y x z\n", f);
    fclose(f);
    corpus C;
    ck_assert_int_eq(corpus_load(&C, path, 1, 0, err, sizeof err), 0);
    w2v_config cfg = { .loss = W2V_NEG, .model = MODEL_SKIPGRAM, .dim = 8, .window = 2,
                       .negative = 2, .epochs = 1, .threads = 2, .lr = 0.05, .seed = 3,
                       .quiet = 1 };
    w2v_model m;
    w2v_progress p = { 0 };
    ck_assert_int_eq(w2v_model_init(&m, C.V, cfg.dim, cfg.seed), 0);
    double *start = malloc(C.V * cfg.dim * sizeof *start);
    ck_assert_ptr_nonnull(start);
    memcpy(start, m.Vc, C.V * cfg.dim * sizeof *start);
    ck_assert_int_eq(w2v_train(&cfg, &C, &m, &p, NULL, NULL), 0);
    for (size_t w = 0; w < C.V; w++) {
        double moved = 0.0, u = 0.0;
        for (size_t i = 0; i < cfg.dim; i++) {
            moved += fabs(m.Vc[w * cfg.dim + i] - start[w * cfg.dim + i]);
            u += fabs(m.U[w * cfg.dim + i]);
        }
        ck_assert_msg(moved > 1e-3 && u > 1e-3, "word %zu (%s): Vc moved %g, |U| %g", w,
                      C.words[w], moved, u);
    }
    ck_assert_uint_eq(p.pairs > 0, 1);
    free(start);
    w2v_model_free(&m);
    w2v_progress_free(&p);
    corpus_free(&C);
}
END_TEST

/* --held-out: one row per epoch and one before training; the held-out
 * loss, on lines never trained on, falls as the vectors learn, and the
 * pair count stays within the pairs listed. Before training there is no
 * training loss: "-" in the file and on the progress line alike. */
START_TEST(trainer_held_out_figures_per_epoch)
{
    const char *text = toy_corpus();
    char args[512], err[1024], path[128], line[256];
    snprintf(args, sizeof args, "--corpus %s --dim 8 --epochs 5 --min-count 1 "
             "--held-out 0.1 --pairs cat:dog,fish:meat,cat:nosuchword --out %s/ho.txt", text, tmpdir);
    ck_assert_msg(run("TRAIN_WORD2VEC", args, err, sizeof err) == 0, "%s", err);
    snprintf(path, sizeof path, "%s/stdout", tmpdir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    int said_none = 0;
    while (fgets(line, sizeof line, f)) {
        ck_assert_msg(!strstr(line, "nan"), "a progress line says nan: %s", line);
        said_none += strstr(line, "epoch 0: training loss -,") != NULL;
    }
    fclose(f);
    ck_assert_msg(said_none == 1, "no line 'epoch 0: training loss -,'");
    snprintf(path, sizeof path, "%s/ho.epochs.dat", tmpdir);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    double held[8] = { 0 };
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char train[32];
        double epoch, h;
        int hits;
        ck_assert_int_eq(sscanf(line, "%lf %31s %lf %d", &epoch, train, &h, &hits), 4);
        ck_assert_double_eq(epoch, rows);
        ck_assert_msg(rows > 0 || strcmp(train, "-") == 0, "epoch 0 has a training loss: %s", train);
        ck_assert_msg(hits >= 0 && hits <= 2, "%d of 2 pairs in the vocabulary", hits);
        ck_assert(isfinite(h));
        held[rows++] = h;
    }
    fclose(f);
    ck_assert_int_eq(rows, 6);
    ck_assert_msg(held[5] < held[0] - 0.1, "held-out loss %g before, %g after", held[0], held[5]);
}
END_TEST

/* Hierarchical softmax (lab 4) through the same trainer, skip-gram and CBOW.
 * The toy text's loss cannot fall far (a centre predicts every other word
 * of its sentence), so the test asks that it falls, and that skip-gram's
 * vectors learn the roles: cat's nearest word is an animal, fish's a food
 * (CBOW's 8-dimensional toy vectors put "the" about as near as an animal). */
START_TEST(trainer_learns_with_hierarchical_softmax)
{
    const char *text = toy_corpus();
    char args[512], err[1024], path[128], out[2048], near[64];
    for (int cbow = 0; cbow < 2; cbow++) {
        snprintf(args, sizeof args, "--corpus %s --loss hs --model %s --dim 8 --epochs 20 "
                 "--min-count 1 --quiet --out %s/hs.txt", text, cbow ? "cbow" : "skipgram", tmpdir);
        ck_assert_msg(run("TRAIN_WORD2VEC", args, err, sizeof err) == 0, "%s", err);
        snprintf(path, sizeof path, "%s/hs.loss.dat", tmpdir);
        double first, last;
        curve_ends(path, &first, &last);
        ck_assert_msg(last < first - 0.03, "cbow %d: first %g last %g", cbow, first, last);
        if (cbow)
            continue;
        snprintf(args, sizeof args, "--vectors %s/hs.txt --neighbours cat,fish --top 1", tmpdir);
        ck_assert_msg(run("W2V_EXPLORE", args, err, sizeof err) == 0, "%s", err);
        snprintf(path, sizeof path, "%s/stdout", tmpdir);
        FILE *f = fopen(path, "r");
        ck_assert_ptr_nonnull(f);
        out[fread(out, 1, sizeof out - 1, f)] = 0;
        fclose(f);
        nearest_of(out, "cat", near, sizeof near);
        ck_assert_msg(strstr(" dog cow horse ", near) && strlen(near) >= 3, "cat: %s", near);
        nearest_of(out, "fish", near, sizeof near);
        ck_assert_msg(strstr(" meat grass hay ", near) && strlen(near) >= 3, "fish: %s", near);
    }
}
END_TEST

/* Skip-gram with hierarchical softmax trains with the window loss, each
 * distinct path node once: one thread gives the same vectors for the same
 * seed, run after run, and the run reports fewer distinct nodes per pair
 * than path rows (the toy text's eight words share the top of the tree). */
START_TEST(trainer_hs_window_is_deterministic_and_counts_distinct_nodes)
{
    const char *text = toy_corpus();
    char args[512], err[1024], a[128], b[128], path[128], out[4096];
    for (int k = 0; k < 2; k++) {
        snprintf(args, sizeof args, "--corpus %s --loss hs --dim 8 --epochs 2 --min-count 1 "
                 "--seed 7 --threads 1 --quiet --out %s/hs%d.txt", text, tmpdir, k);
        ck_assert_msg(run("TRAIN_WORD2VEC", args, err, sizeof err) == 0, "%s", err);
    }
    snprintf(a, sizeof a, "%s/hs0.txt", tmpdir);
    snprintf(b, sizeof b, "%s/hs1.txt", tmpdir);
    ck_assert_msg(same_files(a, b), "two one-thread runs of seed 7 differ");
    snprintf(path, sizeof path, "%s/stdout", tmpdir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    out[fread(out, 1, sizeof out - 1, f)] = 0;
    fclose(f);
    const char *at = strstr(out, "distinct path nodes per pair of");
    ck_assert_msg(at != NULL, "no distinct-node line in: %s", out);
    at--;                                                 /* back to the number before it */
    while (at > out && at[-1] != ' ')
        at--;
    double distinct, rows, share;
    ck_assert_int_eq(sscanf(at, "%lf distinct path nodes per pair of %lf path rows (%lf%%)",
                            &distinct, &rows, &share), 3);
    ck_assert_msg(distinct > 0 && distinct < rows && share < 100.0, "%s", at);
}
END_TEST

START_TEST(trainer_writes_word2vec_format_and_learns)
{
    const char *text = toy_corpus();
    char args[512], err[1024], path[128];
    snprintf(args, sizeof args, "--corpus %s --dim 8 --epochs 3 --min-count 1 --out %s/v.txt",
             text, tmpdir);
    ck_assert_msg(run("TRAIN_WORD2VEC", args, err, sizeof err) == 0, "%s", err);
    snprintf(path, sizeof path, "%s/v.txt", tmpdir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t V, d, rows = 0;
    ck_assert_int_eq(fscanf(f, "%zu %zu", &V, &d), 2);
    ck_assert_uint_eq(V, 12);                 /* the and eats sleeps + 4 animals, 4 foods */
    ck_assert_uint_eq(d, 8);
    char word[64];
    double x;
    while (fscanf(f, "%63s", word) == 1) {
        for (size_t i = 0; i < d; i++)
            ck_assert_int_eq(fscanf(f, "%lf", &x), 1);
        rows++;
    }
    fclose(f);
    ck_assert_uint_eq(rows, V);
    snprintf(path, sizeof path, "%s/v.loss.dat", tmpdir);
    double first, last;
    curve_ends(path, &first, &last);
    ck_assert_double_lt(last, 0.8 * first);
    snprintf(args, sizeof args, "--vectors %s/v.txt --neighbours cat,zebra --top 3", tmpdir);
    ck_assert_msg(run("W2V_EXPLORE", args, err, sizeof err) == 0, "%s", err);
    snprintf(path, sizeof path, "%s/stdout", tmpdir);
    f = fopen(path, "r");
    char out[2048] = "";
    out[fread(out, 1, sizeof out - 1, f)] = 0;
    fclose(f);
    ck_assert_ptr_nonnull(strstr(out, "zebra        (not in the vocabulary)"));
    ck_assert_ptr_nonnull(strstr(out, "  cat  "));
}
END_TEST

/* 4 epochs straight = 2 of the 4 (--stop-after 2), a checkpoint, then the
 * other 2: the same bytes. */
START_TEST(trainer_resume_is_exact)
{
    const char *text = toy_corpus();
    char args[512], err[1024], a[128], b[128];
    snprintf(args, sizeof args, "--corpus %s --dim 6 --epochs 4 --min-count 1 --out %s/a.txt",
             text, tmpdir);
    ck_assert_msg(run("TRAIN_WORD2VEC", args, err, sizeof err) == 0, "%s", err);
    snprintf(args, sizeof args, "--corpus %s --dim 6 --epochs 4 --stop-after 2 --min-count 1 "
             "--out %s/b.txt", text, tmpdir);
    ck_assert_msg(run("TRAIN_WORD2VEC", args, err, sizeof err) == 0, "%s", err);
    snprintf(args, sizeof args, "--corpus %s --dim 6 --epochs 4 --min-count 1 --resume "
             "%s/b.txt.ckpt --out %s/b.txt", text, tmpdir, tmpdir);
    ck_assert_msg(run("TRAIN_WORD2VEC", args, err, sizeof err) == 0, "%s", err);
    snprintf(a, sizeof a, "%s/a.txt", tmpdir);
    snprintf(b, sizeof b, "%s/b.txt", tmpdir);
    ck_assert(same_files(a, b));
    snprintf(args, sizeof args, "--corpus %s --dim 7 --epochs 4 --min-count 1 --resume "
             "%s/b.txt.ckpt --out %s/c.txt", text, tmpdir, tmpdir);
    ck_assert_int_eq(run("TRAIN_WORD2VEC", args, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "has another --dim"));
    snprintf(args, sizeof args, "--corpus %s --epochs 4 --min-count 1 --resume %s "
             "--out %s/c.txt", text, text, tmpdir);
    ck_assert_int_eq(run("TRAIN_WORD2VEC", args, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "is not a gradlab word2vec checkpoint"));
}
END_TEST

/* A NaN loss stops the run: exit 1, a hint, no vectors, the checkpoint kept. */
START_TEST(trainer_stops_on_nan_keeping_the_checkpoint)
{
    const char *text = toy_corpus();
    char args[512], err[1024], path[128], saved[160];
    snprintf(args, sizeof args, "--corpus %s --dim 6 --epochs 1 --min-count 1 --save-every 1 "
             "--out %s/n.txt", text, tmpdir);
    ck_assert_msg(run("TRAIN_WORD2VEC", args, err, sizeof err) == 0, "%s", err);
    snprintf(path, sizeof path, "%s/n.txt", tmpdir);
    remove(path);
    snprintf(saved, sizeof saved, "cp %s/n.txt.ckpt %s/saved.ckpt", tmpdir, tmpdir);
    ck_assert_int_eq(system(saved), 0);
    snprintf(args, sizeof args, "--corpus %s --dim 6 --epochs 3 --min-count 1 --save-every 1 "
             "--lr 1e300 --resume %s/n.txt.ckpt --out %s/n.txt", text, tmpdir, tmpdir);
    ck_assert_int_eq(run("TRAIN_WORD2VEC", args, err, sizeof err), 1);
    ck_assert_ptr_nonnull(strstr(err, "NaN or infinite"));
    ck_assert_ptr_nonnull(strstr(err, "try a smaller --lr"));
    ck_assert_ptr_nonnull(strstr(err, "n.txt.ckpt"));
    ck_assert_int_ne(access(path, F_OK), 0);
    snprintf(saved, sizeof saved, "%s/saved.ckpt", tmpdir);
    snprintf(path, sizeof path, "%s/n.txt.ckpt", tmpdir);
    ck_assert(same_files(saved, path));
}
END_TEST

START_TEST(trainer_bad_input_is_one_line_and_exit_2)
{
    const char *text = toy_corpus();
    char empty[128], args[640], err[1024];
    snprintf(empty, sizeof empty, "%s/empty.txt", tmpdir);
    write_file(empty, "\n\n");
    const char *bad[] = {
        "--corpus /nonexistent/x.txt", "--corpus EMPTY", "--window 0", "--dim 0",
        "--negative 14 --min-count 1", "--min-count 100000", "--loss hs2", "--loss hs --dim 0", "--model sg",
        "--threads 0", "--lr -1", "--sample x", "--epochs 0", "--bogus", "extra",
        "--out /nonexistent-dir/v.txt", "--pairs cat:dog", "--held-out 0.6",
        "--held-out 0.1 --pairs cat", "--held-out 0.1 --pairs cat:",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const char *opt = strcmp(bad[k], "--corpus EMPTY") == 0 ? "--corpus " : bad[k];
        snprintf(args, sizeof args, "--corpus %s --quiet --out %s/bad.txt %s%s", text, tmpdir,
                 opt, opt == bad[k] ? "" : empty);
        ck_assert_msg(run("TRAIN_WORD2VEC", args, err, sizeof err) == 2, "%s: %s", bad[k], err);
        ck_assert_msg(strncmp(err, "train_word2vec: ", 16) == 0, "%s: %s", bad[k], err);
        ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "%s: %s", bad[k], err);
    }
    snprintf(args, sizeof args, "--vectors %s", text);          /* not vectors */
    ck_assert_int_eq(run("W2V_EXPLORE", args, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "does not start with a 'V d' header"));
}
END_TEST

/* The checkpoint's own errors, --stop-after past the plan, and the
 * explorer's: each one line, exit 2. */
START_TEST(resume_and_explore_errors_are_one_line)
{
    const char *text = toy_corpus();
    char args[640], err[1024], cmd[512];
    snprintf(args, sizeof args, "--corpus %s --dim 4 --epochs 2 --min-count 1 --save-every 2 "
             "--quiet --out %s/r.txt", text, tmpdir);
    ck_assert_msg(run("TRAIN_WORD2VEC", args, err, sizeof err) == 0, "%s", err);
    struct { const char *args, *words; } bad[] = {
        { "--epochs 2 --resume %s/r.txt.ckpt", "already has 2 epochs" },
        { "--epochs 3 --stop-after 4", "--stop-after 4 is past --epochs 3" },
        { "--epochs 4 --loss softmax --resume %s/r.txt.ckpt", "another --loss or --model" },
        { "--epochs 4 --resume %s/cut.ckpt", "is truncated" },
        { "--epochs 4 --resume %s/none.ckpt", "cannot open checkpoint" },
    };
    snprintf(cmd, sizeof cmd, "head -c 200 %s/r.txt.ckpt > %s/cut.ckpt", tmpdir, tmpdir);
    ck_assert_int_eq(system(cmd), 0);
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char opt[256];
        snprintf(opt, sizeof opt, bad[k].args, tmpdir);
        snprintf(args, sizeof args, "--corpus %s --dim 4 --min-count 1 --quiet --out %s/r2.txt %s",
                 text, tmpdir, opt);
        ck_assert_int_eq(run("TRAIN_WORD2VEC", args, err, sizeof err), 2);
        ck_assert_msg(strstr(err, bad[k].words) != NULL, "%s: %s", opt, err);
        ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "%s: %s", opt, err);
    }
    snprintf(cmd, sizeof cmd, "printf '3 2\\na 1 2\\nb 3\\n' > %s/short.txt", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
    struct { const char *args, *words; } ex[] = {
        { "--vectors %s/r.txt --project the,zebra", "--project needs at least 3 words" },
        { "--vectors %s/r.txt --top 0", "--top needs a whole number from 1 to 32" },
        { "--vectors %s/short.txt", "the row of 'b' has 1 numbers, but the header says 2" },
        { "--vectors %s/none.txt", "cannot open vectors" },
        { "--neighbours the", "--vectors FILE is required" },
    };
    for (size_t k = 0; k < sizeof ex / sizeof ex[0]; k++) {
        snprintf(args, sizeof args, ex[k].args, tmpdir);
        ck_assert_int_eq(run("W2V_EXPLORE", args, err, sizeof err), 2);
        ck_assert_msg(strstr(err, ex[k].words) != NULL, "%s: %s", args, err);
        ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "%s: %s", args, err);
    }
}
END_TEST

Suite *suite_word2vec(void)
{
    Suite *s = suite_create("word2vec");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, naive_softmax_at_zero_U_is_log_V);
    tcase_add_test(t, naive_softmax_matches_a_hand_computed_loss);
    tcase_add_test(t, neg_sampling_at_zero_U_and_repeats);
    tcase_add_test(t, neg_sampling_is_finite_at_large_scores);
    tcase_add_test(t, gradients_add_and_null_skips);
    tcase_add_test(t, skipgram_is_the_sum_of_its_pairs);
    tcase_add_test(t, noise_table_matches_unigram_three_quarters);
    tcase_add_test(t, lab3_checks_pass_and_need_the_rng_reset);
    tcase_add_test(t, corpus_counts_sorts_and_drops_rare_words);
    tcase_add_test(t, corpus_grows_its_table_without_losing_words);
    tcase_add_test(t, corpus_errors_are_one_line);
    tcase_add_test(t, trainer_writes_word2vec_format_and_learns);
    tcase_add_test(t, trainer_learns_with_hierarchical_softmax);
    tcase_add_test(t, trainer_hs_window_is_deterministic_and_counts_distinct_nodes);
    tcase_add_test(t, trainer_resume_is_exact);
    tcase_add_test(t, trainer_merges_every_threads_updates);
    tcase_add_test(t, trainer_held_out_figures_per_epoch);
    tcase_add_test(t, trainer_stops_on_nan_keeping_the_checkpoint);
    tcase_add_test(t, trainer_bad_input_is_one_line_and_exit_2);
    tcase_add_test(t, resume_and_explore_errors_are_one_line);
    suite_add_tcase(s, t);
    return s;
}
