/* Host entry of a unit-test binary: `TEST [PREFIX]` runs the registered tests
 * (those whose suite.name starts with PREFIX). Exit status 0 iff all passed. */
#include "nc_test.h"
#include <stdio.h>

void nc_test_write(const char *s, size_t len)
{
	fwrite(s, 1, len, stdout);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	return nc_test_run_all(argc > 1 ? argv[1] : NULL) ? 1 : 0;
}
