/* lib/base formatting; expectations follow the C standard's printf rules. */
#include "nc_test.h"
#include <nc/fmt.h>

#define FMT_IS(expect, ...)                                        \
	do {                                                       \
		char out_[96];                                     \
		nc_fmt_format(out_, sizeof out_, __VA_ARGS__);     \
		NC_CHECK_STR(out_, expect);                        \
	} while (0)

NC_TEST(base_fmt, integers)
{
	FMT_IS("42 -7 +5", "%d %i %+d", 42, -7, 5);
	FMT_IS("ff FF 17", "%x %X %o", 255u, 255u, 15u);
	FMT_IS("-9223372036854775808", "%lld", (long long)(-9223372036854775807LL - 1));
	FMT_IS("18446744073709551615", "%llu", 18446744073709551615ULL);
	FMT_IS("123456", "%zu", (size_t)123456);
	FMT_IS("-1 255", "%hhd %hhu", 255, 255);
}

NC_TEST(base_fmt, width_precision_flags)
{
	FMT_IS("   42|42   |00042", "%5d|%-5d|%05d", 42, 42, 42);
	FMT_IS("  007", "%5.3d", 7);
	FMT_IS("-0042", "%05d", -42);
	FMT_IS(" 42", "% d", 42);
	FMT_IS("   ab", "%*s", 5, "ab");
	FMT_IS("abc", "%.3s", "abcdef");
	FMT_IS("", "%.0d", 0);
}

NC_TEST(base_fmt, strings_chars_pointers)
{
	const char *volatile null_str = 0; /* hides the NULL from -Wformat */
	FMT_IS("(null)", "%s", null_str);
	FMT_IS("x%y", "%c%%%c", 'x', 'y');
	FMT_IS("0x1000", "%p", (void *)0x1000);
}

NC_TEST(base_fmt, truncation_returns_full_length)
{
	char buf[4];
	NC_CHECK_EQ(nc_fmt_format(buf, sizeof buf, "%s", "abcdef"), 6);
	NC_CHECK_STR(buf, "abc");
	NC_CHECK_EQ(nc_fmt_format(buf, 0, "%d", 12345), 5);
}
