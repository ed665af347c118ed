/* The CMOS real-time clock (MC146818A data sheet: index port 0x70, data
 * 0x71; registers 0 seconds, 2 minutes, 4 hours, 7 day, 8 month, 9 year;
 * status A bit 7 "update in progress", status B bit 2 binary (else BCD) and
 * bit 1 24-hour mode). Read twice until two reads agree, so an update in
 * between is not mixed in. Years are taken as 20xx. */
#include <kernel/arch.h>
#include "io.h"

enum { IDX = 0x70, DATA = 0x71, ST_A = 0x0a, ST_B = 0x0b, UIP = 0x80, BINARY = 4, H24 = 2, PM = 0x80 };

static uint8_t rd(uint8_t reg)
{
	io_out8(IDX, reg);
	return io_in8(DATA);
}

static void snapshot(uint8_t v[6])
{
	static const uint8_t regs[6] = { 0, 2, 4, 7, 8, 9 };
	while (rd(ST_A) & UIP)
		;
	for (int i = 0; i < 6; i++)
		v[i] = rd(regs[i]);
}

static uint32_t bcd(uint8_t v, bool binary) { return binary ? v : (v >> 4) * 10u + (v & 15); }

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, uint32_t m, uint32_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	uint32_t yoe = (uint32_t)(y - era * 400);
	uint32_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

uint64_t arch_rtc_epoch_s(void)
{
	uint8_t a[6], b[6];
	snapshot(a);
	do {
		for (int i = 0; i < 6; i++)
			b[i] = a[i];
		snapshot(a);
	} while (a[0] != b[0] || a[1] != b[1] || a[2] != b[2] || a[3] != b[3] || a[4] != b[4] || a[5] != b[5]);
	uint8_t st = rd(ST_B);
	bool binary = st & BINARY;
	uint32_t hour = bcd(a[2] & 0x7f, binary);
	if (!(st & H24) && (a[2] & PM))
		hour = (hour % 12) + 12;
	int64_t days = days_from_civil(2000 + bcd(a[5], binary), bcd(a[4], binary), bcd(a[3], binary));
	return (uint64_t)(days * 86400 + hour * 3600 + bcd(a[1], binary) * 60 + bcd(a[0], binary));
}
