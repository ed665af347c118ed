/* The network on a real NIC (tests/user/net_qemu_test.py boots them): the
 * device manager runs netsvc and the NIC driver, QEMU's user networking
 * (restrict=on) is the network, and the host side of the test is reached
 * only through QEMU's forwards on 127.0.0.1. The guest prints what the
 * host must check ("netq-hash ..."), or when the host must act
 * ("netq-serving", "netq-udp-ready"); the host script reads the serial log.
 *
 *   10.0.2.2            QEMU's gateway (answers ping)
 *   fec0::2             QEMU's host on IPv6 (answers ping; fec0::/64 advertised)
 *   10.0.2.100:80       guestfwd to the host's HTTP server (/big: 16 MiB, /small,
 *                       /zeros/N: N zero bytes)
 *   guest :8080, :8081, :7  hostfwd from the host's 127.0.0.1 (TCP, TCP, UDP)
 *
 * The netns.* tests run in a boot of their own on a private network instead
 * (see their section below). */
#include <nc/http_net.h>
#include "drivers.h"
#include "netsvc_tests.h"
#include <nc/crypto.h>

#define P(s) s, sizeof s - 1
#define SECOND 1000000000ull
#define HOST_PEER "10.0.2.100"

enum {
	SERVE_CLIENTS = 8, SERVE_BYTES = 1 << 20, UDP_DATAGRAMS = 10,
	LONG_RECV_BYTES = 96 << 20,      /* netq.long_receive_then_send: host to guest, then */
	LONG_SEND_BYTES = 4 << 20,       /* guest to host */
	NETSVC_GROWTH_MAX_FRAMES = 512,  /* netsvc's growth over them (2 MiB: slack for its heap's peak) */
};

/* eth0's description, once it has an address (up to 30 s). */
static bool leased(nc_sys_net_interface_t *e)
{
	nc_sys_net_interface_t all[4];
	uint64_t n;
	for (int i = 0; i < 300; i++) {
		if (nc_sys_net_interface_list(all, 4, &n) == NC_SYS_OK && n >= 2 && all[1].ipv4 &&
		    (all[1].flags & NC_SYS_NET_IF_LINK)) {
			*e = all[1];
			return true;
		}
		nc_sys_sleep(100000000);
	}
	return NC_FAIL("eth0 got no address in 30 s");
}

/* QEMU's DHCP server gives 10.0.2.15/24; restricted (restrict=on), it
 * gives no router and no DNS server. */
static bool t_dhcp(void)
{
	nc_sys_net_interface_t e;
	if (!leased(&e))
		return false;
	NC_REQUIRE(nc_str_compare(e.name, "eth0") == 0);
	if (e.ipv4 != 0x0a00020f || e.ipv4_prefix != 24 || e.ipv4_gateway != 0 || !(e.flags & NC_SYS_NET_IF_DHCP))
		return NC_FAIL("eth0: address %#llx/%llu, gateway %#llx, flags %#llx", (unsigned long long)e.ipv4,
			       (unsigned long long)e.ipv4_prefix, (unsigned long long)e.ipv4_gateway,
			       (unsigned long long)e.flags);
	return true;
}

static bool t_ping(void)
{
	return nt_ping("10.0.2.2:0", "10.0.2.2:0");
}

/* Wait up to 30 s for eth0's IPv6 address beyond the link (SLAAC from the
 * router advertisements); *e gets the interface. */
static bool slaac(nc_sys_net_interface_t *e)
{
	nc_sys_net_interface_t all[2];
	uint64_t n = 0;
	for (int i = 0; i < 300; i++) {
		NC_EXPECT_SYS(nc_sys_net_interface_list(all, 2, &n), NC_SYS_OK);
		if (n == 2 && all[1].ipv6_global[0]) {
			*e = all[1];
			return true;
		}
		nc_sys_sleep(SECOND / 10);
	}
	return NC_FAIL("eth0 got no IPv6 address beyond the link in 30 s (link-local '%s')", n == 2 ? all[1].ipv6_link : "");
}

/* IPv6 on QEMU's user network (its default fec0::/64 prefix, advertised by
 * QEMU, which answers ICMPv6 echo at fec0::2): eth0's SLAAC address is the
 * prefix and the interface id of its MAC (RFC 4291 appendix A: 52:54:00:12:34:56
 * gives 5054:ff:fe12:3456), and the host's address answers a ping. */
