/* The embedded symbol table names kernel functions (for backtraces). */
#include "nc_test.h"
#include <kernel/ksyms.h>
#include <kernel/pmm.h>

NC_TEST(ksyms, names_kernel_functions)
{
	const char *name;
	uint64_t off;
	/* not an allocator: the test kernel wraps those (tests/kernel/alloc_fail.h) */
	NC_CHECK(ksyms_lookup((uint64_t)pmm_stats + 3, &name, &off));
	NC_CHECK_STR(name, "pmm_stats");
	NC_CHECK_EQ(off, 3);
	NC_CHECK(ksyms_lookup((uint64_t)ksyms_lookup, &name, &off));
	NC_CHECK_STR(name, "ksyms_lookup");
	NC_CHECK_EQ(off, 0);
	NC_CHECK(!ksyms_lookup(0x1000, &name, &off));
}
