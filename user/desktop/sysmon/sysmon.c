/* sysmon: the system monitor (docs/desktop.md). Every second it reads the
 * CPU count, the frame allocator's totals and the process list, and draws:
 * a summary line, a graph of CPU use (the CPU time all processes gained in
 * the second, over the CPUs' time; a process that ended within the second
 * is not counted), a graph of memory in use, and the process table with each
 * process's share of one CPU over the last second. Handles: 1 its connection,
 * 2 fs.read on /fonts, 3 process.inspect (ProcessList). */
#include <nc/desktop.h>
#include <nc/fmt.h>
#include <nc/mem.h>

enum {
	TAG_CONN = 1, TAG_TICK = 2, W = 560, H = 470, FONT_PX = 13, HISTORY = 100, MAX_PROCS = 48,
	GRAPH_H = 90, MARGIN = 10, ROW_H = 17,
	BG = 0x1e2228, PANEL = 0x262b33, GRID = 0x353b45, TEXT = 0xe6e6e6, DIM = 0x9aa0a6,
	CPU_LINE = 0x4ec96a, MEM_LINE = 0x5a9bf0,
};
#define TICK_NS (1000ull * 1000 * 1000)

static struct {
	desk_window_t win;
	nc_inbox_t inbox;
	desk_font_t ui, mono;
	uint8_t cpu[HISTORY], mem[HISTORY];  /* percent, oldest first */
	int n_samples;
	nc_sys_process_info_t now[MAX_PROCS], before[MAX_PROCS];
	uint64_t n_now, n_before, t_now, t_before;
	uint64_t cpus, total_frames, free_frames;
} S;

static void text(desk_font_t *f, int x, int y, uint32_t colour, const char *s)
{
	nc_gfx_text(&S.win.surf, nc_gfx_rect(0, 0, S.win.surf.w, S.win.surf.h), f->face, x, y, colour, s,
		    nc_str_len(s), NULL);
}

static uint64_t cpu_before(uint64_t pid)
{
	for (uint64_t i = 0; i < S.n_before && i < MAX_PROCS; i++)
		if (S.before[i].pid == pid)
			return S.before[i].cpu_time_ns;
	return UINT64_MAX;
}

static void sample(void)
{
	nc_mem_copy(S.before, S.now, sizeof S.now);
	S.n_before = S.n_now;
	S.t_before = S.t_now;
	nc_sys_clock_get(&S.t_now);
	nc_sys_system_info(NC_SYS_INFO_CPU_COUNT, &S.cpus);
	nc_sys_system_info(NC_SYS_INFO_TOTAL_FRAMES, &S.total_frames);
	nc_sys_system_info(NC_SYS_INFO_FREE_FRAMES, &S.free_frames);
	if (nc_sys_process_list(S.now, MAX_PROCS, &S.n_now))
		S.n_now = 0;
	uint64_t gained = 0;
	for (uint64_t i = 0; i < S.n_now && i < MAX_PROCS; i++) {
		uint64_t b = cpu_before(S.now[i].pid);
		if (b != UINT64_MAX && S.now[i].cpu_time_ns >= b)
			gained += S.now[i].cpu_time_ns - b;
	}
	uint64_t span = (S.t_now - S.t_before) * (S.cpus ? S.cpus : 1);
	uint8_t cpu = S.t_before && span ? (uint8_t)(gained * 100 / span > 100 ? 100 : gained * 100 / span) : 0;
	uint8_t mem = S.total_frames ? (uint8_t)((S.total_frames - S.free_frames) * 100 / S.total_frames) : 0;
	if (S.n_samples == HISTORY) {
		nc_mem_move(S.cpu, S.cpu + 1, HISTORY - 1);
		nc_mem_move(S.mem, S.mem + 1, HISTORY - 1);
		S.n_samples--;
	}
	S.cpu[S.n_samples] = cpu;
	S.mem[S.n_samples] = mem;
	S.n_samples++;
}

