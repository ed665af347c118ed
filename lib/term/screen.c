/* lib/term's screen (nc/term.h): the lines, the scrollback ring, the view,
 * dirty rows, selection, resizing. The escape-sequence parser is parse.c;
 * both share term_impl.h. */
#include "term_impl.h"
#include <nc/mem.h>
#include <nc/utf8.h>

static void *talloc(nc_term_t *t, size_t n)
{
	void *p = t->alloc.alloc(t->alloc.ctx, n);
	if (p)
		nc_mem_set(p, 0, n);
	return p;
}

static void tfree(nc_term_t *t, void *p)
{
	if (p)
		t->alloc.free(t->alloc.ctx, p);
}

void term_blank(const nc_term_t *t, nc_term_cell_t *c, int n)
{
	for (int i = 0; i < n; i++)
		c[i] = (nc_term_cell_t){ ' ', t->pen.fg, t->pen.bg, 0 };
}

static nc_term_cell_t default_blank = { ' ', NC_TERM_DEFAULT, NC_TERM_DEFAULT, 0 };

nc_term_err_t nc_term_create(int cols, int rows, int scrollback_lines, const nc_term_alloc_t *alloc,
			     nc_term_t **out)
{
	if (scrollback_lines < 0 || scrollback_lines > NC_TERM_SCROLLBACK_MAX)
		return NC_TERM_ERR_RANGE;
	nc_term_t *t = alloc->alloc(alloc->ctx, sizeof *t);
	if (!t)
		return NC_TERM_ERR_NOMEM;
	nc_mem_set(t, 0, sizeof *t);
	t->alloc = *alloc;
	t->sb_cap = scrollback_lines;
	if (t->sb_cap && !(t->sb = talloc(t, (size_t)t->sb_cap * sizeof t->sb[0]))) {
		tfree(t, t);
		return NC_TERM_ERR_NOMEM;
	}
	term_reset(t);
	nc_term_err_t err = nc_term_resize(t, cols, rows);
	if (err) {
		nc_term_destroy(t);
		return err;
	}
	*out = t;
	return NC_TERM_OK;
}

void nc_term_destroy(nc_term_t *t)
{
	if (!t)
		return;
	for (int r = 0; r < NC_TERM_ROWS_MAX; r++)
		tfree(t, t->lines[r]);
	for (int i = 0; i < t->sb_count; i++)
		tfree(t, t->sb[(t->sb_first + i) % t->sb_cap]);
	tfree(t, t->sb);
	tfree(t, t);
}

nc_term_err_t nc_term_resize(nc_term_t *t, int cols, int rows)
{
	if (cols < 1 || cols > NC_TERM_COLS_MAX || rows < 1 || rows > NC_TERM_ROWS_MAX)
		return NC_TERM_ERR_RANGE;
	term_line_t *fresh[NC_TERM_ROWS_MAX] = { 0 };
	for (int r = 0; r < rows; r++)
		if (!(fresh[r] = talloc(t, sizeof(term_line_t) + (size_t)cols * sizeof(nc_term_cell_t)))) {
			for (int k = 0; k < r; k++)
				tfree(t, fresh[k]);
			return NC_TERM_ERR_NOMEM;
		}
	/* keep the bottom rows when shrinking (where the cursor usually is) */
	int drop = t->rows > rows && t->cur_row >= rows ? t->cur_row - rows + 1 : 0;
	for (int r = 0; r < rows; r++) {
		term_line_t *n = fresh[r];
		n->len = (uint16_t)cols;
		for (int c = 0; c < cols; c++)
			n->cells[c] = default_blank;
		const term_line_t *o = r + drop < t->rows ? t->lines[r + drop] : NULL;
		if (o) {
			nc_mem_copy(n->cells, o->cells, (size_t)(o->len < cols ? o->len : cols) * sizeof n->cells[0]);
			n->wrapped = o->wrapped;
		}
	}
	for (int r = 0; r < NC_TERM_ROWS_MAX; r++) {
		tfree(t, t->lines[r]);
		t->lines[r] = fresh[r];
	}
	t->cols = cols;
	t->rows = rows;
	t->top = 0;
	t->bottom = rows - 1;
	t->cur_row -= drop;
	if (t->cur_row >= rows)
		t->cur_row = rows - 1;
	if (t->cur_col >= cols)
		t->cur_col = cols - 1;
	t->wrap_pending = false;
	t->view = 0;
	nc_term_select_clear(t);
	term_dirty_all(t);
	return NC_TERM_OK;
}

void nc_term_size(const nc_term_t *t, int *cols, int *rows)
{
	*cols = t->cols;
	*rows = t->rows;
}

void term_dirty(nc_term_t *t, int screen_row)
{
	int v = screen_row + t->view;
	if (v >= 0 && v < t->rows)
		t->dirty[v / 64] |= 1ull << (v % 64);
}

void term_dirty_all(nc_term_t *t)
{
	for (int r = 0; r < t->rows; r++)
		t->dirty[r / 64] |= 1ull << (r % 64);
}

void nc_term_take_dirty(nc_term_t *t, uint64_t dirty[(NC_TERM_ROWS_MAX + 63) / 64])
{
	nc_mem_copy(dirty, t->dirty, sizeof t->dirty);
	nc_mem_set(t->dirty, 0, sizeof t->dirty);
}

/* Put a copy of screen line 0 into the scrollback (dropping the oldest when
 * full). Out of memory: the line is not kept. */
