/* w2v_train.c — epochs of word2vec SGD over a corpus. One thread steps Vc
 * and U in place. Several threads each step a copy of their own and merge
 * what they changed into the shared vectors every MERGE_WORDS tokens (under
 * a lock: shared += mine - base, then mine = base = shared): two threads that
 * wrote the shared rows directly, as the original word2vec does, handed the
 * rows' cache lines from core to core at nearly every window and ran each at
 * half speed (2 threads: 10.5 s, 1 thread: 9.3 s; with copies of their own,
 * 4.9 s). Each window: subsample the line, shrink the window at random, draw
 * fresh negatives for every pair, call the checked window loss, then step
 * the rows it touched and zero their gradient again. */
#define _POSIX_C_SOURCE 200809L
#include "w2v_train.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradcheck.h"
#include "vec.h"

enum { FLUSH_WORDS = 10000, MERGE_WORDS = 50000, CURVE_POINTS_PER_EPOCH = 40 };

/* Shared by the threads of a run. `lock` guards the counters and the curve. */
typedef struct {
    const w2v_config *cfg;
    const corpus *C;
    w2v_model *m;
    noise_table noise;            /* negative sampling */
    hs_tree tree;                 /* hierarchical softmax: Theta is U's first V - 1 rows */
    double *keep;                 /* V: probability of keeping a token of word w */
    uint64_t total;               /* epochs * tokens: the learning-rate schedule */
    pthread_mutex_t lock;
    uint64_t done, done_at_start; /* tokens processed, counting earlier runs */
    uint64_t pairs_run, rows_run, path_rows_run;  /* pairs, score rows (the cost model) */
    double loss_sum;              /* since the last curve point */
    uint64_t pairs;
    uint64_t next_point, point_every, next_print, print_every;
    double smoothed;
    w2v_progress *p;
    double t0;                    /* when this run started (gc_clock) */
    atomic_int failed;            /* 1: non-finite loss, 2: out of memory */
    pthread_mutex_t merge_lock;   /* one merge into m at a time */
} shared;

/* The few rows of a V x d matrix one window touches, copied out so the
 * checked functions work on a small hot matrix (word w is local row slot[w]),
 * then stepped back into the shared one: global row -= lr * local gradient. */
typedef struct {
    size_t *slot;                 /* V: local row of word w, or NO_ROW */
    size_t *word;                 /* cap: the word of each local row */
    double *M, *grad;             /* cap x d: the copies; their gradient (zero between windows) */
    size_t n, cap;
} rows_view;

#define NO_ROW ((size_t)-1)

/* One thread's share of one epoch, and its scratch space. Cache-line
 * aligned: two threads' RNG states and counters never share a line. */
typedef struct {
    _Alignas(64) shared *S;
    size_t line_from, line_to;
    rng_t rng;
    rows_view in, out;            /* rows of Vc; rows of U (negative sampling; HS: ids only) */
    double *grad_U;               /* naive softmax, HS: V x d, zero between windows */
    size_t *sen, *outside, *neg;  /* a line; a window's words; its negatives (global ids) */
    size_t *in_ids, *out_ids, *neg_ids;   /* the same words as local rows */
    hs_path *paths;               /* HS: one per pair, the tree's own (global ids) */
    double lr;
    w2v_model *M;                 /* the vectors it steps: S->m, or its own copy */
    w2v_model own, base;          /* several threads: its copy, and the shared vectors
                                   * as they were when it last merged */
    uint64_t unmerged;            /* tokens since its last merge */
    uint64_t words, pairs, rows, path_rows;   /* not yet flushed */
    double loss;
} worker;

int w2v_model_init(w2v_model *m, size_t V, size_t d, uint64_t seed)
{
    *m = (w2v_model){ V, d, malloc(V * d * sizeof(double)), calloc(V * d, sizeof(double)) };
    if (!m->Vc || !m->U) {
        w2v_model_free(m);
        return -1;
    }
    rng_t r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < V * d; i++)
        m->Vc[i] = (rng_uniform(&r) - 0.5) / (double)d;
    return 0;
}

void w2v_model_free(w2v_model *m)
{
    free(m->Vc);
    free(m->U);
    *m = (w2v_model){ 0 };
}

