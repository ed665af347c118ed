/* The network service (docs/network.md): lwIP with NO_SYS=1 behind the
 * kernel's service routing. The kernel forwards every Net* call, already
 * checked (capabilities, scopes, canonical addresses, user buffers), to this
 * process; sockets are objects whose ids the kernel keeps behind HANDLE_SOCKET
 * handles. Calls that must wait (NetRecv with nothing there, NetAccept, a TCP
 * connect, a NetSend with a full send buffer) are parked as requests and
 * answered later from lwIP's callbacks or when their deadline passes; no
 * thread ever blocks on a socket.
 *
 * Threads: the service thread takes requests (ServiceReceive) and the core
 * thread waits (HandleWaitAny) on the drivers' channels and its wake channel,
 * feeds frames to lwIP and runs its timers. Both call lwIP and touch every
 * structure here only while holding net_lock; nothing here may be used
 * without it. */
#ifndef NC_NETSVC_H
#define NC_NETSVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/ulib.h>

struct pbuf;
struct tcp_pcb;
struct udp_pcb;
struct raw_pcb;
struct netif;

enum {
	NET_SOCKETS_MAX = 1024,          /* open sockets (LIMIT beyond) */
	NET_DGRAM_QUEUE_MAX = 64,        /* datagrams queued on one socket; more are dropped */
	NET_FROM_TEXT = NC_SYS_NET_FROM_BYTES,
};

extern nc_lock_t net_lock;
extern uint64_t net_port;            /* the service port */

/* ---- parked requests (sock.c) ---- */

typedef struct net_sock net_sock_t;

typedef struct net_req {
	struct net_req *next;            /* on its socket's list, or the resolver's */
	uint64_t id;                     /* the kernel's request id */
	uint64_t op;                     /* NC_SYS_NET_* */
	uint64_t deadline_ns;            /* UINT64_MAX: none */
	size_t want;                     /* NetRecv(From): most bytes */
	uint16_t port;                   /* NetConnect, NetSendTo: the peer's port while its name resolves */
	size_t len, off;                 /* NetSend: its bytes [0..len), off already queued */
	uint8_t *window;                 /* the request's window while it lives (NULL: none): a
					  * large NetSend's bytes (read-only), a large NetRecv's
					  * destination (docs/services.md) */
	uint8_t data[];                  /* NetSend's bytes (without a window); NetResolve's name (NUL-terminated) */
} net_req_t;

/* A parked request for m (data: the payload bytes to keep, len of them), or
 * NULL when out of memory. Its deadline is timeout_ns after now; it keeps
 * m's window, which stays mapped until the request is answered. */
net_req_t *net_req_new(const nc_service_msg_t *m, const void *data, size_t len, uint64_t timeout_ns);
/* Answer a request (ServiceReply; a caller that gave up is ignored). */
void net_answer(uint64_t id, nc_sys_err_t status, uint64_t result, const void *data, size_t len);
/* Answer r with status and free it (it must be off every list). */
void net_req_finish(net_req_t *r, nc_sys_err_t status, uint64_t result, const void *data, size_t len);
/* The core thread must wake by deadline_ns (a request was parked with it). */
void net_wake_by(uint64_t deadline_ns);
/* Now on the kernel clock. */
uint64_t net_now_ns(void);

/* ---- sockets (sock.c) ---- */

typedef enum { SOCK_NEW, SOCK_CONNECTING, SOCK_CONNECTED, SOCK_LISTENING, SOCK_CLOSED } sock_state_t;

typedef struct net_dgram {
	struct net_dgram *next;
	struct pbuf *p;                  /* the payload (a reference) */
	char from[NET_FROM_TEXT];        /* "a.b.c.d:port" or "[v6]:port" */
} net_dgram_t;

