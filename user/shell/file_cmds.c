/* File commands that read: ls, cat, stat, df, b3sum. They go through FsOpen/FsStat, so they need
 * an fs.read capability covering the path; paths under a file-system service (/disk) reach it.
 * Times are shown in UTC. */
#include "nexacore.h"
#include <nc/ulib.h>
#include <nc/civil.h>
#include <nc/crypto.h>
#include <nc/fmt.h>
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

/* "drwxr-xr-x" from a stat_full. */
static void mode_text(const nc_sys_stat_full_t *st, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";
	out[0] = st->type == NC_SYS_HANDLE_DIR ? 'd' : '-';
	for (int i = 0; i < 9; i++)
		out[1 + i] = st->mode >> (8 - i) & 1 ? rwx[i] : '-';
	out[10] = 0;
}

/* "2026-12-07 08:37:05" (UTC) from nanoseconds since 1970. */
static void time_text(uint64_t ns, char out[24])
{
	nc_civil_t c = nc_civil_from_unix(ns / 1000000000u);
	nc_fmt_format(out, 24, "%04lld-%02u-%02u %02u:%02u:%02u", (long long)c.year, c.month, c.day, c.hour,
		      c.minute, c.second);
}

static char path_buf[NC_SYS_PATH_MAX + 2];

/* One `ls -l` line for entry name of dir. */
static void long_line(shell_t *sh, const char *dir, const nc_sys_dirent_full_t *e)
{
	size_t n = nc_fmt_format(path_buf, sizeof path_buf, "%s/%s", dir, e->name);
	nc_sys_stat_full_t st;
	if (n >= sizeof path_buf - 1 || nc_sys_fs_stat_full(path_buf, n, &st) != NC_SYS_OK) {
		shell_printf(sh, "?????????? %4s %10s %19s  %s\n", "?", "?", "?", e->name);
		return;
	}
	char mode[11], when[24];
	mode_text(&st, mode);
	time_text(st.mtime_ns, when);
	shell_printf(sh, "%s %4llu %10llu %s  %s%s\n", mode, (unsigned long long)st.n_links,
		     (unsigned long long)st.size_bytes, when, e->name, st.type == NC_SYS_HANDLE_DIR ? "/" : "");
}

static shell_err_t cmd_ls(shell_t *sh, int argc, char **argv)
{
	bool full = argc > 1 && nc_str_compare(argv[1], "-l") == 0;
	if (argc > 2 + full)
		return SHELL_ERR_USAGE;
	const char *dir = argc == 2 + full ? argv[1 + full] : ".";
	uint64_t h;
	shell_err_t err = open_path(sh, dir, NC_SYS_OPEN_DIR, &h);
	if (err)
		return err;
	nc_sys_dirent_full_t e;
	nc_sys_err_t serr;
	for (uint64_t i = 0; (serr = nc_sys_fs_read_dir(h, i, &e)) == NC_SYS_OK; i++) {
		if (full)
			long_line(sh, dir, &e);
		else if (e.type == NC_SYS_HANDLE_DIR)
			shell_printf(sh, "%10s  %s/\n", "", e.name);
		else
			shell_printf(sh, "%10llu  %s\n", (unsigned long long)e.size_bytes, e.name);
	}
	nc_sys_handle_close(h);
	return serr == NC_SYS_ERR_NOT_FOUND ? SHELL_OK : shell_os_fail(sh, "FsReadDir", serr);
}

/* Feed every byte of path to fn (nc_fd_each_piece: pieces of up to IO_BULK_MAX_BYTES). */
static shell_err_t each_piece(shell_t *sh, const char *path,
			      nc_sys_err_t (*fn)(void *ctx, const uint8_t *p, size_t n), void *ctx)
{
	uint64_t h;
	shell_err_t err = open_path(sh, path, 0, &h);
	if (err)
		return err;
	nc_sys_err_t serr = nc_fd_each_piece(h, fn, ctx);
	nc_sys_handle_close(h);
	return serr ? shell_os_fail(sh, path, serr) : SHELL_OK;
}

static nc_sys_err_t to_terminal(void *ctx, const uint8_t *p, size_t n)
{
	shell_t *sh = ctx;
	sh->write(sh->write_ctx, (const char *)p, n);
	return NC_SYS_OK;
}

static shell_err_t cmd_cat(shell_t *sh, int argc, char **argv)
{
	if (argc < 2)
		return SHELL_ERR_USAGE;
	for (int i = 1; i < argc; i++) {
		shell_err_t err = each_piece(sh, argv[i], to_terminal, sh);
		if (err)
			return err;
	}
	return SHELL_OK;
}