void w2v_progress_free(w2v_progress *p)
{
    free(p->curve);
    *p = (w2v_progress){ 0 };
}

/* word2vec's subsampling: keep a token of frequency f with probability
 * (sqrt(f / t) + 1) t / f, capped at 1 (t = --sample). */
static void keep_probabilities(const corpus *C, double t, double *keep)
{
    for (size_t w = 0; w < C->V; w++) {
        double f = (double)C->counts[w] / (double)C->n;
        keep[w] = t > 0 ? fmin(1.0, (sqrt(f / t) + 1.0) * t / f) : 1.0;
    }
}

/* The local row of word w: listed on first use, and copied in unless the
 * view keeps ids only (M is NULL). */
static size_t view_row(rows_view *v, const double *global, size_t w, size_t d)
{
    if (v->slot[w] != NO_ROW)
        return v->slot[w];
    size_t r = v->n++;
    v->slot[w] = r;
    v->word[r] = w;
    if (v->M)
        memcpy(v->M + r * d, global + w * d, d * sizeof *v->M);
    return r;
}

/* One SGD step of a row, y -= lr * g, then g = 0 for the next window. */
static void step_row(double *restrict y, double *restrict g, size_t d, double lr)
{
    for (size_t i = 0; i < d; i++) {
        y[i] -= lr * g[i];
        g[i] = 0.0;
    }
}

/* Steps every local row's word in global by -lr * its gradient, zeroes the
 * gradient and empties the view. A word listed twice was one row: one step
 * with the summed gradient. */
static void view_step(rows_view *v, double *global, size_t d, double lr)
{
    for (size_t r = 0; r < v->n; r++) {
        step_row(global + v->word[r] * d, v->grad + r * d, d, lr);
        v->slot[v->word[r]] = NO_ROW;
    }
    v->n = 0;
}

/* The naive softmax's dense step: every row at once, in the same one pass
 * as a row's (y - lr g equals y + (-lr) g, bit for bit, so one pass instead
 * of an axpy and a memset changes no number). */
static void step_all(double *M, double *g, size_t n, double lr)
{
    step_row(M, g, n, lr);
}

static void view_free(rows_view *v)
{
    free(v->slot);
    free(v->word);
    free(v->M);
    free(v->grad);
}

/* Memory a worker writes all the time, on cache lines of its own (64-byte
 * aligned, rounded up to whole lines): two workers' arrays never share a
 * line. A line both write is handed from core to core at every write, and
 * the workers' small arrays, allocated one after another, used to meet on
 * such lines (one worker's negatives beside the other's row slots of the
 * most frequent words). zero: filled with zeros. */
static void *own_lines(size_t bytes, int zero)
{
    size_t size = (bytes + 63) / 64 * 64;
    void *p = aligned_alloc(64, size ? size : 64);
    if (p && zero)
        memset(p, 0, size ? size : 64);
    return p;
}

/* A view of up to cap rows; d = 0: a list of row ids only (no copies). */
static int view_init(rows_view *v, size_t V, size_t cap, size_t d)
{
    *v = (rows_view){ own_lines(V * sizeof(size_t), 0), own_lines(cap * sizeof(size_t), 0),
                      d ? own_lines(cap * d * sizeof(double), 0) : NULL,
                      d ? own_lines(cap * d * sizeof(double), 1) : NULL, 0, cap };
    if (!v->slot || !v->word || (d && (!v->M || !v->grad))) {
        view_free(v);
        return -1;
    }
    for (size_t w = 0; w < V; w++)
        v->slot[w] = NO_ROW;
    return 0;
}

/* The window around sen[i] of half-width b: its words, i itself left out. */
static size_t gather(const size_t *sen, size_t n, size_t i, size_t b, size_t *outside)
{
    size_t m = 0, from = i > b ? i - b : 0, to = i + b < n ? i + b : n - 1;
    for (size_t j = from; j <= to; j++)
        if (j != i)
            outside[m++] = sen[j];
    return m;
}

/* Local rows for words[0..n) in view v, into ids. */
static void view_rows(rows_view *v, const double *global, const size_t *words, size_t n,
                      size_t d, size_t *ids)
{
    for (size_t j = 0; j < n; j++)
        ids[j] = view_row(v, global, words[j], d);
}

