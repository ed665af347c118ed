/* The disk's file system served by fsd at /disk (lib/fs over the NVMe driver's block service),
 * reached through the ordinary file calls: run in the fsd boot (tests/user/fsd_qemu_test.sh),
 * whose disk mke2fs made with /seed/hello.txt ("hello from mke2fs\n"). What the tests leave
 * under /disk/out the host script checks afterwards with debugfs and e2fsck -fn. */
#include "drivers.h"
#include "ut_sys.h"

#define P(s) s, sizeof s - 1

enum { BIG_BYTES = 300000, RESTART_BYTES = 600000, RESTART_KILL_AT = 100 * 1024, RESTART_READ_KILL_AT = 300 * 1024 };
enum { MIB = 1 << 20, BULK_TAIL = 3001, BULK_BYTES = 4095 + 4096 + 4097 + MIB + BULK_TAIL, BULK_SEED = 31337 };

static uint8_t pattern(uint64_t i) { return (uint8_t)(i * 131u + (i >> 9) * 7u + 1u); }

static nc_sys_err_t write_all(uint64_t h, const uint8_t *p, uint64_t len)
{
	for (uint64_t done = 0, n; done < len; done += n) {
		uint64_t piece = len - done < NC_SYS_IO_MAX_BYTES ? len - done : NC_SYS_IO_MAX_BYTES;
		nc_sys_err_t err = nc_sys_fd_write(h, p + done, piece, &n);
		if (err)
			return err;
		if (n == 0)
			return NC_SYS_ERR_NO_SPACE;
	}
	return NC_SYS_OK;
}

static bool t_seed(void)
{
	uint64_t h, n;
	char buf[64];
	NC_EXPECT_SYS(nc_sys_fs_open(P("/disk/seed/hello.txt"), 0, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, sizeof buf, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == 18 && nc_mem_compare(buf, "hello from mke2fs\n", 18) == 0);
	NC_EXPECT_SYS(nc_sys_fd_write(h, "x", 1, &n), NC_SYS_ERR_DENIED); /* opened without OPEN_WRITE */
	nc_sys_handle_close(h);
	nc_sys_stat_t st;
	NC_EXPECT_SYS(nc_sys_fs_stat(P("/disk/seed"), &st), NC_SYS_OK);
	NC_REQUIRE(st.type == NC_SYS_HANDLE_DIR);
	NC_EXPECT_SYS(nc_sys_fs_stat(P("/disk"), &st), NC_SYS_OK);
	NC_REQUIRE(st.type == NC_SYS_HANDLE_DIR);
	/* the mount point shows in the initrd's root */
	NC_EXPECT_SYS(nc_sys_fs_open(P("/"), NC_SYS_OPEN_DIR, &h), NC_SYS_OK);
	nc_sys_dirent_t e;
	bool seen = false;
	for (uint64_t i = 0; nc_sys_fs_list_dir(h, i, &e) == NC_SYS_OK; i++)
		seen |= nc_str_compare(e.name, "disk") == 0 && e.type == NC_SYS_HANDLE_DIR;
	nc_sys_handle_close(h);
	NC_REQUIRE(seen);
	return true;
}

/* A 300,000-byte file written in IO_MAX_BYTES pieces, read back at offsets, synced; left as
 * /disk/out/big.bin for the host. */
static bool write_read(const uint8_t *data)
{
	static uint8_t back[NC_SYS_IO_MAX_BYTES];
	uint64_t h, n, pos;
	nc_sys_err_t err = nc_sys_fs_mkdir(P("/disk/out"));
	NC_REQUIRE(err == NC_SYS_OK || err == NC_SYS_ERR_EXISTS);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/disk/out/big.bin"), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | NC_SYS_OPEN_TRUNCATE, &h),
		  NC_SYS_OK);
	NC_EXPECT_SYS(write_all(h, data, BIG_BYTES), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_sync(h), NC_SYS_OK);
	nc_sys_stat_full_t st;
	NC_EXPECT_SYS(nc_sys_fd_stat(h, &st), NC_SYS_OK);
	NC_REQUIRE(st.size_bytes == BIG_BYTES && st.type == NC_SYS_HANDLE_FILE && st.n_links == 1);
	static const uint64_t at[] = { 0, 1, 4095, 4096, 123457, BIG_BYTES - 100 };
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		NC_EXPECT_SYS(nc_sys_fd_seek(h, at[i], NC_SYS_SEEK_SET, &pos), NC_SYS_OK);
		NC_EXPECT_SYS(nc_sys_fd_read(h, back, sizeof back, 0, &n), NC_SYS_OK);
		uint64_t want = BIG_BYTES - at[i] < sizeof back ? BIG_BYTES - at[i] : sizeof back;
		NC_REQUIRE(n == want && nc_mem_compare(back, data + at[i], n) == 0);
	}
	NC_EXPECT_SYS(nc_sys_fd_read(h, back, sizeof back, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == 0);
	/* a hole: seek past the end, write, the gap reads as zeros */
	NC_EXPECT_SYS(nc_sys_fd_seek(h, BIG_BYTES + 5000, NC_SYS_SEEK_SET, &pos), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_write(h, "end", 3, &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, BIG_BYTES, NC_SYS_SEEK_SET, &pos), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read(h, back, 5003, 0, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fd_read(h, back, 4096, 0, &n), NC_SYS_OK);
	bool zero = n == 4096;
	for (uint64_t i = 0; i < n; i++)
		zero &= back[i] == 0;
	NC_REQUIRE(zero);
	NC_EXPECT_SYS(nc_sys_fs_truncate(h, BIG_BYTES), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_stat(h, &st), NC_SYS_OK);
	NC_REQUIRE(st.size_bytes == BIG_BYTES);
	NC_EXPECT_SYS(nc_sys_fs_sync(h), NC_SYS_OK);
	nc_sys_handle_close(h);
	return true;
}

static bool t_append_exclusive(void)
{
	uint64_t h, n;
	char buf[32];
	nc_sys_fs_unlink(P("/disk/out/log.txt"));
	const uint64_t create = NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | NC_SYS_OPEN_EXCLUSIVE;
	NC_EXPECT_SYS(nc_sys_fs_open(P("/disk/out/log.txt"), create, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_write(h, "one\n", 4, &n), NC_SYS_OK);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/disk/out/log.txt"), create, &h), NC_SYS_ERR_EXISTS);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/disk/out/log.txt"), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_APPEND, &h), NC_SYS_OK);
	uint64_t pos;
	NC_EXPECT_SYS(nc_sys_fd_seek(h, 0, NC_SYS_SEEK_SET, &pos), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_write(h, "two\n", 4, &n), NC_SYS_OK); /* at the end all the same */
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/disk/out/log.txt"), 0, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read(h, buf, sizeof buf, 0, &n), NC_SYS_OK);
	nc_sys_handle_close(h);
	NC_REQUIRE(n == 8 && nc_mem_compare(buf, "one\ntwo\n", 8) == 0);
	return true;
}