static bool t_ping6_host(void)
{
	nc_sys_net_interface_t e;
	if (!slaac(&e))
		return false;
	if (nc_str_compare(e.ipv6_global, "fec0::5054:ff:fe12:3456") ||
	    nc_str_compare(e.ipv6_link, "fe80::5054:ff:fe12:3456"))
		return NC_FAIL("eth0: global '%s', link-local '%s'", e.ipv6_global, e.ipv6_link);
	return nt_ping("[fec0::2]:0", "[fec0::2]:0");
}

/* The offset of needle in data[0..len), or len when absent. */
static size_t find(const char *data, size_t len, const char *needle)
{
	size_t k = nc_str_len(needle);
	for (size_t i = 0; i + k <= len; i++)
		if (nc_mem_compare(data + i, needle, k) == 0)
			return i;
	return len;
}

typedef struct {
	uint64_t body, content_length;
	uint64_t nonzero;                /* body bytes that were not zero (zeros) */
	nc_crypto_blake3_t hash;
	nc_sys_err_t err;                /* the receive that ended it */
	/* options (http_get clears only the results above) */
	bool zeros;                      /* count the body's nonzero bytes instead of hashing it */
	void (*every_mib)(void);         /* called after each MiB of body */
} fetch_t;

static uint64_t count_nonzero(const char *p, size_t n)
{
	uint64_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += p[i] != 0;
	return k;
}

/* Bytes per NetRecv of http_get: above NET_IO_MAX_BYTES, so the fetches,
 * the long transfer and the killed driver's download take their bytes
 * through NetRecv's window (docs/network.md). */
enum { GET_BUF_BYTES = 256 << 10 };

/* GET path from the HTTP server on host (port 80): the host's through
 * guestfwd (HOST_PEER), or the namespace's; the body is hashed (f->zeros:
 * its nonzero bytes are counted instead). */
static bool http_get(const char *host, const char *path, fetch_t *f)
{
	static char *buf; /* off BSS: every usertests child carries its BSS */
	char req[128], addr[NC_SYS_NET_ADDR_MAX];
	if (!buf && !(buf = nc_malloc(GET_BUF_BYTES)))
		return NC_FAIL("no memory");
	uint64_t s, n, head = 0;
	nc_mem_set(f, 0, offsetof(fetch_t, zeros));
	nc_crypto_blake3_init(&f->hash);
	size_t addr_len = nc_fmt_format(addr, sizeof addr, "%s:80", host);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &s), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(s, addr, addr_len), NC_SYS_OK);
	size_t len = nc_fmt_format(req, sizeof req, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, host);
	NC_EXPECT_SYS(nc_net_send_all(s, req, len), NC_SYS_OK);
	bool in_body = false;
	for (;;) {
		f->err = nc_sys_net_recv(s, buf + head, GET_BUF_BYTES - head, 30 * SECOND, &n);
		if (f->err || n == 0)
			break;
		if (!in_body) {
			head += n;
			size_t end = find(buf, head, "\r\n\r\n");
			if (end == head) {
				NC_REQUIRE(head < GET_BUF_BYTES);
				continue;
			}
			NC_REQUIRE(find(buf, end, "HTTP/1.0 200") == 0 || find(buf, end, "HTTP/1.1 200") == 0);
			for (size_t p = find(buf, end, "Content-Length: ") + 16; p < end && buf[p] >= '0' && buf[p] <= '9'; p++)
				f->content_length = f->content_length * 10 + (uint64_t)(buf[p] - '0');
			in_body = true;
			n = head - (end + 4);
			nc_mem_move(buf, buf + end + 4, n);
			head = 0;
		}
		uint64_t before = f->body;
		if (f->zeros)
			f->nonzero += count_nonzero(buf, n);
		else
			nc_crypto_blake3_update(&f->hash, buf, n);
		f->body += n;
		if (f->every_mib && before >> 20 != f->body >> 20)
			f->every_mib();
	}
	nc_sys_handle_close(s);
	return true;
}

static void print_hash(const char *what, fetch_t *f)
{
	uint8_t h[32];
	char hex[65];
	nc_crypto_blake3_finalize(&f->hash, 0, h, sizeof h);
	for (int i = 0; i < 32; i++)
		nc_fmt_format(hex + 2 * i, 3, "%02x", h[i]);
	nc_print("netq-hash %s %s %llu\n", what, hex, (unsigned long long)f->body);
}

static unsigned long long kib_per_s(uint64_t bytes, uint64_t ns)
{
	return (unsigned long long)(bytes * 1000000000ull / 1024 / (ns + 1));
}

