/* lib/scope path rule: expected values are derived by hand from the rules in
 * nc/scope.h (POSIX path resolution without symlinks, ".." above "/" an error). */
#include "nc_test.h"
#include <nc/mem.h>
#include <nc/scope.h>

#define S(x) x, (sizeof(x) - 1)

static bool norm_is(const char *in, const char *want)
{
	char out[64];
	size_t n = 99;
	if (nc_scope_normalize(in, nc_str_len(in), out, sizeof out, &n) != NC_SCOPE_OK)
		return false;
	return nc_str_compare(out, want) == 0 && n == nc_str_len(want);
}

static nc_scope_err_t norm_err(const char *in)
{
	char out[64];
	return nc_scope_normalize(in, nc_str_len(in), out, sizeof out, NULL);
}

NC_TEST(scope_path, normalize_cases)
{
	NC_CHECK(norm_is("/", "/"));
	NC_CHECK(norm_is("//", "/"));
	NC_CHECK(norm_is("/.", "/"));
	NC_CHECK(norm_is("/a/..", "/"));
	NC_CHECK(norm_is("/etc/nexacore/", "/etc/nexacore"));
	NC_CHECK(norm_is("/etc//nexacore///notes", "/etc/nexacore/notes"));
	NC_CHECK(norm_is("/etc/./nexacore/./", "/etc/nexacore"));
	NC_CHECK(norm_is("/etc/nexacore/notes/../a.txt", "/etc/nexacore/a.txt"));
	NC_CHECK(norm_is("/a/b/c/../../d", "/a/d"));
	NC_CHECK(norm_is("/a/.../b", "/a/.../b"));
	NC_CHECK(norm_is("/a/..b/.c", "/a/..b/.c"));
	NC_CHECK(norm_is("/\xc3\xa9t\xc3\xa9", "/\xc3\xa9t\xc3\xa9"));
}

NC_TEST(scope_path, normalize_errors)
{
	NC_CHECK_EQ(norm_err(""), NC_SCOPE_ERR_EMPTY);
	NC_CHECK_EQ(norm_err("etc/passwd"), NC_SCOPE_ERR_NOT_ABSOLUTE);
	NC_CHECK_EQ(norm_err("./a"), NC_SCOPE_ERR_NOT_ABSOLUTE);
	NC_CHECK_EQ(norm_err("/.."), NC_SCOPE_ERR_ESCAPES);
	NC_CHECK_EQ(norm_err("/a/../.."), NC_SCOPE_ERR_ESCAPES);
	NC_CHECK_EQ(norm_err("/a/../../b/c/d"), NC_SCOPE_ERR_ESCAPES);
	NC_CHECK_EQ(norm_err("/a\nb"), NC_SCOPE_ERR_BAD_BYTE);
	NC_CHECK_EQ(norm_err("/a\x7f"), NC_SCOPE_ERR_BAD_BYTE);
	char with_nul[] = "/a\0b";
	char out[8];
	NC_CHECK_EQ(nc_scope_normalize(with_nul, 4, out, sizeof out, NULL), NC_SCOPE_ERR_BAD_BYTE);
	NC_CHECK_EQ(out[0], '\0');
}

NC_TEST(scope_path, normalize_capacity)
{
	char out[5];
	size_t n;
	NC_CHECK_EQ(nc_scope_normalize(S("/abc"), out, 5, &n), NC_SCOPE_OK);
	NC_CHECK_EQ(n, 4);
	NC_CHECK_EQ(nc_scope_normalize(S("/abcd"), out, 5, &n), NC_SCOPE_ERR_TOO_LONG);
	NC_CHECK_EQ(n, 0);
	NC_CHECK_EQ(nc_scope_normalize(S("/abcd/.."), out, 5, &n), NC_SCOPE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_scope_normalize(S("/"), out, 1, &n), NC_SCOPE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_scope_normalize(S("/"), out, 2, &n), NC_SCOPE_OK);
	NC_CHECK_STR(out, "/");
}

NC_TEST(scope_path, too_long_input)
{
	static char big[NC_SCOPE_MAX_BYTES + 1];
	static char out[NC_SCOPE_MAX_BYTES + 2];
	nc_mem_set(big, 'a', sizeof big);
	big[0] = '/';
	NC_CHECK_EQ(nc_scope_normalize(big, NC_SCOPE_MAX_BYTES, out, sizeof out, NULL), NC_SCOPE_OK);
	NC_CHECK_EQ(nc_scope_normalize(big, sizeof big, out, sizeof out, NULL), NC_SCOPE_ERR_TOO_LONG);
	NC_CHECK(nc_scope_covers(S("/"), big, NC_SCOPE_MAX_BYTES));
	NC_CHECK(!nc_scope_covers(S("/"), big, sizeof big));
}

