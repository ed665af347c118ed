/* lib/fs's calls one by one: the documented errors, stale nodes, times, free-space figures,
 * full disks, large and sparse files, directory listing, devices with large sectors, and failure
 * injection -- every allocation of a sequence of operations made to fail in turn (each failed call
 * must leave no trace and no leak), and a device that stops writing. e2fsck judges the results. */
#include "nc_test.h"
#include "fs_test_util.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	char *dir;
	char img[TMP_PATH_CAP];
	mem_dev_t dev;
	host_alloc_t alloc;
	nc_fs_t *fs;
} env_t;

/* An image of block_bytes blocks and size_kib KiB held in memory, mounted. */
static nc_fs_err_t env_open(env_t *e, uint32_t block_bytes, uint32_t size_kib, const char *mkfs_extra)
{
	*e = (env_t){ .alloc = { .fail_after = -1 } };
	e->dir = tmp_with("img", e->img, NULL);
	if (!e->dir)
		return NC_FS_ERR_IO;
	char out[4096];
	if (run(out, sizeof out, "mke2fs -q -F -t ext3 -b %u %s '%s' %uk", block_bytes, mkfs_extra ? mkfs_extra : "",
		e->img, size_kib) ||
	    mem_dev_load(&e->dev, e->img, 512))
		return NC_FS_ERR_IO;
	nc_fs_config_t cfg = mem_fs_config(&e->dev, &e->alloc, 0);
	return nc_fs_mount(&cfg, &e->fs);
}

static nc_fs_err_t env_remount(env_t *e)
{
	nc_fs_err_t err = nc_fs_unmount(e->fs);
	nc_fs_config_t cfg = mem_fs_config(&e->dev, &e->alloc, 0);
	return err ? err : nc_fs_mount(&cfg, &e->fs);
}

/* Unmount, then e2fsck -fn must be clean. */
static bool env_close(env_t *e)
{
	char out[8192];
	bool ok = nc_fs_unmount(e->fs) == NC_FS_OK && e->alloc.live_bytes == 0 && mem_dev_save(&e->dev, e->img) == 0;
	ok = ok && fsck_clean(e->img, out, sizeof out);
	if (!ok)
		nc_test_note("close: %s", out);
	mem_dev_free(&e->dev);
	tmp_remove(e->dir);
	return ok;
}

#define P(s) s, sizeof(s) - 1

static nc_fs_err_t put(nc_fs_t *fs, const char *path, const void *data, size_t len, nc_fs_node_t *n)
{
	size_t w;
	nc_fs_err_t err = nc_fs_create(fs, path, strlen(path), 0644, 0, n);
	return err ? err : nc_fs_write(fs, *n, 0, data, len, &w);
}

