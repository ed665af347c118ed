/* lib/term's parser (nc/term.h): bytes to screen operations. States follow
 * the VT500 parser's shape (ground, escape, CSI with parameters, OSC string,
 * charset designation); sequences and their defaults follow xterm's ctlseqs.
 * Parameters past PARAMS_MAX are dropped; each is capped at 9999. */
#include "term_impl.h"
#include <nc/fmt.h>
#include <nc/mem.h>

enum { TAB = 8, PARAM_CAP = 9999 };

void term_reset(nc_term_t *t)
{
	t->pen = (term_pen_t){ NC_TERM_DEFAULT, NC_TERM_DEFAULT, 0 };
	t->autowrap = t->cursor_visible = true;
	t->origin = false;
	t->cur_row = t->cur_col = 0;
	t->wrap_pending = false;
	t->top = 0;
	t->bottom = t->rows ? t->rows - 1 : 0;
	t->state = ST_GROUND;
	t->saved.row = t->saved.col = 0;
	t->saved.pen = t->pen;
	t->saved.origin = false;
	for (int r = 0; r < t->rows; r++) {
		term_blank(t, t->lines[r]->cells, t->cols);
		t->lines[r]->wrapped = false;
		term_dirty(t, r);
	}
}

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Move the cursor (rows relative to the region in origin mode). */
static void go(nc_term_t *t, int row, int col)
{
	int lo = t->origin ? t->top : 0, hi = t->origin ? t->bottom : t->rows - 1;
	t->cur_row = clampi(row + (t->origin ? t->top : 0), lo, hi);
	t->cur_col = clampi(col, 0, t->cols - 1);
	t->wrap_pending = false;
}

static void line_feed(nc_term_t *t)
{
	t->wrap_pending = false;
	if (t->cur_row == t->bottom)
		term_scroll_up(t, t->top, t->bottom, 1);
	else if (t->cur_row < t->rows - 1)
		t->cur_row++;
}

static void reverse_index(nc_term_t *t)
{
	t->wrap_pending = false;
	if (t->cur_row == t->top)
		term_scroll_down(t, t->top, t->bottom, 1);
	else if (t->cur_row > 0)
		t->cur_row--;
}

static void put_char(nc_term_t *t, uint32_t cp)
{
	if (t->wrap_pending && t->autowrap) {
		t->lines[t->cur_row]->wrapped = true;
		t->cur_col = 0;
		line_feed(t);
	}
	t->wrap_pending = false;
	t->lines[t->cur_row]->cells[t->cur_col] = (nc_term_cell_t){ cp, t->pen.fg, t->pen.bg, t->pen.attr };
	term_dirty(t, t->cur_row);
	if (t->cur_col == t->cols - 1)
		t->wrap_pending = true;
	else
		t->cur_col++;
}

static void erase_cells(nc_term_t *t, int row, int from, int to)
{
	from = clampi(from, 0, t->cols);
	to = clampi(to, 0, t->cols);
	if (to > from)
		term_blank(t, t->lines[row]->cells + from, to - from);
	term_dirty(t, row);
}

static void erase_rows(nc_term_t *t, int from, int to)
{
	for (int r = from; r < to; r++) {
		erase_cells(t, r, 0, t->cols);
		t->lines[r]->wrapped = false;
	}
}

static void reply(nc_term_t *t, const char *s, size_t n)
{
	if (t->reply_len + n <= sizeof t->reply) {
		nc_mem_copy(t->reply + t->reply_len, s, n);
		t->reply_len += n;
	}
}

size_t nc_term_take_reply(nc_term_t *t, char *buf, size_t max)
{
	size_t n = t->reply_len < max ? t->reply_len : max;
	nc_mem_copy(buf, t->reply, n);
	nc_mem_move(t->reply, t->reply + n, t->reply_len - n);
	t->reply_len -= n;
	return n;
}

static int param(const nc_term_t *t, int i, int dflt)
{
	return i < t->n_params && t->params[i] ? t->params[i] : dflt;
}

