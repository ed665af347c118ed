/* Capabilities: CapAttenuate, CapRevoke, CapExport, CapValidate, windows on
 * the kernel clock, spawning with a granted subset (the shell's
 * `run --grant fs.read=/etc PROG`), and revocation while another CPU uses a
 * handle opened under the capability. */
#include "ut_sys.h"

enum { R_ALL = NC_SYS_RIGHTS_ALL };

static nc_sys_err_t derive(uint64_t parent, const char *action, const char *scope, uint64_t rights,
			   uint64_t lifetime_ns, uint64_t *h)
{
	nc_sys_cap_spec_t s = { (uint64_t)action, nc_str_len(action), (uint64_t)scope, nc_str_len(scope),
				rights, lifetime_ns };
	return nc_sys_cap_attenuate(parent, &s, h);
}

static bool t_attenuate(void)
{
	uint64_t etc, sub, x, nodup;
	nc_sys_handle_info_t in;
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/etc", R_ALL, 0, &etc), NC_SYS_OK);
	NC_REQUIRE(ut_handle_info(etc, &in) && nc_str_compare(in.action, "fs.read") == 0 &&
		nc_str_compare(in.scope, "/etc") == 0 && in.rights == R_ALL && in.state == 0);
	NC_EXPECT_SYS(derive(etc, "fs", "", R_ALL, 0, &x), NC_SYS_ERR_INVALID);          /* wider action */
	NC_EXPECT_SYS(derive(etc, "fs.write", "", R_ALL, 0, &x), NC_SYS_ERR_INVALID);    /* other action */
	NC_EXPECT_SYS(derive(etc, "", "/", R_ALL, 0, &x), NC_SYS_ERR_INVALID);           /* wider scope */
	NC_EXPECT_SYS(derive(etc, "", "/etcetera", R_ALL, 0, &x), NC_SYS_ERR_INVALID);   /* not below */
	NC_EXPECT_SYS(derive(etc, "", "/etc/../hello.txt", R_ALL, 0, &x), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(derive(etc, "", "*", R_ALL, 0, &x), NC_SYS_ERR_INVALID);           /* a name */
	NC_EXPECT_SYS(derive(etc, "FS!", "", R_ALL, 0, &x), NC_SYS_ERR_INVALID);         /* malformed */
	NC_EXPECT_SYS(derive(etc, "fs.read", "/etc/nexacore/./", NC_SYS_RIGHT_DUPLICATE, 0, &sub), NC_SYS_OK);
	NC_REQUIRE(ut_handle_info(sub, &in) && nc_str_compare(in.scope, "/etc/nexacore") == 0 &&
		in.rights == NC_SYS_RIGHT_DUPLICATE);
	NC_EXPECT_SYS(derive(sub, "", "", NC_SYS_RIGHT_DUPLICATE | NC_SYS_RIGHT_REVOKE, 0, &x), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(derive(sub, "", "", 0, 0, &nodup), NC_SYS_OK);
	NC_EXPECT_SYS(derive(nodup, "", "", 0, 0, &x), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_cap_revoke(nodup), NC_SYS_ERR_DENIED);                      /* no RIGHT_REVOKE */
	uint64_t con = ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL);
	NC_EXPECT_SYS(derive(con, "", "", 0, 0, &x), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(derive(4242, "", "", 0, 0, &x), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_cap_attenuate(etc, (void *)UT_KERNEL_ADDR, &x), NC_SYS_ERR_BAD_ADDRESS);
	nc_sys_cap_spec_t bad = { UT_KERNEL_ADDR, 3, 0, 0, 0, 0 };
	NC_EXPECT_SYS(nc_sys_cap_attenuate(etc, &bad, &x), NC_SYS_ERR_BAD_ADDRESS);
	bad.action_len = NC_SYS_CAP_ACTION_MAX + 1;
	NC_EXPECT_SYS(nc_sys_cap_attenuate(etc, &bad, &x), NC_SYS_ERR_INVALID);
	nc_sys_handle_close(nodup);
	nc_sys_handle_close(sub);
	/* derivation chains are bounded: etc is at depth 1 below the root */
	uint64_t chain[20], depth = 0, cur = etc;
	nc_sys_err_t err;
	while (depth < 20 && !(err = derive(cur, "", "", R_ALL, 0, &chain[depth])))
		cur = chain[depth++];
	for (uint64_t i = 0; i < depth; i++)
		nc_sys_handle_close(chain[i]);
	NC_EXPECT_SYS(err, NC_SYS_ERR_LIMIT);
	NC_REQUIRE(depth == 15); /* CAP_MAX_DEPTH 16 in kernel/cap.h */
	nc_sys_handle_close(etc);
	return true;
}

static bool t_window(void)
{
	uint64_t h, x, n, now;
	uint8_t tok[64];
	nc_sys_handle_info_t in;
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/", R_ALL, 30000000, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_clock_get(&now), NC_SYS_OK);
	NC_REQUIRE(ut_handle_info(h, &in) && in.state == 0 && in.not_after_ns > now && in.not_after_ns <= now + 30000000);
	NC_EXPECT_SYS(nc_sys_sleep(40000000), NC_SYS_OK);
	NC_REQUIRE(ut_handle_info(h, &in) && in.state == NC_SYS_ERR_EXPIRED);
	NC_EXPECT_SYS(derive(h, "", "", R_ALL, 0, &x), NC_SYS_ERR_EXPIRED);
	NC_EXPECT_SYS(nc_sys_cap_export(h, tok, sizeof tok, &n), NC_SYS_ERR_EXPIRED);
	/* a child never outlives its parent's window */
	uint64_t p, c;
	NC_EXPECT_SYS(ut_attenuate("fs", "", "", R_ALL, 1000000000, &p), NC_SYS_OK);
	NC_EXPECT_SYS(derive(p, "", "", R_ALL, 5000000000ull, &c), NC_SYS_OK);
	nc_sys_handle_info_t pi, ci;
	NC_REQUIRE(ut_handle_info(p, &pi) && ut_handle_info(c, &ci) && ci.not_after_ns == pi.not_after_ns);
	nc_sys_handle_close(c);
	nc_sys_handle_close(p);
	nc_sys_handle_close(h);
	return true;
}

/* Run child `name` holding only handle 1 = fs.read on scope (rights, lifetime_ns
 * as for ut_attenuate): true when it exits 0. */
static bool run_with_fs_grant(const char *name, const char *scope, uint32_t rights, uint64_t lifetime_ns)
{
	uint64_t grant, st;
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", scope, rights, lifetime_ns, &grant), NC_SYS_OK);
	bool ran = ut_spawn_with(name, &grant, 1, &st);
	nc_sys_handle_close(grant);
	if (ran && st)
		return NC_FAIL("child %s failed at line %llu", name, (unsigned long long)st);
	return ran;
}

/* Child holding only handle 1 = fs.read on /etc (what `run --grant fs.read=/etc` gives). */
static int child_granted(void)
{
	uint64_t h, n, v;
	char buf[8];
	NC_EXPECT_CHILD(nc_sys_fs_open("/etc/nexacore/notes.txt", 23, 0, &h), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_fd_read(h, buf, 5, 0, &n), NC_SYS_OK);
	NC_EXPECT_CHILD(n == 5 && nc_mem_compare(buf, "notes", 5) == 0, 1);
	NC_EXPECT_CHILD(nc_sys_fs_open("/hello.txt", 10, 0, &v), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_open("/etc/../hello.txt", 17, 0, &v), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_set_cwd("/etc", 4), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_fs_open("../hello.txt", 12, 0, &v), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_initrd_read("hello.txt", 9, buf, sizeof buf, 0, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_initrd_read("etc/nexacore/notes.txt", 22, buf, sizeof buf, 0, &n), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_write_console("x", 1), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(derive(1, "", "/", R_ALL, 0, &v), NC_SYS_ERR_INVALID);
	NC_EXPECT_CHILD(nc_sys_handle_list(0, NULL, 0, &n), NC_SYS_OK);
	NC_EXPECT_CHILD(n == 2, 1); /* the grant and the open file */
	return 0;
}

static bool t_grant_spawn(void)
{
	uint64_t etc, st, pid, nt, bad;
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/etc", NC_SYS_RIGHT_TRANSFER | NC_SYS_RIGHT_DUPLICATE, 0, &etc),
		  NC_SYS_OK);
	if (!ut_spawn_with("cap_granted", &etc, 1, &st))
		return false;
	if (st)
		return NC_FAIL("granted child failed at line %llu", (unsigned long long)st);
	static const char self[] = "usertests", arg[] = "child:cap_granted";
	NC_EXPECT_SYS(derive(etc, "", "", NC_SYS_RIGHT_DUPLICATE, 0, &nt), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_spawn(self, 9, arg, sizeof arg - 1, &nt, 1, &pid), NC_SYS_ERR_DENIED);
	bad = 4242;
	NC_EXPECT_SYS(nc_sys_process_spawn(self, 9, arg, sizeof arg - 1, &bad, 1, &pid), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_process_spawn(self, 9, arg, sizeof arg - 1, &etc, NC_SYS_SPAWN_HANDLES_MAX + 1, &pid),
		  NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_process_spawn(self, 9, arg, sizeof arg - 1, (void *)UT_KERNEL_ADDR, 1, &pid),
		  NC_SYS_ERR_BAD_ADDRESS);
	nc_sys_handle_close(nt);
	nc_sys_handle_close(etc);
	return true;
}

/* Spawn program name (init with an argument that names no manifest: it
 * exits 1) and wait; the spawn's error, and the status in *st. */
static nc_sys_err_t spawn_named(const char *name, uint64_t *st)
{
	static const char arg[] = "cap-test-no-manifest";
	uint64_t pid, reaped;
	nc_sys_err_t err = nc_sys_process_spawn(name, nc_str_len(name), arg, sizeof arg - 1, NULL, 0, &pid);
	if (!err)
		err = nc_sys_process_wait(pid, st, NC_SYS_TIMEOUT_INFINITE, &reaped);
	return err;
}

/* Child holding only handle 1 = process.spawn scoped to the name "init"
 * (what `run --grant process.spawn=init` gives): it may start init and
 * nothing else, and learns nothing about other names. */
static int child_spawn_scoped(void)
{
	uint64_t st = 0;
	NC_EXPECT_CHILD(spawn_named("init", &st), NC_SYS_OK);
	NC_EXPECT_CHILD(st, 1);
	NC_EXPECT_CHILD(spawn_named("usertests", &st), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(spawn_named("init.manifest", &st), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(spawn_named("no-such-program", &st), NC_SYS_ERR_DENIED);
	return 0;
}

/* Child holding handle 1 = process.spawn on every name, and handle 2 (if
 * any) = fs.read on /init.manifest: without fs.read a file that is not a
 * program looks like no file at all (NOT_FOUND, as FsStat would have
 * said: DENIED, nothing); with it, BAD_EXECUTABLE tells nothing new. */
static int child_spawn_blind(void)
{
	uint64_t st, n;
	bool can_read = nc_sys_handle_list(0, NULL, 0, &n) == NC_SYS_OK && n == 2;
	NC_EXPECT_CHILD(spawn_named("init.manifest", &st),
			can_read ? NC_SYS_ERR_BAD_EXECUTABLE : NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_CHILD(spawn_named("hello.txt", &st), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_CHILD(spawn_named("no-such-program", &st), NC_SYS_ERR_NOT_FOUND);
	return 0;
}

static bool t_spawn_scope(void)
{
	uint64_t only_init, any, manifest, st;
	NC_EXPECT_SYS(ut_attenuate("process", "process.spawn", "init", NC_SYS_RIGHT_TRANSFER, 0, &only_init), NC_SYS_OK);
	NC_EXPECT_SYS(ut_attenuate("process", "process.spawn", "*", NC_SYS_RIGHT_TRANSFER, 0, &any), NC_SYS_OK);
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/init.manifest", NC_SYS_RIGHT_TRANSFER, 0, &manifest), NC_SYS_OK);
	uint64_t both[2] = { any, manifest };
	bool ok = ut_spawn_with("cap_spawn_scoped", &only_init, 1, &st);
	if (ok && st)
		ok = NC_FAIL("scoped child failed at line %llu", (unsigned long long)st);
	if (ok && ut_spawn_with("cap_spawn_blind", &any, 1, &st) && st)
		ok = NC_FAIL("blind child failed at line %llu", (unsigned long long)st);
	if (ok && ut_spawn_with("cap_spawn_blind", both, 2, &st) && st)
		ok = NC_FAIL("reading child failed at line %llu", (unsigned long long)st);
	nc_sys_handle_close(only_init);
	nc_sys_handle_close(any);
	nc_sys_handle_close(manifest);
	return ok;
}

/* Child holding only handle 1 = fs.read on /hello.txt: SetCwd reaches the
 * grant's way down ("/") but shows no other directory, existing or not. */
static int child_cwd_hidden(void)
{
	uint64_t h;
	NC_EXPECT_CHILD(nc_sys_set_cwd("/etc", 4), NC_SYS_ERR_NOT_FOUND); /* exists, not granted */
	NC_EXPECT_CHILD(nc_sys_set_cwd("/nope", 5), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_CHILD(nc_sys_set_cwd("/", 1), NC_SYS_OK);               /* on the way to the grant */
	NC_EXPECT_CHILD(nc_sys_fs_open("hello.txt", 9, 0, &h), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_set_cwd("/hello.txt", 10), NC_SYS_ERR_WRONG_TYPE); /* granted, a file */
	return 0;
}

static bool t_cwd_hidden(void)
{
	return run_with_fs_grant("cap_cwd_hidden", "/hello.txt", NC_SYS_RIGHT_TRANSFER, 0);
}

/* SPAWN_INHERIT: the child gets a copy of exactly the transferable handles.
 * Child: exit code = its handle count, or 1000 + the index of a handle
 * without RIGHT_TRANSFER. */
static int child_inherit(void)
{
	static nc_sys_handle_info_t info[NC_SYS_HANDLES_MAX];
	uint64_t n;
	if (nc_sys_handle_list(0, info, NC_SYS_HANDLES_MAX, &n))
		return 999;
	for (uint64_t i = 0; i < n; i++)
		if (!(info[i].rights & NC_SYS_RIGHT_TRANSFER))
			return 1000 + (int)i;
	return (int)n;
}

static bool t_spawn_inherit(void)
{
	static nc_sys_handle_info_t info[NC_SYS_HANDLES_MAX];
	static const char self[] = "usertests", arg[] = "child:cap_inherit";
	uint64_t kept, n, pid, st, reaped, transferable = 0;
	uint64_t con = ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL);
	NC_EXPECT_SYS(nc_sys_handle_duplicate(con, NC_SYS_RIGHT_WRITE, &kept), NC_SYS_OK); /* stays behind */
	NC_EXPECT_SYS(nc_sys_handle_list(0, info, NC_SYS_HANDLES_MAX, &n), NC_SYS_OK);
	for (uint64_t i = 0; i < n; i++)
		transferable += (info[i].rights & NC_SYS_RIGHT_TRANSFER) != 0;
	NC_REQUIRE(transferable < n);
	NC_EXPECT_SYS(nc_sys_process_spawn(self, 9, arg, sizeof arg - 1, NULL, NC_SYS_SPAWN_INHERIT, &pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &st, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	nc_sys_handle_close(kept);
	if (st != transferable)
		return NC_FAIL("child saw %llu (want %llu handles)", (unsigned long long)st,
			       (unsigned long long)transferable);
	return true;
}

static bool t_tokens(void)
{
	static uint8_t tok[NC_SYS_TOKEN_MAX_BYTES + 1];
	uint64_t etc, imp, n, x, con;
	nc_sys_handle_info_t in;
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/etc", R_ALL, 0, &etc), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(etc, tok, 8, &n), NC_SYS_ERR_TOO_SMALL);
	NC_EXPECT_SYS(nc_sys_cap_export(etc, tok, sizeof tok, &n), NC_SYS_OK);
	NC_REQUIRE(n > 100 && n < 1000);
	NC_EXPECT_SYS(nc_sys_cap_validate(tok, n, &imp), NC_SYS_OK);
	NC_REQUIRE(ut_handle_info(imp, &in) && nc_str_compare(in.action, "fs.read") == 0 &&
		nc_str_compare(in.scope, "/etc") == 0 && in.state == 0);
	/* any flipped byte breaks it: the signed body, the signature or the proof */
	for (uint64_t i = 0; i < n; i += 7) {
		tok[i] ^= 0x20;
		nc_sys_err_t err = nc_sys_cap_validate(tok, n, &x);
		tok[i] ^= 0x20;
		if (err != NC_SYS_ERR_BAD_TOKEN)
			return NC_FAIL("byte %llu flipped: %s", (unsigned long long)i, nc_sys_err_name(err));
	}
	NC_EXPECT_SYS(nc_sys_cap_validate(tok, n - 1, &x), NC_SYS_ERR_BAD_TOKEN);
	NC_EXPECT_SYS(nc_sys_cap_validate(tok, 0, &x), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_cap_validate(tok, NC_SYS_TOKEN_MAX_BYTES + 1, &x), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_cap_validate((void *)UT_KERNEL_ADDR, 64, &x), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_cap_export(etc, (void *)UT_KERNEL_ADDR, sizeof tok, &x), NC_SYS_ERR_BAD_ADDRESS);
	con = ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL);
	NC_EXPECT_SYS(nc_sys_cap_export(con, tok, sizeof tok, &x), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(derive(etc, "", "", NC_SYS_RIGHT_DUPLICATE, 0, &x), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(x, tok + 2048, 2048, &n), NC_SYS_ERR_DENIED);
	nc_sys_handle_close(x);
	/* a full handle table: the token verifies but there is no slot for it */
	static uint64_t fill[NC_SYS_HANDLES_MAX];
	uint64_t nf = 0;
	while (nf < NC_SYS_HANDLES_MAX && nc_sys_handle_duplicate(con, 0, &fill[nf]) == NC_SYS_OK)
		nf++;
	nc_sys_err_t full = nc_sys_cap_validate(tok, n, &x);
	for (uint64_t i = 0; i < nf; i++)
		nc_sys_handle_close(fill[i]);
	NC_EXPECT_SYS(full, NC_SYS_ERR_LIMIT);
	/* revoking the imported capability revokes the token too */
	NC_EXPECT_SYS(nc_sys_cap_revoke(imp), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(etc, tok, sizeof tok, &n), NC_SYS_OK); /* a fresh token: fine */
	NC_EXPECT_SYS(nc_sys_cap_validate(tok, n, &x), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_revoke(x), NC_SYS_OK);
	uint64_t y;
	NC_EXPECT_SYS(nc_sys_cap_validate(tok, n, &y), NC_SYS_ERR_REVOKED);
	nc_sys_handle_close(x);
	nc_sys_handle_close(imp);
	nc_sys_handle_close(etc);
	return true;
}

/* A thread importing one token over and over (closing each handle) until
 * CapValidate fails; validator_err gets the error. */
static const uint8_t *validator_tok;
static volatile uint64_t validator_len, validator_ok;
static volatile nc_sys_err_t validator_err;

static int validator(void *arg)
{
	(void)arg;
	for (;;) {
		uint64_t h;
		nc_sys_err_t err = nc_sys_cap_validate(validator_tok, validator_len, &h);
		if (err) {
			validator_err = err;
			return 0;
		}
		nc_sys_handle_close(h);
		validator_ok++;
	}
}

/* CapRevoke reaches tokens: those exported from the revoked capability, from
 * a capability derived from it (even after that handle is closed), from a
 * capability imported from such a token, and the handle imported before the
 * revocation; a token of an unrelated capability stays valid. A second
 * thread importing a token in a loop sees REVOKED once CapRevoke returns. */
static bool t_revoke_reaches_tokens(void)
{
	static uint8_t ta[1024], tb[1024], ti[1024], to[1024];
	uint64_t a, b, other, imp, x, na, nb, ni, no, code;
	nc_sys_handle_info_t in;
	const uint64_t life_ns = 5000000000ull; /* the tokens' slots free up 5 s later */
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/etc", R_ALL, life_ns, &a), NC_SYS_OK);
	NC_EXPECT_SYS(derive(a, "", "/etc/nexacore", R_ALL, 0, &b), NC_SYS_OK);
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/etc", R_ALL, life_ns, &other), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(a, ta, sizeof ta, &na), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(b, tb, sizeof tb, &nb), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(other, to, sizeof to, &no), NC_SYS_OK);
	nc_sys_handle_close(b); /* its token still leads back to a */
	NC_EXPECT_SYS(nc_sys_cap_validate(tb, nb, &imp), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(imp, ti, sizeof ti, &ni), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_validate(ti, ni, &x), NC_SYS_OK);
	nc_sys_handle_close(x);
	validator_tok = tb;
	validator_len = nb;
	nc_thread_t t;
	NC_EXPECT_SYS(nc_thread_start(&t, validator, NULL), NC_SYS_OK);
	while (validator_ok < 3 && !validator_err)
		nc_sys_yield();
	NC_EXPECT_SYS(nc_sys_cap_revoke(a), NC_SYS_OK);
	uint64_t seen = validator_ok;
	NC_EXPECT_SYS(nc_sys_cap_validate(ta, na, &x), NC_SYS_ERR_REVOKED);
	NC_EXPECT_SYS(nc_sys_cap_validate(tb, nb, &x), NC_SYS_ERR_REVOKED);
	NC_EXPECT_SYS(nc_sys_cap_validate(ti, ni, &x), NC_SYS_ERR_REVOKED);
	NC_EXPECT_SYS(nc_thread_join(&t, &code), NC_SYS_OK);
	NC_EXPECT_SYS(validator_err, NC_SYS_ERR_REVOKED);
	NC_REQUIRE(validator_ok <= seen + 1); /* at most the import under way during CapRevoke */
	NC_REQUIRE(ut_handle_info(imp, &in) && in.state == NC_SYS_ERR_REVOKED);
	NC_EXPECT_SYS(nc_sys_cap_export(imp, ti, sizeof ti, &ni), NC_SYS_ERR_REVOKED);
	NC_EXPECT_SYS(nc_sys_cap_validate(to, no, &x), NC_SYS_OK);
	NC_REQUIRE(ut_handle_info(x, &in) && in.state == 0);
	nc_sys_handle_close(x);
	nc_sys_handle_close(imp);
	nc_sys_handle_close(other);
	nc_sys_handle_close(a);
	return true;
}

/* The kernel remembers at most 256 token ids (CAP_TOKEN_IDS_MAX in
 * kernel/cap.h), each until its token expires. Full: CapExport fails with
 * NO_MEMORY, but a one-link token still imports and revocations still land
 * (their slots were taken at export); once the tokens expire, exporting works
 * again. */
static bool t_token_table_full(void)
{
	static uint8_t t0[1024], tr[1024], tmp[1024];
	uint64_t h, r, imp, x, n0, nr, n, t_start, t_full, now, count = 0;
	nc_sys_handle_info_t in;
	nc_sys_err_t err;
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/etc", R_ALL, 4000000000ull, &h), NC_SYS_OK);
	NC_EXPECT_SYS(derive(h, "", "", R_ALL, 0, &r), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(h, t0, sizeof t0, &n0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(r, tr, sizeof tr, &nr), NC_SYS_OK);
	nc_sys_clock_get(&t_start);
	while (count < 4 * 256 && !(err = nc_sys_cap_export(h, tmp, sizeof tmp, &n)))
		count++;
	nc_sys_clock_get(&t_full);
	if (err != NC_SYS_ERR_NO_MEMORY || count + 2 > 256)
		return NC_FAIL("%llu exports in %llu ms, then %s", (unsigned long long)count,
			       (unsigned long long)((t_full - t_start) / 1000000), nc_sys_err_name(err));
	NC_EXPECT_SYS(nc_sys_cap_export(r, tmp, sizeof tmp, &n), NC_SYS_ERR_NO_MEMORY);
	NC_EXPECT_SYS(nc_sys_cap_validate(t0, n0, &imp), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_revoke(r), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_validate(tr, nr, &x), NC_SYS_ERR_REVOKED);
	NC_EXPECT_SYS(nc_sys_cap_revoke(imp), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_validate(t0, n0, &x), NC_SYS_ERR_REVOKED);
	/* every token of h ends with h's window: then their slots are free */
	NC_REQUIRE(ut_handle_info(h, &in));
	nc_sys_clock_get(&now);
	if (in.not_after_ns > now)
		NC_EXPECT_SYS(nc_sys_sleep(in.not_after_ns - now), NC_SYS_OK);
	nc_sys_handle_close(imp);
	nc_sys_handle_close(r);
	nc_sys_handle_close(h);
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/etc", R_ALL, 3000000000ull, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(h, tmp, sizeof tmp, &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_validate(tmp, n, &x), NC_SYS_OK);
	nc_sys_handle_close(x);
	nc_sys_handle_close(h);
	return true;
}

/* Child with handle 1 = fs.read on / (RIGHTS_ALL). Derives B from it, opens a
 * file under B, then has a second thread read that file in a loop while
 * this thread revokes handle 1: the reader must stop with REVOKED, and every
 * use after CapRevoke returned must fail. Returns 0, or a failing line. */
static volatile uint64_t reader_file, reader_reads, reader_cpu;
static volatile nc_sys_err_t reader_err;

static int reader(void *arg)
{
	(void)arg;
	char c;
	uint64_t n, pos;
	for (;;) {
		nc_sys_err_t err = nc_sys_fd_seek(reader_file, 0, NC_SYS_SEEK_SET, &pos);
		if (!err)
			err = nc_sys_fd_read(reader_file, &c, 1, 0, &n);
		if (err) {
			reader_err = err;
			return 0;
		}
		uint64_t cpu;
		nc_sys_system_info(NC_SYS_INFO_CURRENT_CPU, &cpu);
		reader_cpu = cpu;
		reader_reads++;
	}
}

static int child_revoke(void)
{
	uint64_t b, v, n;
	NC_EXPECT_CHILD(derive(1, "fs.read", "/etc", R_ALL, 0, &b), NC_SYS_OK);
	uint64_t dir, pos;
	nc_sys_dirent_t de;
	NC_EXPECT_CHILD(nc_sys_fs_open("/etc", 4, NC_SYS_OPEN_DIR, &dir), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_fs_open("/etc/nexacore/notes.txt", 23, 0, &v), NC_SYS_OK);
	reader_file = v;
	nc_thread_t t;
	NC_EXPECT_CHILD(nc_thread_start(&t, reader, NULL), NC_SYS_OK);
	while (reader_reads < 50 && !reader_err)
		nc_sys_yield();
	uint64_t my_cpu;
	nc_sys_system_info(NC_SYS_INFO_CURRENT_CPU, &my_cpu);
	NC_EXPECT_CHILD(nc_sys_cap_revoke(1), NC_SYS_OK);
	/* from here on every use fails, on this CPU and the reader's */
	char c;
	NC_EXPECT_CHILD(nc_sys_fd_read(v, &c, 1, 0, &n), NC_SYS_ERR_REVOKED);
	NC_EXPECT_CHILD(nc_sys_fd_seek(v, 0, NC_SYS_SEEK_SET, &pos), NC_SYS_ERR_REVOKED);
	NC_EXPECT_CHILD(nc_sys_fs_list_dir(dir, 0, &de), NC_SYS_ERR_REVOKED);
	uint8_t tok[512];
	NC_EXPECT_CHILD(nc_sys_cap_export(b, tok, sizeof tok, &n), NC_SYS_ERR_REVOKED);
	uint64_t code;
	NC_EXPECT_CHILD(nc_thread_join(&t, &code), NC_SYS_OK);
	NC_EXPECT_CHILD(reader_err, NC_SYS_ERR_REVOKED);
	NC_EXPECT_CHILD(nc_sys_fs_open("/etc/nexacore/notes.txt", 23, 0, &v), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(derive(b, "", "", R_ALL, 0, &v), NC_SYS_ERR_REVOKED);
	NC_EXPECT_CHILD(nc_sys_cap_revoke(b), NC_SYS_OK); /* revoking again is harmless */
	return 0;
}

/* Child with handle 1 = fs.read on / for 100 ms: handles opened under it
 * stop working when it expires. */
static int child_expiring(void)
{
	uint64_t f, d, n, pos;
	char c;
	nc_sys_dirent_t de;
	NC_EXPECT_CHILD(nc_sys_fs_open("/hello.txt", 10, 0, &f), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_fs_open("/", 1, NC_SYS_OPEN_DIR, &d), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_fd_read(f, &c, 1, 0, &n), NC_SYS_OK);
	nc_sys_sleep(150000000);
	NC_EXPECT_CHILD(nc_sys_fd_read(f, &c, 1, 0, &n), NC_SYS_ERR_EXPIRED);
	NC_EXPECT_CHILD(nc_sys_fd_seek(f, 0, NC_SYS_SEEK_SET, &pos), NC_SYS_ERR_EXPIRED);
	NC_EXPECT_CHILD(nc_sys_fs_list_dir(d, 0, &de), NC_SYS_ERR_EXPIRED);
	NC_EXPECT_CHILD(nc_sys_fs_open("/hello.txt", 10, 0, &f), NC_SYS_ERR_DENIED);
	return 0;
}

static bool t_expiry_reaches_handles(void)
{
	return run_with_fs_grant("cap_expiring", "/", R_ALL, 100000000);
}

/* A token whose window has closed no longer imports. */
static bool t_token_expiry(void)
{
	static uint8_t tok[1024];
	uint64_t h, n, x;
	NC_EXPECT_SYS(ut_attenuate("fs", "fs.read", "/etc", R_ALL, 1500000000, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(h, tok, sizeof tok, &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_export(4242, tok, sizeof tok, &x), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_sleep(2100000000), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_cap_validate(tok, n, &x), NC_SYS_ERR_EXPIRED);
	nc_sys_handle_close(h);
	return true;
}

static bool t_revoke_in_use(void)
{
	if (!run_with_fs_grant("cap_revoke", "/", R_ALL, 0))
		return false;
	uint64_t con = ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL);
	NC_EXPECT_SYS(nc_sys_cap_revoke(con), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_cap_revoke(4242), NC_SYS_ERR_BAD_HANDLE);
	return true;
}

const nc_test_case_t ut_cap_tests[] = {
	{ "cap.attenuate", t_attenuate },
	{ "cap.window", t_window },
	{ "cap.grant_spawn", t_grant_spawn },
	{ "cap.spawn_checks_the_program_against_the_scope", t_spawn_scope },
	{ "cap.set_cwd_shows_only_granted_directories", t_cwd_hidden },
	{ "cap.spawn_inherit", t_spawn_inherit },
	{ "cap.tokens", t_tokens },
	{ "cap.revoke_while_in_use", t_revoke_in_use },
	{ "cap.expiry_reaches_handles", t_expiry_reaches_handles },
	{ "cap.token_expiry", t_token_expiry },
	{ "cap.revoke_reaches_tokens", t_revoke_reaches_tokens },
	{ "cap.token_table_full", t_token_table_full },
	{ NULL, NULL },
};

const nc_test_child_t ut_cap_children[] = {
	{ "cap_granted", child_granted },
	{ "cap_cwd_hidden", child_cwd_hidden },
	{ "cap_revoke", child_revoke },
	{ "cap_expiring", child_expiring },
	{ "cap_inherit", child_inherit },
	{ "cap_spawn_scoped", child_spawn_scoped },
	{ "cap_spawn_blind", child_spawn_blind },
	{ NULL, NULL },
};
