/* font_ref_render FONT PX TEXT: the reference rendering of TEXT (ASCII) in
 * white on black by the packaged rasteriser (Debian's libstb-dev header with
 * glibc's libm), laid out by lib/font's documented rule (advances in 1/64
 * pixel rounded in float, each glyph at the whole pixel nearest the pen) and
 * blended by lib/gfx's documented formula ((c*a + d*(255-a) + 127) / 255).
 * Prints "W H ASCENT" and then H lines of W two-digit hex values. The
 * desktop's QEMU test compares it with the screen, where wintest draws the
 * same text (tests/user/desktop/desktop_qemu_test.py). */
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb_truetype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 1;
	static unsigned char ttf[4 << 20];
	size_t len = fread(ttf, 1, sizeof ttf, f);
	fclose(f);
	stbtt_fontinfo font;
	if (!len || !stbtt_InitFont(&font, ttf, 0))
		return 1;
	float scale = stbtt_ScaleForPixelHeight(&font, (float)atoi(argv[2]));
	int ascent, descent, gap;
	stbtt_GetFontVMetrics(&font, &ascent, &descent, &gap);
	int asc = (int)floor(ascent * scale + 0.5f), desc = (int)floor(-descent * scale + 0.5f);
	const char *text = argv[3];
	long pen64 = 0;
	for (const char *p = text; *p; p++) {
		int adv, lsb;
		stbtt_GetGlyphHMetrics(&font, stbtt_FindGlyphIndex(&font, *p), &adv, &lsb);
		pen64 += (long)floor(adv * scale * 64.0f + 0.5f);
	}
	int w = (int)((pen64 + 32) >> 6) + 4, h = asc + desc;
	unsigned char *img = calloc((size_t)w * (size_t)h, 1);
	pen64 = 0;
	for (const char *p = text; *p; p++) {
		int g = stbtt_FindGlyphIndex(&font, *p), adv, lsb, x0, y0, x1, y1;
		stbtt_GetGlyphHMetrics(&font, g, &adv, &lsb);
		stbtt_GetGlyphBitmapBox(&font, g, scale, scale, &x0, &y0, &x1, &y1);
		int gw = x1 - x0, gh = y1 - y0, gx = (int)((pen64 + 32) >> 6);
		if (gw > 0 && gh > 0) {
			unsigned char *bm = calloc((size_t)gw * (size_t)gh, 1);
			stbtt_MakeGlyphBitmap(&font, bm, gw, gh, gw, scale, scale, g);
			for (int y = 0; y < gh; y++)
				for (int x = 0; x < gw; x++) {
					int px = gx + x0 + x, py = asc + y0 + y;
					if (px < 0 || py < 0 || px >= w || py >= h)
						continue;
					unsigned a = bm[y * gw + x], d = img[py * w + px];
					img[py * w + px] = (unsigned char)((255 * a + d * (255 - a) + 127) / 255);
				}
			free(bm);
		}
		pen64 += (long)floor(adv * scale * 64.0f + 0.5f);
	}
	printf("%d %d %d\n", w, h, asc);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++)
			printf("%02x", img[y * w + x]);
		printf("\n");
	}
	free(img);
	return 0;
}
