/* panel: the bar at the top of the screen (docs/desktop.md): launcher
 * buttons (a terminal, the system monitor, the file browser), one button per window (the
 * compositor's WP_TASKS list: a click raises the window, or brings it back
 * when minimised) and a clock (UTC, from SystemInfo INFO_WALL_CLOCK_NS).
 * Handles: 1 its connection (a panel window), 2 the launcher channel to the
 * session (a message is the name of a program to start), 3 fs.read on /fonts. */
#include <nc/desktop.h>
#include <nc/fmt.h>
#include <nc/mem.h>

enum {
	TAG_CONN = 1, TAG_TICK = 2, LAUNCHER = 2, LAUNCHERS = 4, H = 30, FONT_PX = 14, GAP = 6, TASK_W = 150,
	BAR = 0x2b3038, BUTTON = 0x3d4450, BUTTON_FOCUSED = 0x3465a4, BUTTON_MINIMISED = 0x30343c,
	TEXT = 0xeeeeec, TEXT_DIM = 0x9aa0a6,
};
#define TICK_NS (1000ull * 1000 * 1000)

typedef struct {
	nc_gfx_rect_t r;
	const char *launch;   /* a launcher button: the program */
	uint32_t window;      /* a task button: the window id */
} button_t;

static struct {
	desk_window_t win;
	nc_inbox_t inbox;
	desk_font_t font;
	wp_tasks_t tasks;
	button_t buttons[LAUNCHERS + WP_TASKS_MAX];
	int n_buttons;
} P;

static void label(nc_gfx_rect_t r, const char *s, uint32_t colour)
{
	nc_font_metrics_t m;
	nc_font_face_metrics(P.font.face, &m);
	nc_gfx_text(&P.win.surf, nc_gfx_rect(r.x + 4, r.y, r.w - 8, r.h), P.font.face, r.x + 10,
		    r.y + (r.h + m.ascent - m.descent) / 2, colour, s, nc_str_len(s), NULL);
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian calendar, eras
 * of 400 years, March-based years so that leap days come last). */
static void civil(int64_t days, int *y, int *mo, int *d)
{
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	int64_t doe = days - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mo = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*mo <= 2));
}

static void draw_clock(void)
{
	uint64_t ns = 0;
	nc_sys_system_info(NC_SYS_INFO_WALL_CLOCK_NS, &ns);
	uint64_t s = ns / 1000000000ull;
	int y, mo, d;
	civil((int64_t)(s / 86400), &y, &mo, &d);
	char text[48];
	nc_fmt_format(text, sizeof text, "%04d-%02d-%02d  %02u:%02u:%02u UTC", y, mo, d, (unsigned)(s / 3600 % 24),
		      (unsigned)(s / 60 % 60), (unsigned)(s % 60));
	nc_gfx_rect_t r = nc_gfx_rect(P.win.surf.w - 230, 0, 230, H);
	nc_gfx_fill(&P.win.surf, r, BAR);
	label(r, text, TEXT);
	desk_window_dirty(&P.win, r);
}

static void add_button(nc_gfx_rect_t r, const char *text, uint32_t bg, uint32_t fg, const char *launch,
		       uint32_t window)
{
	nc_gfx_fill(&P.win.surf, r, bg);
	label(r, text, fg);
	P.buttons[P.n_buttons++] = (button_t){ r, launch, window };
}

static void draw_all(void)
{
	nc_gfx_fill(&P.win.surf, nc_gfx_rect(0, 0, P.win.surf.w, H), BAR);
	P.n_buttons = 0;
	int x = GAP;
	add_button(nc_gfx_rect(x, 4, 96, H - 8), "Terminal", BUTTON, TEXT, "terminal", 0);
	x += 96 + GAP;
	add_button(nc_gfx_rect(x, 4, 96, H - 8), "Monitor", BUTTON, TEXT, "sysmon", 0);
	x += 96 + GAP;
	add_button(nc_gfx_rect(x, 4, 96, H - 8), "Files", BUTTON, TEXT, "files", 0);
	x += 96 + GAP;
	add_button(nc_gfx_rect(x, 4, 96, H - 8), "Chat", BUTTON, TEXT, "chat", 0);
	x += 96 + 3 * GAP;
	for (uint32_t i = 0; i < P.tasks.n && i < WP_TASKS_MAX && x + TASK_W < P.win.surf.w - 240; i++) {
		const wp_task_t *t = &P.tasks.t[i];
		char title[sizeof t->title + 1];
		nc_mem_copy(title, t->title, sizeof t->title);
		title[sizeof t->title] = 0;
		add_button(nc_gfx_rect(x, 4, TASK_W, H - 8), title,
			   t->focused ? BUTTON_FOCUSED : t->minimised ? BUTTON_MINIMISED : BUTTON,
			   t->minimised ? TEXT_DIM : TEXT, NULL, t->id);
		x += TASK_W + GAP;
	}
	desk_window_dirty(&P.win, nc_gfx_rect(0, 0, P.win.surf.w, H));
	draw_clock();
}

static void click(int x, int y)
{
	for (int i = 0; i < P.n_buttons; i++) {
		if (!nc_gfx_rect_contains(P.buttons[i].r, x, y))
			continue;
		if (P.buttons[i].launch) {
			nc_sys_ipc_send(LAUNCHER, P.buttons[i].launch, nc_str_len(P.buttons[i].launch), NULL, 0,
					NC_SYS_TIMEOUT_INFINITE);
		} else {
			wp_serial_t a = { WP_ACTIVATE, P.buttons[i].window };
			nc_sys_ipc_send(DESK_CONNECTION, &a, sizeof a, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
		}
	}
}

int main(const char *arg, size_t arg_len)
{
	if (desk_font_load(&P.font, DESK_FONT_UI, FONT_PX) || nc_inbox_init(&P.inbox) ||
	    desk_window_create(&P.win, DESK_CONNECTION, WP_WINDOW_MIN, H, WP_FLAG_PANEL | WP_FLAG_FIXED, "panel") ||
	    nc_inbox_watch(&P.inbox, DESK_CONNECTION, TAG_CONN) || nc_inbox_tick(&P.inbox, TAG_TICK, TICK_NS))
		return 1;
	bool redraw_due = false;
	for (;;) {
		static nc_inbox_msg_t m;
		if (nc_inbox_receive(&P.inbox, &m, NC_SYS_TIMEOUT_INFINITE))
			continue;
		if (m.tag == TAG_TICK) {
			redraw_due = true;
		} else {
			const void *ev;
			switch (desk_window_event(&P.win, &m, &ev)) {
			case DESK_EV_RESIZED: draw_all(); break;
			case DESK_EV_TASKS:
				nc_mem_copy(&P.tasks, ev, sizeof P.tasks);
				redraw_due = true;
				break;
			case DESK_EV_POINTER: {
				const wp_pointer_t *p = ev;
				if (p->kind == WP_POINTER_PRESS && p->button == WP_BUTTON_LEFT)
					click(p->x, p->y);
				break;
			}
			case DESK_EV_GONE: return 0;
			default: break;
			}
		}
		if (redraw_due && !P.win.busy && P.win.configured) {
			draw_all();
			redraw_due = false;
		}
		desk_window_flush(&P.win);
	}
}
