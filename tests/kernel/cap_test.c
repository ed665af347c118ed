/* In-kernel capability objects (kernel/cap.h): derivation never widens,
 * revocation reaches every descendant at once, windows follow the kernel
 * clock, and the derivation depth is bounded. */
#include "nc_test.h"
#include <kernel/cap.h>
#include <kernel/clock.h>
#include <nc/mem.h>

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
