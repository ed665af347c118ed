/* The file-system service's answers (user/fsd/serve.c) on the host: requests shaped as the
 * kernel forwards them (docs/services.md) against an image made by mke2fs, each reply checked
 * for its status (always one the call lists), result, object and data; then e2fsck on the image. */
#include "nc_test.h"
#include "../../lib/fs/fs_test_util.h"
#include "../../../user/fsd/serve.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	char *dir;
	char img[TMP_PATH_CAP];
	mem_dev_t dev;
	host_alloc_t alloc;
	fsd_t *d;
	fsd_reply_t r;
	uint64_t next_id;
} st_t;

static const struct {
	uint64_t op, mask;
} masks[] = {
	{ NC_SYS_FS_OPEN, NC_SYS_ERRORS_FS_OPEN },         { NC_SYS_FS_STAT, NC_SYS_ERRORS_FS_STAT },
	{ NC_SYS_FS_STAT_FULL, NC_SYS_ERRORS_FS_STAT_FULL }, { NC_SYS_FS_STAT_FS, NC_SYS_ERRORS_FS_STAT_FS },
	{ NC_SYS_FS_MKDIR, NC_SYS_ERRORS_FS_MKDIR },       { NC_SYS_FS_UNLINK, NC_SYS_ERRORS_FS_UNLINK },
	{ NC_SYS_FS_RMDIR, NC_SYS_ERRORS_FS_RMDIR },       { NC_SYS_FS_RENAME, NC_SYS_ERRORS_FS_RENAME },
	{ NC_SYS_FS_LINK, NC_SYS_ERRORS_FS_LINK },         { NC_SYS_FD_READ, NC_SYS_ERRORS_FD_READ },
	{ NC_SYS_FD_WRITE, NC_SYS_ERRORS_FD_WRITE },       { NC_SYS_FD_SEEK, NC_SYS_ERRORS_FD_SEEK },
	{ NC_SYS_FS_LIST_DIR, NC_SYS_ERRORS_FS_LIST_DIR }, { NC_SYS_FS_READ_DIR, NC_SYS_ERRORS_FS_READ_DIR },
	{ NC_SYS_FD_STAT, NC_SYS_ERRORS_FD_STAT },         { NC_SYS_FS_SYNC, NC_SYS_ERRORS_FS_SYNC },
	{ NC_SYS_FS_TRUNCATE, NC_SYS_ERRORS_FS_TRUNCATE }, { NC_SYS_FD_READ_BULK, NC_SYS_ERRORS_FD_READ_BULK },
	{ NC_SYS_FD_WRITE_BULK, NC_SYS_ERRORS_FD_WRITE_BULK },
};

/* Send one request with a window of window_len bytes (NULL: none); the reply is in t->r.
 * Returns its status, after checking the kernel would accept it (a listed error). */
static nc_sys_err_t call_window(st_t *t, uint64_t op, uint64_t object, uint64_t a0, uint64_t a1,
				const void *payload, size_t len, void *window, size_t window_len)
{
	nc_sys_service_request_t q = { .id = ++t->next_id, .op = op, .caller_pid = 7, .object = object,
				       .arg0 = a0, .arg1 = a1, .in_len = len, .out_max = window ? 0 : 8192,
				       .window = (uint64_t)(uintptr_t)window, .window_len = window_len };
	fsd_serve(t->d, &q, payload, &t->r);
	for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++)
		if (masks[i].op == op && t->r.status && !(masks[i].mask >> t->r.status & 1u)) {
			nc_test_note("op %llu answered unlisted error %llu", (unsigned long long)op,
				     (unsigned long long)t->r.status);
			return (nc_sys_err_t)-1;
		}
	return (nc_sys_err_t)t->r.status;
}

static nc_sys_err_t call(st_t *t, uint64_t op, uint64_t object, uint64_t a0, uint64_t a1, const void *payload,
			 size_t len)
{
	return call_window(t, op, object, a0, a1, payload, len, NULL, 0);
}

static nc_sys_err_t on_path(st_t *t, uint64_t op, uint64_t a0, const char *path)
{
	return call(t, op, 0, a0, 0, path, strlen(path));
}

/* FsOpen; *obj the object on OK. */
static nc_sys_err_t open_obj(st_t *t, const char *path, uint64_t flags, uint64_t *obj)
{
	nc_sys_err_t err = on_path(t, NC_SYS_FS_OPEN, flags, path);
	*obj = err ? 0 : t->r.object;
	return err;
}