struct net_sock {
	uint64_t id;                     /* object id: slot + 1 | generation << 32 */
	uint64_t kind;                   /* NC_SYS_NET_TCP, _UDP, _ICMP_ECHO */
	sock_state_t state;
	nc_sys_err_t error;              /* sticky: the connection failed or was reset */
	bool nonblock, nodelay, bound, shut_send, shut_recv, eof;
	uint64_t timeout_ns;             /* NET_OPT_TIMEOUT_NS, 0: none */
	union {
		struct tcp_pcb *tcp;
		struct udp_pcb *udp;
		struct raw_pcb *raw;     /* ICMP echo: the IPv4 pcb (ICMP) */
	} pcb;
	struct raw_pcb *raw6;            /* ICMP echo: the IPv6 pcb (ICMPv6) */
	bool peer_v6;                    /* ICMP echo: connected to an IPv6 address */
	struct pbuf *rx;                 /* TCP: received bytes not yet read */
	size_t rx_off;                   /* bytes of rx already read */
	net_dgram_t *dgrams, *dgrams_tail; /* UDP and ICMP: received datagrams */
	uint32_t n_dgrams;
	uint16_t icmp_id, icmp_seq;      /* ICMP echo: our identifier, next sequence */
	net_sock_t *accepted, *accepted_tail; /* listening: connections not yet accepted */
	net_sock_t *next_accepted;
	net_sock_t *listener;            /* while queued on a listener */
	net_req_t *reqs;                 /* parked requests, oldest first */
	uint64_t signals;                /* last SIGNAL_* told to the kernel */
};

/* A new socket of kind (its pcb not yet made), or NULL (LIMIT, no memory). */
net_sock_t *net_sock_new(uint64_t kind);
/* The resolver's pseudo-socket (slot 0): where NetResolve requests wait. */
net_sock_t *net_resolver(void);
/* The socket with object id, or NULL. */
net_sock_t *net_sock_find(uint64_t id);
/* Free s and everything it holds; its pcb must be gone already. Parked
 * requests are answered with err. */
void net_sock_free(net_sock_t *s, nc_sys_err_t err);
/* Park r on s (and keep its deadline in mind). */
void net_sock_park(net_sock_t *s, net_req_t *r);
/* Take s's oldest parked request of op, or NULL. */
net_req_t *net_sock_take(net_sock_t *s, uint64_t op);
/* Whether s has a parked request of op. */
bool net_sock_has(const net_sock_t *s, uint64_t op);
/* Answer every parked request of s with err (a reset connection). */
void net_sock_fail_all(net_sock_t *s, nc_sys_err_t err);
/* Tell the kernel whether s is readable now (ServiceSignal, only on change). */
void net_sock_signal(net_sock_t *s);
/* Take the parked request with kernel id off its socket (*s gets it), or NULL. */
net_req_t *net_req_find(uint64_t id, net_sock_t **s);
/* Drop the parked request with kernel id (a SERVICE_OP_CANCEL): it is
 * answered all the same (the kernel drops the answer), which gives its
 * window back. */
void net_cancel(uint64_t id);
/* Answer every request whose deadline has passed with TIMED_OUT; returns the
 * earliest deadline still pending (UINT64_MAX: none). */
uint64_t net_expire(uint64_t now_ns);

/* ---- protocols ---- */

/* Each handles one forwarded call on socket s (m: the request) and either
 * answers it or parks it. */
void net_tcp_open(net_sock_t *s, const nc_service_msg_t *m);
void net_tcp_call(net_sock_t *s, const nc_service_msg_t *m);
void net_tcp_close(net_sock_t *s);
/* Abort s's connection: its pcb goes, every parked request and every later
 * call gets err (sticky), and s becomes readable. */
void net_tcp_fail(net_sock_t *s, nc_sys_err_t err);
/* Fail every connection whose local address is one of n's: its interface
 * went away (CONN_RESET). */
void net_tcp_reset_local(struct netif *n);
void net_dgram_open(net_sock_t *s, const nc_service_msg_t *m);
void net_dgram_call(net_sock_t *s, const nc_service_msg_t *m);
void net_dgram_close(net_sock_t *s);
/* The continuation of a parked NetSend on s after room freed (TCP). */
void net_tcp_resume_sends(net_sock_t *s);

/* ---- addresses and names (resolve.c) ---- */

typedef struct ip_addr ip_addr_t;
/* Which records a name resolves to: its A record, its AAAA record, or
 * (NetConnect, NetSendTo) its A record and, when it has none (the server
 * answers without one), its AAAA record. */
