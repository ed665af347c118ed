/* File-system system calls over the read-only initrd (kernel/fs.h): FsOpen,
 * FsStat, FsListDir, FdSeek, GetCwd, SetCwd (docs/abi.md). Paths are
 * resolved against the working directory and normalised before the fs.read
 * capability's scope is checked, so ".." cannot climb out of a scope. */
#include <kernel/cap.h>
#include <kernel/fs.h>
#include <kernel/process.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>
#include <nc/mem.h>

/* Copy a user path and resolve it into abs. Errors: INVALID, BAD_ADDRESS. */
static nc_sys_err_t user_path(uint64_t path, uint64_t path_len, char *abs, size_t *abs_len)
{
	char k[NC_SYS_PATH_MAX];
	if (path_len == 0 || path_len > NC_SYS_PATH_MAX)
		return NC_SYS_ERR_INVALID;
	if (copy_from_user(k, path, path_len))
		return NC_SYS_ERR_BAD_ADDRESS;
	return fs_resolve(thread_current()->proc->cwd, k, path_len, abs, abs_len);
}

nc_sys_err_t sys_fs_open(uint64_t path, uint64_t path_len, uint64_t flags, uint64_t *handle_out)
{
	char abs[NC_SYS_PATH_MAX + 1];
	size_t len;
	if (flags & ~(uint64_t)NC_SYS_OPEN_DIR)
		return NC_SYS_ERR_INVALID;
	nc_sys_err_t err = user_path(path, path_len, abs, &len);
	if (err)
		return err;
	kcap_t *origin;
	err = cap_find("fs.read", abs, len, &origin);
	if (err)
		return err;
	kobj_t *o;
	err = fs_open(abs, len, flags & NC_SYS_OPEN_DIR, &o);
	if (!err) {
		const uint32_t rights = NC_SYS_RIGHT_READ | NC_SYS_RIGHT_DUPLICATE | NC_SYS_RIGHT_TRANSFER;
		err = handle_install(handle_table_current(), o, rights, origin, handle_out);
		kobj_unref(o);
	}
	kobj_unref(&origin->obj);
	return err;
}

nc_sys_err_t sys_fs_stat(uint64_t path, uint64_t path_len, uint64_t st)
{
	char abs[NC_SYS_PATH_MAX + 1];
	size_t len;
	nc_sys_err_t err = user_path(path, path_len, abs, &len);
	if (!err)
		err = cap_check("fs.read", abs, len);
	nc_sys_stat_t k;
	if (!err)
		err = fs_stat(abs, len, &k);
	if (!err && copy_to_user(st, &k, sizeof k))
		err = NC_SYS_ERR_BAD_ADDRESS;
	return err;
}

nc_sys_err_t sys_fs_list_dir(uint64_t handle, uint64_t index, uint64_t entry)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), handle, NC_SYS_HANDLE_DIR, NC_SYS_RIGHT_READ, &r);
	if (err)
		return err;
	nc_sys_dirent_t e;
	err = fs_dir_entry((const kdir_t *)r.obj, index, &e);
	handle_put(&r);
	if (!err && copy_to_user(entry, &e, sizeof e))
		err = NC_SYS_ERR_BAD_ADDRESS;
	return err;
}

nc_sys_err_t sys_fd_seek(uint64_t handle, uint64_t offset, uint64_t whence, uint64_t *position_out)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), handle, NC_SYS_HANDLE_FILE, 0, &r);
	if (err)
		return err;
	kfile_t *f = (kfile_t *)r.obj;
	int64_t base = whence == NC_SYS_SEEK_SET ? 0
		     : whence == NC_SYS_SEEK_CUR ? (int64_t)__atomic_load_n(&f->pos, __ATOMIC_RELAXED)
						 : (int64_t)f->size_bytes;
	int64_t pos = base + (int64_t)offset;
	if (whence > NC_SYS_SEEK_END || pos < 0 || (uint64_t)pos > f->size_bytes)
		err = NC_SYS_ERR_INVALID;
	else
		__atomic_store_n(&f->pos, (uint64_t)pos, __ATOMIC_RELAXED);
	handle_put(&r);
	if (!err)
		*position_out = (uint64_t)pos;
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
	nc_sys_err_t err = user_path(path, path_len, abs, &len);
	/* a directory outside every fs.read grant (and not on the way to one)
	 * is NOT_FOUND whether it exists or not: SetCwd needs no capability, so it
	 * must not reveal what the caller may not see */
	if (!err && !cap_reaches("fs.read", abs, len))
		err = NC_SYS_ERR_NOT_FOUND;
	nc_sys_stat_t st;
	if (!err)
		err = fs_stat(abs, len, &st);
	if (!err && st.type != NC_SYS_HANDLE_DIR)
		err = NC_SYS_ERR_WRONG_TYPE;
	if (!err)
		nc_mem_copy(thread_current()->proc->cwd, abs, len + 1);
	return err;
}
