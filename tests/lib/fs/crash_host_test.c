/* Crash safety at the library level. A random workload (tests/lib/fs/fs_model.c: creates,
 * writes, truncates, renames, links, removals, syncs) runs on an in-memory image that logs every
 * write and flush. Then the write stream is cut at many random points: everything before the
 * last flush before the cut is on the disk, of the writes after it each 512-byte sector is there
 * or not at random (a device may reorder and tear them). For each cut:
 *   - lib/fs mounts the image (replaying its journal), the tree it shows (names, types, sizes,
 *     link counts) is the model's tree after some operation between the last completed sync and
 *     the cut, and every file synced and not changed since has its synced content; after
 *     unmounting, `e2fsck -fn` finds nothing to fix;
 *   - separately, e2fsprogs replays the same crashed image (`e2fsck -fy`) without finding
 *     anything but the journal and orphans to handle, and the result shows one of those trees.
 * Transactions are kept small (NC_FS_TXN_MIN_BLOCKS) so commits also happen inside operations.
 * A write longer than one operation's 32 blocks is made of atomic steps: cut anywhere, such a
 * write into a new file recovers as a prefix of itself (long_write_recovers_as_a_prefix). */
#include "nc_test.h"
#include "fs_model.h"

#include <stdlib.h>
#include <string.h>

#define N_OPS 300u
#define N_CUTS 40u

typedef struct {
	uint32_t op;                /* digest index: the state after it */
	size_t log_len;             /* log records when the sync returned */
	char *files;                /* manifest (links, inode numbers, content) at that moment */
} sync_t;

typedef struct {
	mem_dev_t dev;
	host_alloc_t alloc;
	uint8_t *base;              /* the image before the workload */
	uint64_t digest[N_OPS + 1]; /* namespace digest: [0] before any operation, [j + 1] after op j */
	sync_t syncs[N_OPS];
	uint32_t n_syncs;
	char *dir;
	char img[TMP_PATH_CAP];
} crash_t;

static nc_fs_config_t config(crash_t *c, uint32_t flags)
{
	nc_fs_config_t cfg = mem_fs_config(&c->dev, &c->alloc, flags);
	cfg.max_txn_blocks = NC_FS_TXN_MIN_BLOCKS;
	return cfg;
}

static uint64_t namespace_digest(const char *manifest)
{
	return content_hash(manifest, strlen(manifest));
}

static nc_fs_err_t remount(model_t *md)
{
	crash_t *c = md->ctx;
	nc_fs_err_t err = nc_fs_unmount(md->fs);
	nc_fs_config_t cfg = config(c, 0);
	return err ? err : nc_fs_mount(&cfg, &md->fs);
}

/* Run the workload with the log on; false when lib/fs disagreed with the model. */
static bool workload(crash_t *c, model_t *md)
{
	c->dev.logging = true;
	nc_fs_config_t cfg = config(c, 0);
	if (nc_fs_mount(&cfg, &md->fs) != NC_FS_OK)
		return false;
	char *m = model_manifest(md, MANIFEST_LINKS | MANIFEST_NO_CONTENT);
	c->digest[0] = namespace_digest(m);
	free(m);
	for (md->n_ops = 0; md->n_ops < N_OPS; md->n_ops++) {
		c->dev.tag = md->n_ops + 1u;
		if (!model_step(md))
			return false;
		m = model_manifest(md, MANIFEST_LINKS | MANIFEST_NO_CONTENT);
		c->digest[md->n_ops + 1u] = namespace_digest(m);
		free(m);
		if (md->last_was_sync)
			c->syncs[c->n_syncs++] = (sync_t){ md->n_ops + 1u, c->dev.n_log,
							   model_manifest(md, MANIFEST_LINKS | MANIFEST_INO) };
	}
	c->dev.tag = N_OPS + 1u;
	bool ok = nc_fs_unmount(md->fs) == NC_FS_OK;
	c->dev.logging = false;
	return ok;
}

/* The image as a device that lost power after log record cut - 1. *first and *last: the
 * range of states it may show. */
