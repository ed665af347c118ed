/* libtests: the freestanding-clean lib/ unit tests inside NexaCore. The test
 * files are those of the host unit tests (tests/lib/), linked with the
 * user-flavour libraries; nc_test_run_all runs every registered test, printing
 * PASS/FAIL lines on the console. The argument, if any, is a "suite.name"
 * prefix selecting the tests to run. Exit code: the number of failed tests. */
#include <nc_test.h>
#include <nc/ulib.h>

/* The harness writes a line in pieces; whole lines go to the console so that
 * another process's output cannot split one. */
static char line[NC_SYS_IO_MAX_BYTES];
static size_t line_len;

static void flush_line(void)
{
	if (line_len)
		nc_sys_write_console(line, line_len);
	line_len = 0;
}

void nc_test_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (line_len == sizeof line)
			flush_line();
		line[line_len++] = s[i];
		if (s[i] == '\n')
			flush_line();
	}
}

int main(const char *arg, size_t arg_len)
{
	int failed = nc_test_run_all(arg_len ? arg : NULL);
	flush_line();
	return failed;
}
