/* The network calls' kernel side (kernel/sys_net.c, docs/network.md) with the
 * fake service of svc_netfake.c: every call routed to the service with its
 * address made canonical, the capability scopes checked before the service
 * is asked, argument errors, the service ending; and HandleWaitAny over
 * channels and sockets (kernel/waitany.c). */
#include "netsvc_tests.h"

#define P(s) s, sizeof s - 1

static bool start_fake(uint64_t *pid)
{
	uint64_t cap, n;
	NC_EXPECT_SYS(ut_attenuate("service", "service.register", "net", NC_SYS_RIGHTS_ALL, 0, &cap), NC_SYS_OK);
	NC_EXPECT_SYS(ut_spawn_child("svc_netfake", &cap, 1, pid), NC_SYS_OK);
	nc_sys_handle_close(cap);
	for (int i = 0; i < 2000; i++) {
		if (nc_sys_net_interface_list(NULL, 0, &n) == NC_SYS_OK)
			return true;
		nc_sys_sleep(1000000);
	}
	return NC_FAIL("svc_netfake did not register");
}

static bool stop_fake(uint64_t pid, uint64_t *status)
{
	uint64_t reaped;
	nc_sys_process_kill(pid);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, status, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	return true;
}

static uint64_t now_ns(void)
{
	uint64_t t = 0;
	nc_sys_clock_get(&t);
	return t;
}

typedef struct {
	uint64_t handle;                 /* a channel endpoint to send on, or a socket */
	bool socket;
} poke_t;

/* A thread: after 30 ms, one message or 3 bytes on p->handle. */
static int poke(void *arg)
{
	const poke_t *p = arg;
	uint64_t n;
	nc_sys_sleep(30000000);
	return p->socket ? nc_sys_net_send(p->handle, "abc", 3, &n) : nc_sys_ipc_send(p->handle, "x", 1, NULL, 0, 0);
}

/* Wait on hs[0..n) with no limit while a thread pokes p; want: the index. */
static bool wait_poked(const uint64_t *hs, uint64_t n, poke_t p, uint64_t want)
{
	nc_thread_t t;
	uint64_t idx = 99, code;
	NC_EXPECT_SYS(nc_thread_start(&t, poke, &p), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(hs, n, NC_SYS_TIMEOUT_INFINITE, &idx), NC_SYS_OK);
	NC_EXPECT_SYS(nc_thread_join(&t, &code), NC_SYS_OK);
	NC_REQUIRE(code == 0 && idx == want);
	return true;
}

static bool t_wait_any_channels(void)
{
	uint64_t a[2], b[2], idx, sizes, hs[2], too_many[NC_SYS_HANDLES_MAX + 1] = { 0 };
	char buf[8];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(a), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(b), NC_SYS_OK);
	hs[0] = a[1];
	hs[1] = b[1];
	NC_EXPECT_SYS(nc_sys_handle_wait_any(hs, 2, 0, &idx), NC_SYS_ERR_TIMED_OUT);
	uint64_t t0 = now_ns();
	NC_EXPECT_SYS(nc_sys_handle_wait_any(hs, 2, 20000000, &idx), NC_SYS_ERR_TIMED_OUT);
	NC_REQUIRE(now_ns() - t0 >= 20000000);
	/* a queued message makes its endpoint ready, and waiting takes nothing */
	NC_EXPECT_SYS(nc_sys_ipc_send(b[0], "y", 1, NULL, 0, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(hs, 2, NC_SYS_TIMEOUT_INFINITE, &idx), NC_SYS_OK);
	NC_REQUIRE(idx == 1);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(hs, 2, 0, &idx), NC_SYS_OK);
	NC_REQUIRE(idx == 1);
	NC_EXPECT_SYS(nc_sys_ipc_receive(b[1], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(hs, 2, 0, &idx), NC_SYS_ERR_TIMED_OUT);
	/* a waiter is woken by a message sent while it sleeps */
	if (!wait_poked(hs, 2, (poke_t){ a[0], false }, 0))
		return false;
	NC_EXPECT_SYS(nc_sys_ipc_receive(a[1], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK);
	/* a closed peer makes the endpoint ready */
	nc_sys_handle_close(b[0]);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(hs, 2, NC_SYS_TIMEOUT_INFINITE, &idx), NC_SYS_OK);
	NC_REQUIRE(idx == 1);
	/* bad input */
	NC_EXPECT_SYS(nc_sys_handle_wait_any(hs, 0, 0, &idx), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(too_many, NC_SYS_HANDLES_MAX + 1, 0, &idx), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_handle_wait_any((void *)UT_KERNEL_ADDR, 1, 0, &idx), NC_SYS_ERR_BAD_ADDRESS);
	uint64_t bad[2] = { a[1], 9999 }, cap[2] = { a[1], ut_find_handle(NC_SYS_HANDLE_CAP, "net") };
	NC_EXPECT_SYS(nc_sys_handle_wait_any(bad, 2, 0, &idx), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(cap, 2, 0, &idx), NC_SYS_ERR_WRONG_TYPE);
	nc_sys_handle_close(a[0]);
	nc_sys_handle_close(a[1]);
	nc_sys_handle_close(b[1]);
	return true;
}