static nc_sys_err_t two(st_t *t, uint64_t op, const char *a, const char *b)
{
	char buf[512];
	size_t la = strlen(a), lb = strlen(b);
	memcpy(buf, a, la);
	memcpy(buf + la, b, lb);
	return call(t, op, 0, la, 0, buf, la + lb);
}

static int setup(st_t *t)
{
	*t = (st_t){ .alloc = { .fail_after = -1 } };
	t->dir = tmp_with("img", t->img, NULL);
	if (!t->dir || make_image(t->img, 1024, 8192, NULL) || mem_dev_load(&t->dev, t->img, 512))
		return -1;
	t->d = calloc(1, sizeof *t->d);
	nc_fs_config_t cfg = mem_fs_config(&t->dev, &t->alloc, 0);
	return nc_fs_mount(&cfg, &t->d->fs) ? -1 : 0;
}

static bool teardown(st_t *t)
{
	char out[8192];
	bool ok = fsd_flush(t->d) == NC_FS_OK && nc_fs_unmount(t->d->fs) == NC_FS_OK && mem_dev_save(&t->dev, t->img) == 0 &&
		  fsck_clean(t->img, out, sizeof out);
	if (!ok)
		nc_test_note("%s", out);
	free(t->d);
	mem_dev_free(&t->dev);
	tmp_remove(t->dir);
	return ok;
}

#define W (NC_SYS_OPEN_WRITE)
#define C (NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE)

NC_TEST(fsd_serve, open_read_write_seek)
{
	st_t t;
	NC_CHECK_EQ(setup(&t), 0);
	uint64_t f, g, dir;
	NC_CHECK_EQ(open_obj(&t, "/a", 0, &f), NC_SYS_ERR_NOT_FOUND);
	NC_CHECK_EQ(open_obj(&t, "/a", C, &f), NC_SYS_OK);
	NC_CHECK_EQ(t.r.object_type, NC_SYS_HANDLE_FILE);
	NC_CHECK(t.r.rights & NC_SYS_RIGHT_WRITE);
	NC_CHECK_EQ(open_obj(&t, "/a", C | NC_SYS_OPEN_EXCLUSIVE, &g), NC_SYS_ERR_EXISTS);
	NC_CHECK_EQ(open_obj(&t, "/a", NC_SYS_OPEN_DIR, &g), NC_SYS_ERR_WRONG_TYPE);
	NC_CHECK_EQ(open_obj(&t, "/", 0, &g), NC_SYS_ERR_WRONG_TYPE);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_WRITE, f, 0, 0, "hello world", 11), NC_SYS_OK);
	NC_CHECK_EQ(t.r.result, 11);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_SEEK, f, 6, NC_SYS_SEEK_SET, NULL, 0), NC_SYS_OK);
	NC_CHECK_EQ(t.r.result, 6);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_READ, f, 100, 0, NULL, 0), NC_SYS_OK);
	NC_CHECK(t.r.result == 5 && t.r.len == 5 && memcmp(t.r.data, "world", 5) == 0);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_READ, f, 100, 0, NULL, 0), NC_SYS_OK);
	NC_CHECK_EQ(t.r.result, 0);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_SEEK, f, (uint64_t)-3, NC_SYS_SEEK_END, NULL, 0), NC_SYS_OK);
	NC_CHECK_EQ(t.r.result, 8);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_SEEK, f, (uint64_t)-20, NC_SYS_SEEK_CUR, NULL, 0), NC_SYS_ERR_INVALID);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_SEEK, f, 0, 9, NULL, 0), NC_SYS_ERR_INVALID);
	/* a second, read-only object, and an appending one */
	NC_CHECK_EQ(open_obj(&t, "/a", 0, &g), NC_SYS_OK);
	NC_CHECK(!(t.r.rights & NC_SYS_RIGHT_WRITE));
	NC_CHECK_EQ(call(&t, NC_SYS_FD_WRITE, g, 0, 0, "x", 1), NC_SYS_ERR_DENIED);
	NC_CHECK_EQ(call(&t, NC_SYS_FS_TRUNCATE, g, 0, 0, NULL, 0), NC_SYS_ERR_DENIED);
	uint64_t app;
	NC_CHECK_EQ(open_obj(&t, "/a", W | NC_SYS_OPEN_APPEND, &app), NC_SYS_OK);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_WRITE, app, 0, 0, "!", 1), NC_SYS_OK);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_READ, g, 100, 0, NULL, 0), NC_SYS_OK);
	NC_CHECK(t.r.len == 12 && memcmp(t.r.data, "hello world!", 12) == 0);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_STAT, g, 0, 0, NULL, 0), NC_SYS_OK);
	const nc_sys_stat_full_t *st = t.r.data;
	NC_CHECK(t.r.len == sizeof *st && st->type == NC_SYS_HANDLE_FILE && st->size_bytes == 12 && st->n_links == 1 &&
		 st->mode == 0644 && st->inode > 10 && st->mtime_ns > 0);
	NC_CHECK_EQ(call(&t, NC_SYS_FS_TRUNCATE, f, 5, 0, NULL, 0), NC_SYS_OK);
	NC_CHECK_EQ(open_obj(&t, "/a", W | NC_SYS_OPEN_TRUNCATE, &g), NC_SYS_OK);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_STAT, g, 0, 0, NULL, 0), NC_SYS_OK);
	NC_CHECK_EQ(((const nc_sys_stat_full_t *)t.r.data)->size_bytes, 0);
	NC_CHECK_EQ(call(&t, NC_SYS_FS_SYNC, g, 0, 0, NULL, 0), NC_SYS_OK);
	/* close: the id is gone (a stale id is answered, never followed) */
	NC_CHECK_EQ(call(&t, NC_SYS_SERVICE_OP_CLOSE, g, 0, 0, NULL, 0), NC_SYS_OK);
	NC_CHECK(t.r.silent);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_READ, g, 1, 0, NULL, 0), NC_SYS_ERR_IO_ERROR);
	NC_CHECK_EQ(open_obj(&t, "/", NC_SYS_OPEN_DIR, &dir), NC_SYS_OK);
	NC_CHECK_EQ(t.r.object_type, NC_SYS_HANDLE_DIR);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_READ, dir, 1, 0, NULL, 0), NC_SYS_ERR_WRONG_TYPE);
	NC_CHECK_EQ(call(&t, NC_SYS_FS_SYNC, dir, 0, 0, NULL, 0), NC_SYS_OK); /* a directory's entries */
	NC_CHECK_EQ(call(&t, NC_SYS_FS_LIST_DIR, f, 0, 0, NULL, 0), NC_SYS_ERR_WRONG_TYPE);
	NC_CHECK(teardown(&t));
}

