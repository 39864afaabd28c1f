/* corpus.c — read a text corpus once, count its words in a hash table, keep
 * those seen at least min-count times, and rewrite the text as word ids. */
#include "corpus.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readfile.h"

typedef struct {
    char *word;             /* into the file's buffer; NULL: empty slot */
    uint64_t count;
    uint32_t type;          /* order of first appearance (stable while the table grows) */
} entry;

typedef struct {
    entry *slots;
    size_t cap, used;       /* cap a power of two, used <= cap / 2 */
} table;

static void fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static uint64_t fnv1a(const char *s, uint64_t h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The slot holding word, or the empty slot where it belongs. */
static size_t slot_of(const table *t, const char *word)
{
    size_t i = (size_t)fnv1a(word, 14695981039346656037u) & (t->cap - 1);
    while (t->slots[i].word && strcmp(t->slots[i].word, word) != 0)
        i = (i + 1) & (t->cap - 1);
    return i;
}

static int grow(table *t)
{
    table bigger = { calloc(2 * t->cap, sizeof(entry)), 2 * t->cap, t->used };
    if (!bigger.slots)
        return -1;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].word)
            bigger.slots[slot_of(&bigger, t->slots[i].word)] = t->slots[i];
    free(t->slots);
    *t = bigger;
    return 0;
}

/* Counts word; returns its type number, or -1 when out of memory. */
static long count_word(table *t, char *word)
{
    if (2 * (t->used + 1) > t->cap && grow(t) != 0)
        return -1;
    size_t i = slot_of(t, word);
    if (!t->slots[i].word) {
        t->slots[i].word = word;
        t->slots[i].type = (uint32_t)t->used++;
    }
    t->slots[i].count++;
    return (long)t->slots[i].type;
}

/* The whole file, NUL-terminated; NULL with one line in err. */
static char *read_all(const char *path, size_t *len, char *err, size_t errlen)
{
    char *buf = read_file(path, len);
    if (!buf && errno == ENOMEM)
        fail(err, errlen, "out of memory reading '%s'", path);
    else if (!buf && (errno == EISDIR || errno == EIO))
        fail(err, errlen, "cannot read corpus '%s': %s", path, strerror(errno));
    else if (!buf)
        fail(err, errlen, "cannot open corpus '%s': %s", path, strerror(errno));
    return buf;
}

static int by_count_then_spelling(const void *a, const void *b)
{
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->word, y->word);
}

/* What tokenize() records: each token's type number, and the number of
 * tokens that end each line. */
typedef struct {
    uint32_t *tok;
    size_t ntok, cap;
    size_t *line_end;
    size_t nlines, line_cap;
} tokens;

/* Array a (of *cap elements of `size` bytes) with room for element n: a
 * itself, or a larger copy. NULL when out of memory (a is still valid). */
static void *room_for(void *a, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return a;
    void *more = realloc(a, 2 * (*cap + 16) * size);
    if (more)
        *cap = 2 * (*cap + 16);
    return more;
}

/* Blanks separate words; so does a NUL byte, which no word can hold (the
 * vectors file could not write it back). */
static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f' || ch == '\0';
}

/* Ends the current line, unless it holds no token (blank lines vanish). */
static int end_line(tokens *k)
{
    size_t last = k->nlines ? k->line_end[k->nlines - 1] : 0;
    if (k->ntok == last)
        return 0;
    size_t *line_end = room_for(k->line_end, &k->line_cap, k->nlines, sizeof *line_end);
    if (!line_end)
        return -1;
    k->line_end = line_end;
    k->line_end[k->nlines++] = k->ntok;
    return 0;
}

/* Splits buf into NUL-terminated words and counts them into t, recording k.
 * Returns 0, -1 when out of memory, or -2 with *lineno the line of a word
 * over CORPUS_MAX_WORD bytes. */
static int tokenize(char *buf, size_t len, uint64_t max_tokens, table *t, tokens *k,
                    size_t *lineno)
{
    size_t i = 0;
    *lineno = 1;
    while (i < len && (max_tokens == 0 || k->ntok < max_tokens)) {
        if (buf[i] == '\n' || is_blank(buf[i])) {
            *lineno += buf[i] == '\n';
            if (buf[i++] == '\n' && end_line(k) != 0)
                return -1;
            continue;
        }
        size_t start = i;
        while (i < len && buf[i] != '\n' && !is_blank(buf[i]))
            i++;
        if (i - start > CORPUS_MAX_WORD)
            return -2;
        char sep = buf[i];                       /* buf[len] is '\0' */
        buf[i++] = '\0';
        long s = count_word(t, buf + start);
        uint32_t *tok = room_for(k->tok, &k->cap, k->ntok, sizeof *tok);
        if (s < 0 || !tok)
            return -1;
        k->tok = tok;
        k->tok[k->ntok++] = (uint32_t)s;
        *lineno += sep == '\n';
        if (sep == '\n' && end_line(k) != 0)
            return -1;
    }
    return end_line(k);
}

