/* The kernel's token table seen from user space (issue 24 item 4): an
 * import's revocation reaches its own token only, an import gets the rights
 * of the handle its token was exported from, and one process's imports hold
 * a bounded, quota-charged share of the table (the bound is per quota: a
 * child sharing its parent's quota shares it). Tokens are attenuated offline
 * with the lib/cap tests' forger (tests/lib/cap/cap_test_util.h), link ids
 * from the Random call. */
#include "ut_sys.h"
#include "../lib/cap/cap_test_util.h"

enum { R_ALL = NC_SYS_RIGHTS_ALL, TOK = 2048 };
#define LIFE_NS 4000000000ull /* the tokens' table entries free up this soon */

/* The grant of tok's last link, and the id of its link i (the last if i is
 * past it). */
static nc_cap_grant_t link_of(const uint8_t *tok, size_t len, size_t i, uint8_t id[NC_CAP_ID_BYTES])
{
	nc_cap_cursor_t cur;
	nc_cap_link_t l;
	nc_cap_cursor_init(&cur, tok, len);
	for (size_t k = 0; k < cur.n_links; k++) {
		nc_cap_cursor_next(&cur, &l);
		if (k == i && id)
			nc_mem_copy(id, l.id, NC_CAP_ID_BYTES);
	}
	if (id && i >= cur.n_links)
		nc_mem_copy(id, l.id, NC_CAP_ID_BYTES);
	return l.grant;
}

/* out = tok plus a link with tok's last grant and id (a fresh random one
 * when id is NULL); its length, 0 on failure. */
static size_t append(uint8_t *out, const uint8_t *tok, size_t len, const uint8_t *id)
{
	uint8_t fresh[NC_CAP_ID_BYTES];
	if (!id) {
		if (nc_sys_random(fresh, sizeof fresh))
			return 0;
		id = fresh;
	}
	nc_cap_grant_t g = link_of(tok, len, (size_t)-1, NULL);
	return cap_forge_append_id(out, TOK, tok, len, &g, id);
}

/* Import tok, then revoke and close the handle; the import's error. */
static nc_sys_err_t import_and_revoke(const uint8_t *tok, size_t len)
{
	uint64_t h;
	nc_sys_err_t err = nc_sys_cap_validate(tok, len, &h);
	if (!err) {
		nc_sys_cap_revoke(h);
		nc_sys_handle_close(h);
	}
	return err;
}

static nc_sys_err_t import_only(const uint8_t *tok, size_t len)
{
	uint64_t h;
	nc_sys_err_t err = nc_sys_cap_validate(tok, len, &h);
	if (!err)
		nc_sys_handle_close(h);
	return err;
}

/* A token made of t and a link carrying id is revoked through its import;
 * the token that id came from (victim) and t still import. */
static bool copy_spares(const uint8_t *t, size_t nt, const uint8_t *id, const uint8_t *victim, size_t nv)
{
	static uint8_t copy[TOK];
	size_t n = append(copy, t, nt, id);
	NC_REQUIRE(n > 0);
	NC_EXPECT_SYS(import_and_revoke(copy, n), NC_SYS_OK);
	NC_EXPECT_SYS(import_only(copy, n), NC_SYS_ERR_REVOKED);
	NC_EXPECT_SYS(import_only(victim, nv), NC_SYS_OK);
	NC_EXPECT_SYS(import_only(t, nt), NC_SYS_OK);
	return true;
}

/* Tokens that reuse a link id: revoking the import of one revokes that
 * token, never the ancestor or the other token whose id it copied. */
static bool t_ids(void)
{
	static uint8_t t[TOK], u[TOK], dup[TOK], sib[TOK];
	uint8_t id0[NC_CAP_ID_BYTES], idu[NC_CAP_ID_BYTES], ids[NC_CAP_ID_BYTES];
	uint64_t a, b, nt, nu, n;
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/etc", R_ALL, LIFE_NS, &a), NC_SYS_OK);
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/etc", R_ALL, LIFE_NS, &b), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(a, t, sizeof t, &nt), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(b, u, sizeof u, &nu), NC_SYS_OK);
	link_of(t, nt, 0, id0);
	link_of(u, nu, 0, idu);
	/* a link repeating link 0's id: refused (lib/cap) */
	n = append(dup, t, nt, id0);
	NC_REQUIRE(n > 0);
	NC_EXPECT_SYS(import_and_revoke(dup, n), NC_SYS_ERR_BAD_TOKEN);
	NC_EXPECT_SYS(import_only(t, nt), NC_SYS_OK);
	/* a link carrying another token's link-0 id, or the id of an honest
	 * attenuated sibling's last link */
	if (!copy_spares(t, nt, idu, u, nu))
		return false;
	uint64_t ns = append(sib, t, nt, NULL);
	link_of(sib, ns, 1, ids);
	NC_EXPECT_SYS(import_only(sib, ns), NC_SYS_OK);
	if (!copy_spares(t, nt, ids, sib, ns))
		return false;
	NC_EXPECT_SYS(import_and_revoke(sib, ns), NC_SYS_OK);
	NC_EXPECT_SYS(import_only(sib, ns), NC_SYS_ERR_REVOKED);
	NC_EXPECT_SYS(import_only(t, nt), NC_SYS_OK);
	nc_sys_cap_revoke(a);
	nc_sys_cap_revoke(b);
	nc_sys_handle_close(a);
	nc_sys_handle_close(b);
	return true;
}

