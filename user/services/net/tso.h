/* Large frames for TCP segmentation offload (nc/netdev.h's
 * NC_NETDEV_OFFLOAD_TSO4, docs/network.md): lwIP cuts a connection's data
 * into MSS-sized segments; for a driver whose device segments by itself,
 * the service joins consecutive segments of one TCP/IPv4 connection that
 * lwIP sends in a row back into one large frame, which the device cuts
 * into the same segments again. The driver and the device then handle one
 * frame where they would have handled dozens.
 *
 * Segments join when they continue the pending frame exactly: the same
 * Ethernet and IP addresses, IP header fields and TCP ports, ACK number,
 * window, header length and options; the sequence number where the pending
 * data ends; flags ACK and at most PSH (PSH carries over to the large
 * frame); no IP options or fragments; every segment before it carried mss
 * bytes (the first segment's payload) and it carries at most that. Pure
 * byte work: no lwIP, no system calls. */
#ifndef NETSVC_TSO_H
#define NETSVC_TSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/netdev.h>

/* The largest frame made: half the largest TCP window without scaling
 * (65535, what QEMU's user networking offers), so that a second frame can
 * be on its way while the first is acknowledged. */
enum { NET_TSO_FRAME_MAX = 32768 };

typedef struct {
	uint8_t frame[NET_TSO_FRAME_MAX];
	size_t len;                      /* 0: nothing pending */
	size_t hdr;                      /* Ethernet, IP and TCP header bytes */
	uint16_t mss;                    /* the first segment's payload */
	uint16_t last;                   /* the last segment's payload */
	uint32_t next_seq;               /* the sequence number after the pending data */
	uint32_t segments;
} net_tso_t;

/* Whether frame[0..len) is a segment that may start a large frame (TCP over
 * IPv4 without IP options, ACK and at most PSH set, some payload). */
bool net_tso_can_start(const uint8_t *frame, size_t len);
/* Make frame[0..len) (net_tso_can_start) the pending frame of t. */
void net_tso_start(net_tso_t *t, const uint8_t *frame, size_t len);
/* Append frame[0..len) to t's pending frame when it continues it (see
 * above) and fits in NET_TSO_FRAME_MAX; false (t unchanged) otherwise. */
bool net_tso_append(net_tso_t *t, const uint8_t *frame, size_t len);
/* Take t's pending frame (t->frame[0..returned length)), with its IPv4 total
 * length set for all its bytes; *mss: 0 for a single segment (an ordinary
 * frame, left as lwIP made it), else the segment size for the device (the
 * large frame's checksums are still the first segment's: the device
 * computes each segment's). t is empty afterwards; 0 when nothing was
 * pending. */
size_t net_tso_take(net_tso_t *t, uint16_t *mss);

#endif
