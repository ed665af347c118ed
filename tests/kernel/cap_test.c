/* In-kernel capability objects (kernel/cap.h): derivation never widens,
 * revocation reaches every descendant at once, windows follow the kernel
 * clock, and the derivation depth is bounded. Revocation reaches exported
 * tokens, and tokens a holder attenuated from them with lib/cap. */
#include "nc_test.h"
#include <kernel/cap.h>
#include <kernel/clock.h>
#include <nc/cap.h>
#include <nc/mem.h>

enum { TOK_BYTES = 1024 };
/* Tokens of these tests end (and free their kernel slots) this soon. */
#define TOKEN_LIFE_NS 3000000000ull

static uint8_t tok[4][TOK_BYTES];
static size_t tok_len[4];
static uint32_t rights; /* of the last import: the tests export with every right */

static kcap_t *derive(kcap_t *p, const char *action, const char *scope, uint64_t end, nc_sys_err_t *err)
{
	kcap_t *c = NULL;
	*err = cap_derive(p, action, nc_str_len(action), scope, nc_str_len(scope), end, &c);
	return c;
}

NC_TEST(cap, derive_only_narrows)
{
	nc_sys_err_t err;
	kcap_t *root = cap_create_root("fs", "/", 0, CAP_FOREVER);
	NC_CHECK(root != NULL);
	kcap_t *etc = derive(root, "fs.read", "/etc/", CAP_FOREVER, &err);
	NC_CHECK_EQ(err, NC_SYS_OK);
	NC_CHECK_STR(etc->scope, "/etc");
	NC_CHECK_STR(etc->action, "fs.read");
	NC_CHECK(derive(etc, "fs", "", CAP_FOREVER, &err) == NULL && err == NC_SYS_ERR_INVALID);
	NC_CHECK(derive(etc, "", "/", CAP_FOREVER, &err) == NULL && err == NC_SYS_ERR_INVALID);
	NC_CHECK(derive(etc, "", "/etc2", CAP_FOREVER, &err) == NULL && err == NC_SYS_ERR_INVALID);
	NC_CHECK(derive(etc, "", "relative", CAP_FOREVER, &err) == NULL && err == NC_SYS_ERR_INVALID);
	NC_CHECK(derive(etc, "fs..read", "", CAP_FOREVER, &err) == NULL && err == NC_SYS_ERR_INVALID);
	NC_CHECK(cap_create_root("Bad Action", "*", 0, CAP_FOREVER) == NULL);
	NC_CHECK(cap_create_root("ok", "*", 5, 5) == NULL);
	kobj_unref(&etc->obj);
	kobj_unref(&root->obj);
}

NC_TEST(cap, revoke_reaches_descendants)
{
	nc_sys_err_t err;
	kcap_t *root = cap_create_root("net", "*", 0, CAP_FOREVER);
	kcap_t *a = derive(root, "net.connect", "", CAP_FOREVER, &err);
	kcap_t *b = derive(a, "", "example.org:443", CAP_FOREVER, &err);
	kcap_t *sibling = derive(root, "net.send", "", CAP_FOREVER, &err);
	NC_CHECK(a && b && sibling);
	NC_CHECK_EQ(cap_state(b), NC_SYS_OK);
	cap_revoke(a);
	NC_CHECK_EQ(cap_state(a), NC_SYS_ERR_REVOKED);
	NC_CHECK_EQ(cap_state(b), NC_SYS_ERR_REVOKED);
	NC_CHECK_EQ(cap_state(sibling), NC_SYS_OK);
	NC_CHECK_EQ(cap_state(root), NC_SYS_OK);
	kcap_t *late = derive(b, "", "", CAP_FOREVER, &err);
	NC_CHECK(late == NULL && err == NC_SYS_ERR_REVOKED);
	kobj_unref(&b->obj); /* parents stay alive while children hold them */
	kobj_unref(&a->obj);
	kobj_unref(&sibling->obj);
	kobj_unref(&root->obj);
}