static bool t_fetch_16mib(void)
{
	fetch_t f = { .every_mib = NULL };
	uint64_t t0 = 0, t1 = 0;
	nc_sys_clock_get(&t0);
	if (!http_get(HOST_PEER, "/big", &f))
		return false;
	nc_sys_clock_get(&t1);
	NC_EXPECT_SYS(f.err, NC_SYS_OK);
	NC_REQUIRE(f.content_length == 16u << 20 && f.body == f.content_length);
	print_hash("big", &f);
	nc_print("netq-rate fetch %llu KiB/s\n", kib_per_s(f.body, t1 - t0));
	return true;
}

/* The byte at offset i of what the guest serves (the host script computes
 * the same); it repeats every SERVE_BYTES. */
static uint8_t served_byte(uint64_t i)
{
	i %= SERVE_BYTES;
	return (uint8_t)((i * 2654435761u) >> 13 ^ i >> 8);
}

enum { SERVE_PIECE_BYTES = 96 << 10 };

/* Answer one HTTP request on s with bytes served bytes, in NetSends of
 * SERVE_PIECE_BYTES. */
static int serve(uint64_t s, uint64_t bytes)
{
	uint64_t n;
	char req[512];
	uint64_t got = 0;
	while (got < sizeof req && find(req, got, "\r\n\r\n") == got) {
		if (nc_sys_net_recv(s, req + got, sizeof req - got, 30 * SECOND, &n) || n == 0)
			return 1;
		got += n;
	}
	char head[96];
	size_t len = nc_fmt_format(head, sizeof head, "HTTP/1.0 200 OK\r\nContent-Length: %llu\r\n\r\n",
				   (unsigned long long)bytes);
	if (nc_net_send_all(s, head, len))
		return 2;
	uint8_t *buf = nc_malloc(SERVE_PIECE_BYTES); /* NetSends above NET_IO_MAX_BYTES: through windows */
	for (uint64_t off = 0, k; buf && off < bytes; off += k) {
		k = bytes - off < SERVE_PIECE_BYTES ? bytes - off : SERVE_PIECE_BYTES;
		for (uint64_t i = 0; i < k; i++)
			buf[i] = served_byte(off + i);
		if (nc_net_send_all(s, buf, k)) {
			nc_free(buf);
			return 3;
		}
	}
	if (!buf)
		return 4;
	nc_free(buf);
	nc_sys_net_shutdown(s, NC_SYS_NET_SHUT_SEND);
	(void)nc_sys_net_recv(s, req, sizeof req, 30 * SECOND, &n); /* until the client closes */
	nc_sys_handle_close(s);
	return 0;
}

static int serve_one(void *arg)
{
	return serve((uint64_t)arg, SERVE_BYTES);
}

static bool t_serve_parallel(void)
{
	uint64_t l, code;
	nc_thread_t t[SERVE_CLIENTS];
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &l), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(l, P("0.0.0.0:8080")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_listen(l, SERVE_CLIENTS), NC_SYS_OK);
	nc_print("netq-serving\n");
	for (int i = 0; i < SERVE_CLIENTS; i++) {
		uint64_t c;
		NC_EXPECT_SYS(nc_sys_net_accept(l, 120 * SECOND, &c), NC_SYS_OK);
		NC_EXPECT_SYS(nc_thread_start(&t[i], serve_one, (void *)c), NC_SYS_OK);
	}
	bool ok = true;
	for (int i = 0; i < SERVE_CLIENTS; i++)
		ok &= nc_thread_join(&t[i], &code) == NC_SYS_OK && code == 0;
	nc_sys_handle_close(l);
	return ok || NC_FAIL("a client was not served");
}

/* Datagrams from the host (hostfwd udp): datagram i is "datagram i " i + 1
 * times, then "end". A restricted QEMU drops every UDP datagram the guest
 * sends except DHCP's, so nothing can go back this way (the echo runs on the
 * loopback interface in netsvc_tests.c). */
static bool t_udp_from_host(void)
{
	uint64_t s, n;
	char buf[512], want[512], from[NC_SYS_NET_FROM_BYTES];
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_UDP, &s), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(s, P("0.0.0.0:7")), NC_SYS_OK);
	nc_print("netq-udp-ready\n");
	int i = 0;
	for (;; i++) {
		NC_EXPECT_SYS(nc_sys_net_recv_from(s, buf, sizeof buf, from, sizeof from, 60 * SECOND, &n), NC_SYS_OK);
		NC_REQUIRE(nc_str_starts_with(from, "10.0.2.2:"));
		if (n == 3 && nc_mem_compare(buf, "end", 3) == 0)
			break;
		size_t k = 0;
		for (int r = 0; r <= i; r++)
			k += nc_fmt_format(want + k, sizeof want - k, "datagram %d ", i);
		if (n != k || nc_mem_compare(buf, want, k))
			return NC_FAIL("datagram %d is not what the host sent", i);
	}
	nc_sys_handle_close(s);
	return i == UDP_DATAGRAMS || NC_FAIL("%d datagrams, want %d", i, UDP_DATAGRAMS);
}

