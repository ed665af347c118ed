/* Windows: slots, z-order (panels always above the others), focus (the top
 * non-panel window that is not minimised), server-side decoration, and what
 * the pointer and the keys do. A press on a title bar raises the window and
 * starts a move, on its close box sends WP_CLOSE, on its minimise box hides
 * it; a press on the resize grip (bottom-right corner) shows an outline that
 * follows the pointer and, on release, resizes the window (WP_CONFIGURE). A
 * press in a window's content raises and focuses it, and the press, the
 * moves and the release go to that window until the buttons are up. */
#include "compositor.h"
#include <nc/mem.h>

enum {
	TITLE_FOCUSED = 0x3465a4, TITLE_UNFOCUSED = 0x4a4f57, TITLE_TEXT = 0xffffff, FRAME_EDGE = 0x10141a,
	CONTENT_BG = 0x2e3436, CLOSE_BG = 0xcc3333, CASCADE = 28,
};

window_t *wm_by_tag(uint32_t tag)
{
	for (int i = 0; i < MAX_WINDOWS; i++)
		if (desk.win[i].used && desk.win[i].tag == tag)
			return &desk.win[i];
	return NULL;
}

window_t *wm_by_id(uint32_t id)
{
	for (int i = 0; i < MAX_WINDOWS; i++)
		if (desk.win[i].used && desk.win[i].created && desk.win[i].id == id)
			return &desk.win[i];
	return NULL;
}

static int index_of(const window_t *w)
{
	return (int)(w - desk.win);
}

static bool is_panel(const window_t *w)
{
	return (w->flags & WP_FLAG_PANEL) != 0;
}

nc_gfx_rect_t wm_frame(const window_t *w)
{
	return nc_gfx_rect(w->x, w->y, w->surf.w, w->surf.h);
}

nc_gfx_rect_t wm_content(const window_t *w)
{
	if (is_panel(w))
		return nc_gfx_rect(w->x, w->y, w->cw, w->ch);
	return nc_gfx_rect(w->x + BORDER, w->y + TITLE_H, w->cw, w->ch);
}

static nc_gfx_rect_t close_box(const window_t *w)
{
	return nc_gfx_rect(w->x + w->surf.w - BORDER - BUTTON_W, w->y, BUTTON_W, TITLE_H);
}

static nc_gfx_rect_t minimise_box(const window_t *w)
{
	return nc_gfx_rect(w->x + w->surf.w - BORDER - 2 * BUTTON_W, w->y, BUTTON_W, TITLE_H);
}

static nc_gfx_rect_t grip(const window_t *w)
{
	return nc_gfx_rect(w->x + w->surf.w - GRIP, w->y + w->surf.h - GRIP, GRIP, GRIP);
}

window_t *wm_add(uint64_t conn, uint32_t tag)
{
	for (int i = 0; i < MAX_WINDOWS; i++)
		if (!desk.win[i].used) {
			window_t *w = &desk.win[i];
			nc_mem_set(w, 0, sizeof *w);
			w->used = true;
			w->conn = conn;
			w->tag = tag;
			return w;
		}
	return NULL;
}

static void centre_text(window_t *w, nc_gfx_rect_t box, const char *s)
{
	int tw = 0;
	nc_font_face_measure(desk.title_face, s, nc_str_len(s), &tw);
	nc_font_metrics_t m;
	nc_font_face_metrics(desk.title_face, &m);
	nc_gfx_rect_t local = nc_gfx_rect(box.x - w->x, box.y - w->y, box.w, box.h);
	nc_gfx_text(&w->surf, local, desk.title_face, local.x + (box.w - tw) / 2,
		    local.y + (box.h + m.ascent - m.descent) / 2, TITLE_TEXT, s, nc_str_len(s), NULL);
}

