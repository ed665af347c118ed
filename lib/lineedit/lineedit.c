/* Line editor state machine (see nc/lineedit.h). Every edit but typing at the
 * end of the line (which just echoes) ends with redraw(): carriage return,
 * prompt, the whole line, erase to end of line, and the cursor moved back;
 * simple, and right on any ANSI terminal. */
#include <nc/lineedit.h>
#include <nc/fmt.h>
#include <nc/mem.h>

enum { KEY_CTRL_A = 1, KEY_CTRL_B = 2, KEY_CTRL_C = 3, KEY_CTRL_D = 4, KEY_CTRL_E = 5,
       KEY_CTRL_F = 6, KEY_BS = 8, KEY_TAB = 9, KEY_LF = 10, KEY_CTRL_K = 11, KEY_CTRL_L = 12,
       KEY_CR = 13, KEY_CTRL_N = 14, KEY_CTRL_P = 16, KEY_CTRL_U = 21, KEY_ESC = 27,
       KEY_DEL = 127 };
enum { ESC_NONE, ESC_GOT_ESC, ESC_CSI, ESC_SS3 };

static void out(nc_le_t *le, const char *s, size_t n) { le->write(le->write_ctx, s, n); }
static void outs(nc_le_t *le, const char *s) { out(le, s, nc_str_len(s)); }

static bool is_cont(char c) { return ((unsigned char)c & 0xc0) == 0x80; }

static size_t code_points(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += !is_cont(s[i]);
	return k;
}

static void redraw(nc_le_t *le)
{
	outs(le, "\r");
	outs(le, le->prompt);
	out(le, le->line, le->len);
	outs(le, "\x1b[K");
	size_t back = code_points(le->line + le->cursor, le->len - le->cursor);
	if (back) {
		char seq[24];
		size_t n = nc_fmt_format(seq, sizeof seq, "\x1b[%zuD", back);
		out(le, seq, n);
	}
}

void nc_le_start(nc_le_t *le)
{
	le->len = le->cursor = 0;
	le->line[0] = 0;
	le->browse = 0;
	le->esc_state = ESC_NONE;
	outs(le, le->prompt);
}

void nc_le_set_prompt(nc_le_t *le, const char *prompt)
{
	size_t n = nc_str_len_max(prompt, NC_LE_PROMPT_MAX - 1);
	nc_mem_copy(le->prompt, prompt, n);
	le->prompt[n] = 0;
}

void nc_le_init(nc_le_t *le, nc_le_write_fn write, void *ctx, const char *prompt)
{
	nc_mem_set(le, 0, sizeof *le);
	le->write = write;
	le->write_ctx = ctx;
	nc_le_set_prompt(le, prompt);
	nc_le_start(le);
}

void nc_le_set_completer(nc_le_t *le, nc_le_complete_fn fn, void *ctx)
{
	le->complete = fn;
	le->complete_ctx = ctx;
}

const char *nc_le_line(const nc_le_t *le) { return le->line; }

const char *nc_le_history(const nc_le_t *le, size_t k)
{
	size_t kept = le->n_history < NC_LE_HISTORY ? le->n_history : NC_LE_HISTORY;
	if (k == 0 || k > kept)
		return NULL;
	return le->history[(le->n_history - k) % NC_LE_HISTORY];
}

static bool insert(nc_le_t *le, const char *s, size_t n)
{
	if (le->len + n >= NC_LE_LINE_MAX) {
		outs(le, "\a");
		return false;
	}
	nc_mem_move(le->line + le->cursor + n, le->line + le->cursor, le->len - le->cursor + 1);
	nc_mem_copy(le->line + le->cursor, s, n);
	le->len += n;
	le->cursor += n;
	return true;
}

static void erase(nc_le_t *le, size_t from, size_t to)
{
	nc_mem_move(le->line + from, le->line + to, le->len - to + 1);
	le->len -= to - from;
	le->cursor = from;
}

static size_t prev_boundary(const nc_le_t *le, size_t i)
{
	while (i > 0 && is_cont(le->line[--i]))
		;
	return i;
}

static size_t next_boundary(const nc_le_t *le, size_t i)
{
	if (i < le->len)
		i++;
	while (i < le->len && is_cont(le->line[i]))
		i++;
	return i;
}

static void set_line(nc_le_t *le, const char *s)
{
	size_t n = nc_str_len(s);
	nc_mem_copy(le->line, s, n + 1);
	le->len = le->cursor = n;
}

/* Move through history by delta (+1 older, -1 newer). */
static void browse(nc_le_t *le, int delta)
{
	size_t target = le->browse + (size_t)(delta > 0 ? 1 : -1);
	if ((delta < 0 && le->browse == 0) || (delta > 0 && !nc_le_history(le, target)))
		return;
	if (le->browse == 0)
		nc_mem_copy(le->draft, le->line, le->len + 1);
	le->browse = target;
	set_line(le, target ? nc_le_history(le, target) : le->draft);
}

static void remember(nc_le_t *le)
{
	const char *last = nc_le_history(le, 1);
	if (le->len == 0 || (last && nc_str_compare(last, le->line) == 0))
		return;
	nc_mem_copy(le->history[le->n_history % NC_LE_HISTORY], le->line, le->len + 1);
	le->n_history++;
}

/* Tab: one candidate completes (plus a space); several extend to their common
 * prefix, or are listed when there is nothing to extend. */