NC_TEST(fsd_serve, paths_and_listing)
{
	st_t t;
	NC_CHECK_EQ(setup(&t), 0);
	uint64_t f, dir;
	NC_CHECK_EQ(on_path(&t, NC_SYS_FS_MKDIR, 0, "/d"), NC_SYS_OK);
	NC_CHECK_EQ(on_path(&t, NC_SYS_FS_MKDIR, 0, "/d"), NC_SYS_ERR_EXISTS);
	NC_CHECK_EQ(on_path(&t, NC_SYS_FS_MKDIR, 0, "/x/y"), NC_SYS_ERR_NOT_FOUND);
	for (int i = 0; i < 50; i++) {
		char name[64];
		snprintf(name, sizeof name, "/d/file-%02d", i);
		NC_CHECK_EQ(open_obj(&t, name, C, &f), NC_SYS_OK);
		NC_CHECK_EQ(call(&t, NC_SYS_FD_WRITE, f, 0, 0, name, (size_t)i), NC_SYS_OK);
		NC_CHECK_EQ(call(&t, NC_SYS_SERVICE_OP_CLOSE, f, 0, 0, NULL, 0), NC_SYS_OK);
	}
	NC_CHECK_EQ(on_path(&t, NC_SYS_FS_RMDIR, 0, "/d"), NC_SYS_ERR_NOT_EMPTY);
	NC_CHECK_EQ(on_path(&t, NC_SYS_FS_RMDIR, 0, "/d/file-01"), NC_SYS_ERR_WRONG_TYPE);
	NC_CHECK_EQ(on_path(&t, NC_SYS_FS_UNLINK, 0, "/d"), NC_SYS_ERR_WRONG_TYPE);
	NC_CHECK_EQ(on_path(&t, NC_SYS_FS_UNLINK, 0, "/d/file-00"), NC_SYS_OK);
	NC_CHECK_EQ(two(&t, NC_SYS_FS_RENAME, "/d/file-01", "/moved"), NC_SYS_OK);
	NC_CHECK_EQ(two(&t, NC_SYS_FS_LINK, "/moved", "/d/again"), NC_SYS_OK);
	NC_CHECK_EQ(two(&t, NC_SYS_FS_LINK, "/moved", "/d/again"), NC_SYS_ERR_EXISTS);
	NC_CHECK_EQ(two(&t, NC_SYS_FS_RENAME, "/d", "/d/sub"), NC_SYS_ERR_INVALID);
	NC_CHECK_EQ(call(&t, NC_SYS_FS_RENAME, 0, 0, 0, "/a/b", 4), NC_SYS_ERR_INVALID);
	NC_CHECK_EQ(on_path(&t, NC_SYS_FS_STAT, 0, "/moved"), NC_SYS_OK);
	const nc_sys_stat_t *s = t.r.data;
	NC_CHECK(s->type == NC_SYS_HANDLE_FILE && s->size_bytes == 1);
	NC_CHECK_EQ(on_path(&t, NC_SYS_FS_STAT_FULL, 0, "/moved"), NC_SYS_OK);
	NC_CHECK_EQ(((const nc_sys_stat_full_t *)t.r.data)->n_links, 2);
	NC_CHECK_EQ(on_path(&t, NC_SYS_FS_STAT, 0, "/d"), NC_SYS_OK);
	NC_CHECK(s->type == NC_SYS_HANDLE_DIR && s->size_bytes == 0);
	NC_CHECK_EQ(on_path(&t, NC_SYS_FS_STAT_FS, 0, "/"), NC_SYS_OK);
	const nc_sys_statfs_t *fsst = t.r.data;
	NC_CHECK(fsst->block_bytes == 1024 && fsst->total_blocks == 8192 && fsst->free_blocks < 8192 &&
		 !strcmp(fsst->fs_type, "ext3"));
	/* listing: 49 names (48 files and "again"), by index, any order, NOT_FOUND past the end */
	NC_CHECK_EQ(open_obj(&t, "/d", NC_SYS_OPEN_DIR, &dir), NC_SYS_OK);
	static bool seen[50];
	uint32_t n = 0;
	for (uint64_t i = 0;; i++) {
		nc_sys_err_t err = call(&t, i % 2 ? NC_SYS_FS_READ_DIR : NC_SYS_FS_LIST_DIR, dir, i, 0, NULL, 0);
		if (err == NC_SYS_ERR_NOT_FOUND)
			break;
		NC_CHECK_EQ(err, NC_SYS_OK);
		const char *name = i % 2 ? ((const nc_sys_dirent_full_t *)t.r.data)->name
					 : ((const nc_sys_dirent_t *)t.r.data)->name;
		uint64_t size = i % 2 ? ((const nc_sys_dirent_full_t *)t.r.data)->size_bytes
				      : ((const nc_sys_dirent_t *)t.r.data)->size_bytes;
		int k;
		if (!strcmp(name, "again"))
			NC_CHECK_EQ(size, 1);
		else if (sscanf(name, "file-%d", &k) == 1 && k > 1 && k < 50 && !seen[k] && size == (uint64_t)k)
			seen[k] = true;
		else
			NC_CHECK(!"unexpected entry");
		n++;
	}
	NC_CHECK_EQ(n, 49);
	NC_CHECK_EQ(call(&t, NC_SYS_FS_READ_DIR, dir, 3, 0, NULL, 0), NC_SYS_OK); /* back again */
	NC_CHECK(teardown(&t));
}

