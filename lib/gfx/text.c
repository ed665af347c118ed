/* Text drawing (nc/gfx.h): lib/font's glyphs blended at the positions of its
 * layout rule. */
#include <nc/gfx.h>
#include <nc/utf8.h>

nc_font_err_t nc_gfx_text(const nc_gfx_surface_t *s, nc_gfx_rect_t clip, nc_font_face_t *face, int x, int y,
			  uint32_t color, const char *text, size_t len_bytes, int *end_x)
{
	int64_t pen64 = (int64_t)x << 6;
	nc_font_err_t err = NC_FONT_OK;
	for (size_t i = 0; i < len_bytes && !err;) {
		const nc_font_glyph_t *g;
		err = nc_font_face_glyph(face, nc_utf8_next(text, len_bytes, &i), &g);
		if (err)
			break;
		int gx = (int)((pen64 + 32) >> 6);
		nc_gfx_blend_mask(s, clip, gx + g->x_off, y + g->y_off, g->coverage, g->w, g->h, g->w, color);
		pen64 += g->advance64;
	}
	if (end_x)
		*end_x = (int)((pen64 + 32) >> 6);
	return err;
}
