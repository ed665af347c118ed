/* Drawing the screen. Damage accumulates as a region of screen rectangles;
 * compose_flush draws each into the back buffer, windows from the top down
 * (each covers its frame, so only what no window above covers is drawn
 * beneath it, and the background only where no window is), then the resize
 * outline and the pointer, and finally copies exactly those rectangles to
 * the framebuffer. The screen therefore never shows a half-composed area. */
#include "compositor.h"
#include <nc/sort.h>

enum { BG_TOP = 0x203a5c, BG_BOTTOM = 0x0e1726, OUTLINE = 0xf0c040 };

/* The pointer: '#' black edge, '.' white inside. Our own drawing. */
static const char *const cursor[CURSOR_H] = {
	"#           ", "##          ", "#.#         ", "#..#        ", "#...#       ", "#....#      ",
	"#.....#     ", "#......#    ", "#.......#   ", "#........#  ", "#.........# ", "#......#####",
	"#...#..#    ", "#..# #..#   ", "#.#  #..#   ", "##    #..#  ", "#     #..#  ", "       #..# ",
	"        ##  ",
};

void compose_damage(nc_gfx_rect_t r)
{
	r = nc_gfx_rect_intersect(r, nc_gfx_rect(0, 0, desk.back.w, desk.back.h));
	if (!nc_gfx_rect_empty(r))
		nc_gfx_region_add(&desk.damage, r);
}

static uint32_t gradient(int y)
{
	uint32_t out = 0;
	int h = desk.back.h > 1 ? desk.back.h - 1 : 1;
	for (int shift = 0; shift < 24; shift += 8) {
		int a = BG_TOP >> shift & 0xff, b = BG_BOTTOM >> shift & 0xff;
		out |= (uint32_t)(a + (b - a) * y / h) << shift;
	}
	return out;
}

static void background(nc_gfx_rect_t r)
{
	for (int y = r.y; y < r.y + r.h; y++)
		nc_gfx_fill(&desk.back, nc_gfx_rect(r.x, y, r.w, 1), gradient(y));
}

static void draw_cursor(nc_gfx_rect_t clip)
{
	for (int y = 0; y < CURSOR_H; y++)
		for (int x = 0; x < CURSOR_W; x++) {
			char c = cursor[y][x];
			int sx = desk.px + x, sy = desk.py + y;
			if (c != ' ' && nc_gfx_rect_contains(clip, sx, sy))
				nc_gfx_fill(&desk.back, nc_gfx_rect(sx, sy, 1, 1), c == '#' ? 0x000000 : 0xffffff);
		}
}

static void draw_outline(nc_gfx_rect_t clip)
{
	nc_gfx_rect_t o = desk.outline;
	nc_gfx_rect_t edges[4] = { nc_gfx_rect(o.x, o.y, o.w, 2), nc_gfx_rect(o.x, o.y + o.h - 2, o.w, 2),
				   nc_gfx_rect(o.x, o.y, 2, o.h), nc_gfx_rect(o.x + o.w - 2, o.y, 2, o.h) };
	for (int i = 0; i < 4; i++)
		nc_gfx_fill(&desk.back, nc_gfx_rect_intersect(edges[i], clip), OUTLINE);
}

static bool shown(const window_t *w)
{
	return !w->minimised && w->pixels;
}

static void copy_window(const window_t *w, nc_gfx_rect_t clip)
{
	nc_gfx_rect_t f = wm_frame(w), part = nc_gfx_rect_intersect(clip, f);
	if (!nc_gfx_rect_empty(part))
		nc_gfx_copy(&desk.back, part.x, part.y, &w->surf, part.x - f.x, part.y - f.y, part.w, part.h);
}

/* Compose one screen rectangle into the back buffer: from the top down,
 * each pixel drawn once; if the uncovered part ever needs more pieces than
 * a region holds, the painter's way instead (bottom up, overdrawing). */
static void compose_rect(nc_gfx_rect_t r)
{
	nc_gfx_region_t left;
	nc_gfx_region_clear(&left);
	nc_gfx_region_add(&left, r);
	bool exact = true;
	for (int k = desk.nz - 1; k >= 0 && left.n && exact; k--) {
		window_t *w = &desk.win[desk.z[k]];
		if (!shown(w))
			continue;
		for (int i = 0; i < left.n; i++)
			copy_window(w, left.r[i]);
		exact = nc_gfx_region_subtract(&left, wm_frame(w));
	}
	if (exact) {
		for (int i = 0; i < left.n; i++)
			background(left.r[i]);
	} else {
		background(r);
		for (int k = 0; k < desk.nz; k++)
			if (shown(&desk.win[desk.z[k]]))
				copy_window(&desk.win[desk.z[k]], r);
	}
	if (desk.drag == DRAG_RESIZE)
		draw_outline(r);
	draw_cursor(r);
	desk.pixels_composed += (uint64_t)r.w * (uint64_t)r.h;
}

void compose_flush(void)
{
	if (!desk.damage.n)
		return;
	for (int i = 0; i < desk.damage.n; i++)
		compose_rect(desk.damage.r[i]);
	for (int i = 0; i < desk.damage.n; i++) {
		nc_gfx_rect_t r = desk.damage.r[i];
		nc_gfx_copy_to_display(&desk.fb, r.x, r.y, &desk.back, r.x, r.y, r.w, r.h, desk.rgbx);
	}
	nc_gfx_region_clear(&desk.damage);
	desk.frames++;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
}

static int cmp_u64(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

void compose_bench(nc_gfx_rect_t r, uint32_t n, uint64_t *compose_tsc, uint64_t *copy_tsc)
{
	enum { MAX_ROUNDS = 64 };
	uint64_t t[MAX_ROUNDS], c[MAX_ROUNDS];
	r = nc_gfx_rect_intersect(r, nc_gfx_rect(0, 0, desk.back.w, desk.back.h));
	if (n > MAX_ROUNDS)
		n = MAX_ROUNDS;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t t0 = rdtsc();
		compose_damage(r);
		compose_flush();
		uint64_t t1 = rdtsc();
		nc_gfx_copy_to_display(&desk.fb, r.x, r.y, &desk.back, r.x, r.y, r.w, r.h, desk.rgbx);
		t[i] = t1 - t0;
		c[i] = rdtsc() - t1;
	}
	nc_sort(t, n, sizeof t[0], cmp_u64, NULL);
	nc_sort(c, n, sizeof c[0], cmp_u64, NULL);
	*compose_tsc = n ? t[n / 2] : 0;
	*copy_tsc = n ? c[n / 2] : 0;
}
