/* rng.h — a small, portable, seeded random number generator.
 *
 * xoshiro256** (Blackman & Vigna) seeded through splitmix64. The state is
 * passed explicitly; there is no global generator. Integer and uniform draws
 * use only 64-bit integer arithmetic, so a seed gives the same numbers on every
 * machine. rng_normal also calls libm's log and sqrt (sqrt is exact in IEEE 754;
 * log is accurate to within an ulp on glibc).
 */
#ifndef GRADLAB_RNG_H
#define GRADLAB_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct { uint64_t s[4]; } rng_t;

/* splitmix64: advances *state and returns the next output. Used for seeding. */
uint64_t splitmix64(uint64_t *state);

/* Seeds r from a 64-bit seed (any value, 0 included). */
void rng_seed(rng_t *r, uint64_t seed);

/* Next 64 random bits. */
uint64_t rng_next(rng_t *r);

/* Uniform double in [0, 1) with 53 random bits. */
double rng_uniform(rng_t *r);

/* Uniform double in [lo, hi). */
double rng_range(rng_t *r, double lo, double hi);

/* Uniform integer in [0, n), without modulo bias. n must be > 0. */
size_t rng_index(rng_t *r, size_t n);

/* Standard normal draw (Marsaglia's polar method). */
double rng_normal(rng_t *r);

#endif
