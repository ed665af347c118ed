/* files: the file browser (docs/desktop.md). The left pane lists a directory
 * (directories first, then files, each by name; ".." to go up), the right
 * pane shows the selected file's start as text (or says it is binary), and
 * the window's title is the path shown: the directory, or the selected file.
 * It starts in the directory its argument names (default "/"); the root's
 * listing is the initrd's, where the mount points of file-system services
 * (/disk) do not appear, so the start directory's top component is added to
 * it when missing, to find the way back.
 * A click on a directory (or "..") opens it, a click on a file selects it;
 * Up/Down select, Enter opens, Backspace goes up, the wheel scrolls. It reads
 * through the ordinary file calls (FsOpen, FsListDir, FdRead), so it shows
 * whatever the file systems serve: the initrd, and any file-system service's
 * tree. Handles: 1 its connection, 2 fs.read on / (nothing else: it can
 * read files, never change them). */
#include <nc/desktop.h>
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/sort.h>
#include <nc/utf8.h>

enum {
	TAG_CONN = 1, W = 640, H = 420, FONT_PX = 14, MONO_PX = 13, BAR_H = 26, ROW_H = 20, LIST_W = 250,
	MARGIN = 8, ENTRIES_MAX = 256, PATH_MAX = 256, PREVIEW_BYTES = 4096,
	BG = 0x1e2228, BAR = 0x262b33, SELECTED = 0x3465a4, TEXT = 0xe6e6e6, DIM = 0x9aa0a6, DIR = 0x8ab4f8,
	KEY_BACKSPACE = 14, KEY_ENTER = 28, KEY_UP = 103, KEY_DOWN = 108,
};

typedef struct {
	char name[128];
	bool dir;
	uint64_t size;
} entry_t;

static struct {
	desk_window_t win;
	nc_inbox_t inbox;
	desk_font_t ui, mono;
	char path[PATH_MAX];            /* the directory shown, "/" or "/a/b" */
	char home[PATH_MAX];            /* the start directory's top component, "disk" ("": none) */
	entry_t entries[ENTRIES_MAX];   /* entries[0] is ".." below the root */
	int n, selected, top;           /* selected: -1 none; top: first row shown */
	char error[96];                 /* why the directory could not be listed ("" when it was) */
	char preview[PREVIEW_BYTES];
	size_t preview_len;
	bool preview_binary;
} F;

static int cmp_entries(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	const entry_t *x = a, *y = b;
	if (x->dir != y->dir)
		return x->dir ? -1 : 1;
	return nc_str_compare(x->name, y->name);
}

/* The path of entry i (a child of F.path, or its parent for "..") into out. */
static void entry_path(int i, char *out, size_t cap)
{
	if (nc_str_compare(F.entries[i].name, "..") == 0) {
		size_t n = nc_str_len(F.path);
		while (n > 1 && F.path[n - 1] != '/')
			n--;
		nc_fmt_format(out, cap, "%.*s", (int)(n > 1 ? n - 1 : 1), F.path);
	} else {
		nc_fmt_format(out, cap, "%s%s%s", F.path, F.path[1] ? "/" : "", F.entries[i].name);
	}
}

static void set_title(void)
{
	char path[PATH_MAX], title[WP_TITLE_MAX + 1];
	if (F.selected >= 0 && !F.entries[F.selected].dir)
		entry_path(F.selected, path, sizeof path);
	else
		nc_fmt_format(path, sizeof path, "%s", F.path);
	nc_fmt_format(title, sizeof title, "Files: %s", path);
	desk_window_title(&F.win, title);
}

