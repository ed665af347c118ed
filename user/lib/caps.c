/* Capabilities a program holds (see nc/ulib.h): finding one that covers an
 * action on a scope, and deriving a transferable copy for a child. */
#include <nc/cap.h>
#include <nc/mem.h>
#include <nc/scope.h>
#include <nc/ulib.h>

static nc_sys_handle_info_t held[NC_SYS_HANDLES_MAX];
static nc_lock_t lock;

uint64_t nc_cap_find(const char *action, const char *scope)
{
	uint64_t n, found = 0;
	nc_lock_acquire(&lock);
	if (!nc_sys_handle_list(0, held, NC_SYS_HANDLES_MAX, &n))
		for (uint64_t i = 0; i < n && i < NC_SYS_HANDLES_MAX && !found; i++) {
			const nc_sys_handle_info_t *h = &held[i];
			if (h->type == NC_SYS_HANDLE_CAP && !h->state &&
			    nc_cap_action_covers(h->action, nc_str_len(h->action), action, nc_str_len(action)) &&
			    nc_scope_matches(h->scope, nc_str_len(h->scope), scope, nc_str_len(scope)))
				found = h->handle;
		}
	nc_lock_release(&lock);
	return found;
}

nc_sys_err_t nc_cap_derive(const char *action, const char *scope, uint64_t *out)
{
	uint64_t parent = nc_cap_find(action, scope);
	if (!parent)
		return NC_SYS_ERR_DENIED;
	nc_sys_cap_spec_t spec = {
		.action = (uint64_t)action, .action_len = nc_str_len(action),
		.scope = (uint64_t)scope, .scope_len = nc_str_len(scope),
		.rights = NC_SYS_RIGHT_TRANSFER | NC_SYS_RIGHT_DUPLICATE,
	};
	return nc_sys_cap_attenuate(parent, &spec, out);
}