/* netsvc's charged frames (ProcessList), 0 when it is not running. */
static uint64_t netsvc_frames(void)
{
	static nc_sys_process_info_t p[64];
	uint64_t n = 0;
	if (nc_sys_process_list(p, 64, &n))
		return 0;
	for (uint64_t i = 0; i < n && i < 64; i++)
		if (nc_str_compare(p[i].name, "netsvc") == 0 && p[i].state == NC_SYS_PROC_RUNNING)
			return p[i].frames;
	return 0;
}

/* Whether netsvc still holds at most NETSVC_GROWTH_MAX_FRAMES more than before. */
static bool netsvc_bounded(uint64_t before, const char *after_what)
{
	uint64_t now = netsvc_frames();
	nc_print("netq-frames netsvc %llu before, %llu after %s\n", (unsigned long long)before,
		 (unsigned long long)now, after_what);
	return (now && now <= before + NETSVC_GROWTH_MAX_FRAMES) ||
	       NC_FAIL("netsvc went from %llu to %llu frames over %s", (unsigned long long)before,
		       (unsigned long long)now, after_what);
}

/* A long download does not grow the service (it once kept ~2 KiB of every
 * received segment, then died sending), and a large send works after it:
 * the host fetches LONG_SEND_BYTES from port 8081 and compares them. */
static bool t_long_receive_then_send(void)
{
	fetch_t f = { .zeros = true };
	char path[32];
	uint64_t l, c, t0 = 0, t1 = 0, t2 = 0, t3 = 0, before = netsvc_frames();
	NC_REQUIRE(before > 0);
	nc_fmt_format(path, sizeof path, "/zeros/%u", LONG_RECV_BYTES);
	nc_sys_clock_get(&t0);
	if (!http_get(HOST_PEER, path, &f))
		return false;
	nc_sys_clock_get(&t1);
	NC_EXPECT_SYS(f.err, NC_SYS_OK);
	NC_REQUIRE(f.content_length == LONG_RECV_BYTES && f.body == f.content_length && f.nonzero == 0);
	if (!netsvc_bounded(before, "a 96 MiB receive"))
		return false;
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &l), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(l, P("0.0.0.0:8081")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_listen(l, 1), NC_SYS_OK);
	nc_print("netq-sending\n");
	NC_EXPECT_SYS(nc_sys_net_accept(l, 120 * SECOND, &c), NC_SYS_OK);
	nc_sys_handle_close(l);
	nc_sys_clock_get(&t2);
	int code = serve(c, LONG_SEND_BYTES);
	if (code)
		return NC_FAIL("the send failed (step %d)", code);
	nc_sys_clock_get(&t3);
	nc_print("netq-rate long-receive %llu KiB/s, send %llu KiB/s\n", kib_per_s(LONG_RECV_BYTES, t1 - t0),
		 kib_per_s(LONG_SEND_BYTES, t3 - t2));
	return netsvc_bounded(before, "a 96 MiB receive and a 4 MiB send");
}

static bool killed;

/* Kill the NIC's driver (whichever of the two runs). */
static void kill_driver_once(void)
{
	char reply[64];
	if (!killed)
		killed = drv_devmgr("kill virtio-net0", reply, sizeof reply) ||
			 drv_devmgr("kill e1000e0", reply, sizeof reply);
}

/* The driver dies during a download: the connection fails with a clear
 * error, the restarted driver gets eth0 back, and new connections work. */
static bool t_driver_killed(void)
{
	fetch_t f = { .every_mib = kill_driver_once };
	nc_sys_net_interface_t e;
	if (!http_get(HOST_PEER, "/big", &f))
		return false;
	NC_REQUIRE(killed);
	NC_EXPECT_SYS(f.err, NC_SYS_ERR_CONN_RESET);
	NC_REQUIRE(f.body < 16u << 20);
	print_hash("killed", &f); /* the host checks it is the hash of the file's first f.body bytes */
	if (!leased(&e))
		return false;
	f.every_mib = NULL;
	if (!http_get(HOST_PEER, "/small", &f))
		return false;
	NC_EXPECT_SYS(f.err, NC_SYS_OK);
	NC_REQUIRE(f.body == f.content_length && f.body > 0);
	print_hash("small", &f);
	return true;
}

