/* lib/font: scalable TrueType fonts (the DejaVu fonts of Debian's
 * fonts-dejavu-core), rasterised with anti-aliasing by stb_truetype, which the
 * build compiles freestanding from Debian's libstb source package
 * (lib/font/build.mk). A font is the file's bytes plus an allocator; a face is
 * the font at one pixel height with a cache of rendered glyphs.
 *
 * Trust: stb_truetype does not defend against malicious font files (its own
 * documentation says so). NexaCore loads only the fonts of its measured
 * initrd; a file that fails the header checks gives NC_FONT_ERR_FORMAT.
 *
 * Layout rule (also what the reference renderer of tests/lib/font follows):
 * each glyph's advance is kept in 1/64 pixel, round(advance * scale * 64) in
 * float arithmetic, the pen moves by it, and a glyph is drawn at the whole
 * pixel nearest to the pen ((pen64 + 32) >> 6). No kerning.
 *
 * Not thread-safe: one thread uses a face at a time (each app has its own). */
#ifndef NC_FONT_H
#define NC_FONT_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
	NC_FONT_OK = 0,
	NC_FONT_ERR_FORMAT,    /* not a TrueType font stb_truetype can read */
	NC_FONT_ERR_NOMEM,     /* the allocator returned NULL */
	NC_FONT_ERR_RANGE,     /* a pixel height outside NC_FONT_PX_MIN..NC_FONT_PX_MAX */
} nc_font_err_t;

enum { NC_FONT_PX_MIN = 4, NC_FONT_PX_MAX = 256 };

/* Memory supplier: alloc returns size_bytes (any alignment up to 16) or NULL;
 * free takes back what alloc returned (never NULL). */
typedef struct {
	void *ctx;
	void *(*alloc)(void *ctx, size_t size_bytes);
	void (*free)(void *ctx, void *ptr);
} nc_font_alloc_t;

typedef struct nc_font nc_font_t;
typedef struct nc_font_face nc_font_face_t;

/* One rendered glyph: an 8-bit coverage bitmap (0 none, 255 full), w x h,
 * row after row; its top-left pixel is at (pen_x + x_off, baseline + y_off). */
typedef struct {
	uint32_t codepoint;
	int16_t x_off, y_off;
	uint16_t w, h;
	int32_t advance64;     /* pen advance in 1/64 pixel */
	const uint8_t *coverage;
} nc_font_glyph_t;

/* Open the font in ttf[0..len_bytes): borrowed, keep it alive and unchanged
 * while the font and its faces live. *alloc is copied. Errors: FORMAT, NOMEM. */
nc_font_err_t nc_font_create(const uint8_t *ttf, size_t len_bytes, const nc_font_alloc_t *alloc,
			     nc_font_t **out);
/* Free the font; destroy its faces first. NULL is ignored. */
void nc_font_destroy(nc_font_t *font);

/* The font at px_height pixels (ascent - descent, as stbtt_ScaleForPixelHeight
 * takes it). Errors: RANGE, NOMEM. */
nc_font_err_t nc_font_face_create(nc_font_t *font, int px_height, nc_font_face_t **out);
/* Free the face and every glyph it rendered. NULL is ignored. */
void nc_font_face_destroy(nc_font_face_t *face);

/* Vertical metrics of a face in whole pixels: ascent above the baseline
 * (positive), descent below it (positive), line height (ascent + descent +
 * line gap, the distance between baselines). */
typedef struct {
	int ascent, descent, line_height;
} nc_font_metrics_t;
void nc_font_face_metrics(const nc_font_face_t *face, nc_font_metrics_t *out);

/* The glyph for codepoint, rendered on first use and cached with the face
 * (the pointer stays valid until the face is destroyed). A codepoint the
 * font lacks gives the font's missing-glyph shape. Errors: NOMEM. */
nc_font_err_t nc_font_face_glyph(nc_font_face_t *face, uint32_t codepoint, const nc_font_glyph_t **out);

/* Width in whole pixels of text (UTF-8 as nc/utf8.h decodes it, len_bytes) by the layout rule: the
 * pen's final position rounded. Errors: NOMEM (a glyph could not be made). */
nc_font_err_t nc_font_face_measure(nc_font_face_t *face, const char *text, size_t len_bytes, int *width_out);

const char *nc_font_err_name(nc_font_err_t err);

#endif
