/* Float text against the libc oracle: parsing agrees with strtod (glibc rounds
 * correctly), and formatting gives the shortest digit string that strtod reads
 * back to the same bits (checked against printf's %.{p}e at every precision). */
#include "nc_test.h"
#include <nc/ncs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static double from_bits(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t next(void) { return nc_test_random(&rng); }

/* Number of significant digits in the shortest round-trip %e form. */
static int shortest_len(double d)
{
	char buf[64];
	for (int p = 0; p < 17; p++) {
		snprintf(buf, sizeof buf, "%.*e", p, d);
		if (bits(strtod(buf, NULL)) == bits(d))
			return p + 1;
	}
	return 17;
}

static int digit_count(const char *s)
{
	int n = 0, lead = 1, trailing = 0;
	for (; *s && *s != 'e'; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (lead && *s == '0')
			continue;
		lead = 0;
		n++;
		trailing = *s == '0' ? trailing + 1 : 0;
	}
	return n - trailing;
}

NC_TEST(ncs_num_host, format_matches_shortest_strtod)
{
	for (int i = 0; i < 20000; i++) {
		double d = from_bits(next());
		if (d != d || d - d != 0)
			continue;
		char buf[NC_NCS_FLOAT_TEXT_MAX];
		nc_ncs_format_float(d, buf, sizeof buf);
		NC_CHECK_EQ(bits(strtod(buf, NULL)), bits(d));
		if (d != 0)
			NC_CHECK_EQ(digit_count(buf), shortest_len(d));
	}
}

NC_TEST(ncs_num_host, parse_matches_strtod)
{
	char buf[128];
	for (int i = 0; i < 20000; i++) {
		/* random decimal strings: up to 25 digits, exponent -340..340 */
		int nd = 1 + (int)(next() % 25), o = 0;
		for (int j = 0; j < nd; j++) {
			buf[o++] = (char)('0' + next() % 10);
			if (j == 0 && nd > 1 && next() % 2)
				buf[o++] = '.';
		}
		o += snprintf(buf + o, sizeof buf - (size_t)o, "e%d", (int)(next() % 681) - 340);
		double want = strtod(buf, NULL), got = -1;
		NC_CHECK(nc_ncs_parse_float(buf, (size_t)o, &got));
		if (bits(got) != bits(want))
			nc_test_note("mismatch on %s", buf);
		NC_CHECK_EQ(bits(got), bits(want));
	}
}

NC_TEST(ncs_num_host, parse_halfway_cases)
{
	/* near-midpoints between neighbours (40 digits of the long double midpoint) */
	char buf[1200];
	for (int i = 0; i < 2000; i++) {
		double d = from_bits(next() & 0x7fefffffffffffffull);
		double up = from_bits(bits(d) + 1);
		long double mid = ((long double)d + (long double)up) / 2;
		int n = snprintf(buf, sizeof buf, "%.40Le", mid);
		double want = strtod(buf, NULL), got;
		NC_CHECK(nc_ncs_parse_float(buf, (size_t)n, &got));
		NC_CHECK_EQ(bits(got), bits(want));
	}
}
