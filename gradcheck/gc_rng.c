/* gc_rng.c — the checker's random stream: xoshiro256** (Blackman and Vigna)
 * seeded by splitmix64. It picks the sampled coordinates and the random
 * directions; only 64-bit integer arithmetic, so a seed picks the same ones
 * on every machine. */
#include <math.h>

#include "gc_internal.h"

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void gc_rng_seed(gc_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        r->s[i] = z ^ (z >> 31);
    }
}

uint64_t gc_rng_next(gc_rng *r)
{
    uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* Rejection above the largest multiple of n: no modulo bias. */
size_t gc_rng_index(gc_rng *r, size_t n)
{
    uint64_t bound = (uint64_t)n, limit = UINT64_MAX - UINT64_MAX % bound, x;
    do
        x = gc_rng_next(r);
    while (x >= limit);
    return (size_t)(x % bound);
}

void gc_rng_direction(gc_rng *r, double *dir, size_t len)
{
    double s = 1.0 / sqrt((double)len);
    for (size_t j = 0; j < len; j++)
        dir[j] = (gc_rng_next(r) >> 63) ? s : -s;
}
