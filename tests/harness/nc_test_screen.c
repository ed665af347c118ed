/* Captured terminal output for tests (see nc_test_screen.h). */
#include "nc_test_screen.h"
#include <nc/mem.h>

char nc_test_screen[NC_TEST_SCREEN_BYTES];
size_t nc_test_screen_len;

void nc_test_screen_write(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	for (size_t i = 0; i < n && nc_test_screen_len + 1 < sizeof nc_test_screen; i++)
		nc_test_screen[nc_test_screen_len++] = s[i];
	nc_test_screen[nc_test_screen_len] = 0;
}

void nc_test_screen_clear(void)
{
	nc_test_screen_len = 0;
	nc_test_screen[0] = 0;
}

bool nc_test_screen_has(const char *needle)
{
	size_t n = nc_str_len(needle);
	for (size_t i = 0; i + n <= nc_test_screen_len; i++)
		if (nc_mem_compare(nc_test_screen + i, needle, n) == 0)
			return true;
	return false;
}
