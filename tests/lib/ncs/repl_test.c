/* lib/ncs REPL sessions (nc/ncs_repl.h): what is kept between inputs, which
 * part of the output is new, continuation lines, errors, allocation failure. */
#include "ncs_test_support.h"
#include <nc/mem.h>
#include <nc/ncs_repl.h>

static nc_ncs_repl_t *repl;
static nc_ncs_result_t res;
static size_t fresh;

static nc_ncs_err_t eval(const char *in)
{
	nc_ncs_result_fini(&nt_cfg, &res);
	return nc_ncs_repl_eval(repl, in, nc_str_len(in), &res, &fresh);
}

static const char *new_output(void) { return res.output ? res.output + fresh : ""; }

static void start(void)
{
	nt_reset();
	nc_mem_set(&res, 0, sizeof res);
	repl = NULL;
	nc_ncs_repl_create(&nt_cfg, &repl);
}

static void stop(void)
{
	nc_ncs_result_fini(&nt_cfg, &res);
	nc_ncs_repl_destroy(repl);
}

NC_TEST(ncs_repl, statements_and_items_are_kept)
{
	start();
	NC_CHECK(repl != NULL);
	NC_CHECK_EQ(eval("let mut x = 5;"), NC_NCS_OK);
	NC_CHECK_EQ(eval("fn twice(n) { n * 2 }"), NC_NCS_OK);
	NC_CHECK_EQ(eval("x = x + 1;"), NC_NCS_OK);
	NC_CHECK_EQ(eval("twice(x)"), NC_NCS_OK);
	NC_CHECK_STR(res.value, "12");
	NC_CHECK_EQ(eval("x"), NC_NCS_OK); /* an expression is not kept: x is still 6 */
	NC_CHECK_STR(res.value, "6");
	stop();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

/* Comments decide nothing: a statement is kept by its last token, an item is
 * recognised by its first (the lexer's comment rules: // and nestable block
 * comments). */
NC_TEST(ncs_repl, comments_around_inputs_change_nothing)
{
	static const struct { const char *kept, *probe, *want; } cases[] = {
		{ "let z = 5; // five", "z", "5" },
		{ "let w = 2; /* two /* nested */ */", "w", "2" },
		{ "// a helper\nfn h() { 3 }", "h()", "3" },
		{ "/* an item */ fn k() { 4 }", "h() + k()", "7" },
		{ "let mut n = 0;", "n", "0" },
		{ "for i in [1, 2] { n += i; } // sum", "n", "3" },
		{ "let s = \"; // not a comment\";", "s", "\"; // not a comment\"" },
	};
	start();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		NC_CHECK_EQ(eval(cases[i].kept), NC_NCS_OK);
		NC_CHECK_EQ(eval(cases[i].probe), NC_NCS_OK);
		NC_CHECK_STR(res.value, cases[i].want);
	}
	stop();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_repl, only_new_output_is_reported)
{
	start();
	NC_CHECK_EQ(eval("print(\"one\");"), NC_NCS_OK);
	NC_CHECK_STR(new_output(), "one\n");
	NC_CHECK_EQ(eval("print(\"two\");"), NC_NCS_OK);
	NC_CHECK_STR(new_output(), "two\n");
	NC_CHECK_STR(res.output, "one\ntwo\n");
	NC_CHECK_EQ(eval("for i in [1, 2] { print(string::from_int(i)); }"), NC_NCS_OK);
	NC_CHECK_STR(new_output(), "1\n2\n");
	stop();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_repl, errors_are_not_kept)
{
	start();
	NC_CHECK_EQ(eval("let y = nope;"), NC_NCS_ERR_RESOLVE);
	NC_CHECK(nt_contains(res.message, "nope"));
	NC_CHECK_EQ(eval("1 + 1"), NC_NCS_OK); /* the bad statement did not stay */
	NC_CHECK_STR(res.value, "2");
	NC_CHECK_EQ(eval("   \n"), NC_NCS_OK); /* empty input: nothing happens */
	NC_CHECK(res.value == NULL);
	stop();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_repl, needs_more_tracks_brackets_outside_strings_and_comments)
{
	NC_CHECK(nc_ncs_repl_needs_more("fn f() {", 8));
	NC_CHECK(!nc_ncs_repl_needs_more("fn f() { 1 }", 12));
	NC_CHECK(!nc_ncs_repl_needs_more("\"a(}\"", 5));
	NC_CHECK(!nc_ncs_repl_needs_more("1 // (", 6));
	NC_CHECK(nc_ncs_repl_needs_more("[1, (2", 6));
	NC_CHECK(!nc_ncs_repl_needs_more("\"\\\"(\"", 5));
	NC_CHECK(!nc_ncs_repl_needs_more("/* ( */ 1", 9));
	NC_CHECK(!nc_ncs_repl_needs_more("/* a /* ( */ [ */ 1", 19));
	NC_CHECK(nc_ncs_repl_needs_more("1 /* open", 9));      /* the comment goes on */
	NC_CHECK(nc_ncs_repl_needs_more("f(/* ) */", 9));
}

NC_TEST(ncs_repl, allocation_failure_is_typed_and_leaks_nothing)
{
	for (uint64_t n = 1; n < 40; n++) {
		start();
		nt_fail_alloc_at(n);
		nc_ncs_err_t a = repl ? eval("let z = 3;") : NC_NCS_ERR_NOMEM;
		nc_ncs_err_t b = repl ? eval("z + 1") : NC_NCS_ERR_NOMEM;
		NC_CHECK(a == NC_NCS_OK || a == NC_NCS_ERR_NOMEM);
		NC_CHECK(b == NC_NCS_OK || b == NC_NCS_ERR_NOMEM || b == NC_NCS_ERR_RESOLVE);
		nt_fail_alloc_at(0);
		stop();
		NC_CHECK_EQ(nt_live_bytes(), 0);
	}
	NC_CHECK_EQ(nc_ncs_repl_create(NULL, &repl), NC_NCS_ERR_INVALID);
}