void wm_decorate(window_t *w)
{
	if (is_panel(w) || !w->pixels)
		return;
	bool focused = desk.focus == index_of(w);
	int fw = w->surf.w, fh = w->surf.h;
	nc_gfx_fill(&w->surf, nc_gfx_rect(0, 0, fw, TITLE_H), focused ? TITLE_FOCUSED : TITLE_UNFOCUSED);
	nc_gfx_fill(&w->surf, nc_gfx_rect(0, 0, fw, BORDER), FRAME_EDGE);
	nc_gfx_fill(&w->surf, nc_gfx_rect(0, 0, BORDER, fh), FRAME_EDGE);
	nc_gfx_fill(&w->surf, nc_gfx_rect(fw - BORDER, 0, BORDER, fh), FRAME_EDGE);
	nc_gfx_fill(&w->surf, nc_gfx_rect(0, fh - BORDER, fw, BORDER), FRAME_EDGE);
	nc_gfx_rect_t cb = close_box(w), mb = minimise_box(w);
	nc_gfx_fill(&w->surf, nc_gfx_rect(cb.x - w->x + 2, 3, cb.w - 4, TITLE_H - 6), CLOSE_BG);
	centre_text(w, cb, "\xc3\x97");      /* U+00D7 multiplication sign */
	centre_text(w, mb, "\xe2\x80\x93");  /* U+2013 en dash */
	nc_font_metrics_t m;
	nc_font_face_metrics(desk.title_face, &m);
	nc_gfx_rect_t text_clip = nc_gfx_rect(8, 0, mb.x - w->x - 12, TITLE_H);
	nc_gfx_text(&w->surf, text_clip, desk.title_face, 8, (TITLE_H + m.ascent - m.descent) / 2, TITLE_TEXT,
		    w->title, nc_str_len(w->title), NULL);
	compose_damage(nc_gfx_rect(w->x, w->y, fw, TITLE_H));
}

/* A new frame surface for content cw x ch: the old content copied into it,
 * the rest the content background. */
static bool new_surface(window_t *w, int cw, int ch)
{
	int fw = is_panel(w) ? cw : cw + 2 * BORDER, fh = is_panel(w) ? ch : ch + TITLE_H + BORDER;
	uint32_t *px = nc_malloc((size_t)fw * (size_t)fh * 4);
	if (!px)
		return false;
	nc_gfx_surface_t s = { px, fw, fh, fw };
	nc_gfx_fill(&s, nc_gfx_rect(0, 0, fw, fh), CONTENT_BG);
	if (w->pixels) {
		nc_gfx_rect_t old = wm_content(w);
		nc_gfx_copy(&s, old.x - w->x, old.y - w->y, &w->surf, old.x - w->x, old.y - w->y, old.w, old.h);
		nc_free(w->pixels);
	}
	w->pixels = px;
	w->surf = s;
	w->cw = cw;
	w->ch = ch;
	return true;
}

static void restack(window_t *w)
{
	int i = index_of(w), k = 0;
	for (int j = 0; j < desk.nz; j++)
		if (desk.z[j] != i)
			desk.z[k++] = desk.z[j];
	desk.nz = k;
	/* a panel goes on top; another window just below the lowest panel */
	int at = desk.nz;
	if (!is_panel(w))
		while (at > 0 && is_panel(&desk.win[desk.z[at - 1]]))
			at--;
	for (int j = desk.nz; j > at; j--)
		desk.z[j] = desk.z[j - 1];
	desk.z[at] = i;
	desk.nz++;
}

static void set_focus(int i)
{
	if (desk.focus == i)
		return;
	int old = desk.focus;
	desk.focus = i;
	wp_focus_t f = { WP_FOCUS, 0 };
	if (old >= 0 && desk.win[old].used) {
		wm_decorate(&desk.win[old]);
		client_send(&desk.win[old], &f, sizeof f);
	}
	if (i >= 0) {
		f.focused = 1;
		wm_decorate(&desk.win[i]);
		client_send(&desk.win[i], &f, sizeof f);
	}
	wm_send_tasks();
}

/* Focus the top window that can take it. */
static void refocus(void)
{
	for (int k = desk.nz - 1; k >= 0; k--) {
		window_t *w = &desk.win[desk.z[k]];
		if (!is_panel(w) && !w->minimised && w->pixels) {
			set_focus(desk.z[k]);
			return;
		}
	}
	set_focus(-1);
}

bool wm_place(window_t *w, int cw, int ch)
{
	if (!new_surface(w, cw, ch))
		return false;
	if (is_panel(w)) {
		w->x = w->y = 0;
	} else {
		int n = 0;
		for (int i = 0; i < MAX_WINDOWS; i++)
			n += desk.win[i].used && desk.win[i].pixels && !is_panel(&desk.win[i]);
		w->x = 40 + (n - 1) % 8 * CASCADE;
		w->y = 48 + (n - 1) % 8 * CASCADE;
		if (w->x + w->surf.w > desk.back.w)
			w->x = desk.back.w > w->surf.w ? desk.back.w - w->surf.w : 0;
		if (w->y + w->surf.h > desk.back.h)
			w->y = desk.back.h > w->surf.h ? desk.back.h - w->surf.h : 0;
	}
	restack(w);
	if (!is_panel(w))
		wm_raise_focus(w);
	wm_decorate(w);
	compose_damage(wm_frame(w));
	wm_send_tasks();
	return true;
}

bool wm_resize(window_t *w, int cw, int ch)
{
	nc_gfx_rect_t before = wm_frame(w);
	if (!new_surface(w, cw, ch))
		return false;
	wm_decorate(w);
	compose_damage(before);
	compose_damage(wm_frame(w));
	return true;
}

