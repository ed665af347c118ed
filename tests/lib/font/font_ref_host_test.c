/* lib/font against the packaged rasteriser: Debian's libstb-dev header,
 * compiled here as its authors intend (glibc's libm, malloc, assert), renders
 * the reference glyphs; lib/font (stb_truetype from the libstb source package
 * with our freestanding glue) must give the same boxes, the same advances by
 * the documented layout rule and the same coverage, byte for byte, for the
 * printable ASCII range and a set of Latin, Greek, box-drawing and missing
 * code points, at several sizes, in the two fonts the desktop uses. */
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb_truetype.h>
#include "nc_test.h"
#include <math.h>
#include <nc/font.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const fonts[] = {
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
};
static const int sizes[] = { 9, 13, 16, 24, 40 };
static const uint32_t extra[] = { 0xe9, 0xdf, 0x3a9, 0x2500, 0x2588, 0x20ac, 0x10ffff, 0x4e2d };

static void *sys_alloc(void *ctx, size_t n) { (void)ctx; return malloc(n); }
static void sys_free(void *ctx, void *p) { (void)ctx; free(p); }
static const nc_font_alloc_t heap = { NULL, sys_alloc, sys_free };

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = malloc(*len);
	if (b && fread(b, 1, *len, f) != *len) {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}

/* Compare one glyph; returns false (with a note) on the first difference. */
static bool same_glyph(stbtt_fontinfo *ref, float scale, nc_font_face_t *face, uint32_t cp)
{
	int g = stbtt_FindGlyphIndex(ref, (int)cp), adv, lsb, x0, y0, x1, y1;
	stbtt_GetGlyphHMetrics(ref, g, &adv, &lsb);
	stbtt_GetGlyphBitmapBox(ref, g, scale, scale, &x0, &y0, &x1, &y1);
	int w = x1 > x0 ? x1 - x0 : 0, h = y1 > y0 ? y1 - y0 : 0;
	const nc_font_glyph_t *gl;
	if (nc_font_face_glyph(face, cp, &gl) != NC_FONT_OK)
		return false;
	int adv64 = (int)floor(adv * scale * 64.0f + 0.5f);
	if (gl->x_off != x0 || gl->y_off != y0 || gl->w != w || gl->h != h || gl->advance64 != adv64) {
		nc_test_note("U+%04X: box %d,%d %dx%d adv %d, reference %d,%d %dx%d adv %d", cp, gl->x_off,
			     gl->y_off, gl->w, gl->h, gl->advance64, x0, y0, w, h, adv64);
		return false;
	}
	unsigned char *bm = calloc((size_t)w * (size_t)h + 1, 1);
	if (w && h)
		stbtt_MakeGlyphBitmap(ref, bm, w, h, w, scale, scale, g);
	bool same = memcmp(bm, gl->coverage, (size_t)w * (size_t)h) == 0;
	if (!same)
		nc_test_note("U+%04X: coverage differs from the reference", cp);
	free(bm);
	return same;
}

NC_TEST(font_ref, glyphs_match_packaged_stb_truetype)
{
	int n_glyphs = 0;
	for (size_t f = 0; f < sizeof fonts / sizeof fonts[0]; f++) {
		size_t len;
		unsigned char *ttf = read_file(fonts[f], &len);
		NC_CHECK(ttf != NULL);
		stbtt_fontinfo ref;
		NC_CHECK(stbtt_InitFont(&ref, ttf, 0));
		nc_font_t *font;
		NC_CHECK_EQ(nc_font_create(ttf, len, &heap, &font), NC_FONT_OK);
		for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
			nc_font_face_t *face;
			NC_CHECK_EQ(nc_font_face_create(font, sizes[s], &face), NC_FONT_OK);
			float scale = stbtt_ScaleForPixelHeight(&ref, (float)sizes[s]);
			int ascent, descent, gap;
			stbtt_GetFontVMetrics(&ref, &ascent, &descent, &gap);
			nc_font_metrics_t m;
			nc_font_face_metrics(face, &m);
			NC_CHECK_EQ(m.ascent, (int)floor(ascent * scale + 0.5f));
			NC_CHECK_EQ(m.descent, (int)floor(-descent * scale + 0.5f));
			for (uint32_t cp = 32; cp < 127; cp++, n_glyphs++)
				NC_CHECK(same_glyph(&ref, scale, face, cp));
			for (size_t e = 0; e < sizeof extra / sizeof extra[0]; e++, n_glyphs++)
				NC_CHECK(same_glyph(&ref, scale, face, extra[e]));
			nc_font_face_destroy(face);
		}
		nc_font_destroy(font);
		free(ttf);
	}
	nc_test_note("%d glyphs identical to the packaged rasteriser's", n_glyphs);
}

