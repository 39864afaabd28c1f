/* corpus.h — a text corpus as word ids (lab 3): the vocabulary with a
 * min-count, and the lines (sentences) the training windows stay inside.
 *
 * The file is plain text: words separated by blanks (or NUL bytes), one
 * sentence per line; a word has at most CORPUS_MAX_WORD bytes, so that the
 * vectors file can hold every word it makes.
 * Words are kept as written (lab 3's corpus is already lower case). The
 * vocabulary is sorted by count, most frequent first (ties: by spelling), so
 * word 0 is the commonest and ids are the same on every machine.
 *   ids[line_start[i] .. line_start[i + 1])   line i, words below min-count removed
 */
#ifndef GRADLAB_CORPUS_H
#define GRADLAB_CORPUS_H

#include <stddef.h>
#include <stdint.h>

enum { CORPUS_MAX_WORD = 255 };

typedef struct {
    size_t V;                /* words in the vocabulary */
    char **words;            /* V spellings */
    uint64_t *counts;        /* V counts in the text read */
    uint32_t *ids;           /* n word ids, the kept tokens in order */
    size_t n;
    size_t *line_start;      /* nlines + 1 offsets into ids */
    size_t nlines;
    uint64_t tokens_read;    /* every token read, kept or not */
    size_t types_read;       /* distinct words read */
} corpus;

/* corpus_load: reads path (at most max_tokens tokens when max_tokens > 0),
 * keeps the words occurring at least min_count times. Returns 0, or -1 with
 * one line in err (missing or unreadable file, no words in it, a word over
 * CORPUS_MAX_WORD bytes, no word left after min-count, out of memory); then
 * *c is empty and needs no free. */
int corpus_load(corpus *c, const char *path, uint64_t min_count, uint64_t max_tokens,
                char *err, size_t errlen);

void corpus_free(corpus *c);

/* corpus_find: the id of word, or -1 when it is not in the vocabulary. */
long corpus_find(const corpus *c, const char *word);

/* corpus_fingerprint: a 64-bit hash of the vocabulary (spellings and counts),
 * to tell whether a checkpoint belongs to this corpus. */
uint64_t corpus_fingerprint(const corpus *c);

#endif