static const sync_t *crash_image(crash_t *c, rng_t *r, size_t cut, uint8_t *img, uint32_t *first,
				 uint32_t *last)
{
	size_t stable = 0; /* records before the last flush before the cut */
	for (size_t i = 0; i < cut; i++)
		if (c->dev.log[i].n_sectors == 0)
			stable = i + 1;
	memcpy(img, c->base, c->dev.bytes);
	for (size_t i = 0; i < cut; i++) {
		const mem_rec_t *w = &c->dev.log[i];
		for (uint32_t s = 0; s < w->n_sectors; s++)
			if (i < stable || rng_below(r, 2))
				memcpy(img + (w->sector + s) * 512u, w->data + (size_t)s * 512u, 512u);
	}
	const sync_t *sync = NULL;
	for (uint32_t i = 0; i < c->n_syncs; i++)
		if (c->syncs[i].log_len <= stable)
			sync = &c->syncs[i];
	*first = sync ? sync->op : 0u;
	uint32_t tag = cut ? c->dev.log[cut - 1u].tag : 0u;
	*last = tag > N_OPS ? N_OPS : tag;
	if (*first > *last) /* the sync after the last operation's log record: only its state */
		*last = *first;
	return sync;
}

static bool digest_in(crash_t *c, uint64_t d, uint32_t first, uint32_t last)
{
	for (uint32_t j = first; j <= last; j++)
		if (c->digest[j] == d)
			return true;
	return false;
}

/* Did ino change or die in states (after, upto]? */
static bool touched(const model_t *md, uint32_t ino, uint32_t after, uint32_t upto)
{
	for (size_t i = 0; i < md->n_ev; i++)
		if (md->ev[i].ino == ino && md->ev[i].op + 1u > after && md->ev[i].op + 1u <= upto)
			return true;
	return false;
}

/* Every file of the sync's manifest not touched since is in got (by inode) with its content. */
static bool synced_files_intact(const model_t *md, const sync_t *sync, uint32_t last, const char *got)
{
	for (const char *l = sync->files; *l; l = strchr(l, '\n') + 1) {
		const char *ino_at = strstr(l, " ino="), *eol = strchr(l, '\n');
		if (!ino_at || ino_at > eol)
			continue;
		unsigned ino = (unsigned)strtoul(ino_at + 5, NULL, 10);
		const char *h = strstr(ino_at, " h=");
		if (touched(md, ino, sync->op, last))
			continue;
		char key[64];
		snprintf(key, sizeof key, " ino=%u h=%.16s\n", ino, h + 3);
		if (!strstr(got, key)) {
			nc_test_note("synced inode %u (%.*s) lost its content", ino, (int)(eol - l), l);
			return false;
		}
	}
	return true;
}

/* lib/fs replays img: the states and content it shows, then e2fsck on what it leaves. */
static bool check_ours(crash_t *c, const model_t *md, uint8_t *img, const sync_t *sync, uint32_t first,
		       uint32_t last)
{
	mem_dev_t d = { .data = img, .bytes = c->dev.bytes, .sector_bytes = 512, .fail_writes_after = -1 };
	host_alloc_t alloc = { .fail_after = -1 };
	nc_fs_config_t cfg = mem_fs_config(&d, &alloc, 0);
	nc_fs_t *fs;
	nc_fs_err_t err = nc_fs_mount(&cfg, &fs);
	if (err) {
		nc_test_note("mount after the cut: %s", nc_fs_err_name(err));
		return false;
	}
	char *names = manifest_fs(fs, MANIFEST_LINKS | MANIFEST_NO_CONTENT, &err);
	char *files = err ? NULL : manifest_fs(fs, MANIFEST_LINKS | MANIFEST_INO, &err);
	bool ok = !err && digest_in(c, namespace_digest(names), first, last);
	if (!ok)
		nc_test_note("tree (%s) is none of states %u..%u: %.300s", nc_fs_err_name(err), first, last, names);
	if (ok && sync)
		ok = synced_files_intact(md, sync, last, files);
	free(names);
	free(files);
	if (nc_fs_unmount(fs) != NC_FS_OK)
		ok = false;
	char out[8192];
	if (ok && (write_host_file(c->img, img, c->dev.bytes) || !fsck_clean(c->img, out, sizeof out))) {
		nc_test_note("e2fsck after our replay: %s", out);
		ok = false;
	}
	return ok;
}

