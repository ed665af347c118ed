/* terminal: the desktop's terminal emulator (docs/desktop.md). A window
 * showing lib/term's screen in DejaVu Sans Mono, with the shell running
 * inside: the shell's terminal is a channel (user/shell/tty.c) whose other
 * end is here, so everything the shell and its programs print comes to this
 * window and every key typed in it goes to the shell.
 *
 * Handles: 1 the window's connection; then the capabilities the shell gets
 * (the session passes its own), the last being fs.read on /fonts (ours).
 *
 * Keys: text as typed (Ctrl-letters are control characters), other keys as
 * an xterm sends them; Shift+Page Up/Down scroll back; Shift+Insert or the
 * middle button pastes the desktop's clipboard. Mouse: drag with the left
 * button to select (the selection goes on the clipboard when the button is
 * let go, as X's primary selection does), the wheel scrolls back. Output is parsed as it comes; the window is
 * redrawn (the rows that changed) whenever the compositor has taken the last
 * frame, so a fast producer costs one redraw per frame, not per byte. */
#include <nc/desktop.h>
#include <nc/keymap.h>
#include <nc/mem.h>
#include <nc/term.h>
#include <nc/utf8.h>

enum {
	TAG_CONN = 1, TAG_TTY = 2, TAG_TICK = 3,
	COLS = 80, ROWS = 24, FONT_PX = 15, SCROLLBACK = 2000, PAD = 2,
	FG_DEFAULT = 0xd3d7cf, BG_DEFAULT = 0x1c1f24, SELECTION = 0x44607a, CURSOR = 0xe0e0a0,
	KEY_PAGEUP = 104, KEY_PAGEDOWN = 109, KEY_INSERT = 110,
};
#define TICK_NS (250ull * 1000 * 1000)

static struct {
	desk_window_t win;
	nc_inbox_t inbox;
	nc_term_t *term;
	desk_font_t font;
	int cell_w, cell_h, ascent;
	uint64_t tty, shell_pid;
	uint64_t dirty[(NC_TERM_ROWS_MAX + 63) / 64];
	int cur_row, cur_col;        /* where the cursor was last drawn */
	bool selecting;
} T;

/* xterm's 16 colours, then the 6x6x6 cube and the grey ramp. */
static uint32_t palette(uint16_t i)
{
	static const uint32_t base[16] = { 0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd,
					   0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff,
					   0x00ffff, 0xffffff };
	if (i < 16)
		return base[i];
	if (i < 232) {
		static const uint8_t level[6] = { 0, 95, 135, 175, 215, 255 };
		i -= 16;
		return (uint32_t)level[i / 36] << 16 | (uint32_t)level[i / 6 % 6] << 8 | level[i % 6];
	}
	uint32_t g = 8 + (uint32_t)(i - 232) * 10;
	return g << 16 | g << 8 | g;
}

static void mark_row(int r)
{
	if (r >= 0 && r < NC_TERM_ROWS_MAX)
		T.dirty[r / 64] |= 1ull << (r % 64);
}

static void draw_row(int r)
{
	int cols, rows, cr, cc;
	bool cursor_visible;
	nc_term_size(T.term, &cols, &rows);
	nc_term_cursor(T.term, &cr, &cc, &cursor_visible);
	if (cc >= cols)
		cc = cols - 1;
	int y = PAD + r * T.cell_h;
	nc_gfx_rect_t line = nc_gfx_rect(0, y, T.win.surf.w, T.cell_h);
	nc_gfx_fill(&T.win.surf, line, BG_DEFAULT);
	for (int c = 0; c < cols; c++) {
		const nc_term_cell_t *x = nc_term_cell(T.term, r, c);
		uint32_t fg = x->fg == NC_TERM_DEFAULT ? FG_DEFAULT : palette(x->fg);
		uint32_t bg = x->bg == NC_TERM_DEFAULT ? BG_DEFAULT : palette(x->bg);
		if ((x->attr & NC_TERM_BOLD) && x->fg < 8)
			fg = palette((uint16_t)(x->fg + 8));
		if (x->attr & NC_TERM_REVERSE) {
			uint32_t t = fg;
			fg = bg;
			bg = t;
		}
		if (nc_term_selected(T.term, r, c))
			bg = SELECTION;
		if (cursor_visible && r == cr && c == cc) {
			bg = CURSOR;
			fg = BG_DEFAULT;
		}
		int x0 = PAD + c * T.cell_w;
		nc_gfx_rect_t cell = nc_gfx_rect(x0, y, T.cell_w, T.cell_h);
		if (bg != BG_DEFAULT)
			nc_gfx_fill(&T.win.surf, cell, bg);
		if (x->cp != ' ') {
			char u[NC_UTF8_MAX_BYTES];
			size_t n = nc_utf8_encode(x->cp, u);
			nc_gfx_text(&T.win.surf, cell, T.font.face, x0, y + T.ascent, fg, u, n, NULL);
		}
		if (x->attr & NC_TERM_UNDERLINE)
			nc_gfx_fill(&T.win.surf, nc_gfx_rect(x0, y + T.cell_h - 2, T.cell_w, 1), fg);
	}
	desk_window_dirty(&T.win, line);
}

