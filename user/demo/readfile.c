/* readfile PATH: print an initrd file through FsOpen/FdRead. It shows the
 * capability model from the shell: without `run --grant fs.read=...` the
 * kernel refuses with DENIED. */
#include <nc/mem.h>
#include <nc/ulib.h>

int main(const char *arg, size_t arg_len)
{
	uint64_t h, got;
	nc_sys_err_t err = nc_sys_fs_open(arg, arg_len, 0, &h);
	if (err) {
		nc_print("readfile: %.*s: %s\n", (int)arg_len, arg, nc_sys_err_name(err));
		return 1;
	}
	static char buf[NC_SYS_IO_MAX_BYTES + 1];
	while ((err = nc_sys_fd_read(h, buf, NC_SYS_IO_MAX_BYTES, 0, &got)) == NC_SYS_OK && got) {
		buf[got] = 0;
		nc_print("%s", buf);
	}
	nc_sys_handle_close(h);
	return err ? 1 : 0;
}
