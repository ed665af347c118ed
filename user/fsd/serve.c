/* The file-system service's answers (user/fsd/serve.h): each routed call of docs/services.md's
 * table becomes lib/fs calls. The kernel has already checked the caller's capability, scope and
 * handle rights, and normalised the path (relative to the served prefix); this file checks the
 * rest (object ids, payload lengths, flags) and never trusts a field it did not check. */
#include "serve.h"

#include <nc/mem.h>

/* ---- errors ---- */

static nc_sys_err_t map_error(nc_fs_err_t err)
{
	switch (err) {
	case NC_FS_OK: return NC_SYS_OK;
	case NC_FS_ERR_NOT_FOUND: return NC_SYS_ERR_NOT_FOUND;
	case NC_FS_ERR_EXISTS: return NC_SYS_ERR_EXISTS;
	case NC_FS_ERR_NOT_EMPTY: return NC_SYS_ERR_NOT_EMPTY;
	case NC_FS_ERR_NOT_DIR:
	case NC_FS_ERR_IS_DIR:
	case NC_FS_ERR_SYMLINK: return NC_SYS_ERR_WRONG_TYPE;
	case NC_FS_ERR_NO_SPACE:
	case NC_FS_ERR_NO_INODES: return NC_SYS_ERR_NO_SPACE;
	case NC_FS_ERR_READ_ONLY: return NC_SYS_ERR_READ_ONLY;
	case NC_FS_ERR_TOO_MANY_LINKS: return NC_SYS_ERR_LIMIT;
	case NC_FS_ERR_NOMEM: return NC_SYS_ERR_NO_MEMORY;
	case NC_FS_ERR_INVALID:
	case NC_FS_ERR_NAME_TOO_LONG:
	case NC_FS_ERR_TOO_BIG:
	case NC_FS_ERR_LOOP:
	case NC_FS_ERR_BUSY: return NC_SYS_ERR_INVALID;
	default: return NC_SYS_ERR_IO_ERROR; /* the device, a malformed image, a stale node */
	}
}

nc_sys_err_t fsd_error(nc_fs_err_t err, uint64_t allowed)
{
	nc_sys_err_t e = map_error(err);
	return e == NC_SYS_OK || (allowed >> e & 1u) ? e : NC_SYS_ERR_IO_ERROR;
}

/* ---- objects ---- */

static uint64_t object_id(const fsd_t *d, const fsd_object_t *o)
{
	return (uint64_t)o->seq << 32 | (uint64_t)(o - d->obj + 1);
}

static fsd_object_t *object_of(fsd_t *d, uint64_t id)
{
	uint64_t slot = (id & 0xffffffffu) - 1u;
	if (slot >= FSD_OBJECTS || !d->obj[slot].used || d->obj[slot].seq != id >> 32)
		return NULL;
	return &d->obj[slot];
}

static fsd_object_t *object_new(fsd_t *d)
{
	for (uint32_t i = 0; i < FSD_OBJECTS; i++)
		if (!d->obj[i].used) {
			fsd_object_t *o = &d->obj[i];
			nc_mem_set(o, 0, sizeof *o);
			o->used = true;
			o->seq = ++d->next_seq;
			return o;
		}
	return NULL;
}

/* ---- replies ---- */

static void reply(fsd_reply_t *r, nc_sys_err_t status, uint64_t result)
{
	r->status = status;
	r->result = status ? 0 : result;
}

static void reply_data(fsd_t *d, fsd_reply_t *r, const void *data, size_t len)
{
	nc_mem_copy(d->out, data, len);
	r->data = d->out;
	r->len = len;
}

static uint64_t handle_type(nc_fs_type_t t)
{
	return t == NC_FS_TYPE_DIR ? NC_SYS_HANDLE_DIR : NC_SYS_HANDLE_FILE;
}

