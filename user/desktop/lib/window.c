/* The window protocol, client side (nc/desktop.h, nc/wproto.h). */
#include <nc/desktop.h>
#include <nc/mem.h>

static void set_title(char *dst, const char *title)
{
	size_t n = 0;
	while (title[n] && n < WP_TITLE_MAX - 1)
		n++;
	nc_mem_set(dst, 0, WP_TITLE_MAX);
	nc_mem_copy(dst, title, n);
}

/* A new w x h buffer, mapped; a read-only handle to it goes in *ro. */
static nc_sys_err_t new_buffer(desk_window_t *win, int w, int h, uint64_t *ro)
{
	uint64_t bytes = (uint64_t)w * (uint64_t)h * 4, shm, addr;
	nc_sys_err_t err = nc_sys_shm_create(bytes, &shm);
	if (err)
		return err;
	err = nc_sys_shm_map(shm, 0, 0, bytes, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr);
	if (!err)
		err = nc_sys_handle_duplicate(shm, NC_SYS_RIGHT_MAP | NC_SYS_RIGHT_TRANSFER, ro);
	if (err) {
		nc_sys_handle_close(shm);
		return err;
	}
	if (win->shm) {
		nc_sys_mem_unmap((uint64_t)win->surf.px, win->shm_bytes);
		nc_sys_handle_close(win->shm);
	}
	win->shm = shm;
	win->shm_bytes = bytes;
	win->surf = (nc_gfx_surface_t){ (uint32_t *)addr, w, h, w };
	nc_gfx_region_clear(&win->dirty);
	return NC_SYS_OK;
}

nc_sys_err_t desk_window_create(desk_window_t *win, uint64_t conn, int w, int h, uint32_t flags,
				const char *title)
{
	nc_mem_set(win, 0, sizeof *win);
	win->conn = conn;
	uint64_t ro;
	nc_sys_err_t err = new_buffer(win, w, h, &ro);
	if (err)
		return err;
	wp_create_t c = { WP_CREATE, flags, (uint16_t)w, (uint16_t)h, { 0 } };
	set_title(c.title, title);
	return nc_sys_ipc_send(conn, &c, sizeof c, &ro, 1, NC_SYS_TIMEOUT_INFINITE);
}

void desk_window_dirty(desk_window_t *win, nc_gfx_rect_t r)
{
	nc_gfx_region_add(&win->dirty, nc_gfx_rect_intersect(r, nc_gfx_rect(0, 0, win->surf.w, win->surf.h)));
}

