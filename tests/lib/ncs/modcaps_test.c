/* Per-module capability headers (lib/ncs/cap.c): code runs with its own
 * module's header, a module without one is pure, and a module declaring more
 * than the program was granted (main header, narrowed by the host's handlers)
 * fails to load before anything runs. Expected messages and columns are
 * counted by hand from the sources below. */
#include "ncs_test_support.h"
#include <nc/mem.h>
#include <nc/ncs_repl.h>

static const nt_module_t files[] = {
	{ "pure", "pub fn peek(p) { fs::read(p) }\npub fn twice(x) { x * 2 }\n" },
	{ "narrow", "#![capabilities(fs.read(\"/etc/nexacore/notes\"))]\npub fn peek(p) { fs::read(p) }\n" },
	{ "greedy", "#![capabilities(fs.read(\"/etc\"))]\npub fn peek(p) { fs::read(p) }\n" },
	{ "anyfs", "#![capabilities(fs.read)]\npub fn peek(p) { fs::read(p) }\n" },
	{ "escape", "#![capabilities(fs.read(\"/etc/nexacore/../passwd\"))]\npub fn f() { 1 }\n" },
	{ "netmod", "#![capabilities(net.connect(\"example.org:443\"))]\npub fn c() { net::connect(\"example.org:443\") }\n" },
	{ "relay", "use narrow::peek;\npub fn relay(p) { peek(p) }\n" },
	{ "mid", "use greedy::peek;\npub fn m() { 1 }\n" },
	{ "apply", "pub fn apply(f, p) { f(p) }\n" },
	{ NULL, NULL },
};

static int calls;

static nc_ncs_err_t fake_read(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n,
			      nc_ncs_reply_t *reply, const char **message)
{
	(void)ud; (void)fx; (void)args; (void)n; (void)message;
	calls++;
	return nc_ncs_reply_text(reply, "contents", 8);
}

static nc_ncs_handler_t handler;

/* Loader installed; a real fs.read handler for scope (NULL: none, effects inert). */
static void setup(const char *scope)
{
	nt_reset();
	nt_cfg.load = nt_load_module;
	nt_cfg.load_ud = (void *)files;
	calls = 0;
	if (scope) {
		handler = (nc_ncs_handler_t){ NC_NCS_FX_FS_READ, scope, fake_read, NULL };
		nt_cfg.handlers = &handler;
		nt_cfg.n_handlers = 1;
	}
}

#define MAIN_NX "#![capabilities(fs.read(\"/etc/nexacore\"))]\n"

