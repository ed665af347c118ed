/* The network service (user/services/net, lwIP) on its loopback interface,
 * driven through the socket calls: TCP (connect, accept, a 1 MiB transfer
 * checked byte for byte, end of stream, refusal, address in use, timeouts,
 * readiness, a TIME_WAIT address pair reopened), UDP (datagrams and their
 * senders, truncation) and ICMP echo,
 * the same over IPv6 on ::1 (a [::] listener taking both families); and the
 * driver side of the frame protocol with this process as the
 * driver (netsvc_driver_tests.c). */
#include "netsvc_tests.h"

#define P(s) s, sizeof s - 1

bool nt_start_netsvc(uint64_t *pid)
{
	static const char path[] = "netsvc";
	uint64_t cap, n;
	NC_EXPECT_SYS(ut_attenuate("service", "service.register", "net", NC_SYS_RIGHTS_ALL, 0, &cap), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_spawn(path, sizeof path - 1, "", 0, &cap, 1, pid), NC_SYS_OK);
	nc_sys_handle_close(cap);
	for (int i = 0; i < 5000; i++) {
		if (nc_sys_net_interface_list(NULL, 0, &n) == NC_SYS_OK)
			return true;
		nc_sys_sleep(1000000);
	}
	return NC_FAIL("netsvc did not register");
}

bool nt_stop_netsvc(uint64_t pid)
{
	uint64_t status, reaped;
	NC_EXPECT_SYS(nc_sys_process_kill(pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	return true;
}

/* The byte at offset i of the test stream. */
uint8_t nt_stream_byte(uint64_t i)
{
	uint64_t x = (i >> 3) * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 32;
	return (uint8_t)(x >> (8 * (i & 7)));
}

enum { STREAM_BYTES = 1 << 20 };

/* A thread: send STREAM_BYTES of the test stream on socket *arg in uneven
 * pieces, then stop sending. */
static int send_stream(void *arg)
{
	uint64_t s = *(uint64_t *)arg, n;
	static uint8_t buf[NC_SYS_NET_IO_MAX_BYTES];
	for (uint64_t off = 0, piece = 1; off < STREAM_BYTES; piece = piece * 7 % NC_SYS_NET_IO_MAX_BYTES + 1) {
		uint64_t len = STREAM_BYTES - off < piece ? STREAM_BYTES - off : piece;
		for (uint64_t i = 0; i < len; i++)
			buf[i] = nt_stream_byte(off + i);
		nc_sys_err_t err = nc_sys_net_send(s, buf, len, &n);
		if (err)
			return (int)err + 1000;
		off += n;
	}
	return nc_sys_net_shutdown(s, NC_SYS_NET_SHUT_SEND) ? 2000 : 0;
}

/* Receive the test stream on s until its end; every byte checked. */
static bool recv_stream(uint64_t s)
{
	static uint8_t buf[NC_SYS_NET_IO_MAX_BYTES];
	uint64_t off = 0, n;
	for (;;) {
		NC_EXPECT_SYS(nc_sys_net_recv(s, buf, sizeof buf, 10000000000ull, &n), NC_SYS_OK);
		if (n == 0)
			break;
		for (uint64_t i = 0; i < n; i++)
			if (buf[i] != nt_stream_byte(off + i))
				return NC_FAIL("byte %llu differs", (unsigned long long)(off + i));
		off += n;
	}
	return off == STREAM_BYTES || NC_FAIL("%llu bytes, want %u", (unsigned long long)off, STREAM_BYTES);
}

static bool tcp_calls(void)
{
	uint64_t l, c, a, l2, idx, n, code;
	char buf[16];
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &l), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_listen(l, 4), NC_SYS_ERR_INVALID); /* not bound */
	NC_EXPECT_SYS(nc_sys_net_bind(l, P("127.0.0.1:7000")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_listen(l, 4), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_accept(l, 0, &a), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_net_accept(l, 20000000, &a), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(&l, 1, 0, &idx), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &l2), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(l2, P("127.0.0.1:7000")), NC_SYS_OK); /* SO_REUSEADDR: bound, */
	NC_EXPECT_SYS(nc_sys_net_listen(l2, 4), NC_SYS_ERR_ADDR_IN_USE);      /* but not listening twice */
	nc_sys_handle_close(l2);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(c, P("127.0.0.1:7000")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(c, P("127.0.0.1:7000")), NC_SYS_ERR_EXISTS);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(&l, 1, 5000000000ull, &idx), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_accept(l, 5000000000ull, &a), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_recv(a, buf, sizeof buf, 10000000, &n), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(&a, 1, 0, &idx), NC_SYS_ERR_TIMED_OUT);
	/* 1 MiB one way while the other side reads it */
	nc_thread_t t;
	NC_EXPECT_SYS(nc_thread_start(&t, send_stream, &c), NC_SYS_OK);
	bool ok = recv_stream(a);
	NC_EXPECT_SYS(nc_thread_join(&t, &code), NC_SYS_OK);
	if (!ok)
		return false;
	NC_REQUIRE(code == 0);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(&a, 1, 0, &idx), NC_SYS_OK); /* the end stays readable */
	NC_EXPECT_SYS(nc_sys_net_send(c, "x", 1, &n), NC_SYS_ERR_NOT_CONNECTED);
	/* the other way, then the server closes: the client reads the end */
	NC_EXPECT_SYS(nc_sys_net_send(a, "back", 4, &n), NC_SYS_OK);
	nc_sys_handle_close(a);
	NC_EXPECT_SYS(nc_sys_net_recv(c, buf, sizeof buf, 5000000000ull, &n), NC_SYS_OK);
	NC_REQUIRE(n == 4 && nc_mem_compare(buf, "back", 4) == 0);
	NC_EXPECT_SYS(nc_sys_net_recv(c, buf, sizeof buf, 5000000000ull, &n), NC_SYS_OK);
	NC_REQUIRE(n == 0);
	nc_sys_handle_close(c);
	nc_sys_handle_close(l);
	/* nobody listens: refused */
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(c, P("127.0.0.1:7001")), NC_SYS_ERR_CONN_REFUSED);
	NC_EXPECT_SYS(nc_sys_net_send(c, "x", 1, &n), NC_SYS_ERR_NOT_CONNECTED);
	nc_sys_handle_close(c);
	return true;
}

