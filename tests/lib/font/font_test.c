/* lib/font without files: UTF-8 decoding and the refusal of what is not a
 * font. Runs on the host and in NexaCore (libtests); the tests on real fonts
 * (rendering, allocation failures) are in font_ref_host_test.c. */
#include "nc_test.h"
#include <nc/font.h>
#include <nc/mem.h>

static uint32_t next(const char *s, size_t len, size_t *i)
{
	return nc_font_utf8_next(s, len, i);
}

NC_TEST(font, utf8_decodes_rfc3629_and_replaces_the_rest)
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
			NC_CHECK_EQ(next(cases[c].s, cases[c].len, &i), cases[c].cp[n]);
			n++;
		}
		NC_CHECK_EQ(n, cases[c].n);
	}
}

static int live;

static void *count_alloc(void *ctx, size_t n)
{
	static uint8_t pool[4096];
	(void)ctx;
	live++;
	return n <= sizeof pool ? pool : NULL;
}

static void count_free(void *ctx, void *p)
{
	(void)ctx;
	(void)p;
	live--;
}

NC_TEST(font, refuses_what_is_not_a_font)
{
	nc_font_alloc_t al = { NULL, count_alloc, count_free };
	nc_font_t *f;
	static const uint8_t junk[64] = { 'n', 'o', 't', ' ', 'a', ' ', 'f', 'o', 'n', 't' };
	NC_CHECK_EQ(nc_font_create(junk, 4, &al, &f), NC_FONT_ERR_FORMAT);
	NC_CHECK_EQ(nc_font_create(junk, sizeof junk, &al, &f), NC_FONT_ERR_FORMAT);
	/* a table directory claiming more tables than the file holds */
	static const uint8_t dir[16] = { 0, 1, 0, 0, 0, 200 };
	NC_CHECK_EQ(nc_font_create(dir, sizeof dir, &al, &f), NC_FONT_ERR_FORMAT);
	NC_CHECK_EQ(live, 0);
	NC_CHECK_STR(nc_font_err_name(NC_FONT_ERR_RANGE), "pixel height out of range");
}