static void graph(int y, const char *title, const uint8_t *v, uint32_t colour)
{
	int w = S.win.surf.w - 2 * MARGIN;
	nc_gfx_rect_t box = nc_gfx_rect(MARGIN, y, w, GRAPH_H);
	nc_gfx_fill(&S.win.surf, box, PANEL);
	for (int q = 1; q < 4; q++)
		nc_gfx_fill(&S.win.surf, nc_gfx_rect(MARGIN, y + GRAPH_H * q / 4, w, 1), GRID);
	int step = w / HISTORY;
	for (int i = 0; i < S.n_samples; i++) {
		int h = v[i] * (GRAPH_H - 2) / 100, x = MARGIN + (HISTORY - S.n_samples + i) * step;
		nc_gfx_fill(&S.win.surf, nc_gfx_rect(x, y + GRAPH_H - 1 - h, step > 1 ? step - 1 : 1, h + 1), colour);
	}
	char label[48];
	nc_fmt_format(label, sizeof label, "%s %u%%", title, S.n_samples ? v[S.n_samples - 1] : 0);
	text(&S.ui, MARGIN + 6, y + 16, TEXT, label);
}

static void draw(void)
{
	nc_gfx_fill(&S.win.surf, nc_gfx_rect(0, 0, S.win.surf.w, S.win.surf.h), BG);
	char line[160];
	uint64_t up = S.t_now / 1000000000ull, used_kib = (S.total_frames - S.free_frames) * 4;
	nc_fmt_format(line, sizeof line, "CPUs %llu    Memory %llu / %llu MiB    Processes %llu    Up %llu:%02llu:%02llu",
		      (unsigned long long)S.cpus, (unsigned long long)(used_kib / 1024),
		      (unsigned long long)(S.total_frames * 4 / 1024), (unsigned long long)S.n_now,
		      (unsigned long long)(up / 3600), (unsigned long long)(up / 60 % 60), (unsigned long long)(up % 60));
	text(&S.ui, MARGIN, 22, TEXT, line);
	graph(34, "CPU", S.cpu, CPU_LINE);
	graph(34 + GRAPH_H + 8, "Memory", S.mem, MEM_LINE);
	int y = 34 + 2 * (GRAPH_H + 8) + 14;
	text(&S.mono, MARGIN, y, DIM, "  PID  PPID THR   CPU%   MEM KiB  NAME");
	for (uint64_t i = 0; i < S.n_now && i < MAX_PROCS && y + 2 * ROW_H < S.win.surf.h; i++) {
		const nc_sys_process_info_t *p = &S.now[i];
		uint64_t b = cpu_before(p->pid), span = S.t_now - S.t_before;
		uint64_t tenths = b != UINT64_MAX && span && p->cpu_time_ns >= b ? (p->cpu_time_ns - b) * 1000 / span : 0;
		y += ROW_H;
		nc_fmt_format(line, sizeof line, "%5llu %5llu %3llu %4llu.%llu %9llu  %.*s", (unsigned long long)p->pid,
			      (unsigned long long)p->parent_pid, (unsigned long long)p->n_threads,
			      (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10),
			      (unsigned long long)(p->frames * 4), (int)nc_str_len_max(p->name, sizeof p->name), p->name);
		text(&S.mono, MARGIN, y, TEXT, line);
	}
	desk_window_dirty(&S.win, nc_gfx_rect(0, 0, S.win.surf.w, S.win.surf.h));
}

int main(const char *arg, size_t arg_len)
{
	if (desk_font_load(&S.ui, DESK_FONT_UI, FONT_PX) || desk_font_load(&S.mono, DESK_FONT_MONO, FONT_PX) ||
	    nc_inbox_init(&S.inbox) || desk_window_create(&S.win, DESK_CONNECTION, W, H, 0, "System monitor") ||
	    nc_inbox_watch(&S.inbox, DESK_CONNECTION, TAG_CONN) || nc_inbox_tick(&S.inbox, TAG_TICK, TICK_NS))
		return 1;
	bool due = false;
	for (;;) {
		static nc_inbox_msg_t m;
		if (nc_inbox_receive(&S.inbox, &m, NC_SYS_TIMEOUT_INFINITE))
			continue;
		if (m.tag == TAG_TICK) {
			sample();
			due = true;
		} else {
			const void *ev;
			switch (desk_window_event(&S.win, &m, &ev)) {
			case DESK_EV_RESIZED: due = true; break;
			case DESK_EV_CLOSE: case DESK_EV_GONE: return 0;
			default: break;
			}
		}
		if (due && S.win.configured && !S.win.busy) {
			draw();
			due = false;
		}
		desk_window_flush(&S.win);
	}
}