/* A non-blocking sender to a peer that does not read: each NetSend queues
 * what fits and says how much (a short count once room runs out), then
 * TIMED_OUT; the reader then gets exactly the bytes counted, in order. */
static bool tcp_nonblocking_sends(void)
{
	static uint8_t buf[NC_SYS_NET_IO_MAX_BYTES];
	uint64_t l, c, a, n;
	size_t sent = 0;
	bool short_count = false;
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &l), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(l, P("127.0.0.1:7004")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_listen(l, 1), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(c, P("127.0.0.1:7004")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_accept(l, 5000000000ull, &a), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_set_option(c, NC_SYS_NET_OPT_NONBLOCK, 1), NC_SYS_OK);
	for (;;) {
		size_t len = sizeof buf - sent % 1000; /* uneven pieces */
		for (size_t i = 0; i < len; i++)
			buf[i] = nt_stream_byte(sent + i);
		nc_sys_err_t err = nc_sys_net_send(c, buf, len, &n);
		if (err == NC_SYS_ERR_TIMED_OUT)
			break;
		NC_EXPECT_SYS(err, NC_SYS_OK);
		NC_REQUIRE(n > 0 && n <= len && sent < (8u << 20)); /* a window and a send buffer hold far less */
		short_count |= n < len;
		sent += n;
	}
	NC_REQUIRE(short_count);
	NC_EXPECT_SYS(nc_sys_net_shutdown(c, NC_SYS_NET_SHUT_SEND), NC_SYS_OK);
	size_t got = 0;
	for (;; got += n) {
		NC_EXPECT_SYS(nc_sys_net_recv(a, buf, sizeof buf, 10000000000ull, &n), NC_SYS_OK);
		if (n == 0)
			break;
		for (uint64_t i = 0; i < n; i++)
			if (buf[i] != nt_stream_byte(got + i))
				return NC_FAIL("byte %zu differs", got + (size_t)i);
	}
	nc_sys_handle_close(a);
	nc_sys_handle_close(c);
	nc_sys_handle_close(l);
	return got == sent || NC_FAIL("%zu bytes arrived, %zu were counted sent", got, sent);
}

/* A connection this side shut down first (NetShutdown SEND, then the peer's
 * FIN: TIME_WAIT), reopened by a SYN from the same address and port
 * (timewait.c frees the TIME_WAIT pcb and lwIP gives the new connection the
 * same one from its pool): closing the old socket afterwards leaves the new
 * connection alone. It once closed it: the old socket still held the pcb. */
