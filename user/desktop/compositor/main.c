/* The compositor's start and loop. Handles at start: 1 the control channel
 * (nc/deskctl.h), then capabilities: display.map, and fs.read on the UI font
 * (desk_font_load in user/desktop/lib). It maps the display, allocates the
 * back buffer, draws the empty desktop and serves messages: each batch of
 * messages (taken until the inbox is empty) is followed by one composition
 * of the damage they caused. A tick every half second checks the clients. */
#include "compositor.h"
#include <nc/deskctl.h>
#include <nc/desktop.h>
#include <nc/mem.h>

enum { TICK_NS = 500 * 1000 * 1000, LIVENESS_EVERY_NS = 1000 * 1000 * 1000, TITLE_PX = 14,
       RETRY_NS = 20 * 1000 * 1000 };

desk_t desk;

static bool start_display(void)
{
	nc_sys_display_mode_t mode;
	uint64_t addr;
	nc_sys_err_t err = nc_sys_display_map(&mode, &addr);
	if (err) {
		nc_print("compositor: DisplayMap: %s\n", nc_sys_err_name(err));
		return false;
	}
	desk.fb = (nc_gfx_surface_t){ (uint32_t *)addr, (int)mode.width_px, (int)mode.height_px, (int)mode.stride_px };
	desk.rgbx = mode.format == NC_SYS_DISPLAY_RGBX;
	uint32_t *back = nc_malloc(mode.width_px * mode.height_px * 4);
	if (!back) {
		nc_print("compositor: no memory for the back buffer\n");
		return false;
	}
	desk.back = (nc_gfx_surface_t){ back, (int)mode.width_px, (int)mode.height_px, (int)mode.width_px };
	desk.px = desk.back.w / 2;
	desk.py = desk.back.h / 2;
	compose_damage(nc_gfx_rect(0, 0, desk.back.w, desk.back.h));
	return true;
}

static void reply(const void *msg, size_t len, uint64_t *handle)
{
	nc_sys_ipc_send(desk.ctl, msg, len, handle, handle ? 1 : 0, NC_SYS_TIMEOUT_INFINITE);
}

/* A new connection: the compositor watches one end, the session gets the other. */
static void ctl_connect(void)
{
	uint64_t e[2];
	window_t *w = NULL;
	uint32_t tag = desk.next_tag++;
	if (!nc_sys_ipc_create_channel(e)) {
		w = wm_add(e[0], tag);
		if (!w || nc_inbox_watch(&desk.inbox, e[0], tag)) {
			if (w)
				w->used = false;
			nc_sys_handle_close(e[0]);
			nc_sys_handle_close(e[1]);
			w = NULL;
		}
	}
	if (!w) {
		deskctl_type_t r = { DESK_CTL_REFUSED };
		reply(&r, sizeof r, NULL);
		return;
	}
	deskctl_type_t r = { DESK_CTL_CONNECTED };
	reply(&r, sizeof r, &e[1]);
}

static void ctl_end(void)
{
	deskctl_end_t e = { DESK_CTL_END, 0, desk.frames, desk.pixels_composed, (int16_t)desk.px, (int16_t)desk.py,
			    desk.dropped, desk.n_inputs, desk.input_events };
	for (int i = 0; i < MAX_WINDOWS; i++)
		e.n_windows += desk.win[i].used && desk.win[i].created;
	reply(&e, sizeof e, NULL);
}

static void ctl_state(void)
{
	for (int k = 0; k < desk.nz; k++) {
		const window_t *w = &desk.win[desk.z[k]];
		if (!w->created)
			continue;
		deskctl_window_t d = { DESK_CTL_WINDOW, w->id, (int16_t)w->x, (int16_t)w->y, (uint16_t)w->surf.w,
				       (uint16_t)w->surf.h, (uint16_t)w->cw, (uint16_t)w->ch,
				       desk.focus == desk.z[k], w->minimised, (w->flags & WP_FLAG_PANEL) != 0,
				       w->commits, { 0 } };
		desk_copy_text(d.title, sizeof d.title, w->title, sizeof w->title);
		reply(&d, sizeof d, NULL);
	}
	ctl_end();
}

