/* Host only: nc_fmt against the C library's snprintf, an independent oracle,
 * over a grid of formats and values. */
#include "nc_test.h"
#include <nc/fmt.h>
#include <stdio.h>
#include <string.h>

static const char *const int_formats[] = {
	"%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%8.3d", "%-8.3d|", "%.0d",
	"%u", "%x", "%X", "%o", "%08x", "%.4x", "%3x", "%#x", "%#X", "%#o", "%#10x", "%#010x",
	"%#.5o", "%#-8x|",
};
static const int int_values[] = { 0, 1, -1, 42, -42, 99999, -2147483647 - 1, 2147483647 };

NC_TEST(base_fmt_oracle, ints_match_libc)
{
	for (size_t f = 0; f < sizeof int_formats / sizeof *int_formats; f++)
		for (size_t v = 0; v < sizeof int_values / sizeof *int_values; v++) {
			char ours[64], libc[64];
			nc_fmt_format(ours, sizeof ours, int_formats[f], int_values[v]);
			snprintf(libc, sizeof libc, int_formats[f], int_values[v]);
			NC_CHECK_STR(ours, libc);
		}
}

NC_TEST(base_fmt_oracle, strings_match_libc)
{
	static const char *const fmts[] = { "%s", "%10s", "%-10s|", "%.2s", "%5.1s", "%.0s" };
	static const char *const vals[] = { "", "a", "hello", "nexacore kernel" };
	for (size_t f = 0; f < sizeof fmts / sizeof *fmts; f++)
		for (size_t v = 0; v < sizeof vals / sizeof *vals; v++) {
			char ours[64], libc[64];
			nc_fmt_format(ours, sizeof ours, fmts[f], vals[v]);
			snprintf(libc, sizeof libc, fmts[f], vals[v]);
			NC_CHECK_STR(ours, libc);
		}
}

NC_TEST(base_fmt_oracle, long_and_size_match_libc)
{
	static const long long vals[] = { 0, 1, -1, 1LL << 40, -(1LL << 53), 9223372036854775807LL };
	for (size_t v = 0; v < sizeof vals / sizeof *vals; v++) {
		char ours[64], libc[64];
		nc_fmt_format(ours, sizeof ours, "%lld|%llx|%20lld|%-21lld|", vals[v],
			      (unsigned long long)vals[v], vals[v], vals[v]);
		snprintf(libc, sizeof libc, "%lld|%llx|%20lld|%-21lld|", vals[v],
			 (unsigned long long)vals[v], vals[v], vals[v]);
		NC_CHECK_STR(ours, libc);
	}
}
