/* A helper the lib/privacy tests share (header only, so that libtests
 * needs no extra source). */
#ifndef NC_PRIVACY_TEST_TEXT_UTIL_H
#define NC_PRIVACY_TEST_TEXT_UTIL_H

#include <nc/mem.h>
#include <stdbool.h>
#include <stddef.h>

/* True iff the NUL-terminated what occurs in s[0..len). */
static inline bool text_contains(const char *s, size_t len, const char *what)
{
	size_t n = nc_str_len(what);
	for (size_t i = 0; i + n <= len; i++) {
		if (nc_mem_compare(s + i, what, n) == 0)
			return true;
	}
	return false;
}

#endif
