/* wintest: the desktop tests' client (docs/desktop.md). A 320x200 window
 * filled with the colour given as argument (hex 0xRRGGBB, default 0x20a060),
 * with REFERENCE_TEXT in white on a black band, DejaVu Sans 24 px, the pen
 * at (TEXT_X, TEXT_BASELINE) of the content (the QEMU test compares it with
 * the packaged rasteriser's rendering);
 * a left press paints an 8x8 white square at the pointer; keys: 'c' crashes
 * (a page fault), 'h' hangs (stops reading its connection), 'b' breaks the
 * protocol (damage for a rectangle count it does not send), 'q' closes the
 * window. WP_CLOSE ends it. Handles: 1 its connection, 2 fs.read on /fonts. */
#include <nc/desktop.h>
#include <nc/hex.h>
#include <nc/mem.h>

enum { W = 320, H = 200, TAG = 1, TEXT_PX = 24, TEXT_X = 10, TEXT_BASELINE = 40 };
#define REFERENCE_TEXT "NexaCore 0123 gy@"

static void draw(desk_window_t *win, uint32_t colour, nc_font_face_t *face)
{
	nc_gfx_fill(&win->surf, nc_gfx_rect(0, 0, win->surf.w, win->surf.h), colour);
	nc_gfx_rect_t band = nc_gfx_rect(0, TEXT_BASELINE - 30, win->surf.w, 40);
	nc_gfx_fill(&win->surf, band, 0x000000);
	nc_gfx_text(&win->surf, band, face, TEXT_X, TEXT_BASELINE, 0xffffff, REFERENCE_TEXT,
		    sizeof REFERENCE_TEXT - 1, NULL);
}

static uint32_t parse_colour(const char *s)
{
	uint32_t v = 0;
	if (s[0] == '0' && s[1] == 'x')
		s += 2;
	for (; *s; s++) {
		int d = nc_hex_digit_value(*s);
		if (d < 0)
			return 0x20a060;
		v = v << 4 | (uint32_t)d;
	}
	return v & 0xffffff;
}

int main(const char *arg, size_t arg_len)
{
	uint32_t colour = arg_len ? parse_colour(arg) : 0x20a060;
	static desk_window_t win;
	static nc_inbox_t ib;
	static desk_font_t font;
	if (desk_font_load(&font, DESK_FONT_UI, TEXT_PX) || nc_inbox_init(&ib) || desk_window_create(&win, DESK_CONNECTION, W, H, 0, "wintest") ||
	    nc_inbox_watch(&ib, DESK_CONNECTION, TAG))
		return 1;
	for (;;) {
		static nc_inbox_msg_t m;
		if (nc_inbox_receive(&ib, &m, NC_SYS_TIMEOUT_INFINITE))
			continue;
		const void *ev;
		switch (desk_window_event(&win, &m, &ev)) {
		case DESK_EV_RESIZED:
			draw(&win, colour, font.face);
			break;
		case DESK_EV_POINTER: {
			const wp_pointer_t *p = ev;
			if (p->kind == WP_POINTER_PRESS && p->button == WP_BUTTON_LEFT && !win.busy) {
				nc_gfx_fill(&win.surf, nc_gfx_rect(p->x - 4, p->y - 4, 8, 8), 0xffffff);
				desk_window_dirty(&win, nc_gfx_rect(p->x - 4, p->y - 4, 8, 8));
			}
			break;
		}
		case DESK_EV_KEY: {
			const wp_key_t *k = ev;
			char c = k->text_len == 1 ? k->text[0] : 0;
			if (c == 'c') {
				uint64_t bad = 8;
				__asm__("" : "+r"(bad));
				*(volatile int *)bad = 1;
			} else if (c == 'h') {
				for (;;)
					nc_sys_sleep(NC_SYS_TIMEOUT_INFINITE);
			} else if (c == 'b') {
				wp_damage_t d = { WP_DAMAGE, 1, 5, { { 0 } } };
				nc_sys_ipc_send(DESK_CONNECTION, &d, 12, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
			} else if (c == 'q') {
				return 0;
			}
			break;
		}
		case DESK_EV_CLOSE:
		case DESK_EV_GONE:
			return 0;
		default:
			break;
		}
		desk_window_flush(&win);
	}
}
