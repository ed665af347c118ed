/* The harness inside NexaCore (see nc_test_user.h). */
#include "nc_test_user.h"
#include <nc/mem.h>

/* The harness writes a line in pieces; whole lines go out so that another
 * process's output cannot split one. */
static char line[NC_SYS_IO_MAX_BYTES];
static size_t line_len;

static void flush_line(void)
{
	if (line_len)
		nc_stdout_write(line, line_len);
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

const char *nc_test_child_name(const char *arg, size_t arg_len)
{
	static const char prefix[] = "child:";
	size_t n = sizeof prefix - 1;
	return arg_len > n && nc_mem_compare(arg, prefix, n) == 0 ? arg + n : NULL;
}

int nc_test_run_child(const nc_test_child_t *const *tables, size_t n_tables, const char *name)
{
	for (size_t t = 0; t < n_tables; t++)
		for (const nc_test_child_t *c = tables[t]; c->name; c++)
			if (nc_str_compare(c->name, name) == 0)
				return c->fn();
	nc_test_note("no child body %s", name);
	return NC_TEST_CHILD_MISSING;
}
