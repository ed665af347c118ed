/* lib/font (nc/font.h) over stb_truetype. stb_truetype.h comes from Debian's
 * libstb source package and is included here with its implementation; the
 * build puts its directory on the -isystem path, so our warning set does not
 * apply to it. Freestanding glue: the macros below give it our allocator,
 * memory functions and exact floor/ceil/sqrt/fabs (sqrt and fabs are single
 * SSE instructions, the same IEEE results libm gives on the host, which the
 * reference test relies on). STBTT_STATIC makes every stb function static, so
 * the ones nothing here calls (the SDF renderer, the only user of pow, fmod,
 * cos and acos) are not compiled at all; those four are declared and never
 * defined, so calling one would fail at link time rather than run a stand-in.
 *
 * Glyph cache: open addressing on the code point, grown at half load; each
 * entry is one block (nc_font_glyph_t, then the coverage bitmap). */
#include <nc/font.h>
#include <nc/mem.h>
#include <nc/utf8.h>
#include <stdbool.h>

struct nc_font;
static void *stb_alloc(size_t n, struct nc_font *font);
static void stb_free(void *p, struct nc_font *font);
static int ifloor(double x);
static int iceil(double x);
double nc_font_no_pow(double x, double y);
double nc_font_no_fmod(double x, double y);
double nc_font_no_cos(double x);
double nc_font_no_acos(double x);

#define STBTT_STATIC
#define STB_TRUETYPE_IMPLEMENTATION
#define STBTT_ifloor(x) ifloor(x)
#define STBTT_iceil(x) iceil(x)
#define STBTT_sqrt(x) __builtin_sqrt(x)
#define STBTT_fabs(x) __builtin_fabs(x)
#define STBTT_pow(x, y) nc_font_no_pow(x, y)
#define STBTT_fmod(x, y) nc_font_no_fmod(x, y)
#define STBTT_cos(x) nc_font_no_cos(x)
#define STBTT_acos(x) nc_font_no_acos(x)
#define STBTT_malloc(x, u) stb_alloc(x, (struct nc_font *)(u))
#define STBTT_free(x, u) stb_free(x, (struct nc_font *)(u))
#define STBTT_assert(x) ((void)0)
#define STBTT_strlen(x) nc_str_len(x)
#define STBTT_memcpy nc_mem_copy
#define STBTT_memset nc_mem_set
#include <stb_truetype.h>

enum { CACHE_MIN = 128 };

struct nc_font {
	stbtt_fontinfo info;
	nc_font_alloc_t alloc;
	bool alloc_failed;     /* an allocation stb_truetype asked for failed */
};

struct nc_font_face {
	nc_font_t *font;
	float scale;
	nc_font_metrics_t metrics;
	nc_font_glyph_t **slots; /* n_slots entries, NULL: empty */
	size_t n_slots, n_used;
};

/* Exact for every double: beyond 2^52 a double is already whole. */
static int ifloor(double x)
{
	if (!(__builtin_fabs(x) < 0x1p52))
		return (int)x;
	double t = (double)(long long)x;
	return (int)(t > x ? t - 1 : t);
}

static int iceil(double x)
{
	return -ifloor(-x);
}

static void *stb_alloc(size_t n, struct nc_font *font)
{
	void *p = font->alloc.alloc(font->alloc.ctx, n);
	if (!p)
		font->alloc_failed = true;
	return p;
}

static void stb_free(void *p, struct nc_font *font)
{
	if (p)
		font->alloc.free(font->alloc.ctx, p);
}

nc_font_err_t nc_font_create(const uint8_t *ttf, size_t len_bytes, const nc_font_alloc_t *alloc,
			     nc_font_t **out)
{
	/* the table directory stb_truetype reads first: 12 bytes, then 16 per table */
	if (len_bytes < 12 || len_bytes > 0x7fffffff)
		return NC_FONT_ERR_FORMAT;
	uint32_t n_tables = (uint32_t)ttf[4] << 8 | ttf[5];
	if (12 + 16 * (size_t)n_tables > len_bytes)
		return NC_FONT_ERR_FORMAT;
	nc_font_t *f = alloc->alloc(alloc->ctx, sizeof *f);
	if (!f)
		return NC_FONT_ERR_NOMEM;
	nc_mem_set(f, 0, sizeof *f);
	f->alloc = *alloc;
	int offset = stbtt_GetFontOffsetForIndex(ttf, 0);
	if (offset != 0 || !stbtt_InitFont(&f->info, ttf, offset)) {
		alloc->free(alloc->ctx, f);
		return NC_FONT_ERR_FORMAT;
	}
	f->info.userdata = f;
	*out = f;
	return NC_FONT_OK;
}

void nc_font_destroy(nc_font_t *font)
{
	if (font)
		font->alloc.free(font->alloc.ctx, font);
}

static void *face_alloc(nc_font_t *font, size_t n)
{
	void *p = font->alloc.alloc(font->alloc.ctx, n);
	if (p)
		nc_mem_set(p, 0, n);
	return p;
}