NC_TEST(fsd_serve, object_table_full_and_errors)
{
	st_t t;
	NC_CHECK_EQ(setup(&t), 0);
	uint64_t f = 0;
	uint32_t opened = 0;
	while (open_obj(&t, "/", NC_SYS_OPEN_DIR, &f) == NC_SYS_OK)
		opened++;
	NC_CHECK_EQ(opened, FSD_OBJECTS);
	NC_CHECK_EQ(t.r.status, NC_SYS_ERR_LIMIT);
	NC_CHECK_EQ(fsd_error(NC_FS_ERR_BAD_DIR, NC_SYS_ERRORS_FS_MKDIR), NC_SYS_ERR_IO_ERROR);
	NC_CHECK_EQ(fsd_error(NC_FS_ERR_TOO_MANY_LINKS, NC_SYS_ERRORS_FS_LINK), NC_SYS_ERR_LIMIT);
	NC_CHECK_EQ(fsd_error(NC_FS_ERR_TOO_MANY_LINKS, NC_SYS_ERRORS_FS_MKDIR), NC_SYS_ERR_IO_ERROR);
	NC_CHECK_EQ(fsd_error(NC_FS_ERR_NO_INODES, NC_SYS_ERRORS_FS_OPEN), NC_SYS_ERR_NO_SPACE);
	NC_CHECK(teardown(&t));
}

