/* w2v_io.c — vectors, loss curves and checkpoints of lab 3. */
#define _POSIX_C_SOURCE 200809L
#include "w2v_io.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char CKPT_MAGIC[16] = "gradlab-w2v-ck2";

int w2v_write_vectors(const char *path, const corpus *C, const double *M, size_t d)
{
    gc_outfile o;
    if (gc_outfile_open(&o, path) != 0)
        return -1;
    fprintf(o.f, "%zu %zu\n", C->V, d);
    for (size_t w = 0; w < C->V; w++) {
        fputs(C->words[w], o.f);
        for (size_t i = 0; i < d; i++)
            fprintf(o.f, " %.6f", M[w * d + i]);
        fputc('\n', o.f);
    }
    return gc_outfile_commit(&o);
}

int w2v_write_curve(const char *path, const w2v_progress *p, const char *title)
{
    gc_outfile o;
    if (gc_outfile_open(&o, path) != 0)
        return -1;
    fprintf(o.f, "# %s\n# epoch\tmean loss per pair since the previous point\n", title);
    for (size_t i = 0; i < p->npoints; i++)
        fprintf(o.f, "%.5f\t%.6g\n", p->curve[i].epoch, p->curve[i].loss);
    return gc_outfile_commit(&o);
}

void w2v_vectors_free(w2v_vectors *v)
{
    for (size_t i = 0; v->words && i < v->V; i++)
        free(v->words[i]);
    free(v->words);
    free(v->vec);
    *v = (w2v_vectors){ 0 };
}

/* Row i, "word v_1 .. v_d" and the end of its line. 0, or -1 with err set:
 * the file ends early, a number is missing, not finite, or one too many.
 * Rows are lines of at most CORPUS_MAX_WORD bytes of word and d numbers. */
static int read_row(FILE *f, w2v_vectors *v, size_t i, size_t promised, const char *path,
                    char *err, size_t errlen)
{
    char word[CORPUS_MAX_WORD + 2];
    int c;
    if (fscanf(f, "%256s", word) != 1) {
        snprintf(err, errlen, "'%s': the header promises %zu words of %zu numbers, but the file "
                 "ends after %zu rows", path, promised, v->d, i);
        return -1;
    }
    if (strlen(word) > CORPUS_MAX_WORD) {
        snprintf(err, errlen, "'%s': row %zu: a word of more than %d bytes", path, i + 1,
                 CORPUS_MAX_WORD);
        return -1;
    }
    v->words[i] = strdup(word);
    if (!v->words[i]) {
        snprintf(err, errlen, "out of memory reading '%s'", path);
        return -1;
    }
    for (size_t k = 0; k < v->d; k++) {
        double *x = &v->vec[i * v->d + k];
        if (fscanf(f, "%lf", x) != 1) {
            snprintf(err, errlen, "'%s': the row of '%s' has %zu numbers, but the header says "
                     "%zu", path, word, k, v->d);
            return -1;
        }
        if (!isfinite(*x)) {
            snprintf(err, errlen, "'%s': the vector of '%s' is not finite (number %zu is %g)",
                     path, word, k + 1, *x);
            return -1;
        }
    }
    while ((c = getc(f)) == ' ' || c == '\t' || c == '\r')
        ;
    if (c != '\n' && c != EOF) {
        snprintf(err, errlen, "'%s': the row of '%s' has more than the header's %zu numbers",
                 path, word, v->d);
        return -1;
    }
    return 0;
}

int w2v_read_vectors(const char *path, w2v_vectors *v, char *err, size_t errlen)
{
    *v = (w2v_vectors){ 0 };
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot open vectors '%s': %s", path, strerror(errno));
        return -1;
    }
    size_t V, d;
    int rc = -1;
    if (fscanf(f, "%zu %zu", &V, &d) != 2 || V == 0 || d == 0 || V > 100000000 || d > 100000) {
        snprintf(err, errlen, "'%s' does not start with a 'V d' header (two whole numbers, V from "
                 "1 to 1e8 words, d from 1 to 1e5)", path);
        goto done;
    }
    v->words = calloc(V, sizeof *v->words);
    v->vec = malloc(V * d * sizeof *v->vec);
    v->d = d;
    if (!v->words || !v->vec) {
        snprintf(err, errlen, "out of memory reading '%s'", path);
        goto done;
    }
    for (v->V = 0; v->V < V; v->V++)
        if (read_row(f, v, v->V, V, path, err, errlen) != 0) {
            v->V += v->words[v->V] != NULL;
            goto done;
        }
    char extra[2];
    if (fscanf(f, "%1s", extra) == 1) {
        snprintf(err, errlen, "'%s': more rows than the header's %zu words", path, V);
        goto done;
    }
    rc = 0;
done:
    fclose(f);
    if (rc != 0)
        w2v_vectors_free(v);
    return rc;
}

