/* Handing capabilities to children (nc/ulib.h): find a capability of the
 * caller that covers an action on a scope and attenuate a copy of it. Used by
 * the shell's --grant and init's service lines. Needs lib/cap and lib/scope. */
#include <nc/cap.h>
#include <nc/mem.h>
#include <nc/scope.h>
#include <nc/ulib.h>

nc_sys_err_t nc_grant_derive(const char *action, const char *scope, uint64_t rights, uint64_t *out)
{
	static nc_sys_handle_info_t held[NC_SYS_HANDLES_MAX];
	static nc_lock_t lock;
	uint64_t n, parent = 0;
	nc_lock_acquire(&lock);
	nc_sys_err_t err = nc_sys_handle_list(0, held, NC_SYS_HANDLES_MAX, &n);
	for (uint64_t i = 0; !err && !parent && i < n && i < NC_SYS_HANDLES_MAX; i++) {
		const nc_sys_handle_info_t *h = &held[i];
		if (h->type == NC_SYS_HANDLE_CAP && !h->state &&
		    nc_cap_action_covers(h->action, nc_str_len(h->action), action, nc_str_len(action)) &&
		    nc_scope_matches(h->scope, nc_str_len(h->scope), scope, nc_str_len(scope)))
			parent = h->handle;
	}
	nc_lock_release(&lock);
	if (err)
		return err;
	if (!parent)
		return NC_SYS_ERR_DENIED;
	nc_sys_cap_spec_t spec = {
		.action = (uint64_t)action, .action_len = nc_str_len(action),
		.scope = (uint64_t)scope, .scope_len = nc_str_len(scope), .rights = rights,
	};
	return nc_sys_cap_attenuate(parent, &spec, out);
}