typedef enum { NET_NAME_IPV4, NET_NAME_IPV6, NET_NAME_A_THEN_AAAA } net_name_family_t;
/* Resolve the canonical host text (an IPv4 address, an IPv6 address in
 * brackets, or a name: its records of family) and call done(arg, err, ip) once
 * (ip valid during the call when err is OK): at once for an address or a
 * cached name, else from lwIP's DNS callback. err: OK, UNREACHABLE (no such
 * name, no DNS server), NO_MEMORY. arg is an object id, looked up again by
 * done. */
typedef void (*net_resolved_fn)(uint64_t arg, nc_sys_err_t err, const ip_addr_t *ip);
void net_resolve(const char *host, size_t host_len, net_name_family_t family, net_resolved_fn done, uint64_t arg);
/* Split canonical "HOST:PORT" text[0..len) into host (NUL-terminated, at
 * most NC_INET_HOST_MAX bytes) and *port. False when malformed (the kernel
 * sent it, so only a protocol error). */
bool net_split_endpoint(const char *text, size_t len, char *host, size_t *host_len, uint16_t *port);
/* Split canonical "A.B.C.D:PORT" or "[IPV6]:PORT" text[0..len) into *ip
 * and *port ("[::]": IP_ANY_TYPE, every IPv4 and IPv6 address). False when
 * it is malformed or its host is a name. */
bool net_split_ip(const char *text, size_t len, ip_addr_t *ip, uint16_t *port);
/* ip's canonical text (no brackets) and a NUL into out (cap bytes, at least
 * NC_INET_IPV6_TEXT_MAX + 1); returns its length. */
size_t net_format_ip(const ip_addr_t *ip, char *out, size_t cap);
/* "a.b.c.d:port" or "[v6]:port" of ip into out[NET_FROM_TEXT]. */
void net_format_from(const ip_addr_t *ip, uint16_t port, char *out);
/* NetResolve. */
void net_resolve_call(const nc_service_msg_t *m);

/* ---- DNS servers (dns_servers.c) ---- */

/* lwIP's DHCP client (core/ipv4/dhcp.c) and stateless DHCPv6 client
 * (core/ipv6/dhcp6.c) call these instead of dns_setserver (build.mk): server
 * n (0, 1) of the answer that ip_current_input_netif() is receiving (NULL:
 * none). lwIP's server list becomes every interface's DHCP servers, then
 * every interface's DHCPv6 servers. */
void net_dns_from_dhcp(uint8_t n, const ip_addr_t *server);
void net_dns_from_dhcp6(uint8_t n, const ip_addr_t *server);
/* The DNS servers netif learned from DHCP (dhcp6 false) or DHCPv6, as text
 * separated by a space and ended by a NUL, into out (cap bytes; servers that
 * do not fit are left out). */
void net_dns_describe(const struct netif *netif, bool dhcp6, char *out, size_t cap);

/* ---- interfaces (iface.c) ---- */

/* Bring up the loopback interface and what the interfaces need. */
void net_iface_init(void);
/* NetAttach: a driver's channel (m's handle). */
void net_iface_attach(const nc_service_msg_t *m);
/* NetInterfaceList. */
void net_iface_list(const nc_service_msg_t *m);
/* Move received frames from the attached drivers to lwIP, follow their link
 * state, and detach the drivers that ended; true when more frames may wait. */
bool net_iface_poll(void);
/* Send the large frame that waits for more segments (iface.c) now. */
void net_iface_flush(void);
/* A send was queued whole in this round: its caller is likely to send more
 * at once, so the large frame may wait for it (net_iface_round_end). */
void net_iface_hold(void);
/* The end of a round of lwIP work, before net_lock is let go: send the
 * waiting large frame, unless the round asked to hold it and it grew, ends
 * on a full segment and is younger than the hold time, or it is held
 * already, nothing joined it and it is not due. Returns when a held frame
 * is due (the core thread must run a round by then; UINT64_MAX: none). */
uint64_t net_iface_round_end(uint64_t now);
/* The attached drivers' channels, at most max of them, into out; returns
 * how many. */
size_t net_iface_channels(uint64_t *out, size_t max);

/* ---- TCP initial sequence numbers (isn_hook.c) ---- */

/* Draw the ISN key from the kernel's CSPRNG; before lwip_init. */
nc_sys_err_t net_isn_init(void);

#endif
