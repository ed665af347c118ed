/* File-system system calls that read: FsOpen, FsStat, FsStatFull, FsStatFs,
 * FsListDir, FsReadDir, FdStat, FdSeek, GetCwd, SetCwd (docs/abi.md). Paths
 * are resolved against the working directory and normalised before the
 * capability's scope is checked, so ".." cannot climb out of a scope. A path
 * under a file-system service's prefix goes to that service
 * (kernel/fs_route.h); every other path is the read-only initrd's. */
#include <kernel/cap.h>
#include <kernel/fs.h>
#include <kernel/fs_route.h>
#include <kernel/initrd.h>
#include <kernel/process.h>
#include <kernel/remote.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>
#include <nc/mem.h>

#define OPEN_FLAGS (NC_SYS_OPEN_DIR | NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | NC_SYS_OPEN_TRUNCATE | \
		    NC_SYS_OPEN_APPEND | NC_SYS_OPEN_EXCLUSIVE)
#define OPEN_WRITE_ONLY_FLAGS (NC_SYS_OPEN_CREATE | NC_SYS_OPEN_TRUNCATE | NC_SYS_OPEN_APPEND | NC_SYS_OPEN_EXCLUSIVE)

static bool open_flags_valid(uint64_t flags)
{
	bool write = flags & NC_SYS_OPEN_WRITE;
	return !(flags & ~(uint64_t)OPEN_FLAGS) && (write || !(flags & OPEN_WRITE_ONLY_FLAGS)) &&
	       !(write && (flags & NC_SYS_OPEN_DIR)) &&
	       (!(flags & NC_SYS_OPEN_EXCLUSIVE) || (flags & NC_SYS_OPEN_CREATE));
}

/* Open abs on the service s serves it from (rel); *o gets the remote object
 * and *rights what the service allows of want. */
static nc_sys_err_t open_remote(ksvc_t *s, const char *rel, size_t rel_len, uint64_t flags, uint32_t want,
				kobj_t **o, uint32_t *rights)
{
	svc_call_t c = { .op = NC_SYS_FS_OPEN, .errors = NC_SYS_ERRORS_FS_OPEN, .args = { flags },
			 .in = rel, .in_len = rel_len, .may_open = true };
	nc_sys_err_t err = service_call(s, &c, o);
	uint32_t type = flags & NC_SYS_OPEN_DIR ? NC_SYS_HANDLE_DIR : NC_SYS_HANDLE_FILE;
	if (!err && c.new_type != type) { /* out of protocol: the flags decide */
		kobj_unref(*o);
		*o = NULL;
		err = NC_SYS_ERR_IO_ERROR;
	}
	*rights = want & ((uint32_t)c.new_rights | NC_SYS_RIGHT_DUPLICATE | NC_SYS_RIGHT_TRANSFER);
	return err;
}

nc_sys_err_t sys_fs_open(uint64_t path, uint64_t path_len, uint64_t flags, uint64_t *handle_out)
{
	char abs[NC_SYS_PATH_MAX + 1];
	size_t len;
	if (!open_flags_valid(flags))
		return NC_SYS_ERR_INVALID;
	nc_sys_err_t err = fs_user_path(path, path_len, abs, &len);
	if (err)
		return err;
	/* read needs fs.read, write fs.write; the handle dies with the capability that opened it */
	bool write = flags & NC_SYS_OPEN_WRITE;
	kcap_t *rcap = NULL, *wcap = NULL;
	bool can_read = cap_find("fs.read", abs, len, &rcap) == NC_SYS_OK;
	err = write ? cap_find("fs.write", abs, len, &wcap) : can_read ? NC_SYS_OK : cap_check("fs.read", abs, len);
	const char *rel;
	size_t rel_len;
	ksvc_t *s = err ? NULL : fs_route_find(abs, len, &rel, &rel_len);
	uint32_t rights = NC_SYS_RIGHT_DUPLICATE | NC_SYS_RIGHT_TRANSFER | (can_read ? NC_SYS_RIGHT_READ : 0) |
			  (write ? NC_SYS_RIGHT_WRITE : 0);
	kobj_t *o = NULL;
	if (err)
		;
	else if (s)
		err = open_remote(s, rel, rel_len, flags, rights, &o, &rights);
	else if (write)
		err = NC_SYS_ERR_READ_ONLY; /* the initrd */
	else
		err = fs_open(abs, len, flags & NC_SYS_OPEN_DIR, &o);
	if (!err)
		err = handle_install(handle_table_current(), o, rights, write ? wcap : rcap, handle_out);
	kobj_unref(o);
	service_put(s);
	if (rcap)
		kobj_unref(&rcap->obj);
	if (wcap)
		kobj_unref(&wcap->obj);
	return err;
}

