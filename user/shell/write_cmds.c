/* Commands that change files (on a file-system service such as /disk; the initrd is read-only):
 * cp, mv, rm, mkdir, rmdir, touch, sync. Each goes through the file calls, so it needs fs.write
 * on the paths it changes (and fs.read on what it reads), checked by the kernel. */
#include "nexacore.h"
#include <nc/ulib.h>
#include <nc/fmt.h>
#include <nc/mem.h>

static char joined[NC_SYS_PATH_MAX + 2];

/* dst, or dst/basename(src) when dst is a directory (cp and mv into a directory). */
static const char *target(const char *src, const char *dst)
{
	nc_sys_stat_t st;
	if (nc_sys_fs_stat(dst, nc_str_len(dst), &st) != NC_SYS_OK || st.type != NC_SYS_HANDLE_DIR)
		return dst;
	const char *base = src;
	for (const char *p = src; *p; p++)
		if (*p == '/' && p[1])
			base = p + 1;
	size_t n = nc_fmt_format(joined, sizeof joined, "%s/%s", dst, base);
	if (n && joined[n - 1] == '/')
		joined[n - 1] = 0;
	return joined;
}

/* cp's sink: each piece read from the source, written whole to out. */
typedef struct {
	uint64_t out;
	nc_sys_err_t err;
} sink_t;

static nc_sys_err_t to_file(void *ctx, const uint8_t *p, size_t n)
{
	sink_t *s = ctx;
	return s->err = nc_fd_write_whole(s->out, p, n);
}

static shell_err_t copy(shell_t *sh, const char *src, const char *dst)
{
	uint64_t in, out;
	nc_sys_err_t err = nc_sys_fs_open(src, nc_str_len(src), 0, &in);
	if (err)
		return shell_os_fail(sh, src, err);
	err = nc_sys_fs_open(dst, nc_str_len(dst), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | NC_SYS_OPEN_TRUNCATE,
			     &out);
	if (err) {
		nc_sys_handle_close(in);
		return shell_os_fail(sh, dst, err);
	}
	sink_t sink = { out, NC_SYS_OK };
	err = nc_fd_each_piece(in, to_file, &sink);
	nc_sys_handle_close(in);
	nc_sys_handle_close(out);
	return err ? shell_os_fail(sh, sink.err ? dst : src, err) : SHELL_OK;
}

static shell_err_t cmd_cp(shell_t *sh, int argc, char **argv)
{
	if (argc != 3)
		return SHELL_ERR_USAGE;
	return copy(sh, argv[1], target(argv[1], argv[2]));
}

static shell_err_t cmd_mv(shell_t *sh, int argc, char **argv)
{
	if (argc != 3)
		return SHELL_ERR_USAGE;
	const char *to = target(argv[1], argv[2]);
	nc_sys_err_t err = nc_sys_fs_rename(argv[1], nc_str_len(argv[1]), to, nc_str_len(to));
	return err ? shell_os_fail(sh, argv[1], err) : SHELL_OK;
}

/* Apply a one-path call to each argument; stop at the first failure. */
static shell_err_t each_path(shell_t *sh, int argc, char **argv, nc_sys_err_t (*call)(const void *, uint64_t))
{
	if (argc < 2)
		return SHELL_ERR_USAGE;
	for (int i = 1; i < argc; i++) {
		nc_sys_err_t err = call(argv[i], nc_str_len(argv[i]));
		if (err)
			return shell_os_fail(sh, argv[i], err);
	}
	return SHELL_OK;
}

static shell_err_t cmd_rm(shell_t *sh, int argc, char **argv) { return each_path(sh, argc, argv, nc_sys_fs_unlink); }
static shell_err_t cmd_mkdir(shell_t *sh, int argc, char **argv) { return each_path(sh, argc, argv, nc_sys_fs_mkdir); }
static shell_err_t cmd_rmdir(shell_t *sh, int argc, char **argv) { return each_path(sh, argc, argv, nc_sys_fs_rmdir); }

/* touch: make the file if it is missing; an existing one gets its modification time set to now
 * (FsTruncate to its own size, which the file system stamps). */
static nc_sys_err_t touch(const void *path, uint64_t len)
{
	uint64_t h;
	nc_sys_stat_full_t st;
	nc_sys_err_t err = nc_sys_fs_open(path, len, NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE, &h);
	if (err)
		return err;
	err = nc_sys_fd_stat(h, &st);
	if (!err)
		err = nc_sys_fs_truncate(h, st.size_bytes);
	nc_sys_handle_close(h);
	return err;
}

static shell_err_t cmd_touch(shell_t *sh, int argc, char **argv) { return each_path(sh, argc, argv, touch); }

static nc_sys_err_t sync_path(const void *path, uint64_t len)
{
	nc_sys_stat_t st;
	uint64_t h;
	nc_sys_err_t err = nc_sys_fs_stat(path, len, &st);
	if (!err)
		err = nc_sys_fs_open(path, len, st.type == NC_SYS_HANDLE_DIR ? NC_SYS_OPEN_DIR : 0, &h);
	if (err)
		return err;
	err = nc_sys_fs_sync(h);
	nc_sys_handle_close(h);
	return err;
}

nc_sys_err_t shell_fs_sync(const char *path) { return sync_path(path, nc_str_len(path)); }

/* sync [PATH...]: make the file systems holding the paths (default /disk) durable. */
static shell_err_t cmd_sync(shell_t *sh, int argc, char **argv)
{
	static char *disk[] = { "sync", "/disk", NULL };
	return argc == 1 ? each_path(sh, 2, disk, sync_path) : each_path(sh, argc, argv, sync_path);
}

const shell_cmd_t shell_write_cmds[] = {
	{ "cp", "cp FROM TO", "copy a file (TO may be a directory)", cmd_cp, false },
	{ "mv", "mv FROM TO", "rename a file or directory (TO may be a directory)", cmd_mv, false },
	{ "rm", "rm FILE...", "remove files", cmd_rm, false },
	{ "mkdir", "mkdir DIR...", "make directories", cmd_mkdir, false },
	{ "rmdir", "rmdir DIR...", "remove empty directories", cmd_rmdir, false },
	{ "touch", "touch FILE...", "make empty files, or set their modification time", cmd_touch, false },
	{ "sync", "sync [PATH...]", "make the file systems of the paths (default /disk) durable", cmd_sync, false },
};
const size_t shell_n_write_cmds = sizeof shell_write_cmds / sizeof shell_write_cmds[0];
