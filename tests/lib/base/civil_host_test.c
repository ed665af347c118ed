/* nc_civil_from_unix against the C library's gmtime_r (an independent implementation): the
 * epoch, leap days, century rules (1900, 2000, 2100), 2038 and random seconds up to year 9999. */
#define _GNU_SOURCE
#include "nc_test.h"
#include <nc/civil.h>
#include <time.h>

static bool agrees(uint64_t s)
{
	time_t t = (time_t)s;
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return false;
	nc_civil_t c = nc_civil_from_unix(s);
	return c.year == (int64_t)tm.tm_year + 1900 && c.month == (uint32_t)tm.tm_mon + 1 &&
	       c.day == (uint32_t)tm.tm_mday && c.hour == (uint32_t)tm.tm_hour &&
	       c.minute == (uint32_t)tm.tm_min && c.second == (uint32_t)tm.tm_sec;
}

NC_TEST(civil, known_dates)
{
	nc_civil_t c = nc_civil_from_unix(0);
	NC_CHECK(c.year == 1970 && c.month == 1 && c.day == 1 && c.hour == 0);
	c = nc_civil_from_unix(951782400); /* 2000-02-29 */
	NC_CHECK(c.year == 2000 && c.month == 2 && c.day == 29);
	c = nc_civil_from_unix(4107542399u); /* 2100-02-28 23:59:59, no 29th */
	NC_CHECK(c.year == 2100 && c.month == 2 && c.day == 28 && c.hour == 23 && c.minute == 59 && c.second == 59);
	c = nc_civil_from_unix(4107542400u);
	NC_CHECK(c.year == 2100 && c.month == 3 && c.day == 1);
	c = nc_civil_from_unix(2147483648u); /* 2038-01-19 03:14:08 */
	NC_CHECK(c.year == 2038 && c.month == 1 && c.day == 19 && c.hour == 3 && c.minute == 14 && c.second == 8);
}

NC_TEST(civil, agrees_with_gmtime)
{
	uint64_t rng = 88172645463325252u;
	for (uint64_t d = 0; d < 3000; d++) /* every day boundary of the first eight years, and the seconds around it */
		NC_CHECK(agrees(d * 86400u) && agrees(d * 86400u + 86399u));
	for (int i = 0; i < 200000; i++)
		NC_CHECK(agrees(nc_test_random(&rng) % 253402300800u)); /* up to 9999-12-31 */
}
