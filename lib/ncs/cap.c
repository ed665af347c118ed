/* Per-module capability headers. Every module (the main script and each module
 * it imports) declares its own `#![capabilities(...)]`; code runs with the
 * declarations of the module it was written in, so a module without a header
 * is pure even when the main script holds fs.read (least privilege).
 *
 * The program's grant is the main script's header narrowed by the host: a
 * module may declare an effect only when (1) a declaration of the main header
 * covers it (same effect; no scope covers everything, a scope covers the
 * module's scope by lib/scope's rules, e.g. "/data" covers "/data/cache"), and
 * (2) when the host installed handlers for that effect, one handler's scope
 * covers it too. An unscoped module declaration is therefore covered only by an
 * unscoped main declaration and never by a handler (handlers are always scoped).
 * The check runs while modules load, before anything executes. Scopes are never
 * matched here by hand: nc_scope_matches does attenuation. */
#include "cap.h"
#include <nc/mem.h>
#include <nc/scope.h>

/* Does grant (effect fx, scope gscope or NULL for all) cover the declaration d? */
static bool covers(nc_ncs_effect_t fx, const char *gscope, size_t glen, const ncs_cap_decl_t *d)
{
	if (fx != d->fx)
		return false;
	if (!gscope)
		return true;
	return d->scope && nc_scope_matches(gscope, glen, d->scope, d->scope_len);
}

static bool main_covers(const ncs_module_t *main_mod, const ncs_cap_decl_t *d)
{
	for (uint32_t i = 0; i < main_mod->n_caps; i++) {
		const ncs_cap_decl_t *g = &main_mod->caps[i];
		if (covers(g->fx, g->scope, g->scope_len, d))
			return true;
	}
	return false;
}

/* True when the host has no handler for d's effect (it stays inert) or one
 * handler's scope covers d. */
static bool host_covers(const nc_ncs_config_t *cfg, const ncs_cap_decl_t *d)
{
	bool any = false;
	for (size_t i = 0; i < cfg->n_handlers; i++) {
		const nc_ncs_handler_t *h = &cfg->handlers[i];
		if (ncs_effect_cap(h->fx) != d->fx) /* fs::append's handler serves fs.write too */
			continue;
		any = true;
		if (h->scope && covers(d->fx, h->scope, nc_str_len(h->scope), d))
			return true;
	}
	return !any;
}

bool ncs_cap_check_module(ncs_state_t *st, const ncs_module_t *main_mod, const ncs_module_t *m)
{
	if (m == main_mod)
		return true;
	for (uint32_t i = 0; i < m->n_caps; i++) {
		const ncs_cap_decl_t *d = &m->caps[i];
		const char *why = !main_covers(main_mod, d) ? "the main script's header does not grant it"
				: !host_covers(st->cfg, d) ? "the host does not grant it"
				: NULL;
		if (!why)
			continue;
		st->err_mod = m;
		const char *fx = nc_ncs_effect_name(d->fx);
		if (d->scope)
			ncs_fail(st, NC_NCS_ERR_CAP_DENIED, d->off, "module `%s` declares %s(\"%.*s\"), but %s", m->path, fx,
				 (int)(d->scope_len > 80 ? 80 : d->scope_len), d->scope, why);
		else
			ncs_fail(st, NC_NCS_ERR_CAP_DENIED, d->off, "module `%s` declares %s (any resource), but %s", m->path,
				 fx, why);
		return false;
	}
	return true;
}

bool ncs_cap_declared(const ncs_module_t *m, nc_ncs_effect_t fx, const char *res, size_t len)
{
	for (uint32_t i = 0; i < m->n_caps; i++) {
		const ncs_cap_decl_t *c = &m->caps[i];
		if (c->fx == fx && (!c->scope || nc_scope_matches(c->scope, c->scope_len, res, len)))
			return true;
	}
	return false;
}