static bool tcp_time_wait_reopen(void)
{
	uint64_t l, c, a, a2, n;
	char buf[16];
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &l), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(l, P("127.0.0.1:7005")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_listen(l, 4), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(c, P("127.0.0.1:7006")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(c, P("127.0.0.1:7005")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_accept(l, 5000000000ull, &a), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_shutdown(a, NC_SYS_NET_SHUT_SEND), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_recv(c, buf, sizeof buf, 5000000000ull, &n), NC_SYS_OK);
	NC_REQUIRE(n == 0);
	nc_sys_handle_close(c);
	NC_EXPECT_SYS(nc_sys_net_recv(a, buf, sizeof buf, 5000000000ull, &n), NC_SYS_OK); /* the client's FIN */
	NC_REQUIRE(n == 0);
	/* initial sequence numbers follow a 4-microsecond clock (RFC 6528, isn.c):
	 * a second later the new SYN lies beyond what the old connection received
	 * (with lwIP's own counter it did not always: 4 of 10 boots got RST) */
	nc_sys_sleep(1000000000);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_set_option(c, NC_SYS_NET_OPT_TIMEOUT_NS, 5000000000ull), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(c, P("127.0.0.1:7006")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(c, P("127.0.0.1:7005")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_accept(l, 5000000000ull, &a2), NC_SYS_OK);
	nc_sys_handle_close(a);
	NC_EXPECT_SYS(nc_sys_net_send(c, "again", 5, &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_recv(a2, buf, sizeof buf, 5000000000ull, &n), NC_SYS_OK);
	NC_REQUIRE(n == 5 && nc_mem_compare(buf, "again", 5) == 0);
	NC_EXPECT_SYS(nc_sys_net_send(a2, "back", 4, &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_recv(c, buf, sizeof buf, 5000000000ull, &n), NC_SYS_OK);
	NC_REQUIRE(n == 4 && nc_mem_compare(buf, "back", 4) == 0);
	nc_sys_handle_close(a2);
	nc_sys_handle_close(c);
	nc_sys_handle_close(l);
	return true;
}

static bool expect_dgram(uint64_t s, size_t cap, const char *data, const char *from)
{
	char buf[64], f[NC_SYS_NET_FROM_BYTES];
	uint64_t n;
	NC_EXPECT_SYS(nc_sys_net_recv_from(s, buf, cap, f, sizeof f, 5000000000ull, &n), NC_SYS_OK);
	size_t want = nc_str_len(data) < cap ? nc_str_len(data) : cap;
	NC_REQUIRE(n == want && nc_mem_compare(buf, data, n) == 0);
	return !from || nc_str_compare(f, from) == 0 || NC_FAIL("from %s, want %s", f, from);
}

static bool udp_calls(void)
{
	uint64_t a, b, n, idx;
	char buf[64];
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_UDP, &a), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_UDP, &b), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(a, P("127.0.0.1:7002")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(b, P("127.0.0.1:7003")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(b, P("127.0.0.1:7004")), NC_SYS_ERR_EXISTS);
	NC_EXPECT_SYS(nc_sys_net_recv(a, buf, sizeof buf, 0, &n), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_net_send(b, "x", 1, &n), NC_SYS_ERR_NOT_CONNECTED);
	NC_EXPECT_SYS(nc_sys_net_send_to(b, "ping", 4, P("127.0.0.1:7002"), &n), NC_SYS_OK);
	NC_REQUIRE(n == 4);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(&a, 1, 5000000000ull, &idx), NC_SYS_OK);
	if (!expect_dgram(a, 64, "ping", "127.0.0.1:7003"))
		return false;
	/* datagrams keep their borders; a short buffer cuts one */
	NC_EXPECT_SYS(nc_sys_net_connect(b, P("127.0.0.1:7002")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_send(b, "first", 5, &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_send(b, "second", 6, &n), NC_SYS_OK);
	if (!expect_dgram(a, 3, "first", NULL) || !expect_dgram(a, 64, "second", NULL))
		return false;
	NC_EXPECT_SYS(nc_sys_net_send_to(a, "pong", 4, P("127.0.0.1:7003"), &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_recv(b, buf, sizeof buf, 5000000000ull, &n), NC_SYS_OK);
	NC_REQUIRE(n == 4 && nc_mem_compare(buf, "pong", 4) == 0);
	NC_EXPECT_SYS(nc_sys_net_listen(a, 1), NC_SYS_ERR_INVALID);
	nc_sys_handle_close(a);
	nc_sys_handle_close(b);
	return true;
}

bool nt_ping(const char *target, const char *reply_from)
{
	uint64_t s, n;
	char buf[64], from[NC_SYS_NET_FROM_BYTES];
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_ICMP_ECHO, &s), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(s, target, nc_str_len(target)), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_send(s, "echo me", 7, &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_recv_from(s, buf, sizeof buf, from, sizeof from, 5000000000ull, &n), NC_SYS_OK);
	nc_sys_handle_close(s);
	NC_REQUIRE(n == 7 && nc_mem_compare(buf, "echo me", 7) == 0);
	return nc_str_compare(from, reply_from) == 0 || NC_FAIL("reply from %s, want %s", from, reply_from);
}

static bool icmp_calls(void)
{
	return nt_ping("127.0.0.1:0", "127.0.0.1:0");
}

static bool interfaces(void)
{
	nc_sys_net_interface_t e[2];
	uint64_t n;
	char buf[32];
	NC_EXPECT_SYS(nc_sys_net_interface_list(e, 2, &n), NC_SYS_OK);
	NC_REQUIRE(n == 1 && nc_str_compare(e[0].name, "lo") == 0 && e[0].ipv4 == 0x7f000001 && e[0].ipv4_prefix == 8);
	NC_REQUIRE(e[0].flags & NC_SYS_NET_IF_UP);
	NC_EXPECT_SYS(nc_sys_net_resolve(P("10.1.2.3"), NC_SYS_NET_RESOLVE_IPV4, buf, sizeof buf, &n), NC_SYS_OK);
	NC_REQUIRE(n == 9 && nc_mem_compare(buf, "10.1.2.3", 9) == 0);
	NC_EXPECT_SYS(nc_sys_net_resolve(P("10.1.2.3"), NC_SYS_NET_RESOLVE_IPV4, buf, 4, &n), NC_SYS_ERR_TOO_SMALL);
	/* no interface has a DNS server */
	NC_EXPECT_SYS(nc_sys_net_resolve(P("example.com"), NC_SYS_NET_RESOLVE_IPV4, buf, sizeof buf, &n), NC_SYS_ERR_UNREACHABLE);
	/* IPv6: an address resolves to itself (canonical, without brackets), a name needs DNS */
	NC_EXPECT_SYS(nc_sys_net_resolve(P("[0:0::1]"), NC_SYS_NET_RESOLVE_IPV6, buf, sizeof buf, &n), NC_SYS_OK);
	NC_REQUIRE(n == 4 && nc_mem_compare(buf, "::1", 4) == 0);
	NC_EXPECT_SYS(nc_sys_net_resolve(P("10.1.2.3"), NC_SYS_NET_RESOLVE_IPV6, buf, sizeof buf, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_resolve(P("example.com"), NC_SYS_NET_RESOLVE_IPV6, buf, sizeof buf, &n), NC_SYS_ERR_UNREACHABLE);
	return true;
}

/* IPv6 on the loopback interface (::1): TCP through a dual-stack listener,
 * a listener on ::1 alone, UDP senders as "[::1]:PORT", ICMPv6 echo. */
static bool ipv6_calls(void)
{
	nc_sys_net_interface_t lo;
	uint64_t l, l6, c, c4, a, n, u, v;
	char buf[16];
	NC_EXPECT_SYS(nc_sys_net_interface_list(&lo, 1, &n), NC_SYS_OK);
	NC_REQUIRE(nc_str_compare(lo.ipv6_global, "::1") == 0 && lo.ipv6_link[0] == 0);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &l), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(l, P("[::]:7010")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_listen(l, 4), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(c, P("[0:0::1]:7010")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_accept(l, 5000000000ull, &a), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_send(c, "over v6", 7, &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_recv(a, buf, sizeof buf, 5000000000ull, &n), NC_SYS_OK);
	NC_REQUIRE(n == 7 && nc_mem_compare(buf, "over v6", 7) == 0);
	nc_sys_handle_close(a);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &c4), NC_SYS_OK); /* [::] takes IPv4 too */
	NC_EXPECT_SYS(nc_sys_net_connect(c4, P("127.0.0.1:7010")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_accept(l, 5000000000ull, &a), NC_SYS_OK);
	nc_sys_handle_close(a);
	nc_sys_handle_close(c4);
	nc_sys_handle_close(c);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &l6), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(l6, P("[::1]:7011")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_listen(l6, 4), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &c4), NC_SYS_OK); /* ::1 alone takes no IPv4 */
	NC_EXPECT_SYS(nc_sys_net_connect(c4, P("127.0.0.1:7011")), NC_SYS_ERR_CONN_REFUSED);
	nc_sys_handle_close(c4);
	nc_sys_handle_close(l6);
	nc_sys_handle_close(l);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_UDP, &u), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_UDP, &v), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(u, P("[::1]:7012")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(v, P("[::1]:7013")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_send_to(v, "six", 3, P("[::1]:7012"), &n), NC_SYS_OK);
	bool ok = expect_dgram(u, 64, "six", "[::1]:7013");
	nc_sys_handle_close(u);
	nc_sys_handle_close(v);
	return ok && nt_ping("[::1]:0", "[::1]:0");
}

static bool t_loopback(void)
{
	uint64_t pid;
	if (!nt_start_netsvc(&pid))
		return false;
	bool ok = interfaces() && tcp_calls() && tcp_nonblocking_sends() && tcp_time_wait_reopen() &&
		  udp_calls() && icmp_calls() && ipv6_calls();
	return nt_stop_netsvc(pid) && ok;
}

const nc_test_case_t ut_netsvc_tests[] = {
	{ "netsvc.loopback", t_loopback },
	{ NULL, NULL },
};