NC_TEST(cap, window_follows_the_clock)
{
	nc_sys_err_t err;
	uint64_t now = clock_now_ns();
	kcap_t *root = cap_create_root("ai", "*", 0, now + 20000000);
	kcap_t *future = cap_create_root("ai", "*", now + 1000000000000ull, CAP_FOREVER);
	kcap_t *child = derive(root, "ai.invoke", "", CAP_FOREVER, &err);
	NC_CHECK(root && future && child);
	NC_CHECK_EQ(child->not_after_ns, root->not_after_ns);
	NC_CHECK_EQ(cap_state(child), NC_SYS_OK);
	NC_CHECK_EQ(cap_state(future), NC_SYS_ERR_EXPIRED);
	clock_delay_ns(25000000);
	NC_CHECK_EQ(cap_state(root), NC_SYS_ERR_EXPIRED);
	NC_CHECK_EQ(cap_state(child), NC_SYS_ERR_EXPIRED);
	kobj_unref(&child->obj);
	kobj_unref(&future->obj);
	kobj_unref(&root->obj);
}

NC_TEST(cap, depth_is_bounded)
{
	nc_sys_err_t err = NC_SYS_OK;
	kcap_t *c = cap_create_root("display", "*", 0, CAP_FOREVER);
	kcap_t *chain[CAP_MAX_DEPTH + 1];
	int n = 0;
	chain[n++] = c;
	while (err == NC_SYS_OK && n <= CAP_MAX_DEPTH) {
		kcap_t *next = derive(c, "", "", CAP_FOREVER, &err);
		if (next)
			chain[n++] = c = next;
	}
	NC_CHECK_EQ(n, CAP_MAX_DEPTH + 1);
	NC_CHECK(derive(c, "", "", CAP_FOREVER, &err) == NULL && err == NC_SYS_ERR_LIMIT);
	while (n--)
		kobj_unref(&chain[n]->obj);
}

static nc_sys_err_t export_to(kcap_t *c, int i)
{
	return cap_token_export(c, NC_SYS_RIGHTS_ALL, tok[i], TOK_BYTES, &tok_len[i]);
}

/* Import token i and drop the capability: only the verdict matters. */
static nc_sys_err_t import_of(int i)
{
	kcap_t *c = NULL;
	nc_sys_err_t err = cap_token_import(tok[i], tok_len[i], &c, &rights);
	if (c)
		kobj_unref(&c->obj);
	return err;
}

/* What a holder does offline with lib/cap: token `from` plus a link granting
 * action on scope over the last link's window, into token `to`. */
static nc_cap_err_t attenuate(int from, int to, const char *action, const char *scope)
{
	nc_cap_cursor_t cur;
	nc_cap_link_t link;
	nc_cap_cursor_init(&cur, tok[from], tok_len[from]);
	while (cur.next_link < cur.n_links)
		nc_cap_cursor_next(&cur, &link);
	nc_cap_grant_t g = { action, nc_str_len(action), scope, nc_str_len(scope),
			     link.grant.not_before_s, link.grant.not_after_s };
	return nc_cap_attenuate(tok[to], TOK_BYTES, &tok_len[to], tok[from], tok_len[from], &g);
}

NC_TEST(cap, revoke_reaches_exported_tokens)
{
	nc_sys_err_t err;
	uint64_t end = clock_now_ns() + TOKEN_LIFE_NS;
	kcap_t *root = cap_create_root("ai", "*", 0, end);
	kcap_t *other = cap_create_root("ai", "*", 0, end);
	kcap_t *child = derive(root, "ai.invoke", "", CAP_FOREVER, &err);
	kcap_t *imp = NULL, *c = NULL;
	NC_CHECK(root && other && child);
	NC_CHECK_EQ(export_to(root, 0), NC_SYS_OK);
	NC_CHECK_EQ(export_to(child, 1), NC_SYS_OK);
	NC_CHECK_EQ(export_to(other, 2), NC_SYS_OK);
	NC_CHECK_EQ(other->obj.refs, 2); /* ours and the token's slot's */
	NC_CHECK_EQ(attenuate(1, 3, "ai.invoke", "model-1"), NC_CAP_OK);
	NC_CHECK_EQ(cap_token_import(tok[3], tok_len[3], &imp, &rights), NC_SYS_OK);
	NC_CHECK_STR(imp->scope, "model-1");
	NC_CHECK_EQ(cap_state(imp), NC_SYS_OK);
	kobj_unref(&child->obj); /* the exported token keeps what it needs */
	cap_revoke(root);
	NC_CHECK_EQ(import_of(0), NC_SYS_ERR_REVOKED);
	NC_CHECK_EQ(import_of(1), NC_SYS_ERR_REVOKED); /* exported from a descendant */
	NC_CHECK_EQ(import_of(3), NC_SYS_ERR_REVOKED); /* attenuated from that one */
	NC_CHECK_EQ(cap_state(imp), NC_SYS_ERR_REVOKED); /* imported before the revocation */
	NC_CHECK_EQ(cap_token_import(tok[2], tok_len[2], &c, &rights), NC_SYS_OK); /* unrelated */
	NC_CHECK_EQ(cap_state(c), NC_SYS_OK);
	kobj_unref(&c->obj);
	cap_revoke(other); /* drops the slot's reference at once */
	NC_CHECK_EQ(other->obj.refs, 1);
	NC_CHECK_EQ(import_of(2), NC_SYS_ERR_REVOKED);
	kobj_unref(&imp->obj);
	kobj_unref(&other->obj);
	kobj_unref(&root->obj);
}

