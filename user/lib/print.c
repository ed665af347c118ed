/* Console output for user programs: format into a stack buffer, then write
 * it whole, so lines from several threads do not interleave. It goes to the
 * program's standard output when it has one (a channel endpoint it may write
 * but not read: what a shell in a terminal window gives the programs it runs,
 * user/shell/tty.c), else to the console (WriteConsole). */
#include <nc/fmt.h>
#include <nc/ulib.h>

static nc_lock_t lock;
static bool looked_up;
static uint64_t out; /* 0: the console */

static uint64_t standard_output(void)
{
	nc_lock_acquire(&lock);
	if (!looked_up) {
		out = nc_handle_find(NC_SYS_HANDLE_CHANNEL, NC_SYS_RIGHT_WRITE, NC_SYS_RIGHT_READ);
		looked_up = true;
	}
	nc_lock_release(&lock);
	return out;
}

void nc_print(const char *fmt, ...)
{
	char buf[NC_PRINT_MAX];
	va_list ap;
	va_start(ap, fmt);
	size_t n = nc_fmt_vformat(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	uint64_t h = standard_output();
	if (!h) {
		nc_sys_write_console(buf, n);
		return;
	}
	for (size_t off = 0; off < n;) {
		size_t chunk = n - off < NC_SYS_IPC_MSG_MAX_BYTES ? n - off : NC_SYS_IPC_MSG_MAX_BYTES;
		if (nc_sys_ipc_send(h, buf + off, chunk, NULL, 0, NC_SYS_TIMEOUT_INFINITE))
			return;
		off += chunk;
	}
}
