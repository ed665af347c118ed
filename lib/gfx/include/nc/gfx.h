/* lib/gfx: 32-bit pixel surfaces, rectangles and regions, and the drawing
 * the desktop needs: fills, copies, anti-aliased text (lib/font coverage
 * blended over the surface) and the conversion to the display's byte order.
 *
 * Pixels are 0x00RRGGBB in a uint32_t (little-endian memory: blue, green,
 * red, unused: the display's BGRX order). Every drawing call clips to the
 * surface, so any rectangle, even one far outside, is safe. Reentrant; a
 * surface is used by one thread at a time. */
#ifndef NC_GFX_H
#define NC_GFX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/font.h>

typedef struct {
	uint32_t *px;          /* borrowed: row y starts at px + y * stride */
	int w, h;
	int stride;            /* pixels, >= w */
} nc_gfx_surface_t;

typedef struct {
	int x, y, w, h;        /* empty when w <= 0 or h <= 0 */
} nc_gfx_rect_t;

static inline nc_gfx_rect_t nc_gfx_rect(int x, int y, int w, int h)
{
	return (nc_gfx_rect_t){ x, y, w, h };
}
bool nc_gfx_rect_empty(nc_gfx_rect_t r);
/* The common part of a and b (w = h = 0 when they do not meet). */
nc_gfx_rect_t nc_gfx_rect_intersect(nc_gfx_rect_t a, nc_gfx_rect_t b);
/* The smallest rectangle holding a and b (an empty one adds nothing). */
nc_gfx_rect_t nc_gfx_rect_union(nc_gfx_rect_t a, nc_gfx_rect_t b);
bool nc_gfx_rect_contains(nc_gfx_rect_t r, int x, int y);

/* A region: up to NC_GFX_REGION_MAX disjoint rectangles. When an operation
 * would need more, the region is replaced by its bounding box (a superset:
 * damage only grows, nothing is lost). */
enum { NC_GFX_REGION_MAX = 32 };
typedef struct {
	int n;
	nc_gfx_rect_t r[NC_GFX_REGION_MAX];
} nc_gfx_region_t;

void nc_gfx_region_clear(nc_gfx_region_t *rg);
/* Add r to the region (the part of r not yet covered). */
void nc_gfx_region_add(nc_gfx_region_t *rg, nc_gfx_rect_t r);
/* Remove r from the region. False when the pieces would not fit
 * NC_GFX_REGION_MAX: the region is then left as it was (a superset). */
bool nc_gfx_region_subtract(nc_gfx_region_t *rg, nc_gfx_rect_t r);
/* Keep only the part inside r. */
void nc_gfx_region_clip(nc_gfx_region_t *rg, nc_gfx_rect_t r);
/* Total pixels covered. */
uint64_t nc_gfx_region_area(const nc_gfx_region_t *rg);

void nc_gfx_fill(const nc_gfx_surface_t *s, nc_gfx_rect_t r, uint32_t color);
/* Copy the w x h pixels of src at (sx, sy) to dst at (dx, dy), clipped to both. */
void nc_gfx_copy(const nc_gfx_surface_t *dst, int dx, int dy, const nc_gfx_surface_t *src, int sx, int sy,
		 int w, int h);
/* The same, converting 0x00RRGGBB to the display's RGBX byte order
 * (byte 0 red) when rgbx is true, a plain copy otherwise. */
void nc_gfx_copy_to_display(const nc_gfx_surface_t *dst, int dx, int dy, const nc_gfx_surface_t *src,
			    int sx, int sy, int w, int h, bool rgbx);
/* Blend color over the surface through an 8-bit coverage mask (w x h, row
 * stride mask_stride) placed at (x, y), inside clip only: each channel
 * becomes (c * a + d * (255 - a) + 127) / 255. */
void nc_gfx_blend_mask(const nc_gfx_surface_t *s, nc_gfx_rect_t clip, int x, int y, const uint8_t *mask,
		       int w, int h, int mask_stride, uint32_t color);

/* Draw text (UTF-8) with face: the pen starts at x on the baseline y, glyphs
 * by lib/font's layout rule, inside clip only. *end_x (when not NULL) gets the
 * pen's end in whole pixels. Errors: NC_FONT_ERR_NOMEM (a glyph could not be
 * made; the glyphs before it are drawn). */
nc_font_err_t nc_gfx_text(const nc_gfx_surface_t *s, nc_gfx_rect_t clip, nc_font_face_t *face, int x, int y,
			  uint32_t color, const char *text, size_t len_bytes, int *end_x);

#endif