/* The vocabulary: words with count >= min_count, sorted; id_of[type] is the
 * id of each type, UINT32_MAX for those dropped. */
static int build_vocab(corpus *c, table *t, uint64_t min_count, uint32_t *id_of)
{
    entry **kept = malloc((t->used + 1) * sizeof *kept);
    if (!kept)
        return -1;
    size_t V = 0, bytes = 0;
    for (size_t i = 0; i < t->used; i++)
        id_of[i] = UINT32_MAX;
    for (size_t i = 0; i < t->cap; i++) {
        if (t->slots[i].word && t->slots[i].count >= min_count) {
            kept[V++] = &t->slots[i];
            bytes += strlen(t->slots[i].word) + 1;
        }
    }
    qsort(kept, V, sizeof *kept, by_count_then_spelling);
    c->words = malloc((V + 1) * sizeof *c->words);
    c->counts = malloc((V + 1) * sizeof *c->counts);
    char *pool = malloc(bytes + 1);
    if (!c->words || !c->counts || !pool) {
        free(pool);
        free(kept);
        return -1;
    }
    c->words[0] = pool;                          /* corpus_free frees the pool through it */
    for (size_t w = 0; w < V; w++) {
        size_t n = strlen(kept[w]->word) + 1;
        c->words[w] = memcpy(pool, kept[w]->word, n);
        pool += n;
        c->counts[w] = kept[w]->count;
        id_of[kept[w]->type] = (uint32_t)w;
    }
    c->V = V;
    free(kept);
    return 0;
}

/* The kept tokens as ids, and where each line starts among them. */
static int encode(corpus *c, const uint32_t *id_of, const tokens *k)
{
    c->ids = malloc((k->ntok + 1) * sizeof *c->ids);
    c->line_start = malloc((k->nlines + 1) * sizeof *c->line_start);
    if (!c->ids || !c->line_start)
        return -1;
    size_t line = 0, from = 0;
    c->line_start[0] = 0;
    for (size_t l = 0; l < k->nlines; l++) {
        for (size_t i = from; i < k->line_end[l]; i++) {
            uint32_t id = id_of[k->tok[i]];
            if (id != UINT32_MAX)
                c->ids[c->n++] = id;
        }
        from = k->line_end[l];
        if (c->n > c->line_start[line])          /* lines left empty vanish */
            c->line_start[++line] = c->n;
    }
    c->nlines = line;
    return 0;
}

int corpus_load(corpus *c, const char *path, uint64_t min_count, uint64_t max_tokens,
                char *err, size_t errlen)
{
    *c = (corpus){ 0 };
    size_t len;
    char *buf = read_all(path, &len, err, errlen);
    if (!buf)
        return -1;
    table t = { calloc(1024, sizeof(entry)), 1024, 0 };
    tokens k = { 0 };
    uint32_t *id_of = NULL;
    size_t lineno = 0;
    int rc = t.slots ? tokenize(buf, len, max_tokens, &t, &k, &lineno) : -1;
    if (rc == -2) {
        fail(err, errlen, "corpus '%s', line %zu: a word of more than %d bytes (words are "
             "at most %d bytes: split or drop it)", path, lineno, CORPUS_MAX_WORD, CORPUS_MAX_WORD);
        rc = -1;
    } else if (rc != 0)
        fail(err, errlen, "out of memory reading '%s'", path);
    else if (k.ntok == 0) {
        fail(err, errlen, "corpus '%s' has no words", path);
        rc = -1;
    } else if (!(id_of = malloc(t.used * sizeof *id_of)) ||
               (rc = build_vocab(c, &t, min_count, id_of)) != 0 || (rc = encode(c, id_of, &k)) != 0) {
        fail(err, errlen, "out of memory reading '%s'", path);
        rc = -1;
    }
    else if (c->V == 0) {
        fail(err, errlen, "no word of '%s' occurs %llu or more times (lower --min-count)",
             path, (unsigned long long)min_count);
        rc = -1;
    }
    c->tokens_read = k.ntok;
    c->types_read = t.used;
    free(id_of);
    free(k.tok);
    free(k.line_end);
    free(t.slots);
    free(buf);
    if (rc != 0)
        corpus_free(c);
    return rc;
}

void corpus_free(corpus *c)
{
    if (c->words)
        free(c->words[0]);                       /* the pool */
    free(c->words);
    free(c->counts);
    free(c->ids);
    free(c->line_start);
    *c = (corpus){ 0 };
}

long corpus_find(const corpus *c, const char *word)
{
    for (size_t w = 0; w < c->V; w++)
        if (strcmp(c->words[w], word) == 0)
            return (long)w;
    return -1;
}

uint64_t corpus_fingerprint(const corpus *c)
{
    uint64_t h = 14695981039346656037u;
    for (size_t w = 0; w < c->V; w++) {
        h = fnv1a(c->words[w], h);
        for (int b = 0; b < 64; b += 8)
            h = (h ^ ((c->counts[w] >> b) & 0xff)) * 1099511628211u;
    }
    return h;
}
