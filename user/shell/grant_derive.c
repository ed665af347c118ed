/* Capability derivation for the programs the shell starts (see nexacore.h):
 * each grant is attenuated from a capability the shell itself holds, so a
 * child never gets more than the shell has. Parsing the grant text is
 * grant.c's. */
#include "nexacore.h"
#include <nc/mem.h>
#include <nc/ulib.h>

shell_err_t shell_grant_derive(shell_t *sh, const shell_grant_t *g, uint64_t *out)
{
	uint64_t parent = nc_cap_find(g->action, g->scope);
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
