/* The shell's terminal (see nexacore.h): the kernel console, or a channel to
 * a terminal emulator (the desktop's terminal window). On a channel the bytes
 * travel as they would on a serial line: keys come in messages, output goes
 * out in messages of at most IPC_MSG_MAX_BYTES. The programs the shell runs
 * get a write-only copy of it as their standard output (nc_print writes there,
 * user/lib/print.c), so their output reaches the same window in order, unless
 * `> FILE` gives them the file instead (redirect.c). */
#include "nexacore.h"
#include <nc/mem.h>
#include <nc/ulib.h>

bool shell_tty_find(shell_tty_t *t)
{
	nc_mem_set(t, 0, sizeof *t);
	t->handle = nc_handle_find(NC_SYS_HANDLE_CONSOLE, 0, 0);
	if (!t->handle) {
		t->handle = nc_handle_find(NC_SYS_HANDLE_CHANNEL, NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE, 0);
		t->channel = true;
	}
	return t->handle != 0;
}

nc_sys_err_t shell_tty_read(shell_tty_t *t, char *buf, size_t max, uint64_t timeout_ns, uint64_t *got)
{
	if (!t->channel)
		return nc_sys_fd_read(t->handle, buf, max, timeout_ns, got);
	if (t->off == t->len) {
		uint64_t sizes;
		nc_sys_err_t err = nc_sys_ipc_receive(t->handle, t->pending, sizeof t->pending, NULL, 0, timeout_ns,
						      &sizes);
		if (err)
			return err;
		t->len = sizes & 0xffffffffu;
		t->off = 0;
	}
	size_t n = t->len - t->off < max ? t->len - t->off : max;
	nc_mem_copy(buf, t->pending + t->off, n);
	t->off += n;
	*got = n;
	return NC_SYS_OK;
}

void shell_tty_write(const shell_tty_t *t, const char *s, size_t n)
{
	nc_write_all(t->handle, t->channel ? NC_SYS_HANDLE_CHANNEL : NC_SYS_HANDLE_CONSOLE, s, n);
}

nc_sys_err_t shell_tty_output(const shell_tty_t *t, uint64_t *out)
{
	return nc_sys_handle_duplicate(t->handle, NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_TRANSFER, out);
}
