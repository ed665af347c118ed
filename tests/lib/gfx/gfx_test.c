/* lib/gfx: regions against a pixel model (random rectangles on a small grid,
 * each operation checked cell by cell, disjointness included), clipping of
 * fills and copies at every edge, the blend formula, the display conversion.
 * Runs on the host and in NexaCore (libtests). */
#include "nc_test.h"
#include <nc/gfx.h>
#include <nc/mem.h>

enum { G = 48 };

static uint32_t rng_state = 12345;
static int rnd(int n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (int)((rng_state >> 8) % (uint32_t)n);
}

static nc_gfx_rect_t random_rect(void)
{
	return nc_gfx_rect(rnd(G + 8) - 4, rnd(G + 8) - 4, rnd(G / 2) - 2, rnd(G / 2) - 2);
}

/* Paint the model: cells inside r get value v. */
static void model_set(uint8_t m[G][G], nc_gfx_rect_t r, uint8_t v)
{
	for (int y = 0; y < G; y++)
		for (int x = 0; x < G; x++)
			if (!nc_gfx_rect_empty(r) && nc_gfx_rect_contains(r, x, y))
				m[y][x] = v;
}

/* Count how many region rectangles cover each cell (inside the grid). */
static bool region_matches(const nc_gfx_region_t *rg, uint8_t m[G][G], bool exact)
{
	static uint8_t cover[G][G];
	nc_mem_set(cover, 0, sizeof cover);
	for (int i = 0; i < rg->n; i++)
		for (int y = 0; y < G; y++)
			for (int x = 0; x < G; x++)
				cover[y][x] += nc_gfx_rect_contains(rg->r[i], x, y);
	for (int y = 0; y < G; y++)
		for (int x = 0; x < G; x++) {
			if (cover[y][x] > 1)
				return false; /* rectangles overlap */
			if (m[y][x] && !cover[y][x])
				return false; /* lost a pixel */
			if (exact && !m[y][x] && cover[y][x])
				return false;
		}
	return true;
}

NC_TEST(gfx, region_add_and_subtract_match_a_pixel_model)
{
	static uint8_t m[G][G];
	nc_gfx_rect_t grid = nc_gfx_rect(0, 0, G, G);
	int exact_runs = 0;
	for (int run = 0; run < 300; run++) {
		nc_gfx_region_t rg;
		nc_gfx_region_clear(&rg);
		nc_mem_set(m, 0, sizeof m);
		bool exact = true;
		for (int op = 0; op < 12; op++) {
			nc_gfx_rect_t r = random_rect();
			int before = rg.n;
			if (rnd(3)) {
				nc_gfx_region_add(&rg, r);
				model_set(m, r, 1);
				if (rg.n == 1 && before > 1)
					exact = false; /* collapsed to the bounding box */
			} else if (exact) {
				if (nc_gfx_region_subtract(&rg, r))
					model_set(m, r, 0);
				else
					exact = false;
			}
			nc_gfx_region_clip(&rg, grid);
			NC_CHECK(region_matches(&rg, m, exact));
		}
		uint64_t area = 0;
		for (int y = 0; y < G; y++)
			for (int x = 0; x < G; x++)
				area += m[y][x];
		if (exact) {
			NC_CHECK_EQ(nc_gfx_region_area(&rg), area);
			exact_runs++;
		}
	}
	NC_CHECK(exact_runs > 200);
}

NC_TEST(gfx, rect_operations)
{
	nc_gfx_rect_t a = nc_gfx_rect(10, 10, 20, 5), b = nc_gfx_rect(25, 0, 100, 12);
	nc_gfx_rect_t i = nc_gfx_rect_intersect(a, b), u = nc_gfx_rect_union(a, b);
	NC_CHECK(i.x == 25 && i.y == 10 && i.w == 5 && i.h == 2);
	NC_CHECK(u.x == 10 && u.y == 0 && u.w == 115 && u.h == 15);
	NC_CHECK(nc_gfx_rect_empty(nc_gfx_rect_intersect(a, nc_gfx_rect(30, 10, 5, 5))));
	/* edges far out do not overflow */
	nc_gfx_rect_t huge = nc_gfx_rect(0x7fffff00, 0x7fffff00, 0x7fffffff, 0x7fffffff);
	NC_CHECK(nc_gfx_rect_empty(nc_gfx_rect_intersect(a, huge)));
	NC_CHECK(!nc_gfx_rect_contains(huge, 0, 0));
	NC_CHECK(nc_gfx_rect_contains(huge, 0x7fffffff, 0x7fffffff));
}

