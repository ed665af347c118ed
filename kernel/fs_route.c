/* Routing file calls to file-system services (kernel/fs_route.h). */
#include <kernel/cap.h>
#include <kernel/fs.h>
#include <kernel/fs_route.h>
#include <kernel/process.h>
#include <kernel/remote.h>
#include <kernel/usercopy.h>

nc_sys_err_t fs_user_path(uint64_t path, uint64_t path_len, char *abs, size_t *abs_len)
{
	char k[NC_SYS_PATH_MAX];
	if (path_len == 0 || path_len > NC_SYS_PATH_MAX)
		return NC_SYS_ERR_INVALID;
	if (copy_from_user(k, path, path_len))
		return NC_SYS_ERR_BAD_ADDRESS;
	return fs_resolve(thread_current()->proc->cwd, k, path_len, abs, abs_len);
}

nc_sys_err_t fs_user_path_checked(uint64_t path, uint64_t path_len, const char *action, char *abs,
				  size_t *abs_len)
{
	nc_sys_err_t err = fs_user_path(path, path_len, abs, abs_len);
	return err ? err : cap_check(action, abs, *abs_len);
}

ksvc_t *fs_route_find(const char *abs, size_t abs_len, const char **rel, size_t *rel_len)
{
	size_t off;
	ksvc_t *s = service_find(NC_SYS_SERVICE_FS, abs, abs_len, &off);
	if (s) {
		*rel = off == abs_len ? "/" : abs + off;
		*rel_len = off == abs_len ? 1 : abs_len - off;
	}
	return s;
}

nc_sys_err_t fs_route_path(uint64_t op, uint64_t errors, const char *abs, size_t abs_len, void *out,
			   size_t out_bytes, bool *routed)
{
	const char *rel;
	size_t rel_len;
	ksvc_t *s = fs_route_find(abs, abs_len, &rel, &rel_len);
	*routed = s != NULL;
	if (!s)
		return NC_SYS_OK;
	svc_call_t c = { .op = op, .errors = errors, .in = rel, .in_len = rel_len, .out = out,
			 .out_max = out_bytes };
	nc_sys_err_t err = service_call(s, &c, NULL);
	service_put(s);
	if (!err && c.out_len != out_bytes)
		err = NC_SYS_ERR_IO_ERROR;
	return err;
}

nc_sys_err_t fs_route_object(kobj_t *o, svc_call_t *c, size_t out_bytes)
{
	nc_sys_err_t err = remote_call(o, c, NULL);
	if (!err && out_bytes && c->out_len != out_bytes)
		err = NC_SYS_ERR_IO_ERROR;
	return err;
}
