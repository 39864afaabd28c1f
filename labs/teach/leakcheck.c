/* leakcheck.c — make release's test that no solution reaches the students in
 * any form: not the lines themselves, and not a reworded copy.
 *
 *   leakcheck [--allow LIST] SOLUTION.c... -- FILE...
 *
 * Every file is read as C tokens with its comments, preprocessor lines and
 * spacing dropped, every identifier read as one token "I" (keywords stay),
 * every number as "N" and every string as "S". A shingle is a run of SHINGLE
 * such tokens. The secret shingles are those inside the solution blocks of the
 * SOLUTION files (between the BEGIN and END SOLUTION markers) that occur
 * nowhere in those files' code outside the blocks. A FILE that holds a secret
 * shingle holds a copy of solution code, however its names, layout and
 * comments were changed: renaming a variable or rewrapping a line does not
 * change the shingles; only rewriting the code itself does. Names of called
 * functions and of struct members are kept (a copy keeps the course's API),
 * which spares ordinary loops that only look alike.
 * LIST names shingles reviewed as coincidences, one hexadecimal hash per line
 * (as LEAKCHECK_LINES=1 prints them) and a comment saying why.
 * Exit: 0 no leak, 1 leaks (one line each: FILE:LINE and the solution file),
 * 2 bad usage or a file that cannot be read. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exits.h"
#include "readfile.h"

enum { SHINGLE = 32, SET_BITS = 20 };

typedef struct {
    uint32_t *code;          /* token codes */
    size_t *line;            /* the line each token starts on */
    unsigned char *secret;   /* 1: inside a solution block */
    size_t n, cap;
} tokens;

typedef struct {
    uint64_t *slot;          /* 0: empty */
    size_t cap, used;
} set;

static const char *const keywords[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "int", "long", "register", "return",
    "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned",
    "void", "volatile", "while", "size_t", "NULL",
};
enum { NKEY = sizeof keywords / sizeof keywords[0], CODE_I = 1000, CODE_N, CODE_S, CODE_CALL = 10000 };

static const char *const ops[] = { "->", "++", "--", "+=", "-=", "*=", "/=", "==", "!=", "<=",
                                   ">=", "&&", "||", "<<", ">>" };

static int push(tokens *t, uint32_t code, size_t line, int secret)
{
    if (t->n == t->cap) {
        size_t cap = 2 * t->cap + 1024;
        uint32_t *c = realloc(t->code, cap * sizeof *c);
        if (c)
            t->code = c;
        size_t *l = realloc(t->line, cap * sizeof *l);
        if (l)
            t->line = l;
        unsigned char *s = realloc(t->secret, cap);
        if (s)
            t->secret = s;
        if (!c || !l || !s)
            return -1;
        t->cap = cap;
    }
    t->code[t->n] = code, t->line[t->n] = line, t->secret[t->n] = (unsigned char)secret;
    t->n++;
    return 0;
}

static uint32_t name_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static uint32_t word_code(const char *s, size_t len)
{
    for (size_t k = 0; k < NKEY; k++)
        if (strlen(keywords[k]) == len && strncmp(keywords[k], s, len) == 0)
            return (uint32_t)k + 1;
    return CODE_I;
}

/* The length and code of the token at p (not white space, not a comment). */
static size_t next_token(const char *p, uint32_t prev, uint32_t *code)
{
    size_t n = 1;
    if (isalpha((unsigned char)*p) || *p == '_') {
        while (isalnum((unsigned char)p[n]) || p[n] == '_')
            n++;
        *code = word_code(p, n);
        size_t after = n;
        while (p[after] == ' ' || p[after] == '\t')
            after++;
        int member = prev == 2000 + '.' || prev == 3000;  /* after . or -> */
        if (*code == CODE_I && (p[after] == '(' || member))   /* calls and members keep names */
            *code = CODE_CALL + (uint32_t)(name_hash(p, n) % 1000003);
    } else if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
        while (isalnum((unsigned char)p[n]) || p[n] == '.' ||
               ((p[n] == '+' || p[n] == '-') && strchr("eEpP", p[n - 1])))
            n++;
        *code = CODE_N;
    } else if (*p == '"' || *p == '\'') {
        while (p[n] && p[n] != *p && p[n] != '\n')
            n += p[n] == '\\' && p[n + 1] ? 2 : 1;
        n += p[n] == *p;
        *code = CODE_S;
    } else {
        *code = 2000 + (unsigned char)*p;
        for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
            if (strncmp(p, ops[k], 2) == 0) {
                *code = 3000 + (uint32_t)k;
                n = 2;
            }
    }
    return n;
}

/* Tokenizes the text buf into t; with `markers`, the lines between BEGIN
 * and END SOLUTION comments are secret. */
static int tokenize(const char *buf, int markers, tokens *t)
{
    size_t line = 1;
    int secret = 0, in_comment = 0;
    for (const char *p = buf; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char text[512];
        snprintf(text, sizeof text, "%.*s", (int)(len < 511 ? len : 511), p);
        if (markers && strstr(text, "BEGIN SOLUTION"))
            secret = 1;
        else if (markers && strstr(text, "END SOLUTION"))
            secret = 0;
        const char *q = p, *end = p + len;
        while (q < end && isspace((unsigned char)*q))
            q++;
        if (!in_comment && *q == '#')
            q = end;                                   /* a preprocessor line */
        while (q < end) {
            if (in_comment) {
                const char *close = strstr(q, "*/");
                in_comment = !close || close >= end;
                q = in_comment ? end : close + 2;
            } else if (isspace((unsigned char)*q)) {
                q++;
            } else if (q[0] == '/' && q[1] == '*') {
                in_comment = 1, q += 2;
            } else if (q[0] == '/' && q[1] == '/') {
                q = end;
            } else {
                uint32_t code;
                size_t n = next_token(q, t->n ? t->code[t->n - 1] : 0, &code);
                if (push(t, code, line, secret) != 0)
                    return -1;
                q += n <= (size_t)(end - q) ? n : (size_t)(end - q);
            }
        }
        p = eol ? eol + 1 : p + len;
        line++;
    }
    return 0;
}

