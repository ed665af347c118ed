/* Float text: shortest round-trip formatting and correctly rounded parsing.
 * Vectors are hand-derived IEEE-754 binary64 facts (bit patterns written out). */
#include "ncs_test_support.h"
#include <nc/mem.h>

static uint64_t bits(double d) { uint64_t u; nc_mem_copy(&u, &d, 8); return u; }
static double from_bits(uint64_t u) { double d; nc_mem_copy(&d, &u, 8); return d; }

static const char *fmt(double d)
{
	static char buf[NC_NCS_FLOAT_TEXT_MAX];
	nc_ncs_format_float(d, buf, sizeof buf);
	return buf;
}

static uint64_t parse_bits(const char *s)
{
	double d = -1.0;
	if (!nc_ncs_parse_float(s, nc_str_len(s), &d))
		return 0xdeadull;
	return bits(d);
}

NC_TEST(ncs_num, format_simple)
{
	NC_CHECK_STR(fmt(1.5), "1.5");
	NC_CHECK_STR(fmt(3.0), "3.0");
	NC_CHECK_STR(fmt(-0.25), "-0.25");
	NC_CHECK_STR(fmt(0.0), "0.0");
	NC_CHECK_STR(fmt(-0.0), "-0.0");
	NC_CHECK_STR(fmt(100.0), "100.0");
	NC_CHECK_STR(fmt(123456.789), "123456.789");
}

NC_TEST(ncs_num, format_shortest)
{
	NC_CHECK_STR(fmt(0.1), "0.1");
	NC_CHECK_STR(fmt(from_bits(0x3fd3333333333334ull)), "0.30000000000000004"); /* 0.1 + 0.2 */
	NC_CHECK_STR(fmt(1.0 / 3.0), "0.3333333333333333");
	NC_CHECK_STR(fmt(2.0 / 3.0), "0.6666666666666666");
	NC_CHECK_STR(fmt(from_bits(0x3ff0000000000001ull)), "1.0000000000000002"); /* 1 + ulp */
	NC_CHECK_STR(fmt(from_bits(0x7fefffffffffffffull)), "1.7976931348623157e308"); /* max */
	NC_CHECK_STR(fmt(from_bits(0x0000000000000001ull)), "5e-324");                 /* min subnormal */
	NC_CHECK_STR(fmt(from_bits(0x0010000000000000ull)), "2.2250738585072014e-308"); /* min normal */
	NC_CHECK_STR(fmt(9007199254740992.0), "9007199254740992.0"); /* 2^53 */
}

NC_TEST(ncs_num, format_exponent_ranges)
{
	NC_CHECK_STR(fmt(1e20), "100000000000000000000.0");
	NC_CHECK_STR(fmt(1e21), "1e21");
	NC_CHECK_STR(fmt(1.5e300), "1.5e300");
	NC_CHECK_STR(fmt(0.0001), "0.0001");
	NC_CHECK_STR(fmt(0.00001), "0.00001");
	NC_CHECK_STR(fmt(0.000001), "1e-6");
	NC_CHECK_STR(fmt(-2.5e-10), "-2.5e-10");
}

NC_TEST(ncs_num, format_specials)
{
	NC_CHECK_STR(fmt(from_bits(0x7ff0000000000000ull)), "inf");
	NC_CHECK_STR(fmt(from_bits(0xfff0000000000000ull)), "-inf");
	NC_CHECK_STR(fmt(from_bits(0x7ff8000000000000ull)), "NaN");
	char small[4];
	NC_CHECK_EQ(nc_ncs_format_float(123.5, small, sizeof small), 5);
	NC_CHECK_STR(small, "123");
}

NC_TEST(ncs_num, parse_exact)
{
	NC_CHECK_EQ(parse_bits("1"), 0x3ff0000000000000ull);
	NC_CHECK_EQ(parse_bits("0.5"), 0x3fe0000000000000ull);
	NC_CHECK_EQ(parse_bits("0.1"), 0x3fb999999999999aull);
	NC_CHECK_EQ(parse_bits("0.3"), 0x3fd3333333333333ull);
	NC_CHECK_EQ(parse_bits("1e23"), 0x44b52d02c7e14af6ull);
	NC_CHECK_EQ(parse_bits("9007199254740993"), 0x4340000000000000ull); /* tie -> even: 2^53 */
	NC_CHECK_EQ(parse_bits("9007199254740995"), 0x4340000000000002ull); /* tie -> even: up */
	NC_CHECK_EQ(parse_bits("1.7976931348623157e308"), 0x7fefffffffffffffull);
	NC_CHECK_EQ(parse_bits("1.7976931348623159e308"), 0x7ff0000000000000ull); /* rounds to inf */
	NC_CHECK_EQ(parse_bits("2.2250738585072014e-308"), 0x0010000000000000ull);
	NC_CHECK_EQ(parse_bits("4.9406564584124654e-324"), 0x0000000000000001ull);
	NC_CHECK_EQ(parse_bits("2.4703282292062328e-324"), 0x0000000000000001ull); /* just above half */
	NC_CHECK_EQ(parse_bits("2.4703282292062327e-324"), 0x0000000000000000ull); /* below half */
	NC_CHECK_EQ(parse_bits("1e-400"), 0ull);
	NC_CHECK_EQ(parse_bits("1e400"), 0x7ff0000000000000ull);
	NC_CHECK_EQ(parse_bits("000123.4500e+2"), bits(12345.0));
	NC_CHECK_EQ(parse_bits("0"), 0ull);
}

NC_TEST(ncs_num, parse_rejects)
{
	double d;
	NC_CHECK(!nc_ncs_parse_float("", 0, &d));
	NC_CHECK(!nc_ncs_parse_float(".5", 2, &d));
	NC_CHECK(!nc_ncs_parse_float("5.", 2, &d));
	NC_CHECK(!nc_ncs_parse_float("1e", 2, &d));
	NC_CHECK(!nc_ncs_parse_float("1x", 2, &d));
	NC_CHECK(!nc_ncs_parse_float("-1", 2, &d));
	NC_CHECK(!nc_ncs_parse_float("1.2.3", 5, &d));
}

NC_TEST(ncs_num, round_trip_sweep)
{
	/* format then parse gives back the same bits, over a deterministic sweep */
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < 3000; i++) {
		uint64_t b = nc_test_random(&x);
		if (((b >> 52) & 0x7ff) == 0x7ff)
			continue;
		char buf[NC_NCS_FLOAT_TEXT_MAX];
		size_t n = nc_ncs_format_float(from_bits(b), buf, sizeof buf);
		const char *p = buf;
		bool neg = *p == '-';
		double d;
		NC_CHECK(nc_ncs_parse_float(p + neg, n - neg, &d));
		NC_CHECK_EQ(bits(neg ? -d : d), b);
	}
}
