/* lib/inet against an independent parser: glibc's inet_pton(AF_INET), which
 * takes exactly the strict dotted decimal nc_inet_parse_ipv4 promises (four
 * parts, no leading zeros), on a million random texts near the syntax and
 * every address's own text; inet_pton(AF_INET6) and inet_ntop(AF_INET6) for
 * IPv6 text (RFC 4291 2.2 in, RFC 5952 out). */
#include "nc_test.h"
#include <arpa/inet.h>
#include <nc/inet.h>
#include <stdio.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next(void)
{
	return (uint32_t)nc_test_random(&rng);
}

NC_TEST(inet_host, ipv4_matches_inet_pton)
{
	static const char alphabet[] = "0123456789.0125.x -";
	char t[24];
	unsigned agree_ok = 0;
	for (int round = 0; round < 1000000; round++) {
		size_t len = 1 + next() % 18;
		for (size_t i = 0; i < len; i++)
			t[i] = alphabet[next() % (sizeof alphabet - 1)];
		t[len] = 0;
		struct in_addr ref;
		uint32_t ours = 0;
		bool ok_ref = inet_pton(AF_INET, t, &ref) == 1;
		bool ok_ours = nc_inet_parse_ipv4(t, len, &ours) == NC_INET_OK;
		if (ok_ref != ok_ours) {
			nc_test_fail(__FILE__, __LINE__, "acceptance differs from inet_pton", t);
			return;
		}
		if (ok_ref) {
			NC_CHECK_EQ(ours, ntohl(ref.s_addr));
			agree_ok++;
		}
	}
	NC_CHECK(agree_ok > 100);
}

NC_TEST(inet_host, ipv4_text_matches_inet_ntop)
{
	for (int round = 0; round < 100000; round++) {
		uint32_t a = next();
		struct in_addr in = { htonl(a) };
		char ref[INET_ADDRSTRLEN], ours[NC_INET_IPV4_TEXT_MAX + 1];
		NC_CHECK(inet_ntop(AF_INET, &in, ref, sizeof ref) != NULL);
		NC_CHECK_EQ(nc_inet_format_ipv4(a, ours, sizeof ours), strlen(ref));
		NC_CHECK_STR(ours, ref);
	}
}

/* Random texts of IPv6 characters, with and without "::" and an IPv4 tail,
 * against inet_pton(AF_INET6); accepted ones must give the same 16 bytes. */
NC_TEST(inet_host, ipv6_matches_inet_pton)
{
	static const char *const pieces[] = { "0", "1", "ff", "FFFF", "abcd", "00000", "12345", "0db8", ":", ":",
					      ":", "::", "::", ".", "1.2.3.4", "255.0.0.1", "01.2.3.4", "g", "%" };
	char t[64];
	unsigned agree_ok = 0;
	for (int round = 0; round < 1000000; round++) {
		size_t len = 0, parts = 1 + next() % 16;
		for (size_t k = 0; k < parts; k++) {
			const char *p = pieces[next() % (sizeof pieces / sizeof pieces[0])];
			size_t pl = strlen(p);
			if (len + pl >= sizeof t)
				break;
			memcpy(t + len, p, pl);
			len += pl;
		}
		t[len] = 0;
		struct in6_addr ref;
		uint8_t ours[16];
		bool ok_ref = inet_pton(AF_INET6, t, &ref) == 1;
		bool ok_ours = nc_inet_parse_ipv6(t, len, ours) == NC_INET_OK;
		if (ok_ref != ok_ours) {
			nc_test_fail(__FILE__, __LINE__, "acceptance differs from inet_pton", t);
			return;
		}
		if (ok_ref) {
			NC_CHECK(memcmp(ours, &ref, 16) == 0);
			agree_ok++;
		}
	}
	NC_CHECK(agree_ok > 1000);
}

/* Random addresses, most with runs of zero groups and some IPv4-mapped or
 * -compatible, formatted like inet_ntop(AF_INET6), and parsed back. */
NC_TEST(inet_host, ipv6_text_matches_inet_ntop)
{
	for (int round = 0; round < 200000; round++) {
		uint8_t a[16], back[16];
		for (int i = 0; i < 16; i++)
			a[i] = next() % 4 ? 0 : (uint8_t)next();
		if (round % 7 == 0) {
			memset(a, 0, 10);
			a[10] = a[11] = round % 2 ? 0xff : 0;
		}
		char ref[INET6_ADDRSTRLEN], ours[NC_INET_IPV6_TEXT_MAX + 1];
		NC_CHECK(inet_ntop(AF_INET6, a, ref, sizeof ref) != NULL);
		size_t n = nc_inet_format_ipv6(a, ours, sizeof ours);
		NC_CHECK_EQ(n, strlen(ref));
		if (strcmp(ours, ref) != 0) {
			nc_test_fail(__FILE__, __LINE__, "text differs from inet_ntop", ref);
			return;
		}
		NC_CHECK_EQ(nc_inet_parse_ipv6(ours, n, back), NC_INET_OK);
		NC_CHECK(memcmp(a, back, 16) == 0);
	}
}