NC_TEST(fs_api, documented_errors)
{
	env_t e;
	NC_CHECK_EQ(env_open(&e, 1024, 8192, NULL), NC_FS_OK);
	nc_fs_t *fs = e.fs;
	nc_fs_node_t n, d;
	char name[300];
	memset(name, 'n', sizeof name);
	NC_CHECK_EQ(nc_fs_mkdir(fs, P("/d"), 0755, &d), NC_FS_OK);
	NC_CHECK_EQ(put(fs, "/d/f", "x", 1, &n), NC_FS_OK);
	nc_fs_node_t m;
	NC_CHECK_EQ(nc_fs_lookup_at(fs, d, P("f"), &m), NC_FS_OK);
	NC_CHECK_EQ(m.ino, n.ino);
	NC_CHECK_EQ(nc_fs_lookup_at(fs, d, P("g"), &m), NC_FS_ERR_NOT_FOUND);
	NC_CHECK_EQ(nc_fs_lookup_at(fs, d, P("f/x"), &m), NC_FS_ERR_INVALID);
	NC_CHECK_EQ(nc_fs_lookup_at(fs, d, "", 0, &m), NC_FS_ERR_INVALID);
	NC_CHECK_EQ(nc_fs_lookup_at(fs, n, P("x"), &m), NC_FS_ERR_NOT_DIR);
	NC_CHECK_EQ(nc_fs_create(fs, P("/missing/f"), 0644, 0, &n), NC_FS_ERR_NOT_FOUND);
	NC_CHECK_EQ(nc_fs_create(fs, P("/d/f/g"), 0644, 0, &n), NC_FS_ERR_NOT_DIR);
	NC_CHECK_EQ(nc_fs_create(fs, P("/d/f"), 0644, NC_FS_CREATE_EXCLUSIVE, &n), NC_FS_ERR_EXISTS);
	NC_CHECK_EQ(nc_fs_create(fs, P("/d"), 0644, 0, &n), NC_FS_ERR_IS_DIR);
	NC_CHECK_EQ(nc_fs_create(fs, P("/d/."), 0644, 0, &n), NC_FS_ERR_INVALID);
	NC_CHECK_EQ(nc_fs_create(fs, P("/d/.."), 0644, 0, &n), NC_FS_ERR_INVALID);
	NC_CHECK_EQ(nc_fs_create(fs, P("/"), 0644, 0, &n), NC_FS_ERR_INVALID);
	NC_CHECK_EQ(nc_fs_create(fs, P("/d/f"), 0644, 2, &n), NC_FS_ERR_INVALID);
	NC_CHECK_EQ(nc_fs_create(fs, name, 256, 0644, 0, &n), NC_FS_ERR_NAME_TOO_LONG);
	NC_CHECK_EQ(nc_fs_create(fs, name, 255, 0644, 0, &n), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_lookup(fs, name, NC_FS_PATH_MAX + 1, &n), NC_FS_ERR_INVALID);
	NC_CHECK_EQ(nc_fs_lookup(fs, "/d\0f", 4, &n), NC_FS_ERR_INVALID);
	NC_CHECK_EQ(nc_fs_mkdir(fs, P("/d"), 0755, NULL), NC_FS_ERR_EXISTS);
	NC_CHECK_EQ(nc_fs_mkdir(fs, P("/d/f"), 0755, NULL), NC_FS_ERR_EXISTS);
	NC_CHECK_EQ(nc_fs_unlink(fs, P("/d")), NC_FS_ERR_IS_DIR);
	NC_CHECK_EQ(nc_fs_unlink(fs, P("/d/none")), NC_FS_ERR_NOT_FOUND);
	NC_CHECK_EQ(nc_fs_unlink(fs, P("/")), NC_FS_ERR_IS_DIR);
	NC_CHECK_EQ(nc_fs_rmdir(fs, P("/d")), NC_FS_ERR_NOT_EMPTY);
	NC_CHECK_EQ(nc_fs_rmdir(fs, P("/d/f")), NC_FS_ERR_NOT_DIR);
	NC_CHECK_EQ(nc_fs_rmdir(fs, P("//")), NC_FS_ERR_BUSY);
	NC_CHECK_EQ(nc_fs_rmdir(fs, P("/d/.")), NC_FS_ERR_INVALID);
	NC_CHECK_EQ(nc_fs_rename(fs, P("/"), P("/x")), NC_FS_ERR_BUSY);
	NC_CHECK_EQ(nc_fs_rename(fs, P("/d"), P("/d/sub")), NC_FS_ERR_LOOP);
	NC_CHECK_EQ(nc_fs_rename(fs, P("/d/f"), P("/d")), NC_FS_ERR_IS_DIR);
	NC_CHECK_EQ(nc_fs_mkdir(fs, P("/e"), 0755, NULL), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_rename(fs, P("/e"), P("/d/f")), NC_FS_ERR_NOT_DIR);
	NC_CHECK_EQ(nc_fs_rename(fs, P("/e"), P("/d")), NC_FS_ERR_NOT_EMPTY);
	NC_CHECK_EQ(nc_fs_rename(fs, P("/nothing"), P("/z")), NC_FS_ERR_NOT_FOUND);
	NC_CHECK_EQ(nc_fs_link(fs, P("/d"), P("/dl")), NC_FS_ERR_IS_DIR);
	NC_CHECK_EQ(nc_fs_link(fs, P("/d/f"), P("/e")), NC_FS_ERR_EXISTS);
	char buf[4];
	size_t got;
	uint64_t cookie = 0;
	bool end;
	nc_fs_dirent_t de;
	NC_CHECK_EQ(nc_fs_read(fs, d, 0, buf, sizeof buf, &got), NC_FS_ERR_IS_DIR);
	NC_CHECK_EQ(nc_fs_lookup(fs, P("/d/f"), &n), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_read_dir(fs, n, &cookie, &de, &end), NC_FS_ERR_NOT_DIR);
	NC_CHECK_EQ(nc_fs_read_link(fs, n, buf, sizeof buf, &got), NC_FS_ERR_INVALID);
	NC_CHECK_EQ(nc_fs_write(fs, d, 0, "x", 1, &got), NC_FS_ERR_IS_DIR);
	NC_CHECK_EQ(nc_fs_truncate(fs, d, 0), NC_FS_ERR_IS_DIR);
	NC_CHECK_EQ(nc_fs_read(fs, n, 0, NULL, 1, &got), NC_FS_ERR_INVALID);
	/* the largest offset 1 KiB blocks can map: 12 + 256 + 256^2 + 256^3 blocks */
	uint64_t max = (12ull + 256 + 65536 + 16777216) * 1024;
	NC_CHECK_EQ(nc_fs_write(fs, n, max, "x", 1, &got), NC_FS_ERR_TOO_BIG);
	NC_CHECK_EQ(nc_fs_truncate(fs, n, max + 1), NC_FS_ERR_TOO_BIG);
	NC_CHECK_EQ(nc_fs_write(fs, n, max - 1, "x", 1, &got), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_read(fs, n, max - 1, buf, 4, &got), NC_FS_OK);
	NC_CHECK(got == 1 && buf[0] == 'x');
	NC_CHECK(env_close(&e));
}