void wm_remove(window_t *w)
{
	int i = index_of(w);
	if (w->pixels)
		compose_damage(wm_frame(w));
	int k = 0;
	for (int j = 0; j < desk.nz; j++)
		if (desk.z[j] != i)
			desk.z[k++] = desk.z[j];
	desk.nz = k;
	if (w->buf_addr)
		nc_sys_mem_unmap(w->buf_addr, w->buf_bytes);
	if (w->buf_handle)
		nc_sys_handle_close(w->buf_handle);
	nc_free(w->pixels);
	nc_free(w->clip_in);
	nc_inbox_unwatch(&desk.inbox, w->tag);
	nc_sys_handle_close(w->conn);
	if (desk.drag != DRAG_NONE && desk.drag_win == i)
		desk.drag = DRAG_NONE;
	w->used = false;
	if (desk.focus == i) {
		desk.focus = -1;
		refocus();
	}
	wm_send_tasks();
}

void wm_raise_focus(window_t *w)
{
	restack(w);
	compose_damage(wm_frame(w));
	if (!is_panel(w))
		set_focus(index_of(w));
}

void wm_set_minimised(window_t *w, bool on)
{
	if (w->minimised == on)
		return;
	w->minimised = on;
	compose_damage(wm_frame(w));
	if (on && desk.focus == index_of(w))
		refocus();
	else if (!on)
		wm_raise_focus(w);
	wm_send_tasks();
}

/* The top shown window under (x, y), or NULL. */
static window_t *window_at(int x, int y)
{
	for (int k = desk.nz - 1; k >= 0; k--) {
		window_t *w = &desk.win[desk.z[k]];
		if (!w->minimised && w->pixels && nc_gfx_rect_contains(wm_frame(w), x, y))
			return w;
	}
	return NULL;
}

static void send_pointer(window_t *w, uint8_t kind, uint8_t button, int wheel)
{
	nc_gfx_rect_t c = wm_content(w);
	wp_pointer_t p = { WP_POINTER, (int16_t)(desk.px - c.x), (int16_t)(desk.py - c.y), kind, desk.buttons,
			   button, (int8_t)wheel };
	client_send(w, &p, sizeof p);
}

static nc_gfx_rect_t cursor_rect(void)
{
	return nc_gfx_rect(desk.px, desk.py, CURSOR_W, CURSOR_H);
}

