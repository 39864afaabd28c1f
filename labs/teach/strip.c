/* strip.c — make release's solution stripper: copies a C file with every
 * block between the lines "BEGIN SOLUTION" and "END SOLUTION" (as C comments,
 * matched on the line stripped of spaces) removed.
 *
 *   strip IN PATH OUT [SOLUTION_LINES]
 *
 * A block inside a function becomes a stub indented like the block: the
 * function's parameters cast to void, then gradlab_not_implemented("NAME",
 * "PATH"). A block outside any function (helpers only the solution uses)
 * is dropped. SOLUTION_LINES, when given, receives every removed line, so
 * the release can check that none of them is left anywhere.
 * Exit: 0, 1 a nested, unmatched or unterminated marker (one line naming
 * PATH:LINE; OUT is not written), 2 a file that cannot be read or written. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exits.h"
#include "gradcheck.h"

enum { LINE_MAX_LEN = 4096, SIG_MAX = 2048, MAX_PARAMS = 32 };

typedef struct {
    int depth;                  /* brace depth outside comments and literals */
    int in_comment;             /* inside a block comment across lines */
    char sig[SIG_MAX];          /* top-level text since the last declaration ended */
    char function[128];         /* the function whose body we are in */
    char params[MAX_PARAMS][64];
    size_t nparams;
} scanner;

/* The line without leading and trailing white space, into buf. */
static const char *stripped(const char *line, char *buf, size_t size)
{
    while (isspace((unsigned char)*line))
        line++;
    size_t n = strlen(line);
    while (n > 0 && isspace((unsigned char)line[n - 1]))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(buf, line, n);
    buf[n] = '\0';
    return buf;
}

/* The last identifier in s[0..n), into out ("" if none). */
static void last_identifier(const char *s, size_t n, char *out, size_t size)
{
    size_t end = n;
    while (end > 0 && !(isalnum((unsigned char)s[end - 1]) || s[end - 1] == '_'))
        end--;
    size_t start = end;
    while (start > 0 && (isalnum((unsigned char)s[start - 1]) || s[start - 1] == '_'))
        start--;
    snprintf(out, size, "%.*s", (int)(end - start), s + start);
}

/* A parameter's name: "const double *x" -> x, "double w[]" -> w,
 * "int (*cb)(int, int)" -> cb. */
static void param_name(const char *s, size_t n, char *out, size_t size)
{
    const char *star = NULL;
    for (size_t i = 0; i + 1 < n && !star; i++)
        if (s[i] == '(' && s[i + 1] == '*')
            star = s + i + 2;
    if (star) {                                  /* a function pointer: ( * name ) (...) */
        size_t len = 0;
        while (star + len < s + n && (isalnum((unsigned char)star[len]) || star[len] == '_'))
            len++;
        snprintf(out, size, "%.*s", (int)len, star);
        return;
    }
    const char *bracket = memchr(s, '[', n);
    last_identifier(s, bracket ? (size_t)(bracket - s) : n, out, size);
}

/* Reads the function's name and parameter names from its signature text,
 * "double f(const double *x, size_t n)". Array brackets are skipped. */
static void parse_signature(scanner *sc)
{
    const char *open = strchr(sc->sig, '(');
    sc->nparams = 0;
    sc->function[0] = '\0';
    if (!open)
        return;
    last_identifier(sc->sig, (size_t)(open - sc->sig), sc->function, sizeof sc->function);
    int nest = 0;
    const char *from = open + 1;
    for (const char *p = open + 1; *p && nest >= 0; p++) {
        if (*p == '(' || *p == '[')
            nest++;
        else if ((*p == ')' || *p == ']') && nest > 0)
            nest--;
        else if ((*p == ',' || *p == ')') && nest == 0) {
            param_name(from, (size_t)(p - from), sc->params[sc->nparams < MAX_PARAMS ?
                                                        sc->nparams : MAX_PARAMS - 1],
                       sizeof sc->params[0]);
            if (sc->params[sc->nparams][0] && strcmp(sc->params[sc->nparams], "void") != 0)
                sc->nparams++;
            from = p + 1;
            if (*p == ')')
                break;
        }
    }
}

/* Follows braces through one line (skipping comments and literals); at depth
 * 0 collects the text that will become a function's signature. */