NC_TEST(cap, revoking_an_imported_token_spares_its_ancestors)
{
	kcap_t *src = cap_create_root("net", "*", 0, clock_now_ns() + TOKEN_LIFE_NS);
	kcap_t *mid = NULL;
	NC_CHECK(src != NULL);
	NC_CHECK_EQ(export_to(src, 0), NC_SYS_OK);
	NC_CHECK_EQ(attenuate(0, 1, "net.connect", "*"), NC_CAP_OK);
	NC_CHECK_EQ(attenuate(1, 2, "net.connect", "example.org:443"), NC_CAP_OK);
	NC_CHECK_EQ(attenuate(0, 3, "net.send", "*"), NC_CAP_OK); /* a sibling of token 1 */
	NC_CHECK_EQ(cap_token_import(tok[1], tok_len[1], &mid, &rights), NC_SYS_OK);
	NC_CHECK_EQ(import_of(2), NC_SYS_OK);
	cap_revoke(mid);
	NC_CHECK_EQ(import_of(1), NC_SYS_ERR_REVOKED);
	NC_CHECK_EQ(import_of(2), NC_SYS_ERR_REVOKED);
	NC_CHECK_EQ(import_of(0), NC_SYS_OK);
	NC_CHECK_EQ(import_of(3), NC_SYS_OK);
	NC_CHECK_EQ(cap_state(src), NC_SYS_OK);
	kobj_unref(&mid->obj);
	cap_revoke(src); /* leaves nothing pinned for later tests */
	kobj_unref(&src->obj);
}

/* An imported capability sits one level below its token's source. */
NC_TEST(cap, import_depth_is_bounded)
{
	nc_sys_err_t err = NC_SYS_OK;
	kcap_t *chain[CAP_MAX_DEPTH + 1];
	chain[0] = cap_create_root("blk", "*", 0, clock_now_ns() + TOKEN_LIFE_NS);
	NC_CHECK(chain[0] != NULL);
	for (int i = 1; i <= CAP_MAX_DEPTH; i++) {
		chain[i] = derive(chain[i - 1], "", "", CAP_FOREVER, &err);
		NC_CHECK_EQ(err, NC_SYS_OK);
	}
	NC_CHECK_EQ(export_to(chain[CAP_MAX_DEPTH - 1], 0), NC_SYS_OK);
	NC_CHECK_EQ(export_to(chain[CAP_MAX_DEPTH], 1), NC_SYS_OK);
	NC_CHECK_EQ(import_of(0), NC_SYS_OK);
	NC_CHECK_EQ(import_of(1), NC_SYS_ERR_LIMIT);
	cap_revoke(chain[0]);
	for (int i = CAP_MAX_DEPTH; i >= 0; i--)
		kobj_unref(&chain[i]->obj);
}

/* A full token-id table: CapExport gives NO_MEMORY and a new attenuated token
 * LIMIT, while tokens whose ids already have slots still import and
 * revocations still land. The filler tokens end within 2 s; the test waits
 * for that, then exporting works again, and the expired slots have dropped
 * their references (later tests find free slots and nothing pinned). */