/* e2fsprogs replays img (our journal format, its recovery code), then lib/fs reads the tree. */
static bool check_e2fsck_replay(crash_t *c, uint8_t *img, uint32_t first, uint32_t last)
{
	char out[16384];
	if (write_host_file(c->img, img, c->dev.bytes))
		return false;
	int rc = run(out, sizeof out, "e2fsck -fy '%s'", c->img);
	if (rc > 1 || strstr(out, "? yes")) {
		nc_test_note("e2fsck -fy (%d) had to repair: %s", rc, out);
		return false;
	}
	if (!fsck_clean(c->img, out, sizeof out)) {
		nc_test_note("e2fsck -fn after e2fsck's replay: %s", out);
		return false;
	}
	mounted_t m;
	nc_fs_err_t err = mount_file(&m, c->img, NC_FS_MOUNT_READ_ONLY);
	char *names = err ? NULL : manifest_fs(m.fs, MANIFEST_LINKS | MANIFEST_NO_CONTENT, &err);
	bool ok = !err && digest_in(c, namespace_digest(names), first, last);
	if (!ok)
		nc_test_note("after e2fsck's replay (%s) the tree is none of states %u..%u", nc_fs_err_name(err), first,
			     last);
	free(names);
	if (m.fs)
		unmount_file(&m);
	return ok;
}

static void crash_test(uint32_t block_bytes, uint32_t size_kib, uint64_t seed)
{
	crash_t *c = calloc(1, sizeof *c);
	c->dir = tmp_with("img", c->img, NULL);
	NC_CHECK(c->dir);
	NC_CHECK_EQ(make_image(c->img, block_bytes, size_kib, NULL), 0);
	NC_CHECK_EQ(mem_dev_load(&c->dev, c->img, 512), 0);
	c->alloc = (host_alloc_t){ .fail_after = -1 };
	c->base = malloc(c->dev.bytes);
	memcpy(c->base, c->dev.data, c->dev.bytes);
	/* writes of at most 32 blocks: one operation each (file.c's WRITE_CHUNK), so every state the
	 * disk can show is a model state; longer writes: long_write_recovers_as_a_prefix */
	model_t md = { .rng = { seed }, .max_data_bytes = 3u << 20, .max_write_bytes = 31u << 10,
		       .remount = remount, .ctx = c };
	NC_CHECK(workload(c, &md));
	nc_test_note("%zu log records, %u syncs", c->dev.n_log, c->n_syncs);
	rng_t r = { seed * 77u };
	uint8_t *img = malloc(c->dev.bytes);
	for (uint32_t k = 0; k < N_CUTS; k++) {
		size_t cut = 1u + rng_below(&r, (uint32_t)c->dev.n_log);
		uint32_t first, last;
		const sync_t *sync = crash_image(c, &r, cut, img, &first, &last);
		uint8_t *copy = malloc(c->dev.bytes);
		memcpy(copy, img, c->dev.bytes);
		bool ok = check_ours(c, &md, img, sync, first, last) && check_e2fsck_replay(c, copy, first, last);
		free(copy);
		if (!ok)
			nc_test_note("cut %zu of %zu (states %u..%u)", cut, c->dev.n_log, first, last);
		NC_CHECK(ok);
	}
	free(img);
	for (uint32_t i = 0; i < c->n_syncs; i++)
		free(c->syncs[i].files);
	model_free(&md);
	mem_dev_free(&c->dev);
	free(c->base);
	tmp_remove(c->dir);
	free(c);
}