/* The header of a checkpoint, then Vc, U (V x d doubles each), the curve. */
typedef struct {
    char magic[16];
    uint64_t fingerprint, V, d, loss, model, epochs_planned, epochs_done, npoints, words;
} ckpt_header;

int w2v_save_checkpoint(const char *path, const w2v_ckpt_key *key, const w2v_model *m,
                        const w2v_progress *p)
{
    ckpt_header h = { .fingerprint = key->fingerprint, .V = m->V, .d = m->d,
                      .loss = (uint64_t)key->loss, .model = (uint64_t)key->model,
                      .epochs_planned = key->epochs, .epochs_done = p->epochs_done, .npoints = p->npoints, .words = p->words };
    memcpy(h.magic, CKPT_MAGIC, sizeof h.magic);
    gc_outfile o;
    if (gc_outfile_open(&o, path) != 0)
        return -1;
    size_t VD = m->V * m->d;
    if (fwrite(&h, sizeof h, 1, o.f) != 1 || fwrite(m->Vc, sizeof(double), VD, o.f) != VD ||
        fwrite(m->U, sizeof(double), VD, o.f) != VD ||
        fwrite(p->curve, sizeof *p->curve, p->npoints, o.f) != p->npoints) {
        gc_outfile_abort(&o);
        return -1;
    }
    return gc_outfile_commit(&o);
}

/* Says why header h cannot be resumed under key and m; "" when it can. */
static const char *mismatch(const ckpt_header *h, const w2v_ckpt_key *key, const w2v_model *m)
{
    if (memcmp(h->magic, CKPT_MAGIC, sizeof h->magic) != 0)
        return "is not a gradlab word2vec checkpoint";
    if (h->fingerprint != key->fingerprint || h->V != m->V)
        return "was made from another corpus or --min-count";
    if (h->d != m->d)
        return "has another --dim";
    if (h->loss != (uint64_t)key->loss || h->model != (uint64_t)key->model)
        return "was made with another --loss or --model";
    return "";
}

/* The first row (of rows x d) of M holding a NaN or Inf, or rows. */
static size_t first_bad_row(const double *M, size_t rows, size_t d)
{
    for (size_t r = 0; r < rows; r++)
        for (size_t i = 0; i < d; i++)
            if (!isfinite(M[r * d + i]))
                return r;
    return rows;
}

/* "" when the loaded model and curve are finite, else what is not. */
static const char *nonfinite(const w2v_model *m, const w2v_progress *p, char *buf, size_t size)
{
    size_t r = first_bad_row(m->Vc, m->V, m->d);
    if (r < m->V)
        return snprintf(buf, size, "Vc row %zu (word %zu) holds a NaN or Inf", r, r), buf;
    r = first_bad_row(m->U, m->V, m->d);
    if (r < m->V)
        return snprintf(buf, size, "U row %zu holds a NaN or Inf", r), buf;
    for (size_t i = 0; i < p->npoints; i++)
        if (!isfinite(p->curve[i].loss) || !isfinite(p->curve[i].epoch))
            return snprintf(buf, size, "loss curve point %zu is not finite", i + 1), buf;
    return "";
}

int w2v_load_checkpoint(const char *path, w2v_ckpt_key *key, w2v_model *m,
                        w2v_progress *p, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "checkpoint '%s' is a directory, not a checkpoint file", path);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open checkpoint '%s': %s", path, strerror(errno));
        return -1;
    }
    ckpt_header h;
    const char *why = fread(&h, sizeof h, 1, f) == 1 ? mismatch(&h, key, m) : "is too short";
    int rc = -1;
    if (why[0]) {
        snprintf(err, errlen, "checkpoint '%s' %s", path, why);
        goto done;
    }
    size_t VD = m->V * m->d;
    if (h.npoints > 10000000) {
        snprintf(err, errlen, "checkpoint '%s' is damaged", path);
        goto done;
    }
    *p = (w2v_progress){ .epochs_done = h.epochs_done, .npoints = h.npoints, .cap = h.npoints,
                         .words = h.words, .curve = malloc((h.npoints + 1) * sizeof *p->curve) };
    if (!p->curve || fread(m->Vc, sizeof(double), VD, f) != VD ||
        fread(m->U, sizeof(double), VD, f) != VD ||
        fread(p->curve, sizeof *p->curve, h.npoints, f) != h.npoints) {
        snprintf(err, errlen, "checkpoint '%s' is truncated", path);
        w2v_progress_free(p);
        goto done;
    }
    char what[120];
    if (nonfinite(m, p, what, sizeof what)[0]) {
        snprintf(err, errlen, "checkpoint '%s' is damaged: %s", path, what);
        w2v_progress_free(p);
        goto done;
    }
    key->epochs = h.epochs_planned;
    rc = 0;
done:
    fclose(f);
    return rc;
}
