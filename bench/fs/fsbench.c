/* fsbench: the file system through fsd inside NexaCore (bench/fs/fs_bench.sh runs it as
 * "devmgr fsd fsbench" on a fresh ext3 disk). The same four measurements linux_fsbench.c makes
 * in the Linux guest:
 *   create_1000  1,000 files of 1 KiB in /disk/b (create, one write, close), then FsSync
 *   read_1000    read them back, each to its end
 *   write_32m    one 32 MiB file in 4 KiB writes, then FsSync
 *   read_32m     read it back in 4 KiB reads
 *   write_32m_1m, read_32m_1m  the same (after removing it) in 1 MiB FdWriteBulk and FdReadBulk
 * Prints "BENCH nexacore NAME SECONDS s" lines; never asserts. */
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/ulib.h>

#define P(s) s, sizeof s - 1

enum { FILES = 1000, SMALL = 1024, PIECE = 4096, BIG = 32 << 20, BIG_PIECE = 1 << 20 };

static uint8_t buf[PIECE];

static uint64_t now_ns(void)
{
	uint64_t t = 0;
	nc_sys_clock_get(&t);
	return t;
}

static void report(const char *name, uint64_t ns)
{
	nc_print("BENCH nexacore %s %llu.%06llu s\n", name, (unsigned long long)(ns / 1000000000u),
		 (unsigned long long)(ns % 1000000000u / 1000u));
}

static int fail(const char *what, nc_sys_err_t err)
{
	nc_print("BENCH nexacore error %s: %s\n", what, nc_sys_err_name(err));
	return 1;
}

static size_t name_of(char *path, uint64_t i) { return nc_fmt_format(path, 32, "/disk/b/%llu", (unsigned long long)i); }

/* Read path to its end in pieces of piece bytes into into (FdReadBulk when bulk). */
static nc_sys_err_t read_pieces(const char *path, size_t len, uint8_t *into, size_t piece, bool bulk,
				uint64_t *total)
{
	uint64_t h, n;
	nc_sys_err_t err = nc_sys_fs_open(path, len, 0, &h);
	while (!err && (err = bulk ? nc_sys_fd_read_bulk(h, into, piece, 0, &n) : nc_sys_fd_read(h, into, piece, 0, &n)) ==
			       NC_SYS_OK && n)
		*total += n;
	nc_sys_handle_close(h);
	return err;
}

static nc_sys_err_t read_to_end(const char *path, size_t len, uint64_t *total)
{
	return read_pieces(path, len, buf, PIECE, false, total);
}

/* write_32m and read_32m of path in pieces of piece bytes from from (the Bulk calls when bulk). */
static int big_file(const char *path, size_t len, const uint8_t *from, size_t piece, bool bulk, const char *suffix)
{
	char name[32];
	uint64_t h, n, total = 0, t = now_ns();
	nc_sys_err_t err = nc_sys_fs_open(path, len, NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | NC_SYS_OPEN_TRUNCATE, &h);
	for (uint64_t done = 0; !err && done < BIG; done += n)
		err = bulk ? nc_sys_fd_write_bulk(h, from, piece, &n) : nc_sys_fd_write(h, from, piece, &n);
	if (!err)
		err = nc_sys_fs_sync(h);
	nc_sys_handle_close(h);
	nc_fmt_format(name, sizeof name, "write_32m%s", suffix);
	if (err)
		return fail(name, err);
	report(name, now_ns() - t);
	t = now_ns();
	nc_fmt_format(name, sizeof name, "read_32m%s", suffix);
	if ((err = read_pieces(path, len, (uint8_t *)from, piece, bulk, &total)) || total != BIG)
		return fail(name, err);
	report(name, now_ns() - t);
	return 0;
}

int main(const char *arg, size_t arg_len)
{
	(void)arg;
	(void)arg_len;
	char path[32];
	uint64_t h, dir, n, total = 0, t;
	nc_mem_set(buf, 'x', sizeof buf);
	nc_sys_err_t err = nc_sys_fs_mkdir(P("/disk/b"));
	if (!err)
		err = nc_sys_fs_open(P("/disk/b"), NC_SYS_OPEN_DIR, &dir);
	if (err)
		return fail("/disk/b", err);
	t = now_ns();
	for (uint64_t i = 0; i < FILES; i++) {
		size_t len = name_of(path, i);
		err = nc_sys_fs_open(path, len, NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | NC_SYS_OPEN_TRUNCATE, &h);
		if (!err)
			err = nc_sys_fd_write(h, buf, SMALL, &n);
		nc_sys_handle_close(h);
		if (err)
			return fail("create", err);
	}
	if ((err = nc_sys_fs_sync(dir)))
		return fail("sync", err);
	report("create_1000", now_ns() - t);
	t = now_ns();
	for (uint64_t i = 0; i < FILES; i++) {
		size_t len = name_of(path, i);
		if ((err = read_to_end(path, len, &total)))
			return fail("read", err);
	}
	report("read_1000", now_ns() - t);
	if (big_file(P("/disk/big"), buf, PIECE, false, ""))
		return 1;
	if ((err = nc_sys_fs_unlink(P("/disk/big")))) /* room for the next one on the 64 MiB disk */
		return fail("unlink big", err);
	uint8_t *big_buf = nc_malloc(BIG_PIECE);
	if (!big_buf)
		return fail("big buffer", NC_SYS_ERR_NO_MEMORY);
	nc_mem_set(big_buf, 'x', BIG_PIECE);
	if (big_file(P("/disk/big1m"), big_buf, BIG_PIECE, true, "_1m"))
		return 1;
	nc_print("BENCH nexacore done\n");
	return 0;
}
