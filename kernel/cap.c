/* In-kernel capabilities (see kernel/cap.h): creation, derivation, the
 * validity walk and revocation, and the capability checks system calls use.
 * Actions and scopes follow lib/cap and lib/scope, so a token imported with
 * CapValidate (kernel/cap_token.c) means the same as a handle. */
#include <kernel/cap.h>
#include <kernel/clock.h>
#include <kernel/console_input.h>
#include <kernel/process.h>
#include <kernel/quota.h>
#include <nc/cap.h>
#include <nc/mem.h>
#include <nc/scope.h>

static void destroy_cap(kobj_t *o)
{
	kcap_t *c = (kcap_t *)o;
	kcap_t *parent = c->parent;
	if (c->token_serial)
		cap_token_forget(c);
	quota_free_object(c->quota, c, sizeof *c);
	if (parent)
		kobj_unref(&parent->obj);
}

static bool action_ok(const char *a, size_t len)
{
	return len && len <= NC_SYS_CAP_ACTION_MAX && nc_cap_action_covers(a, len, a, len);
}

/* Store scope s (a path scope normalised) into c. */
static bool set_scope(kcap_t *c, const char *s, size_t len)
{
	if (!len || len > NC_SYS_CAP_SCOPE_MAX || nc_scope_validate(s, len) != NC_SCOPE_OK)
		return false;
	if (s[0] == '/') {
		size_t n;
		if (nc_scope_normalize(s, len, c->scope, sizeof c->scope, &n) != NC_SCOPE_OK)
			return false;
		c->scope_len = (uint32_t)n;
		return true;
	}
	nc_mem_copy(c->scope, s, len);
	c->scope[len] = 0;
	c->scope_len = (uint32_t)len;
	return true;
}

/* A blank capability charged to q (NULL: uncharged); free it with
 * free_blank before it is set up, later through its last reference.
 * Errors: LIMIT, NO_MEMORY. */
static nc_sys_err_t alloc_cap(quota_t *q, kcap_t **out)
{
	nc_sys_err_t err;
	kcap_t *c = quota_alloc_object(q, sizeof *c, &err);
	if (!c)
		return err;
	c->obj.type = NC_SYS_HANDLE_CAP;
	c->obj.refs = 1;
	c->obj.destroy = destroy_cap;
	c->quota = q;
	*out = c;
	return NC_SYS_OK;
}

static void free_blank(kcap_t *c)
{
	destroy_cap(&c->obj);
}

kcap_t *cap_create_root(const char *action, const char *scope, uint64_t not_before_ns,
			uint64_t not_after_ns)
{
	size_t alen = nc_str_len(action);
	if (!action_ok(action, alen) || not_before_ns >= not_after_ns)
		return NULL;
	kcap_t *c = NULL;
	if (alloc_cap(NULL, &c))
		return NULL;
	if (!set_scope(c, scope, nc_str_len(scope))) {
		free_blank(c);
		return NULL;
	}
	nc_mem_copy(c->action, action, alen);
	c->action_len = (uint32_t)alen;
	c->not_before_ns = not_before_ns;
	c->not_after_ns = not_after_ns;
	return c;
}

nc_sys_err_t cap_state(const kcap_t *c)
{
	uint64_t now = clock_now_ns();
	for (; c; c = c->parent) {
		if (__atomic_load_n(&c->revoked, __ATOMIC_ACQUIRE))
			return NC_SYS_ERR_REVOKED;
		if (now < c->not_before_ns || now >= c->not_after_ns)
			return NC_SYS_ERR_EXPIRED;
	}
	return NC_SYS_OK;
}

nc_sys_err_t cap_derive(kcap_t *parent, const char *action, size_t action_len, const char *scope,
			size_t scope_len, uint64_t not_after_ns, kcap_t **out)
{
	nc_sys_err_t err = cap_state(parent);
	if (err)
		return err;
	if (parent->depth + 1 > CAP_MAX_DEPTH)
		return NC_SYS_ERR_LIMIT;
	if (!action_len) {
		action = parent->action;
		action_len = parent->action_len;
	}
	if (!scope_len) {
		scope = parent->scope;
		scope_len = parent->scope_len;
	}
	if (!action_ok(action, action_len) ||
	    !nc_cap_action_covers(parent->action, parent->action_len, action, action_len))
		return NC_SYS_ERR_INVALID;
	kcap_t *c = NULL;
	err = alloc_cap(quota_current(), &c);
	if (err)
		return err;
	if (!set_scope(c, scope, scope_len) ||
	    !nc_scope_matches(parent->scope, parent->scope_len, c->scope, c->scope_len)) {
		free_blank(c);
		return NC_SYS_ERR_INVALID;
	}
	nc_mem_copy(c->action, action, action_len);
	c->action_len = (uint32_t)action_len;
	c->not_before_ns = parent->not_before_ns;
	c->not_after_ns = not_after_ns < parent->not_after_ns ? not_after_ns : parent->not_after_ns;
	c->depth = parent->depth + 1;
	kobj_ref(&parent->obj);
	c->parent = parent;
	*out = c;
	return NC_SYS_OK;
}