/* ---- a private network (tests/user/net/netns_peer.py): the NIC on a tap
 * device inside a network namespace where dnsmasq gives DHCP with a router
 * and a DNS server with fixed names, a UDP echo server on peer.test:7 and an
 * HTTP server on peer.test:80 ---- */

#define NS_PEER "10.77.0.1"
enum { NS_FIRST = 0x0a4d0032, NS_LAST = 0x0a4d0063, NS_ROUTER = 0x0a4d0001, NS_ECHO_TRIES = 3 };

/* dnsmasq's lease: 10.77.0.50-99/24 with the router 10.77.0.1. */
static bool t_ns_dhcp(void)
{
	nc_sys_net_interface_t e;
	if (!leased(&e))
		return false;
	if (e.ipv4 < NS_FIRST || e.ipv4 > NS_LAST || e.ipv4_prefix != 24 || e.ipv4_gateway != NS_ROUTER ||
	    !(e.flags & NC_SYS_NET_IF_DHCP))
		return NC_FAIL("eth0: address %#llx/%llu, gateway %#llx, flags %#llx", (unsigned long long)e.ipv4,
			       (unsigned long long)e.ipv4_prefix, (unsigned long long)e.ipv4_gateway,
			       (unsigned long long)e.flags);
	return true;
}

/* Whether name resolves to exactly want (one address and its NUL) in family. */
static bool resolves_to(const char *name, uint64_t family, const char *want)
{
	char out[64];
	uint64_t n = 0;
	NC_EXPECT_SYS(nc_sys_net_resolve(name, nc_str_len(name), family, out, sizeof out, &n), NC_SYS_OK);
	size_t k = nc_str_len(want) + 1;
	return (n == k && nc_mem_compare(out, want, k) == 0) ||
	       NC_FAIL("%s resolved to %.*s (%llu bytes), want %s", name, (int)(n < sizeof out ? n : 0), out,
		       (unsigned long long)n, want);
}

/* Names through the DNS server DHCP gave: fixed answers, NXDOMAIN for the
 * rest (UNREACHABLE), an address as itself, TOO_SMALL for a short buffer. */
static bool t_ns_resolve(void)
{
	char out[8];
	uint64_t n;
	const uint64_t v4 = NC_SYS_NET_RESOLVE_IPV4;
	if (!resolves_to("peer.test", v4, NS_PEER) || !resolves_to("other.test", v4, "10.77.0.2") ||
	    !resolves_to("10.77.0.9", v4, "10.77.0.9"))
		return false;
	NC_EXPECT_SYS(nc_sys_net_resolve(P("missing.test"), v4, out, sizeof out, &n), NC_SYS_ERR_UNREACHABLE);
	NC_EXPECT_SYS(nc_sys_net_resolve(P("peer.test"), v4, out, 4, &n), NC_SYS_ERR_TOO_SMALL);
	NC_EXPECT_SYS(nc_sys_net_resolve(P("six.test"), v4, out, sizeof out, &n), NC_SYS_ERR_UNREACHABLE);
	return true;
}

/* AAAA records (RFC 3596) when NetResolve asks for IPv6: dnsmasq's fixed
 * answers, a name with only an A record (or none) UNREACHABLE, an IPv6
 * address as itself, an IPv4 address INVALID, TOO_SMALL for a short buffer. */
