/* User-space lock: atomic exchange; a contended acquire yields the CPU so the
 * holder can run even on a single CPU. */
#include <nc/ulib.h>

void nc_lock_acquire(nc_lock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		nc_sys_yield();
}

void nc_lock_release(nc_lock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
