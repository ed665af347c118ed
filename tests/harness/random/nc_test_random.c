/* The tests' and benchmarks' xorshift64 generator (see nc_test_random.h). */
#include "nc_test_random.h"

uint64_t nc_test_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}
