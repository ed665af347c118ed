/* Symbol lookup over the table kernel/ksyms.py generates from `nm` in the
 * second link pass: addresses ascending, with their names. */
#include <kernel/ksyms.h>

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const char *const ksyms_names[];

bool ksyms_lookup(uint64_t addr, const char **name, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;
	if (hi == 0 || addr < ksyms_addrs[0])
		return false;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*name = ksyms_names[lo];
	*offset = addr - ksyms_addrs[lo];
	return true;
}
