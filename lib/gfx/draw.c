/* Fills, copies and coverage blending (nc/gfx.h). Everything clips first,
 * then runs plain row loops the compiler vectorises. */
#include <nc/gfx.h>
#include <nc/mem.h>

static nc_gfx_rect_t bounds_of(const nc_gfx_surface_t *s)
{
	return nc_gfx_rect(0, 0, s->w, s->h);
}

void nc_gfx_fill(const nc_gfx_surface_t *s, nc_gfx_rect_t r, uint32_t color)
{
	r = nc_gfx_rect_intersect(r, bounds_of(s));
	for (int y = r.y; y < r.y + r.h; y++) {
		uint32_t *row = s->px + (size_t)y * (size_t)s->stride + r.x;
		for (int x = 0; x < r.w; x++)
			row[x] = color;
	}
}

/* Clip a copy of w x h from src (sx, sy) to dst (dx, dy) against both
 * surfaces; false when nothing is left. */
static bool clip_copy(const nc_gfx_surface_t *dst, int *dx, int *dy, const nc_gfx_surface_t *src, int *sx,
		      int *sy, int *w, int *h)
{
	nc_gfx_rect_t d = nc_gfx_rect_intersect(nc_gfx_rect(*dx, *dy, *w, *h), bounds_of(dst));
	nc_gfx_rect_t s = nc_gfx_rect_intersect(nc_gfx_rect(*sx + (d.x - *dx), *sy + (d.y - *dy), d.w, d.h),
						bounds_of(src));
	if (nc_gfx_rect_empty(d) || nc_gfx_rect_empty(s))
		return false;
	*dx = d.x + (s.x - (*sx + (d.x - *dx)));
	*dy = d.y + (s.y - (*sy + (d.y - *dy)));
	*sx = s.x;
	*sy = s.y;
	*w = s.w;
	*h = s.h;
	return true;
}

void nc_gfx_copy(const nc_gfx_surface_t *dst, int dx, int dy, const nc_gfx_surface_t *src, int sx, int sy,
		 int w, int h)
{
	if (!clip_copy(dst, &dx, &dy, src, &sx, &sy, &w, &h))
		return;
	for (int y = 0; y < h; y++)
		nc_mem_move(dst->px + (size_t)(dy + y) * (size_t)dst->stride + dx,
			    src->px + (size_t)(sy + y) * (size_t)src->stride + sx, (size_t)w * 4);
}

void nc_gfx_copy_to_display(const nc_gfx_surface_t *dst, int dx, int dy, const nc_gfx_surface_t *src,
			    int sx, int sy, int w, int h, bool rgbx)
{
	if (!rgbx) {
		nc_gfx_copy(dst, dx, dy, src, sx, sy, w, h);
		return;
	}
	if (!clip_copy(dst, &dx, &dy, src, &sx, &sy, &w, &h))
		return;
	for (int y = 0; y < h; y++) {
		uint32_t *d = dst->px + (size_t)(dy + y) * (size_t)dst->stride + dx;
		const uint32_t *s = src->px + (size_t)(sy + y) * (size_t)src->stride + sx;
		for (int x = 0; x < w; x++)
			d[x] = (s[x] & 0xff) << 16 | (s[x] & 0xff00) | (s[x] >> 16 & 0xff);
	}
}

static uint32_t mix(uint32_t c, uint32_t d, uint32_t a)
{
	uint32_t out = 0;
	for (int shift = 0; shift < 24; shift += 8) {
		uint32_t cc = c >> shift & 0xff, dd = d >> shift & 0xff;
		out |= ((cc * a + dd * (255 - a) + 127) / 255) << shift;
	}
	return out;
}

void nc_gfx_blend_mask(const nc_gfx_surface_t *s, nc_gfx_rect_t clip, int x, int y, const uint8_t *mask,
		       int w, int h, int mask_stride, uint32_t color)
{
	nc_gfx_rect_t r = nc_gfx_rect_intersect(nc_gfx_rect_intersect(nc_gfx_rect(x, y, w, h), clip), bounds_of(s));
	for (int yy = r.y; yy < r.y + r.h; yy++) {
		uint32_t *row = s->px + (size_t)yy * (size_t)s->stride;
		const uint8_t *m = mask + (size_t)(yy - y) * (size_t)mask_stride - x;
		for (int xx = r.x; xx < r.x + r.w; xx++) {
			uint32_t a = m[xx];
			if (a == 255)
				row[xx] = color;
			else if (a)
				row[xx] = mix(color, row[xx], a);
		}
	}
}