static void sgr(nc_term_t *t)
{
	if (t->n_params == 0)
		t->n_params = 1, t->params[0] = 0;
	for (int i = 0; i < t->n_params; i++) {
		int p = t->params[i];
		if (p == 0)
			t->pen = (term_pen_t){ NC_TERM_DEFAULT, NC_TERM_DEFAULT, 0 };
		else if (p == 1)
			t->pen.attr |= NC_TERM_BOLD;
		else if (p == 4)
			t->pen.attr |= NC_TERM_UNDERLINE;
		else if (p == 7)
			t->pen.attr |= NC_TERM_REVERSE;
		else if (p == 22)
			t->pen.attr &= (uint8_t)~NC_TERM_BOLD;
		else if (p == 24)
			t->pen.attr &= (uint8_t)~NC_TERM_UNDERLINE;
		else if (p == 27)
			t->pen.attr &= (uint8_t)~NC_TERM_REVERSE;
		else if (p >= 30 && p <= 37)
			t->pen.fg = (uint16_t)(p - 30);
		else if (p == 39)
			t->pen.fg = NC_TERM_DEFAULT;
		else if (p >= 40 && p <= 47)
			t->pen.bg = (uint16_t)(p - 40);
		else if (p == 49)
			t->pen.bg = NC_TERM_DEFAULT;
		else if (p >= 90 && p <= 97)
			t->pen.fg = (uint16_t)(p - 90 + 8);
		else if (p >= 100 && p <= 107)
			t->pen.bg = (uint16_t)(p - 100 + 8);
		else if ((p == 38 || p == 48) && i + 2 < t->n_params && t->params[i + 1] == 5) {
			uint16_t c = (uint16_t)clampi(t->params[i + 2], 0, 255);
			if (p == 38)
				t->pen.fg = c;
			else
				t->pen.bg = c;
			i += 2;
		}
	}
}

static void set_mode(nc_term_t *t, bool on)
{
	for (int i = 0; i < t->n_params && t->private_marker; i++) {
		if (t->params[i] == 25)
			t->cursor_visible = on;
		else if (t->params[i] == 7)
			t->autowrap = on;
		else if (t->params[i] == 6) {
			t->origin = on;
			go(t, 0, 0);
		}
	}
}

static void insert_chars(nc_term_t *t, int n)
{
	nc_term_cell_t *c = t->lines[t->cur_row]->cells;
	n = clampi(n, 0, t->cols - t->cur_col);
	nc_mem_move(c + t->cur_col + n, c + t->cur_col, (size_t)(t->cols - t->cur_col - n) * sizeof *c);
	term_blank(t, c + t->cur_col, n);
	term_dirty(t, t->cur_row);
}

static void delete_chars(nc_term_t *t, int n)
{
	nc_term_cell_t *c = t->lines[t->cur_row]->cells;
	n = clampi(n, 0, t->cols - t->cur_col);
	nc_mem_move(c + t->cur_col, c + t->cur_col + n, (size_t)(t->cols - t->cur_col - n) * sizeof *c);
	term_blank(t, c + t->cols - n, n);
	term_dirty(t, t->cur_row);
}

static void device_status(nc_term_t *t)
{
	if (param(t, 0, 0) == 5) {
		reply(t, "\x1b[0n", 4);
	} else if (param(t, 0, 0) == 6) {
		char buf[32];
		size_t n = nc_fmt_format(buf, sizeof buf, "\x1b[%d;%dR", t->cur_row + 1 - (t->origin ? t->top : 0),
					 t->cur_col + 1);
		reply(t, buf, n);
	}
}

/* CUU/CUD: stop at the scroll region's edge when starting inside it, else at
 * the screen's (xterm). */
static void vertical(nc_term_t *t, int n)
{
	int lo = t->cur_row >= t->top ? t->top : 0, hi = t->cur_row <= t->bottom ? t->bottom : t->rows - 1;
	t->cur_row = clampi(t->cur_row + n, lo, hi);
	t->wrap_pending = false;
}

