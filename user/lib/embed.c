/* Adapters for libraries that take an injected allocator and clock (lib/ncs,
 * lib/ai: the lua_Alloc contract), over nc_malloc and ClockGet. */
#include <nc/mem.h>
#include <nc/ulib.h>

void *nc_heap_realloc(void *ud, void *p, size_t old_bytes, size_t new_bytes)
{
	(void)ud;
	if (new_bytes == 0) {
		nc_free(p);
		return NULL;
	}
	void *q = nc_malloc(new_bytes);
	if (q && p) {
		nc_mem_copy(q, p, old_bytes < new_bytes ? old_bytes : new_bytes);
		nc_free(p);
	}
	return q;
}

uint64_t nc_clock_ns(void)
{
	uint64_t ns = 0;
	nc_sys_clock_get(&ns);
	return ns;
}

uint64_t nc_clock_micros(void *ud)
{
	(void)ud;
	return nc_clock_ns() / 1000;
}