static void press(uint8_t button)
{
	window_t *w = window_at(desk.px, desk.py);
	if (!w)
		return;
	if (!is_panel(w))
		wm_raise_focus(w);
	bool on_grip = !(w->flags & WP_FLAG_FIXED) && nc_gfx_rect_contains(grip(w), desk.px, desk.py);
	if (button != WP_BUTTON_LEFT || (!on_grip && nc_gfx_rect_contains(wm_content(w), desk.px, desk.py))) {
		desk.drag = DRAG_CLIENT;
		desk.drag_win = index_of(w);
		send_pointer(w, WP_POINTER_PRESS, button, 0);
		return;
	}
	if (nc_gfx_rect_contains(close_box(w), desk.px, desk.py)) {
		wp_type_t c = { WP_CLOSE };
		client_send(w, &c, sizeof c);
	} else if (nc_gfx_rect_contains(minimise_box(w), desk.px, desk.py)) {
		wm_set_minimised(w, true);
	} else if (on_grip) {
		desk.drag = DRAG_RESIZE;
		desk.drag_win = index_of(w);
		desk.drag_dx = w->x + w->surf.w - desk.px; /* the corner keeps its offset from the pointer */
		desk.drag_dy = w->y + w->surf.h - desk.py;
		desk.outline = wm_frame(w);
		compose_damage(desk.outline);
	} else if (desk.py < w->y + TITLE_H) {
		desk.drag = DRAG_MOVE;
		desk.drag_win = index_of(w);
		desk.drag_dx = desk.px - w->x;
		desk.drag_dy = desk.py - w->y;
	}
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void drag_to(void)
{
	window_t *w = &desk.win[desk.drag_win];
	if (desk.drag == DRAG_MOVE) {
		compose_damage(wm_frame(w));
		w->x = clamp(desk.px - desk.drag_dx, -w->surf.w + 40, desk.back.w - 40);
		w->y = clamp(desk.py - desk.drag_dy, 0, desk.back.h - TITLE_H);
		compose_damage(wm_frame(w));
	} else if (desk.drag == DRAG_RESIZE) {
		compose_damage(desk.outline);
		int fw = clamp(desk.px + desk.drag_dx - w->x, WP_WINDOW_MIN + 2 * BORDER, WP_WINDOW_MAX);
		int fh = clamp(desk.py + desk.drag_dy - w->y, WP_WINDOW_MIN + TITLE_H + BORDER, WP_WINDOW_MAX);
		desk.outline = nc_gfx_rect(w->x, w->y, fw, fh);
		compose_damage(desk.outline);
	} else if (desk.drag == DRAG_CLIENT) {
		send_pointer(w, WP_POINTER_MOVE, 0, 0);
	}
}

static void release(uint8_t button)
{
	window_t *w = &desk.win[desk.drag_win];
	if (desk.drag == DRAG_CLIENT) {
		send_pointer(w, WP_POINTER_RELEASE, button, 0);
	} else if (desk.drag == DRAG_RESIZE) {
		compose_damage(desk.outline);
		int cw = desk.outline.w - 2 * BORDER, ch = desk.outline.h - TITLE_H - BORDER;
		desk.drag = DRAG_NONE;
		if ((cw != w->cw || ch != w->ch) && wm_resize(w, cw, ch)) {
			wp_configure_t c = { WP_CONFIGURE, w->id, (uint16_t)cw, (uint16_t)ch };
			client_send(w, &c, sizeof c);
		}
	}
	if (!desk.buttons)
		desk.drag = DRAG_NONE;
}

void wm_pointer(int x, int y, uint8_t buttons, int wheel)
{
	x = clamp(x, 0, desk.back.w - 1);
	y = clamp(y, 0, desk.back.h - 1);
	uint8_t pressed = buttons & ~desk.buttons, released = desk.buttons & ~buttons;
	if (x != desk.px || y != desk.py) {
		compose_damage(cursor_rect());
		desk.px = x;
		desk.py = y;
		compose_damage(cursor_rect());
		if (desk.drag != DRAG_NONE)
			drag_to();
		else if (window_at(x, y) && nc_gfx_rect_contains(wm_content(window_at(x, y)), x, y))
			send_pointer(window_at(x, y), WP_POINTER_MOVE, 0, 0);
	}
	for (uint8_t b = 1; b <= WP_BUTTON_MIDDLE; b <<= 1) {
		if (pressed & b) {
			desk.buttons |= b;
			if (desk.drag == DRAG_NONE)
				press(b);
			else if (desk.drag == DRAG_CLIENT)
				send_pointer(&desk.win[desk.drag_win], WP_POINTER_PRESS, b, 0);
		}
		if (released & b) {
			desk.buttons &= (uint8_t)~b;
			if (desk.drag != DRAG_NONE)
				release(b);
		}
	}
	if (wheel && window_at(x, y))
		send_pointer(window_at(x, y), WP_POINTER_WHEEL, 0, wheel);
}

void wm_key(uint16_t code, uint8_t pressed)
{
	unsigned m = nc_keymap_modifier(code);
	if (m == NC_KEYMAP_CAPS) {
		if (pressed == 1)
			desk.mods ^= NC_KEYMAP_CAPS;
	} else if (m) {
		desk.mods = pressed ? desk.mods | m : desk.mods & ~m;
	}
	if (desk.focus < 0)
		return;
	wp_key_t k = { WP_KEY, code, pressed, 0, 0, { 0 } };
	k.mods = (uint8_t)((desk.mods & NC_KEYMAP_SHIFT ? WP_MOD_SHIFT : 0) |
			   (desk.mods & NC_KEYMAP_CTRL ? WP_MOD_CTRL : 0) | (desk.mods & NC_KEYMAP_ALT ? WP_MOD_ALT : 0));
	if (pressed)
		k.text_len = (uint8_t)nc_keymap_text(desk.keymap, code, desk.mods, k.text);
	client_send(&desk.win[desk.focus], &k, sizeof k);
}

/* The window list for panels, oldest window first (a stable order). */
void wm_send_tasks(void)
{
	wp_tasks_t t = { WP_TASKS, 0, { { 0 } } };
	for (int i = 0; i < MAX_WINDOWS && t.n < WP_TASKS_MAX; i++) {
		const window_t *w = &desk.win[i];
		if (!w->used || is_panel(w) || !w->created)
			continue;
		uint32_t k = t.n++;
		for (; k > 0 && t.t[k - 1].id > w->id; k--)
			t.t[k] = t.t[k - 1];
		wp_task_t *e = &t.t[k];
		e->id = w->id;
		e->focused = desk.focus == i;
		e->minimised = w->minimised;
		desk_copy_text(e->title, sizeof e->title, w->title, sizeof w->title);
	}
	for (int i = 0; i < MAX_WINDOWS; i++)
		if (desk.win[i].used && desk.win[i].created && is_panel(&desk.win[i]))
			client_send(&desk.win[i], &t, sizeof t);
}
