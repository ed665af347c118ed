/* writefile PATH TEXT: append TEXT and a newline to PATH (made if missing) through FsOpen and
 * FdWrite. It shows write capabilities from the shell: without `run --grant fs.write=SCOPE`
 * covering PATH the kernel refuses with DENIED, whatever `..` the path holds. */
#include <nc/mem.h>
#include <nc/ulib.h>

int main(const char *arg, size_t arg_len)
{
	size_t path_len = 0;
	while (path_len < arg_len && arg[path_len] != ' ')
		path_len++;
	if (path_len == 0 || path_len == arg_len) {
		nc_print("usage: writefile PATH TEXT\n");
		return 2;
	}
	const char *text = arg + path_len + 1;
	size_t text_len = arg_len - path_len - 1;
	uint64_t h, n;
	nc_sys_err_t err = nc_sys_fs_open(arg, path_len, NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | NC_SYS_OPEN_APPEND, &h);
	if (!err) {
		err = nc_sys_fd_write(h, text, text_len, &n);
		if (!err)
			err = nc_sys_fd_write(h, "\n", 1, &n);
		nc_sys_handle_close(h);
	}
	if (err) {
		nc_print("writefile: %.*s: %s\n", (int)path_len, arg, nc_sys_err_name(err));
		return 1;
	}
	return 0;
}
