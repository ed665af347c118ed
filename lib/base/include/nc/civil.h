/* Calendar dates (proleptic Gregorian, UTC) from seconds since 1970-01-01, for showing file
 * times. Valid for every uint64_t second count the result's year field holds. */
#ifndef NC_CIVIL_H
#define NC_CIVIL_H

#include <stdint.h>

typedef struct {
	int64_t year;
	uint32_t month, day;          /* 1..12, 1..31 */
	uint32_t hour, minute, second;
} nc_civil_t;

nc_civil_t nc_civil_from_unix(uint64_t seconds);

#endif