bool cap_revoked(const kcap_t *c)
{
	for (; c; c = c->parent)
		if (__atomic_load_n(&c->revoked, __ATOMIC_ACQUIRE))
			return true;
	return false;
}

void cap_revoke(kcap_t *c)
{
	__atomic_store_n(&c->revoked, true, __ATOMIC_SEQ_CST);
	cap_token_revoked(c);
}

/* Scan the current process's capability handles for one covering action and,
 * when resource is not NULL, resource (with toward, also one whose scope lies
 * under resource); *out (if not NULL) gets a reference. */
static bool find(const char *action, size_t action_len, const char *resource, size_t resource_len,
		 bool toward, kcap_t **out)
{
	handle_table_t *ht = handle_table_current();
	bool found = false;
	uint64_t f = spin_lock(&ht->lock);
	for (uint32_t i = 0; i < NC_SYS_HANDLES_MAX && !found; i++) {
		const handle_slot_t *s = &ht->slot[i];
		if (!s->obj || s->obj->type != NC_SYS_HANDLE_CAP)
			continue;
		kcap_t *c = (kcap_t *)s->obj;
		if (!nc_cap_action_covers(c->action, c->action_len, action, action_len) || cap_state(c))
			continue;
		if (resource && !nc_scope_matches(c->scope, c->scope_len, resource, resource_len) &&
		    !(toward && nc_scope_covers(resource, resource_len, c->scope, c->scope_len)))
			continue;
		found = true;
		if (out) {
			kobj_ref(&c->obj);
			*out = c;
		}
	}
	spin_unlock(&ht->lock, f);
	return found;
}

bool cap_holds_action(const char *action)
{
	return find(action, nc_str_len(action), NULL, 0, false, NULL);
}

nc_sys_err_t cap_check(const char *action, const char *resource, size_t resource_len)
{
	return find(action, nc_str_len(action), resource, resource_len, false, NULL) ? NC_SYS_OK
										     : NC_SYS_ERR_DENIED;
}

nc_sys_err_t cap_check_initrd_read(const char *name, size_t name_len)
{
	char abs[NC_SYS_PATH_MAX + 1] = "/";
	if (name_len > NC_SYS_PATH_MAX)
		return NC_SYS_ERR_DENIED;
	nc_mem_copy(abs + 1, name, name_len);
	return cap_check("fs.read", abs, name_len + 1);
}

nc_sys_err_t cap_find(const char *action, const char *resource, size_t resource_len, kcap_t **out)
{
	return find(action, nc_str_len(action), resource, resource_len, false, out) ? NC_SYS_OK
										    : NC_SYS_ERR_DENIED;
}

bool cap_reaches(const char *action, const char *path, size_t path_len)
{
	return find(action, nc_str_len(action), path, path_len, true, NULL);
}

/* The root set init starts with: every top-level action of abi/syscalls.abi,
 * and privacy (privacy.raw: data passes to a model untokenized, and a child
 * may get a weaker tokenization policy; docs/privacy.md). */
static const struct {
	const char *action, *scope;
} roots[] = {
	{ "console", "*" }, { "fs", "/" }, { "process", "*" }, { "system", "*" }, { "tee", "*" },
	{ "driver", "*" }, { "blk", "*" }, { "display", "*" }, { "ai", "*" }, { "net", "*" },
	{ "service", "*" }, { "privacy", "*" },
};

handle_table_t *cap_root_table(void)
{
	handle_table_t *ht = handle_table_create();
	if (!ht)
		return NULL;
	uint64_t h;
	const uint32_t console_rights = NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_DUPLICATE |
					NC_SYS_RIGHT_TRANSFER;
	bool ok = handle_install(ht, console_object(), console_rights, NULL, &h) == NC_SYS_OK;
	for (size_t i = 0; ok && i < sizeof roots / sizeof roots[0]; i++) {
		kcap_t *c = cap_create_root(roots[i].action, roots[i].scope, 0, CAP_FOREVER);
		ok = c && handle_install(ht, &c->obj, NC_SYS_RIGHTS_ALL, NULL, &h) == NC_SYS_OK;
		if (c)
			kobj_unref(&c->obj);
	}
	if (!ok) {
		handle_table_destroy(ht);
		return NULL;
	}
	return ht;
}