/* The bytes i of a test file: a pattern no piece boundary repeats. */
static void fill(uint8_t *p, size_t len, uint64_t first)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)((first + i) * 131u + ((first + i) >> 9) * 7u + 1u);
}

/* Read the whole file at path through a new object into buf (at most cap bytes); its length. */
static size_t read_back(st_t *t, const char *path, uint8_t *buf, size_t cap)
{
	uint64_t g;
	size_t total = 0;
	if (open_obj(t, path, 0, &g) != NC_SYS_OK)
		return 0;
	while (call(t, NC_SYS_FD_READ, g, 4096, 0, NULL, 0) == NC_SYS_OK && t->r.len && total + t->r.len <= cap) {
		memcpy(buf + total, t->r.data, t->r.len);
		total += t->r.len;
	}
	call(t, NC_SYS_SERVICE_OP_CLOSE, g, 0, 0, NULL, 0);
	return total;
}

/* Writes that wait in the write-back are answered at once, yet every other request sees them:
 * another object's open and read, FdStat, FdSeek, close; more than the buffer holds goes through
 * in order. */
NC_TEST(fsd_serve, write_back_is_invisible)
{
	st_t t;
	NC_CHECK_EQ(setup(&t), 0);
	enum { TOTAL = 160000, PIECE = 4000 };
	static uint8_t data[TOTAL], back[TOTAL + 1];
	fill(data, TOTAL, 0);
	uint64_t f;
	NC_CHECK_EQ(open_obj(&t, "/wb", C, &f), NC_SYS_OK);
	for (int i = 0; i < 3; i++) {
		NC_CHECK_EQ(call(&t, NC_SYS_FD_WRITE, f, 0, 0, data + i * 1000, 1000), NC_SYS_OK);
		NC_CHECK_EQ(t.r.result, 1000);
	}
	NC_CHECK(t.d->wb_len == 3000); /* waiting, not yet in the file system */
	NC_CHECK_EQ(read_back(&t, "/wb", back, sizeof back), 3000);
	NC_CHECK(memcmp(back, data, 3000) == 0);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_WRITE, f, 0, 0, data + 3000, 500), NC_SYS_OK);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_STAT, f, 0, 0, NULL, 0), NC_SYS_OK);
	NC_CHECK_EQ(((const nc_sys_stat_full_t *)t.r.data)->size_bytes, 3500);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_WRITE, f, 0, 0, data + 3500, 500), NC_SYS_OK);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_SEEK, f, 0, NC_SYS_SEEK_END, NULL, 0), NC_SYS_OK);
	NC_CHECK_EQ(t.r.result, 4000);
	for (uint64_t done = 4000; done < TOTAL; done += PIECE) {
		NC_CHECK_EQ(call(&t, NC_SYS_FD_WRITE, f, 0, 0, data + done, PIECE), NC_SYS_OK);
		NC_CHECK(t.d->wb_len <= FSD_WRITE_BACK_BYTES);
	}
	NC_CHECK_EQ(call(&t, NC_SYS_SERVICE_OP_CLOSE, f, 0, 0, NULL, 0), NC_SYS_OK);
	NC_CHECK_EQ(t.d->wb_len, 0);
	NC_CHECK_EQ(read_back(&t, "/wb", back, sizeof back), TOTAL);
	NC_CHECK(memcmp(back, data, TOTAL) == 0);
	NC_CHECK(teardown(&t));
}

/* On a disk that fills up, NO_SPACE is answered by an FdWrite itself: every byte an FdWrite
 * reported written is in the file, nothing more. */