/* HS: each predicted word's path; its inner nodes are listed (once each) in
 * `out`, which copies nothing: the checked function reads Theta in place
 * and adds into the worker's V x d grad_U, whose listed rows step_listed
 * then applies. A copy of a node's row would cost as much as using it (in
 * a skip-gram window a distinct node is used once), and the top rows of
 * the tree, in every window, stay in the cache where they are. The list's
 * length is the window's distinct nodes. Returns the paths' total length. */
static size_t list_paths(worker *w, const size_t *predicted, size_t npairs)
{
    size_t rows = 0;
    for (size_t j = 0; j < npairs; j++) {
        hs_path p = hs_path_of(&w->S->tree, predicted[j]);
        w->paths[j] = p;
        rows += p.len;
        for (size_t k = 0; k < p.len; k++)
            view_row(&w->out, NULL, p.node[k], 0);
    }
    return rows;
}

/* Steps the listed rows of global by -lr * the same rows of grad (both
 * V x d), zeroes those gradient rows and empties the list. Last listed
 * first: the window loss used them in the order listed, so its last rows
 * are still in the L1 cache (29% fewer L1 misses in all, counted by
 * cachegrind; the rows are independent, so the numbers are the same). */
static void step_listed(rows_view *v, double *global, double *grad, size_t d, double lr)
{
    for (size_t r = v->n; r-- > 0; ) {
        step_row(global + v->word[r] * d, grad + v->word[r] * d, d, lr);
        v->slot[v->word[r]] = NO_ROW;
    }
    v->n = 0;
}

/* One window: loss summed over its pairs (*pairs of them), rows stepped.
 * Skip-gram: centre c predicts outside[0..m); CBOW: the m context words
 * predict c. Vc is always worked on through the view `in`; U through `out`
 * for negative sampling and HS, and whole (it is dense) for the naive softmax. */
static double train_window(worker *w, size_t c, size_t m, size_t *pairs)
{
    const w2v_config *cfg = w->S->cfg;
    w2v_model *M = w->M;
    size_t K = cfg->negative, d = M->d, V = M->V;
    int cbow = cfg->model == MODEL_CBOW, neg = cfg->loss == W2V_NEG, hs = cfg->loss == W2V_HS;
    size_t npairs = cbow ? 1 : m;
    const size_t *predicted = cbow ? &c : w->outside;       /* rows of U: observed words */
    for (size_t j = 0; neg && j < npairs; j++)
        noise_sample(&w->S->noise, &w->rng, predicted[j], K, w->neg + j * K);
    int window_hs = hs && !cbow;                            /* v_c read in place, no copy */
    if (!window_hs)
        view_rows(&w->in, M->Vc, cbow ? w->outside : &c, cbow ? m : 1, d, w->in_ids);
    const double *U = M->U;
    double *grad_U = w->grad_U;
    const size_t *out_ids = predicted, *neg_ids = w->neg;
    if (neg) {                                              /* U's rows as a small local matrix */
        view_rows(&w->out, M->U, predicted, npairs, d, w->out_ids);
        view_rows(&w->out, M->U, w->neg, npairs * K, d, w->neg_ids);
        out_ids = w->out_ids, neg_ids = w->neg_ids;
    }
    if (neg)
        U = w->out.M, grad_U = w->out.grad, V = w->out.n;
    size_t path_rows = hs ? list_paths(w, predicted, npairs) : npairs * (neg ? K + 1 : M->V);
    w->path_rows += path_rows;
    w->rows += hs && !cbow ? w->out.n : path_rows;     /* skip-gram HS: each distinct node once */
    w2v_loss L = { cfg->loss, K, neg_ids, w->paths };
    double J;
    if (cbow)
        J = cbow_loss_and_grad(&L, out_ids[0], w->in_ids, m, w->in.M, U, V, d, w->in.grad, grad_U);
    else if (window_hs)
        J = hsoftmax_window_loss_and_grad(M->Vc + c * d, w->paths, m, U, d, w->in.grad, grad_U);
    else
        J = skipgram_loss_and_grad(&L, w->in_ids[0], out_ids, m, w->in.M, U, V, d, w->in.grad,
                                   grad_U);
    if (window_hs)
        step_row(M->Vc + c * d, w->in.grad, d, w->lr);
    else
        view_step(&w->in, M->Vc, d, w->lr);
    if (neg)
        view_step(&w->out, M->U, d, w->lr);
    else if (hs)
        step_listed(&w->out, M->U, grad_U, d, w->lr);
    else
        step_all(M->U, grad_U, M->V * d, w->lr);
    *pairs = npairs;
    return J;
}

