/* sha256.h — SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), for the
 * grader: a submission's identity is the digest of the files it was graded
 * with, and each hidden input's seed is an HMAC of that identity keyed by
 * the grading table's secret seed, so a seed a probe is sent tells nothing
 * of the key, of another test's seed or of another submission's. */
#ifndef GRADLAB_SHA256_H
#define GRADLAB_SHA256_H

#include <stddef.h>
#include <stdint.h>

enum { SHA256_BYTES = 32, SHA256_BLOCK = 64 };

typedef struct {
    uint32_t h[8];
    uint64_t length;                 /* bytes hashed so far */
    unsigned char block[SHA256_BLOCK];
    size_t used;                     /* bytes waiting in block */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t size);
void sha256_final(sha256_ctx *c, unsigned char digest[SHA256_BYTES]);

/* hmac_sha256: the MAC of msg[0 .. size) under key[0 .. key_size). */
void hmac_sha256(const void *key, size_t key_size, const void *msg, size_t size,
                 unsigned char mac[SHA256_BYTES]);

/* Writes the 64 lowercase hex digits of digest (and a NUL) into hex. */
void sha256_hex(const unsigned char digest[SHA256_BYTES], char hex[2 * SHA256_BYTES + 1]);

#endif