static void scan(scanner *sc, const char *line)
{
    int before = sc->depth;
    for (const char *p = line; *p; p++) {
        if (sc->in_comment) {
            if (p[0] == '*' && p[1] == '/')
                sc->in_comment = 0, p++;
            continue;
        }
        if (p[0] == '/' && p[1] == '*') {
            sc->in_comment = 1, p++;
            continue;
        }
        if (p[0] == '/' && p[1] == '/')
            break;
        if (*p == '"' || *p == '\'') {
            char q = *p;
            for (p++; *p && *p != q; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (!*p)
                break;
            continue;
        }
        if (*p == '{' && sc->depth++ == 0)
            parse_signature(sc);
        else if (*p == '}' && sc->depth > 0 && --sc->depth == 0)
            sc->sig[0] = '\0';
        else if (sc->depth == 0 && *p == ';')
            sc->sig[0] = '\0';
        else if (sc->depth == 0 && strlen(sc->sig) + 2 < sizeof sc->sig) {
            size_t n = strlen(sc->sig);
            sc->sig[n] = *p == '\n' ? ' ' : *p;
            sc->sig[n + 1] = '\0';
        }
    }
    if (before == 0 && sc->depth == 0 && line[0] == '#')
        sc->sig[0] = '\0';
}

static void write_stub(FILE *out, const scanner *sc, const char *indent, size_t indent_len,
                       const char *path)
{
    fprintf(out, "%.*s/* Write this: the contract is in the header, the math in the handout. */\n",
            (int)indent_len, indent);
    if (sc->nparams) {
        fprintf(out, "%.*s", (int)indent_len, indent);
        for (size_t i = 0; i < sc->nparams; i++)
            fprintf(out, "%s(void)%s;", i ? " " : "", sc->params[i]);
        fputc('\n', out);
    }
    fprintf(out, "%.*sgradlab_not_implemented(\"%s\", \"%s\");\n", (int)indent_len, indent,
            sc->function, path);
}

static int fail(const char *path, size_t line, const char *what)
{
    fprintf(stderr, "strip: %s:%zu: %s\n", path, line, what);
    return GL_EXIT_FAILED;
}

/* Does the file have a BEGIN SOLUTION line? (Then its copy includes
 * unimplemented.h.) Rewinds the file. */
static int has_markers(FILE *in)
{
    char line[LINE_MAX_LEN], s[LINE_MAX_LEN];
    int found = 0;
    while (!found && fgets(line, sizeof line, in))
        found = strcmp(stripped(line, s, sizeof s), "/* BEGIN SOLUTION */") == 0;
    rewind(in);
    return found;
}

/* The copy itself; 0, or 1 after a marker error. */
static int strip(FILE *in, FILE *out, FILE *removed, const char *path)
{
    scanner sc = { 0 };
    char line[LINE_MAX_LEN], s[LINE_MAX_LEN];
    size_t number = 0, opened = 0;
    int included = !has_markers(in);
    while (fgets(line, sizeof line, in)) {
        number++;
        stripped(line, s, sizeof s);
        int begin = strcmp(s, "/* BEGIN SOLUTION */") == 0, end = strcmp(s, "/* END SOLUTION */") == 0;
        if (begin && opened) {
            char what[120];
            snprintf(what, sizeof what, "BEGIN SOLUTION inside the block opened at line %zu "
                     "(nested blocks are not allowed)", opened);
            return fail(path, number, what);
        }
        if (end && !opened)
            return fail(path, number, "END SOLUTION without a BEGIN SOLUTION before it");
        if (begin) {
            opened = number;
            if (sc.depth > 0)
                write_stub(out, &sc, line, strspn(line, " \t"), path);
            continue;
        }
        if (end) {
            opened = 0;
            continue;
        }
        scan(&sc, line);
        if (opened && removed)
            fputs(line, removed);
        if (!opened)
            fputs(line, out);
        if (!opened && !included && strncmp(line, "#include", 8) == 0) {
            fputs("#include \"unimplemented.h\"\n", out);   /* the stubs' declaration */
            included = 1;
        }
    }
    if (opened) {
        char what[96];
        snprintf(what, sizeof what, "BEGIN SOLUTION is never closed (opened at line %zu)", opened);
        return fail(path, opened, what);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fputs("usage: strip IN PATH OUT [SOLUTION_LINES]\n", stderr);
        return GL_EXIT_USAGE;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        fprintf(stderr, "strip: cannot read '%s'\n", argv[1]);
        return GL_EXIT_USAGE;
    }
    gc_outfile out;
    FILE *removed = argc == 5 ? fopen(argv[4], "a") : NULL;
    if (gc_outfile_open(&out, argv[3]) != 0 || (argc == 5 && !removed)) {
        fprintf(stderr, "strip: cannot write '%s'\n", argv[3]);
        fclose(in);
        return GL_EXIT_USAGE;
    }
    int rc = strip(in, out.f, removed, argv[2]);
    fclose(in);
    if (removed)
        fclose(removed);
    if (rc != 0) {
        gc_outfile_abort(&out);
        return rc;
    }
    if (gc_outfile_commit(&out) != 0) {
        fprintf(stderr, "strip: cannot write '%s'\n", argv[3]);
        return GL_EXIT_USAGE;
    }
    return GL_EXIT_DONE;
}
