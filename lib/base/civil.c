/* Calendar dates from Unix seconds (nc/civil.h): Howard Hinnant's civil_from_days, counting in
 * 400-year eras of 146,097 days from 0000-03-01. */
#include <nc/civil.h>

nc_civil_t nc_civil_from_unix(uint64_t seconds)
{
	uint64_t days = seconds / 86400u, rest = seconds % 86400u;
	uint64_t z = days + 719468u; /* days since 0000-03-01 */
	uint64_t era = z / 146097u, doe = z % 146097u;
	uint64_t yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
	uint64_t doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
	uint64_t mp = (5u * doy + 2u) / 153u;
	uint32_t month = (uint32_t)(mp < 10 ? mp + 3 : mp - 9);
	return (nc_civil_t){ .year = (int64_t)(yoe + era * 400u) + (month <= 2),
			     .month = month,
			     .day = (uint32_t)(doy - (153u * mp + 2u) / 5u + 1u),
			     .hour = (uint32_t)(rest / 3600u),
			     .minute = (uint32_t)(rest / 60u % 60u),
			     .second = (uint32_t)(rest % 60u) };
}