NC_TEST(scope_path, covers_issue_examples)
{
	NC_CHECK(nc_scope_covers(S("/etc/nexacore"), S("/etc/nexacore/notes/a.txt")));
	NC_CHECK(nc_scope_covers(S("/etc/nexacore"), S("/etc/nexacore")));
	NC_CHECK(nc_scope_covers(S("/etc/nexacore"), S("/etc/nexacore/")));
	NC_CHECK(!nc_scope_covers(S("/etc/nexacore"), S("/etc/nexacore2")));
	NC_CHECK(!nc_scope_covers(S("/etc/nexacore"), S("/etc/passwd")));
	NC_CHECK(!nc_scope_covers(S("/etc/nexacore"), S("/etc")));
	NC_CHECK(nc_scope_covers(S("/"), S("/etc/passwd")));
	NC_CHECK(nc_scope_covers(S("/"), S("/")));
	NC_CHECK(!nc_scope_covers(S("/etc"), S("/")));
}

NC_TEST(scope_path, covers_after_normalizing)
{
	NC_CHECK(!nc_scope_covers(S("/etc/nexacore"), S("/etc/nexacore/../passwd")));
	NC_CHECK(nc_scope_covers(S("/etc/nexacore"), S("/etc/x/../nexacore/./notes//a")));
	NC_CHECK(nc_scope_covers(S("/etc/./nexacore/"), S("/etc/nexacore/a")));
	NC_CHECK(nc_scope_covers(S("/etc/nexacore/notes/.."), S("/etc/nexacore/a")));
	NC_CHECK(!nc_scope_covers(S("/etc/nexacore/notes/.."), S("/etc/nexacore2")));
	NC_CHECK(nc_scope_covers(S("/a/b/../../c"), S("/c/d/e/../f")));
	NC_CHECK(!nc_scope_covers(S("/a/b"), S("/a/bc/../b2")));
}

NC_TEST(scope_path, covers_false_on_errors)
{
	NC_CHECK(!nc_scope_covers(S("/"), S("/..")));
	NC_CHECK(!nc_scope_covers(S("/"), S("/a/../../etc/passwd")));
	NC_CHECK(!nc_scope_covers(S("/.."), S("/")));
	NC_CHECK(!nc_scope_covers(S("/etc"), S("etc/passwd")));
	NC_CHECK(!nc_scope_covers(S("etc"), S("etc")));
	NC_CHECK(!nc_scope_covers(S("/"), "", 0));
	NC_CHECK(!nc_scope_covers("", 0, S("/")));
	NC_CHECK(!nc_scope_covers(S("/etc"), S("/etc/a\tb")));
}

/* Two independent algorithms must agree: nc_scope_covers walks components from
 * the right with no buffer; nc_scope_normalize builds the path left to right. */

static size_t random_path(uint64_t *rng, char *p)
{
	static const char *const parts[] = { "a", "b", "ab", ".", "..", "", "a.", "..." };
	size_t n = 0, k = 1 + nc_test_random(rng) % 6;
	for (size_t i = 0; i < k; i++) {
		const char *s = parts[nc_test_random(rng) % 8];
		p[n++] = '/';
		while (*s)
			p[n++] = *s++;
	}
	return n;
}

static bool covers_by_normalizing(const char *s, size_t sl, const char *p, size_t pl)
{
	char ns[64], np[64];
	size_t a, b;
	if (nc_scope_normalize(s, sl, ns, sizeof ns, &a) != NC_SCOPE_OK ||
	    nc_scope_normalize(p, pl, np, sizeof np, &b) != NC_SCOPE_OK)
		return false;
	if (a == 1)
		return true;
	return b >= a && nc_mem_compare(ns, np, a) == 0 && (b == a || np[a] == '/');
}

NC_TEST(scope_path, covers_agrees_with_normalize)
{
	uint64_t rng = 0x9e3779b9u;
	char s[64], p[64];
	size_t agree_true = 0;
	for (int i = 0; i < 20000; i++) {
		size_t sl = random_path(&rng, s), pl = random_path(&rng, p);
		bool want = covers_by_normalizing(s, sl, p, pl);
		NC_CHECK_EQ(nc_scope_covers(s, sl, p, pl), want);
		agree_true += want;
	}
	NC_CHECK(agree_true > 100);
}
