#define _GNU_SOURCE
/* lib/fs against an in-memory model: 5,000 random operations (create, write at any offset,
 * append, truncate, unlink, mkdir, rmdir, rename also over existing names, link, sync, remount)
 * on images made by mke2fs, every result checked against the model's expectation, the whole tree
 * compared with the model every few hundred operations; then `e2fsck -fn` must find nothing to
 * fix and `debugfs rdump` must produce the model's tree byte for byte. */
#include "nc_test.h"
#include "fs_test_util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	bool is_dir;
	uint8_t *data;
	size_t size;
	uint32_t links;
} mnode_t;

typedef struct {
	char *path;                 /* "/a/b" */
	mnode_t *n;
} mentry_t;

typedef struct {
	mentry_t *e;
	size_t n, cap;
	size_t total_bytes;
	rng_t rng;
	struct {
		nc_fs_t *fs;
	} m;
	mem_dev_t dev;              /* the image, in memory (no flush costs) */
	host_alloc_t alloc;
	uint32_t n_ops, n_failed_as_expected;
} model_t;

#define MAX_DATA_BYTES (6u << 20)
#define BIG_FILE_BYTES (400u << 10)

static mentry_t *find(model_t *md, const char *path)
{
	for (size_t i = 0; i < md->n; i++)
		if (strcmp(md->e[i].path, path) == 0)
			return &md->e[i];
	return NULL;
}

static void add(model_t *md, const char *path, mnode_t *n)
{
	if (md->n == md->cap) {
		md->cap = md->cap ? 2 * md->cap : 64;
		md->e = realloc(md->e, md->cap * sizeof(mentry_t));
	}
	md->e[md->n++] = (mentry_t){ strdup(path), n };
	n->links++;
}

static void release_node(model_t *md, mnode_t *n)
{
	if (--n->links)
		return;
	md->total_bytes -= n->size;
	free(n->data);
	free(n);
}

static void drop(model_t *md, mentry_t *e)
{
	mnode_t *n = e->n;
	free(e->path);
	*e = md->e[--md->n];
	release_node(md, n);
}

static void parent_of(const char *path, char *out)
{
	const char *s = strrchr(path, '/');
	size_t len = (size_t)(s - path);
	memcpy(out, path, len);
	out[len] = '\0';
	if (len == 0)
		strcpy(out, "/");
}

static bool has_children(model_t *md, const char *dir)
{
	size_t len = strlen(dir);
	for (size_t i = 0; i < md->n; i++)
		if (!strncmp(md->e[i].path, dir, len) && md->e[i].path[len] == '/')
			return true;
	return false;
}

static bool is_dir_path(model_t *md, const char *path)
{
	if (!strcmp(path, "/"))
		return true;
	mentry_t *e = find(md, path);
	return e && e->n->is_dir;
}

/* A random existing entry (dir or file as asked), or NULL. */
static mentry_t *pick(model_t *md, int want_dir)
{
	if (!md->n)
		return NULL;
	for (int tries = 0; tries < 20; tries++) {
		mentry_t *e = &md->e[rng_below(&md->rng, (uint32_t)md->n)];
		if (want_dir < 0 || e->n->is_dir == (want_dir == 1))
			return e;
	}
	return NULL;
}

static void random_dir(model_t *md, char *out)
{
	mentry_t *e = rng_below(&md->rng, 4) ? pick(md, 1) : NULL;
	snprintf(out, 3000, "%s", e && strlen(e->path) < 2000 ? e->path : "/");
}

/* A path for a new or existing name: mostly short names from a few letters (collisions), some
 * long ones up to 255 bytes. */
static void random_path(model_t *md, char *out)
{
	char dir[3000], name[256];
	random_dir(md, dir);
	uint32_t len = rng_below(&md->rng, 10) == 0 ? 100 + rng_below(&md->rng, 156) : 1 + rng_below(&md->rng, 3);
	for (uint32_t i = 0; i < len; i++)
		name[i] = "abcdefgh"[rng_below(&md->rng, len > 3 ? 8 : 4)];
	name[len] = '\0';
	snprintf(out, 4096, "%s/%s", strcmp(dir, "/") ? dir : "", name);
}