/* List path into F (sorted); on failure F keeps path with an error line. */
static void open_dir(const char *path)
{
	nc_fmt_format(F.path, sizeof F.path, "%s", path);
	F.n = 0;
	F.selected = -1;
	F.top = 0;
	F.error[0] = 0;
	F.preview_len = 0;
	if (F.path[1]) {
		nc_fmt_format(F.entries[0].name, sizeof F.entries[0].name, "..");
		F.entries[0].dir = true;
		F.n = 1;
	}
	uint64_t dir;
	nc_sys_err_t err = nc_sys_fs_open(F.path, nc_str_len(F.path), NC_SYS_OPEN_DIR, &dir);
	if (err) {
		nc_fmt_format(F.error, sizeof F.error, "cannot open %s: %s", F.path, nc_sys_err_name(err));
		return;
	}
	int first = F.n;
	nc_sys_dirent_t e;
	for (uint64_t i = 0; F.n < ENTRIES_MAX && nc_sys_fs_list_dir(dir, i, &e) == NC_SYS_OK; i++) {
		entry_t *x = &F.entries[F.n++];
		nc_fmt_format(x->name, sizeof x->name, "%.*s", (int)nc_str_len_max(e.name, sizeof e.name), e.name);
		x->dir = e.type == NC_SYS_HANDLE_DIR;
		x->size = e.size_bytes;
	}
	nc_sys_handle_close(dir);
	bool home_listed = !F.home[0] || F.path[1];
	for (int i = first; i < F.n && !home_listed; i++)
		home_listed = nc_str_compare(F.entries[i].name, F.home) == 0;
	if (!home_listed && F.n < ENTRIES_MAX) {
		nc_fmt_format(F.entries[F.n].name, sizeof F.entries[0].name, "%s", F.home);
		F.entries[F.n].dir = true;
		F.entries[F.n++].size = 0;
	}
	nc_sort(F.entries + first, (size_t)(F.n - first), sizeof F.entries[0], cmp_entries, NULL);
}

/* Read the selected file's first PREVIEW_BYTES. */
static void load_preview(void)
{
	char path[PATH_MAX];
	entry_path(F.selected, path, sizeof path);
	F.preview_len = 0;
	F.preview_binary = false;
	uint64_t h, got;
	if (nc_sys_fs_open(path, nc_str_len(path), 0, &h))
		return;
	while (F.preview_len < sizeof F.preview &&
	       nc_sys_fd_read(h, F.preview + F.preview_len, sizeof F.preview - F.preview_len, 0, &got) == NC_SYS_OK &&
	       got)
		F.preview_len += got;
	nc_sys_handle_close(h);
	for (size_t i = 0; i < F.preview_len && !F.preview_binary;) {
		size_t at = i;
		uint32_t cp = nc_utf8_next(F.preview, F.preview_len, &i);
		/* a character cut by the preview's end is not a sign of a binary file */
		bool cut = cp == NC_UTF8_REPLACEMENT && F.preview_len - at < NC_UTF8_MAX_BYTES &&
			   F.preview_len == sizeof F.preview;
		F.preview_binary = !cut && (cp == 0 || cp == NC_UTF8_REPLACEMENT || (cp < 32 && cp != '\n' && cp != '\t' && cp != '\r'));
	}
}

static void text(desk_font_t *f, nc_gfx_rect_t clip, int x, int y, uint32_t colour, const char *s, size_t n)
{
	nc_gfx_text(&F.win.surf, clip, f->face, x, y, colour, s, n, NULL);
}

static int rows_shown(void)
{
	return (F.win.surf.h - BAR_H) / ROW_H;
}

static void draw(void)
{
	nc_gfx_surface_t *s = &F.win.surf;
	nc_gfx_rect_t all = nc_gfx_rect(0, 0, s->w, s->h);
	nc_gfx_fill(s, all, BG);
	nc_gfx_fill(s, nc_gfx_rect(0, 0, s->w, BAR_H), BAR);
	text(&F.ui, all, MARGIN, 18, TEXT, F.path, nc_str_len(F.path));
	nc_gfx_rect_t list = nc_gfx_rect(0, BAR_H, LIST_W, s->h - BAR_H);
	nc_gfx_fill(s, nc_gfx_rect(LIST_W, BAR_H, 1, s->h - BAR_H), BAR);
	for (int r = 0; r < rows_shown() && F.top + r < F.n; r++) {
		const entry_t *e = &F.entries[F.top + r];
		int y = BAR_H + r * ROW_H;
		if (F.top + r == F.selected)
			nc_gfx_fill(s, nc_gfx_rect(0, y, LIST_W, ROW_H), SELECTED);
		char line[160];
		size_t n = nc_fmt_format(line, sizeof line, "%s%s", e->name, e->dir ? "/" : "");
		text(&F.ui, list, MARGIN, y + 15, e->dir ? DIR : TEXT, line, n);
	}
	nc_gfx_rect_t pane = nc_gfx_rect(LIST_W + 1 + MARGIN, BAR_H, s->w - LIST_W - 1 - 2 * MARGIN, s->h - BAR_H);
	int y = BAR_H + 18;
	if (F.error[0])
		text(&F.ui, pane, pane.x, y, DIM, F.error, nc_str_len(F.error));
	if (F.selected < 0 || F.entries[F.selected].dir) {
		desk_window_dirty(&F.win, all);
		return;
	}
	char head[64];
	size_t n = nc_fmt_format(head, sizeof head, "%llu bytes%s", (unsigned long long)F.entries[F.selected].size,
				 F.preview_binary ? ", binary" : "");
	text(&F.ui, pane, pane.x, y, DIM, head, n);
	for (size_t i = 0; !F.preview_binary && i < F.preview_len && y < s->h;) {
		size_t end = i;
		while (end < F.preview_len && F.preview[end] != '\n')
			end++;
		y += MONO_PX + 4;
		text(&F.mono, pane, pane.x, y, TEXT, F.preview + i, end - i);
		i = end + 1;
	}
	desk_window_dirty(&F.win, all);
}