static void csi(nc_term_t *t, char final)
{
	int n = param(t, 0, 1);
	switch (final) {
	case 'A': vertical(t, -n); break;
	case 'B': vertical(t, n); break;
	case 'C': go(t, t->cur_row - (t->origin ? t->top : 0), t->cur_col + n); break;
	case 'D': go(t, t->cur_row - (t->origin ? t->top : 0), t->cur_col - n); break;
	case 'E': go(t, t->cur_row + n - (t->origin ? t->top : 0), 0); break;
	case 'F': go(t, t->cur_row - n - (t->origin ? t->top : 0), 0); break;
	case 'G': case '`': go(t, t->cur_row - (t->origin ? t->top : 0), n - 1); break;
	case 'd': go(t, n - 1, t->cur_col); break;
	case 'H': case 'f': go(t, param(t, 0, 1) - 1, param(t, 1, 1) - 1); break;
	case 'J':
		if (param(t, 0, 0) == 0) {
			erase_cells(t, t->cur_row, t->cur_col, t->cols);
			erase_rows(t, t->cur_row + 1, t->rows);
		} else if (param(t, 0, 0) == 1) {
			erase_rows(t, 0, t->cur_row);
			erase_cells(t, t->cur_row, 0, t->cur_col + 1);
		} else if (param(t, 0, 0) == 2 || param(t, 0, 0) == 3) {
			erase_rows(t, 0, t->rows);
		}
		break;
	case 'K':
		if (param(t, 0, 0) == 0)
			erase_cells(t, t->cur_row, t->cur_col, t->cols);
		else if (param(t, 0, 0) == 1)
			erase_cells(t, t->cur_row, 0, t->cur_col + 1);
		else if (param(t, 0, 0) == 2)
			erase_cells(t, t->cur_row, 0, t->cols);
		break;
	case 'L':
		if (t->cur_row >= t->top && t->cur_row <= t->bottom) {
			term_scroll_down(t, t->cur_row, t->bottom, clampi(n, 0, t->bottom - t->cur_row + 1));
			t->cur_col = 0;
		}
		break;
	case 'M':
		if (t->cur_row >= t->top && t->cur_row <= t->bottom) {
			term_scroll_up(t, t->cur_row, t->bottom, clampi(n, 0, t->bottom - t->cur_row + 1));
			t->cur_col = 0;
		}
		break;
	case '@': insert_chars(t, n); break;
	case 'P': delete_chars(t, n); break;
	case 'X': erase_cells(t, t->cur_row, t->cur_col, t->cur_col + n); break;
	case 'S': term_scroll_up(t, t->top, t->bottom, clampi(n, 0, t->bottom - t->top + 1)); break;
	case 'T': term_scroll_down(t, t->top, t->bottom, clampi(n, 0, t->bottom - t->top + 1)); break;
	case 'm': sgr(t); break;
	case 'r': {
		int top = param(t, 0, 1) - 1, bottom = param(t, 1, t->rows) - 1;
		if (top < bottom && bottom < t->rows) {
			t->top = top;
			t->bottom = bottom;
			go(t, 0, 0);
		}
		break;
	}
	case 's':
	case 'u':
		break; /* handled as ESC 7 / ESC 8 by the caller */
	case 'h': set_mode(t, true); break;
	case 'l': set_mode(t, false); break;
	case 'n': device_status(t); break;
	case 'c':
		if (!t->private_marker && param(t, 0, 0) == 0)
			reply(t, "\x1b[?1;2c", 7);
		break;
	default: break;
	}
}

static void save_cursor(nc_term_t *t)
{
	t->saved.row = t->cur_row;
	t->saved.col = t->cur_col;
	t->saved.pen = t->pen;
	t->saved.origin = t->origin;
}

static void restore_cursor(nc_term_t *t)
{
	t->origin = t->saved.origin;
	t->pen = t->saved.pen;
	t->cur_row = clampi(t->saved.row, 0, t->rows - 1);
	t->cur_col = clampi(t->saved.col, 0, t->cols - 1);
	t->wrap_pending = false;
}

