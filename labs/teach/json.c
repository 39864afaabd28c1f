/* json.c — a strict JSON reader (json.h): recursive descent, one pass. */
#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const unsigned char *s;
    size_t len, at;
    int oom;
    char *err;
    size_t size;
} reader;

static int fail(reader *r, const char *fmt, ...)
{
    if (r->err[0])
        return -1;
    int n = snprintf(r->err, r->size, "byte %zu: ", r->at);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < r->size)
        vsnprintf(r->err + n, r->size - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static void skip_space(reader *r)
{
    while (r->at < r->len && (r->s[r->at] == ' ' || r->s[r->at] == '\t' || r->s[r->at] == '\n' ||
                              r->s[r->at] == '\r'))
        r->at++;
}

static int peek(reader *r)
{
    skip_space(r);
    return r->at < r->len ? r->s[r->at] : -1;
}

/* A growable byte buffer for a decoded string. */
typedef struct {
    char *b;
    size_t n, cap;
} bytes;

static int put(reader *r, bytes *o, const char *p, size_t k)
{
    if (o->n + k + 1 > o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 32;
        while (cap < o->n + k + 1)
            cap *= 2;
        char *b = realloc(o->b, cap);
        if (!b)
            return r->oom = 1, -1;
        o->b = b, o->cap = cap;
    }
    memcpy(o->b + o->n, p, k);
    o->n += k;
    o->b[o->n] = '\0';
    return 0;
}

/* The length of the valid UTF-8 sequence at s[0 .. avail), or 0. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || n > avail || (n == 2 && c < 0xC2) || (n == 4 && c > 0xF4))
        return 0;
    for (size_t k = 1; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0)))
        return 0;                                  /* overlong, or a surrogate */
    if (n == 4 && ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90)))
        return 0;
    return n;
}

static int hex4(reader *r, unsigned *u)
{
    *u = 0;
    for (int k = 0; k < 4; k++, r->at++) {
        int c = r->at < r->len ? r->s[r->at] : -1;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return fail(r, "a \\u escape needs four hex digits");
        *u = *u << 4 | (unsigned)d;
    }
    return 0;
}

static int put_code_point(reader *r, bytes *o, unsigned u)
{
    char b[4];
    size_t k;
    if (u == 0)
        return fail(r, "a NUL character in a string");
    if (u < 0x80)
        b[0] = (char)u, k = 1;
    else if (u < 0x800)
        b[0] = (char)(0xC0 | u >> 6), b[1] = (char)(0x80 | (u & 0x3F)), k = 2;
    else if (u < 0x10000)
        b[0] = (char)(0xE0 | u >> 12), b[1] = (char)(0x80 | (u >> 6 & 0x3F)),
        b[2] = (char)(0x80 | (u & 0x3F)), k = 3;
    else
        b[0] = (char)(0xF0 | u >> 18), b[1] = (char)(0x80 | (u >> 12 & 0x3F)),
        b[2] = (char)(0x80 | (u >> 6 & 0x3F)), b[3] = (char)(0x80 | (u & 0x3F)), k = 4;
    return put(r, o, b, k);
}

/* \uXXXX, a surrogate pair taken whole. */
static int unicode_escape(reader *r, bytes *o)
{
    unsigned u, lo;
    if (hex4(r, &u) != 0)
        return -1;
    if (u >= 0xDC00 && u <= 0xDFFF)
        return fail(r, "a lone low surrogate in a \\u escape");
    if (u >= 0xD800 && u <= 0xDBFF) {
        if (r->at + 2 > r->len || r->s[r->at] != '\\' || r->s[r->at + 1] != 'u')
            return fail(r, "a high surrogate without its low one");
        r->at += 2;
        if (hex4(r, &lo) != 0)
            return -1;
        if (lo < 0xDC00 || lo > 0xDFFF)
            return fail(r, "a high surrogate without its low one");
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
    }
    return put_code_point(r, o, u);
}

static int escape(reader *r, bytes *o)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    int c = r->at < r->len ? r->s[r->at++] : -1;
    const char *p = c > 0 ? strchr(from, c) : NULL;
    if (c == 'u')
        return unicode_escape(r, o);
    if (!p)
        return r->at--, fail(r, "an unknown escape in a string");
    return put(r, o, &to[p - from], 1);
}

/* A string at r->at (its opening quote); its decoded text into *out. */
static int parse_string(reader *r, char **out)
{
    bytes o = { 0 };
    r->at++;
    int rc = put(r, &o, "", 0);
    while (rc == 0) {
        if (r->at >= r->len) {
            rc = fail(r, "a string is not closed");
            break;
        }
        unsigned char c = r->s[r->at];
        if (c == '"') {
            r->at++;
            *out = o.b;
            return 0;
        }
        if (c == '\\') {
            r->at++;
            rc = escape(r, &o);
            continue;
        }
        if (c < 0x20) {
            rc = fail(r, "a control character in a string");
            break;
        }
        size_t n = utf8_len(r->s + r->at, r->len - r->at);
        if (n == 0) {
            rc = fail(r, "bytes that are not UTF-8");
            break;
        }
        rc = put(r, &o, (const char *)r->s + r->at, n);
        r->at += n;
    }
    free(o.b);
    return -1;
}