static void complete(nc_le_t *le)
{
	const char *cand[NC_LE_MAX_CANDIDATES];
	if (!le->complete)
		return;
	size_t n = le->complete(le->complete_ctx, le->line, le->cursor, cand, NC_LE_MAX_CANDIDATES);
	if (n == 0) {
		outs(le, "\a");
		return;
	}
	size_t common = nc_str_len(cand[0]);
	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (k < common && cand[i][k] == cand[0][k])
			k++;
		common = k;
	}
	if (common > le->cursor) {
		insert(le, cand[0] + le->cursor, common - le->cursor);
		if (n == 1)
			insert(le, " ", 1);
		return;
	}
	outs(le, "\r\n");
	for (size_t i = 0; i < n; i++) {
		outs(le, cand[i]);
		outs(le, i + 1 < n ? "  " : "\r\n");
	}
}

static nc_le_event_t finish(nc_le_t *le, nc_le_event_t ev)
{
	le->cursor = le->len;
	redraw(le);
	outs(le, ev == NC_LE_CANCEL ? "^C\r\n" : "\r\n");
	if (ev == NC_LE_LINE)
		remember(le);
	le->browse = 0;
	return ev;
}

/* The final byte of a CSI or SS3 sequence. */
static void escape_final(nc_le_t *le, uint8_t b)
{
	switch (b) {
	case 'A': browse(le, +1); break;
	case 'B': browse(le, -1); break;
	case 'C': le->cursor = next_boundary(le, le->cursor); break;
	case 'D': le->cursor = prev_boundary(le, le->cursor); break;
	case 'H': le->cursor = 0; break;
	case 'F': le->cursor = le->len; break;
	case '~':
		if (le->esc_param == 3 && le->cursor < le->len)
			erase(le, le->cursor, next_boundary(le, le->cursor));
		else if (le->esc_param == 1 || le->esc_param == 7)
			le->cursor = 0;
		else if (le->esc_param == 4 || le->esc_param == 8)
			le->cursor = le->len;
		break;
	default: break; /* unknown sequences are ignored */
	}
}

/* Returns true when b was consumed by the escape-sequence parser. */
static bool feed_escape(nc_le_t *le, uint8_t b)
{
	switch (le->esc_state) {
	case ESC_GOT_ESC:
		le->esc_state = b == '[' ? ESC_CSI : b == 'O' ? ESC_SS3 : ESC_NONE;
		le->esc_param = 0;
		return true;
	case ESC_CSI:
		if (b >= '0' && b <= '9') {
			if (le->esc_param < 1000)
				le->esc_param = le->esc_param * 10 + (b - '0');
			return true;
		}
		if (b == ';')
			return true;
		__attribute__((fallthrough)); /* any other byte is the final byte */
	case ESC_SS3:
		le->esc_state = ESC_NONE;
		escape_final(le, b);
		redraw(le);
		return true;
	default:
		return false;
	}
}

static nc_le_event_t feed_control(nc_le_t *le, uint8_t b)
{
	switch (b) {
	case KEY_CR:
	case KEY_LF:
		return finish(le, NC_LE_LINE);
	case KEY_CTRL_C: return finish(le, NC_LE_CANCEL);
	case KEY_CTRL_D:
		if (le->len == 0)
			return finish(le, NC_LE_EOF);
		if (le->cursor < le->len)
			erase(le, le->cursor, next_boundary(le, le->cursor));
		break;
	case KEY_BS:
	case KEY_DEL:
		if (le->cursor > 0)
			erase(le, prev_boundary(le, le->cursor), le->cursor);
		break;
	case KEY_CTRL_A: le->cursor = 0; break;
	case KEY_CTRL_E: le->cursor = le->len; break;
	case KEY_CTRL_B: le->cursor = prev_boundary(le, le->cursor); break;
	case KEY_CTRL_F: le->cursor = next_boundary(le, le->cursor); break;
	case KEY_CTRL_U: erase(le, 0, le->cursor); break;
	case KEY_CTRL_K: le->len = le->cursor; le->line[le->len] = 0; break;
	case KEY_CTRL_P: browse(le, +1); break;
	case KEY_CTRL_N: browse(le, -1); break;
	case KEY_CTRL_L: outs(le, "\x1b[2J\x1b[H"); break;
	case KEY_TAB: complete(le); break;
	case KEY_ESC: le->esc_state = ESC_GOT_ESC; return NC_LE_NONE;
	default: return NC_LE_NONE; /* other control bytes are ignored */
	}
	redraw(le);
	return NC_LE_NONE;
}

nc_le_event_t nc_le_feed(nc_le_t *le, uint8_t b)
{
	bool after_cr = le->last_was_cr;
	le->last_was_cr = b == KEY_CR;
	if (feed_escape(le, b))
		return NC_LE_NONE;
	if (b == KEY_LF && after_cr)
		return NC_LE_NONE; /* CR LF ends one line, not two */
	if (b < 0x20 || b == KEY_DEL)
		return feed_control(le, b);
	char c = (char)b;
	bool at_end = le->cursor == le->len;
	if (insert(le, &c, 1)) {
		if (at_end)
			out(le, &c, 1); /* typing at the end: echo, no redraw (slow serial lines) */
		else
			redraw(le);
	}
	return NC_LE_NONE;
}