static bool t_no_service(void)
{
	uint64_t h, n, c[2], sizes;
	char out[16];
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &h), NC_SYS_ERR_UNAVAILABLE);
	NC_EXPECT_SYS(nc_sys_net_socket(7, &h), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_resolve(P("example.com"), NC_SYS_NET_RESOLVE_IPV4, out, sizeof out, &n), NC_SYS_ERR_UNAVAILABLE);
	NC_EXPECT_SYS(nc_sys_net_interface_list(NULL, 0, &n), NC_SYS_ERR_UNAVAILABLE);
	/* NetAttach closes the endpoint on every error: the peer sees it */
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_attach(c[1]), NC_SYS_ERR_UNAVAILABLE);
	NC_EXPECT_SYS(nc_sys_handle_close(c[1]), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_ipc_receive(c[0], out, sizeof out, NULL, 0, 0, &sizes), NC_SYS_ERR_PEER_CLOSED);
	nc_sys_handle_close(c[0]);
	return true;
}

static bool expect_from(uint64_t s, const char *data, const char *from)
{
	char buf[64], f[NC_SYS_NET_FROM_BYTES];
	uint64_t n;
	NC_EXPECT_SYS(nc_sys_net_recv_from(s, buf, sizeof buf, f, sizeof f, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == nc_str_len(data) && nc_mem_compare(buf, data, n) == 0);
	return nc_str_compare(f, from) == 0 || NC_FAIL("from '%s', want '%s'", f, from);
}

/* Sends, receives, readiness and the service's view of addresses. */
static bool socket_calls(void)
{
	uint64_t s, s2, n, idx, c[2], hs[2];
	char buf[64];
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &s), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(s, P("10.0.2.2:8080")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(c), NC_SYS_OK);
	hs[0] = c[1];
	hs[1] = s;
	NC_EXPECT_SYS(nc_sys_handle_wait_any(hs, 2, 0, &idx), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_net_send(s, "hello", 5, &n), NC_SYS_OK);
	NC_REQUIRE(n == 5);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(hs, 2, NC_SYS_TIMEOUT_INFINITE, &idx), NC_SYS_OK);
	NC_REQUIRE(idx == 1);
	if (!expect_from(s, "hello", "10.0.2.2:8080"))
		return false;
	NC_EXPECT_SYS(nc_sys_handle_wait_any(hs, 2, 0, &idx), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_net_recv(s, buf, sizeof buf, 0, &n), NC_SYS_ERR_TIMED_OUT);
	/* a waiter on a socket is woken by the service's signal */
	if (!wait_poked(hs, 2, (poke_t){ s, true }, 1))
		return false;
	NC_EXPECT_SYS(nc_sys_net_recv(s, buf, 2, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == 2 && nc_mem_compare(buf, "ab", 2) == 0);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(hs, 2, 0, &idx), NC_SYS_OK); /* "c" is left */
	NC_EXPECT_SYS(nc_sys_net_recv(s, buf, sizeof buf, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == 1 && buf[0] == 'c');
	/* the service gets canonical text */
	NC_EXPECT_SYS(nc_sys_net_send_to(s, "x", 1, P("Example.COM.:53"), &n), NC_SYS_OK);
	if (!expect_from(s, "x", "example.com:53"))
		return false;
	NC_EXPECT_SYS(nc_sys_net_resolve(P("Example.COM."), NC_SYS_NET_RESOLVE_IPV4, buf, sizeof buf, &n), NC_SYS_OK);
	NC_REQUIRE(n == 12 && nc_mem_compare(buf, "example.com", 12) == 0);
	NC_EXPECT_SYS(nc_sys_net_bind(s, P("0.0.0.0:8080")), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_listen(s, 4), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_accept(s, 0, &s2), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_send(s2, "z", 1, &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_recv(s2, buf, sizeof buf, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == 1 && buf[0] == 'z');
	NC_EXPECT_SYS(nc_sys_net_set_option(s2, NC_SYS_NET_OPT_NONBLOCK, 1), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_set_option(s2, NC_SYS_NET_OPT_TIMEOUT_NS, 5000000), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_shutdown(s2, NC_SYS_NET_SHUT_BOTH), NC_SYS_OK);
	nc_sys_handle_close(s2);
	nc_sys_handle_close(s);
	nc_sys_handle_close(c[0]);
	nc_sys_handle_close(c[1]);
	return true;
}

/* Arguments the kernel refuses before the service is asked. */
static bool bad_arguments(void)
{
	uint64_t s, n, c[2];
	char buf[8], from[NC_SYS_NET_FROM_BYTES];
	static char long_addr[NC_SYS_NET_ADDR_MAX + 1];
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_UDP, &s), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(s, P("10.0.2.2")), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_connect(s, P("010.0.2.2:80")), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_connect(s, P("10.0.2.2:65536")), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_connect(s, P("10.0.2.2:080")), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_connect(s, P("*:80")), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_connect(s, "", 0), NC_SYS_ERR_INVALID);
	nc_mem_set(long_addr, 'a', sizeof long_addr);
	NC_EXPECT_SYS(nc_sys_net_connect(s, long_addr, sizeof long_addr), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_connect(s, (void *)UT_KERNEL_ADDR, 8), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_net_send(s, long_addr, NC_SYS_IO_BULK_MAX_BYTES + 1, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_send_to(s, long_addr, NC_SYS_NET_IO_MAX_BYTES + 1, P("10.0.2.2:7"), &n),
		      NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_send(s, (void *)UT_KERNEL_ADDR, 8, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_net_send(s, "q", 1, &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_recv(s, (void *)UT_KERNEL_ADDR, 8, 0, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_net_recv(s, buf, 0, 0, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_recv_from(s, buf, sizeof buf, from, sizeof from - 1, 0, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_bind(s, P("example.com:80")), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_listen(s, 0), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_listen(s, NC_SYS_NET_BACKLOG_MAX + 1), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_shutdown(s, 0), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_shutdown(s, 4), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_set_option(s, 0, 0), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_set_option(s, NC_SYS_NET_OPT_NONBLOCK, 2), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_resolve(P("bad..name"), NC_SYS_NET_RESOLVE_IPV4, buf, sizeof buf, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_resolve(P("example.com"), 5, buf, sizeof buf, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_interface_list(NULL, NC_SYS_NET_INTERFACES_MAX + 1, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(c[0], P("10.0.2.2:80")), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_net_send(c[0], "q", 1, &n), NC_SYS_ERR_WRONG_TYPE);
	nc_sys_handle_close(c[0]);
	nc_sys_handle_close(c[1]);
	nc_sys_handle_close(s);
	NC_EXPECT_SYS(nc_sys_net_send(s, "q", 1, &n), NC_SYS_ERR_BAD_HANDLE);
	return true;
}

/* Interfaces, a driver's channel, close notices. */
static bool service_calls(void)
{
	nc_sys_net_interface_t e[2];
	uint64_t n, c[2], idx, sizes, s1, s2;
	char buf[16];
	NC_EXPECT_SYS(nc_sys_net_interface_list(e, 2, &n), NC_SYS_OK);
	NC_REQUIRE(n == 1 && nc_str_compare(e[0].name, "fake0") == 0 && e[0].mtu == 1500);
	uint64_t closes = e[0].rx_packets;
	NC_EXPECT_SYS(nc_sys_net_interface_list((void *)UT_KERNEL_ADDR, 1, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_attach(c[1]), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(&c[0], 1, NC_SYS_TIMEOUT_INFINITE, &idx), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_receive(c[0], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE((sizes & 0xffffffff) == 8 && nc_mem_compare(buf, "attached", 8) == 0);
	NC_EXPECT_SYS(nc_sys_handle_close(c[1]), NC_SYS_ERR_BAD_HANDLE); /* it moved */
	nc_sys_handle_close(c[0]);
	/* two sockets closed: two notices, and the service still answers */
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_UDP, &s1), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_ICMP_ECHO, &s2), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_send(s1, "r", 1, &n), NC_SYS_OK); /* closed while signalled */
	nc_sys_handle_close(s1);
	nc_sys_handle_close(s2);
	NC_EXPECT_SYS(nc_sys_net_interface_list(e, 1, &n), NC_SYS_OK);
	return e[0].rx_packets == closes + 2 ||
	       NC_FAIL("%llu close notices, want 2", (unsigned long long)(e[0].rx_packets - closes));
}

/* The service ends with a call in progress: that call, later calls on its
 * sockets and new sockets get UNAVAILABLE; its sockets are ready. */
static bool service_ends(uint64_t pid)
{
	uint64_t s, n, idx, status, reaped;
	char buf[8];
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &s), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(&s, 1, 0, &idx), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_net_connect(s, P("10.9.9.9:1")), NC_SYS_ERR_UNAVAILABLE);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	NC_REQUIRE(status == 0);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(&s, 1, 0, &idx), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_recv(s, buf, sizeof buf, 0, &n), NC_SYS_ERR_UNAVAILABLE);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &n), NC_SYS_ERR_UNAVAILABLE);
	nc_sys_handle_close(s);
	return true;
}

static bool t_routed_calls(void)
{
	uint64_t pid, status;
	if (!start_fake(&pid))
		return false;
	if (socket_calls() && bad_arguments() && service_calls())
		return service_ends(pid);
	stop_fake(pid, &status);
	return false;
}

/* Handle 1: a socket; 2: net.connect on 10.0.2.2:8080 only. Nothing else. */
static int child_connect_scoped(void)
{
	uint64_t h, n, c[2];
	char buf[32];
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("10.0.2.2:8080")), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("10.0.2.2:8081")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("10.0.2.3:8080")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_send_to(1, "x", 1, P("10.0.2.3:8080"), &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_resolve(P("example.com"), NC_SYS_NET_RESOLVE_IPV4, buf, sizeof buf, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_socket(NC_SYS_NET_TCP, &h), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_send(1, "x", 1, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_recv(1, buf, sizeof buf, 0, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_bind(1, P("0.0.0.0:8080")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_listen(1, 1), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_ipc_create_channel(c), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_attach(c[1]), NC_SYS_ERR_DENIED);
	return 0;
}

/* Handle 1: a socket; 2: net.connect on "example.com:*". */
static int child_host_scoped(void)
{
	uint64_t n;
	char buf[32];
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("EXAMPLE.com.:443")), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("example.com:1")), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("example.org:443")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("www.example.com:443")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("10.0.2.2:443")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_resolve(P("Example.com"), NC_SYS_NET_RESOLVE_IPV4, buf, sizeof buf, &n), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_resolve(P("example.org"), NC_SYS_NET_RESOLVE_IPV4, buf, sizeof buf, &n), NC_SYS_ERR_DENIED);
	return 0;
}

/* Handle 1: a socket; 2: net.connect on "*:53"; 3: net.listen on "8080". */
static int child_port_scoped(void)
{
	char buf[32];
	uint64_t n;
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("10.0.2.3:53")), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("example.com:53")), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("10.0.2.3:54")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_resolve(P("example.com"), NC_SYS_NET_RESOLVE_IPV4, buf, sizeof buf, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_bind(1, P("0.0.0.0:8080")), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_bind(1, P("0.0.0.0:8081")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_bind(1, P("0.0.0.0:0")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_listen(1, 1), NC_SYS_OK);
	return 0;
}

/* Handle 1: a socket; 2: net.connect on "[fd77::1]:80"; 3: net.connect on
 * "[::1]:*"; 4: net.listen on "8080". IPv6 endpoints are checked on their
 * canonical text (RFC 5952, in brackets). */
static int child_ipv6_scoped(void)
{
	char buf[32];
	uint64_t n;
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("[fd77::1]:80")), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("[FD77:0:0::0:1]:80")), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("[fd77::1]:81")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("[fd77::2]:80")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("[fd77::1:0]:80")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("[::1]:22")), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("[0::0:1]:443")), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("[::2]:22")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("[::ffff:127.0.0.1]:22")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("127.0.0.1:22")), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_send_to(1, "x", 1, P("[fd77::1]:80"), &n), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_send_to(1, "x", 1, P("[fd77::1]:53"), &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("[fe80::1%eth0]:80")), NC_SYS_ERR_INVALID);
	NC_EXPECT_CHILD(nc_sys_net_connect(1, P("fd77::1:80")), NC_SYS_ERR_INVALID);
	NC_EXPECT_CHILD(nc_sys_net_resolve(P("[::1]"), NC_SYS_NET_RESOLVE_IPV4, buf, sizeof buf, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_CHILD(nc_sys_net_bind(1, P("[::]:8080")), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_bind(1, P("[::]:8081")), NC_SYS_ERR_DENIED);
	return 0;
}

/* Handle 1: net.socket; 2: net.send. A socket made under handle 1 dies
 * with it. */
static int child_revoked(void)
{
	uint64_t s, n;
	NC_EXPECT_CHILD(nc_sys_net_socket(NC_SYS_NET_UDP, &s), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_send(s, "x", 1, &n), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_cap_revoke(1), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_send(s, "x", 1, &n), NC_SYS_ERR_REVOKED);
	NC_EXPECT_CHILD(nc_sys_net_socket(NC_SYS_NET_UDP, &s), NC_SYS_ERR_DENIED);
	return 0;
}

bool nt_run_scoped(const char *name, bool with_socket, const char *const *caps, int n_caps)
{
	uint64_t hs[4], status, first = with_socket ? 1 : 0;
	if (with_socket)
		NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &hs[0]), NC_SYS_OK);
	for (int i = 0; i < n_caps; i++)
		NC_EXPECT_SYS(ut_attenuate("net", caps[2 * i], caps[2 * i + 1], NC_SYS_RIGHTS_ALL, 0, &hs[first + i]),
			  NC_SYS_OK);
	bool ok = ut_spawn_with(name, hs, first + (uint64_t)n_caps, &status);
	for (uint64_t i = 0; i < first + (uint64_t)n_caps; i++)
		nc_sys_handle_close(hs[i]);
	if (ok && status)
		return NC_FAIL("%s failed at line %llu", name, (unsigned long long)status);
	return ok;
}

