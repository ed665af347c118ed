/* lib/term beyond what pyte can check (term_pyte_test.py does the screen):
 * scrollback and the view, selection text, dirty rows, bright colours,
 * resizing, key sequences, allocation failures. Host and libtests. */
#include "nc_test.h"
#include <nc/mem.h>
#include <nc/term.h>

static uint8_t pool[1 << 20];
static size_t used;
static int live, fail_at, calls;

static void *bump(void *ctx, size_t n)
{
	(void)ctx;
	if (++calls == fail_at || used + n > sizeof pool)
		return NULL;
	void *p = pool + used;
	used += (n + 15) & ~(size_t)15;
	live++;
	return p;
}

static void drop(void *ctx, void *p)
{
	(void)ctx;
	(void)p;
	live--;
}

static const nc_term_alloc_t al = { NULL, bump, drop };

static nc_term_t *make(int cols, int rows, int sb)
{
	used = 0;
	live = calls = fail_at = 0;
	nc_term_t *t = NULL;
	return nc_term_create(cols, rows, sb, &al, &t) == NC_TERM_OK ? t : NULL;
}

static void put(nc_term_t *t, const char *s)
{
	nc_term_write(t, s, nc_str_len(s));
}

static bool row_is(const nc_term_t *t, int row, const char *text)
{
	int cols, rows;
	nc_term_size(t, &cols, &rows);
	size_t n = nc_str_len(text);
	for (int c = 0; c < cols; c++)
		if (nc_term_cell(t, row, c)->cp != (c < (int)n ? (uint32_t)(uint8_t)text[c] : ' '))
			return false;
	return true;
}

NC_TEST(term, scrollback_and_view)
{
	nc_term_t *t = make(10, 3, 4);
	NC_CHECK(t != NULL);
	put(t, "l1\r\nl2\r\nl3\r\nl4\r\nl5\r\nl6\r\nl7");
	NC_CHECK(row_is(t, 0, "l5") && row_is(t, 2, "l7"));
	NC_CHECK_EQ(nc_term_scrollback_lines(t), 4);
	NC_CHECK_EQ(nc_term_scroll_view(t, 2), 2);
	NC_CHECK(row_is(t, 0, "l3") && row_is(t, 2, "l5"));
	int r, c;
	bool vis;
	nc_term_cursor(t, &r, &c, &vis);
	NC_CHECK(!vis);
	NC_CHECK_EQ(nc_term_scroll_view(t, 100), 4); /* clamped: l1..l4 kept */
	NC_CHECK(row_is(t, 0, "l1"));
	put(t, "!"); /* output brings the view back down */
	NC_CHECK(row_is(t, 2, "l7!"));
	nc_term_destroy(t);
	NC_CHECK_EQ(live, 0);
}

NC_TEST(term, selection_joins_wrapped_lines_and_drops_trailing_blanks)
{
	nc_term_t *t = make(8, 4, 10);
	NC_CHECK(t != NULL);
	put(t, "abcdefghij\r\nxy   \r\nlast");
	/* rows: "abcdefgh" (wrapped), "ij", "xy", "last" */
	nc_term_select_start(t, 0, 2);
	nc_term_select_extend(t, 3, 2);
	NC_CHECK(nc_term_selected(t, 0, 2) && !nc_term_selected(t, 0, 1) && !nc_term_selected(t, 3, 2));
	char buf[64];
	size_t n = nc_term_selection_text(t, buf, sizeof buf - 1);
	buf[n] = 0;
	NC_CHECK_STR(buf, "cdefghij\nxy\nla");
	nc_term_select_start(t, 2, 5); /* backwards */
	nc_term_select_extend(t, 0, 6);
	n = nc_term_selection_text(t, buf, sizeof buf - 1);
	buf[n] = 0;
	NC_CHECK_STR(buf, "ghij\nxy");
	put(t, "\x1b[H\xc3\xa9\xe2\x82\xac");
	nc_term_select_start(t, 0, 0);
	nc_term_select_extend(t, 0, 2);
	n = nc_term_selection_text(t, buf, sizeof buf - 1);
	buf[n] = 0;
	NC_CHECK_STR(buf, "\xc3\xa9\xe2\x82\xac");
	NC_CHECK_EQ(nc_term_selection_text(t, buf, 4), 2); /* whole characters only */
	nc_term_select_clear(t);
	NC_CHECK_EQ(nc_term_selection_text(t, buf, sizeof buf), 0);
	nc_term_destroy(t);
}

NC_TEST(term, dirty_rows_and_colours)
{
	nc_term_t *t = make(10, 5, 0);
	NC_CHECK(t != NULL);
	uint64_t d[(NC_TERM_ROWS_MAX + 63) / 64];
	nc_term_take_dirty(t, d);
	put(t, "\x1b[3;1H\x1b[91;104mx");
	nc_term_take_dirty(t, d);
	NC_CHECK_EQ(d[0], 1u << 2);
	const nc_term_cell_t *c = nc_term_cell(t, 2, 0);
	NC_CHECK(c->fg == 9 && c->bg == 12);
	nc_term_take_dirty(t, d);
	NC_CHECK_EQ(d[0], 0);
	nc_term_destroy(t);
}

NC_TEST(term, resize_keeps_text_and_cursor_inside)
{
	nc_term_t *t = make(10, 5, 0);
	NC_CHECK(t != NULL);
	put(t, "a\r\nb\r\nc\r\nd\r\nhello");
	NC_CHECK_EQ(nc_term_resize(t, 4, 2), NC_TERM_OK);
	NC_CHECK(row_is(t, 0, "d") && row_is(t, 1, "hell"));
	int r, c;
	bool vis;
	nc_term_cursor(t, &r, &c, &vis);
	NC_CHECK(r == 1 && c == 3);
	NC_CHECK_EQ(nc_term_resize(t, 0, 2), NC_TERM_ERR_RANGE);
	NC_CHECK_EQ(nc_term_resize(t, NC_TERM_COLS_MAX + 1, 2), NC_TERM_ERR_RANGE);
	nc_term_destroy(t);
}

NC_TEST(term, every_allocation_failure_is_nomem)
{
	for (int k = 1;; k++) {
		used = 0;
		live = calls = 0;
		fail_at = k;
		nc_term_t *t = NULL;
		nc_term_err_t err = nc_term_create(20, 10, 5, &al, &t);
		if (!err) {
			NC_CHECK(calls < k);
			nc_term_destroy(t);
			NC_CHECK_EQ(live, 0);
			break;
		}
		NC_CHECK_EQ(err, NC_TERM_ERR_NOMEM);
		NC_CHECK_EQ(live, 0);
	}
}

static const char *key(uint16_t code, unsigned mods)
{
	static char buf[16];
	size_t n = nc_term_key_bytes(code, mods, buf, sizeof buf - 1);
	buf[n] = 0;
	return buf;
}

NC_TEST(term, xterm_key_sequences)
{
	NC_CHECK_STR(key(103, 0), "\x1b[A");
	NC_CHECK_STR(key(105, 2), "\x1b[1;5D");   /* Ctrl-Left */
	NC_CHECK_STR(key(102, 0), "\x1b[H");
	NC_CHECK_STR(key(111, 0), "\x1b[3~");     /* Delete */
	NC_CHECK_STR(key(104, 1), "\x1b[5;2~");   /* Shift-Page Up */
	NC_CHECK_STR(key(59, 0), "\x1bOP");       /* F1 */
	NC_CHECK_STR(key(88, 0), "\x1b[24~");     /* F12 */
	NC_CHECK_STR(key(30, 0), "");             /* 'a' types text instead */
}