static bool t_ns_resolve_ipv6(void)
{
	char out[8];
	uint64_t n;
	const uint64_t v6 = NC_SYS_NET_RESOLVE_IPV6;
	if (!resolves_to("peer.test", v6, "fd77::1") || !resolves_to("six.test", v6, "fd77::66") ||
	    !resolves_to("[FD77:0::9]", v6, "fd77::9"))
		return false;
	NC_EXPECT_SYS(nc_sys_net_resolve(P("other.test"), v6, out, sizeof out, &n), NC_SYS_ERR_UNREACHABLE);
	NC_EXPECT_SYS(nc_sys_net_resolve(P("missing.test"), v6, out, sizeof out, &n), NC_SYS_ERR_UNREACHABLE);
	NC_EXPECT_SYS(nc_sys_net_resolve(P("10.77.0.9"), v6, out, sizeof out, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_resolve(P("six.test"), v6, out, 4, &n), NC_SYS_ERR_TOO_SMALL);
	/* the IPv4 answer for the same name is still there (lwIP caches per family) */
	return resolves_to("peer.test", NC_SYS_NET_RESOLVE_IPV4, NS_PEER);
}

/* Send data[0..len) to the echo server (to the endpoint text to, or on the
 * connected socket s when to is NULL) and check that it comes back from
 * "from"; a datagram lost on the way is sent again. */
static bool echoed(uint64_t s, const char *to, const char *from_want, const uint8_t *data, size_t len)
{
	static uint8_t back[NC_SYS_NET_IO_MAX_BYTES];
	char from[NC_SYS_NET_FROM_BYTES];
	uint64_t n;
	for (int t = 0; t < NS_ECHO_TRIES; t++) {
		if (!to)
			NC_EXPECT_SYS(nc_sys_net_send(s, data, len, &n), NC_SYS_OK);
		else
			NC_EXPECT_SYS(nc_sys_net_send_to(s, data, len, to, nc_str_len(to), &n), NC_SYS_OK);
		NC_REQUIRE(n == len);
		nc_sys_err_t err = nc_sys_net_recv_from(s, back, sizeof back, from, sizeof from, 2 * SECOND, &n);
		if (err == NC_SYS_ERR_TIMED_OUT)
			continue;
		NC_EXPECT_SYS(err, NC_SYS_OK);
		if (nc_str_compare(from, from_want))
			return NC_FAIL("an echo from %s, want %s", from, from_want);
		return (n == len && nc_mem_compare(back, data, len) == 0) ||
		       NC_FAIL("%zu bytes came back as %llu other bytes", len, (unsigned long long)n);
	}
	return NC_FAIL("no echo of %zu bytes in %d tries", len, NS_ECHO_TRIES);
}

/* The echo test's datagram bytes. */
static const uint8_t *echo_data(void)
{
	static uint8_t data[NC_SYS_NET_IO_MAX_BYTES];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 7 + i / 251);
	return data;
}

/* UDP both ways over the NIC (a restricted QEMU drops the guest's UDP):
 * datagrams from 1 byte to NET_IO_MAX_BYTES (fragmented on the wire both
 * ways above 1472), sent to a name, then on a socket connected by name. */
static bool t_ns_udp_echo(void)
{
	static const size_t sizes[] = { 1, 512, 1472, 1473, 4000, NC_SYS_NET_IO_MAX_BYTES };
	const uint8_t *data = echo_data();
	uint64_t s, c;
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_UDP, &s), NC_SYS_OK);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		if (!echoed(s, "peer.test:7", NS_PEER ":7", data, sizes[i]))
			return false;
	nc_sys_handle_close(s);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_UDP, &c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(c, P("peer.test:7")), NC_SYS_OK);
	bool ok = echoed(c, NULL, NS_PEER ":7", data, 3000);
	nc_sys_handle_close(c);
	return ok;
}

/* TCP to a name: the namespace's HTTP server's /small (hashed by the host). */
static bool t_ns_fetch_by_name(void)
{
	fetch_t f = { .every_mib = NULL };
	if (!http_get("peer.test", "/small", &f))
		return false;
	NC_EXPECT_SYS(f.err, NC_SYS_OK);
	NC_REQUIRE(f.body == f.content_length && f.body > 0);
	print_hash("ns-small", &f);
	return true;
}

/* ICMP echo to a name: the namespace's own kernel answers. */
static bool t_ns_ping_by_name(void)
{
	return nt_ping("peer.test:0", NS_PEER ":0");
}

/* ---- IPv6 on the same private network: dnsmasq advertises fd77::/64 ---- */

#define NS_PEER6 "[fd77::1]"
#define NS_MAC 0x525400123456ull /* QEMU's default MAC */

/* eth0's IPv6 addresses: the link-local one and, once dnsmasq's router
 * advertisement came, the SLAAC one in fd77::/64, both with the interface
 * id made from the MAC by RFC 4291 appendix A (modified EUI-64: ff:fe in
 * the middle, the universal/local bit flipped): 52:54:00:12:34:56 gives
 * 5054:ff:fe12:3456. */
static bool t_ns_ipv6_addresses(void)
{
	nc_sys_net_interface_t e;
	if (!slaac(&e))
		return false;
	NC_REQUIRE(e.mac == NS_MAC);
	if (nc_str_compare(e.ipv6_link, "fe80::5054:ff:fe12:3456") ||
	    nc_str_compare(e.ipv6_global, "fd77::5054:ff:fe12:3456"))
		return NC_FAIL("eth0: link-local '%s', global '%s'", e.ipv6_link, e.ipv6_global);
	return true;
}