NC_TEST(fs_api, stale_nodes)
{
	env_t e;
	NC_CHECK_EQ(env_open(&e, 1024, 8192, NULL), NC_FS_OK);
	nc_fs_node_t a, b;
	nc_fs_stat_t st;
	NC_CHECK_EQ(put(e.fs, "/a", "1", 1, &a), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_unlink(e.fs, P("/a")), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_stat(e.fs, a, &st), NC_FS_ERR_STALE);
	NC_CHECK_EQ(put(e.fs, "/b", "2", 1, &b), NC_FS_OK);
	NC_CHECK_EQ(b.ino, a.ino); /* the inode number is reused ... */
	size_t got;
	char buf[2];
	NC_CHECK_EQ(nc_fs_read(e.fs, a, 0, buf, 1, &got), NC_FS_ERR_STALE); /* ... not the node */
	NC_CHECK_EQ(nc_fs_stat(e.fs, (nc_fs_node_t){ 0, 0 }, &st), NC_FS_ERR_STALE);
	NC_CHECK_EQ(nc_fs_stat(e.fs, (nc_fs_node_t){ 99999999, 0 }, &st), NC_FS_ERR_STALE);
	NC_CHECK(env_close(&e));
}

NC_TEST(fs_api, stat_times_links_and_statfs)
{
	env_t e;
	NC_CHECK_EQ(env_open(&e, 4096, 16384, NULL), NC_FS_OK);
	nc_fs_statfs_t s0, s1;
	NC_CHECK_EQ(nc_fs_statfs(e.fs, &s0), NC_FS_OK);
	NC_CHECK_EQ(s0.block_bytes, 4096);
	NC_CHECK_EQ(s0.total_blocks, 4096);
	NC_CHECK(s0.free_blocks > 2000 && s0.avail_blocks < s0.free_blocks && s0.name_max == 255 && !s0.read_only);
	uint64_t t0 = host_fs_clock(NULL);
	nc_fs_node_t n;
	nc_fs_stat_t st;
	static uint8_t data[10 * 4096];
	NC_CHECK_EQ(put(e.fs, "/f", data, sizeof data, &n), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_stat(e.fs, n, &st), NC_FS_OK);
	NC_CHECK_EQ(st.type, NC_FS_TYPE_FILE);
	NC_CHECK_EQ(st.mode, 0644);
	NC_CHECK_EQ(st.n_links, 1);
	NC_CHECK_EQ(st.size_bytes, sizeof data);
	NC_CHECK_EQ(st.blocks_bytes, sizeof data);
	NC_CHECK(st.mtime_ns >= t0 - 1000000000ull && st.mtime_ns <= host_fs_clock(NULL));
	NC_CHECK_EQ(nc_fs_statfs(e.fs, &s1), NC_FS_OK);
	NC_CHECK_EQ(s1.free_blocks, s0.free_blocks - 10);
	NC_CHECK_EQ(s1.free_inodes, s0.free_inodes - 1);
	NC_CHECK_EQ(nc_fs_link(e.fs, P("/f"), P("/g")), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_stat(e.fs, n, &st), NC_FS_OK);
	NC_CHECK_EQ(st.n_links, 2);
	NC_CHECK_EQ(nc_fs_set_times(e.fs, n, 1234567890123456789ull, 2222222222987654321ull), NC_FS_OK);
	NC_CHECK_EQ(env_remount(&e), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_lookup(e.fs, P("/g"), &n), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_stat(e.fs, n, &st), NC_FS_OK);
	NC_CHECK_EQ(st.atime_ns, 1234567890123456789ull);
	NC_CHECK_EQ(st.mtime_ns, 2222222222987654321ull); /* past 2038: the epoch bits */
	nc_fs_node_t d;
	NC_CHECK_EQ(nc_fs_mkdir(e.fs, P("/d"), 0700, &d), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_mkdir(e.fs, P("/d/s"), 0700, NULL), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_stat(e.fs, d, &st), NC_FS_OK);
	NC_CHECK(st.type == NC_FS_TYPE_DIR && st.n_links == 3 && st.mode == 0700 && st.size_bytes == 4096);
	NC_CHECK_EQ(nc_fs_rename(e.fs, P("/d/s"), P("/s")), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_stat(e.fs, d, &st), NC_FS_OK);
	NC_CHECK_EQ(st.n_links, 2);
	NC_CHECK_EQ(nc_fs_unlink(e.fs, P("/f")), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_unlink(e.fs, P("/g")), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_rmdir(e.fs, P("/s")), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_rmdir(e.fs, P("/d")), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_statfs(e.fs, &s1), NC_FS_OK);
	NC_CHECK_EQ(s1.free_blocks, s0.free_blocks);
	NC_CHECK_EQ(s1.free_inodes, s0.free_inodes);
	NC_CHECK(env_close(&e));
}