/* An import has the rights of the handle its token was exported from. */
static bool t_rights(void)
{
	static uint8_t t[TOK], t2[TOK];
	const uint64_t few = NC_SYS_RIGHT_DUPLICATE | NC_SYS_RIGHT_EXPORT;
	uint64_t a, all, imp, nt, n2;
	nc_sys_handle_info_t in;
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/etc", few, LIFE_NS, &a), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(a, t, sizeof t, &nt), NC_SYS_OK);
	n2 = append(t2, t, nt, NULL);
	NC_REQUIRE(n2 > 0);
	const uint8_t *toks[2] = { t, t2 };
	const uint64_t lens[2] = { nt, n2 };
	for (int i = 0; i < 2; i++) {
		NC_EXPECT_SYS(nc_sys_cap_validate(toks[i], lens[i], &imp), NC_SYS_OK);
		NC_REQUIRE(ut_handle_info(imp, &in));
		if (in.rights != few)
			return NC_FAIL("token of %d links: rights %llx, want %llx", i + 1,
				       (unsigned long long)in.rights, (unsigned long long)few);
		NC_EXPECT_SYS(nc_sys_cap_revoke(imp), NC_SYS_ERR_DENIED);
		nc_sys_handle_close(imp);
		NC_EXPECT_SYS(import_only(toks[i], lens[i]), NC_SYS_OK);
	}
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/etc", R_ALL, LIFE_NS, &all), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(all, t, sizeof t, &nt), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_validate(t, nt, &imp), NC_SYS_OK);
	NC_REQUIRE(ut_handle_info(imp, &in) && in.rights == R_ALL);
	nc_sys_handle_close(imp);
	nc_sys_cap_revoke(all);
	nc_sys_cap_revoke(a);
	nc_sys_handle_close(all);
	nc_sys_handle_close(a);
	return true;
}

static uint64_t quota_used(void)
{
	nc_sys_quota_t q = { 0 };
	nc_sys_process_quota(0, &q);
	return q.used_bytes;
}

/* Grandchild holding handle 1 = the fs.read capability, sharing its parent's
 * quota, whose TOKEN_IMPORTS_MAX entries the parent holds: its own import of
 * a fresh attenuated token is LIMIT (the bound is the quota's). */
static int child_import_shared(void)
{
	static uint8_t t[TOK], a[TOK];
	uint64_t nt, n, x;
	NC_EXPECT_CHILD(nc_sys_cap_export(1, t, sizeof t, &nt), NC_SYS_OK);
	NC_EXPECT_CHILD((n = append(a, t, nt, NULL)) > 0, true);
	NC_EXPECT_CHILD(nc_sys_cap_validate(a, n, &x), NC_SYS_ERR_LIMIT);
	return 0;
}

/* Run child_import_shared with our handle 1 and quota_bytes 0 (our quota);
 * its exit status, or the line of the call that failed. */
