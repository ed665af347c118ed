/* The window protocol, compositor side (nc/wproto.h). Every message is
 * checked before anything changes: its length for its type, sizes,
 * rectangles, the buffer handle's type and size. A client that breaks the
 * protocol, or stops answering pings, or leaves its channel full for
 * WP_PING_TIMEOUT_MS, is dropped: its window goes, its connection is closed,
 * and nothing else is affected. */
#include "compositor.h"
#include <nc/mem.h>

enum { MS = 1000 * 1000 };

void desk_copy_text(char *dst, size_t size, const char *src, size_t src_max)
{
	size_t n = nc_str_len_max(src, src_max);
	if (n > size - 1)
		n = size - 1;
	while (n && n < nc_str_len_max(src, src_max) && ((uint8_t)src[n] & 0xc0) == 0x80)
		n--; /* do not cut a character in two */
	nc_mem_copy(dst, src, n);
	dst[n] = 0;
}

bool client_flush(window_t *w)
{
	int sent = 0;
	while (sent < w->n_pending &&
	       nc_sys_ipc_send(w->conn, w->pending[sent].data, w->pending[sent].len, NULL, 0, 0) != NC_SYS_ERR_TIMED_OUT)
		sent++; /* sent, or the peer is gone (its closed message will come) */
	if (sent) {
		nc_mem_move(w->pending, w->pending + sent, (size_t)(w->n_pending - sent) * sizeof w->pending[0]);
		w->n_pending -= sent;
	}
	if (!w->n_pending)
		w->stuck_since_ns = 0;
	return w->n_pending > 0;
}

void client_send(window_t *w, const void *msg, size_t len)
{
	if (!w->n_pending && nc_sys_ipc_send(w->conn, msg, len, NULL, 0, 0) != NC_SYS_ERR_TIMED_OUT)
		return;
	if (w->n_pending == PENDING_MAX) {
		w->broken = true;
		return;
	}
	if (!w->stuck_since_ns)
		nc_sys_clock_get(&w->stuck_since_ns);
	w->pending[w->n_pending].len = (uint16_t)len;
	nc_mem_copy(w->pending[w->n_pending].data, msg, len);
	w->n_pending++;
}

void client_drop(window_t *w)
{
	desk.dropped++;
	wm_remove(w);
}

/* Map the client's buffer for content w x h: the handle must be shared memory
 * of at least w * h * 4 bytes. On success the window keeps the handle. */
static bool attach(window_t *win, uint64_t handle, int w, int h)
{
	uint64_t size, addr, need = (uint64_t)w * (uint64_t)h * 4;
	if (nc_sys_shm_size(handle, &size) || size < need ||
	    nc_sys_shm_map(handle, 0, 0, need, NC_SYS_PROT_READ, &addr))
		return false;
	if (win->buf_addr)
		nc_sys_mem_unmap(win->buf_addr, win->buf_bytes);
	if (win->buf_handle)
		nc_sys_handle_close(win->buf_handle);
	win->buf_handle = handle;
	win->buf_addr = addr;
	win->buf_bytes = need;
	win->bw = w;
	win->bh = h;
	return true;
}

static bool size_ok(int w, int h)
{
	return w >= WP_WINDOW_MIN && h >= WP_WINDOW_MIN && w <= WP_WINDOW_MAX && h <= WP_WINDOW_MAX;
}

static bool on_create(window_t *w, const nc_inbox_msg_t *m)
{
	const wp_create_t *c = (const wp_create_t *)m->data;
	if (w->created || m->len != sizeof *c || m->n_handles != 1 || !size_ok(c->w, c->h) ||
	    (c->flags & ~(uint32_t)(WP_FLAG_PANEL | WP_FLAG_FIXED)))
		return false;
	int cw = c->w, ch = c->h;
	w->flags = c->flags;
	if (w->flags & WP_FLAG_PANEL)
		cw = desk.back.w;
	if (!attach(w, m->handles[0], c->w, c->h))
		return false;
	desk_copy_text(w->title, sizeof w->title, c->title, sizeof c->title);
	w->created = true;
	w->id = ++desk.next_id;
	if (!wm_place(w, cw, ch))
		return false;
	wp_configure_t conf = { WP_CONFIGURE, w->id, (uint16_t)cw, (uint16_t)ch };
	client_send(w, &conf, sizeof conf);
	return true;
}

static bool on_buffer(window_t *w, const nc_inbox_msg_t *m)
{
	const wp_buffer_t *b = (const wp_buffer_t *)m->data;
	if (!w->created || m->len != sizeof *b || m->n_handles != 1 || b->w != w->cw || b->h != w->ch)
		return false;
	return attach(w, m->handles[0], b->w, b->h);
}

static bool on_damage(window_t *w, const nc_inbox_msg_t *m)
{
	const wp_damage_t *d = (const wp_damage_t *)m->data;
	size_t head = sizeof *d - sizeof d->r;
	if (!w->created || m->len < head || d->n < 1 || d->n > WP_DAMAGE_MAX_RECTS ||
	    m->len != head + d->n * sizeof d->r[0])
		return false;
	/* only the part both the buffer and the window's content have */
	nc_gfx_surface_t buf = { (uint32_t *)w->buf_addr, w->bw, w->bh, w->bw };
	nc_gfx_rect_t content = wm_content(w);
	nc_gfx_rect_t both = nc_gfx_rect(0, 0, w->bw < w->cw ? w->bw : w->cw, w->bh < w->ch ? w->bh : w->ch);
	for (uint32_t i = 0; i < d->n; i++) {
		nc_gfx_rect_t r = nc_gfx_rect_intersect(nc_gfx_rect(d->r[i].x, d->r[i].y, d->r[i].w, d->r[i].h), both);
		if (nc_gfx_rect_empty(r))
			continue;
		int ox = content.x - w->x, oy = content.y - w->y;
		nc_gfx_copy(&w->surf, ox + r.x, oy + r.y, &buf, r.x, r.y, r.w, r.h);
		if (!w->minimised)
			compose_damage(nc_gfx_rect(content.x + r.x, content.y + r.y, r.w, r.h));
	}
	w->commits++;
	wp_serial_t done = { WP_DONE, d->serial };
	client_send(w, &done, sizeof done);
	return true;
}