/* FsStat, FsStatFull, FsStatFs: the path must be inside an fs.read grant; the
 * service serving it answers op with a structure of size bytes, or initrd
 * fills it; then it goes to the user's out. */
static nc_sys_err_t path_query(uint64_t path, uint64_t path_len, uint64_t op, uint64_t errors, uint64_t out,
			       size_t size, nc_sys_err_t (*initrd)(const char *abs, size_t len, void *k))
{
	char abs[NC_SYS_PATH_MAX + 1];
	size_t len;
	union {
		nc_sys_stat_t st;
		nc_sys_stat_full_t full;
		nc_sys_statfs_t fs;
	} k;
	bool routed = false;
	nc_sys_err_t err = fs_user_path_checked(path, path_len, "fs.read", abs, &len);
	if (!err)
		err = fs_route_path(op, errors, abs, len, &k, size, &routed);
	if (!err && !routed)
		err = initrd(abs, len, &k);
	if (!err && copy_to_user(out, &k, size))
		err = NC_SYS_ERR_BAD_ADDRESS;
	return err;
}

static nc_sys_err_t initrd_stat(const char *abs, size_t len, void *k)
{
	return fs_stat(abs, len, k);
}

static void full_from_stat(const nc_sys_stat_t *s, nc_sys_stat_full_t *f)
{
	nc_mem_set(f, 0, sizeof *f);
	f->type = s->type;
	f->size_bytes = s->size_bytes;
	f->mode = s->type == NC_SYS_HANDLE_DIR ? 0555 : 0444;
	f->n_links = 1;
	f->blocks_bytes = s->size_bytes;
}

static nc_sys_err_t initrd_stat_full(const char *abs, size_t len, void *k)
{
	nc_sys_stat_t s;
	nc_sys_err_t err = fs_stat(abs, len, &s);
	if (!err)
		full_from_stat(&s, k);
	return err;
}

static nc_sys_err_t initrd_stat_fs(const char *abs, size_t len, void *k)
{
	nc_sys_stat_t s;
	nc_sys_err_t err = fs_stat(abs, len, &s);
	if (err)
		return err;
	const uint8_t *buf;
	size_t size;
	initrd_archive(&buf, &size);
	nc_sys_statfs_t *fs = k;
	nc_mem_set(fs, 0, sizeof *fs);
	fs->block_bytes = 512; /* ustar records */
	fs->total_blocks = size / 512;
	fs->flags = NC_SYS_BLK_READ_ONLY;
	nc_mem_copy(fs->fs_type, "initrd", 7);
	return NC_SYS_OK;
}

nc_sys_err_t sys_fs_stat(uint64_t path, uint64_t path_len, uint64_t st)
{
	return path_query(path, path_len, NC_SYS_FS_STAT, NC_SYS_ERRORS_FS_STAT, st, sizeof(nc_sys_stat_t),
			  initrd_stat);
}

nc_sys_err_t sys_fs_stat_full(uint64_t path, uint64_t path_len, uint64_t st)
{
	return path_query(path, path_len, NC_SYS_FS_STAT_FULL, NC_SYS_ERRORS_FS_STAT_FULL, st,
			  sizeof(nc_sys_stat_full_t), initrd_stat_full);
}

