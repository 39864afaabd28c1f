/* json.h — a strict reader of JSON text (RFC 8259: UTF-8, no trailing
 * commas, no comments, nesting at most JSON_MAX_DEPTH), for the class
 * report's results.json files. Strings come back decoded (\uXXXX and
 * surrogate pairs as UTF-8); a NUL inside a string is refused. */
#ifndef GRADLAB_JSON_H
#define GRADLAB_JSON_H

#include <stddef.h>

enum { JSON_MAX_DEPTH = 64 };

typedef enum { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY,
               JSON_OBJECT } json_type;

typedef struct json_value {
    json_type type;
    double number;                /* JSON_NUMBER */
    char *string;                 /* JSON_STRING: decoded, NUL-terminated */
    size_t count;                 /* JSON_ARRAY, JSON_OBJECT: how many members */
    struct json_value *items;     /* their values */
    char **keys;                  /* JSON_OBJECT: their keys */
} json_value;

/* json_parse: text[0 .. len) into *out. Returns 0, -1 with one line into
 * err ("byte 1234: expected ',' or '}'") when it is not JSON, or -2 when
 * out of memory (*out then holds nothing to free). */
int json_parse(const char *text, size_t len, json_value *out, char *err, size_t size);

/* json_free: frees what json_parse allocated in *v. */
void json_free(json_value *v);

/* json_get: the member `key` of object v, or NULL (v not an object, or no such key). */
const json_value *json_get(const json_value *v, const char *key);

/* json_text: v's string, or NULL when v is NULL or not a string. */
const char *json_text(const json_value *v);

#endif
