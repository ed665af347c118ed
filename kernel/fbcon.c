/* Framebuffer text console: 8x16 glyphs from a PSF1 font that the build takes
 * from Debian's psf-unifont package and links in as a blob. PSF1 layout: magic
 * 36 04, mode, glyph height; 256 or 512 glyphs; with mode bit 1 a Unicode table
 * follows (per glyph: UCS-2 code points, 0xFFFF ends the glyph). Characters
 * outside the font's ASCII map print as '?'. The few ANSI sequences the shell
 * sends are interpreted (see csi_final).
 *
 * The text lives in a cell array used as a ring of lines (scrolling moves
 * the ring's top, not the text), and fbcon_write only changes cells: it
 * records which columns of which lines changed and how many lines scrolled
 * by. fbcon_paint puts that on the screen: the pixels move up once for all
 * the lines scrolled since the last paint (or everything is redrawn when a
 * whole screen went by), then the changed cells are drawn. So the work per
 * paint is bounded by one screenful whatever the text (console.c paints
 * after every CONSOLE_CHUNK bytes).
 *
 * While a user process holds the display (DisplayMap, kernel/display.c) the
 * console keeps writing cells only, and fbcon_show redraws the whole screen
 * from them when the kernel takes the framebuffer back. Callers serialise
 * (console.c's lock). */
#include <kernel/console.h>
#include <nc/mem.h>
#include <stdbool.h>
#include <stdint.h>

extern const uint8_t _binary_font_psf_start[];
extern const uint8_t _binary_font_psf_end[];

enum { PSF1_MODE512 = 1, PSF1_MODEHASTAB = 2, GLYPH_W = 8, FG = 0xd0d0d0, BG = 0x101820,
       COLS_MAX = 512, ROWS_MAX = 256 };

static struct {
	volatile uint32_t *px;
	uint32_t width, height, pitch;
	uint32_t cols, rows, col, row;
	uint32_t glyph_h;
	const uint8_t *glyphs;
	uint16_t ascii_glyph[128];   /* glyph index for each ASCII code point */
	bool hidden;                 /* a user process holds the framebuffer: cells only */
	uint32_t top;                /* the cell line shown on screen row 0 */
	uint32_t scrolled;           /* lines scrolled since the last paint */
	uint16_t dirty_lo[ROWS_MAX], dirty_hi[ROWS_MAX]; /* per cell line: columns [lo, hi) changed */
	char cells[ROWS_MAX][COLS_MAX]; /* the text, ' ' for blank; screen row r is line (top + r) % rows */
} fb;

/* Fill ascii_glyph from the Unicode table (or identity without one). */
static int load_font(void)
{
	const uint8_t *f = _binary_font_psf_start;
	size_t len = (size_t)(_binary_font_psf_end - f);
	if (len < 4 || f[0] != 0x36 || f[1] != 0x04)
		return -1;
	uint32_t n = (f[2] & PSF1_MODE512) ? 512 : 256;
	fb.glyph_h = f[3];
	fb.glyphs = f + 4;
	if (4 + (size_t)n * fb.glyph_h > len)
		return -1;
	for (uint32_t c = 0; c < 128; c++)
		fb.ascii_glyph[c] = (uint16_t)c;
	if (!(f[2] & PSF1_MODEHASTAB))
		return 0;
	const uint8_t *t = fb.glyphs + (size_t)n * fb.glyph_h;
	for (uint32_t g = 0; g < n && t + 1 < f + len; t += 2) {
		uint16_t cp = (uint16_t)(t[0] | t[1] << 8);
		if (cp == 0xffff)
			g++;
		else if (cp < 128)
			fb.ascii_glyph[cp] = (uint16_t)g;
	}
	return 0;
}

static uint32_t rgb(uint32_t c, uint32_t format)
{
	return format == NC_BOOT_FB_BGRX ? c : ((c & 0xff) << 16) | (c & 0xff00) | (c >> 16);
}

static uint32_t fg_px, bg_px;

int fbcon_init(const nc_boot_framebuffer_t *info, uint64_t hhdm_base)
{
	if (info->format == NC_BOOT_FB_NONE || load_font() != 0)
		return -1;
	fb.px = (volatile uint32_t *)(hhdm_base + info->phys_base);
	fb.width = info->width_px;
	fb.height = info->height_px;
	fb.pitch = info->pitch_px;
	fb.cols = fb.width / GLYPH_W < COLS_MAX ? fb.width / GLYPH_W : COLS_MAX;
	fb.rows = fb.height / fb.glyph_h < ROWS_MAX ? fb.height / fb.glyph_h : ROWS_MAX;
	fg_px = rgb(FG, info->format);
	bg_px = rgb(BG, info->format);
	nc_mem_set(fb.cells, ' ', sizeof fb.cells);
	fbcon_show(true);
	return 0;
}

static void paint_glyph(uint32_t col, uint32_t row, char ch)
{
	unsigned c = (unsigned char)ch;
	const uint8_t *g = fb.glyphs + (size_t)(c < 128 ? fb.ascii_glyph[c] : fb.ascii_glyph['?']) * fb.glyph_h;
	volatile uint32_t *p = fb.px + (size_t)row * fb.glyph_h * fb.pitch + col * GLYPH_W;
	for (uint32_t y = 0; y < fb.glyph_h; y++, p += fb.pitch)
		for (uint32_t x = 0; x < GLYPH_W; x++)
			p[x] = (g[y] & (0x80 >> x)) ? fg_px : bg_px;
}

