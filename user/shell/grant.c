/* --grant ACTION=SCOPE parsing for the shell (see shell.h). */
#include "shell.h"
#include <nc/cap.h>
#include <nc/mem.h>
#include <nc/scope.h>

shell_err_t shell_parse_grant(const char *text, shell_grant_t *out)
{
	size_t n = nc_str_len(text), eq = 0;
	while (eq < n && text[eq] != '=')
		eq++;
	if (eq == 0 || eq == n || eq >= SHELL_ACTION_MAX || !nc_cap_action_covers(text, eq, text, eq))
		return SHELL_ERR_GRANT;
	const char *scope = text + eq + 1;
	size_t slen = n - eq - 1;
	if (nc_scope_validate(scope, slen) != NC_SCOPE_OK || slen >= SHELL_SCOPE_MAX)
		return SHELL_ERR_GRANT;
	nc_mem_copy(out->action, text, eq);
	out->action[eq] = 0;
	if (scope[0] == '/')
		return nc_scope_normalize(scope, slen, out->scope, sizeof out->scope, NULL) == NC_SCOPE_OK
			       ? SHELL_OK
			       : SHELL_ERR_GRANT;
	nc_mem_copy(out->scope, scope, slen);
	out->scope[slen] = 0;
	return SHELL_OK;
}