/* Writing, truncating and reading back around holes and block edges. */
NC_TEST(fs_api, sparse_and_truncated_files)
{
	env_t e;
	NC_CHECK_EQ(env_open(&e, 1024, 8192, NULL), NC_FS_OK);
	nc_fs_node_t n;
	size_t got;
	static uint8_t buf[70000], want[70000];
	NC_CHECK_EQ(nc_fs_create(e.fs, P("/s"), 0644, 0, &n), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_write(e.fs, n, 5000, "abc", 3, &got), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_truncate(e.fs, n, 4999), NC_FS_OK);   /* the c... */
	NC_CHECK_EQ(nc_fs_truncate(e.fs, n, 60000), NC_FS_OK);  /* ...and the old tail read as zeros */
	NC_CHECK_EQ(nc_fs_append(e.fs, n, "tail", 4, &got), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_read(e.fs, n, 0, buf, sizeof buf, &got), NC_FS_OK);
	NC_CHECK_EQ(got, 60004);
	memcpy(want + 60000, "tail", 4);
	NC_CHECK(memcmp(buf, want, got) == 0);
	/* 5 GiB into a file: past the 32-bit size (large_file) and into the triple indirect block */
	NC_CHECK_EQ(nc_fs_write(e.fs, n, 5ull << 30, "far", 3, &got), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_read(e.fs, n, (5ull << 30) - 2, buf, 10, &got), NC_FS_OK);
	NC_CHECK(got == 5 && memcmp(buf, "\0\0far", 5) == 0);
	NC_CHECK_EQ(env_remount(&e), NC_FS_OK);
	nc_fs_stat_t st;
	NC_CHECK_EQ(nc_fs_lookup(e.fs, P("/s"), &n), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_stat(e.fs, n, &st), NC_FS_OK);
	NC_CHECK_EQ(st.size_bytes, (5ull << 30) + 3);
	NC_CHECK(st.blocks_bytes < 100 * 1024);
	NC_CHECK_EQ(nc_fs_truncate(e.fs, n, 4097), NC_FS_OK); /* keeps block 4 only */
	NC_CHECK_EQ(nc_fs_stat(e.fs, n, &st), NC_FS_OK);
	NC_CHECK_EQ(st.blocks_bytes, 1024);
	NC_CHECK(env_close(&e));
}