static bool on_title(window_t *w, const nc_inbox_msg_t *m)
{
	const wp_title_t *t = (const wp_title_t *)m->data;
	if (!w->created || m->len != sizeof *t)
		return false;
	desk_copy_text(w->title, sizeof w->title, t->title, sizeof t->title);
	wm_decorate(w);
	wm_send_tasks();
	return true;
}

static bool on_pong(window_t *w, const nc_inbox_msg_t *m)
{
	const wp_serial_t *p = (const wp_serial_t *)m->data;
	if (m->len != sizeof *p)
		return false;
	if (p->serial == w->ping_serial)
		w->ping_sent_ns = 0;
	return true;
}

static bool on_activate(window_t *w, const nc_inbox_msg_t *m)
{
	const wp_serial_t *a = (const wp_serial_t *)m->data;
	if (!(w->flags & WP_FLAG_PANEL) || m->len != sizeof *a)
		return false;
	window_t *target = wm_by_id(a->serial);
	if (target && !(target->flags & WP_FLAG_PANEL)) {
		if (target->minimised)
			wm_set_minimised(target, false);
		else
			wm_raise_focus(target);
	}
	return true;
}

/* A chunk of the client's new clipboard; the last one replaces the clipboard. */
static bool on_clip_set(window_t *w, const nc_inbox_msg_t *m)
{
	const wp_clip_t *c = (const wp_clip_t *)m->data;
	size_t head = sizeof *c - sizeof c->data;
	if (m->len < head || c->len > WP_CLIP_CHUNK || m->len != head + c->len || c->last > 1 || m->n_handles)
		return false;
	if (!w->clip_in && !(w->clip_in = nc_malloc(WP_CLIP_MAX)))
		return true; /* no memory: the chunk is lost, the client is not at fault */
	if (w->clip_in_len + c->len > WP_CLIP_MAX)
		return false;
	nc_mem_copy(w->clip_in + w->clip_in_len, c->data, c->len);
	w->clip_in_len += c->len;
	if (c->last) {
		nc_mem_copy(desk.clip, w->clip_in, w->clip_in_len);
		desk.clip_len = w->clip_in_len;
		nc_free(w->clip_in);
		w->clip_in = NULL;
		w->clip_in_len = 0;
	}
	return true;
}

static bool on_clip_get(window_t *w, const nc_inbox_msg_t *m)
{
	if (m->len != sizeof(wp_type_t) || m->n_handles)
		return false;
	uint32_t off = 0;
	do {
		wp_clip_t c = { WP_CLIP_DATA, 0, 0, 0, { 0 } };
		c.len = (uint16_t)(desk.clip_len - off < WP_CLIP_CHUNK ? desk.clip_len - off : WP_CLIP_CHUNK);
		nc_mem_copy(c.data, desk.clip + off, c.len);
		off += c.len;
		c.last = off == desk.clip_len;
		client_send(w, &c, sizeof c - sizeof c.data + c.len);
	} while (off < desk.clip_len);
	return true;
}

void client_message(window_t *w, const nc_inbox_msg_t *m)
{
	if (m->closed) {
		wm_remove(w);
		return;
	}
	uint32_t type = m->len >= 4 ? *(const uint32_t *)m->data : 0;
	bool ok;
	switch (type) {
	case WP_CREATE: ok = on_create(w, m); break;
	case WP_BUFFER: ok = on_buffer(w, m); break;
	case WP_DAMAGE: ok = on_damage(w, m); break;
	case WP_TITLE: ok = on_title(w, m); break;
	case WP_PONG: ok = on_pong(w, m); break;
	case WP_ACTIVATE: ok = on_activate(w, m); break;
	case WP_CLIP_SET: ok = on_clip_set(w, m); break;
	case WP_CLIP_GET: ok = on_clip_get(w, m); break;
	default: ok = false; break;
	}
	/* a handle the window did not take as its buffer is not kept */
	for (uint32_t i = 0; i < m->n_handles; i++)
		if (m->handles[i] != w->buf_handle)
			nc_sys_handle_close(m->handles[i]);
	if (!ok)
		client_drop(w);
}

void client_liveness(uint64_t now_ns)
{
	for (int i = 0; i < MAX_WINDOWS; i++) {
		window_t *w = &desk.win[i];
		if (!w->used)
			continue;
		uint64_t limit = (uint64_t)WP_PING_TIMEOUT_MS * MS;
		if ((w->ping_sent_ns && now_ns - w->ping_sent_ns > limit) ||
		    (w->stuck_since_ns && now_ns - w->stuck_since_ns > limit)) {
			client_drop(w);
			continue;
		}
		if (!w->ping_sent_ns) {
			wp_serial_t p = { WP_PING, ++w->ping_serial };
			w->ping_sent_ns = now_ns;
			client_send(w, &p, sizeof p);
		}
	}
}