static void control(nc_term_t *t, uint8_t b)
{
	switch (b) {
	case '\b': /* from the pending wrap too: the cursor is on the last column */
		if (t->cur_col > 0)
			t->cur_col--;
		t->wrap_pending = false;
		break;
	case '\t':
		t->cur_col = clampi((t->cur_col / TAB + 1) * TAB, 0, t->cols - 1);
		t->wrap_pending = false;
		break;
	case '\n': case 0x0b: case 0x0c: line_feed(t); break;
	case '\r': t->cur_col = 0; t->wrap_pending = false; break;
	case 0x1b: t->state = ST_ESC; break;
	default: break; /* BEL, SO, SI, NUL and the rest draw nothing */
	}
}

static void escape(nc_term_t *t, uint8_t b)
{
	t->state = ST_GROUND;
	switch (b) {
	case '[':
		t->state = ST_CSI;
		t->n_params = 0;
		t->private_marker = false;
		nc_mem_set(t->params, 0, sizeof t->params);
		break;
	case ']': t->state = ST_OSC; break;
	case '(': case ')': case '*': case '+': t->state = ST_CHARSET; break;
	case '7': save_cursor(t); break;
	case '8': restore_cursor(t); break;
	case 'D': line_feed(t); break;
	case 'E': t->cur_col = 0; line_feed(t); break;
	case 'M': reverse_index(t); break;
	case 'c': term_reset(t); break;
	default: break;
	}
}

static void csi_byte(nc_term_t *t, uint8_t b)
{
	if (b >= '0' && b <= '9') {
		if (t->n_params == 0)
			t->n_params = 1;
		int *p = &t->params[t->n_params - 1];
		*p = *p * 10 + (b - '0') > PARAM_CAP ? PARAM_CAP : *p * 10 + (b - '0');
	} else if (b == ';') {
		if (t->n_params == 0)
			t->n_params = 1;
		if (t->n_params < PARAMS_MAX)
			t->n_params++;
	} else if (b == '?' || b == '>' || b == '=') {
		t->private_marker = true;
	} else if (b >= 0x40 && b <= 0x7e) {
		t->state = ST_GROUND;
		if (b == 's' && !t->private_marker)
			save_cursor(t);
		else if (b == 'u' && !t->private_marker)
			restore_cursor(t);
		else
			csi(t, (char)b);
	} else if (b < 0x20) {
		control(t, b); /* C0 controls act inside a sequence too */
	}
}

static void ground(nc_term_t *t, uint8_t b)
{
	if (t->utf8_left) {
		if ((b & 0xc0) == 0x80) {
			t->utf8_cp = t->utf8_cp << 6 | (b & 0x3f);
			if (--t->utf8_left == 0)
				put_char(t, t->utf8_cp);
			return;
		}
		t->utf8_left = 0;
		put_char(t, 0xfffd);
	}
	if (b < 0x20 || b == 0x7f) {
		if (b != 0x7f)
			control(t, b);
	} else if (b < 0x80) {
		put_char(t, b);
	} else if (b >= 0xc2 && b <= 0xdf) {
		t->utf8_cp = b & 0x1f, t->utf8_left = 1;
	} else if (b >= 0xe0 && b <= 0xef) {
		t->utf8_cp = b & 0x0f, t->utf8_left = 2;
	} else if (b >= 0xf0 && b <= 0xf4) {
		t->utf8_cp = b & 0x07, t->utf8_left = 3;
	} else {
		put_char(t, 0xfffd);
	}
}

void nc_term_write(nc_term_t *t, const void *bytes, size_t len)
{
	const uint8_t *p = bytes;
	if (len) {
		nc_term_select_clear(t);
		nc_term_scroll_view(t, -t->view);
	}
	for (size_t i = 0; i < len; i++) {
		uint8_t b = p[i];
		switch (t->state) {
		case ST_GROUND: ground(t, b); break;
		case ST_ESC: escape(t, b); break;
		case ST_CSI: csi_byte(t, b); break;
		case ST_OSC:
			if (b == 0x07)
				t->state = ST_GROUND;
			else if (b == 0x1b)
				t->state = ST_OSC_ESC;
			break;
		case ST_OSC_ESC: t->state = b == '\\' ? ST_GROUND : ST_OSC; break;
		case ST_CHARSET: t->state = ST_GROUND; break;
		}
	}
}