static bool t_names(void)
{
	uint64_t h, n;
	nc_sys_fs_rmdir(P("/disk/out/d/e"));
	nc_sys_fs_rmdir(P("/disk/out/d"));
	NC_EXPECT_SYS(nc_sys_fs_mkdir(P("/disk/out/d")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_mkdir(P("/disk/out/d")), NC_SYS_ERR_EXISTS);
	NC_EXPECT_SYS(nc_sys_fs_mkdir(P("/disk/out/nope/x")), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/disk/out/d/a"), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_write(h, "A", 1, &n), NC_SYS_OK);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/disk/out/d/b"), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_write(h, "BB", 2, &n), NC_SYS_OK);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(nc_sys_fs_rmdir(P("/disk/out/d")), NC_SYS_ERR_NOT_EMPTY);
	NC_EXPECT_SYS(nc_sys_fs_unlink(P("/disk/out/d")), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_fs_rmdir(P("/disk/out/d/a")), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_fs_rename(P("/disk/out/d/a"), P("/disk/out/d/b")), NC_SYS_OK); /* replaces b */
	nc_sys_stat_full_t st;
	NC_EXPECT_SYS(nc_sys_fs_stat_full(P("/disk/out/d/b"), &st), NC_SYS_OK);
	NC_REQUIRE(st.size_bytes == 1);
	NC_EXPECT_SYS(nc_sys_fs_stat_full(P("/disk/out/d/a"), &st), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_fs_link(P("/disk/out/d/b"), P("/disk/out/d/c")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_stat_full(P("/disk/out/d/c"), &st), NC_SYS_OK);
	NC_REQUIRE(st.n_links == 2);
	NC_EXPECT_SYS(nc_sys_fs_rename(P("/disk/out/d/c"), P("/d2")), NC_SYS_ERR_CROSS_DEVICE);
	NC_EXPECT_SYS(nc_sys_fs_mkdir(P("/disk/out/d/e")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/disk/out/d"), NC_SYS_OPEN_DIR, &h), NC_SYS_OK);
	nc_sys_dirent_full_t e;
	int seen = 0;
	uint64_t i = 0;
	for (; nc_sys_fs_read_dir(h, i, &e) == NC_SYS_OK; i++)
		seen |= (nc_str_compare(e.name, "b") == 0) << 0 | (nc_str_compare(e.name, "c") == 0) << 1 |
			(nc_str_compare(e.name, "e") == 0 && e.type == NC_SYS_HANDLE_DIR) << 2;
	nc_sys_handle_close(h);
	NC_REQUIRE(seen == 7 && i == 3);
	NC_EXPECT_SYS(nc_sys_fs_unlink(P("/disk/out/d/b")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_unlink(P("/disk/out/d/b")), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_fs_stat_full(P("/disk/out/d/c"), &st), NC_SYS_OK);
	NC_REQUIRE(st.n_links == 1 && st.size_bytes == 1);
	nc_sys_statfs_t fs;
	NC_EXPECT_SYS(nc_sys_fs_stat_fs(P("/disk/out"), &fs), NC_SYS_OK);
	NC_REQUIRE(fs.block_bytes == 1024 && fs.total_blocks == 65536 && fs.free_blocks > 1000 &&
		fs.free_blocks < fs.total_blocks);
	return true;
}

/* A child holding fs.read on /disk and fs.write only on /disk/out/w. */
static int child_scoped(void)
{
	uint64_t h, n;
	NC_EXPECT_CHILD(nc_sys_fs_open(P("/disk/seed/hello.txt"), 0, &h), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_fs_open(P("/disk/seed/hello.txt"), NC_SYS_OPEN_WRITE, &h), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_mkdir(P("/disk/out/x")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_open(P("/disk/out/w/f"), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE, &h), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_fd_write(h, "w", 1, &n), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_fs_open(P("/disk/out/w/../f"), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE, &h),
			NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_rename(P("/disk/out/w/f"), P("/disk/out/f")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_unlink(P("/disk/out/log.txt")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_unlink(P("/disk/out/w/f")), NC_SYS_OK);
	return 0;
}

static bool t_scope(void)
{
	nc_sys_err_t err = nc_sys_fs_mkdir(P("/disk/out/w"));
	NC_REQUIRE(err == NC_SYS_OK || err == NC_SYS_ERR_EXISTS);
	uint64_t caps[2], status;
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/disk", NC_SYS_RIGHTS_ALL, 0, &caps[0]), NC_SYS_OK);
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.write", "/disk/out/w", NC_SYS_RIGHTS_ALL, 0, &caps[1]), NC_SYS_OK);
	if (!ut_spawn_with("disk.scoped", caps, 2, &status))
		return false;
	nc_sys_handle_close(caps[0]);
	nc_sys_handle_close(caps[1]);
	if (status != 0)
		return NC_FAIL("the scoped child failed at line %llu", (unsigned long long)status);
	return true;
}

/* fsd keeps serving across restarts of the NVMe driver (devmgr --control: kill nvme0): the
 * request that meets the dead driver is sent again to the restarted one, a write with its data
 * (writes that fsd batched before the kill included), so the whole file reads back after a sync.
 * The first kill comes at a block boundary while writing, so the next request is a write of new
 * blocks; the second while reading the file back, past fsd's read-ahead. */
static bool driver_restart(const uint8_t *data)
{
	static uint8_t back[NC_SYS_IO_MAX_BYTES];
	uint64_t h, n;
	char reply[128];
	nc_sys_err_t err = nc_sys_fs_mkdir(P("/disk/out"));
	NC_REQUIRE(err == NC_SYS_OK || err == NC_SYS_ERR_EXISTS);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/disk/out/restart.bin"), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | NC_SYS_OPEN_TRUNCATE,
				 &h), NC_SYS_OK);
	NC_EXPECT_SYS(write_all(h, data, RESTART_KILL_AT), NC_SYS_OK);
	if (!drv_devmgr("kill nvme0", reply, sizeof reply))
		return NC_FAIL("devmgr: kill nvme0: %s", reply);
	NC_EXPECT_SYS(write_all(h, data + RESTART_KILL_AT, RESTART_BYTES - RESTART_KILL_AT), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_sync(h), NC_SYS_OK);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/disk/out/restart.bin"), 0, &h), NC_SYS_OK);
	bool same = true, killed = false;
	uint64_t total = 0;
	while (same && (err = nc_sys_fd_read(h, back, sizeof back, 0, &n)) == NC_SYS_OK && n) {
		same = total + n <= RESTART_BYTES && nc_mem_compare(back, data + total, n) == 0;
		total += n;
		if (total >= RESTART_READ_KILL_AT && !killed) {
			killed = true;
			if (!drv_devmgr("kill nvme0", reply, sizeof reply))
				return NC_FAIL("devmgr: kill nvme0 (reading): %s", reply);
		}
	}
	nc_sys_handle_close(h);
	if (err)
		return NC_FAIL("reading back at byte %llu: %s", (unsigned long long)total, nc_sys_err_name(err));
	if (!same || total != RESTART_BYTES)
		return NC_FAIL("read back differs near byte %llu of %u", (unsigned long long)total, RESTART_BYTES);
	return true;
}

/* Run body on data[0..n) = pattern(i + seed) from the heap: a static buffer would be part of
 * every usertests process, and test children run in quotas of a few MiB. */
static bool with_pattern(uint64_t n, uint64_t seed, bool (*body)(const uint8_t *))
{
	uint8_t *data = nc_malloc(n);
	if (!data)
		return NC_FAIL("no memory for %llu bytes", (unsigned long long)n);
	for (uint64_t i = 0; i < n; i++)
		data[i] = pattern(i + seed);
	bool ok = body(data);
	nc_free(data);
	return ok;
}

static bool t_write_read(void) { return with_pattern(BIG_BYTES, 0, write_read); }

static bool t_driver_restart(void)
{
	return with_pattern(RESTART_BYTES, 7777, driver_restart);
}

/* FdWriteBulk and FdReadBulk through fsd's windows: a file written in pieces around the window
 * sizes (one FdWrite's worth, one page more, a whole IO_BULK_MAX_BYTES) from unaligned addresses,
 * read back whole and at unaligned offsets, short at the end of the file; a read-only buffer gives
 * BAD_ADDRESS with the position unchanged. Left as /disk/out/bulk.bin for the host (debugfs). */
static bool bulk_io(const uint8_t *data)
{
	static const uint64_t pieces[] = { 4095, 4096, 4097, MIB, BULK_TAIL };
	uint8_t *back = nc_malloc(MIB + 1);
	if (!back)
		return NC_FAIL("no memory for the read buffer");
	uint64_t h, n, pos, ro, done = 0;
	nc_sys_err_t err = nc_sys_fs_mkdir(P("/disk/out"));
	NC_REQUIRE(err == NC_SYS_OK || err == NC_SYS_ERR_EXISTS);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/disk/out/bulk.bin"), NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | NC_SYS_OPEN_TRUNCATE,
				 &h), NC_SYS_OK);
	for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; done += pieces[i++]) {
		NC_EXPECT_SYS(nc_sys_fd_write_bulk(h, data + done, pieces[i], &n), NC_SYS_OK);
		NC_REQUIRE(n == pieces[i]);
	}
	NC_EXPECT_SYS(nc_sys_fs_sync(h), NC_SYS_OK);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(nc_sys_fs_open(P("/disk/out/bulk.bin"), 0, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, back + 1, MIB, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == MIB && nc_mem_compare(back + 1, data, MIB) == 0);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, back, MIB, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == BULK_BYTES - MIB && nc_mem_compare(back, data + MIB, n) == 0); /* the rest: short */
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, back, MIB, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == 0);
	static const struct { uint64_t at, len; } reads[] = {
		{ 1, 4097 }, { 4095, MIB - 1 }, { 4097, 65537 }, { 12345, MIB }, { BULK_BYTES - 4097, 4097 },
		{ BULK_BYTES - 1, MIB }, { BULK_BYTES + 10, 5000 },
	};
	for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
		uint64_t want = reads[i].at >= BULK_BYTES ? 0 : BULK_BYTES - reads[i].at;
		want = want < reads[i].len ? want : reads[i].len;
		NC_EXPECT_SYS(nc_sys_fd_seek(h, reads[i].at, NC_SYS_SEEK_SET, &pos), NC_SYS_OK);
		NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, back + (i & 7), reads[i].len, 0, &n), NC_SYS_OK);
		if (n != want || nc_mem_compare(back + (i & 7), data + reads[i].at, n) != 0)
			return NC_FAIL("read of %llu at %llu: %llu bytes, want %llu", (unsigned long long)reads[i].len,
				       (unsigned long long)reads[i].at, (unsigned long long)n, (unsigned long long)want);
	}
	NC_EXPECT_SYS(nc_sys_mem_map(0, 2 * 4096, NC_SYS_PROT_READ, &ro), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, 0, NC_SYS_SEEK_SET, &pos), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read_bulk(h, (void *)ro, 8000, 0, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_fd_seek(h, 0, NC_SYS_SEEK_CUR, &pos), NC_SYS_OK);
	NC_REQUIRE(pos == 0);
	nc_sys_mem_unmap(ro, 2 * 4096);
	nc_sys_handle_close(h);
	nc_free(back);
	return true;
}

static bool t_bulk(void) { return with_pattern(BULK_BYTES, BULK_SEED, bulk_io); }

const nc_test_case_t ut_disk_tests[] = {
	{ "disk.seed", t_seed },
	{ "disk.write_read", t_write_read },
	{ "disk.append_exclusive", t_append_exclusive },
	{ "disk.names", t_names },
	{ "disk.scope", t_scope },
	{ "disk.driver_restart", t_driver_restart },
	{ "disk.bulk", t_bulk },
	{ NULL, NULL },
};

const nc_test_child_t ut_disk_children[] = {
	{ "disk.scoped", child_scoped },
	{ NULL, NULL },
};