NC_TEST(fs_api, full_disk_and_no_inodes)
{
	env_t e;
	NC_CHECK_EQ(env_open(&e, 1024, 4096, "-N 64"), NC_FS_OK);
	nc_fs_node_t n;
	size_t got;
	static uint8_t data[8 << 20];
	memset(data, 0x5a, sizeof data);
	NC_CHECK_EQ(nc_fs_create(e.fs, P("/big"), 0644, 0, &n), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_write(e.fs, n, 0, data, sizeof data, &got), NC_FS_ERR_NO_SPACE);
	NC_CHECK(got > (1u << 20) && got < sizeof data);
	nc_fs_stat_t st;
	NC_CHECK_EQ(nc_fs_stat(e.fs, n, &st), NC_FS_OK);
	NC_CHECK_EQ(st.size_bytes, got);
	nc_fs_statfs_t sf;
	for (;;) {
		NC_CHECK_EQ(nc_fs_statfs(e.fs, &sf), NC_FS_OK);
		if (sf.free_blocks == 0 || nc_fs_append(e.fs, n, data, 1024, &got) != NC_FS_OK)
			break;
	}
	NC_CHECK_EQ(nc_fs_statfs(e.fs, &sf), NC_FS_OK);
	NC_CHECK(sf.free_blocks <= 1); /* at most a block that needs an indirect one to be used */
	NC_CHECK_EQ(nc_fs_mkdir(e.fs, P("/d"), 0755, NULL), sf.free_blocks ? NC_FS_OK : NC_FS_ERR_NO_SPACE);
	NC_CHECK_EQ(nc_fs_mkdir(e.fs, P("/d2"), 0755, NULL), NC_FS_ERR_NO_SPACE);
	uint32_t made = 0;
	nc_fs_err_t err;
	char name[32];
	do {
		snprintf(name, sizeof name, "/e%u", made++);
		err = nc_fs_create(e.fs, name, strlen(name), 0644, 0, &n);
	} while (!err);
	NC_CHECK(err == NC_FS_ERR_NO_INODES || err == NC_FS_ERR_NO_SPACE);
	NC_CHECK_EQ(nc_fs_unlink(e.fs, P("/big")), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_mkdir(e.fs, P("/d3"), 0755, NULL), NC_FS_OK);
	NC_CHECK(env_close(&e));
}

NC_TEST(fs_api, read_dir_lists_every_entry)
{
	env_t e;
	NC_CHECK_EQ(env_open(&e, 1024, 8192, NULL), NC_FS_OK);
	nc_fs_node_t d, n;
	NC_CHECK_EQ(nc_fs_mkdir(e.fs, P("/d"), 0755, &d), NC_FS_OK);
	static bool seen[600];
	for (uint32_t i = 0; i < 600; i++) {
		char name[64];
		snprintf(name, sizeof name, "/d/entry-with-a-longer-name-%u", i);
		NC_CHECK_EQ(nc_fs_create(e.fs, name, strlen(name), 0644, 0, &n), NC_FS_OK);
	}
	for (uint32_t i = 0; i < 600; i += 3) {
		char name[64];
		snprintf(name, sizeof name, "/d/entry-with-a-longer-name-%u", i);
		NC_CHECK_EQ(nc_fs_unlink(e.fs, name, strlen(name)), NC_FS_OK);
	}
	uint64_t cookie = 0;
	bool end = false;
	uint32_t n_entries = 0, dots = 0;
	while (!end) {
		nc_fs_dirent_t de;
		NC_CHECK_EQ(nc_fs_read_dir(e.fs, d, &cookie, &de, &end), NC_FS_OK);
		if (end)
			break;
		n_entries++;
		unsigned i;
		if (!strcmp(de.name, ".") || !strcmp(de.name, ".."))
			dots++;
		else if (sscanf(de.name, "entry-with-a-longer-name-%u", &i) == 1 && i < 600 && !seen[i] && i % 3)
			seen[i] = true;
		else
			NC_CHECK(!"unexpected or repeated entry");
		NC_CHECK_EQ(de.type, strcmp(de.name, ".") && strcmp(de.name, "..") ? NC_FS_TYPE_FILE : NC_FS_TYPE_DIR);
	}
	NC_CHECK_EQ(dots, 2);
	NC_CHECK_EQ(n_entries, 2 + 400);
	NC_CHECK(env_close(&e));
}

/* 4096-byte sectors: fine under 4 KiB blocks, refused under 1 KiB blocks. */
NC_TEST(fs_api, sector_sizes)
{
	for (uint32_t bs = 1024; bs <= 4096; bs *= 4) {
		env_t e;
		NC_CHECK_EQ(env_open(&e, bs, 8192, NULL), NC_FS_OK);
		NC_CHECK_EQ(nc_fs_unmount(e.fs), NC_FS_OK);
		e.dev.sector_bytes = 4096;
		nc_fs_config_t cfg = mem_fs_config(&e.dev, &e.alloc, 0);
		nc_fs_err_t err = nc_fs_mount(&cfg, &e.fs);
		NC_CHECK_EQ(err, bs == 4096 ? NC_FS_OK : NC_FS_ERR_UNSUPPORTED);
		nc_fs_node_t n;
		if (!err) {
			NC_CHECK_EQ(put(e.fs, "/x", "data", 4, &n), NC_FS_OK);
			NC_CHECK(env_close(&e));
		} else {
			mem_dev_free(&e.dev);
			tmp_remove(e.dir);
		}
	}
}

