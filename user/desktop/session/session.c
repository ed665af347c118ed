/* The desktop session, `desktop` (docs/desktop.md): the one program of the
 * desktop that holds real authority (init's root capabilities). It starts the
 * compositor with only display.map and the fonts, asks it for a connection
 * for each program it starts (handle 1 of that program), and gives each
 * program only what it needs: the panel its connection and a launcher channel
 * back here; a terminal its connection and the capabilities the shell inside
 * it passes on. It starts the input drivers too (input.c). It also runs the shell on the console (the serial line), as
 * `make run` does: when the compositor ends, the kernel console is back on the
 * screen and the session ends the desktop's programs, and that shell is still
 * there; when that shell ends (Ctrl-D, exit), the session ends the desktop and
 * itself, and init powers the machine off.
 *
 * `desktop test` also takes commands on the console, one per line, and
 * answers on the console with lines starting "desk: " (the QEMU tests drive
 * it: tests/user/desktop/desktop_qemu_test.py); see cmd_* below. */
#include "session.h"
#include <nc/deskctl.h>
#include <nc/fmt.h>
#include <nc/mem.h>

session_t ses;

/* Where fsd serves the disk's file system (docs/filesystem.md): the file
 * browser starts there when it exists. */
#define DISK "/disk"

nc_sys_err_t session_connect(uint64_t *conn)
{
	deskctl_type_t c = { DESK_CTL_CONNECT };
	uint8_t buf[64];
	uint64_t sizes, h[1];
	nc_sys_err_t err = nc_sys_ipc_send(ses.ctl, &c, sizeof c, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
	if (!err)
		err = nc_sys_ipc_receive(ses.ctl, buf, sizeof buf, h, 1, NC_SYS_TIMEOUT_INFINITE, &sizes);
	if (!err && (sizes >> 32) != 1)
		err = NC_SYS_ERR_LIMIT;
	if (!err)
		*conn = h[0];
	return err;
}

nc_sys_err_t session_spawn(const char *prog, const char *arg, const uint64_t *hs, uint64_t n, uint64_t *pid)
{
	nc_sys_err_t err = nc_sys_process_spawn(prog, nc_str_len(prog), arg, nc_str_len(arg), hs, n, pid);
	for (int i = 0; !err && i < SESSION_APPS_MAX; i++)
		if (!ses.apps[i].pid) {
			ses.apps[i].pid = *pid;
			nc_fmt_format(ses.apps[i].name, sizeof ses.apps[i].name, "%s", prog);
			break;
		}
	return err;
}

/* The session's capability handles, to pass on as the shell's. */
static uint64_t all_caps(uint64_t *hs, uint64_t max)
{
	static nc_sys_handle_info_t info[NC_SYS_HANDLES_MAX];
	uint64_t n, k = 0;
	if (nc_sys_handle_list(0, info, NC_SYS_HANDLES_MAX, &n))
		return 0;
	for (uint64_t i = 0; i < n && i < NC_SYS_HANDLES_MAX && k < max; i++)
		if (info[i].type == NC_SYS_HANDLE_CAP)
			hs[k++] = info[i].handle;
	return k;
}

/* The handles a program gets: its connection first, then what it needs.
 * made[] lists those created for it (the session closes them after the spawn:
 * the child has copies). */
typedef struct {
	uint64_t hs[NC_SYS_SPAWN_HANDLES_MAX], made[NC_SYS_SPAWN_HANDLES_MAX];
	uint64_t n, n_made;
} kit_t;

static nc_sys_err_t give_new(kit_t *k, nc_sys_err_t (*make)(const char *, const char *, uint64_t *),
			     const char *action, const char *scope)
{
	uint64_t h;
	nc_sys_err_t err = make(action, scope, &h);
	if (!err)
		k->hs[k->n++] = k->made[k->n_made++] = h;
	return err;
}

static nc_sys_err_t launcher_channel(const char *unused_a, const char *unused_b, uint64_t *out)
{
	uint64_t e[2];
	nc_sys_err_t err = nc_sys_ipc_create_channel(e);
	if (!err && (err = nc_inbox_watch(&ses.inbox, e[0], SESSION_TAG_LAUNCHER))) {
		nc_sys_handle_close(e[0]);
		nc_sys_handle_close(e[1]);
	}
	if (!err) {
		if (ses.launcher) { /* a new panel replaces the old one's channel */
			nc_inbox_unwatch(&ses.inbox, SESSION_TAG_LAUNCHER);
			nc_sys_handle_close(ses.launcher);
		}
		ses.launcher = e[0];
		*out = e[1];
	}
	return err;
}

static nc_sys_err_t connection(const char *unused_a, const char *unused_b, uint64_t *out)
{
	return session_connect(out);
}

nc_sys_err_t session_launch(const char *name, const char *arg, uint64_t *pid)
{
	kit_t k = { .n = 0 };
	nc_sys_err_t err = give_new(&k, connection, NULL, NULL);
	if (err)
		return err;
	if (nc_str_compare(name, "terminal") == 0) {
		k.n += all_caps(k.hs + k.n, NC_SYS_SPAWN_HANDLES_MAX - 1 - k.n); /* the shell's */
		err = give_new(&k, nc_cap_derive, "fs.read", "/fonts");
	} else if (nc_str_compare(name, "panel") == 0) {
		err = give_new(&k, launcher_channel, NULL, NULL);
		if (!err)
			err = give_new(&k, nc_cap_derive, "fs.read", "/fonts");
	} else if (nc_str_compare(name, "sysmon") == 0) {
		err = give_new(&k, nc_cap_derive, "fs.read", "/fonts");
		if (!err)
			err = give_new(&k, nc_cap_derive, "process.inspect", "*");
	} else if (nc_str_compare(name, "files") == 0) {
		err = give_new(&k, nc_cap_derive, "fs.read", "/");
		nc_sys_stat_t st;
		if (!*arg && nc_sys_fs_stat(DISK, sizeof DISK - 1, &st) == NC_SYS_OK && st.type == NC_SYS_HANDLE_DIR)
			arg = DISK; /* the disk's file system when it is served (fsd) */
	} else if (nc_str_compare(name, "chat") == 0) {
		err = give_new(&k, nc_cap_derive, "fs.read", "/fonts");
		if (!err)
			err = give_new(&k, nc_cap_derive, "ai.invoke", "*"); /* every model id, nothing else */
	} else if (nc_str_compare(name, "wintest") == 0) {
		err = give_new(&k, nc_cap_derive, "fs.read", "/fonts");
	} else {
		err = NC_SYS_ERR_NOT_FOUND;
	}
	if (!err)
		err = session_spawn(name, arg, k.hs, k.n, pid);
	for (uint64_t i = 0; i < k.n_made; i++)
		nc_sys_handle_close(k.made[i]);
	return err;
}

static nc_sys_err_t start_compositor(void)
{
	uint64_t e[2], hs[4] = { 0 };
	nc_sys_err_t err = nc_sys_ipc_create_channel(e);
	if (err)
		return err;
	ses.ctl = e[0];
	hs[0] = e[1];
	err = nc_cap_derive("display.map", "*", &hs[1]);
	if (!err)
		err = nc_cap_derive("fs.read", "/fonts", &hs[2]);
	if (!err)
		err = nc_cap_derive("console.write", "*", &hs[3]); /* its error reports */
	if (!err)
		err = nc_sys_process_spawn("compositor", 10, "", 0, hs, 4, &ses.compositor);
	for (int i = 0; i < 4; i++)
		nc_sys_handle_close(hs[i]);
	return err;
}

/* Reap ended programs; true when the console shell was among them. With
 * the compositor gone the desktop's programs are ended too. */
static bool reap(void)
{
	uint64_t pid, status;
	bool shell_ended = false;
	while (nc_sys_process_wait(0, &status, 0, &pid) == NC_SYS_OK) {
		if (pid == ses.compositor) {
			session_say("compositor ended, status %#llx", (unsigned long long)status);
			ses.compositor = 0;
			session_end_apps();
			continue;
		}
		if (pid == ses.shell) {
			shell_ended = true;
			ses.shell = 0;
			continue;
		}
		if (session_input_ended(pid, status))
			continue;
		for (int i = 0; i < SESSION_APPS_MAX; i++)
			if (ses.apps[i].pid == pid) {
				session_say("%s (pid %llu) ended, status %#llx", ses.apps[i].name,
					    (unsigned long long)pid, (unsigned long long)status);
				ses.apps[i].pid = 0;
			}
	}
	return shell_ended;
}

void session_end_apps(void)
{
	for (int i = 0; i < SESSION_APPS_MAX; i++)
		if (ses.apps[i].pid)
			nc_sys_process_kill(ses.apps[i].pid);
	uint64_t pid, status;
	for (int i = 0; i < SESSION_APPS_MAX; i++)
		if (ses.apps[i].pid && !nc_sys_process_wait(ses.apps[i].pid, &status, NC_SYS_TIMEOUT_INFINITE, &pid))
			ses.apps[i].pid = 0;
}

/* The shell on the console (serial, and the screen once the compositor is
 * gone): the console and the session's capabilities, nothing of the desktop. */
static nc_sys_err_t console_shell(uint64_t *pid)
{
	static nc_sys_handle_info_t info[NC_SYS_HANDLES_MAX];
	uint64_t hs[NC_SYS_SPAWN_HANDLES_MAX], n = 0, k;
	nc_sys_err_t err = nc_sys_handle_list(0, info, NC_SYS_HANDLES_MAX, &k);
	for (uint64_t i = 0; !err && i < k && i < NC_SYS_HANDLES_MAX && n < NC_SYS_SPAWN_HANDLES_MAX; i++)
		if (info[i].type == NC_SYS_HANDLE_CONSOLE)
			hs[n++] = info[i].handle;
	n += all_caps(hs + n, NC_SYS_SPAWN_HANDLES_MAX - n);
	return err ? err : nc_sys_process_spawn("shell", 5, "", 0, hs, n, pid);
}

/* The console shell ended (the user left it, or shutdown failed): the
 * session ends the desktop and itself, and init powers off. */
static int session_over(void)
{
	session_end_apps();
	if (ses.compositor) {
		uint64_t status, pid;
		nc_sys_process_kill(ses.compositor);
		nc_sys_process_wait(ses.compositor, &status, NC_SYS_TIMEOUT_INFINITE, &pid);
	}
	return 0;
}

static void launcher_message(const nc_inbox_msg_t *m)
{
	for (uint32_t i = 0; i < m->n_handles; i++)
		nc_sys_handle_close(m->handles[i]);
	if (m->closed || m->len == 0 || m->len >= SESSION_NAME_MAX)
		return;
	char name[SESSION_NAME_MAX];
	nc_mem_copy(name, m->data, m->len);
	name[m->len] = 0;
	uint64_t pid;
	nc_sys_err_t err = session_launch(name, "", &pid);
	if (err)
		session_say("launch %s: %s", name, nc_sys_err_name(err));
}

int main(const char *arg, size_t arg_len)
{
	ses.test_mode = nc_str_compare(arg, "test") == 0;
	nc_sys_err_t err = nc_inbox_init(&ses.inbox);
	if (!err)
		err = start_compositor();
	if (err) {
		session_say("cannot start the compositor: %s", nc_sys_err_name(err));
		return 1;
	}
	session_inputs_start();
	static const char *const first[] = { "panel", "terminal" };
	for (size_t i = 0; i < sizeof first / sizeof first[0]; i++) {
		uint64_t pid;
		if ((err = session_launch(first[i], "", &pid)))
			session_say("cannot start the %s: %s", first[i], nc_sys_err_name(err));
	}
	if (ses.test_mode ? session_commands_start() : console_shell(&ses.shell))
		return 1;
	session_say("desktop up");
	for (;;) {
		static nc_inbox_msg_t m;
		if (!nc_inbox_receive(&ses.inbox, &m, SESSION_REAP_NS)) {
			if (m.tag == SESSION_TAG_LAUNCHER)
				launcher_message(&m);
			else if (m.tag == SESSION_TAG_CONSOLE)
				session_command((const char *)m.data, m.len);
		}
		if (reap() || ses.quit)
			return session_over();
	}
}