static bool depth_ok(const char *path)
{
	int d = 0;
	for (const char *p = path; *p; p++)
		d += *p == '/';
	return d <= 5 && strlen(path) < 1500;
}

#define EXPECT(call, want)                                                                          \
	do {                                                                                        \
		nc_fs_err_t got_ = (call);                                                          \
		if (got_ != (want)) {                                                               \
			nc_test_note("op %u: %s: got %s, want %s", md->n_ops, #call,                \
				     nc_fs_err_name(got_), nc_fs_err_name(want));                 \
			return false;                                                               \
		}                                                                                   \
	} while (0)

/* The error a new name at path gets before anything else: its parent missing or not a dir. */
static nc_fs_err_t parent_err(model_t *md, const char *path)
{
	char parent[4096];
	parent_of(path, parent);
	if (is_dir_path(md, parent))
		return NC_FS_OK;
	return find(md, parent) ? NC_FS_ERR_NOT_DIR : NC_FS_ERR_NOT_FOUND;
}

static bool op_create(model_t *md)
{
	char path[4096];
	random_path(md, path);
	if (!depth_ok(path))
		return true;
	bool excl = rng_below(&md->rng, 2);
	nc_fs_node_t n;
	nc_fs_err_t want = parent_err(md, path);
	mentry_t *e = find(md, path);
	if (!want && e)
		want = e->n->is_dir ? NC_FS_ERR_IS_DIR : excl ? NC_FS_ERR_EXISTS : NC_FS_OK;
	EXPECT(nc_fs_create(md->m.fs, path, strlen(path), 0644, excl ? NC_FS_CREATE_EXCLUSIVE : 0, &n), want);
	if (!want && !e)
		add(md, path, calloc(1, sizeof(mnode_t)));
	return true;
}

static bool op_mkdir(model_t *md)
{
	char path[4096];
	random_path(md, path);
	if (!depth_ok(path))
		return true;
	nc_fs_err_t want = parent_err(md, path);
	if (!want && find(md, path))
		want = NC_FS_ERR_EXISTS;
	EXPECT(nc_fs_mkdir(md->m.fs, path, strlen(path), 0755, NULL), want);
	if (!want) {
		mnode_t *n = calloc(1, sizeof(mnode_t));
		n->is_dir = true;
		add(md, path, n);
	}
	return true;
}

static void model_write(model_t *md, mnode_t *n, size_t off, const uint8_t *data, size_t len)
{
	if (off + len > n->size) {
		n->data = realloc(n->data, off + len);
		memset(n->data + n->size, 0, off + len - n->size);
		md->total_bytes += off + len - n->size;
		n->size = off + len;
	}
	memcpy(n->data + off, data, len);
}

static bool check_content(model_t *md, const char *path, mnode_t *n)
{
	nc_fs_node_t node;
	nc_fs_stat_t st;
	EXPECT(nc_fs_lookup(md->m.fs, path, strlen(path), &node), NC_FS_OK);
	EXPECT(nc_fs_stat(md->m.fs, node, &st), NC_FS_OK);
	if (st.size_bytes != n->size || st.n_links != n->links) {
		nc_test_note("op %u: %s: size %llu links %u, want %zu %u", md->n_ops, path,
			     (unsigned long long)st.size_bytes, st.n_links, n->size, n->links);
		return false;
	}
	uint8_t *buf = malloc(n->size + 1);
	size_t got;
	EXPECT(nc_fs_read(md->m.fs, node, 0, buf, n->size + 1, &got), NC_FS_OK);
	bool same = got == n->size && (n->size == 0 || memcmp(buf, n->data, n->size) == 0);
	if (!same) {
		size_t i = 0;
		while (i < got && i < n->size && buf[i] == n->data[i])
			i++;
		nc_test_note("op %u: %s: content differs at %zu (size %zu, read %zu): %02x vs %02x", md->n_ops, path, i,
			     n->size, got, i < got ? buf[i] : 0, i < n->size ? n->data[i] : 0);
	}
	free(buf);
	return same;
}