static int parse_number(reader *r, json_value *v)
{
    size_t start = r->at, k = r->at;
    const unsigned char *s = r->s;
    if (k < r->len && s[k] == '-')
        k++;
    if (k < r->len && s[k] == '0')
        k++;
    else if (k < r->len && s[k] >= '1' && s[k] <= '9')
        while (k < r->len && s[k] >= '0' && s[k] <= '9')
            k++;
    else
        return fail(r, "not a JSON value");
    if (k < r->len && s[k] == '.') {
        size_t d = ++k;
        while (k < r->len && s[k] >= '0' && s[k] <= '9')
            k++;
        if (k == d)
            return r->at = k, fail(r, "a digit must follow the decimal point");
    }
    if (k < r->len && (s[k] == 'e' || s[k] == 'E')) {
        k++;
        if (k < r->len && (s[k] == '+' || s[k] == '-'))
            k++;
        size_t d = k;
        while (k < r->len && s[k] >= '0' && s[k] <= '9')
            k++;
        if (k == d)
            return r->at = k, fail(r, "a digit must follow the exponent");
    }
    char buf[64];
    if (k - start >= sizeof buf)
        return fail(r, "a number of more than 63 characters");
    memcpy(buf, s + start, k - start);
    buf[k - start] = '\0';
    v->type = JSON_NUMBER;
    v->number = strtod(buf, NULL);
    r->at = k;
    return isfinite(v->number) ? 0 : fail(r, "a number out of range");
}

static int parse_value(reader *r, json_value *v, int depth);

/* Appends a member (key may be NULL for an array) to container v. */
static json_value *append(reader *r, json_value *v, size_t *cap, char *key)
{
    if (v->count == *cap) {
        size_t c = *cap ? 2 * *cap : 4;
        json_value *items = realloc(v->items, c * sizeof *items);
        if (items)
            v->items = items;
        char **keys = v->type == JSON_OBJECT ? realloc(v->keys, c * sizeof *keys) : NULL;
        if (keys)
            v->keys = keys;
        if (!items || (v->type == JSON_OBJECT && !keys))
            return free(key), r->oom = 1, NULL;
        *cap = c;
    }
    if (v->type == JSON_OBJECT)
        v->keys[v->count] = key;
    json_value *m = &v->items[v->count++];
    memset(m, 0, sizeof *m);
    return m;
}

static int parse_container(reader *r, json_value *v, int depth)
{
    int object = r->s[r->at] == '{';
    char close = object ? '}' : ']';
    size_t cap = 0;
    v->type = object ? JSON_OBJECT : JSON_ARRAY;
    r->at++;
    if (peek(r) == close)
        return r->at++, 0;
    for (;;) {
        char *key = NULL;
        if (object) {
            if (peek(r) != '"')
                return fail(r, "expected a string key");
            if (parse_string(r, &key) != 0)
                return -1;
            if (peek(r) != ':')
                return free(key), fail(r, "expected ':'");
            r->at++;
        }
        json_value *m = append(r, v, &cap, key);
        if (!m || parse_value(r, m, depth + 1) != 0)
            return -1;
        int c = peek(r);
        r->at += c == ',' || c == close;
        if (c == close)
            return 0;
        if (c != ',')
            return fail(r, "expected ',' or '%c'", close);
    }
}

static int literal(reader *r, const char *word, json_value *v, json_type t)
{
    size_t n = strlen(word);
    if (r->len - r->at < n || memcmp(r->s + r->at, word, n) != 0)
        return fail(r, "not a JSON value");
    r->at += n;
    v->type = t;
    return 0;
}

static int parse_value(reader *r, json_value *v, int depth)
{
    int c = peek(r);
    if (depth > JSON_MAX_DEPTH)
        return fail(r, "nested more than %d deep", JSON_MAX_DEPTH);
    switch (c) {
    case '{': case '[': return parse_container(r, v, depth);
    case '"': v->type = JSON_STRING; return parse_string(r, &v->string);
    case 't': return literal(r, "true", v, JSON_TRUE);
    case 'f': return literal(r, "false", v, JSON_FALSE);
    case 'n': return literal(r, "null", v, JSON_NULL);
    case -1: return fail(r, "the text ends where a value belongs");
    default: return parse_number(r, v);
    }
}

int json_parse(const char *text, size_t len, json_value *out, char *err, size_t size)
{
    reader r = { (const unsigned char *)text, len, 0, 0, err, size };
    err[0] = '\0';
    memset(out, 0, sizeof *out);
    int rc = parse_value(&r, out, 0);
    if (rc == 0 && peek(&r) != -1)
        rc = fail(&r, "more text after the value");
    if (rc == 0)
        return 0;
    json_free(out);
    return r.oom ? -2 : -1;
}

void json_free(json_value *v)
{
    for (size_t i = 0; v->type >= JSON_ARRAY && i < v->count; i++) {
        json_free(&v->items[i]);
        if (v->type == JSON_OBJECT)
            free(v->keys[i]);
    }
    free(v->items), free(v->keys), free(v->string);
    memset(v, 0, sizeof *v);
}

const json_value *json_get(const json_value *v, const char *key)
{
    for (size_t i = 0; v && v->type == JSON_OBJECT && i < v->count; i++)
        if (strcmp(v->keys[i], key) == 0)
            return &v->items[i];
    return NULL;
}

const char *json_text(const json_value *v)
{
    return v && v->type == JSON_STRING ? v->string : NULL;
}