nc_sys_err_t sys_fs_stat_fs(uint64_t path, uint64_t path_len, uint64_t out)
{
	return path_query(path, path_len, NC_SYS_FS_STAT_FS, NC_SYS_ERRORS_FS_STAT_FS, out,
			  sizeof(nc_sys_statfs_t), initrd_stat_fs);
}

/* Entry index of initrd directory d: its own entries, then the file-system
 * services mounted directly below it. */
static nc_sys_err_t initrd_dir_entry(const kdir_t *d, uint64_t index, nc_sys_dirent_t *e)
{
	uint64_t n;
	nc_sys_err_t err = fs_dir_entry(d, index, e, &n);
	if (err != NC_SYS_ERR_NOT_FOUND)
		return err;
	nc_mem_set(e, 0, sizeof *e);
	e->type = NC_SYS_HANDLE_DIR;
	return service_mount_point(d->path, d->path_len, index - n, e->name, sizeof e->name) ? NC_SYS_OK
											       : NC_SYS_ERR_NOT_FOUND;
}

/* Entry index of directory handle h as a dirent_full: ask the service for op
 * (FsListDir or FsReadDir, reply bytes out_bytes into out) or read the initrd. */
static nc_sys_err_t dir_entry(uint64_t h, uint64_t index, uint64_t op, uint64_t errors, void *out,
			      size_t out_bytes)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), h, NC_SYS_HANDLE_DIR, NC_SYS_RIGHT_READ, &r);
	if (err)
		return err;
	if (remote_is(r.obj)) {
		svc_call_t c = { .op = op, .errors = errors, .args = { index }, .out = out, .out_max = out_bytes };
		err = fs_route_object(r.obj, &c, out_bytes);
	} else {
		nc_sys_dirent_t e;
		err = initrd_dir_entry((const kdir_t *)r.obj, index, &e);
		if (op == NC_SYS_FS_LIST_DIR) {
			nc_mem_copy(out, &e, sizeof e);
		} else if (!err) {
			nc_sys_dirent_full_t *f = out;
			nc_mem_set(f, 0, sizeof *f);
			f->type = e.type;
			f->size_bytes = e.size_bytes;
			nc_mem_copy(f->name, e.name, sizeof e.name);
		}
	}
	handle_put(&r);
	return err;
}

nc_sys_err_t sys_fs_list_dir(uint64_t handle, uint64_t index, uint64_t entry)
{
	nc_sys_dirent_t e;
	nc_sys_err_t err = dir_entry(handle, index, NC_SYS_FS_LIST_DIR, NC_SYS_ERRORS_FS_LIST_DIR, &e, sizeof e);
	e.name[sizeof e.name - 1] = 0;
	if (!err && copy_to_user(entry, &e, sizeof e))
		err = NC_SYS_ERR_BAD_ADDRESS;
	return err;
}

nc_sys_err_t sys_fs_read_dir(uint64_t handle, uint64_t index, uint64_t entry)
{
	nc_sys_dirent_full_t e;
	nc_sys_err_t err = dir_entry(handle, index, NC_SYS_FS_READ_DIR, NC_SYS_ERRORS_FS_READ_DIR, &e, sizeof e);
	e.name[sizeof e.name - 1] = 0;
	if (!err && copy_to_user(entry, &e, sizeof e))
		err = NC_SYS_ERR_BAD_ADDRESS;
	return err;
}