nc_font_err_t nc_font_face_create(nc_font_t *font, int px_height, nc_font_face_t **out)
{
	if (px_height < NC_FONT_PX_MIN || px_height > NC_FONT_PX_MAX)
		return NC_FONT_ERR_RANGE;
	nc_font_face_t *face = face_alloc(font, sizeof *face);
	nc_font_glyph_t **slots = face_alloc(font, CACHE_MIN * sizeof *slots);
	if (!face || !slots) {
		stb_free(face, font);
		stb_free(slots, font);
		return NC_FONT_ERR_NOMEM;
	}
	face->font = font;
	face->slots = slots;
	face->n_slots = CACHE_MIN;
	face->scale = stbtt_ScaleForPixelHeight(&font->info, (float)px_height);
	int ascent, descent, gap;
	stbtt_GetFontVMetrics(&font->info, &ascent, &descent, &gap);
	face->metrics.ascent = ifloor(ascent * face->scale + 0.5f);
	face->metrics.descent = ifloor(-descent * face->scale + 0.5f);
	face->metrics.line_height = face->metrics.ascent + face->metrics.descent + ifloor(gap * face->scale + 0.5f);
	*out = face;
	return NC_FONT_OK;
}

void nc_font_face_destroy(nc_font_face_t *face)
{
	if (!face)
		return;
	for (size_t i = 0; i < face->n_slots; i++)
		stb_free(face->slots[i], face->font);
	stb_free(face->slots, face->font);
	stb_free(face, face->font);
}

void nc_font_face_metrics(const nc_font_face_t *face, nc_font_metrics_t *out)
{
	*out = face->metrics;
}

static size_t slot_of(const nc_font_face_t *face, uint32_t cp)
{
	size_t i = (cp * 2654435761u) & (face->n_slots - 1);
	while (face->slots[i] && face->slots[i]->codepoint != cp)
		i = (i + 1) & (face->n_slots - 1);
	return i;
}

static nc_font_err_t grow(nc_font_face_t *face)
{
	size_t n = face->n_slots * 2;
	nc_font_glyph_t **old = face->slots, **slots = face_alloc(face->font, n * sizeof *slots);
	if (!slots)
		return NC_FONT_ERR_NOMEM;
	size_t old_n = face->n_slots;
	face->slots = slots;
	face->n_slots = n;
	for (size_t i = 0; i < old_n; i++)
		if (old[i])
			slots[slot_of(face, old[i]->codepoint)] = old[i];
	stb_free(old, face->font);
	return NC_FONT_OK;
}

/* Render codepoint into a new cache block (rasteriser scratch included). */
static nc_font_err_t render(nc_font_face_t *face, uint32_t cp, nc_font_glyph_t **out)
{
	nc_font_t *f = face->font;
	int g = stbtt_FindGlyphIndex(&f->info, (int)cp), adv, lsb, x0, y0, x1, y1;
	stbtt_GetGlyphHMetrics(&f->info, g, &adv, &lsb);
	stbtt_GetGlyphBitmapBox(&f->info, g, face->scale, face->scale, &x0, &y0, &x1, &y1);
	int w = x1 > x0 ? x1 - x0 : 0, h = y1 > y0 ? y1 - y0 : 0;
	nc_font_glyph_t *gl = face_alloc(f, sizeof *gl + (size_t)w * (size_t)h);
	if (!gl)
		return NC_FONT_ERR_NOMEM;
	uint8_t *cov = (uint8_t *)(gl + 1);
	f->alloc_failed = false;
	if (w && h)
		stbtt_MakeGlyphBitmap(&f->info, cov, w, h, w, face->scale, face->scale, g);
	if (f->alloc_failed) {
		stb_free(gl, f);
		return NC_FONT_ERR_NOMEM;
	}
	*gl = (nc_font_glyph_t){ .codepoint = cp, .x_off = (int16_t)x0, .y_off = (int16_t)y0,
				 .w = (uint16_t)w, .h = (uint16_t)h,
				 .advance64 = ifloor(adv * face->scale * 64.0f + 0.5f), .coverage = cov };
	*out = gl;
	return NC_FONT_OK;
}

nc_font_err_t nc_font_face_glyph(nc_font_face_t *face, uint32_t codepoint, const nc_font_glyph_t **out)
{
	size_t i = slot_of(face, codepoint);
	if (!face->slots[i]) {
		if ((face->n_used + 1) * 2 > face->n_slots) {
			nc_font_err_t err = grow(face);
			if (err)
				return err;
			i = slot_of(face, codepoint);
		}
		nc_font_err_t err = render(face, codepoint, &face->slots[i]);
		if (err)
			return err;
		face->n_used++;
	}
	*out = face->slots[i];
	return NC_FONT_OK;
}

nc_font_err_t nc_font_face_measure(nc_font_face_t *face, const char *text, size_t len_bytes, int *width_out)
{
	int64_t pen64 = 0;
	for (size_t i = 0; i < len_bytes;) {
		const nc_font_glyph_t *g;
		nc_font_err_t err = nc_font_face_glyph(face, nc_utf8_next(text, len_bytes, &i), &g);
		if (err)
			return err;
		pen64 += g->advance64;
	}
	*width_out = (int)((pen64 + 32) >> 6);
	return NC_FONT_OK;
}

const char *nc_font_err_name(nc_font_err_t err)
{
	switch (err) {
	case NC_FONT_OK: return "ok";
	case NC_FONT_ERR_FORMAT: return "not a TrueType font";
	case NC_FONT_ERR_NOMEM: return "out of memory";
	case NC_FONT_ERR_RANGE: return "pixel height out of range";
	}
	return "unknown error";
}