static int live, calls, fail_at;

static void *failing_alloc(void *ctx, size_t n)
{
	(void)ctx;
	if (++calls == fail_at)
		return NULL;
	live++;
	return malloc(n);
}

static void failing_free(void *ctx, void *p)
{
	(void)ctx;
	live--;
	free(p);
}

/* Opening the font, making a face and rendering glyphs with allocation k
 * failing, for every k: NOMEM and nothing left allocated, until a run needs
 * fewer than k allocations and succeeds. */
NC_TEST(font_ref, every_allocation_failure_is_nomem_without_leaks)
{
	size_t len;
	unsigned char *ttf = read_file(fonts[1], &len);
	NC_CHECK(ttf != NULL);
	static const nc_font_alloc_t al = { NULL, failing_alloc, failing_free };
	static const char text[] = "Wg\xc3\xa9";
	for (fail_at = 1;; fail_at++) {
		calls = live = 0;
		nc_font_t *font = NULL;
		nc_font_face_t *face = NULL;
		int w = 0;
		nc_font_err_t err = nc_font_create(ttf, len, &al, &font);
		if (!err)
			err = nc_font_face_create(font, 20, &face);
		if (!err)
			err = nc_font_face_measure(face, text, sizeof text - 1, &w);
		nc_font_face_destroy(face);
		nc_font_destroy(font);
		NC_CHECK_EQ(live, 0);
		if (calls < fail_at) {
			NC_CHECK_EQ(err, NC_FONT_OK);
			NC_CHECK(w > 0);
			break;
		}
		NC_CHECK_EQ(err, NC_FONT_ERR_NOMEM);
	}
	NC_CHECK(fail_at > 5);
	free(ttf);
}

/* The layout rule: the width of a string is the rounded sum of advances. */
NC_TEST(font_ref, measure_follows_the_layout_rule)
{
	size_t len;
	unsigned char *ttf = read_file(fonts[0], &len);
	NC_CHECK(ttf != NULL);
	stbtt_fontinfo ref;
	NC_CHECK(stbtt_InitFont(&ref, ttf, 0));
	nc_font_t *font;
	nc_font_face_t *face;
	NC_CHECK_EQ(nc_font_create(ttf, len, &heap, &font), NC_FONT_OK);
	NC_CHECK_EQ(nc_font_face_create(font, 16, &face), NC_FONT_OK);
	static const char text[] = "NexaCore desktop: \xc3\xa9t\xc3\xa9 \xce\xa9";
	static const uint32_t cps[] = { 'N', 'e', 'x', 'a', 'C', 'o', 'r', 'e', ' ', 'd', 'e', 's', 'k', 't',
					'o', 'p', ':', ' ', 0xe9, 't', 0xe9, ' ', 0x3a9 };
	float scale = stbtt_ScaleForPixelHeight(&ref, 16.0f);
	long pen64 = 0;
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		int adv, lsb;
		stbtt_GetGlyphHMetrics(&ref, stbtt_FindGlyphIndex(&ref, (int)cps[i]), &adv, &lsb);
		pen64 += (long)floor(adv * scale * 64.0f + 0.5f);
	}
	int w;
	NC_CHECK_EQ(nc_font_face_measure(face, text, sizeof text - 1, &w), NC_FONT_OK);
	NC_CHECK_EQ(w, (pen64 + 32) >> 6);
	nc_font_face_destroy(face);
	nc_font_destroy(font);
	free(ttf);
}