static void stat_full(const nc_fs_stat_t *st, nc_sys_stat_full_t *out)
{
	*out = (nc_sys_stat_full_t){
		.type = handle_type(st->type), .size_bytes = st->size_bytes, .mode = st->mode,
		.n_links = st->n_links, .inode = st->node.ino, .atime_ns = st->atime_ns,
		.mtime_ns = st->mtime_ns, .ctime_ns = st->ctime_ns, .blocks_bytes = st->blocks_bytes,
	};
}

/* ---- calls on paths ---- */

static nc_fs_err_t path_stat(fsd_t *d, const char *path, size_t len, nc_fs_stat_t *st)
{
	nc_fs_node_t n;
	nc_fs_err_t err = nc_fs_lookup(d->fs, path, len, &n);
	return err ? err : nc_fs_stat(d->fs, n, st);
}

/* The node FsOpen names; *created: this call made the file (so OPEN_TRUNCATE has nothing to do). */
static nc_fs_err_t open_node(fsd_t *d, const char *path, size_t len, uint64_t flags, nc_fs_node_t *n,
			     bool *created)
{
	*created = false;
	if (!(flags & NC_SYS_OPEN_CREATE))
		return nc_fs_lookup(d->fs, path, len, n);
	nc_fs_err_t err = nc_fs_create(d->fs, path, len, 0644, NC_FS_CREATE_EXCLUSIVE, n);
	*created = err == NC_FS_OK;
	if (err == NC_FS_ERR_EXISTS && !(flags & NC_SYS_OPEN_EXCLUSIVE))
		err = nc_fs_create(d->fs, path, len, 0644, 0, n); /* open what is there */
	return err;
}

static void fs_open(fsd_t *d, const nc_sys_service_request_t *q, const char *path, fsd_reply_t *r)
{
	uint64_t flags = q->arg0;
	bool want_dir = flags & NC_SYS_OPEN_DIR, write = flags & NC_SYS_OPEN_WRITE, created;
	nc_fs_node_t n;
	nc_fs_stat_t st;
	nc_fs_err_t err = open_node(d, path, q->in_len, flags, &n, &created);
	if (!err)
		err = nc_fs_stat(d->fs, n, &st);
	if (!err && (st.type == NC_FS_TYPE_DIR) != want_dir)
		err = want_dir ? NC_FS_ERR_NOT_DIR : NC_FS_ERR_IS_DIR;
	if (!err && st.type == NC_FS_TYPE_SYMLINK)
		err = NC_FS_ERR_SYMLINK;
	if (!err && write && (flags & NC_SYS_OPEN_TRUNCATE) && !created)
		err = nc_fs_truncate(d->fs, n, 0);
	fsd_object_t *o = err ? NULL : object_new(d);
	if (!err && !o) {
		reply(r, NC_SYS_ERR_LIMIT, 0);
		return;
	}
	reply(r, fsd_error(err, NC_SYS_ERRORS_FS_OPEN), 0);
	if (err)
		return;
	o->node = n;
	o->dir = want_dir;
	o->write = write;
	o->append = flags & NC_SYS_OPEN_APPEND;
	r->object = object_id(d, o);
	r->object_type = want_dir ? NC_SYS_HANDLE_DIR : NC_SYS_HANDLE_FILE;
	r->rights = NC_SYS_RIGHT_READ | NC_SYS_RIGHT_DUPLICATE | NC_SYS_RIGHT_TRANSFER |
		    (write ? NC_SYS_RIGHT_WRITE : 0u);
}

static void fs_stat(fsd_t *d, const nc_sys_service_request_t *q, const char *path, fsd_reply_t *r)
{
	nc_fs_stat_t st;
	nc_fs_err_t err = path_stat(d, path, q->in_len, &st);
	if (q->op == NC_SYS_FS_STAT) {
		reply(r, fsd_error(err, NC_SYS_ERRORS_FS_STAT), 0);
		nc_sys_stat_t s = { handle_type(st.type), st.type == NC_FS_TYPE_DIR ? 0u : st.size_bytes };
		if (!err)
			reply_data(d, r, &s, sizeof s);
		return;
	}
	reply(r, fsd_error(err, NC_SYS_ERRORS_FS_STAT_FULL), 0);
	nc_sys_stat_full_t s;
	if (!err) {
		stat_full(&st, &s);
		reply_data(d, r, &s, sizeof s);
	}
}

