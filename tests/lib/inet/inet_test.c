/* lib/inet: endpoint text parsing and its canonical form (nc/inet.h). */
#include "nc_test.h"
#include <nc/inet.h>
#include <nc/mem.h>

#define S(x) x, (sizeof(x) - 1)

/* Parse text and compare the canonical form with want ("" when it must fail with err). */
static bool endpoint_is(const char *text, size_t len, nc_inet_err_t err, const char *want)
{
	nc_inet_endpoint_t e;
	char out[NC_INET_ENDPOINT_MAX + 1];
	nc_inet_err_t got = nc_inet_parse_endpoint(text, len, &e);
	if (got != err)
		return false;
	if (err)
		return true;
	size_t n = nc_inet_format_endpoint(&e, out, sizeof out);
	return n == nc_str_len(want) && nc_mem_compare(out, want, n) == 0;
}

NC_TEST(inet, err_names)
{
	NC_CHECK_STR(nc_inet_err_name(NC_INET_OK), "NC_INET_OK");
	NC_CHECK_STR(nc_inet_err_name(NC_INET_ERR_PORT), "NC_INET_ERR_PORT");
	NC_CHECK_STR(nc_inet_err_name((nc_inet_err_t)9), "NC_INET_ERR_UNKNOWN");
}

NC_TEST(inet, ipv4_strict)
{
	uint32_t a = 0;
	NC_CHECK_EQ(nc_inet_parse_ipv4(S("10.0.2.2"), &a), NC_INET_OK);
	NC_CHECK_EQ(a, 0x0a000202);
	NC_CHECK_EQ(nc_inet_parse_ipv4(S("255.255.255.255"), &a), NC_INET_OK);
	NC_CHECK_EQ(a, 0xffffffffu);
	NC_CHECK_EQ(nc_inet_parse_ipv4(S("0.0.0.0"), &a), NC_INET_OK);
	NC_CHECK_EQ(a, 0);
	static const char *const bad[] = { "10.2", "10.0.2", "10.0.2.2.1", "010.0.2.2", "10.0.2.256", "0x0a.0.2.2",
					   "10..2.2", ".10.0.2", "10.0.2.", "1 0.0.2.2", "10.0.2.-1", "", "4294967295",
					   "10.0.2.2 ", "00.0.0.0" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		NC_CHECK_EQ(nc_inet_parse_ipv4(bad[i], nc_str_len(bad[i]), &a), NC_INET_ERR_SYNTAX);
}

NC_TEST(inet, endpoints_canonical)
{
	NC_CHECK(endpoint_is(S("10.0.2.2:8080"), NC_INET_OK, "10.0.2.2:8080"));
	NC_CHECK(endpoint_is(S("Example.ORG.:443"), NC_INET_OK, "example.org:443"));
	NC_CHECK(endpoint_is(S("localhost:0"), NC_INET_OK, "localhost:0"));
	NC_CHECK(endpoint_is(S("a-b.c9:65535"), NC_INET_OK, "a-b.c9:65535"));
	NC_CHECK(endpoint_is(S("3com.net:1"), NC_INET_OK, "3com.net:1"));
	NC_CHECK(endpoint_is(S("10.0.2.2:65536"), NC_INET_ERR_PORT, ""));
	NC_CHECK(endpoint_is(S("10.0.2.2:080"), NC_INET_ERR_PORT, ""));
	NC_CHECK(endpoint_is(S("10.0.2.2:"), NC_INET_ERR_PORT, ""));
	NC_CHECK(endpoint_is(S("10.0.2.2:8a"), NC_INET_ERR_PORT, ""));
	NC_CHECK(endpoint_is(S("10.0.2.2"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S(":80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("*:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("10.2:80"), NC_INET_ERR_SYNTAX, ""));   /* all-digit last label */
	NC_CHECK(endpoint_is(S("-a.b:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("a-.b:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("a..b:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("a.b..:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S(".:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("a_b:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("a:b:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("a b:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("a\0b:80"), NC_INET_ERR_SYNTAX, ""));
}

NC_TEST(inet, name_lengths)
{
	char t[300];
	/* a 63-byte label is the longest */
	nc_mem_set(t, 'a', 64);
	nc_mem_copy(t + 63, ":1", 2);
	nc_inet_endpoint_t e;
	NC_CHECK_EQ(nc_inet_parse_endpoint(t, 65, &e), NC_INET_OK);
	NC_CHECK_EQ(e.host_len, 63);
	nc_mem_set(t, 'a', 64);
	nc_mem_copy(t + 64, ":1", 2);
	NC_CHECK_EQ(nc_inet_parse_endpoint(t, 66, &e), NC_INET_ERR_SYNTAX);
	/* 253 bytes of name (labels of 50 and dots) is the longest; a trailing dot is allowed beyond */
	size_t n = 0;
	while (n < 253) {
		size_t k = 253 - n < 50 ? 253 - n : 50;
		nc_mem_set(t + n, 'b', k);
		n += k;
		if (n < 253)
			t[n++] = '.';
	}
	NC_CHECK_EQ(nc_inet_parse_host(t, 253, &e), NC_INET_OK);
	NC_CHECK_EQ(e.host_len, 253);
	t[253] = '.';
	NC_CHECK_EQ(nc_inet_parse_host(t, 254, &e), NC_INET_OK);
	NC_CHECK_EQ(e.host_len, 253);
	t[253] = 'c';
	NC_CHECK_EQ(nc_inet_parse_host(t, 254, &e), NC_INET_ERR_TOO_LONG);
	nc_mem_copy(t + 253, ":80", 3);
	char out[NC_INET_ENDPOINT_MAX + 1];
	NC_CHECK_EQ(nc_inet_parse_endpoint(t, 256, &e), NC_INET_OK);
	NC_CHECK_EQ(nc_inet_format_endpoint(&e, out, sizeof out), 256);
	NC_CHECK_EQ(nc_inet_format_endpoint(&e, out, 256), 0);
	NC_CHECK_EQ(nc_inet_parse_endpoint(t, 300, &e), NC_INET_ERR_TOO_LONG);
}

NC_TEST(inet, canonical_is_a_fixed_point)
{
	/* every accepted text of a small alphabet formats to a text that parses to itself */
	static const char alphabet[] = "a1-.:0A9";
	char t[6], out[NC_INET_ENDPOINT_MAX + 1], again[NC_INET_ENDPOINT_MAX + 1];
	size_t n_ok = 0;
	for (uint32_t code = 0; code < 8 * 8 * 8 * 8 * 8 * 8; code++) {
		uint32_t c = code;
		for (int i = 0; i < 6; i++, c /= 8)
			t[i] = alphabet[c % 8];
		nc_inet_endpoint_t e, f;
		if (nc_inet_parse_endpoint(t, 6, &e))
			continue;
		n_ok++;
		size_t n = nc_inet_format_endpoint(&e, out, sizeof out);
		NC_CHECK(n > 0);
		NC_CHECK_EQ(nc_inet_parse_endpoint(out, n, &f), NC_INET_OK);
		NC_CHECK_EQ(nc_inet_format_endpoint(&f, again, sizeof again), n);
		NC_CHECK(nc_mem_compare(out, again, n) == 0);
		NC_CHECK_EQ(f.port, e.port);
	}
	NC_CHECK(n_ok > 100);
}

NC_TEST(inet, format)
{
	char out[16];
	NC_CHECK_EQ(nc_inet_format_ipv4(0x7f000001, out, sizeof out), 9);
	NC_CHECK_STR(out, "127.0.0.1");
	NC_CHECK_EQ(nc_inet_format_ipv4(0xffffffffu, out, 15), 0);
	NC_CHECK_EQ(nc_inet_format_port(0, out), 1);
	NC_CHECK_STR(out, "0");
	NC_CHECK_EQ(nc_inet_format_port(65535, out), 5);
	NC_CHECK_STR(out, "65535");
}

NC_TEST(inet, ipv6_endpoints_canonical)
{
	NC_CHECK(endpoint_is(S("[::1]:80"), NC_INET_OK, "[::1]:80"));
	NC_CHECK(endpoint_is(S("[FD77:0:0:0:0:0:0:1]:8080"), NC_INET_OK, "[fd77::1]:8080"));
	NC_CHECK(endpoint_is(S("[2001:db8:0:0:1:0:0:1]:1"), NC_INET_OK, "[2001:db8::1:0:0:1]:1"));
	NC_CHECK(endpoint_is(S("[2001:0db8::0001]:0"), NC_INET_OK, "[2001:db8::1]:0"));
	NC_CHECK(endpoint_is(S("[::ffff:10.0.2.2]:80"), NC_INET_OK, "[::ffff:10.0.2.2]:80"));
	NC_CHECK(endpoint_is(S("[::]:80"), NC_INET_OK, "[::]:80"));
	NC_CHECK(endpoint_is(S("[fe80::1%eth0]:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("::1:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("[::1]80"), NC_INET_ERR_PORT, ""));
	NC_CHECK(endpoint_is(S("[::1]"), NC_INET_ERR_PORT, ""));
	NC_CHECK(endpoint_is(S("[1:2:3:4:5:6:7:8::]:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("[]:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("[10.0.2.2]:80"), NC_INET_ERR_SYNTAX, ""));
	NC_CHECK(endpoint_is(S("[::1]:65536"), NC_INET_ERR_PORT, ""));
	nc_inet_endpoint_t e;
	NC_CHECK_EQ(nc_inet_parse_endpoint(S("[fd77::2]:7"), &e), NC_INET_OK);
	NC_CHECK(e.is_ipv6 && !e.is_ipv4);
	NC_CHECK_EQ(e.ipv6[0], 0xfd);
	NC_CHECK_EQ(e.ipv6[1], 0x77);
	NC_CHECK_EQ(e.ipv6[15], 2);
	NC_CHECK_EQ(e.port, 7);
	NC_CHECK_EQ(nc_inet_parse_endpoint(S("10.0.2.2:7"), &e), NC_INET_OK);
	NC_CHECK(e.is_ipv4 && !e.is_ipv6);
}
