/* TCP initial sequence numbers after RFC 6528 (docs/network.md):
 * ISN = M + F(local address, local port, remote address, remote port, key),
 * M the 4-microsecond clock and F the first 32 bits of a BLAKE3 keyed hash.
 * The network service draws the key from the kernel's CSPRNG at start
 * (isn_hook.c); this file is the pure computation, testable on the host. */
#ifndef NC_NETSVC_ISN_H
#define NC_NETSVC_ISN_H

#include <stddef.h>
#include <stdint.h>

#define NET_ISN_KEY_BYTES 32u
#define NET_ISN_TICK_NS 4000u            /* M advances once every 4 microseconds */

/* One side of a connection: an IPv4 (addr_len 4) or IPv6 (addr_len 16)
 * address in network byte order and a port in host order. */
typedef struct {
	const uint8_t *addr;
	size_t addr_len;
	uint16_t port;
} net_isn_end_t;

/* The ISN for a connection from `local` to `remote` at `clock_ns` (the
 * system clock). Equal inputs give equal values; addr_len other than 4 or
 * 16 is hashed as given (both ends' lengths are part of the input). */
uint32_t net_isn_compute(const uint8_t key[NET_ISN_KEY_BYTES], const net_isn_end_t *local,
                         const net_isn_end_t *remote, uint64_t clock_ns);

#endif