NC_TEST(fsd_serve, write_back_full_disk_answers_no_space)
{
	st_t t;
	NC_CHECK_EQ(setup(&t), 0);
	static uint8_t piece[4096], back[8u << 20];
	uint64_t f, acked = 0;
	nc_sys_err_t err = NC_SYS_OK;
	NC_CHECK_EQ(open_obj(&t, "/full", C, &f), NC_SYS_OK);
	for (int i = 0; i < 4000 && !err; i++) {
		fill(piece, sizeof piece, acked);
		err = call(&t, NC_SYS_FD_WRITE, f, 0, 0, piece, sizeof piece);
		acked += err ? 0 : t.r.result;
	}
	NC_CHECK_EQ(err, NC_SYS_ERR_NO_SPACE);
	NC_CHECK(acked > (4u << 20));
	NC_CHECK_EQ(call(&t, NC_SYS_FS_SYNC, f, 0, 0, NULL, 0), NC_SYS_OK);
	NC_CHECK_EQ(read_back(&t, "/full", back, sizeof back), acked);
	fill(piece, sizeof piece, acked - sizeof piece);
	NC_CHECK(memcmp(back + acked - sizeof piece, piece, sizeof piece) == 0);
	NC_CHECK(teardown(&t));
}

/* A write-back that fails on the device is answered to the object's next FsSync. */
NC_TEST(fsd_serve, write_back_failure_reaches_the_next_sync)
{
	st_t t;
	NC_CHECK_EQ(setup(&t), 0);
	uint64_t f;
	NC_CHECK_EQ(open_obj(&t, "/late", C, &f), NC_SYS_OK);
	NC_CHECK_EQ(call(&t, NC_SYS_FS_SYNC, f, 0, 0, NULL, 0), NC_SYS_OK);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_WRITE, f, 0, 0, "late data", 9), NC_SYS_OK); /* waits */
	t.dev.fail_writes_after = (int64_t)t.dev.n_writes;
	NC_CHECK_EQ(call(&t, NC_SYS_FS_SYNC, f, 0, 0, NULL, 0), NC_SYS_ERR_IO_ERROR);
	/* lib/fs stopped writing: nothing waits any more, every write fails at once */
	nc_sys_err_t more = call(&t, NC_SYS_FD_WRITE, f, 0, 0, "more", 4);
	NC_CHECK_EQ(t.d->wb_len, 0);
	nc_fs_unmount(t.d->fs);
	free(t.d);
	mem_dev_free(&t.dev);
	tmp_remove(t.dir);
	NC_CHECK(more == NC_SYS_ERR_IO_ERROR || more == NC_SYS_ERR_READ_ONLY);
}

/* FdReadBulk and FdWriteBulk through the request's window (the kernel's mapping of it is a plain
 * buffer here): a bulk write after waiting write-back data lands after it; a bulk read fills the
 * window from the position, short at the end of the file; a bulk request without a window is
 * answered IO_ERROR, never followed. */