/* The cell line on screen row r. */
static char *line_of(uint32_t r)
{
	return fb.cells[(fb.top + r) % fb.rows];
}

static void mark(uint32_t r, uint32_t from_col, uint32_t to_col)
{
	uint32_t l = (fb.top + r) % fb.rows;
	if (fb.dirty_lo[l] >= fb.dirty_hi[l]) {
		fb.dirty_lo[l] = (uint16_t)from_col;
		fb.dirty_hi[l] = (uint16_t)to_col;
		return;
	}
	if (from_col < fb.dirty_lo[l])
		fb.dirty_lo[l] = (uint16_t)from_col;
	if (to_col > fb.dirty_hi[l])
		fb.dirty_hi[l] = (uint16_t)to_col;
}

static void put_cell(uint32_t col, uint32_t row, char ch)
{
	line_of(row)[col] = ch;
	mark(row, col, col + 1);
}

static void forget_changes(void)
{
	fb.scrolled = 0;
	nc_mem_set(fb.dirty_lo, 0, sizeof fb.dirty_lo);
	nc_mem_set(fb.dirty_hi, 0, sizeof fb.dirty_hi);
}

/* Pixel rows [from, to) of the text area to the background colour. */
static void clear_px_rows(size_t from, size_t to)
{
	for (size_t y = from; y < to; y++)
		for (uint32_t x = 0; x < fb.width; x++)
			fb.px[y * fb.pitch + x] = bg_px;
}

static void redraw(void)
{
	clear_px_rows(0, fb.height);
	for (uint32_t r = 0; r < fb.rows; r++)
		for (uint32_t c = 0; c < fb.cols; c++)
			if (line_of(r)[c] != ' ')
				paint_glyph(c, r, line_of(r)[c]);
	forget_changes();
}

void fbcon_show(bool visible)
{
	fb.hidden = !visible;
	if (visible)
		redraw();
}

void fbcon_paint(void)
{
	if (fb.hidden)
		return;
	if (fb.scrolled >= fb.rows) {
		redraw();
		return;
	}
	if (fb.scrolled) {
		size_t row_px = (size_t)fb.glyph_h * fb.pitch, k = fb.scrolled;
		for (size_t i = 0; i < (size_t)(fb.rows - k) * row_px; i++)
			fb.px[i] = fb.px[i + k * row_px];
		clear_px_rows((fb.rows - k) * fb.glyph_h, (size_t)fb.rows * fb.glyph_h);
	}
	for (uint32_t r = 0; r < fb.rows; r++) {
		uint32_t l = (fb.top + r) % fb.rows;
		for (uint32_t c = fb.dirty_lo[l]; c < fb.dirty_hi[l]; c++)
			paint_glyph(c, r, fb.cells[l][c]);
	}
	forget_changes();
}

/* A new blank line at the bottom: the ring's top moves down one line. */
static void scroll(void)
{
	nc_mem_set(fb.cells[fb.top], ' ', sizeof fb.cells[0]);
	fb.dirty_lo[fb.top] = fb.dirty_hi[fb.top] = 0; /* the pixels are cleared by the move */
	fb.top = (fb.top + 1) % fb.rows;
	fb.row = fb.rows - 1;
	fb.scrolled++;
}

static void clear_cells(uint32_t row, uint32_t from_col, uint32_t to_col)
{
	for (uint32_t c = from_col; c < to_col; c++)
		put_cell(c, row, ' ');
}

/* The ECMA-48 control sequences the shell's line editor sends: CSI K (erase
 * to end of line), CSI n C / n D (cursor right/left), CSI 2J (clear), CSI H
 * (home). Others are swallowed. */
static void csi_final(char final, uint32_t n)
{
	if (n == 0)
		n = 1;
	switch (final) {
	case 'K': clear_cells(fb.row, fb.col, fb.cols); break;
	case 'C': fb.col = fb.col + n < fb.cols ? fb.col + n : fb.cols - 1; break;
	case 'D': fb.col = fb.col > n ? fb.col - n : 0; break;
	case 'J':
		for (uint32_t r = 0; r < fb.rows; r++)
			clear_cells(r, 0, fb.cols);
		break;
	case 'H': fb.row = fb.col = 0; break;
	default: break;
	}
}

static struct {
	int state;       /* 0 text, 1 after ESC, 2 inside CSI */
	uint32_t param;
} esc;

/* Returns true when ch belonged to an escape sequence. */
static bool feed_escape(char ch)
{
	if (esc.state == 0 && ch == 0x1b) {
		esc.state = 1;
		return true;
	}
	if (esc.state == 1) {
		esc.state = ch == '[' ? 2 : 0;
		esc.param = 0;
		return true;
	}
	if (esc.state == 2) {
		if (ch >= '0' && ch <= '9')
			esc.param = esc.param < 10000 ? esc.param * 10 + (uint32_t)(ch - '0') : esc.param;
		else if (ch != ';') {
			esc.state = 0;
			csi_final(ch, esc.param);
		}
		return true;
	}
	return false;
}

void fbcon_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (feed_escape(ch))
			continue;
		if (ch == '\n' || fb.col == fb.cols) {
			fb.col = 0;
			if (++fb.row == fb.rows)
				scroll();
			if (ch == '\n')
				continue;
		}
		if (ch == '\r') {
			fb.col = 0;
			continue;
		}
		if (ch == '\b') {
			fb.col = fb.col ? fb.col - 1 : 0;
			continue;
		}
		if ((unsigned char)ch < 0x20)
			continue; /* bell and other controls draw nothing */
		put_cell(fb.col++, fb.row, ch);
	}
}
