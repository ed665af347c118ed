/* Symbol lookup over the table kernel/ksyms.py generates from `nm` in the
 * second link pass: offsets from __kernel_start, ascending, with their names.
 * The offsets hold wherever the loader put the image (KASLR): the lookup
 * measures from where __kernel_start is now. */
#include <kernel/ksyms.h>

extern const uint64_t ksyms_count;
extern const uint32_t ksyms_offsets[];
extern const int32_t ksyms_names[]; /* each from ksyms_names itself */
extern char __kernel_start[], __kernel_end[];

bool ksyms_lookup(uint64_t addr, const char **name, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;
	if (addr < (uint64_t)__kernel_start || addr >= (uint64_t)__kernel_end)
		return false;
	uint64_t off = addr - (uint64_t)__kernel_start;
	if (hi == 0 || off < ksyms_offsets[0])
		return false;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksyms_offsets[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*name = (const char *)ksyms_names + ksyms_names[lo];
	*offset = off - ksyms_offsets[lo];
	return true;
}
