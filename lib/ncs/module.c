/* Module graph: loads the modules named by `use` through the host loader, parses
 * each once, orders them so dependencies come first (depth-first postorder) and
 * rejects cycles with a message naming the whole cycle ("a -> b -> a"). Each
 * imported module's capability header is checked against the program's grant
 * (cap.c) right after it parses, before its own imports load. Then checks that
 * every imported symbol exists and is `pub`. All before execution. */
#include "module.h"
#include <nc/mem.h>

static bool same(const char *a, size_t al, const char *b, size_t bl)
{
	return al == bl && nc_mem_compare(a, b, al) == 0;
}

ncs_module_t *ncs_module_new(ncs_state_t *st, const char *path, size_t path_len, const char *file,
			     const char *src, size_t src_len)
{
	ncs_module_t *m = ncs_mem_alloc(st, sizeof *m);
	if (!m)
		return NULL;
	nc_mem_set(m, 0, sizeof *m);
	m->arena.st = st;
	char *p = ncs_arena_alloc(&m->arena, path_len + 1);
	if (!p) {
		ncs_mem_free(st, m, sizeof *m);
		return NULL;
	}
	nc_mem_copy(p, path, path_len);
	m->path = p;
	m->file = file;
	m->src = src;
	m->src_len = src_len;
	return m;
}

static void module_free(ncs_state_t *st, ncs_module_t *m)
{
	ncs_arena_free(&m->arena);
	ncs_mem_free(st, m, sizeof *m);
}

static ncs_module_t *find(ncs_graph_t *g, const char *path, size_t len)
{
	for (uint32_t i = 0; i < g->n_all; i++)
		if (same(g->all[i]->path, nc_str_len(g->all[i]->path), path, len))
			return g->all[i];
	return NULL;
}

static bool add(ncs_graph_t *g, ncs_module_t *m)
{
	if (g->n_all == NCS_MAX_MODULES) {
		ncs_fail(g->st, NC_NCS_ERR_MODULE, 0, "more than %u modules", NCS_MAX_MODULES);
		return false;
	}
	g->all[g->n_all++] = m;
	return true;
}

/* Name the cycle: stack entries from the first occurrence of m, then m again. */
static void report_cycle(ncs_graph_t *g, ncs_module_t *from, const ncs_use_decl_t *u, ncs_module_t *m)
{
	char text[160];
	size_t n = 0;
	uint32_t start = 0;
	while (start < g->n_stack && g->stack[start] != m)
		start++;
	for (uint32_t i = start; i <= g->n_stack; i++) {
		const ncs_module_t *x = i < g->n_stack ? g->stack[i] : m;
		const char *name = x->path[0] ? x->path : "main";
		size_t len = nc_str_len(name);
		if (n + len + 5 >= sizeof text)
			break;
		if (i > start) {
			nc_mem_copy(text + n, " -> ", 4);
			n += 4;
		}
		nc_mem_copy(text + n, name, len);
		n += len;
	}
	text[n] = 0;
	g->st->err_mod = from;
	ncs_fail(g->st, NC_NCS_ERR_MODULE_CYCLE, u->off, "import cycle: %s", text);
}

static bool visit(ncs_graph_t *g, ncs_module_t *m)
{
	ncs_state_t *st = g->st;
	m->mark = 1;
	g->stack[g->n_stack++] = m;
	if (ncs_parse_module(st, m)) {
		if (!st->err_mod)
			st->err_mod = m;
		return false;
	}
	if (!ncs_cap_check_module(st, g->all[0], m))
		return false;
	for (uint32_t i = 0; i < m->n_uses; i++) {
		const ncs_use_decl_t *u = &m->uses[i];
		ncs_module_t *dep = find(g, u->module, u->module_len);
		if (!dep) {
			const char *src, *file;
			size_t src_len;
			char path[256];
			if (u->module_len >= sizeof path) {
				st->err_mod = m;
				return ncs_fail(st, NC_NCS_ERR_MODULE, u->off, "module path too long"), false;
			}
			nc_mem_copy(path, u->module, u->module_len);
			path[u->module_len] = 0;
			if (!st->cfg->load || !st->cfg->load(st->cfg->load_ud, path, &src, &src_len, &file)) {
				st->err_mod = m;
				return ncs_fail(st, NC_NCS_ERR_MODULE, u->off, "module `%s` not found", path), false;
			}
			if (!(dep = ncs_module_new(st, u->module, u->module_len, file, src, src_len)))
				return false;
			if (!add(g, dep)) {
				module_free(st, dep);
				return false;
			}
		}
		if (dep->mark == 1) {
			report_cycle(g, m, u, dep);
			return false;
		}
		if (dep->mark == 0 && !visit(g, dep))
			return false;
	}
	g->n_stack--;
	m->mark = 2;
	g->order[g->n_order++] = m;
	return true;
}

static bool exports(const ncs_module_t *m, const char *name, uint32_t len, bool *exists)
{
	*exists = false;
	for (uint32_t i = 0; i < m->n_fns; i++)
		if (same(m->fns[i].name, m->fns[i].name_len, name, len))
			return *exists = true, m->fns[i].is_pub;
	for (uint32_t i = 0; i < m->n_structs; i++)
		if (same(m->structs[i].name, m->structs[i].name_len, name, len))
			return *exists = true, m->structs[i].is_pub;
	for (uint32_t i = 0; i < m->n_enums; i++)
		if (same(m->enums[i].name, m->enums[i].name_len, name, len))
			return *exists = true, m->enums[i].is_pub;
	return false;
}

nc_ncs_err_t ncs_graph_load(ncs_graph_t *g, ncs_module_t *main_mod)
{
	ncs_state_t *st = g->st;
	if (!add(g, main_mod)) {
		module_free(st, main_mod);
		return st->err;
	}
	if (!visit(g, main_mod))
		return st->err ? st->err : ncs_fail(st, NC_NCS_ERR_NOMEM, 0, "out of memory");
	for (uint32_t i = 0; i < g->n_order; i++) {
		ncs_module_t *m = g->order[i];
		for (uint32_t j = 0; j < m->n_uses; j++) {
			const ncs_use_decl_t *u = &m->uses[j];
			ncs_module_t *dep = find(g, u->module, u->module_len);
			bool exists;
			if (exports(dep, u->name, u->name_len, &exists))
				continue;
			st->err_mod = m;
			if (exists)
				return ncs_fail(st, NC_NCS_ERR_MODULE, u->off, "`%.*s` is private to module `%s` (mark it `pub`)",
						(int)u->name_len, u->name, dep->path);
			return ncs_fail(st, NC_NCS_ERR_MODULE, u->off, "module `%s` has no item `%.*s`", dep->path,
					(int)u->name_len, u->name);
		}
	}
	return NC_NCS_OK;
}

void ncs_graph_fini(ncs_graph_t *g)
{
	for (uint32_t i = 0; i < g->n_all; i++)
		module_free(g->st, g->all[i]);
	g->n_all = g->n_order = g->n_stack = 0;
}