static void print_progress(const shared *S)
{
    double t = gc_clock() - S->t0;
    double rate = (double)(S->done - S->done_at_start) / (t > 0 ? t : 1e-9);
    printf("  %5.1f%%  epoch %zu/%zu  loss %.4f  %.0fk words/s (%.0fk per thread)  %.1f s\n",
           100.0 * (double)S->done / (double)S->total,
           (size_t)((double)S->done / (double)S->C->n) + (S->done < S->total),
           S->cfg->epochs, S->smoothed, rate / 1e3, rate / 1e3 / (double)S->cfg->threads, t);
    fflush(stdout);
}

/* Adds a point to the curve. Called with the lock held. */
static int add_point(shared *S)
{
    w2v_progress *p = S->p;
    if (p->npoints == p->cap) {
        size_t cap = 2 * p->cap + 64;
        w2v_point *more = realloc(p->curve, cap * sizeof *more);
        if (!more)
            return -1;
        p->curve = more;
        p->cap = cap;
    }
    double loss = S->loss_sum / (double)S->pairs;
    S->smoothed = p->npoints ? 0.8 * S->smoothed + 0.2 * loss : loss;
    p->curve[p->npoints++] = (w2v_point){ (double)S->done / (double)S->C->n, loss };
    S->loss_sum = 0;
    S->pairs = 0;
    return 0;
}

/* Linear decay over the planned epochs, from lr to lr * 1e-4. */
static double learning_rate(const shared *S)
{
    return S->cfg->lr * fmax(1e-4, 1.0 - (double)S->done / (double)(S->total + 1));
}

/* Adds what this worker changed since its last merge into the shared
 * vectors and starts again from them: shared += own - base; own = base =
 * shared. Nothing to do when it steps the shared vectors itself. */
static void merge(worker *w)
{
    if (w->M == w->S->m)
        return;
    double *shared_m[2] = { w->S->m->Vc, w->S->m->U }, *own[2] = { w->own.Vc, w->own.U },
           *base[2] = { w->base.Vc, w->base.U };
    size_t n = w->own.V * w->own.d;
    pthread_mutex_lock(&w->S->merge_lock);
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < n; i++) {
            double now = shared_m[k][i] + (own[k][i] - base[k][i]);
            shared_m[k][i] = now;
            own[k][i] = base[k][i] = now;
        }
    pthread_mutex_unlock(&w->S->merge_lock);
    w->unmerged = 0;
}

/* Hands the worker's counts to the shared state; sets its next learning rate. */
static void flush(worker *w)
{
    shared *S = w->S;
    pthread_mutex_lock(&S->lock);
    S->done += w->words;
    S->loss_sum += w->loss;
    S->pairs += w->pairs;
    S->pairs_run += w->pairs;
    S->rows_run += w->rows;
    S->path_rows_run += w->path_rows;
    if (S->done >= S->next_point && S->pairs > 0) {
        if (add_point(S) != 0)
            atomic_store(&S->failed, 2);
        S->next_point += S->point_every;
    }
    if (S->done >= S->next_print && !S->cfg->quiet) {
        print_progress(S);
        S->next_print += S->print_every;
    }
    w->lr = learning_rate(S);
    pthread_mutex_unlock(&S->lock);
    w->words = w->pairs = w->rows = w->path_rows = 0;
    w->loss = 0;
}