static bool t_capability_scopes(void)
{
	static const char *const exact[] = { "net.connect", "10.0.2.2:8080" };
	static const char *const host[] = { "net.connect", "example.com:*" };
	static const char *const port[] = { "net.connect", "*:53", "net.listen", "8080" };
	static const char *const own[] = { "net.socket", "*", "net.send", "*" };
	static const char *const v6[] = { "net.connect", "[fd77::1]:80", "net.connect", "[::1]:*", "net.listen", "8080" };
	uint64_t pid, status;
	if (!start_fake(&pid))
		return false;
	bool ok = nt_run_scoped("net_connect_scoped", true, exact, 1) &&
		  nt_run_scoped("net_host_scoped", true, host, 1) &&
		  nt_run_scoped("net_port_scoped", true, port, 2) &&
		  nt_run_scoped("net_ipv6_scoped", true, v6, 3) &&
		  nt_run_scoped("net_revoked", false, own, 2);
	return stop_fake(pid, &status) && ok;
}

const nc_test_case_t ut_net_tests[] = {
	{ "net.wait_any_channels", t_wait_any_channels },
	{ "net.no_service", t_no_service },
	{ "net.routed_calls", t_routed_calls },
	{ "net.capability_scopes", t_capability_scopes },
	{ NULL, NULL },
};

const nc_test_child_t ut_net_children[] = {
	{ "svc_netfake", ut_svc_netfake_main },
	{ "net_connect_scoped", child_connect_scoped },
	{ "net_host_scoped", child_host_scoped },
	{ "net_port_scoped", child_port_scoped },
	{ "net_ipv6_scoped", child_ipv6_scoped },
	{ "net_revoked", child_revoked },
	{ NULL, NULL },
};