NC_TEST(cap, full_token_table_keeps_revocations)
{
	nc_sys_err_t err = NC_SYS_OK;
	uint64_t end = clock_now_ns() + 2000000000ull;
	kcap_t *src = cap_create_root("display", "*", 0, end);
	kcap_t *timed = cap_create_root("display", "*", 0, end);
	kcap_t *kept = NULL;
	NC_CHECK(src && timed);
	NC_CHECK_EQ(export_to(timed, 3), NC_SYS_OK);
	NC_CHECK_EQ(timed->obj.refs, 2);
	NC_CHECK_EQ(export_to(src, 0), NC_SYS_OK);
	NC_CHECK_EQ(attenuate(0, 1, "display.map", "*"), NC_CAP_OK);
	NC_CHECK_EQ(attenuate(0, 2, "display.map", "fb0"), NC_CAP_OK);
	NC_CHECK_EQ(cap_token_import(tok[1], tok_len[1], &kept, &rights), NC_SYS_OK);
	int n = 0;
	while (n <= CAP_TOKEN_IDS_MAX && (err = export_to(src, 3)) == NC_SYS_OK)
		n++;
	NC_CHECK_EQ(err, NC_SYS_ERR_NO_MEMORY);
	NC_CHECK(n >= 1 && n + 2 <= CAP_TOKEN_IDS_MAX);
	NC_CHECK_EQ(import_of(2), NC_SYS_ERR_LIMIT); /* a new last-link id: no slot */
	NC_CHECK_EQ(import_of(1), NC_SYS_OK);        /* its slot was taken before */
	NC_CHECK_EQ(import_of(0), NC_SYS_OK);        /* one link: link 0's slot */
	cap_revoke(kept);
	NC_CHECK_EQ(import_of(1), NC_SYS_ERR_REVOKED);
	NC_CHECK_EQ(import_of(0), NC_SYS_OK);
	cap_revoke(src);
	NC_CHECK_EQ(import_of(0), NC_SYS_ERR_REVOKED);
	NC_CHECK_EQ(export_to(src, 3), NC_SYS_ERR_REVOKED);
	NC_CHECK_EQ(src->obj.refs, 2); /* ours and kept's: every slot let go */
	kobj_unref(&kept->obj);
	kobj_unref(&src->obj);
	uint64_t now = clock_now_ns();
	if (now < end)
		clock_delay_ns(end - now);
	kcap_t *fresh = cap_create_root("display", "*", 0, clock_now_ns() + TOKEN_LIFE_NS);
	NC_CHECK(fresh != NULL);
	NC_CHECK_EQ(export_to(fresh, 3), NC_SYS_OK); /* frees the expired slots first */
	NC_CHECK_EQ(timed->obj.refs, 1);
	NC_CHECK_EQ(import_of(3), NC_SYS_OK);
	cap_revoke(fresh);
	kobj_unref(&fresh->obj);
	kobj_unref(&timed->obj);
}

/* Imports hold at most half the table: the kernel's own imports (no
 * per-process bound) of distinct attenuated tokens stop with LIMIT at
 * CAP_TOKEN_IDS_MAX / 2 entries (fewer if earlier tests left revoked ones),
 * while CapExport still finds entries; dropping the imports frees theirs. */
NC_TEST(cap, imports_hold_at_most_half_the_table)
{
	enum { HALF = CAP_TOKEN_IDS_MAX / 2 };
	static kcap_t *held[HALF + 1];
	nc_sys_err_t err = NC_SYS_OK;
	kcap_t *src = cap_create_root("net", "*", 0, clock_now_ns() + TOKEN_LIFE_NS);
	NC_CHECK(src != NULL);
	NC_CHECK_EQ(export_to(src, 0), NC_SYS_OK);
	int n = 0;
	while (n <= HALF && err == NC_SYS_OK) {
		NC_CHECK_EQ(attenuate(0, 1, "net.connect", "*"), NC_CAP_OK);
		err = cap_token_import(tok[1], tok_len[1], &held[n], &rights);
		n += err == NC_SYS_OK;
	}
	NC_CHECK_EQ(err, NC_SYS_ERR_LIMIT);
	NC_CHECK(n > HALF - 8 && n <= HALF);
	NC_CHECK_EQ(export_to(src, 2), NC_SYS_OK);
	NC_CHECK_EQ(import_of(1), NC_SYS_ERR_LIMIT);
	while (n)
		kobj_unref(&held[--n]->obj);
	NC_CHECK_EQ(import_of(1), NC_SYS_OK);
	cap_revoke(src);
	kobj_unref(&src->obj);
}
