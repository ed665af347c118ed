/* Rectangles and regions (nc/gfx.h). A region is a short list of disjoint
 * rectangles: adding splits the new rectangle against the ones there, and
 * subtracting splits each one into at most four pieces (above, below, left,
 * right of the hole), as X11's region code does band by band, without bands. */
#include <nc/gfx.h>

/* Edges are computed in 64 bits: x + w of any two ints fits. */
static int64_t min_i(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max_i(int64_t a, int64_t b) { return a > b ? a : b; }

bool nc_gfx_rect_empty(nc_gfx_rect_t r)
{
	return r.w <= 0 || r.h <= 0;
}

nc_gfx_rect_t nc_gfx_rect_intersect(nc_gfx_rect_t a, nc_gfx_rect_t b)
{
	int64_t x0 = max_i(a.x, b.x), y0 = max_i(a.y, b.y);
	int64_t x1 = min_i((int64_t)a.x + a.w, (int64_t)b.x + b.w), y1 = min_i((int64_t)a.y + a.h, (int64_t)b.y + b.h);
	if (x1 <= x0 || y1 <= y0 || nc_gfx_rect_empty(a) || nc_gfx_rect_empty(b))
		return nc_gfx_rect(0, 0, 0, 0);
	return nc_gfx_rect((int)x0, (int)y0, (int)(x1 - x0), (int)(y1 - y0));
}

nc_gfx_rect_t nc_gfx_rect_union(nc_gfx_rect_t a, nc_gfx_rect_t b)
{
	if (nc_gfx_rect_empty(a))
		return b;
	if (nc_gfx_rect_empty(b))
		return a;
	int64_t x0 = min_i(a.x, b.x), y0 = min_i(a.y, b.y);
	int64_t x1 = max_i((int64_t)a.x + a.w, (int64_t)b.x + b.w), y1 = max_i((int64_t)a.y + a.h, (int64_t)b.y + b.h);
	return nc_gfx_rect((int)x0, (int)y0, (int)(x1 - x0), (int)(y1 - y0));
}

bool nc_gfx_rect_contains(nc_gfx_rect_t r, int x, int y)
{
	return x >= r.x && y >= r.y && x < (int64_t)r.x + r.w && y < (int64_t)r.y + r.h;
}

void nc_gfx_region_clear(nc_gfx_region_t *rg)
{
	rg->n = 0;
}

static nc_gfx_rect_t bounds(const nc_gfx_region_t *rg)
{
	nc_gfx_rect_t b = nc_gfx_rect(0, 0, 0, 0);
	for (int i = 0; i < rg->n; i++)
		b = nc_gfx_rect_union(b, rg->r[i]);
	return b;
}

/* The pieces of r outside hole (at most 4) into out; returns how many. */
static int cut(nc_gfx_rect_t r, nc_gfx_rect_t hole, nc_gfx_rect_t out[4])
{
	nc_gfx_rect_t in = nc_gfx_rect_intersect(r, hole);
	if (nc_gfx_rect_empty(in)) {
		out[0] = r;
		return 1;
	}
	int n = 0;
	if (in.y > r.y)
		out[n++] = nc_gfx_rect(r.x, r.y, r.w, in.y - r.y);
	if (in.y + in.h < r.y + r.h)
		out[n++] = nc_gfx_rect(r.x, in.y + in.h, r.w, r.y + r.h - in.y - in.h);
	if (in.x > r.x)
		out[n++] = nc_gfx_rect(r.x, in.y, in.x - r.x, in.h);
	if (in.x + in.w < r.x + r.w)
		out[n++] = nc_gfx_rect(in.x + in.w, in.y, r.x + r.w - in.x - in.w, in.h);
	return n;
}

static void collapse(nc_gfx_region_t *rg, nc_gfx_rect_t extra)
{
	rg->r[0] = nc_gfx_rect_union(bounds(rg), extra);
	rg->n = 1;
}

void nc_gfx_region_add(nc_gfx_region_t *rg, nc_gfx_rect_t r)
{
	if (nc_gfx_rect_empty(r))
		return;
	/* the parts of r no rectangle of the region covers yet */
	nc_gfx_rect_t todo[NC_GFX_REGION_MAX], next[NC_GFX_REGION_MAX];
	int n = 1;
	todo[0] = r;
	for (int i = 0; i < rg->n && n; i++) {
		int m = 0;
		for (int k = 0; k < n; k++) {
			nc_gfx_rect_t pieces[4];
			int np = cut(todo[k], rg->r[i], pieces);
			if (m + np > NC_GFX_REGION_MAX) {
				collapse(rg, r);
				return;
			}
			for (int j = 0; j < np; j++)
				next[m++] = pieces[j];
		}
		for (int k = 0; k < m; k++)
			todo[k] = next[k];
		n = m;
	}
	if (rg->n + n > NC_GFX_REGION_MAX) {
		collapse(rg, r);
		return;
	}
	for (int k = 0; k < n; k++)
		rg->r[rg->n++] = todo[k];
}

bool nc_gfx_region_subtract(nc_gfx_region_t *rg, nc_gfx_rect_t hole)
{
	nc_gfx_region_t out = { 0 };
	for (int i = 0; i < rg->n; i++) {
		nc_gfx_rect_t pieces[4];
		int np = cut(rg->r[i], hole, pieces);
		if (out.n + np > NC_GFX_REGION_MAX)
			return false;
		for (int j = 0; j < np; j++)
			out.r[out.n++] = pieces[j];
	}
	*rg = out;
	return true;
}

void nc_gfx_region_clip(nc_gfx_region_t *rg, nc_gfx_rect_t r)
{
	int m = 0;
	for (int i = 0; i < rg->n; i++) {
		nc_gfx_rect_t in = nc_gfx_rect_intersect(rg->r[i], r);
		if (!nc_gfx_rect_empty(in))
			rg->r[m++] = in;
	}
	rg->n = m;
}

uint64_t nc_gfx_region_area(const nc_gfx_region_t *rg)
{
	uint64_t a = 0;
	for (int i = 0; i < rg->n; i++)
		a += (uint64_t)rg->r[i].w * (uint64_t)rg->r[i].h;
	return a;
}
