/* File-system system calls that change files: FsMkdir, FsUnlink, FsRmdir,
 * FsRename, FsLink, FsSync, FsTruncate (ABI v3, docs/abi.md). Each path is
 * resolved and normalised and needs fs.write on it; the call then goes to the
 * file-system service serving the path (kernel/fs_route.h). The initrd serves
 * everything else and is read-only: READ_ONLY. */
#include <kernel/cap.h>
#include <kernel/fs_route.h>
#include <kernel/remote.h>
#include <kernel/sys_table.h>
#include <nc/mem.h>

/* One path, nothing back. */
static nc_sys_err_t path_call(uint64_t op, uint64_t errors, uint64_t path, uint64_t path_len)
{
	char abs[NC_SYS_PATH_MAX + 1];
	size_t len;
	bool routed = false;
	nc_sys_err_t err = fs_user_path_checked(path, path_len, "fs.write", abs, &len);
	if (!err)
		err = fs_route_path(op, errors, abs, len, NULL, 0, &routed);
	return err ? err : routed ? NC_SYS_OK : NC_SYS_ERR_READ_ONLY;
}

nc_sys_err_t sys_fs_mkdir(uint64_t path, uint64_t path_len)
{
	return path_call(NC_SYS_FS_MKDIR, NC_SYS_ERRORS_FS_MKDIR, path, path_len);
}

nc_sys_err_t sys_fs_unlink(uint64_t path, uint64_t path_len)
{
	return path_call(NC_SYS_FS_UNLINK, NC_SYS_ERRORS_FS_UNLINK, path, path_len);
}

nc_sys_err_t sys_fs_rmdir(uint64_t path, uint64_t path_len)
{
	return path_call(NC_SYS_FS_RMDIR, NC_SYS_ERRORS_FS_RMDIR, path, path_len);
}

/* Two paths on one service (CROSS_DEVICE otherwise); payload: both relative
 * paths, arg0 the first one's length. */
static nc_sys_err_t two_path_call(uint64_t op, uint64_t errors, uint64_t from, uint64_t from_len, uint64_t to,
				  uint64_t to_len)
{
	char a[NC_SYS_PATH_MAX + 1], b[NC_SYS_PATH_MAX + 1], both[2 * NC_SYS_PATH_MAX + 2];
	size_t alen, blen, ra_len, rb_len;
	const char *ra, *rb;
	nc_sys_err_t err = fs_user_path_checked(from, from_len, "fs.write", a, &alen);
	if (!err)
		err = fs_user_path_checked(to, to_len, "fs.write", b, &blen);
	if (err)
		return err;
	ksvc_t *sa = fs_route_find(a, alen, &ra, &ra_len);
	ksvc_t *sb = fs_route_find(b, blen, &rb, &rb_len);
	if (sa != sb)
		err = NC_SYS_ERR_CROSS_DEVICE;
	else if (!sa)
		err = NC_SYS_ERR_READ_ONLY;
	if (!err) {
		nc_mem_copy(both, ra, ra_len);
		nc_mem_copy(both + ra_len, rb, rb_len);
		svc_call_t c = { .op = op, .errors = errors, .args = { ra_len }, .in = both, .in_len = ra_len + rb_len };
		err = service_call(sa, &c, NULL);
	}
	service_put(sa);
	service_put(sb);
	return err;
}

nc_sys_err_t sys_fs_rename(uint64_t from, uint64_t from_len, uint64_t to, uint64_t to_len)
{
	return two_path_call(NC_SYS_FS_RENAME, NC_SYS_ERRORS_FS_RENAME, from, from_len, to, to_len);
}

nc_sys_err_t sys_fs_link(uint64_t from, uint64_t from_len, uint64_t to, uint64_t to_len)
{
	return two_path_call(NC_SYS_FS_LINK, NC_SYS_ERRORS_FS_LINK, from, from_len, to, to_len);
}

/* A call on an open file handle with need rights; the initrd's files have
 * nothing to do (initrd: the result of the call there). */
static nc_sys_err_t file_call(uint64_t handle, uint32_t need, svc_call_t *c, nc_sys_err_t initrd)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), handle, NC_SYS_HANDLE_FILE, need, &r);
	if (err)
		return err;
	err = remote_is(r.obj) ? fs_route_object(r.obj, c, 0) : initrd;
	handle_put(&r);
	return err;
}

nc_sys_err_t sys_fs_sync(uint64_t handle)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), handle, 0, 0, &r);
	if (err)
		return err;
	svc_call_t c = { .op = NC_SYS_FS_SYNC, .errors = NC_SYS_ERRORS_FS_SYNC };
	if (r.obj->type != NC_SYS_HANDLE_FILE && r.obj->type != NC_SYS_HANDLE_DIR)
		err = NC_SYS_ERR_WRONG_TYPE;
	else if (remote_is(r.obj))
		err = fs_route_object(r.obj, &c, 0);
	handle_put(&r); /* the initrd never changes: nothing to do */
	return err;
}

nc_sys_err_t sys_fs_truncate(uint64_t handle, uint64_t size_bytes)
{
	svc_call_t c = { .op = NC_SYS_FS_TRUNCATE, .errors = NC_SYS_ERRORS_FS_TRUNCATE, .args = { size_bytes } };
	/* initrd handles never hold RIGHT_WRITE: handle_get already said DENIED */
	return file_call(handle, NC_SYS_RIGHT_WRITE, &c, NC_SYS_ERR_DENIED);
}
