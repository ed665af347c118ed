/* lib/inet against an independent parser: glibc's inet_pton(AF_INET), which
 * takes exactly the strict dotted decimal nc_inet_parse_ipv4 promises (four
 * parts, no leading zeros), on a million random texts near the syntax and
 * every address's own text. */
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