/* Subsamples line l into w->sen; returns its length. */
static size_t read_line(worker *w, size_t l)
{
    const corpus *C = w->S->C;
    size_t n = 0;
    for (size_t i = C->line_start[l]; i < C->line_start[l + 1]; i++) {
        uint32_t id = C->ids[i];
        if (w->S->keep[id] >= 1.0 || rng_uniform(&w->rng) < w->S->keep[id])
            w->sen[n++] = id;
    }
    w->words += C->line_start[l + 1] - C->line_start[l];
    w->unmerged += C->line_start[l + 1] - C->line_start[l];
    return n;
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    shared *S = w->S;
    for (size_t l = w->line_from; l < w->line_to && !atomic_load(&S->failed); l++) {
        size_t n = read_line(w, l);
        for (size_t i = 0; i < n; i++) {
            size_t b = 1 + rng_index(&w->rng, S->cfg->window);   /* shrunk window */
            size_t m = gather(w->sen, n, i, b, w->outside), pairs;
            if (m == 0)
                continue;
            errno = 0;
            double J = train_window(w, w->sen[i], m, &pairs);
            if (!isfinite(J)) {                 /* a NaN with ENOMEM: memory, not divergence */
                atomic_store(&S->failed, errno == ENOMEM ? 2 : 1);
                return NULL;
            }
            w->loss += J;
            w->pairs += pairs;
        }
        if (w->words >= FLUSH_WORDS)
            flush(w);
        if (w->unmerged >= MERGE_WORDS)
            merge(w);
    }
    flush(w);
    merge(w);
    return NULL;
}

static void free_worker(worker *w)
{
    w2v_model_free(&w->own);
    w2v_model_free(&w->base);
    view_free(&w->in);
    view_free(&w->out);
    free(w->grad_U);
    free(w->sen);
    free(w->outside);
    free(w->neg);
    free(w->in_ids);
    free(w->out_ids);
    free(w->neg_ids);
    free(w->paths);
}

/* dst = a copy of src, on cache lines of its own. 0, or -1 when out of memory. */
static int copy_model(w2v_model *dst, const w2v_model *src)
{
    size_t bytes = src->V * src->d * sizeof(double);
    *dst = (w2v_model){ src->V, src->d, own_lines(bytes, 0), own_lines(bytes, 0) };
    if (!dst->Vc || !dst->U) {
        w2v_model_free(dst);
        return -1;
    }
    memcpy(dst->Vc, src->Vc, bytes);
    memcpy(dst->U, src->U, bytes);
    return 0;
}

/* Scratch for one thread; lines split so each thread gets ~n / T tokens. */
static int init_worker(worker *w, shared *S, size_t t, size_t epoch, size_t longest)
{
    const w2v_config *cfg = S->cfg;
    const corpus *C = S->C;
    size_t T = cfg->threads, V = S->m->V, d = S->m->d, W = 2 * cfg->window, K = cfg->negative;
    *w = (worker){ .S = S, .M = S->m };
    while (w->line_from < C->nlines && C->line_start[w->line_from] * T < t * C->n)
        w->line_from++;
    w->line_to = w->line_from;
    while (w->line_to < C->nlines && C->line_start[w->line_to] * T < (t + 1) * C->n)
        w->line_to++;
    rng_seed(&w->rng, cfg->seed + 0x9E3779B97F4A7C15u * (epoch * 4096 + t + 1));
    int neg = cfg->loss == W2V_NEG, hs = cfg->loss == W2V_HS;
    size_t depth = hs ? hs_depth_max(&S->tree) : 0;
    int bad = view_init(&w->in, V, W, d) != 0 ||
              (neg && view_init(&w->out, V, W * (K + 1), d) != 0) ||
              (hs && view_init(&w->out, V, W * depth, 0) != 0) ||
              (hs && !(w->paths = own_lines(W * sizeof(hs_path), 0))) ||
              (!neg && !(w->grad_U = own_lines(V * d * sizeof(double), 1)));
    w->sen = own_lines((longest + 1) * sizeof(size_t), 0);
    w->outside = own_lines(W * sizeof(size_t), 0);
    w->neg = own_lines((W * K + 1) * sizeof(size_t), 0);
    w->in_ids = own_lines(W * sizeof(size_t), 0);
    w->out_ids = own_lines(W * sizeof(size_t), 0);
    w->neg_ids = own_lines((W * K + 1) * sizeof(size_t), 0);
    if (T > 1 && !bad) {                      /* a copy of its own (see the top of the file) */
        bad = copy_model(&w->own, S->m) != 0 || copy_model(&w->base, S->m) != 0;
        w->M = &w->own;
    }
    w->lr = learning_rate(S);
    if (bad || !w->sen || !w->outside || !w->neg || !w->in_ids || !w->out_ids || !w->neg_ids) {
        free_worker(w);
        return -1;
    }
    return 0;
}

