/* Capability system calls: CapValidate, CapAttenuate, CapRevoke, CapExport
 * (docs/abi.md, docs/capabilities.md). */
#include <kernel/cap.h>
#include <kernel/clock.h>
#include <kernel/heap.h>
#include <kernel/process.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>

nc_sys_err_t sys_cap_validate(uint64_t token, uint64_t token_len, uint64_t *handle_out)
{
	if (token_len == 0 || token_len > NC_SYS_TOKEN_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	uint8_t *k = heap_alloc(token_len);
	if (!k)
		return NC_SYS_ERR_NO_MEMORY;
	kcap_t *c = NULL;
	uint32_t rights = 0;
	nc_sys_err_t err = copy_from_user(k, token, token_len) ? NC_SYS_ERR_BAD_ADDRESS
							       : cap_token_import(k, token_len, &c, &rights);
	heap_free(k);
	if (err)
		return err;
	err = handle_install(handle_table_current(), &c->obj, rights, NULL, handle_out);
	kobj_unref(&c->obj);
	return err;
}

nc_sys_err_t sys_cap_attenuate(uint64_t handle, uint64_t spec, uint64_t *handle_out)
{
	handle_table_t *ht = handle_table_current();
	handle_ref_t r;
	nc_sys_err_t err = handle_get(ht, handle, NC_SYS_HANDLE_CAP, NC_SYS_RIGHT_DUPLICATE, &r);
	if (err)
		return err;
	nc_sys_cap_spec_t s;
	char action[NC_SYS_CAP_ACTION_MAX], scope[NC_SYS_CAP_SCOPE_MAX];
	if (copy_from_user(&s, spec, sizeof s))
		err = NC_SYS_ERR_BAD_ADDRESS;
	else if (s.action_len > NC_SYS_CAP_ACTION_MAX || s.scope_len > NC_SYS_CAP_SCOPE_MAX ||
		 (s.rights & ~(uint64_t)r.rights))
		err = NC_SYS_ERR_INVALID;
	else if (copy_from_user(action, s.action, s.action_len) || copy_from_user(scope, s.scope, s.scope_len))
		err = NC_SYS_ERR_BAD_ADDRESS;
	kcap_t *child = NULL;
	if (!err)
		err = cap_derive((kcap_t *)r.obj, action, s.action_len, scope, s.scope_len,
				 s.lifetime_ns ? clock_deadline_after(s.lifetime_ns) : CAP_FOREVER, &child);
	if (!err) {
		err = handle_install(ht, &child->obj, (uint32_t)s.rights, NULL, handle_out);
		kobj_unref(&child->obj);
	}
	handle_put(&r);
	return err;
}

nc_sys_err_t sys_cap_revoke(uint64_t handle)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), handle, NC_SYS_HANDLE_CAP, NC_SYS_RIGHT_REVOKE, &r);
	if (err)
		return err;
	kcap_t *c = (kcap_t *)r.obj;
	cap_revoke(c);
	handle_put(&r);
	return NC_SYS_OK;
}

nc_sys_err_t sys_cap_export(uint64_t handle, uint64_t buf, uint64_t buf_len, uint64_t *len_bytes_out)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), handle, NC_SYS_HANDLE_CAP, NC_SYS_RIGHT_EXPORT, &r);
	if (err)
		return err;
	uint8_t *k = heap_alloc(NC_SYS_TOKEN_MAX_BYTES);
	size_t n = 0;
	err = k ? cap_token_export((kcap_t *)r.obj, r.rights, k, buf_len < NC_SYS_TOKEN_MAX_BYTES ? buf_len : NC_SYS_TOKEN_MAX_BYTES, &n)
		: NC_SYS_ERR_NO_MEMORY;
	handle_put(&r);
	if (!err && copy_to_user(buf, k, n))
		err = NC_SYS_ERR_BAD_ADDRESS;
	heap_free(k);
	if (!err)
		*len_bytes_out = n;
	return err;
}