NC_TEST(ncs_modcap, module_without_header_is_pure)
{
	setup("/etc/nexacore");
	NC_CHECK_EQ(nt_run(MAIN_NX "use pure::peek;\nfn main() { print(fs::read(\"/etc/nexacore/a.txt\")); peek(\"/etc/nexacore/a.txt\") }"),
		    NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(calls, 1); /* main's read ran, the module's never reached the host */
	NC_CHECK_STR(nt_result.output, "contents\n");
	NC_CHECK(nc_str_starts_with(nt_result.message,
				    "pure:1:26: error: capability fs.read(\"/etc/nexacore/a.txt\") is not declared by module "
				    "`pure` (its own header applies) [NC_NCS_ERR_CAP_DENIED]\n"));
	NC_CHECK(nt_contains(nt_result.message, "called from test.ncs:3:"));
	/* pure functions of the same module still run */
	NC_CHECK_EQ(nt_run(MAIN_NX "use pure::twice;\nfn main() { twice(21) }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "42");
	nt_reset();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_modcap, narrower_module_is_limited_to_its_scope)
{
	setup("/etc/nexacore");
	NC_CHECK_EQ(nt_run(MAIN_NX "use narrow::peek;\nfn main() { peek(\"/etc/nexacore/notes/a.txt\") }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "\"contents\"");
	NC_CHECK_EQ(calls, 1);
	/* main may read there, the module may not */
	NC_CHECK_EQ(nt_run(MAIN_NX "use narrow::peek;\nfn main() { peek(\"/etc/nexacore/other.txt\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK(nt_contains(nt_result.message, "capability fs.read(\"/etc/nexacore/other.txt\") is not declared by module `narrow`"));
	NC_CHECK_EQ(calls, 1);
	/* `..` cannot climb out of the module's scope */
	NC_CHECK_EQ(nt_run(MAIN_NX "use narrow::peek;\nfn main() { peek(\"/etc/nexacore/notes/../x\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(calls, 1);
	nt_reset();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_modcap, module_beyond_main_header_fails_to_load)
{
	setup("/etc");
	NC_CHECK_EQ(nt_run(MAIN_NX "use greedy::peek;\nfn main() { print(\"never\"); peek(\"/etc/passwd\") }"),
		    NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_STR(nt_result.message,
		     "greedy:1:17: error: module `greedy` declares fs.read(\"/etc\"), but the main script's header does "
		     "not grant it [NC_NCS_ERR_CAP_DENIED]\n"
		     "    1 | #![capabilities(fs.read(\"/etc\"))]\n"
		     "      |                 ^\n");
	NC_CHECK(nt_result.output == NULL); /* nothing ran */
	NC_CHECK_EQ(calls, 0);
	NC_CHECK_EQ(nc_ncs_exit_status(nt_result.err), 4);
	/* checking alone finds it too */
	NC_CHECK_EQ(nt_check(MAIN_NX "use greedy::peek;\nfn main() { 1 }"), NC_NCS_ERR_CAP_DENIED);
	/* a main script without a header grants nothing */
	NC_CHECK_EQ(nt_run("use narrow::peek;\nfn main() { 1 }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK(nt_contains(nt_result.message, "module `narrow` declares fs.read(\"/etc/nexacore/notes\"), but the main"));
	/* a scope that normalises outside the grant is not covered */
	NC_CHECK_EQ(nt_run(MAIN_NX "use escape::f;\nfn main() { f() }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK(nt_contains(nt_result.message, "module `escape` declares fs.read(\"/etc/nexacore/../passwd\")"));
	nt_reset();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_modcap, transitive_import_beyond_grant_names_the_module)
{
	setup(NULL);
	NC_CHECK_EQ(nt_run(MAIN_NX "use mid::m;\nfn main() { m() }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK(nc_str_starts_with(nt_result.message, "greedy:1:17: error: module `greedy` declares fs.read(\"/etc\")"));
	nt_reset();
}

NC_TEST(ncs_modcap, unscoped_declarations)
{
	/* an unscoped module declaration needs an unscoped grant */
	setup(NULL);
	NC_CHECK_EQ(nt_run(MAIN_NX "use anyfs::peek;\nfn main() { 1 }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK(nt_contains(nt_result.message, "module `anyfs` declares fs.read (any resource), but the main script's header"));
	/* main unscoped covers it; no handler: the read stays inert */
	NC_CHECK_EQ(nt_run("#![capabilities(fs.read)]\nuse anyfs::peek;\nfn main() { peek(\"/x/y\") }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "<effect fs.read(\"/x/y\")>");
	/* main unscoped covers a scoped module too */
	NC_CHECK_EQ(nt_run("#![capabilities(fs.read)]\nuse greedy::peek;\nfn main() { peek(\"/etc/hosts\") }"), NC_NCS_OK);
	nt_reset();
}

NC_TEST(ncs_modcap, host_narrows_the_grant)
{
	/* main asks for all of "/", the host serves only /etc/nexacore */
	setup("/etc/nexacore");
	NC_CHECK_EQ(nt_run("#![capabilities(fs.read(\"/\"))]\nuse narrow::peek;\nfn main() { peek(\"/etc/nexacore/notes/n\") }"),
		    NC_NCS_OK);
	NC_CHECK_EQ(calls, 1);
	NC_CHECK_EQ(nt_run("#![capabilities(fs.read(\"/\"))]\nuse greedy::peek;\nfn main() { 1 }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK(nt_contains(nt_result.message, "module `greedy` declares fs.read(\"/etc\"), but the host does not grant it"));
	NC_CHECK_EQ(nt_run("#![capabilities(fs.read)]\nuse anyfs::peek;\nfn main() { 1 }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK(nt_contains(nt_result.message, "module `anyfs` declares fs.read (any resource), but the host does not grant it"));
	NC_CHECK_EQ(calls, 1);
	nt_reset();
}

NC_TEST(ncs_modcap, name_scopes)
{
	setup(NULL);
	NC_CHECK_EQ(nt_run(MAIN_NX "use netmod::c;\nfn main() { c() }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK(nt_contains(nt_result.message, "module `netmod` declares net.connect(\"example.org:443\")"));
	NC_CHECK_EQ(nt_run("#![capabilities(net.connect(\"example.org:80\"))]\nuse netmod::c;\nfn main() { c() }"),
		    NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(nt_run("#![capabilities(net.connect(\"*\"))]\nuse netmod::c;\nfn main() { c() }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "<effect net.connect(\"example.org:443\")>");
	nt_reset();
}

NC_TEST(ncs_modcap, code_runs_with_the_header_of_its_own_module)
{
	setup("/etc/nexacore");
	/* a pure module calling a module that holds the capability: the callee's header applies */
	NC_CHECK_EQ(nt_run(MAIN_NX "use relay::relay;\nfn main() { relay(\"/etc/nexacore/notes/a\") }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "\"contents\"");
	/* a closure written in main keeps main's capabilities when a pure module calls it */
	NC_CHECK_EQ(nt_run(MAIN_NX "use apply::apply;\nfn main() { apply(|p| fs::read(p), \"/etc/nexacore/b\") }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "\"contents\"");
	/* the module's own function value does not gain main's */
	NC_CHECK_EQ(nt_run(MAIN_NX "use pure::peek;\nuse apply::apply;\nfn main() { apply(peek, \"/etc/nexacore/b\") }"),
		    NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(calls, 2);
	nt_reset();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_modcap, repl_applies_the_same_rules)
{
	/* REPL inputs form a main script without a header: it grants nothing */
	setup("/etc/nexacore");
	nc_ncs_repl_t *repl = NULL;
	nc_ncs_result_t r;
	size_t fresh;
	nc_mem_set(&r, 0, sizeof r);
	NC_CHECK_EQ(nc_ncs_repl_create(&nt_cfg, &repl), NC_NCS_OK);
	NC_CHECK_EQ(nc_ncs_repl_eval(repl, "use narrow::peek;", 17, &r, &fresh), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK(nt_contains(r.message, "module `narrow` declares fs.read(\"/etc/nexacore/notes\"), but the main"));
	nc_ncs_result_fini(&nt_cfg, &r);
	NC_CHECK_EQ(nc_ncs_repl_eval(repl, "use pure::{peek, twice};", 24, &r, &fresh), NC_NCS_OK);
	nc_ncs_result_fini(&nt_cfg, &r);
	NC_CHECK_EQ(nc_ncs_repl_eval(repl, "twice(4)", 8, &r, &fresh), NC_NCS_OK);
	NC_CHECK_STR(r.value, "8");
	nc_ncs_result_fini(&nt_cfg, &r);
	NC_CHECK_EQ(nc_ncs_repl_eval(repl, "peek(\"/etc/nexacore/a\")", 23, &r, &fresh), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK(nt_contains(r.message, "is not declared by module `pure`"));
	nc_ncs_result_fini(&nt_cfg, &r);
	nc_ncs_repl_destroy(repl);
	NC_CHECK_EQ(calls, 0);
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_modcap, allocation_failure_while_checking_leaks_nothing)
{
	for (uint64_t n = 1; n < 60; n++) {
		setup("/etc/nexacore");
		nt_fail_alloc_at(n);
		nc_ncs_err_t e = nt_run(MAIN_NX "use relay::relay;\nuse greedy::peek;\nfn main() { 1 }");
		NC_CHECK(e == NC_NCS_ERR_CAP_DENIED || e == NC_NCS_ERR_NOMEM);
		nt_fail_alloc_at(0);
		nt_release();
		NC_CHECK_EQ(nt_live_bytes(), 0);
	}
	nt_reset();
}