static void select_row(int i)
{
	if (i < 0 || i >= F.n)
		return;
	F.selected = i;
	if (i < F.top)
		F.top = i;
	if (i >= F.top + rows_shown())
		F.top = i - rows_shown() + 1;
	if (!F.entries[i].dir)
		load_preview();
}

/* Open entry i: a directory is listed, a file selected. */
static void open_entry(int i)
{
	if (i < 0 || i >= F.n)
		return;
	if (F.entries[i].dir) {
		char path[PATH_MAX];
		entry_path(i, path, sizeof path);
		open_dir(path);
	} else {
		select_row(i);
	}
	set_title();
}

static bool on_key(const wp_key_t *k)
{
	if (!k->pressed)
		return false;
	if (k->code == KEY_DOWN || k->code == KEY_UP) {
		select_row(F.selected + (k->code == KEY_DOWN ? 1 : -1));
		set_title();
	} else if (k->code == KEY_ENTER) {
		open_entry(F.selected);
	} else if (k->code == KEY_BACKSPACE && F.path[1]) {
		open_entry(0); /* ".." */
	} else {
		return false;
	}
	return true;
}

static bool on_pointer(const wp_pointer_t *p)
{
	if (p->kind == WP_POINTER_WHEEL) {
		int top = F.top - p->wheel * 3, max = F.n - rows_shown();
		F.top = top > max ? (max > 0 ? max : 0) : top < 0 ? 0 : top;
		return true;
	}
	if (p->kind != WP_POINTER_PRESS || p->button != WP_BUTTON_LEFT || p->x < 0 || p->x >= LIST_W ||
	    p->y < BAR_H)
		return false;
	int row = F.top + (p->y - BAR_H) / ROW_H;
	if (row >= F.n)
		return false;
	open_entry(row);
	return true;
}

int main(const char *arg, size_t arg_len)
{
	if (desk_font_load(&F.ui, DESK_FONT_UI, FONT_PX) || desk_font_load(&F.mono, DESK_FONT_MONO, MONO_PX) ||
	    nc_inbox_init(&F.inbox) || desk_window_create(&F.win, DESK_CONNECTION, W, H, 0, "Files: /") ||
	    nc_inbox_watch(&F.inbox, DESK_CONNECTION, TAG_CONN))
		return 1;
	char start[PATH_MAX];
	nc_fmt_format(start, sizeof start, "%.*s", (int)arg_len, arg);
	if (start[0] != '/')
		nc_fmt_format(start, sizeof start, "/");
	size_t top = 1;
	while (start[top] && start[top] != '/')
		top++;
	nc_fmt_format(F.home, sizeof F.home, "%.*s", (int)(top - 1), start + 1);
	open_dir(start);
	set_title();
	bool due = true;
	for (;;) {
		static nc_inbox_msg_t m;
		if (nc_inbox_receive(&F.inbox, &m, NC_SYS_TIMEOUT_INFINITE))
			continue;
		const void *ev;
		switch (desk_window_event(&F.win, &m, &ev)) {
		case DESK_EV_RESIZED: due = true; break;
		case DESK_EV_KEY: due |= on_key(ev); break;
		case DESK_EV_POINTER: due |= on_pointer(ev); break;
		case DESK_EV_CLOSE: case DESK_EV_GONE: return 0;
		default: break;
		}
		if (due && F.win.configured && !F.win.busy) {
			draw();
			due = false;
		}
		desk_window_flush(&F.win);
	}
}