static bool op_write(model_t *md, bool append)
{
	mentry_t *e = pick(md, 0);
	if (!e)
		return true;
	mnode_t *n = e->n;
	size_t len = rng_below(&md->rng, 8) == 0 ? rng_below(&md->rng, BIG_FILE_BYTES) : rng_below(&md->rng, 5000);
	size_t off = append ? n->size : rng_below(&md->rng, (uint32_t)n->size + 20000);
	if (md->total_bytes + len + (off > n->size ? off - n->size : 0) > MAX_DATA_BYTES)
		return true;
	uint8_t *data = malloc(len + 1);
	rng_fill(&md->rng, data, len);
	nc_fs_node_t node;
	size_t put;
	EXPECT(nc_fs_lookup(md->m.fs, e->path, strlen(e->path), &node), NC_FS_OK);
	if (append)
		EXPECT(nc_fs_append(md->m.fs, node, data, len, &put), NC_FS_OK);
	else
		EXPECT(nc_fs_write(md->m.fs, node, off, data, len, &put), NC_FS_OK);
	model_write(md, n, off, data, len);
	if (getenv("NC_FS_MODEL_TRACE"))
		fprintf(stderr, "op %u %s %s [%p] off %zu len %zu -> size %zu\n", md->n_ops, append ? "append" : "write", e->path, (void *)n, off, len, n->size);
	free(data);
	if (put != len) {
		nc_test_note("op %u: wrote %zu of %zu", md->n_ops, put, len);
		return false;
	}
	return (rng_below(&md->rng, 4) && !getenv("NC_FS_MODEL_CHECK_ALL")) || check_content(md, e->path, n);
}

static bool op_truncate(model_t *md)
{
	mentry_t *e = pick(md, 0);
	if (!e)
		return true;
	mnode_t *n = e->n;
	size_t size = rng_below(&md->rng, 2) ? rng_below(&md->rng, (uint32_t)n->size + 1) : n->size + rng_below(&md->rng, 30000);
	if (size > n->size && md->total_bytes + size - n->size > MAX_DATA_BYTES)
		return true;
	nc_fs_node_t node;
	EXPECT(nc_fs_lookup(md->m.fs, e->path, strlen(e->path), &node), NC_FS_OK);
	EXPECT(nc_fs_truncate(md->m.fs, node, size), NC_FS_OK);
	if (getenv("NC_FS_MODEL_TRACE"))
		fprintf(stderr, "op %u truncate %s [%p] %zu -> %zu\n", md->n_ops, e->path, (void *)n, n->size, size);
	if (size > n->size) {
		n->data = realloc(n->data, size);
		memset(n->data + n->size, 0, size - n->size);
	}
	md->total_bytes = md->total_bytes - n->size + size;
	n->size = size;
	return (rng_below(&md->rng, 2) && !getenv("NC_FS_MODEL_CHECK_ALL")) || check_content(md, e->path, n);
}

static bool op_unlink(model_t *md)
{
	char path[4096];
	mentry_t *e = rng_below(&md->rng, 5) ? pick(md, -1) : NULL;
	if (e)
		strcpy(path, e->path);
	else
		random_path(md, path);
	e = find(md, path);
	nc_fs_err_t want = parent_err(md, path);
	if (!want)
		want = !e ? NC_FS_ERR_NOT_FOUND : e->n->is_dir ? NC_FS_ERR_IS_DIR : NC_FS_OK;
	EXPECT(nc_fs_unlink(md->m.fs, path, strlen(path)), want);
	if (!want)
		drop(md, e);
	return true;
}

static bool op_rmdir(model_t *md)
{
	mentry_t *e = pick(md, rng_below(&md->rng, 6) ? 1 : 0);
	if (!e)
		return true;
	nc_fs_err_t want = !e->n->is_dir ? NC_FS_ERR_NOT_DIR : has_children(md, e->path) ? NC_FS_ERR_NOT_EMPTY : NC_FS_OK;
	EXPECT(nc_fs_rmdir(md->m.fs, e->path, strlen(e->path)), want);
	if (!want)
		drop(md, e);
	return true;
}