NC_TEST(fsd_serve, bulk_calls_use_the_window)
{
	st_t t;
	NC_CHECK_EQ(setup(&t), 0);
	enum { BIG = 1u << 20, HEAD = 3001 };
	uint8_t *data = malloc(HEAD + BIG), *win = malloc(BIG), *back = malloc(HEAD + BIG + 1);
	NC_CHECK(data && win && back);
	fill(data, HEAD + BIG, 0);
	uint64_t f;
	NC_CHECK_EQ(open_obj(&t, "/bulk", C, &f), NC_SYS_OK);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_WRITE, f, 0, 0, data, HEAD), NC_SYS_OK);
	NC_CHECK_EQ(t.d->wb_len, HEAD); /* waits in the write-back */
	memcpy(win, data + HEAD, BIG);
	NC_CHECK_EQ(call_window(&t, NC_SYS_FD_WRITE_BULK, f, BIG, 0, NULL, 0, win, BIG), NC_SYS_OK);
	NC_CHECK_EQ(t.r.result, BIG);
	NC_CHECK_EQ(t.r.len, 0);
	NC_CHECK_EQ(call_window(&t, NC_SYS_FD_WRITE_BULK, f, BIG, 0, NULL, 0, NULL, BIG), NC_SYS_ERR_IO_ERROR);
	NC_CHECK_EQ(read_back(&t, "/bulk", back, HEAD + BIG + 1), HEAD + BIG);
	NC_CHECK(memcmp(back, data, HEAD + BIG) == 0);
	uint64_t g;
	NC_CHECK_EQ(open_obj(&t, "/bulk", 0, &g), NC_SYS_OK);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_SEEK, g, 7, NC_SYS_SEEK_SET, NULL, 0), NC_SYS_OK);
	memset(win, 0, BIG);
	NC_CHECK_EQ(call_window(&t, NC_SYS_FD_READ_BULK, g, BIG, 0, NULL, 0, win, BIG), NC_SYS_OK);
	NC_CHECK_EQ(t.r.result, BIG);
	NC_CHECK_EQ(t.r.len, 0);
	NC_CHECK(memcmp(win, data + 7, BIG) == 0);
	NC_CHECK_EQ(call_window(&t, NC_SYS_FD_READ_BULK, g, BIG, 0, NULL, 0, win, BIG), NC_SYS_OK);
	NC_CHECK_EQ(t.r.result, HEAD - 7); /* the rest of the file */
	NC_CHECK(memcmp(win, data + 7 + BIG, HEAD - 7) == 0);
	NC_CHECK_EQ(call_window(&t, NC_SYS_FD_READ_BULK, g, BIG, 0, NULL, 0, win, BIG), NC_SYS_OK);
	NC_CHECK_EQ(t.r.result, 0);
	NC_CHECK_EQ(call_window(&t, NC_SYS_FD_READ_BULK, g, BIG, 0, NULL, 0, NULL, BIG), NC_SYS_ERR_IO_ERROR);
	/* arg0 smaller than the window: only arg0 bytes */
	NC_CHECK_EQ(call(&t, NC_SYS_FD_SEEK, g, 0, NC_SYS_SEEK_SET, NULL, 0), NC_SYS_OK);
	NC_CHECK_EQ(call_window(&t, NC_SYS_FD_READ_BULK, g, 5000, 0, NULL, 0, win, BIG), NC_SYS_OK);
	NC_CHECK_EQ(t.r.result, 5000);
	NC_CHECK_EQ(call(&t, NC_SYS_FD_WRITE_BULK, g, 0, 0, NULL, 0), NC_SYS_ERR_DENIED); /* read-only object */
	free(data);
	free(win);
	free(back);
	NC_CHECK(teardown(&t));
}

/* Blocks a file gave back when it was removed count as free at once (statfs), yet lib/fs reuses
 * them only after the transaction that freed them commits; a write that needs them must not get
 * NO_SPACE (as ext4 commits and tries again): removing a big file and writing another as big at
 * once succeeds, through the write-back and through the window alike. */
NC_TEST(fsd_serve, space_freed_by_a_removal_is_reused_at_once)
{
	st_t t;
	NC_CHECK_EQ(setup(&t), 0);
	NC_CHECK_EQ(on_path(&t, NC_SYS_FS_STAT_FS, 0, "/"), NC_SYS_OK);
	const nc_sys_statfs_t *fs = t.r.data;
	uint64_t size = (fs->free_blocks - 300) * fs->block_bytes, piece = 1u << 20;
	uint8_t *win = malloc(piece);
	NC_CHECK(win != NULL);
	fill(win, piece, 5);
	for (int round = 0; round < 3; round++) {
		uint64_t f, done = 0;
		NC_CHECK_EQ(open_obj(&t, "/fill", C | NC_SYS_OPEN_TRUNCATE, &f), NC_SYS_OK);
		while (done < size) {
			uint64_t n = size - done < piece ? size - done : piece;
			nc_sys_err_t err = round == 1 ? call(&t, NC_SYS_FD_WRITE, f, 0, 0, win, n < 4096 ? n : 4096)
						      : call_window(&t, NC_SYS_FD_WRITE_BULK, f, n, 0, NULL, 0, win, n);
			if (err == NC_SYS_OK && t.r.result == 0)
				err = NC_SYS_ERR_NO_SPACE;
			if (err) {
				nc_test_note("round %d: %s at byte %llu of %llu", round, err == NC_SYS_ERR_NO_SPACE ? "NO_SPACE" : "error",
					     (unsigned long long)done, (unsigned long long)size);
				NC_CHECK(false);
				break;
			}
			done += t.r.result;
		}
		NC_CHECK_EQ(call(&t, NC_SYS_FS_SYNC, f, 0, 0, NULL, 0), NC_SYS_OK);
		NC_CHECK_EQ(call(&t, NC_SYS_SERVICE_OP_CLOSE, f, 0, 0, NULL, 0), NC_SYS_OK);
		NC_CHECK_EQ(on_path(&t, NC_SYS_FS_UNLINK, 0, "/fill"), NC_SYS_OK);
	}
	free(win);
	NC_CHECK(teardown(&t));
}
