/* The model of fs_model.h. */
#define _GNU_SOURCE
#include "fs_model.h"
#include "nc_test.h"

#include <stdlib.h>
#include <string.h>

#define BIG_FILE_BYTES (400u << 10)

static void note_event(model_t *md, mnode_t *n)
{
	if (md->n_ev == md->cap_ev) {
		md->cap_ev = md->cap_ev ? 2 * md->cap_ev : 256;
		md->ev = realloc(md->ev, md->cap_ev * sizeof(mevent_t));
	}
	md->ev[md->n_ev++] = (mevent_t){ md->n_ops, n->ino };
}

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
	note_event(md, n);
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
	EXPECT(nc_fs_create(md->fs, path, strlen(path), 0644, excl ? NC_FS_CREATE_EXCLUSIVE : 0, &n), want);
	if (!want && !e) {
		mnode_t *node = calloc(1, sizeof(mnode_t));
		node->ino = n.ino;
		add(md, path, node);
	} else if (!want && e->n->ino != n.ino) {
		nc_test_note("op %u: create %s opened inode %u, not %u", md->n_ops, path, n.ino, e->n->ino);
		return false;
	}
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
	nc_fs_node_t node;
	EXPECT(nc_fs_mkdir(md->fs, path, strlen(path), 0755, &node), want);
	if (!want) {
		mnode_t *n = calloc(1, sizeof(mnode_t));
		n->is_dir = true;
		n->ino = node.ino;
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
	EXPECT(nc_fs_lookup(md->fs, path, strlen(path), &node), NC_FS_OK);
	EXPECT(nc_fs_stat(md->fs, node, &st), NC_FS_OK);
	if (st.size_bytes != n->size || st.n_links != n->links) {
		nc_test_note("op %u: %s: size %llu links %u, want %zu %u", md->n_ops, path,
			     (unsigned long long)st.size_bytes, st.n_links, n->size, n->links);
		return false;
	}
	uint8_t *buf = malloc(n->size + 1);
	size_t got;
	EXPECT(nc_fs_read(md->fs, node, 0, buf, n->size + 1, &got), NC_FS_OK);
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
	if (md->max_write_bytes && len > md->max_write_bytes)
		len = md->max_write_bytes;
	size_t off = append ? n->size : rng_below(&md->rng, (uint32_t)n->size + 20000);
	if (md->total_bytes + len + (off > n->size ? off - n->size : 0) > md->max_data_bytes)
		return true;
	uint8_t *data = malloc(len + 1);
	rng_fill(&md->rng, data, len);
	nc_fs_node_t node;
	size_t put;
	EXPECT(nc_fs_lookup(md->fs, e->path, strlen(e->path), &node), NC_FS_OK);
	if (append)
		EXPECT(nc_fs_append(md->fs, node, data, len, &put), NC_FS_OK);
	else
		EXPECT(nc_fs_write(md->fs, node, off, data, len, &put), NC_FS_OK);
	model_write(md, n, off, data, len);
	note_event(md, n);
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
	if (size > n->size && md->total_bytes + size - n->size > md->max_data_bytes)
		return true;
	nc_fs_node_t node;
	EXPECT(nc_fs_lookup(md->fs, e->path, strlen(e->path), &node), NC_FS_OK);
	EXPECT(nc_fs_truncate(md->fs, node, size), NC_FS_OK);
	if (getenv("NC_FS_MODEL_TRACE"))
		fprintf(stderr, "op %u truncate %s [%p] %zu -> %zu\n", md->n_ops, e->path, (void *)n, n->size, size);
	if (size > n->size) {
		n->data = realloc(n->data, size);
		memset(n->data + n->size, 0, size - n->size);
	}
	md->total_bytes = md->total_bytes - n->size + size;
	n->size = size;
	note_event(md, n);
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
	EXPECT(nc_fs_unlink(md->fs, path, strlen(path)), want);
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
	EXPECT(nc_fs_rmdir(md->fs, e->path, strlen(e->path)), want);
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
	EXPECT(nc_fs_link(md->fs, e->path, strlen(e->path), path, strlen(path)), want);
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
	nc_fs_err_t got = nc_fs_rename(md->fs, from, strlen(from), to, strlen(to));
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

char *model_manifest(model_t *md, uint32_t flags)
{
	lines_t l = { 0 };
	for (size_t i = 0; i < md->n; i++) {
		mnode_t *n = md->e[i].n;
		if (n->is_dir)
			manifest_add_dir(&l, md->e[i].path);
		else
			manifest_add_file(&l, md->e[i].path, n->size, (flags & MANIFEST_LINKS) ? n->links : 0u,
					  (flags & MANIFEST_INO) ? n->ino : 0u,
					  (flags & MANIFEST_NO_CONTENT) ? 0u : content_hash(n->data, n->size));
	}
	return manifest_join(&l);
}

static bool op_remount(model_t *md)
{
	if (md->remount)
		EXPECT(md->remount(md), NC_FS_OK);
	return true;
}

bool model_step(model_t *md)
{
	uint32_t r = rng_below(&md->rng, 100);
	md->last_was_sync = false;
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
		EXPECT(nc_fs_sync(md->fs), NC_FS_OK);
		md->last_was_sync = true;
		return true;
	}
	return op_remount(md);
}

void model_free(model_t *md)
{
	while (md->n)
		drop(md, &md->e[md->n - 1]);
	free(md->e);
	free(md->ev);
}

