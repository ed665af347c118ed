/* lwIP's TCP ISN hook (net_hooks.h): RFC 6528 sequence numbers (isn.h) with
 * a key drawn from the kernel's CSPRNG once at start and the system clock. */
#include <nc/ulib.h>
#include "netsvc.h"
#include "isn.h"
#include "net_hooks.h"

static uint8_t isn_key[NET_ISN_KEY_BYTES];

nc_sys_err_t net_isn_init(void)
{
	return nc_sys_random(isn_key, sizeof isn_key);
}

static net_isn_end_t isn_end(const ip_addr_t *ip, u16_t port)
{
	if (IP_IS_V6(ip))
		return (net_isn_end_t){(const uint8_t *)ip_2_ip6(ip)->addr, 16, port};
	return (net_isn_end_t){(const uint8_t *)&ip_2_ip4(ip)->addr, 4, port};
}

u32_t net_lwip_tcp_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip,
                       u16_t remote_port)
{
	uint64_t now = 0;
	nc_sys_clock_get(&now);
	net_isn_end_t local = isn_end(local_ip, local_port), remote = isn_end(remote_ip, remote_port);
	return net_isn_compute(isn_key, &local, &remote, now);
}
