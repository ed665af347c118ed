/* libtests: the freestanding-clean lib/ unit tests inside NexaCore. The test
 * files are those of the host unit tests (tests/lib/), linked with the
 * user-flavour libraries and the harness's NexaCore part (nc_test_user.c);
 * nc_test_run_all runs every registered test, printing PASS/FAIL lines. The
 * argument, if any, is a comma-separated list of "suite.name" prefixes
 * selecting the tests to run. Exit code: the number of failed tests. */
#include <nc_test_user.h>

int main(const char *arg, size_t arg_len)
{
	return nc_test_run_all(arg_len ? arg : NULL);
}
