/* DisplayMap (docs/desktop.md): one process at a time holds the boot
 * framebuffer; while it does, the kernel console draws nothing on it; when the
 * holder ends (here: by a page fault) the console redraws its text. The
 * screen is read back through a later holder's mapping: the console draws in
 * exactly two colours, text 0xd0d0d0 on 0x101820. */
#include "ut_sys.h"

enum { FILL = 0x00c0ffee, CONSOLE_FG = 0xd0d0d0, CONSOLE_BG = 0x101820, NULL_FAULT_VECTOR = 14 };

static uint32_t console_px(uint32_t rgb, uint64_t format)
{
	return format == NC_SYS_DISPLAY_BGRX ? rgb : (rgb & 0xff) << 16 | (rgb & 0xff00) | rgb >> 16;
}

static bool mode_sane(const nc_sys_display_mode_t *m)
{
	return m->width_px && m->height_px && m->stride_px >= m->width_px &&
	       (m->format == NC_SYS_DISPLAY_RGBX || m->format == NC_SYS_DISPLAY_BGRX) &&
	       m->size_bytes >= m->stride_px * m->height_px * 4;
}

/* No capability at all: DENIED. */
static int child_denied(void)
{
	nc_sys_display_mode_t m;
	uint64_t a;
	NC_EXPECT_CHILD(nc_sys_display_map(&m, &a), NC_SYS_ERR_DENIED);
	return 0;
}

static bool t_map_errors(void)
{
	uint64_t a, st;
	NC_EXPECT_SYS(nc_sys_display_map((void *)UT_KERNEL_ADDR, &a), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_display_map((void *)UT_UNMAPPED_ADDR, &a), NC_SYS_ERR_BAD_ADDRESS);
	if (!ut_spawn_with("display_denied", NULL, 0, &st))
		return false;
	NC_REQUIRE(st == 0);
	return true;
}

/* Handles: 1 a channel to the test, 2 display.map. Map, fill the screen,
 * report the mode, wait while the test prints, check the screen kept the
 * fill, answer, then fault while holding the display. */
static int child_hold(void)
{
	nc_sys_display_mode_t m;
	uint64_t a, again, sizes;
	char msg[8];
	NC_EXPECT_CHILD(nc_sys_display_map(&m, &a), NC_SYS_OK);
	NC_EXPECT_CHILD(mode_sane(&m), true);
	NC_EXPECT_CHILD(nc_sys_display_map(&m, &again), NC_SYS_ERR_BUSY);
	volatile uint32_t *px = (volatile uint32_t *)a;
	for (uint64_t y = 0; y < m.height_px; y++)
		for (uint64_t x = 0; x < m.width_px; x++)
			px[y * m.stride_px + x] = FILL;
	NC_EXPECT_CHILD(nc_sys_ipc_send(1, &m, sizeof m, NULL, 0, NC_SYS_TIMEOUT_INFINITE), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_ipc_receive(1, msg, sizeof msg, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes), NC_SYS_OK);
	uint64_t kept = 0;
	for (uint64_t y = 0; y < m.height_px; y++)
		for (uint64_t x = 0; x < m.width_px; x++)
			kept += px[y * m.stride_px + x] == FILL;
	NC_EXPECT_CHILD(nc_sys_ipc_send(1, &kept, sizeof kept, NULL, 0, NC_SYS_TIMEOUT_INFINITE), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_ipc_receive(1, msg, sizeof msg, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes), NC_SYS_OK);
	uint64_t bad = UT_UNMAPPED_ADDR;
	__asm__("" : "+r"(bad)); /* a deliberate fault the compiler must not see through */
	*(volatile int *)bad = 1;
	return 1;
}

/* Handle 1: display.map. The display is free again and shows the console:
 * only its two colours, some text, none of the fill. */
static int child_reclaimed(void)
{
	nc_sys_display_mode_t m;
	uint64_t a;
	NC_EXPECT_CHILD(nc_sys_display_map(&m, &a), NC_SYS_OK);
	const volatile uint32_t *px = (const volatile uint32_t *)a;
	uint32_t fg = console_px(CONSOLE_FG, m.format), bg = console_px(CONSOLE_BG, m.format);
	uint64_t n_fg = 0, n_bg = 0;
	for (uint64_t y = 0; y < m.height_px; y++)
		for (uint64_t x = 0; x < m.width_px; x++) {
			uint32_t v = px[y * m.stride_px + x] & 0xffffff;
			n_fg += v == fg;
			n_bg += v == bg;
		}
	NC_EXPECT_CHILD(n_fg + n_bg, m.width_px * m.height_px);
	NC_EXPECT_CHILD(n_fg * 1000 > m.width_px * m.height_px, true); /* text: over 0.1% of the pixels */
	NC_EXPECT_CHILD(n_bg > n_fg, true);
	return 0;
}

static bool t_holder_then_console(void)
{
	static const char self[] = "usertests", arg[] = "child:display_hold";
	uint64_t e[2], hs[2], pid, st, reaped, sizes, a, kept;
	nc_sys_display_mode_t m;
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	NC_EXPECT_SYS(ut_attenuate("display", "display.map", "*", NC_SYS_RIGHT_TRANSFER, 0, &hs[1]), NC_SYS_OK);
	hs[0] = e[1];
	NC_EXPECT_SYS(nc_sys_process_spawn(self, sizeof self - 1, arg, sizeof arg - 1, hs, 2, &pid), NC_SYS_OK);
	nc_sys_handle_close(e[1]);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[0], &m, sizeof m, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes), NC_SYS_OK);
	NC_REQUIRE(mode_sane(&m));
	NC_EXPECT_SYS(nc_sys_display_map(&m, &a), NC_SYS_ERR_BUSY);
	/* console output while the display is held, enough to scroll the whole screen */
	static char lines[2 * 64];
	for (size_t i = 0; i < sizeof lines; i += 2) {
		lines[i] = 'd';
		lines[i + 1] = '\n';
	}
	NC_EXPECT_SYS(nc_sys_write_console(lines, sizeof lines), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "check", 5, NULL, 0, NC_SYS_TIMEOUT_INFINITE), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[0], &kept, sizeof kept, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes), NC_SYS_OK);
	if (kept != m.width_px * m.height_px)
		return NC_FAIL("%llu of %llu pixels kept the holder's fill while the console printed",
			       (unsigned long long)kept, (unsigned long long)(m.width_px * m.height_px));
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "crash", 5, NULL, 0, NC_SYS_TIMEOUT_INFINITE), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &st, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	nc_sys_handle_close(e[0]);
	NC_REQUIRE(st == ut_fault_status(NULL_FAULT_VECTOR));
	bool ok = ut_spawn_with("display_reclaimed", &hs[1], 1, &st);
	nc_sys_handle_close(hs[1]);
	if (!ok)
		return false;
	if (st)
		return NC_FAIL("the screen after the holder's end: check at line %llu", (unsigned long long)st);
	return true;
}

const nc_test_case_t ut_display_tests[] = {
	{ "display.map_errors", t_map_errors },
	{ "display.holder_then_console", t_holder_then_console },
	{ 0 },
};

const nc_test_child_t ut_display_children[] = {
	{ "display_denied", child_denied },
	{ "display_hold", child_hold },
	{ "display_reclaimed", child_reclaimed },
	{ 0 },
};