nc_sys_err_t desk_window_flush(desk_window_t *win)
{
	if (win->busy || !win->configured || !win->dirty.n)
		return NC_SYS_OK;
	wp_damage_t d = { WP_DAMAGE, ++win->serial, 0, { { 0 } } };
	for (int i = 0; i < win->dirty.n && d.n < WP_DAMAGE_MAX_RECTS; i++) {
		nc_gfx_rect_t r = win->dirty.r[i];
		d.r[d.n++] = (wp_rect_t){ (uint16_t)r.x, (uint16_t)r.y, (uint16_t)r.w, (uint16_t)r.h };
	}
	size_t len = sizeof d - sizeof d.r + d.n * sizeof d.r[0];
	nc_sys_err_t err = nc_sys_ipc_send(win->conn, &d, len, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
	if (!err) {
		win->busy = true;
		nc_gfx_region_clear(&win->dirty);
	}
	return err;
}

nc_sys_err_t desk_window_title(desk_window_t *win, const char *title)
{
	wp_title_t t = { WP_TITLE, { 0 } };
	set_title(t.title, title);
	return nc_sys_ipc_send(win->conn, &t, sizeof t, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
}

nc_sys_err_t desk_clip_set(desk_window_t *win, const char *text, size_t len)
{
	if (len > WP_CLIP_MAX) {
		len = WP_CLIP_MAX;
		while (len && ((uint8_t)text[len] & 0xc0) == 0x80)
			len--; /* do not cut a character in two */
	}
	size_t off = 0;
	do {
		wp_clip_t c = { WP_CLIP_SET, 0, 0, 0, { 0 } };
		c.len = (uint16_t)(len - off < WP_CLIP_CHUNK ? len - off : WP_CLIP_CHUNK);
		nc_mem_copy(c.data, text + off, c.len);
		off += c.len;
		c.last = off == len;
		nc_sys_err_t err = nc_sys_ipc_send(win->conn, &c, sizeof c - sizeof c.data + c.len, NULL, 0,
						   NC_SYS_TIMEOUT_INFINITE);
		if (err)
			return err;
	} while (off < len);
	return NC_SYS_OK;
}

nc_sys_err_t desk_clip_request(desk_window_t *win)
{
	if (!win->clip && !(win->clip = nc_malloc(WP_CLIP_MAX)))
		return NC_SYS_ERR_NO_MEMORY;
	win->clip_len = 0;
	wp_type_t g = { WP_CLIP_GET };
	return nc_sys_ipc_send(win->conn, &g, sizeof g, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
}

/* A WP_CLIP_DATA chunk: DESK_EV_CLIP with the whole clipboard after the last. */
static desk_event_t clip_data(desk_window_t *win, const nc_inbox_msg_t *m, const void **out)
{
	static desk_clip_t whole;
	const wp_clip_t *c = (const wp_clip_t *)m->data;
	size_t head = sizeof *c - sizeof c->data;
	if (!win->clip || m->len < head || c->len > WP_CLIP_CHUNK || m->len != head + c->len ||
	    win->clip_len + c->len > WP_CLIP_MAX)
		return DESK_EV_NONE;
	nc_mem_copy(win->clip + win->clip_len, c->data, c->len);
	win->clip_len += c->len;
	if (!c->last)
		return DESK_EV_NONE;
	whole = (desk_clip_t){ win->clip, win->clip_len };
	win->clip_len = 0;
	*out = &whole;
	return DESK_EV_CLIP;
}

/* The payload of m if it is exactly a T. */
#define AS(T, m) ((m)->len == sizeof(T) ? (const T *)(m)->data : NULL)
#define IS(T, m) ((m)->len == sizeof(T))

desk_event_t desk_window_event(desk_window_t *win, const nc_inbox_msg_t *m, const void **out)
{
	for (uint32_t i = 0; i < m->n_handles; i++)
		nc_sys_handle_close(m->handles[i]);
	if (m->closed || m->len < 4)
		return DESK_EV_GONE;
	*out = m->data;
	switch (*(const uint32_t *)m->data) {
	case WP_CONFIGURE: {
		if (!IS(wp_configure_t, m))
			return DESK_EV_NONE;
		const wp_configure_t *c = AS(wp_configure_t, m);
		win->id = c->id;
		if (c->w != win->surf.w || c->h != win->surf.h) {
			uint64_t ro;
			wp_buffer_t b = { WP_BUFFER, c->w, c->h };
			if (new_buffer(win, c->w, c->h, &ro) ||
			    nc_sys_ipc_send(win->conn, &b, sizeof b, &ro, 1, NC_SYS_TIMEOUT_INFINITE))
				return DESK_EV_GONE;
		}
		win->configured = true;
		desk_window_dirty(win, nc_gfx_rect(0, 0, win->surf.w, win->surf.h));
		return DESK_EV_RESIZED;
	}
	case WP_DONE:
		if (IS(wp_serial_t, m) && AS(wp_serial_t, m)->serial == win->serial)
			win->busy = false;
		return DESK_EV_NONE;
	case WP_PING:
		if (IS(wp_serial_t, m)) {
			wp_serial_t p = { WP_PONG, AS(wp_serial_t, m)->serial };
			nc_sys_ipc_send(win->conn, &p, sizeof p, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
		}
		return DESK_EV_NONE;
	case WP_KEY: return IS(wp_key_t, m) ? DESK_EV_KEY : DESK_EV_NONE;
	case WP_POINTER: return IS(wp_pointer_t, m) ? DESK_EV_POINTER : DESK_EV_NONE;
	case WP_FOCUS: return IS(wp_focus_t, m) ? DESK_EV_FOCUS : DESK_EV_NONE;
	case WP_CLOSE: return DESK_EV_CLOSE;
	case WP_TASKS: return IS(wp_tasks_t, m) ? DESK_EV_TASKS : DESK_EV_NONE;
	case WP_CLIP_DATA: return clip_data(win, m, out);
	default: return DESK_EV_NONE;
	}
}