/* /big holds a prefix of data, all of it once the sync after the writes is on the disk. */
static bool check_prefix(crash_t *c, uint8_t *img, const uint8_t *data, size_t len, bool synced)
{
	mem_dev_t d = { .data = img, .bytes = c->dev.bytes, .sector_bytes = 512, .fail_writes_after = -1 };
	host_alloc_t alloc = { .fail_after = -1 };
	nc_fs_config_t cfg = mem_fs_config(&d, &alloc, 0);
	nc_fs_t *fs;
	nc_fs_node_t n;
	nc_fs_stat_t st;
	nc_fs_err_t err = nc_fs_mount(&cfg, &fs);
	if (err)
		return false;
	uint8_t *got = malloc(len + 1);
	size_t n_read = 0;
	err = nc_fs_lookup(fs, "/big", 4, &n);
	if (!err)
		err = nc_fs_stat(fs, n, &st);
	if (!err)
		err = nc_fs_read(fs, n, 0, got, len + 1, &n_read);
	bool ok = !err && n_read == st.size_bytes && n_read <= len && memcmp(got, data, n_read) == 0 &&
		  (!synced || n_read == len);
	if (!ok)
		nc_test_note("/big: %s, %zu bytes (of %zu, synced %d)", nc_fs_err_name(err), n_read, len, synced);
	free(got);
	ok = nc_fs_unmount(fs) == NC_FS_OK && ok;
	char out[8192];
	if (ok && (write_host_file(c->img, img, c->dev.bytes) || !fsck_clean(c->img, out, sizeof out))) {
		nc_test_note("e2fsck: %s", out);
		ok = false;
	}
	return ok;
}

NC_TEST(fs_crash, long_write_recovers_as_a_prefix)
{
	crash_t *c = calloc(1, sizeof *c);
	c->dir = tmp_with("img", c->img, NULL);
	NC_CHECK(c->dir);
	NC_CHECK_EQ(make_image(c->img, 1024, 16384, NULL), 0);
	NC_CHECK_EQ(mem_dev_load(&c->dev, c->img, 512), 0);
	c->alloc = (host_alloc_t){ .fail_after = -1 };
	size_t len = 4u << 20, put;
	uint8_t *data = malloc(len);
	rng_t r = { 31 };
	rng_fill(&r, data, len);
	nc_fs_config_t cfg = config(c, 0);
	nc_fs_t *fs;
	nc_fs_node_t n;
	NC_CHECK_EQ(nc_fs_mount(&cfg, &fs), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_create(fs, "/big", 4, 0644, 0, &n), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_sync(fs), NC_FS_OK);
	c->base = malloc(c->dev.bytes);
	memcpy(c->base, c->dev.data, c->dev.bytes);
	c->dev.logging = true;
	NC_CHECK_EQ(nc_fs_write(fs, n, 0, data, 3u << 20, &put), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_append(fs, n, data + (3u << 20), len - (3u << 20), &put), NC_FS_OK);
	NC_CHECK_EQ(nc_fs_sync(fs), NC_FS_OK);
	size_t synced_at = c->dev.n_log;
	NC_CHECK_EQ(nc_fs_unmount(fs), NC_FS_OK);
	c->dev.logging = false;
	uint8_t *img = malloc(c->dev.bytes);
	for (uint32_t k = 0; k < N_CUTS / 2; k++) {
		size_t cut = 1u + rng_below(&r, (uint32_t)c->dev.n_log);
		uint32_t first, last;
		crash_image(c, &r, cut, img, &first, &last);
		size_t stable = 0;
		for (size_t i = 0; i < cut; i++)
			if (c->dev.log[i].n_sectors == 0)
				stable = i + 1;
		bool ok = check_prefix(c, img, data, len, stable >= synced_at);
		if (!ok)
			nc_test_note("cut %zu of %zu", cut, c->dev.n_log);
		NC_CHECK(ok);
	}
	free(img);
	free(data);
	mem_dev_free(&c->dev);
	free(c->base);
	tmp_remove(c->dir);
	free(c);
}

NC_TEST(fs_crash, cut_write_stream_1k) { crash_test(1024, 8192, 21); }
NC_TEST(fs_crash, cut_write_stream_4k) { crash_test(4096, 16384, 22); }
