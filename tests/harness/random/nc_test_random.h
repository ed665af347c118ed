/* Deterministic pseudo-random numbers for tests and benchmarks: the xorshift64
 * generator (Marsaglia 2003, "Xorshift RNGs", shifts 13, 7, 17). Not for
 * secrets. Freestanding, no dependencies: tests get it through nc_test.h,
 * benchmarks (bench/) have this directory alone on their include path and link
 * nc_test_random.c. */
#ifndef NC_TEST_RANDOM_H
#define NC_TEST_RANDOM_H

#include <stdint.h>

/* Advance *state (nonzero; it stays nonzero) and return its new value. The
 * same seed gives the same sequence on every flavour. */
uint64_t nc_test_random(uint64_t *state);

#endif
