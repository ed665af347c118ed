/* lib/scope kinds, validation and the name rule (nc/scope.h). */
#include "nc_test.h"
#include <nc/scope.h>

#define S(x) x, (sizeof(x) - 1)

NC_TEST(scope, err_names)
{
	NC_CHECK_STR(nc_scope_err_name(NC_SCOPE_OK), "NC_SCOPE_OK");
	NC_CHECK_STR(nc_scope_err_name(NC_SCOPE_ERR_ESCAPES), "NC_SCOPE_ERR_ESCAPES");
	NC_CHECK_STR(nc_scope_err_name(NC_SCOPE_ERR_BAD_BYTE), "NC_SCOPE_ERR_BAD_BYTE");
	NC_CHECK_STR(nc_scope_err_name((nc_scope_err_t)77), "NC_SCOPE_ERR_UNKNOWN");
}

NC_TEST(scope, validate)
{
	NC_CHECK_EQ(nc_scope_validate(S("/etc/../x")), NC_SCOPE_OK);
	NC_CHECK_EQ(nc_scope_validate(S("/etc/../..")), NC_SCOPE_ERR_ESCAPES);
	NC_CHECK_EQ(nc_scope_validate(S("llama-3.2-1b-q8")), NC_SCOPE_OK);
	NC_CHECK_EQ(nc_scope_validate(S("example.org:443")), NC_SCOPE_OK);
	NC_CHECK_EQ(nc_scope_validate(S("*")), NC_SCOPE_OK);
	NC_CHECK_EQ(nc_scope_validate("", 0), NC_SCOPE_ERR_EMPTY);
	NC_CHECK_EQ(nc_scope_validate(S("host\r\n:80")), NC_SCOPE_ERR_BAD_BYTE);
	NC_CHECK_EQ(nc_scope_validate(S("a\0b")), NC_SCOPE_ERR_BAD_BYTE);
}

NC_TEST(scope, names_match_exactly)
{
	NC_CHECK(nc_scope_matches(S("example.org:443"), S("example.org:443")));
	NC_CHECK(!nc_scope_matches(S("example.org:443"), S("example.org:4430")));
	NC_CHECK(!nc_scope_matches(S("example.org:443"), S("example.org")));
	NC_CHECK(!nc_scope_matches(S("example.org"), S("example.org:443")));
	NC_CHECK(!nc_scope_matches(S("Example.org:443"), S("example.org:443")));
	NC_CHECK(nc_scope_matches(S("llama-3"), S("llama-3")));
	NC_CHECK(!nc_scope_matches(S("llama-3"), S("llama-3b")));
}

NC_TEST(scope, star_covers_names_not_paths)
{
	NC_CHECK(nc_scope_matches(S("*"), S("example.org:443")));
	NC_CHECK(nc_scope_matches(S("*"), S("*")));
	NC_CHECK(!nc_scope_matches(S("*"), S("/etc")));
	NC_CHECK(!nc_scope_matches(S("example.org:443"), S("*")));
	NC_CHECK(!nc_scope_matches(S("a*"), S("ab")));
}

NC_TEST(scope, kinds_never_mix)
{
	NC_CHECK(nc_scope_matches(S("/etc/nexacore"), S("/etc/nexacore/a")));
	NC_CHECK(!nc_scope_matches(S("/"), S("example.org:443")));
	NC_CHECK(!nc_scope_matches(S("etc"), S("/etc")));
	NC_CHECK(!nc_scope_matches(S("/etc"), S("/etc/../..")));
	NC_CHECK(!nc_scope_matches(S("*"), "", 0));
	NC_CHECK(!nc_scope_matches(S("a\nb"), S("a\nb")));
}