NC_TEST(gfx, fills_and_copies_clip_at_every_edge)
{
	static uint32_t px[8 * 10], src_px[4 * 4];
	nc_gfx_surface_t s = { px, 8, 6, 10 }, src = { src_px, 4, 4, 4 };
	for (int i = 0; i < 16; i++)
		src_px[i] = (uint32_t)(100 + i);
	for (int dy = -5; dy <= 7; dy++)
		for (int dx = -5; dx <= 9; dx++) {
			nc_mem_set(px, 0, sizeof px);
			nc_gfx_copy(&s, dx, dy, &src, 0, 0, 4, 4);
			nc_gfx_fill(&s, nc_gfx_rect(dx - 1, dy + 4, 6, 1), 7);
			for (int y = 0; y < 8; y++)
				for (int x = 0; x < 10; x++) {
					uint32_t want = 0;
					if (y < 6 && x < 8) {
						if (x >= dx && x < dx + 4 && y >= dy && y < dy + 4)
							want = (uint32_t)(100 + (y - dy) * 4 + (x - dx));
						if (y == dy + 4 && x >= dx - 1 && x < dx + 5)
							want = 7;
					}
					NC_CHECK_EQ(px[y * 10 + x], want); /* stride padding untouched too */
				}
		}
	/* a source rectangle partly outside the source */
	nc_mem_set(px, 0, sizeof px);
	nc_gfx_copy(&s, 0, 0, &src, 2, -1, 4, 4);
	NC_CHECK_EQ(px[0], 0);
	NC_CHECK_EQ(px[10], 102);
	NC_CHECK_EQ(px[11], 103);
	NC_CHECK_EQ(px[12], 0);
}

NC_TEST(gfx, blend_formula_and_display_order)
{
	static uint32_t px[3 * 256];
	nc_gfx_surface_t s = { px, 256, 3, 256 };
	static uint8_t mask[3 * 256];
	for (int y = 0; y < 3; y++)
		for (int x = 0; x < 256; x++)
			mask[y * 256 + x] = (uint8_t)x;
	nc_gfx_fill(&s, nc_gfx_rect(0, 0, 256, 1), 0x000000);
	nc_gfx_fill(&s, nc_gfx_rect(0, 1, 256, 1), 0x204060);
	nc_gfx_fill(&s, nc_gfx_rect(0, 2, 256, 1), 0xffffff);
	nc_gfx_blend_mask(&s, nc_gfx_rect(0, 0, 256, 3), 0, 0, mask, 256, 3, 256, 0xffffff);
	for (int a = 0; a < 256; a++) {
		NC_CHECK_EQ(px[a], (uint32_t)a * 0x010101); /* white over black: the coverage itself */
		uint32_t r = (255u * (uint32_t)a + 0x20u * (255u - (uint32_t)a) + 127) / 255;
		uint32_t g = (255u * (uint32_t)a + 0x40u * (255u - (uint32_t)a) + 127) / 255;
		uint32_t b = (255u * (uint32_t)a + 0x60u * (255u - (uint32_t)a) + 127) / 255;
		NC_CHECK_EQ(px[256 + a], r << 16 | g << 8 | b);
		NC_CHECK_EQ(px[512 + a], 0xffffff);
	}
	/* clipped: nothing outside clip changes */
	nc_gfx_fill(&s, nc_gfx_rect(0, 0, 256, 1), 0);
	nc_gfx_blend_mask(&s, nc_gfx_rect(10, 0, 5, 1), 0, 0, mask, 256, 1, 256, 0xffffff);
	for (int a = 0; a < 256; a++)
		NC_CHECK_EQ(px[a], a >= 10 && a < 15 ? (uint32_t)a * 0x010101 : 0);
	uint32_t one = 0x112233, out = 0;
	nc_gfx_surface_t from = { &one, 1, 1, 1 }, to = { &out, 1, 1, 1 };
	nc_gfx_copy_to_display(&to, 0, 0, &from, 0, 0, 1, 1, true);
	NC_CHECK_EQ(out, 0x332211);
	nc_gfx_copy_to_display(&to, 0, 0, &from, 0, 0, 1, 1, false);
	NC_CHECK_EQ(out, 0x112233);
}
