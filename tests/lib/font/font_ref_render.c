/* font_ref_render FONT PX TEXT [FG BG]: the reference rendering of TEXT
 * (ASCII) in white on black, or in colour FG on BG (RRGGBB, hex), by the
 * packaged rasteriser (Debian's libstb-dev header with glibc's libm), laid
 * out by lib/font's documented rule (advances in 1/64 pixel rounded in
 * float, each glyph at the whole pixel nearest the pen) and blended glyph
 * after glyph by lib/gfx's documented formula ((c*a + d*(255-a) + 127) / 255
 * per channel). Prints "W H ASCENT" and then H lines of W values: two hex
 * digits each (the grey level) in white on black, six (RRGGBB) in colour. The
 * desktop's QEMU test compares it with the screen, where wintest and the file
 * browser draw the same text (tests/user/desktop/desktop_qemu_test.py). */
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb_truetype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 6)
		return 2;
	unsigned long fg = argc == 6 ? strtoul(argv[4], NULL, 16) : 0xffffff;
	unsigned long bg = argc == 6 ? strtoul(argv[5], NULL, 16) : 0;
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
	unsigned char *img = malloc((size_t)w * (size_t)h * 3);
	for (int i = 0; i < w * h; i++)
		for (int c = 0; c < 3; c++)
			img[i * 3 + c] = (unsigned char)(bg >> (16 - 8 * c));
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
					unsigned a = bm[y * gw + x];
					for (int c = 0; c < 3; c++) {
						unsigned char *d = &img[(py * w + px) * 3 + c];
						unsigned fc = (unsigned)(fg >> (16 - 8 * c)) & 0xff;
						*d = (unsigned char)((fc * a + *d * (255 - a) + 127) / 255);
					}
				}
			free(bm);
		}
		pen64 += (long)floor(adv * scale * 64.0f + 0.5f);
	}
	printf("%d %d %d\n", w, h, asc);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++)
			if (argc == 6)
				printf("%02x%02x%02x", img[(y * w + x) * 3], img[(y * w + x) * 3 + 1], img[(y * w + x) * 3 + 2]);
			else
				printf("%02x", img[(y * w + x) * 3]);
		printf("\n");
	}
	free(img);
	return 0;
}