/* The operations the allocation-failure sweep repeats. */
static nc_fs_err_t script(nc_fs_t *fs)
{
	static uint8_t data[300000];
	nc_fs_node_t n;
	nc_fs_err_t err = nc_fs_mkdir(fs, P("/d"), 0755, NULL);
	for (uint32_t i = 0; !err && i < 40; i++) {
		char name[64];
		snprintf(name, sizeof name, "/d/file-number-%u", i);
		err = nc_fs_create(fs, name, strlen(name), 0644, 0, &n);
	}
	if (!err)
		err = put(fs, "/d/big", data, sizeof data, &n);
	if (!err)
		err = nc_fs_rename(fs, P("/d/big"), P("/d/file-number-3"));
	if (!err)
		err = nc_fs_truncate(fs, n, 1000);
	if (!err)
		err = nc_fs_unlink(fs, P("/d/file-number-3"));
	if (!err)
		err = nc_fs_sync(fs);
	return err;
}

/* Allocation n fails, for every n until the script runs through: the failing call answers
 * NOMEM, no memory leaks, and the file system stays consistent -- e2fsck (run for every fifth n,
 * for time) is clean once it is unmounted with the allocator working again (unmount finishes a
 * deletion NOMEM interrupted). */
NC_TEST(fs_api, every_allocation_failure_is_clean)
{
	char img[TMP_PATH_CAP], out[8192];
	char *dir = tmp_with("img", img, NULL);
	NC_CHECK(dir);
	NC_CHECK_EQ(make_image(img, 1024, 8192, NULL), 0);
	nc_fs_err_t err = NC_FS_ERR_NOMEM;
	long long n;
	mem_dev_t base;
	NC_CHECK_EQ(mem_dev_load(&base, img, 512), 0);
	for (n = 0; err == NC_FS_ERR_NOMEM; n++) {
		mem_dev_t dev = base;
		dev.data = malloc(base.bytes);
		memcpy(dev.data, base.data, base.bytes);
		host_alloc_t alloc = { .fail_after = n };
		nc_fs_config_t cfg = mem_fs_config(&dev, &alloc, 0);
		nc_fs_t *fs;
		err = nc_fs_mount(&cfg, &fs);
		if (!err) {
			err = script(fs);
			alloc.fail_after = -1;
			nc_fs_err_t uerr = nc_fs_unmount(fs);
			NC_CHECK_EQ(uerr, NC_FS_OK);
		}
		if (err != NC_FS_OK && err != NC_FS_ERR_NOMEM)
			nc_test_note("allocation %lld: %s", n, nc_fs_err_name(err));
		NC_CHECK(err == NC_FS_OK || err == NC_FS_ERR_NOMEM);
		NC_CHECK_EQ(alloc.live_bytes, 0);
		bool clean = n % 5 || (mem_dev_save(&dev, img) == 0 && fsck_clean(img, out, sizeof out));
		mem_dev_free(&dev);
		if (!clean)
			nc_test_note("allocation %lld: e2fsck: %s", n, out);
		NC_CHECK(clean);
	}
	mem_dev_free(&base);
	nc_test_note("the script needed %lld allocations", n);
	tmp_remove(dir);
}

/* The device stops writing: the call that meets it answers IO, later changes too, unmount
 * reports IO; the next mount (device back) replays the journal into a consistent file system. */
NC_TEST(fs_api, device_write_failure)
{
	for (int64_t after = 5; after < 400; after += 37) {
		env_t e;
		NC_CHECK_EQ(env_open(&e, 1024, 8192, NULL), NC_FS_OK);
		e.dev.fail_writes_after = (int64_t)e.dev.n_writes + after;
		nc_fs_err_t err = script(e.fs);
		if (err) {
			NC_CHECK_EQ(err, NC_FS_ERR_IO);
			NC_CHECK_EQ(nc_fs_mkdir(e.fs, P("/later"), 0755, NULL), NC_FS_ERR_IO);
			NC_CHECK_EQ(nc_fs_unmount(e.fs), NC_FS_ERR_IO);
			e.dev.fail_writes_after = -1;
			nc_fs_config_t cfg = mem_fs_config(&e.dev, &e.alloc, 0);
			NC_CHECK_EQ(nc_fs_mount(&cfg, &e.fs), NC_FS_OK);
		}
		NC_CHECK(env_close(&e));
	}
}
