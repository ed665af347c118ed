/* The test mode's console commands (`desktop test`), one per line; every
 * answer is a line starting "desk: ":
 *   state                  the windows, bottom to top, then "end" with counters
 *   sync                   wait until the compositor has handled and drawn everything
 *   launch NAME [ARG]      start a desktop program; "launched NAME pid P"
 *   pointer X Y [B [W]]    move the pointer to (X, Y) with buttons B held (WP_BUTTON_*), wheel W
 *   key CODE 0|1           release or press an evdev key
 *   type TEXT              press and release the keys that type TEXT (US layout)
 *   kill PID               kill a program the session started
 *   kill compositor        kill the compositor
 *   caps PID               the capabilities process PID holds, as the kernel
 *                          lists them (HandleList): "cap ACTION SCOPE" each, then "end"
 *   run PROG [ARG]         start an initrd program on the console (it gets the
 *                          console and console.write); "run PROG pid P", and
 *                          "PROG (pid P) ended, status S" when it ends
 *   bench X Y W H N        compose that rectangle N times; the median TSC cycles, and
 *                          those of only copying it to the display
 *   quit                   end the desktop and the session
 * The compositor's control channel is the session's, so its answers are read
 * here directly. */
#include "session.h"
#include <nc/deskctl.h>
#include <nc/fmt.h>
#include <nc/keymap.h>
#include <nc/mem.h>

enum { LINE_MAX = 200, ARGS_MAX = 6 };

/* Read console lines, post each to the inbox (without the line end). */
static int read_lines(void *arg)
{
	uint64_t con = (uint64_t)arg;
	char line[LINE_MAX];
	size_t len = 0;
	for (;;) {
		char buf[64];
		uint64_t got;
		if (nc_sys_fd_read(con, buf, sizeof buf, NC_SYS_TIMEOUT_INFINITE, &got))
			return 1;
		for (uint64_t i = 0; i < got; i++) {
			if (buf[i] == '\r' || buf[i] == '\n') {
				if (len)
					nc_inbox_post(&ses.inbox, SESSION_TAG_CONSOLE, line, len);
				len = 0;
			} else if (len < sizeof line) {
				line[len++] = buf[i];
			}
		}
	}
}

nc_sys_err_t session_commands_start(void)
{
	uint64_t con = nc_handle_find(NC_SYS_HANDLE_CONSOLE, NC_SYS_RIGHT_READ, 0);
	if (!con)
		return NC_SYS_ERR_NOT_FOUND;
	static nc_thread_t t;
	return nc_thread_start(&t, read_lines, (void *)con);
}