/* Draw what changed, if the compositor has taken the last frame. */
static void redraw(void)
{
	uint64_t d[(NC_TERM_ROWS_MAX + 63) / 64];
	nc_term_take_dirty(T.term, d);
	for (int i = 0; i < (NC_TERM_ROWS_MAX + 63) / 64; i++)
		T.dirty[i] |= d[i];
	int cr, cc, cols, rows;
	bool vis;
	nc_term_cursor(T.term, &cr, &cc, &vis);
	nc_term_size(T.term, &cols, &rows);
	if (cr != T.cur_row || cc != T.cur_col) {
		mark_row(T.cur_row);
		mark_row(cr);
	}
	if (T.win.busy || !T.win.configured)
		return;
	T.cur_row = cr;
	T.cur_col = cc;
	for (int r = 0; r < rows; r++)
		if (T.dirty[r / 64] & (1ull << (r % 64)))
			draw_row(r);
	nc_mem_set(T.dirty, 0, sizeof T.dirty);
	desk_window_flush(&T.win);
}

static void send_tty(const char *s, size_t n)
{
	while (n) {
		size_t k = n < NC_SYS_IPC_MSG_MAX_BYTES ? n : NC_SYS_IPC_MSG_MAX_BYTES;
		if (nc_sys_ipc_send(T.tty, s, k, NULL, 0, NC_SYS_TIMEOUT_INFINITE))
			return;
		s += k;
		n -= k;
	}
}

/* The selection onto the desktop's clipboard. */
static void copy(void)
{
	static char buf[WP_CLIP_MAX];
	size_t n = nc_term_selection_text(T.term, buf, sizeof buf);
	if (n)
		desk_clip_set(&T.win, buf, n);
}

/* The clipboard arrived: type it (line ends as Enter). */
static void paste(const desk_clip_t *c)
{
	static char buf[WP_CLIP_MAX];
	for (size_t i = 0; i < c->len && i < sizeof buf; i++)
		buf[i] = c->text[i] == '\n' ? '\r' : c->text[i];
	send_tty(buf, c->len < sizeof buf ? c->len : sizeof buf);
}

static void on_key(const wp_key_t *k)
{
	if (!k->pressed)
		return;
	int cols, rows;
	nc_term_size(T.term, &cols, &rows);
	if ((k->mods & WP_MOD_SHIFT) && (k->code == KEY_PAGEUP || k->code == KEY_PAGEDOWN)) {
		nc_term_scroll_view(T.term, k->code == KEY_PAGEUP ? rows / 2 : -rows / 2);
		return;
	}
	if ((k->mods & WP_MOD_SHIFT) && k->code == KEY_INSERT) {
		desk_clip_request(&T.win);
		return;
	}
	if (k->text_len) {
		send_tty(k->text, k->text_len);
		return;
	}
	char seq[16];
	size_t n = nc_term_key_bytes(k->code, k->mods, seq, sizeof seq);
	send_tty(seq, n);
}

static void cell_at(int x, int y, int *row, int *col)
{
	int cols, rows;
	nc_term_size(T.term, &cols, &rows);
	int r = (y - PAD) / T.cell_h, c = (x - PAD + T.cell_w / 2) / T.cell_w;
	*row = r < 0 ? 0 : r >= rows ? rows - 1 : r;
	*col = c < 0 ? 0 : c > cols ? cols : c;
}

static void on_pointer(const wp_pointer_t *p)
{
	int row, col;
	cell_at(p->x, p->y, &row, &col);
	if (p->kind == WP_POINTER_PRESS && p->button == WP_BUTTON_LEFT) {
		nc_term_select_start(T.term, row, col);
		T.selecting = true;
	} else if (p->kind == WP_POINTER_MOVE && T.selecting) {
		nc_term_select_extend(T.term, row, col);
	} else if (p->kind == WP_POINTER_RELEASE && p->button == WP_BUTTON_LEFT) {
		T.selecting = false;
		copy();
	} else if (p->kind == WP_POINTER_PRESS && p->button == WP_BUTTON_MIDDLE) {
		desk_clip_request(&T.win);
	} else if (p->kind == WP_POINTER_WHEEL) {
		nc_term_scroll_view(T.term, p->wheel * 3);
	}
}

