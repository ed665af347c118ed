/* Output for user programs (see nc/ulib.h). A program's standard output is
 * its handle 1, the first handle its parent passed at spawn, when that is a
 * channel endpoint or a file the program may write but not read: what a shell
 * gives the programs it runs in a terminal window (a write-only copy of the
 * window's channel, user/shell/tty.c) or with `> FILE` (a write-only copy of
 * the file's handle, user/shell/redirect.c). Otherwise it is the console
 * (WriteConsole). nc_print formats into a stack buffer, then writes it whole,
 * so lines from several threads do not interleave. */
#include <nc/fmt.h>
#include <nc/ulib.h>

static nc_lock_t lock;
static bool looked_up;
static uint64_t out, out_type; /* out 0: the console */

/* Handle 1 if it is a standard output (type and rights as above), else 0. */
static uint64_t find_standard_output(uint64_t *type)
{
	nc_sys_handle_info_t first;
	uint64_t n;
	if (nc_sys_handle_list(0, &first, 1, &n) || n == 0 || first.handle != NC_STDOUT_HANDLE)
		return 0;
	bool kind = first.type == NC_SYS_HANDLE_CHANNEL || first.type == NC_SYS_HANDLE_FILE;
	if (!kind || !(first.rights & NC_SYS_RIGHT_WRITE) || (first.rights & NC_SYS_RIGHT_READ))
		return 0;
	*type = first.type;
	return first.handle;
}

nc_sys_err_t nc_write_all(uint64_t handle, uint64_t type, const void *buf, size_t len)
{
	const char *p = buf;
	size_t max = type == NC_SYS_HANDLE_CHANNEL ? NC_SYS_IPC_MSG_MAX_BYTES : NC_SYS_IO_MAX_BYTES;
	while (len) {
		uint64_t chunk = len < max ? len : max, done = chunk;
		nc_sys_err_t err = type == NC_SYS_HANDLE_CHANNEL
					   ? nc_sys_ipc_send(handle, p, chunk, NULL, 0, NC_SYS_TIMEOUT_INFINITE)
				   : handle ? nc_sys_fd_write(handle, p, chunk, &done)
					    : nc_sys_write_console(p, chunk);
		if (err)
			return err;
		if (done == 0)
			return NC_SYS_ERR_NO_SPACE;
		p += done;
		len -= done;
	}
	return NC_SYS_OK;
}

nc_sys_err_t nc_stdout_write(const void *buf, size_t len)
{
	nc_lock_acquire(&lock);
	if (!looked_up) {
		out = find_standard_output(&out_type);
		looked_up = true;
	}
	nc_lock_release(&lock);
	return nc_write_all(out, out ? out_type : NC_SYS_HANDLE_CONSOLE, buf, len);
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
	nc_stdout_write(buf, n);
}