static void push_scrollback(nc_term_t *t, const term_line_t *l)
{
	if (!t->sb_cap)
		return;
	int len = l->len;
	while (len && l->cells[len - 1].cp == ' ' && l->cells[len - 1].bg == NC_TERM_DEFAULT &&
	       !(l->cells[len - 1].attr & NC_TERM_REVERSE))
		len--;
	term_line_t *copy = talloc(t, sizeof *copy + (size_t)len * sizeof copy->cells[0]);
	if (!copy)
		return;
	copy->len = (uint16_t)len;
	copy->wrapped = l->wrapped;
	nc_mem_copy(copy->cells, l->cells, (size_t)len * sizeof copy->cells[0]);
	if (t->sb_count == t->sb_cap) {
		tfree(t, t->sb[t->sb_first]);
		t->sb_first = (t->sb_first + 1) % t->sb_cap;
		t->sb_count--;
		t->sel_a.line--; /* every absolute line moved up by one */
		t->sel_b.line--;
	}
	t->sb[(t->sb_first + t->sb_count) % t->sb_cap] = copy;
	t->sb_count++;
}

void term_scroll_up(nc_term_t *t, int top, int bottom, int n)
{
	for (int k = 0; k < n; k++) {
		term_line_t *gone = t->lines[top];
		if (top == 0 && bottom == t->rows - 1)
			push_scrollback(t, gone);
		for (int r = top; r < bottom; r++)
			t->lines[r] = t->lines[r + 1];
		t->lines[bottom] = gone;
		term_blank(t, gone->cells, t->cols);
		gone->wrapped = false;
	}
	for (int r = top; r <= bottom; r++)
		term_dirty(t, r);
}

void term_scroll_down(nc_term_t *t, int top, int bottom, int n)
{
	for (int k = 0; k < n; k++) {
		term_line_t *gone = t->lines[bottom];
		for (int r = bottom; r > top; r--)
			t->lines[r] = t->lines[r - 1];
		t->lines[top] = gone;
		term_blank(t, gone->cells, t->cols);
		gone->wrapped = false;
	}
	for (int r = top; r <= bottom; r++)
		term_dirty(t, r);
}

/* The line at absolute index a (0 = the oldest scrollback line). */
static const term_line_t *line_at(const nc_term_t *t, int a)
{
	if (a < 0)
		return NULL;
	if (a < t->sb_count)
		return t->sb[(t->sb_first + a) % t->sb_cap];
	a -= t->sb_count;
	return a < t->rows ? t->lines[a] : NULL;
}

static int absolute(const nc_term_t *t, int view_row)
{
	return t->sb_count - t->view + view_row;
}

const nc_term_cell_t *nc_term_cell(const nc_term_t *t, int row, int col)
{
	const term_line_t *l = line_at(t, absolute(t, row));
	return l && col >= 0 && col < l->len ? &l->cells[col] : &default_blank;
}

void nc_term_cursor(const nc_term_t *t, int *row, int *col, bool *visible)
{
	*row = t->cur_row;
	*col = t->wrap_pending ? t->cols : t->cur_col;
	*visible = t->cursor_visible && t->view == 0;
}

int nc_term_scroll_view(nc_term_t *t, int delta)
{
	int v = t->view + delta;
	v = v < 0 ? 0 : v > t->sb_count ? t->sb_count : v;
	if (v != t->view) {
		t->view = v;
		term_dirty_all(t);
	}
	return v;
}

int nc_term_scrollback_lines(const nc_term_t *t)
{
	return t->sb_count;
}

void nc_term_select_start(nc_term_t *t, int row, int col)
{
	t->sel_a = t->sel_b = (term_pos_t){ absolute(t, row), col };
	t->selecting = true;
	term_dirty_all(t);
}

void nc_term_select_extend(nc_term_t *t, int row, int col)
{
	if (!t->selecting)
		return;
	t->sel_b = (term_pos_t){ absolute(t, row), col };
	term_dirty_all(t);
}

void nc_term_select_clear(nc_term_t *t)
{
	if (t->selecting)
		term_dirty_all(t);
	t->selecting = false;
}

/* The selection's ends in order: *from <= *to. */
static void ordered(const nc_term_t *t, term_pos_t *from, term_pos_t *to)
{
	bool swap = t->sel_b.line < t->sel_a.line || (t->sel_b.line == t->sel_a.line && t->sel_b.col < t->sel_a.col);
	*from = swap ? t->sel_b : t->sel_a;
	*to = swap ? t->sel_a : t->sel_b;
}

static bool in_selection(const nc_term_t *t, int a, int col)
{
	term_pos_t from, to;
	ordered(t, &from, &to);
	if (!t->selecting || (from.line == to.line && from.col == to.col))
		return false;
	if (a < from.line || a > to.line)
		return false;
	if (a == from.line && col < from.col)
		return false;
	return a != to.line || col < to.col;
}

bool nc_term_selected(const nc_term_t *t, int row, int col)
{
	return in_selection(t, absolute(t, row), col);
}

size_t nc_term_selection_text(const nc_term_t *t, char *buf, size_t max)
{
	term_pos_t from, to;
	ordered(t, &from, &to);
	size_t n = 0;
	for (int a = from.line; t->selecting && a <= to.line; a++) {
		const term_line_t *l = line_at(t, a);
		if (!l)
			continue;
		int c0 = a == from.line ? from.col : 0, c1 = a == to.line ? to.col : l->len;
		if (c1 > l->len)
			c1 = l->len;
		int end = c1;
		while (end > c0 && l->cells[end - 1].cp == ' ')
			end--;
		for (int c = c0; c < end; c++) {
			char u[NC_UTF8_MAX_BYTES];
			size_t k = nc_utf8_encode(l->cells[c].cp, u);
			if (n + k > max)
				return n;
			nc_mem_copy(buf + n, u, k);
			n += k;
		}
		if (a != to.line && !l->wrapped) {
			if (n + 1 > max)
				return n;
			buf[n++] = '\n';
		}
	}
	return n;
}