static nc_sys_err_t ctl_send(const void *msg, size_t len)
{
	return nc_sys_ipc_send(ses.ctl, msg, len, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
}

/* Read and print the compositor's answers until one that ends a reply. */
static void ctl_answers(void)
{
	union {
		uint32_t type;
		deskctl_window_t w;
		deskctl_end_t e;
		deskctl_bench_result_t b;
		uint8_t raw[NC_SYS_IPC_MSG_MAX_BYTES];
	} a;
	for (;;) {
		uint64_t sizes;
		nc_sys_err_t err = nc_sys_ipc_receive(ses.ctl, &a, sizeof a, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes);
		if (err) {
			session_say("compositor: %s", nc_sys_err_name(err));
			return;
		}
		switch (a.type) {
		case DESK_CTL_WINDOW:
			session_say("window id=%u x=%d y=%d w=%u h=%u cw=%u ch=%u focused=%u minimised=%u panel=%u "
				    "commits=%u title=%.*s", a.w.id, a.w.x, a.w.y, a.w.w, a.w.h, a.w.cw, a.w.ch, a.w.focused,
				    a.w.minimised, a.w.panel, a.w.commits, (int)nc_str_len_max(a.w.title, sizeof a.w.title),
				    a.w.title);
			break;
		case DESK_CTL_END:
			session_say("end windows=%u frames=%llu pixels=%llu pointer=%d,%d dropped=%u inputs=%u input_events=%llu",
				    a.e.n_windows, (unsigned long long)a.e.frames, (unsigned long long)a.e.pixels,
				    a.e.pointer_x, a.e.pointer_y, a.e.dropped, a.e.inputs,
				    (unsigned long long)a.e.input_events);
			return;
		case DESK_CTL_BENCH_RESULT:
			session_say("bench rounds=%u tsc=%llu copy=%llu", a.b.rounds, (unsigned long long)a.b.tsc_per_frame,
				    (unsigned long long)a.b.tsc_copy);
			return;
		default:
			session_say("refused");
			return;
		}
	}
}

static long num(const char *s)
{
	long v = 0, sign = 1;
	if (*s == '-') {
		sign = -1;
		s++;
	}
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v * sign;
}

static void key(uint16_t code, uint8_t pressed)
{
	deskctl_key_t k = { DESK_CTL_KEY, code, pressed };
	ctl_send(&k, sizeof k);
}

/* Type c with the US layout: find the key (and whether Shift is needed). */
static void type_char(char c)
{
	const nc_keymap_t *us = nc_keymap_find("us");
	for (uint16_t code = 1; code < 128; code++)
		for (unsigned shift = 0; shift <= NC_KEYMAP_SHIFT; shift += NC_KEYMAP_SHIFT) {
			char out[NC_KEYMAP_TEXT_MAX];
			if (nc_keymap_text(us, code, shift, out) == 1 && out[0] == c) {
				if (shift)
					key(NC_KEY_LEFTSHIFT, 1);
				key(code, 1);
				key(code, 0);
				if (shift)
					key(NC_KEY_LEFTSHIFT, 0);
				return;
			}
		}
}

static void cmd_kill(const char *what)
{
	uint64_t pid = nc_str_compare(what, "compositor") == 0 ? ses.compositor : (uint64_t)num(what);
	nc_sys_err_t err = pid ? nc_sys_process_kill(pid) : NC_SYS_ERR_NO_CHILD;
	session_say("kill %s: %s", what, nc_sys_err_name(err));
}

static void cmd_run(const char *prog, const char *arg)
{
	uint64_t hs[2] = { 0, 0 }, pid = 0;
	uint64_t con = nc_handle_find(NC_SYS_HANDLE_CONSOLE, NC_SYS_RIGHT_WRITE, 0);
	nc_sys_err_t err = con ? nc_sys_handle_duplicate(con, NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_TRANSFER, &hs[0])
			       : NC_SYS_ERR_NOT_FOUND;
	if (!err)
		err = nc_cap_derive("console.write", "*", &hs[1]);
	if (!err)
		err = session_spawn(prog, arg, hs, 2, &pid);
	for (int i = 0; i < 2; i++)
		if (hs[i])
			nc_sys_handle_close(hs[i]);
	if (err)
		session_say("run %s: %s", prog, nc_sys_err_name(err));
	else
		session_say("run %s pid %llu", prog, (unsigned long long)pid);
}

static void cmd_caps(const char *pid)
{
	static nc_sys_handle_info_t info[NC_SYS_HANDLES_MAX];
	uint64_t n = 0;
	nc_sys_err_t err = nc_sys_handle_list((uint64_t)num(pid), info, NC_SYS_HANDLES_MAX, &n);
	for (uint64_t i = 0; !err && i < n && i < NC_SYS_HANDLES_MAX; i++)
		if (info[i].type == NC_SYS_HANDLE_CAP)
			session_say("cap %.*s %.*s", (int)nc_str_len_max(info[i].action, sizeof info[i].action),
				    info[i].action, (int)nc_str_len_max(info[i].scope, sizeof info[i].scope),
				    info[i].scope);
	session_say("end caps %s", nc_sys_err_name(err));
}

static void cmd_quit(void)
{
	session_end_apps();
	if (ses.compositor)
		nc_sys_process_kill(ses.compositor);
	ses.quit = true;
}

void session_command(const char *text, size_t len)
{
	char line[LINE_MAX + 1];
	nc_mem_copy(line, text, len);
	line[len] = 0;
	char *argv[ARGS_MAX] = { 0 };
	int argc = 0;
	for (char *p = line; *p && argc < ARGS_MAX;) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	if (!argc)
		return;
	const char *cmd = argv[0];
	if (nc_str_compare(cmd, "type") == 0) {
		for (const char *s = text + 5; len > 5 && s < text + len; s++)
			type_char(*s);
		deskctl_type_t s = { DESK_CTL_SYNC };
		ctl_send(&s, sizeof s);
		ctl_answers();
	} else if (nc_str_compare(cmd, "state") == 0 || nc_str_compare(cmd, "sync") == 0) {
		deskctl_type_t s = { cmd[1] == 't' ? DESK_CTL_STATE : DESK_CTL_SYNC };
		ctl_send(&s, sizeof s);
		ctl_answers();
	} else if (nc_str_compare(cmd, "launch") == 0 && argc >= 2) {
		uint64_t pid;
		nc_sys_err_t err = session_launch(argv[1], argc > 2 ? argv[2] : "", &pid);
		if (err)
			session_say("launch %s: %s", argv[1], nc_sys_err_name(err));
		else
			session_say("launched %s pid %llu", argv[1], (unsigned long long)pid);
	} else if (nc_str_compare(cmd, "pointer") == 0 && argc >= 3) {
		deskctl_pointer_t p = { DESK_CTL_POINTER, (int16_t)num(argv[1]), (int16_t)num(argv[2]),
					(uint8_t)(argc > 3 ? num(argv[3]) : 0), (int8_t)(argc > 4 ? num(argv[4]) : 0) };
		ctl_send(&p, sizeof p);
	} else if (nc_str_compare(cmd, "key") == 0 && argc == 3) {
		key((uint16_t)num(argv[1]), (uint8_t)num(argv[2]));
	} else if (nc_str_compare(cmd, "run") == 0 && argc >= 2) {
		cmd_run(argv[1], argc > 2 ? argv[2] : "");
	} else if (nc_str_compare(cmd, "kill") == 0 && argc == 2) {
		cmd_kill(argv[1]);
	} else if (nc_str_compare(cmd, "caps") == 0 && argc == 2) {
		cmd_caps(argv[1]);
	} else if (nc_str_compare(cmd, "bench") == 0 && argc == 6) {
		deskctl_bench_t b = { DESK_CTL_BENCH, (uint16_t)num(argv[1]), (uint16_t)num(argv[2]),
				      (uint16_t)num(argv[3]), (uint16_t)num(argv[4]), (uint32_t)num(argv[5]) };
		ctl_send(&b, sizeof b);
		ctl_answers();
	} else if (nc_str_compare(cmd, "quit") == 0) {
		cmd_quit();
	} else {
		session_say("unknown command: %s", cmd);
	}
}