static void fs_statfs(fsd_t *d, fsd_reply_t *r)
{
	nc_fs_statfs_t f;
	nc_fs_err_t err = nc_fs_statfs(d->fs, &f);
	reply(r, fsd_error(err, NC_SYS_ERRORS_FS_STAT_FS), 0);
	if (err)
		return;
	nc_sys_statfs_t s = { .block_bytes = f.block_bytes, .total_blocks = f.total_blocks,
			      .free_blocks = f.free_blocks, .total_inodes = f.total_inodes,
			      .free_inodes = f.free_inodes, .flags = f.read_only ? NC_SYS_BLK_READ_ONLY : 0u };
	nc_mem_copy(s.fs_type, "ext3", 5);
	reply_data(d, r, &s, sizeof s);
}

/* FsRename and FsLink: arg0 is the length of the first path; the second follows it. */
static void two_paths(fsd_t *d, const nc_sys_service_request_t *q, const char *p, fsd_reply_t *r)
{
	uint64_t first = q->arg0;
	bool rename = q->op == NC_SYS_FS_RENAME;
	uint64_t mask = rename ? NC_SYS_ERRORS_FS_RENAME : NC_SYS_ERRORS_FS_LINK;
	if (first == 0 || first >= q->in_len) {
		reply(r, NC_SYS_ERR_INVALID, 0);
		return;
	}
	size_t second = (size_t)(q->in_len - first);
	nc_fs_err_t err = rename ? nc_fs_rename(d->fs, p, (size_t)first, p + first, second)
				 : nc_fs_link(d->fs, p, (size_t)first, p + first, second);
	reply(r, fsd_error(err, mask), 0);
}

/* ---- calls on objects ---- */

/* FdRead into the reply data, FdReadBulk into the request's window (the kernel hands the caller
 * the first `result` bytes of it). */
static void fd_read(fsd_t *d, const nc_sys_service_request_t *q, fsd_object_t *o, fsd_reply_t *r)
{
	bool bulk = q->op == NC_SYS_FD_READ_BULK;
	uint8_t *dst = bulk ? (uint8_t *)(uintptr_t)q->window : d->out;
	uint64_t room = bulk ? q->window_len : q->out_max < sizeof d->out ? q->out_max : sizeof d->out;
	if (!dst) { /* a bulk request without a window: the kernel's bug, answered as I/O */
		reply(r, NC_SYS_ERR_IO_ERROR, 0);
		return;
	}
	size_t want = (size_t)(q->arg0 < room ? q->arg0 : room), got = 0;
	nc_fs_err_t err = nc_fs_read(d->fs, o->node, o->pos, dst, want, &got);
	reply(r, fsd_error(err, bulk ? NC_SYS_ERRORS_FD_READ_BULK : NC_SYS_ERRORS_FD_READ), got);
	if (!err) {
		o->pos += got;
		r->data = bulk ? NULL : d->out;
		r->len = bulk ? 0 : got;
	}
}

/* ---- writes ---- */

/* nc_fs_write, once more after a commit when it meets NO_SPACE: lib/fs reuses the blocks freed
 * in the running transaction (a file just removed or truncated) only once it has committed, while
 * statfs already counts them free (ext4 too commits and tries again). */
static nc_fs_err_t write_committing(fsd_t *d, nc_fs_node_t node, uint64_t pos, const uint8_t *data, size_t len,
				    size_t *put)
{
	nc_fs_err_t err = nc_fs_write(d->fs, node, pos, data, len, put);
	if (err != NC_FS_ERR_NO_SPACE || *put == len || nc_fs_sync(d->fs) != NC_FS_OK)
		return err;
	size_t more = 0;
	err = nc_fs_write(d->fs, node, pos + *put, data + *put, len - *put, &more);
	*put += more;
	return err;
}

