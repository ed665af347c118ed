/* Joining TCP/IPv4 segments into large frames (tso.h). Offsets: Ethernet
 * header 14 bytes; IPv4 header 20 (no options); TCP header from 34. */
#include <nc/mem.h>
#include "tso.h"

enum {
	ETH = 14, IP = ETH, TCP = ETH + 20,
	IP_LEN = IP + 2, IP_ID = IP + 4, IP_FRAG = IP + 6, IP_CSUM = IP + 10, IP_SRC = IP + 12,
	TCP_SEQ = TCP + 4, TCP_ACK = TCP + 8, TCP_OFF = TCP + 12, TCP_FLAGS = TCP + 13, TCP_WND = TCP + 14,
	TCP_CSUM = TCP + 16, TCP_URG = TCP + 18,
	F_PSH = 0x08, F_ACK = 0x10,
};

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return be16(p) << 16 | be16(p + 2);
}

/* Header bytes of a mergeable segment, 0 when it is not one. */
static size_t header_len(const uint8_t *f, size_t len)
{
	if (len < TCP + 20 || be16(f + 12) != 0x0800 || f[IP] != 0x45 || f[IP + 9] != 6 ||
	    (be16(f + IP_FRAG) & 0x3fff) || be16(f + IP_LEN) != len - ETH)
		return 0;
	size_t hdr = TCP + (size_t)(f[TCP_OFF] >> 4) * 4;
	if (hdr < TCP + 20 || hdr >= len || (f[TCP_FLAGS] & ~F_PSH) != F_ACK || be16(f + TCP_URG))
		return 0;
	return hdr;
}

bool net_tso_can_start(const uint8_t *frame, size_t len)
{
	return header_len(frame, len) != 0 && len - header_len(frame, len) <= NC_NETDEV_FRAME_MAX;
}

void net_tso_start(net_tso_t *t, const uint8_t *frame, size_t len)
{
	t->hdr = header_len(frame, len);
	nc_mem_copy(t->frame, frame, len);
	t->len = len;
	t->mss = t->last = (uint16_t)(len - t->hdr);
	t->next_seq = be32(frame + TCP_SEQ) + t->mss;
	t->segments = 1;
}

/* Whether the headers of a and b agree but for the fields each segment has
 * its own of: IP length, identification, checksum; TCP sequence number,
 * checksum, PSH. */
static bool same_connection(const uint8_t *a, const uint8_t *b, size_t hdr)
{
	return nc_mem_compare(a, b, IP_LEN) == 0 && nc_mem_compare(a + IP_FRAG, b + IP_FRAG, IP_CSUM - IP_FRAG) == 0 &&
	       nc_mem_compare(a + IP_SRC, b + IP_SRC, TCP_SEQ - IP_SRC) == 0 &&
	       nc_mem_compare(a + TCP_ACK, b + TCP_ACK, TCP_FLAGS - TCP_ACK) == 0 &&
	       (a[TCP_FLAGS] & ~F_PSH) == (b[TCP_FLAGS] & ~F_PSH) &&
	       nc_mem_compare(a + TCP_WND, b + TCP_WND, TCP_CSUM - TCP_WND) == 0 &&
	       nc_mem_compare(a + TCP_URG, b + TCP_URG, hdr - TCP_URG) == 0;
}

bool net_tso_append(net_tso_t *t, const uint8_t *frame, size_t len)
{
	if (!t->len || header_len(frame, len) != t->hdr || t->last != t->mss)
		return false;
	size_t payload = len - t->hdr;
	if (payload > t->mss || t->len + payload > NET_TSO_FRAME_MAX || be32(frame + TCP_SEQ) != t->next_seq ||
	    !same_connection(t->frame, frame, t->hdr))
		return false;
	nc_mem_copy(t->frame + t->len, frame + t->hdr, payload);
	t->len += payload;
	t->frame[TCP_FLAGS] |= frame[TCP_FLAGS] & F_PSH;
	t->last = (uint16_t)payload;
	t->next_seq += (uint32_t)payload;
	t->segments++;
	return true;
}

size_t net_tso_take(net_tso_t *t, uint16_t *mss)
{
	size_t len = t->len;
	*mss = 0;
	if (t->segments > 1) {
		*mss = t->mss;
		t->frame[IP_LEN] = (uint8_t)((len - ETH) >> 8);
		t->frame[IP_LEN + 1] = (uint8_t)(len - ETH);
	}
	t->len = 0;
	t->segments = 0;
	return len;
}
