/* lib/font without files: the refusal of what is not a font. Runs on the host and in NexaCore (libtests); the tests on real fonts
 * (rendering, allocation failures) are in font_ref_host_test.c. */
#include "nc_test.h"
#include <nc/font.h>
#include <nc/mem.h>

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
