/* lwIP's platform functions for the network service (lwip/arch/cc.h,
 * lwipopts.h): the millisecond clock lwIP's timers run on, randomness for
 * DNS ids and ports (the kernel's CSPRNG through Random; lwIP does not use
 * it for TCP sequence numbers: isn_hook.c makes those), zeroed allocation from the service's heap, and the end of the
 * process when an lwIP assertion fails (the device manager's restart is
 * the recovery; a wrong internal state must not go on). */
#include <nc/mem.h>
#include <nc/ulib.h>
#include "lwip/arch.h"
#include "lwip/sys.h"

u32_t sys_now(void)
{
	uint64_t t = 0;
	nc_sys_clock_get(&t);
	return (u32_t)(t / 1000000u);
}

uint32_t net_lwip_random(void)
{
	uint32_t r = 0;
	(void)nc_sys_random(&r, sizeof r);
	return r;
}

void *net_lwip_malloc(size_t size)
{
	return nc_malloc(size);
}

void net_lwip_free(void *p)
{
	nc_free(p);
}

void *net_lwip_calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	return nc_malloc(count * size); /* nc_malloc zeroes */
}

void net_lwip_assert(const char *msg, const char *file, int line)
{
	nc_print("netsvc: lwIP assertion failed: %s (%s:%d)\n", msg, file, line);
	for (;;)
		nc_sys_exit(70);
}

/* netif.c finds interfaces by name with it. */
int atoi(const char *s);
int atoi(const char *s)
{
	int v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v;
}