/* One epoch on cfg->threads threads (the calling thread included). GL_OK,
 * or GL_NO_MEMORY. */
static int run_epoch(shared *S, size_t epoch, size_t longest)
{
    size_t T = S->cfg->threads;
    worker *w = aligned_alloc(64, T * sizeof *w);   /* sizeof is a multiple of 64 */
    pthread_t *tid = calloc(T, sizeof *tid);
    size_t ready = 0, started = 0;
    while (w && tid && ready < T && init_worker(&w[ready], S, ready, epoch, longest) == 0)
        ready++;
    int rc = ready == T ? GL_OK : GL_NO_MEMORY;
    for (size_t t = 1; rc == GL_OK && t < T; t++, started++)
        if (pthread_create(&tid[t], NULL, run_worker, &w[t]) != 0) {
            atomic_store(&S->failed, 2);
            break;
        }
    if (rc == GL_OK)
        run_worker(&w[0]);
    for (size_t t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    for (size_t t = 0; t < ready; t++)
        free_worker(&w[t]);
    free(w);
    free(tid);
    return rc;
}

static size_t longest_line(const corpus *C)
{
    size_t longest = 0;
    for (size_t l = 0; l < C->nlines; l++)
        if (C->line_start[l + 1] - C->line_start[l] > longest)
            longest = C->line_start[l + 1] - C->line_start[l];
    return longest;
}

int w2v_train(const w2v_config *cfg, const corpus *C, w2v_model *m, w2v_progress *p,
              w2v_epoch_hook hook, void *hook_arg)
{
    shared S = { .cfg = cfg, .C = C, .m = m, .p = p, .total = cfg->epochs * C->n };
    S.keep = malloc(C->V * sizeof *S.keep);
    if (!S.keep || (cfg->loss == W2V_NEG && noise_table_init(&S.noise, C->counts, C->V, 0.75) != 0) ||
        (cfg->loss == W2V_HS && hs_tree_build(&S.tree, C->counts, C->V) != 0)) {
        free(S.keep);
        noise_table_free(&S.noise);
        return GL_NO_MEMORY;
    }
    keep_probabilities(C, cfg->sample, S.keep);
    pthread_mutex_init(&S.lock, NULL);
    pthread_mutex_init(&S.merge_lock, NULL);
    S.point_every = C->n / CURVE_POINTS_PER_EPOCH + 1;
    S.print_every = S.total / 10 + 1;
    S.done = S.done_at_start = p->epochs_done * C->n;
    S.next_point = S.done + S.point_every;
    S.next_print = S.print_every * (S.done / S.print_every + 1);
    S.smoothed = p->npoints ? p->curve[p->npoints - 1].loss : 0;
    S.t0 = gc_clock();
    size_t longest = longest_line(C);
    int rc = GL_OK;
    size_t last = cfg->stop_after ? cfg->stop_after : cfg->epochs;
    for (size_t e = p->epochs_done; rc == GL_OK && e < last; e++) {
        rc = run_epoch(&S, e, longest);
        if (rc == GL_OK)         /* a thread that met a NaN says 1, one out of memory 2 */
            rc = atomic_load(&S.failed) == 1 ? GL_DIVERGED : atomic_load(&S.failed) ? GL_NO_MEMORY
                                                                                    : GL_OK;
        if (rc == GL_OK) {
            p->epochs_done = e + 1;
            p->words += C->n;
            p->pairs = S.pairs_run, p->rows = S.rows_run, p->path_rows = S.path_rows_run;
            p->seconds = gc_clock() - S.t0;
            rc = hook ? hook(hook_arg, m, p) : GL_OK;
        }
    }
    p->seconds = gc_clock() - S.t0;
    pthread_mutex_destroy(&S.lock);
    pthread_mutex_destroy(&S.merge_lock);
    noise_table_free(&S.noise);
    hs_tree_free(&S.tree);
    free(S.keep);
    return rc;
}