static bool op_link(model_t *md)
{
	mentry_t *e = pick(md, -1);
	char path[4096];
	random_path(md, path);
	if (!e || !depth_ok(path))
		return true;
	nc_fs_err_t want = e->n->is_dir ? NC_FS_ERR_IS_DIR : parent_err(md, path);
	if (!want && find(md, path))
		want = NC_FS_ERR_EXISTS;
	EXPECT(nc_fs_link(md->m.fs, e->path, strlen(e->path), path, strlen(path)), want);
	if (!want)
		add(md, path, e->n);
	return true;
}

static bool below(const char *path, const char *dir)
{
	size_t len = strlen(dir);
	return !strncmp(path, dir, len) && path[len] == '/';
}

/* The errors rename may give (any of them is right when several apply); 0 entries: success. */
static uint32_t rename_errors(model_t *md, const char *from, const char *to, nc_fs_err_t *errs)
{
	uint32_t n = 0;
	mentry_t *src = find(md, from), *dst = find(md, to);
	nc_fs_err_t pe = parent_err(md, to);
	if (pe)
		errs[n++] = pe;
	if (!src)
		errs[n++] = NC_FS_ERR_NOT_FOUND;
	if (n || (dst && dst->n == src->n))
		return n;
	if (src->n->is_dir && below(to, from))
		errs[n++] = NC_FS_ERR_LOOP;
	if (dst && src->n->is_dir && !dst->n->is_dir)
		errs[n++] = NC_FS_ERR_NOT_DIR;
	if (dst && !src->n->is_dir && dst->n->is_dir)
		errs[n++] = NC_FS_ERR_IS_DIR;
	if (dst && dst->n->is_dir && has_children(md, to))
		errs[n++] = NC_FS_ERR_NOT_EMPTY;
	return n;
}

static void model_rename(model_t *md, const char *from, const char *to)
{
	mentry_t *dst = find(md, to);
	if (dst) {
		if (dst->n == find(md, from)->n)
			return;
		drop(md, dst);
	}
	size_t flen = strlen(from);
	for (size_t i = 0; i < md->n; i++) {
		char *p = md->e[i].path;
		if (strcmp(p, from) && !below(p, from))
			continue;
		char *np = malloc(strlen(to) + strlen(p + flen) + 1);
		strcpy(np, to);
		strcat(np, p + flen);
		free(p);
		md->e[i].path = np;
	}
}

static bool op_rename(model_t *md)
{
	mentry_t *e = pick(md, rng_below(&md->rng, 3) ? 0 : 1);
	char from[4096], to[4096];
	if (!e)
		return true;
	strcpy(from, e->path);
	mentry_t *t = rng_below(&md->rng, 3) == 0 ? pick(md, e->n->is_dir) : NULL;
	if (t)
		strcpy(to, t->path);
	else
		random_path(md, to);
	if (!depth_ok(to))
		return true;
	nc_fs_err_t errs[8];
	uint32_t n = rename_errors(md, from, to, errs);
	nc_fs_err_t got = nc_fs_rename(md->m.fs, from, strlen(from), to, strlen(to));
	bool ok = n == 0 ? got == NC_FS_OK : false;
	for (uint32_t i = 0; i < n; i++)
		ok |= got == errs[i];
	if (!ok) {
		nc_test_note("op %u: rename %s -> %s: got %s, want %s", md->n_ops, from, to, nc_fs_err_name(got),
			     n ? nc_fs_err_name(errs[0]) : "ok");
		return false;
	}
	if (n == 0)
		model_rename(md, from, to);
	return true;
}

static char *manifest_model(model_t *md, bool with_links)
{
	lines_t l = { 0 };
	for (size_t i = 0; i < md->n; i++) {
		mnode_t *n = md->e[i].n;
		if (n->is_dir)
			manifest_add_dir(&l, md->e[i].path);
		else
			manifest_add_file(&l, md->e[i].path, n->size, with_links ? n->links : 0u,
					  content_hash(n->data, n->size));
	}
	return manifest_join(&l);
}

static bool compare_all(model_t *md)
{
	nc_fs_err_t err;
	char *got = manifest_fs(md->m.fs, true, &err);
	char *want = manifest_model(md, true);
	bool same = err == NC_FS_OK && strcmp(got, want) == 0;
	if (!same)
		nc_test_note("op %u: tree differs (%s): %s", md->n_ops, nc_fs_err_name(err), manifest_diff(want, got));
	free(got);
	free(want);
	return same;
}