/* ---- write-back (serve.h) ---- */

enum { WRITE_BACK_MARGIN_BLOCKS = 16 }; /* indirect blocks of the waiting data, with room to spare */

nc_fs_err_t fsd_flush(fsd_t *d)
{
	if (!d->wb_len)
		return NC_FS_OK;
	size_t put;
	nc_fs_err_t err = write_committing(d, d->wb_node, d->wb_pos, d->wb, d->wb_len, &put);
	d->wb_len = 0;
	fsd_object_t *o = object_of(d, d->wb_object);
	if (err && o && !o->deferred)
		o->deferred = err;
	return err;
}

/* Whether len more bytes for o may wait in d->wb (what waits for another object, or does not
 * leave room, is written first). */
static bool write_back_takes(fsd_t *d, const nc_sys_service_request_t *q, const fsd_object_t *o, size_t len)
{
	if (d->wb_len && (d->wb_object != q->object || d->wb_len + len > sizeof d->wb))
		fsd_flush(d);
	nc_fs_statfs_t f;
	if (o->append || o->deferred || len == 0 || len > sizeof d->wb || o->pos + len > FSD_WRITE_BACK_MAX_OFFSET ||
	    nc_fs_statfs(d->fs, &f) || f.read_only)
		return false;
	return f.free_blocks >= (d->wb_len + len + f.block_bytes - 1u) / f.block_bytes + WRITE_BACK_MARGIN_BLOCKS;
}

/* FdWrite of the payload, FdWriteBulk of the request's window. */
static void fd_write(fsd_t *d, const nc_sys_service_request_t *q, const uint8_t *payload, fsd_object_t *o,
		     fsd_reply_t *r)
{
	bool bulk = q->op == NC_SYS_FD_WRITE_BULK;
	const uint8_t *data = bulk ? (const uint8_t *)(uintptr_t)q->window : payload;
	size_t len = (size_t)(bulk ? q->window_len : q->in_len);
	uint64_t mask = bulk ? NC_SYS_ERRORS_FD_WRITE_BULK : NC_SYS_ERRORS_FD_WRITE;
	if (!o->write || (bulk && !data)) {
		reply(r, o->write ? NC_SYS_ERR_IO_ERROR : NC_SYS_ERR_DENIED, 0);
		return;
	}
	if (write_back_takes(d, q, o, len)) {
		if (!d->wb_len) {
			d->wb_object = q->object;
			d->wb_node = o->node;
			d->wb_pos = o->pos;
		}
		nc_mem_copy(d->wb + d->wb_len, data, len);
		d->wb_len += len;
		o->pos += len;
		reply(r, NC_SYS_OK, len);
		return;
	}
	fsd_flush(d);
	nc_fs_err_t err = o->deferred;
	o->deferred = NC_FS_OK;
	if (err) {
		reply(r, fsd_error(err, mask), 0);
		return;
	}
	nc_fs_stat_t st;
	err = o->append ? nc_fs_stat(d->fs, o->node, &st) : NC_FS_OK;
	if (!err && o->append)
		o->pos = st.size_bytes;
	size_t put = 0;
	if (!err)
		err = write_committing(d, o->node, o->pos, data, len, &put);
	o->pos += put;
	if (err && put) /* a partial write counts, as POSIX's write */
		err = NC_FS_OK;
	reply(r, fsd_error(err, mask), put);
}

