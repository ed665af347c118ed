/* nc/utf8.h: RFC 3629's rules case by case (shortest forms, surrogates, the
 * upper bound, truncation, bad continuations) and encode/decode round trips
 * over every code point. Host and in-kernel/libtests (freestanding-clean). */
#include "nc_test.h"
#include <nc/utf8.h>

NC_TEST(utf8, decodes_rfc3629_and_replaces_the_rest)
{
	static const struct {
		const char *s;
		size_t len;
		uint32_t cp[4];
		size_t n;
	} cases[] = {
		{ "A", 1, { 'A' }, 1 },
		{ "\xc3\xa9", 2, { 0xe9 }, 1 },
		{ "\xe2\x82\xac", 3, { 0x20ac }, 1 },
		{ "\xf0\x9f\x98\x80", 4, { 0x1f600 }, 1 },
		{ "\xf4\x8f\xbf\xbf", 4, { 0x10ffff }, 1 },
		{ "\xc0\xaf", 2, { 0xfffd, 0xfffd }, 2 },             /* overlong */
		{ "\xe0\x80\xaf", 3, { 0xfffd, 0xfffd, 0xfffd }, 3 }, /* overlong */
		{ "\xed\xa0\x80", 3, { 0xfffd, 0xfffd, 0xfffd }, 3 }, /* surrogate */
		{ "\xf4\x90\x80\x80", 4, { 0xfffd, 0xfffd, 0xfffd, 0xfffd }, 4 }, /* > U+10FFFF */
		{ "\xe2\x82", 2, { 0xfffd, 0xfffd }, 2 },             /* truncated */
		{ "\xc3(", 2, { 0xfffd, '(' }, 2 },                   /* bad continuation */
		{ "\x80", 1, { 0xfffd }, 1 },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		size_t i = 0, n = 0;
		while (i < cases[c].len) {
			NC_CHECK(n < cases[c].n);
			NC_CHECK_EQ(nc_utf8_next(cases[c].s, cases[c].len, &i), cases[c].cp[n]);
			n++;
		}
		NC_CHECK_EQ(n, cases[c].n);
	}
}

NC_TEST(utf8, encode_round_trips_every_code_point)
{
	for (uint32_t cp = 0; cp <= 0x110000; cp++) {
		char buf[NC_UTF8_MAX_BYTES];
		size_t n = nc_utf8_encode(cp, buf), i = 0;
		bool valid = cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
		NC_CHECK_EQ(n, !valid ? 3 : cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
		NC_CHECK_EQ(nc_utf8_next(buf, n, &i), valid ? cp : NC_UTF8_REPLACEMENT);
		NC_CHECK_EQ(i, n);
	}
}