/* ICMPv6 echo to the namespace's address: its kernel answers. */
static bool t_ns_ping6(void)
{
	return nt_ping(NS_PEER6 ":0", NS_PEER6 ":0");
}

/* UDP over IPv6: 1 byte to NET_IO_MAX_BYTES (fragmented both ways above
 * 1452, the IPv6 fragment header in play), to the address and connected. */
static bool t_ns_udp6_echo(void)
{
	static const size_t sizes[] = { 1, 1452, 1453, 4000, NC_SYS_NET_IO_MAX_BYTES };
	const uint8_t *data = echo_data();
	uint64_t s, c;
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_UDP, &s), NC_SYS_OK);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		if (!echoed(s, NS_PEER6 ":7", NS_PEER6 ":7", data, sizes[i]))
			return false;
	nc_sys_handle_close(s);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_UDP, &c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(c, P(NS_PEER6 ":7")), NC_SYS_OK);
	bool ok = echoed(c, NULL, NS_PEER6 ":7", data, 3000);
	nc_sys_handle_close(c);
	return ok;
}

/* TCP over IPv6: the namespace's HTTP server on [fd77::1]:80 (hashed by the host). */
static bool t_ns_fetch6(void)
{
	fetch_t f = { .every_mib = NULL };
	if (!http_get(NS_PEER6, "/small", &f))
		return false;
	NC_EXPECT_SYS(f.err, NC_SYS_OK);
	NC_REQUIRE(f.body == f.content_length && f.body > 0);
	print_hash("ns6-small", &f);
	return true;
}

/* ---- DNS servers from stateless DHCPv6, and names in NetConnect/NetSendTo
 * that resolve to IPv6: dnsmasq's advertisements carry the O flag, its
 * DHCPv6 answer names a second dnsmasq on [fd77::53] (known from nowhere
 * else) that alone knows dns6.test; web4.test has only an A record,
 * web6.test only an AAAA record, peer.test both (netns_peer.py) ---- */

#define NS_DNS6 "fd77::53"

/* eth0's DNS servers: 10.77.0.1 from DHCP and, once the Information-request
 * was answered (up to 30 s), fd77::53 from DHCPv6. */
static bool t_ns_dhcp6_dns_servers(void)
{
	nc_sys_net_interface_t all[2];
	uint64_t n = 0;
	for (int i = 0; i < 300; i++) {
		NC_EXPECT_SYS(nc_sys_net_interface_list(all, 2, &n), NC_SYS_OK);
		if (n == 2 && all[1].dns_dhcp6[0])
			break;
		nc_sys_sleep(SECOND / 10);
	}
	if (n != 2 || nc_str_compare(all[1].dns_dhcp, NS_PEER) || nc_str_compare(all[1].dns_dhcp6, NS_DNS6))
		return NC_FAIL("eth0's DNS servers: '%s' (dhcp), '%s' (dhcpv6)", all[1].dns_dhcp, all[1].dns_dhcp6);
	NC_REQUIRE(all[0].dns_dhcp[0] == 0 && all[0].dns_dhcp6[0] == 0); /* lo learned none */
	return true;
}

/* dns6.test through the server only DHCPv6 named: 10.77.0.1 answers
 * NXDOMAIN, and the resolver asks the next server. */
static bool t_ns_resolve_via_dhcp6_server(void)
{
	return resolves_to("dns6.test", NC_SYS_NET_RESOLVE_IPV4, NS_PEER) &&
	       resolves_to("dns6.test", NC_SYS_NET_RESOLVE_IPV6, "fd77::1");
}

/* A name's A record first, its AAAA record when it has none: UDP echoes
 * through names with only A, only AAAA and both records (peer.test's AAAA
 * is cached by then: netns.resolve_names_ipv6), the sender showing the
 * family; a UDP socket connected by an AAAA-only name; TCP (HTTP /small,
 * hashed by the host) by an AAAA-only name; a missing name UNREACHABLE
 * (after both questions). */