static uint64_t run_import_shared(void)
{
	static const char self[] = "usertests", arg[] = "child:token_import_shared";
	uint64_t h = 1, pid, st, reaped;
	nc_sys_spawn_spec_t s = { (uint64_t)self, sizeof self - 1, (uint64_t)arg, sizeof arg - 1, (uint64_t)&h, 1,
				  0, 0, 0 };
	NC_EXPECT_CHILD(nc_sys_process_spawn_spec(&s, &pid), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_process_wait(pid, &st, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	return st;
}

/* Child holding handle 1 = fs.read on /etc (every right, LIFE_NS) and 2 =
 * process.spawn on usertests: its imports of attenuated tokens stop at
 * TOKEN_IMPORTS_MAX table entries, each charged to its quota on top of the
 * capability, and a child sharing its quota gets none either; another import
 * of the same token shares its entry; closing an import gives its entry back,
 * a revoked one keeps it; a one-link token takes none. */
static int child_imports(void)
{
	enum { M = NC_SYS_TOKEN_IMPORTS_MAX };
	static uint8_t t[TOK], a[M + 2][TOK];
	uint64_t nt, n[M + 2], h[M + 1], x;
	NC_EXPECT_CHILD(nc_sys_cap_export(1, t, sizeof t, &nt), NC_SYS_OK);
	for (int i = 0; i < M + 2; i++)
		NC_EXPECT_CHILD((n[i] = append(a[i], t, nt, NULL)) > 0, true);
	uint64_t before = quota_used();
	NC_EXPECT_CHILD(nc_sys_cap_validate(t, nt, &x), NC_SYS_OK);
	uint64_t cap_bytes = quota_used() - before; /* a one-link import: the capability only */
	nc_sys_handle_close(x);
	NC_EXPECT_CHILD(quota_used(), before);
	for (int i = 0; i < M; i++)
		NC_EXPECT_CHILD(nc_sys_cap_validate(a[i], n[i], &h[i]), NC_SYS_OK);
	uint64_t charged = quota_used() - before;
	NC_EXPECT_CHILD(charged % M, 0);
	uint64_t entry_bytes = charged / M - cap_bytes;
	NC_EXPECT_CHILD(entry_bytes > 0 && entry_bytes < charged, true);
	NC_EXPECT_CHILD(nc_sys_cap_validate(a[M], n[M], &x), NC_SYS_ERR_LIMIT);
	NC_EXPECT_CHILD(run_import_shared(), 0); /* a child sharing our quota shares the bound */
	NC_EXPECT_CHILD(import_only(t, nt), NC_SYS_OK); /* one link: no entry of its own */
	nc_sys_handle_close(h[0]);
	NC_EXPECT_CHILD(nc_sys_cap_validate(a[M], n[M], &h[0]), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_cap_revoke(h[1]), NC_SYS_OK);
	nc_sys_handle_close(h[1]);
	NC_EXPECT_CHILD(nc_sys_cap_validate(a[1], n[1], &x), NC_SYS_ERR_REVOKED);
	NC_EXPECT_CHILD(nc_sys_cap_validate(a[M + 1], n[M + 1], &x), NC_SYS_ERR_LIMIT); /* the revoked entry counts */
	uint64_t used = quota_used();
	NC_EXPECT_CHILD(nc_sys_cap_validate(a[2], n[2], &x), NC_SYS_OK); /* shares h[2]'s entry */
	NC_EXPECT_CHILD(quota_used() - used, cap_bytes);
	nc_sys_handle_close(x);
	for (int i = 2; i < M; i++)
		nc_sys_handle_close(h[i]);
	nc_sys_handle_close(h[0]);
	/* every entry but the revoked one is back, with its charge */
	NC_EXPECT_CHILD(quota_used() - before, entry_bytes);
	return 0;
}

static bool t_bounded(void)
{
	static uint8_t t[TOK];
	uint64_t src, spawn, st, nt;
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/etc", R_ALL, LIFE_NS, &src), NC_SYS_OK);
	NC_EXPECT_SYS(ut_attenuate("process", "process.spawn", "usertests", NC_SYS_RIGHT_TRANSFER, 0, &spawn),
		      NC_SYS_OK);
	uint64_t hs[2] = { src, spawn };
	bool ok = ut_spawn_with("token_imports", hs, 2, &st);
	nc_sys_handle_close(spawn);
	if (ok && st)
		ok = NC_FAIL("child failed at line %llu", (unsigned long long)st);
	if (ok && nc_sys_cap_export(src, t, sizeof t, &nt))
		ok = NC_FAIL("CapExport failed after the child's imports");
	nc_sys_cap_revoke(src);
	nc_sys_handle_close(src);
	return ok;
}

const nc_test_case_t ut_token_tests[] = {
	{ "cap.token_import_revokes_only_its_own_token", t_ids },
	{ "cap.token_import_has_the_exporters_rights", t_rights },
	{ "cap.token_imports_are_bounded_per_quota", t_bounded },
	{ NULL, NULL },
};

const nc_test_child_t ut_token_children[] = {
	{ "token_imports", child_imports },
	{ "token_import_shared", child_import_shared },
	{ NULL, NULL },
};