nc_sys_err_t sys_fd_stat(uint64_t handle, uint64_t st)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), handle, 0, 0, &r);
	if (err)
		return err;
	nc_sys_stat_full_t k;
	if (r.obj->type != NC_SYS_HANDLE_FILE && r.obj->type != NC_SYS_HANDLE_DIR) {
		err = NC_SYS_ERR_WRONG_TYPE;
	} else if (remote_is(r.obj)) {
		svc_call_t c = { .op = NC_SYS_FD_STAT, .errors = NC_SYS_ERRORS_FD_STAT, .out = &k, .out_max = sizeof k };
		err = fs_route_object(r.obj, &c, sizeof k);
	} else if (r.obj->type == NC_SYS_HANDLE_FILE) {
		nc_sys_stat_t s = { NC_SYS_HANDLE_FILE, ((const kfile_t *)r.obj)->size_bytes };
		full_from_stat(&s, &k);
	} else {
		nc_sys_stat_t s = { NC_SYS_HANDLE_DIR, 0 };
		full_from_stat(&s, &k);
	}
	handle_put(&r);
	if (!err && copy_to_user(st, &k, sizeof k))
		err = NC_SYS_ERR_BAD_ADDRESS;
	return err;
}

static nc_sys_err_t seek_initrd(kfile_t *f, uint64_t offset, uint64_t whence, uint64_t *position_out)
{
	int64_t base = whence == NC_SYS_SEEK_SET ? 0
		     : whence == NC_SYS_SEEK_CUR ? (int64_t)__atomic_load_n(&f->pos, __ATOMIC_RELAXED)
						 : (int64_t)f->size_bytes;
	int64_t pos = base + (int64_t)offset;
	if (whence > NC_SYS_SEEK_END || pos < 0 || (uint64_t)pos > f->size_bytes)
		return NC_SYS_ERR_INVALID;
	__atomic_store_n(&f->pos, (uint64_t)pos, __ATOMIC_RELAXED);
	*position_out = (uint64_t)pos;
	return NC_SYS_OK;
}

nc_sys_err_t sys_fd_seek(uint64_t handle, uint64_t offset, uint64_t whence, uint64_t *position_out)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), handle, NC_SYS_HANDLE_FILE, 0, &r);
	if (err)
		return err;
	if (whence > NC_SYS_SEEK_END) {
		err = NC_SYS_ERR_INVALID;
	} else if (remote_is(r.obj)) {
		svc_call_t c = { .op = NC_SYS_FD_SEEK, .errors = NC_SYS_ERRORS_FD_SEEK, .args = { offset, whence } };
		err = fs_route_object(r.obj, &c, 0);
		*position_out = c.result;
	} else {
		err = seek_initrd((kfile_t *)r.obj, offset, whence, position_out);
	}
	handle_put(&r);
	return err;
}

nc_sys_err_t sys_get_cwd(uint64_t buf, uint64_t buf_len, uint64_t *len_bytes_out)
{
	char cwd[NC_SYS_PATH_MAX + 1];
	nc_mem_copy(cwd, thread_current()->proc->cwd, sizeof cwd);
	size_t n = nc_str_len(cwd);
	if (buf_len < n + 1)
		return NC_SYS_ERR_TOO_SMALL;
	if (copy_to_user(buf, cwd, n + 1))
		return NC_SYS_ERR_BAD_ADDRESS;
	*len_bytes_out = n;
	return NC_SYS_OK;
}

nc_sys_err_t sys_set_cwd(uint64_t path, uint64_t path_len)
{
	char abs[NC_SYS_PATH_MAX + 1];
	size_t len;
	nc_sys_err_t err = fs_user_path(path, path_len, abs, &len);
	/* a directory outside every fs.read grant (and not on the way to one)
	 * is NOT_FOUND whether it exists or not: SetCwd needs no capability, so it
	 * must not reveal what the caller may not see */
	if (!err && !cap_reaches("fs.read", abs, len))
		err = NC_SYS_ERR_NOT_FOUND;
	nc_sys_stat_t st;
	bool routed = false;
	if (!err)
		err = fs_route_path(NC_SYS_FS_STAT, NC_SYS_ERRORS_SET_CWD, abs, len, &st, sizeof st, &routed);
	if (!err && !routed)
		err = fs_stat(abs, len, &st);
	if (!err && st.type != NC_SYS_HANDLE_DIR)
		err = NC_SYS_ERR_WRONG_TYPE;
	if (!err)
		nc_mem_copy(thread_current()->proc->cwd, abs, len + 1);
	return err;
}
