/* File commands over the read-only initrd file system: ls, cat. Both go
 * through FsOpen, so they need an fs.read capability covering the path. */
#include "nexacore.h"
#include <nc/mem.h>

static shell_err_t open_path(shell_t *sh, const char *path, uint64_t flags, uint64_t *h)
{
	nc_sys_err_t err = nc_sys_fs_open(path, nc_str_len(path), flags, h);
	if (err == NC_SYS_ERR_NOT_FOUND) {
		shell_printf(sh, "%s: no such %s\n", path, flags ? "directory" : "file");
		return SHELL_ERR_NOT_FOUND;
	}
	return err ? shell_os_fail(sh, path, err) : SHELL_OK;
}

static shell_err_t cmd_ls(shell_t *sh, int argc, char **argv)
{
	if (argc > 2)
		return SHELL_ERR_USAGE;
	const char *dir = argc == 2 ? argv[1] : ".";
	uint64_t h;
	shell_err_t err = open_path(sh, dir, NC_SYS_OPEN_DIR, &h);
	if (err)
		return err;
	nc_sys_dirent_t e;
	nc_sys_err_t serr;
	for (uint64_t i = 0; (serr = nc_sys_fs_list_dir(h, i, &e)) == NC_SYS_OK; i++) {
		if (e.type == NC_SYS_HANDLE_DIR)
			shell_printf(sh, "%10s  %.128s/\n", "", e.name);
		else
			shell_printf(sh, "%10llu  %.128s\n", (unsigned long long)e.size_bytes, e.name);
	}
	nc_sys_handle_close(h);
	return serr == NC_SYS_ERR_NOT_FOUND ? SHELL_OK : shell_os_fail(sh, "FsListDir", serr);
}

static shell_err_t cmd_cat(shell_t *sh, int argc, char **argv)
{
	if (argc < 2)
		return SHELL_ERR_USAGE;
	for (int i = 1; i < argc; i++) {
		uint64_t h, got;
		shell_err_t err = open_path(sh, argv[i], 0, &h);
		if (err)
			return err;
		static char buf[NC_SYS_IO_MAX_BYTES];
		nc_sys_err_t serr;
		while ((serr = nc_sys_fd_read(h, buf, sizeof buf, 0, &got)) == NC_SYS_OK && got)
			sh->write(sh->write_ctx, buf, got);
		nc_sys_handle_close(h);
		if (serr)
			return shell_os_fail(sh, argv[i], serr);
	}
	return SHELL_OK;
}

const shell_cmd_t shell_file_cmds[] = {
	{ "ls", "ls [DIR]", "list a directory of the initrd", cmd_ls, false },
	{ "cat", "cat FILE...", "print files", cmd_cat, false },
};
const size_t shell_n_file_cmds = sizeof shell_file_cmds / sizeof shell_file_cmds[0];
