/* A new connection on the address pair of one in TIME_WAIT (RFC 1122
 * 4.2.2.13, as Linux and the BSDs do): a SYN (without ACK) whose sequence
 * number lies beyond what the old connection received ends the TIME_WAIT
 * early, so the SYN reaches the listener. lwIP alone answers such a SYN with
 * an ACK for 2 MSL (2 minutes), and a peer that reuses its port sooner (a
 * loopback client, QEMU's user networking forwarding it) stalls on SYN
 * retransmissions until then. Runs as lwIP's IPv4/IPv6 input hook
 * (lwipopts.h), before lwIP looks at the packet: it never consumes one, it
 * only frees the TIME_WAIT pcb; headers it cannot read are left to lwIP. */
#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "net_hooks.h"
#include "netsvc.h"

enum { IP4_HEAD_MIN = 20, IP6_HEAD = 40, TCP_HEAD = 20, PROTO_TCP = 6 };

static uint32_t be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* The TIME_WAIT pcb of src -> dst ports, ended when the TCP header at tcp is a SYN beyond its receive point. */
static void end_timewait(const ip_addr_t *src, const ip_addr_t *dst, const uint8_t tcp[TCP_HEAD])
{
	uint16_t sport = (uint16_t)(tcp[0] << 8 | tcp[1]), dport = (uint16_t)(tcp[2] << 8 | tcp[3]);
	uint32_t seq = be32(tcp + 4);
	if ((tcp[13] & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
		return;
	for (struct tcp_pcb *pcb = tcp_tw_pcbs; pcb; pcb = pcb->next)
		if (pcb->remote_port == sport && pcb->local_port == dport && ip_addr_cmp(&pcb->remote_ip, src) &&
		    ip_addr_cmp(&pcb->local_ip, dst)) {
			if (TCP_SEQ_GT(seq, pcb->rcv_nxt))
				tcp_abort(pcb); /* a TIME_WAIT pcb: taken off tcp_tw_pcbs and freed */
			return;
		}
}

int net_timewait_ip4_input(struct pbuf *p, struct netif *inp)
{
	(void)inp;
	uint8_t h[IP4_HEAD_MIN], tcp[TCP_HEAD];
	if (pbuf_copy_partial(p, h, sizeof h, 0) != sizeof h || (h[0] >> 4) != 4 || h[9] != PROTO_TCP ||
	    (h[6] & 0x3f) || h[7]) /* a fragment: lwIP reassembles it first */
		return 0;
	u16_t ihl = (u16_t)((h[0] & 15) * 4);
	if (ihl < IP4_HEAD_MIN || pbuf_copy_partial(p, tcp, sizeof tcp, ihl) != sizeof tcp)
		return 0;
	ip_addr_t src, dst;
	IP_ADDR4(&src, h[12], h[13], h[14], h[15]);
	IP_ADDR4(&dst, h[16], h[17], h[18], h[19]);
	end_timewait(&src, &dst, tcp);
	return 0;
}

int net_timewait_ip6_input(struct pbuf *p, struct netif *inp)
{
	(void)inp;
	uint8_t h[IP6_HEAD], tcp[TCP_HEAD];
	if (pbuf_copy_partial(p, h, sizeof h, 0) != sizeof h || (h[0] >> 4) != 6 || h[6] != PROTO_TCP ||
	    pbuf_copy_partial(p, tcp, sizeof tcp, IP6_HEAD) != sizeof tcp)
		return 0; /* extension headers: left to lwIP */
	ip_addr_t src, dst;
	IP_ADDR6(&src, lwip_htonl(be32(h + 8)), lwip_htonl(be32(h + 12)), lwip_htonl(be32(h + 16)),
		 lwip_htonl(be32(h + 20)));
	IP_ADDR6(&dst, lwip_htonl(be32(h + 24)), lwip_htonl(be32(h + 28)), lwip_htonl(be32(h + 32)),
		 lwip_htonl(be32(h + 36)));
	end_timewait(&src, &dst, tcp);
	return 0;
}