static nc_fs_err_t mount_mem(model_t *md)
{
	nc_fs_config_t cfg = mem_fs_config(&md->dev, &md->alloc, 0);
	return nc_fs_mount(&cfg, &md->m.fs);
}

static bool op_remount(model_t *md)
{
	EXPECT(nc_fs_unmount(md->m.fs), NC_FS_OK);
	EXPECT(mount_mem(md), NC_FS_OK);
	return true;
}

static bool step(model_t *md)
{
	uint32_t r = rng_below(&md->rng, 100);
	if (r < 20)
		return op_create(md);
	if (r < 30)
		return op_mkdir(md);
	if (r < 45)
		return op_write(md, false);
	if (r < 55)
		return op_write(md, true);
	if (r < 62)
		return op_truncate(md);
	if (r < 72)
		return op_unlink(md);
	if (r < 78)
		return op_rmdir(md);
	if (r < 82)
		return op_link(md);
	if (r < 95)
		return op_rename(md);
	if (r < 99) {
		EXPECT(nc_fs_sync(md->m.fs), NC_FS_OK);
		return true;
	}
	return op_remount(md);
}

static void model_free(model_t *md)
{
	while (md->n)
		drop(md, &md->e[md->n - 1]);
	free(md->e);
}

static void run_model(uint32_t block_bytes, uint32_t size_kib, uint64_t seed)
{
	char *dir = tmp_make();
	NC_CHECK(dir);
	char img[512], out[16384], dump[512];
	snprintf(img, sizeof img, "%s/img", dir);
	snprintf(dump, sizeof dump, "%s/dump", dir);
	NC_CHECK_EQ(make_image(img, block_bytes, size_kib, NULL), 0);
	model_t md = { .rng = { seed }, .alloc = { .fail_after = -1 } };
	NC_CHECK_EQ(mem_dev_load(&md.dev, img, 512), 0);
	NC_CHECK_EQ(mount_mem(&md), NC_FS_OK);
	bool ok = true;
	for (md.n_ops = 0; ok && md.n_ops < 5000; md.n_ops++) {
		ok = step(&md);
		if (ok && getenv("NC_FS_MODEL_FSCK_EACH")) {
			NC_CHECK_EQ(nc_fs_sync(md.m.fs), NC_FS_OK);
			NC_CHECK_EQ(mem_dev_save(&md.dev, img), 0);
			ok = fsck_clean(img, out, sizeof out);
			if (!ok)
				nc_test_note("op %u: e2fsck: %s", md.n_ops, out);
		}
		if (ok && md.n_ops % 500 == 499)
			ok = compare_all(&md);
	}
	NC_CHECK(ok);
	NC_CHECK(compare_all(&md));
	NC_CHECK_EQ(nc_fs_unmount(md.m.fs), NC_FS_OK);
	NC_CHECK_EQ(md.alloc.live_bytes, 0);
	NC_CHECK_EQ(mem_dev_save(&md.dev, img), 0);
	mem_dev_free(&md.dev);
	bool clean = fsck_clean(img, out, sizeof out);
	if (!clean)
		nc_test_note("e2fsck: %s", out);
	NC_CHECK(clean);
	NC_CHECK_EQ(run(out, sizeof out, "mkdir %s && debugfs -R 'rdump / %s' %s", dump, dump, img), 0);
	char *got = manifest_host(dump, false), *want = manifest_model(&md, false);
	if (strcmp(got, want))
		nc_test_note("debugfs: %s", manifest_diff(want, got));
	NC_CHECK(strcmp(got, want) == 0);
	nc_test_note("%zu names, %zu bytes of data at the end", md.n, md.total_bytes);
	free(got);
	free(want);
	model_free(&md);
	tmp_remove(dir);
}

NC_TEST(fs_model, random_ops_1k) { run_model(1024, 32768, 11); }
NC_TEST(fs_model, random_ops_4k) { run_model(4096, 65536, 12); }
