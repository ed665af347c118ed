/* Capability derivation for the programs the shell starts (see nexacore.h):
 * each grant is attenuated from a capability the shell itself holds, so a
 * child never gets more than the shell has. Parsing the grant text is
 * grant.c's. */
#include "nexacore.h"
#include <nc/cap.h>
#include <nc/mem.h>
#include <nc/scope.h>

static nc_sys_handle_info_t held[NC_SYS_HANDLES_MAX];

/* A capability handle of the shell that covers action on scope, or 0. */
static uint64_t find_cap(const char *action, const char *scope)
{
	uint64_t n;
	if (nc_sys_handle_list(0, held, NC_SYS_HANDLES_MAX, &n))
		return 0;
	for (uint64_t i = 0; i < n && i < NC_SYS_HANDLES_MAX; i++) {
		const nc_sys_handle_info_t *h = &held[i];
		if (h->type == NC_SYS_HANDLE_CAP && !h->state &&
		    nc_cap_action_covers(h->action, nc_str_len(h->action), action, nc_str_len(action)) &&
		    nc_scope_matches(h->scope, nc_str_len(h->scope), scope, nc_str_len(scope)))
			return h->handle;
	}
	return 0;
}

shell_err_t shell_grant_derive(shell_t *sh, const shell_grant_t *g, uint64_t *out)
{
	uint64_t parent = find_cap(g->action, g->scope);
	if (!parent) {
		shell_printf(sh, "run: this shell holds no capability for %s on %s\n", g->action,
			     g->scope);
		return SHELL_ERR_DENIED;
	}
	nc_sys_cap_spec_t spec = {
		.action = (uint64_t)g->action, .action_len = nc_str_len(g->action),
		.scope = (uint64_t)g->scope, .scope_len = nc_str_len(g->scope),
		.rights = NC_SYS_RIGHT_TRANSFER | NC_SYS_RIGHT_DUPLICATE,
	};
	nc_sys_err_t err = nc_sys_cap_attenuate(parent, &spec, out);
	return err ? shell_os_fail(sh, "CapAttenuate", err) : SHELL_OK;
}
