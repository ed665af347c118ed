/* lwIP's configuration for the network service (docs/network.md): the raw
 * API without an OS layer (NO_SYS; the service serialises every lwIP call
 * with net_lock), IPv4 with ARP, ICMP, UDP, TCP, DHCP and DNS, IPv6 beside
 * it (ND, SLAAC, stateless DHCPv6, MLD, ICMPv6, fragments), the loopback
 * interface, memory from the service's heap. */
#ifndef NETSVC_LWIPOPTS_H
#define NETSVC_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0

/* memory: every heap block and pool element from nc_malloc (port.c) */
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
#define mem_clib_malloc net_lwip_malloc
#define mem_clib_free net_lwip_free
#define mem_clib_calloc net_lwip_calloc
#define MEM_ALIGNMENT 8
#define PBUF_POOL_SIZE 512
#define MEMP_NUM_TCP_PCB 1024
#define MEMP_NUM_TCP_PCB_LISTEN 64
#define MEMP_NUM_UDP_PCB 256
#define MEMP_NUM_RAW_PCB 64
#define MEMP_NUM_TCP_SEG 2048

#define LWIP_IPV4 1
#define LWIP_IPV6 1
#define LWIP_IPV6_AUTOCONFIG 1
#define LWIP_IPV6_MLD 1
#define LWIP_ICMP6 1
#define LWIP_IPV6_FRAG 1
#define LWIP_IPV6_REASS 1
#define IPV6_FRAG_COPYHEADER 1            /* 64-bit pointers do not fit in the fragment header */
#define LWIP_IPV6_DHCP6 1                 /* stateless (RFC 8415 Information-request): DNS servers */
#define LWIP_DHCP6_MAX_DNS_SERVERS 2
#define LWIP_IPV6_SCOPES 0                /* no zones: a link-local peer is on the only link */
#define LWIP_IPV6_NUM_ADDRESSES 3         /* link-local and two from routers */
#define LWIP_ND6_ALLOW_RA_UPDATES 1
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 1
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#define LWIP_DNS 1
#define DNS_MAX_SERVERS 4                 /* DHCPv4's two, then DHCPv6's two (dns_servers.c) */
#define LWIP_DHCP_MAX_DNS_SERVERS 2
#define DNS_TABLE_SIZE 16
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define IP_REASSEMBLY 1
#define IP_FRAG 1

#define LWIP_HAVE_LOOPIF 1
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_LOOPBACK_MAX_PBUFS 0
#define LWIP_NETIF_HOSTNAME 1
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_TX_SINGLE_PBUF 1

/* TCP: window scaling so one connection can keep a fast link busy */
#define TCP_MSS 1460
#define LWIP_WND_SCALE 1
#define TCP_RCV_SCALE 2
#define TCP_WND (128 * 1024)
#define TCP_SND_BUF (128 * 1024)
#define TCP_SND_QUEUELEN ((4 * TCP_SND_BUF) / TCP_MSS)
#define TCP_SNDLOWAT (32 * 1024)          /* below lwIP's 16-bit limit */
#define TCP_OVERSIZE TCP_MSS
#define LWIP_TCP_KEEPALIVE 1
#define TCP_LISTEN_BACKLOG 1
#define LWIP_TCP_TIMESTAMPS 0
#define SO_REUSE 1
/* lwIP's hooks, declared in net_hooks.h: a SYN beyond a TIME_WAIT
 * connection's end reopens its address pair (timewait.c); RFC 6528 initial
 * sequence numbers instead of lwIP's counter, which starts every boot at the
 * same value (isn_hook.c) */
#define LWIP_HOOK_FILENAME "net_hooks.h"
#define LWIP_HOOK_IP4_INPUT(p, inp) net_timewait_ip4_input(p, inp)
#define LWIP_HOOK_IP6_INPUT(p, inp) net_timewait_ip6_input(p, inp)
#define LWIP_HOOK_TCP_ISN net_lwip_tcp_isn

#define LWIP_STATS 0
#define LWIP_CHKSUM_ALGORITHM 3
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_TCP 1
#define CHECKSUM_CHECK_UDP 1
#define CHECKSUM_CHECK_ICMP 1

#endif