static void ctl_message(const nc_inbox_msg_t *m)
{
	if (m->closed) { /* the session is gone: so is the desktop */
		nc_print("compositor: the session closed the control channel; exiting\n");
		nc_sys_exit(0);
	}
	uint32_t type = m->len >= 4 ? *(const uint32_t *)m->data : 0;
	if (type == DESK_CTL_INPUT && m->len == sizeof(deskctl_type_t) && m->n_handles == 1) {
		if (!input_add(m->handles[0])) {
			nc_print("compositor: no room for another input device\n");
			nc_sys_handle_close(m->handles[0]);
		}
		return;
	}
	for (uint32_t i = 0; i < m->n_handles; i++)
		nc_sys_handle_close(m->handles[i]);
	switch (type) {
	case DESK_CTL_CONNECT:
		ctl_connect();
		return;
	case DESK_CTL_STATE:
		ctl_state();
		return;
	case DESK_CTL_SYNC:
		compose_flush();
		ctl_end();
		return;
	case DESK_CTL_POINTER:
		if (m->len == sizeof(deskctl_pointer_t)) {
			const deskctl_pointer_t *p = (const deskctl_pointer_t *)m->data;
			wm_pointer(p->x, p->y, p->buttons, p->wheel);
			return;
		}
		break;
	case DESK_CTL_KEY:
		if (m->len == sizeof(deskctl_key_t)) {
			const deskctl_key_t *k = (const deskctl_key_t *)m->data;
			wm_key(k->code, k->pressed);
			return;
		}
		break;
	case DESK_CTL_BENCH:
		if (m->len == sizeof(deskctl_bench_t)) {
			const deskctl_bench_t *b = (const deskctl_bench_t *)m->data;
			deskctl_bench_result_t r = { DESK_CTL_BENCH_RESULT, b->rounds, 0, 0 };
			compose_bench(nc_gfx_rect(b->x, b->y, b->w, b->h), b->rounds, &r.tsc_per_frame, &r.tsc_copy);
			reply(&r, sizeof r, NULL);
			return;
		}
		break;
	default:
		break;
	}
	deskctl_type_t r = { DESK_CTL_REFUSED };
	reply(&r, sizeof r, NULL);
}

static void handle(const nc_inbox_msg_t *m, uint64_t *last_liveness)
{
	if (m->tag == TAG_CTL) {
		ctl_message(m);
	} else if (m->tag >= TAG_FIRST_INPUT && m->tag < TAG_FIRST_INPUT + INPUTS_MAX) {
		input_message(m->tag, m);
	} else if (m->tag == TAG_TICK) {
		uint64_t now;
		nc_sys_clock_get(&now);
		if (now - *last_liveness >= LIVENESS_EVERY_NS) {
			client_liveness(now);
			*last_liveness = now;
		}
	} else {
		window_t *w = wm_by_tag(m->tag);
		if (w)
			client_message(w, m);
		else
			for (uint32_t i = 0; i < m->n_handles; i++)
				nc_sys_handle_close(m->handles[i]);
	}
}

int main(const char *arg, size_t arg_len)
{
	desk.focus = -1;
	desk.ctl = 1;
	desk.next_tag = TAG_FIRST_CLIENT;
	desk.keymap = nc_keymap_find("us");
	if (!start_display() || nc_inbox_init(&desk.inbox) || nc_inbox_watch(&desk.inbox, desk.ctl, TAG_CTL))
		return 1;
	desk_font_t font;
	nc_sys_err_t err = desk_font_load(&font, DESK_FONT_UI, TITLE_PX);
	if (err) {
		nc_print("compositor: cannot load %s: %s\n", DESK_FONT_UI, nc_sys_err_name(err));
		return 1;
	}
	desk.title_face = font.face;
	if (nc_inbox_tick(&desk.inbox, TAG_TICK, TICK_NS))
		return 1;
	compose_flush();
	uint64_t last_liveness = 0;
	bool waiting = false; /* messages wait for room in some client's channel */
	for (;;) {
		static nc_inbox_msg_t m;
		if (!nc_inbox_receive(&desk.inbox, &m, waiting ? RETRY_NS : NC_SYS_TIMEOUT_INFINITE)) {
			handle(&m, &last_liveness);
			while (!nc_inbox_receive(&desk.inbox, &m, 0))
				handle(&m, &last_liveness);
		}
		for (int i = 0; i < MAX_WINDOWS; i++)
			if (desk.win[i].used && desk.win[i].broken)
				client_drop(&desk.win[i]);
		compose_flush();
		waiting = false;
		for (int i = 0; i < MAX_WINDOWS; i++)
			if (desk.win[i].used && desk.win[i].n_pending)
				waiting |= client_flush(&desk.win[i]);
	}
}
