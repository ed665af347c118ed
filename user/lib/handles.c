/* Handles a program holds (see nc/ulib.h): finding one by type and rights.
 * (Capabilities by action and scope: caps.c, which needs lib/cap.) */
#include <nc/ulib.h>

static nc_sys_handle_info_t held[NC_SYS_HANDLES_MAX];
static nc_lock_t lock;

uint64_t nc_handle_find(uint64_t type, uint32_t rights_all, uint32_t rights_none)
{
	uint64_t n, found = 0;
	nc_lock_acquire(&lock);
	if (!nc_sys_handle_list(0, held, NC_SYS_HANDLES_MAX, &n))
		for (uint64_t i = 0; i < n && i < NC_SYS_HANDLES_MAX && !found; i++)
			if (held[i].type == type && (held[i].rights & rights_all) == rights_all &&
			    !(held[i].rights & rights_none))
				found = held[i].handle;
	nc_lock_release(&lock);
	return found;
}