static nc_sys_err_t to_hash(void *ctx, const uint8_t *p, size_t n)
{
	nc_crypto_blake3_update(ctx, p, n);
	return NC_SYS_OK;
}

/* b3sum FILE...: "HASH  FILE" per file, as Debian's b3sum prints it. */
static shell_err_t cmd_b3sum(shell_t *sh, int argc, char **argv)
{
	if (argc < 2)
		return SHELL_ERR_USAGE;
	for (int i = 1; i < argc; i++) {
		static nc_crypto_blake3_t h;
		uint8_t out[32];
		nc_crypto_blake3_init(&h);
		shell_err_t err = each_piece(sh, argv[i], to_hash, &h);
		if (err)
			return err;
		nc_crypto_blake3_finalize(&h, 0, out, sizeof out);
		for (size_t k = 0; k < sizeof out; k++)
			shell_printf(sh, "%02x", out[k]);
		shell_printf(sh, "  %s\n", argv[i]);
	}
	return SHELL_OK;
}

static shell_err_t cmd_stat(shell_t *sh, int argc, char **argv)
{
	if (argc < 2)
		return SHELL_ERR_USAGE;
	for (int i = 1; i < argc; i++) {
		nc_sys_stat_full_t st;
		nc_sys_err_t err = nc_sys_fs_stat_full(argv[i], nc_str_len(argv[i]), &st);
		if (err)
			return shell_os_fail(sh, argv[i], err);
		char mode[11], a[24], m[24], c[24];
		mode_text(&st, mode);
		time_text(st.atime_ns, a);
		time_text(st.mtime_ns, m);
		time_text(st.ctime_ns, c);
		shell_printf(sh, "  File: %s\n  Size: %llu  Blocks: %llu bytes  %s\n", argv[i],
			     (unsigned long long)st.size_bytes, (unsigned long long)st.blocks_bytes,
			     st.type == NC_SYS_HANDLE_DIR ? "directory" : "regular file");
		shell_printf(sh, "Access: (%04llo/%s)  Inode: %llu  Links: %llu\n", (unsigned long long)st.mode, mode,
			     (unsigned long long)st.inode, (unsigned long long)st.n_links);
		shell_printf(sh, "Access: %s UTC\nModify: %s UTC\nChange: %s UTC\n", a, m, c);
	}
	return SHELL_OK;
}

/* df [PATH...]: the file system of each path (default / and /disk) in KiB blocks. */
static shell_err_t cmd_df(shell_t *sh, int argc, char **argv)
{
	static char *fallback[] = { "df", "/", "/disk", NULL };
	bool all = argc == 1;
	if (all) {
		argc = 3;
		argv = fallback;
	}
	shell_printf(sh, "%-8s %12s %12s %12s %5s  %s\n", "Type", "1K-blocks", "Used", "Available", "Use%", "Path");
	for (int i = 1; i < argc; i++) {
		nc_sys_statfs_t fs;
		nc_sys_err_t err = nc_sys_fs_stat_fs(argv[i], nc_str_len(argv[i]), &fs);
		if (err == NC_SYS_ERR_NOT_FOUND && all)
			continue; /* no /disk served */
		if (err)
			return shell_os_fail(sh, argv[i], err);
		uint64_t k = fs.block_bytes / 1024u ? fs.block_bytes / 1024u : 1u;
		uint64_t total = fs.total_blocks * k, used = (fs.total_blocks - fs.free_blocks) * k;
		shell_printf(sh, "%-8s %12llu %12llu %12llu %4llu%%  %s\n", fs.fs_type, (unsigned long long)total,
			     (unsigned long long)used, (unsigned long long)(fs.free_blocks * k),
			     (unsigned long long)(total ? (used * 100u + total - 1u) / total : 0), argv[i]);
	}
	return SHELL_OK;
}

const shell_cmd_t shell_file_cmds[] = {
	{ "ls", "ls [-l] [DIR]", "list a directory (-l: mode, links, size, modification time)", cmd_ls, false },
	{ "cat", "cat FILE...", "print files", cmd_cat, false },
	{ "stat", "stat PATH...", "size, mode, links, inode and times of files", cmd_stat, false },
	{ "df", "df [PATH...]", "size and free space of the file systems (default / and /disk)", cmd_df, false },
	{ "b3sum", "b3sum FILE...", "BLAKE3 of files, as Debian's b3sum prints it", cmd_b3sum, false },
};
const size_t shell_n_file_cmds = sizeof shell_file_cmds / sizeof shell_file_cmds[0];