static void fd_seek(fsd_t *d, const nc_sys_service_request_t *q, fsd_object_t *o, fsd_reply_t *r)
{
	nc_fs_stat_t st;
	nc_fs_err_t err = nc_fs_stat(d->fs, o->node, &st);
	int64_t base = q->arg1 == NC_SYS_SEEK_SET ? 0 : q->arg1 == NC_SYS_SEEK_CUR ? (int64_t)o->pos
										   : (int64_t)st.size_bytes;
	int64_t pos = base + (int64_t)q->arg0;
	if (!err && (q->arg1 > NC_SYS_SEEK_END || pos < 0)) {
		reply(r, NC_SYS_ERR_INVALID, 0);
		return;
	}
	if (!err)
		o->pos = (uint64_t)pos;
	reply(r, fsd_error(err, NC_SYS_ERRORS_FD_SEEK), o->pos);
}

/* Entry number index of the directory (without "." and ".."): the cursor moves forward from
 * where the last call left it, or starts again from the beginning. */
static nc_fs_err_t dir_entry(fsd_t *d, fsd_object_t *o, uint64_t index, nc_fs_dirent_t *e, bool *end)
{
	if (index < o->pos) {
		o->pos = 0;
		o->cookie = 0;
	}
	for (;;) {
		uint64_t before = o->cookie;
		nc_fs_err_t err = nc_fs_read_dir(d->fs, o->node, &o->cookie, e, end);
		if (err || *end)
			return err;
		bool dots = e->name[0] == '.' && (e->name_len == 1 || (e->name_len == 2 && e->name[1] == '.'));
		if (dots)
			continue;
		if (o->pos == index) {
			o->cookie = before; /* stay on this entry: the next call may ask for it again */
			return NC_FS_OK;
		}
		o->pos++;
	}
}

static void list_dir(fsd_t *d, const nc_sys_service_request_t *q, fsd_object_t *o, fsd_reply_t *r)
{
	bool full = q->op == NC_SYS_FS_READ_DIR, end = false;
	uint64_t mask = full ? NC_SYS_ERRORS_FS_READ_DIR : NC_SYS_ERRORS_FS_LIST_DIR;
	nc_fs_dirent_t e;
	nc_fs_stat_t st;
	nc_fs_err_t err = dir_entry(d, o, q->arg0, &e, &end);
	if (!err && end)
		err = NC_FS_ERR_NOT_FOUND;
	reply(r, fsd_error(err, mask), 0);
	if (err)
		return;
	nc_fs_node_t n;
	uint64_t size = 0;
	if (e.type == NC_FS_TYPE_FILE && nc_fs_lookup_at(d->fs, o->node, e.name, e.name_len, &n) == NC_FS_OK &&
	    nc_fs_stat(d->fs, n, &st) == NC_FS_OK)
		size = st.size_bytes;
	if (full) {
		nc_sys_dirent_full_t f = { .type = handle_type(e.type), .size_bytes = size, .inode = e.ino };
		nc_mem_copy(f.name, e.name, e.name_len + 1u);
		reply_data(d, r, &f, sizeof f);
	} else {
		nc_sys_dirent_t s = { .type = handle_type(e.type), .size_bytes = size };
		size_t n_bytes = e.name_len < sizeof s.name ? e.name_len : sizeof s.name - 1u;
		nc_mem_copy(s.name, e.name, n_bytes);
		reply_data(d, r, &s, sizeof s);
	}
}

static void fd_stat(fsd_t *d, fsd_object_t *o, fsd_reply_t *r)
{
	nc_fs_stat_t st;
	nc_fs_err_t err = nc_fs_stat(d->fs, o->node, &st);
	reply(r, fsd_error(err, NC_SYS_ERRORS_FD_STAT), 0);
	nc_sys_stat_full_t s;
	if (!err) {
		stat_full(&st, &s);
		reply_data(d, r, &s, sizeof s);
	}
}

static void fs_truncate(fsd_t *d, const nc_sys_service_request_t *q, fsd_object_t *o, fsd_reply_t *r)
{
	nc_fs_err_t err = o->write ? nc_fs_truncate(d->fs, o->node, q->arg0) : NC_FS_OK;
	reply(r, o->write ? fsd_error(err, NC_SYS_ERRORS_FS_TRUNCATE) : NC_SYS_ERR_DENIED, 0);
}