static bool t_ns_names_to_ipv6(void)
{
	const uint8_t *data = echo_data();
	uint64_t s, c;
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_UDP, &s), NC_SYS_OK);
	bool ok = echoed(s, "web4.test:7", NS_PEER ":7", data, 100) &&
		  echoed(s, "web6.test:7", NS_PEER6 ":7", data, 100) &&
		  echoed(s, "peer.test:7", NS_PEER ":7", data, 100) && echoed(s, "dns6.test:7", NS_PEER ":7", data, 100);
	uint64_t n;
	NC_EXPECT_SYS(nc_sys_net_send_to(s, "x", 1, P("missing.test:7"), &n), NC_SYS_ERR_UNREACHABLE);
	nc_sys_handle_close(s);
	if (!ok)
		return false;
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_UDP, &c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(c, P("web6.test:7")), NC_SYS_OK);
	ok = echoed(c, NULL, NS_PEER6 ":7", data, 3000);
	nc_sys_handle_close(c);
	fetch_t f = { .every_mib = NULL };
	if (!ok || !http_get("web6.test", "/small", &f))
		return false;
	NC_EXPECT_SYS(f.err, NC_SYS_OK);
	NC_REQUIRE(f.body == f.content_length && f.body > 0);
	print_hash("ns-web6-small", &f);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(c, P("missing.test:80")), NC_SYS_ERR_UNREACHABLE);
	nc_sys_handle_close(c);
	return true;
}

/* Handle 1: a TCP socket; 2: net.connect on "web6.test:80"; 3, 4: net.send,
 * net.recv. The scope covers the name, not the IPv6 address it resolves
 * to, nor other names of that address; connected by the name, the HTTP
 * server on [fd77::1] answers. */
static int child_name_scoped(void)
{
	static const char req[] = "GET /small HTTP/1.0\r\n\r\n";
	char buf[16];
	uint64_t n;
	static const char *const denied[] = { "[fd77::1]:80", "peer.test:80", "web6.test:81" };
	for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++)
		NC_EXPECT_CHILD(nc_sys_net_connect(1, denied[i], nc_str_len(denied[i])), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("WEB6.test.:80")), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_net_send_all(1, req, sizeof req - 1), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_recv(1, buf, sizeof buf, 30 * SECOND, &n), NC_SYS_OK);
	return n >= 7 && nc_mem_compare(buf, "HTTP/1.", 7) == 0 ? 0 : __LINE__; /* the status line's start */
}

/* Handle 1: a TCP socket; 2: net.connect on "[fd77::1]:80". The address's
 * scope does not cover a name that resolves to it. */
static int child_address_scoped(void)
{
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("web6.test:80")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("[fd77::1]:80")), NC_SYS_OK);
	return 0;
}

static bool t_ns_name_scopes(void)
{
	static const char *const name[] = { "net.connect", "web6.test:80", "net.send", "*", "net.recv", "*" };
	static const char *const address[] = { "net.connect", "[fd77::1]:80" };
	return nt_run_scoped("netns_name_scoped", true, name, 3) &&
	       nt_run_scoped("netns_address_scoped", true, address, 1);
}

const nc_test_child_t ut_netqemu_children[] = {
	{ "netns_name_scoped", child_name_scoped },
	{ "netns_address_scoped", child_address_scoped },
	{ NULL, NULL },
};

const nc_test_case_t ut_netqemu_tests[] = {
	{ "netq.dhcp", t_dhcp },
	{ "netq.ping_gateway", t_ping },
	{ "netq.ping6_host", t_ping6_host },
	{ "netq.fetch_16mib", t_fetch_16mib },
	{ "netq.serve_parallel", t_serve_parallel },
	{ "netq.udp_from_host", t_udp_from_host },
	{ "netq.long_receive_then_send", t_long_receive_then_send },
	{ "netq.driver_killed_during_transfer", t_driver_killed },
	{ "netns.dhcp_router_and_dns", t_ns_dhcp },
	{ "netns.resolve_names", t_ns_resolve },
	{ "netns.resolve_names_ipv6", t_ns_resolve_ipv6 },
	{ "netns.udp_echo", t_ns_udp_echo },
	{ "netns.fetch_by_name", t_ns_fetch_by_name },
	{ "netns.ping_by_name", t_ns_ping_by_name },
	{ "netns.ipv6_addresses", t_ns_ipv6_addresses },
	{ "netns.ping6", t_ns_ping6 },
	{ "netns.udp6_echo", t_ns_udp6_echo },
	{ "netns.fetch_ipv6", t_ns_fetch6 },
	{ "netns.dhcp6_dns_servers", t_ns_dhcp6_dns_servers },
	{ "netns.resolve_via_dhcp6_server", t_ns_resolve_via_dhcp6_server },
	{ "netns.names_to_ipv6", t_ns_names_to_ipv6 },
	{ "netns.name_scopes", t_ns_name_scopes },
	{ NULL, NULL },
};