static uint64_t shingle_hash(const uint32_t *code)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t k = 0; k < SHINGLE; k++)
        h = (h ^ code[k]) * 1099511628211ULL;
    return h | 1;                                      /* never 0, the empty slot */
}

static size_t slot_of(const set *s, uint64_t h)
{
    size_t i = (size_t)(h >> 7) & (s->cap - 1);
    while (s->slot[i] && s->slot[i] != h)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static int has(const set *s, uint64_t h) { return s->slot[slot_of(s, h)] == h; }

static int insert(set *s, uint64_t h)
{
    if (2 * (s->used + 1) > s->cap)
        return -1;
    size_t i = slot_of(s, h);
    s->used += s->slot[i] == 0;
    s->slot[i] = h;
    return 0;
}

static int load(const char *path, int markers, tokens *t)
{
    char *buf = read_file(path, NULL);
    if (!buf) {
        fprintf(stderr, "leakcheck: cannot read '%s'\n", path);
        return -1;
    }
    int rc = tokenize(buf, markers, t);
    free(buf);
    if (rc != 0)
        fprintf(stderr, "leakcheck: out of memory reading '%s'\n", path);
    return rc;
}

/* Shingles of t that lie wholly inside (want 1) or outside (want 0) the
 * secret blocks go into s. */
static int add_shingles(const tokens *t, int want, set *s)
{
    for (size_t i = 0; i + SHINGLE <= t->n; i++) {
        int inside = 1, outside = 1;
        for (size_t k = 0; k < SHINGLE; k++)
            inside &= t->secret[i + k], outside &= !t->secret[i + k];
        if ((want ? inside : outside) &&
            insert(s, shingle_hash(t->code + i)) != 0)
            return -1;
    }
    return 0;
}

/* Adds the hashes listed in path (the first word of each line) to s. */
static int allow(const char *path, set *s)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return fprintf(stderr, "leakcheck: cannot read '%s'\n", path), -1;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long long h;
        if (line[0] != '#' && sscanf(line, "%llx", &h) == 1 && insert(s, (uint64_t)h) != 0)
            break;
    }
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    int first = 1, sep;
    const char *allowed = NULL;
    if (argc > 2 && strcmp(argv[1], "--allow") == 0)
        allowed = argv[2], first = 3;
    for (sep = first; sep < argc && strcmp(argv[sep], "--") != 0; sep++)
        ;
    if (sep == first || sep >= argc) {
        fprintf(stderr, "usage: leakcheck [--allow LIST] SOLUTION.c... -- FILE...\n");
        return GL_EXIT_USAGE;
    }
    set secret = { calloc((size_t)1 << SET_BITS, sizeof(uint64_t)), (size_t)1 << SET_BITS, 0 };
    set public = { calloc((size_t)1 << SET_BITS, sizeof(uint64_t)), (size_t)1 << SET_BITS, 0 };
    tokens *sol = calloc((size_t)sep, sizeof *sol), t = { 0 };
    int rc = GL_EXIT_USAGE;
    size_t leaks = 0, files = 0;
    if (!secret.slot || !public.slot || !sol) {
        fprintf(stderr, "leakcheck: out of memory\n");
        goto done;
    }
    if (allowed && allow(allowed, &public) != 0)
        goto done;
    for (int a = first; a < sep; a++)
        if (load(argv[a], 1, &sol[a]) != 0 || add_shingles(&sol[a], 0, &public) != 0)
            goto done;
    for (int a = first; a < sep; a++)
        if (add_shingles(&sol[a], 1, &secret) != 0) {
            fprintf(stderr, "leakcheck: too many shingles\n");
            goto done;
        }
    for (int a = sep + 1; a < argc; a++, files++) {
        if (load(argv[a], 0, &t) != 0)
            goto done;
        size_t hits = 0, at = 0;
        for (size_t i = 0; i + SHINGLE <= t.n; i++) {
            uint64_t h = shingle_hash(t.code + i);
            if (!has(&secret, h) || has(&public, h))
                continue;
            if (getenv("LEAKCHECK_LINES"))
                fprintf(stderr, "%s:%zu: shingle %016llx\n", argv[a], t.line[i],
                        (unsigned long long)h);
            if (hits++ == 0)
                at = t.line[i];
        }
        if (hits) {
            printf("%s:%zu: holds solution code (%zu runs of %d tokens as in a solution block)\n",
                   argv[a], at, hits, SHINGLE);
            leaks++;
        }
        free(t.code), free(t.line), free(t.secret);
        t = (tokens){ 0 };
    }
    fprintf(stderr, "leakcheck: %zu secret shingles of %d tokens from %d solution files; %zu of "
            "%zu files hold one\n", secret.used, SHINGLE, sep - first, leaks, files);
    rc = leaks ? GL_EXIT_FAILED : GL_EXIT_DONE;
done:
    for (int a = first; sol && a < sep; a++)
        free(sol[a].code), free(sol[a].line), free(sol[a].secret);
    free(sol), free(t.code), free(t.line), free(t.secret);
    free(secret.slot), free(public.slot);
    return rc;
}