/* FsSync: durable when it returns, or the failure of the object's write-back. */
static void fs_sync(fsd_t *d, fsd_object_t *o, fsd_reply_t *r)
{
	nc_fs_err_t err = o->deferred ? o->deferred : nc_fs_sync(d->fs);
	o->deferred = NC_FS_OK;
	reply(r, fsd_error(err, NC_SYS_ERRORS_FS_SYNC), 0);
}

static void on_object(fsd_t *d, const nc_sys_service_request_t *q, const uint8_t *payload, fsd_reply_t *r)
{
	fsd_object_t *o = object_of(d, q->object);
	if (q->op == NC_SYS_SERVICE_OP_CLOSE) {
		r->silent = true;
		if (o)
			o->used = false;
		return;
	}
	if (!o) { /* the kernel only sends ids we gave: a stale one is our bug, answered as I/O */
		reply(r, NC_SYS_ERR_IO_ERROR, 0);
		return;
	}
	bool want_dir = q->op == NC_SYS_FS_LIST_DIR || q->op == NC_SYS_FS_READ_DIR;
	bool any = q->op == NC_SYS_FD_STAT || q->op == NC_SYS_FS_SYNC;
	if (!any && o->dir != want_dir) {
		reply(r, NC_SYS_ERR_WRONG_TYPE, 0);
		return;
	}
	switch (q->op) {
	case NC_SYS_FD_READ:
	case NC_SYS_FD_READ_BULK: fd_read(d, q, o, r); break;
	case NC_SYS_FD_WRITE:
	case NC_SYS_FD_WRITE_BULK: fd_write(d, q, payload, o, r); break;
	case NC_SYS_FD_SEEK: fd_seek(d, q, o, r); break;
	case NC_SYS_FS_LIST_DIR:
	case NC_SYS_FS_READ_DIR: list_dir(d, q, o, r); break;
	case NC_SYS_FD_STAT: fd_stat(d, o, r); break;
	case NC_SYS_FS_SYNC: fs_sync(d, o, r); break;
	case NC_SYS_FS_TRUNCATE: fs_truncate(d, q, o, r); break;
	default: reply(r, NC_SYS_ERR_IO_ERROR, 0); break;
	}
}

void fsd_serve(fsd_t *d, const nc_sys_service_request_t *q, const uint8_t *payload, fsd_reply_t *r)
{
	*r = (fsd_reply_t){ 0 };
	const char *path = (const char *)payload;
	if (d->wb_len && !(q->op == NC_SYS_FD_WRITE && q->object == d->wb_object))
		fsd_flush(d); /* nothing sees the file without what waits */
	switch (q->op) {
	case NC_SYS_SERVICE_OP_CANCEL: /* every request is answered before the next is taken */
		r->silent = true;
		break;
	case NC_SYS_FS_OPEN: fs_open(d, q, path, r); break;
	case NC_SYS_FS_STAT:
	case NC_SYS_FS_STAT_FULL: fs_stat(d, q, path, r); break;
	case NC_SYS_FS_STAT_FS: fs_statfs(d, r); break;
	case NC_SYS_FS_MKDIR:
		reply(r, fsd_error(nc_fs_mkdir(d->fs, path, q->in_len, 0755, NULL), NC_SYS_ERRORS_FS_MKDIR), 0);
		break;
	case NC_SYS_FS_UNLINK:
		reply(r, fsd_error(nc_fs_unlink(d->fs, path, q->in_len), NC_SYS_ERRORS_FS_UNLINK), 0);
		break;
	case NC_SYS_FS_RMDIR:
		reply(r, fsd_error(nc_fs_rmdir(d->fs, path, q->in_len), NC_SYS_ERRORS_FS_RMDIR), 0);
		break;
	case NC_SYS_FS_RENAME:
	case NC_SYS_FS_LINK: two_paths(d, q, path, r); break;
	default: on_object(d, q, payload, r); break;
	}
}