static void on_resized(void)
{
	int cols = (T.win.surf.w - 2 * PAD) / T.cell_w, rows = (T.win.surf.h - 2 * PAD) / T.cell_h;
	cols = cols < 1 ? 1 : cols > NC_TERM_COLS_MAX ? NC_TERM_COLS_MAX : cols;
	rows = rows < 1 ? 1 : rows > NC_TERM_ROWS_MAX ? NC_TERM_ROWS_MAX : rows;
	nc_term_resize(T.term, cols, rows);
	nc_gfx_fill(&T.win.surf, nc_gfx_rect(0, 0, T.win.surf.w, T.win.surf.h), BG_DEFAULT);
	for (int r = 0; r < rows; r++)
		mark_row(r);
}

static bool start(void)
{
	if (desk_font_load(&T.font, DESK_FONT_MONO, FONT_PX))
		return false;
	const nc_font_glyph_t *m;
	nc_font_metrics_t fm;
	if (nc_font_face_glyph(T.font.face, 'M', &m))
		return false;
	nc_font_face_metrics(T.font.face, &fm);
	T.cell_w = (m->advance64 + 32) >> 6;
	T.cell_h = fm.line_height;
	T.ascent = fm.ascent;
	static const nc_term_alloc_t al = { NULL, desk_alloc, desk_free };
	if (nc_term_create(COLS, ROWS, SCROLLBACK, &al, &T.term))
		return false;
	/* the shell gets its end of the terminal channel and our capabilities */
	static nc_sys_handle_info_t info[NC_SYS_HANDLES_MAX];
	uint64_t e[2], hs[NC_SYS_SPAWN_HANDLES_MAX], n = 0, k;
	if (nc_sys_ipc_create_channel(e) || nc_sys_handle_list(0, info, NC_SYS_HANDLES_MAX, &k))
		return false;
	T.tty = e[0];
	hs[n++] = e[1];
	for (uint64_t i = 0; i < k && i < NC_SYS_HANDLES_MAX && n < NC_SYS_SPAWN_HANDLES_MAX; i++)
		if (info[i].type == NC_SYS_HANDLE_CAP)
			hs[n++] = info[i].handle;
	if (nc_sys_process_spawn("shell", 5, "", 0, hs, n, &T.shell_pid))
		return false;
	nc_sys_handle_close(e[1]);
	return !nc_inbox_init(&T.inbox) &&
	       !desk_window_create(&T.win, DESK_CONNECTION, COLS * T.cell_w + 2 * PAD, ROWS * T.cell_h + 2 * PAD, 0,
				   "Terminal") &&
	       !nc_inbox_watch(&T.inbox, DESK_CONNECTION, TAG_CONN) && !nc_inbox_watch(&T.inbox, T.tty, TAG_TTY);
}

/* The shell has ended (or the window was closed): end. */
static int finish(void)
{
	uint64_t status, pid;
	nc_sys_process_kill(T.shell_pid);
	nc_sys_process_wait(T.shell_pid, &status, NC_SYS_TIMEOUT_INFINITE, &pid);
	return 0;
}

int main(const char *arg, size_t arg_len)
{
	if (!start() || nc_inbox_tick(&T.inbox, TAG_TICK, TICK_NS))
		return 1;
	for (;;) {
		static nc_inbox_msg_t m;
		if (nc_inbox_receive(&T.inbox, &m, NC_SYS_TIMEOUT_INFINITE))
			continue;
		if (m.tag == TAG_TTY) {
			if (m.closed)
				return finish();
			nc_term_write(T.term, m.data, m.len);
			char reply[NC_TERM_REPLY_MAX];
			size_t n = nc_term_take_reply(T.term, reply, sizeof reply);
			send_tty(reply, n);
		} else if (m.tag == TAG_TICK) {
			uint64_t status, pid;
			if (nc_sys_process_wait(T.shell_pid, &status, 0, &pid) == NC_SYS_OK)
				return 0;
		} else {
			const void *ev;
			switch (desk_window_event(&T.win, &m, &ev)) {
			case DESK_EV_RESIZED: on_resized(); break;
			case DESK_EV_KEY: on_key(ev); break;
			case DESK_EV_POINTER: on_pointer(ev); break;
			case DESK_EV_CLIP: paste(ev); break;
			case DESK_EV_CLOSE: case DESK_EV_GONE: return finish();
			default: break;
			}
		}
		redraw();
	}
}
