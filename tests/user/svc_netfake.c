/* A fake network service for net_tests.c: a child process (handle 1:
 * service.register for "net") registers as the SERVICE_NET service and
 * answers the forwarded socket calls without any network, so the tests see
 * exactly what the kernel forwards and how it treats the answers:
 *
 *   - every socket is a loop: bytes sent (NetSend, NetSendTo) are what
 *     NetRecv and NetRecvFrom return; while a socket holds bytes it is
 *     signalled readable (ServiceSignal), and the signal is cleared when they
 *     have all been read; a receive with nothing there answers TIMED_OUT;
 *   - NetConnect, NetBind and NetSendTo keep the address text they got as the
 *     socket's peer, which NetRecvFrom returns as the sender;
 *   - NetResolve answers with the name it got and a NUL;
 *   - NetInterfaceList describes one interface "fake0" whose rx_packets
 *     counts the close notices received so far;
 *   - NetAttach sends "attached" on the channel it got;
 *   - NetConnect to 10.9.9.9:1 ends the service with that call unanswered. */
#include "ut_sys.h"

enum { SOCKS = 32, DATA_BYTES = 1024 };

typedef struct {
	bool used;
	char peer[NC_SYS_NET_ADDR_MAX + 1];
	size_t peer_len;
	uint8_t data[DATA_BYTES];
	size_t len;
} fake_sock_t;

static fake_sock_t socks[SOCKS];
static nc_service_msg_t msg;
static uint64_t port, n_close, attached[4];

static void answer(nc_sys_err_t status, uint64_t result, const void *data, size_t len)
{
	nc_service_answer(port, msg.hdr.id, status, result, data, len);
}

static void open_sock(void)
{
	for (uint64_t i = 0; i < SOCKS; i++)
		if (!socks[i].used) {
			nc_mem_set(&socks[i], 0, sizeof socks[i]);
			socks[i].used = true;
			nc_service_answer_object(port, msg.hdr.id, i + 1, NC_SYS_HANDLE_SOCKET,
						 NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE);
			return;
		}
	answer(NC_SYS_ERR_LIMIT, 0, NULL, 0);
}

static void set_peer(fake_sock_t *s, const uint8_t *text, size_t len)
{
	nc_mem_copy(s->peer, text, len);
	s->peer_len = len;
}

/* Append data[0..len) to s (what fits) and signal it readable. */
static void put(fake_sock_t *s, const uint8_t *data, size_t len)
{
	size_t n = len < DATA_BYTES - s->len ? len : DATA_BYTES - s->len;
	nc_mem_copy(s->data + s->len, data, n);
	s->len += n;
	if (s->len)
		nc_sys_service_signal(port, msg.hdr.object, NC_SYS_SIGNAL_READABLE);
	answer(NC_SYS_OK, n, NULL, 0);
}

/* Take up to arg0 bytes of s, then (NetRecvFrom) its peer's text. */
static void take(fake_sock_t *s, bool with_from)
{
	static uint8_t out[DATA_BYTES + sizeof s->peer];
	if (!s->len) {
		answer(NC_SYS_ERR_TIMED_OUT, 0, NULL, 0);
		return;
	}
	size_t n = msg.hdr.arg0 < s->len ? msg.hdr.arg0 : s->len;
	nc_mem_copy(out, s->data, n);
	nc_mem_move(s->data, s->data + n, s->len - n);
	s->len -= n;
	if (!s->len)
		nc_sys_service_signal(port, msg.hdr.object, 0);
	size_t extra = with_from ? s->peer_len : 0;
	nc_mem_copy(out + n, s->peer, extra);
	answer(NC_SYS_OK, n, out, n + extra);
}

static void interface_list(void)
{
	nc_sys_net_interface_t e = { .flags = NC_SYS_NET_IF_UP | NC_SYS_NET_IF_LINK, .mac = 0x525400123456ull,
				     .mtu = 1500, .rx_packets = n_close };
	nc_mem_copy(e.name, "fake0", 6);
	answer(NC_SYS_OK, 1, &e, msg.hdr.arg0 ? sizeof e : 0);
}

static void attach(void)
{
	for (int i = 0; i < 4; i++)
		if (!attached[i]) {
			attached[i] = msg.handles[0];
			nc_sys_ipc_send(attached[i], "attached", 8, NULL, 0, 0);
			answer(NC_SYS_OK, 0, NULL, 0);
			return;
		}
	nc_sys_handle_close(msg.handles[0]);
	answer(NC_SYS_ERR_LIMIT, 0, NULL, 0);
}

static void on_socket(fake_sock_t *s)
{
	const uint8_t *p = msg.payload;
	size_t len = msg.hdr.in_len;
	switch (msg.hdr.op) {
	case NC_SYS_NET_CONNECT:
		if (len == 10 && nc_mem_compare(p, "10.9.9.9:1", 10) == 0)
			nc_sys_exit(0);
		set_peer(s, p, len);
		return answer(NC_SYS_OK, 0, NULL, 0);
	case NC_SYS_NET_BIND:
		set_peer(s, p, len);
		return answer(NC_SYS_OK, 0, NULL, 0);
	case NC_SYS_NET_SEND:
		return put(s, p, len);
	case NC_SYS_NET_SEND_TO:
		set_peer(s, p + msg.hdr.arg0, len - msg.hdr.arg0);
		return put(s, p, msg.hdr.arg0);
	case NC_SYS_NET_RECV:
		return take(s, false);
	case NC_SYS_NET_RECV_FROM:
		return take(s, true);
	case NC_SYS_NET_ACCEPT:
		return open_sock();
	default: /* NetListen, NetShutdown, NetSetOption */
		return answer(NC_SYS_OK, 0, NULL, 0);
	}
}

int ut_svc_netfake_main(void)
{
	NC_EXPECT_CHILD(nc_sys_service_register(NC_SYS_SERVICE_NET, NULL, 0, &port), NC_SYS_OK);
	for (;;) {
		if (nc_service_receive(port, &msg, NC_SYS_TIMEOUT_INFINITE))
			return 1;
		uint64_t o = msg.hdr.object;
		if (msg.hdr.op == NC_SYS_SERVICE_OP_CANCEL)
			continue;
		if (msg.hdr.op == NC_SYS_SERVICE_OP_CLOSE) {
			if (o && o <= SOCKS)
				socks[o - 1].used = false;
			n_close++;
		} else if (o) {
			if (o > SOCKS || !socks[o - 1].used)
				answer(NC_SYS_ERR_IO_ERROR, 0, NULL, 0);
			else
				on_socket(&socks[o - 1]);
		} else if (msg.hdr.op == NC_SYS_NET_SOCKET) {
			open_sock();
		} else if (msg.hdr.op == NC_SYS_NET_RESOLVE) {
			uint8_t name[NC_SYS_NET_ADDR_MAX + 1];
			nc_mem_copy(name, msg.payload, msg.hdr.in_len);
			name[msg.hdr.in_len] = 0;
			answer(NC_SYS_OK, msg.hdr.in_len + 1, name, msg.hdr.in_len + 1);
		} else if (msg.hdr.op == NC_SYS_NET_INTERFACE_LIST) {
			interface_list();
		} else if (msg.hdr.op == NC_SYS_NET_ATTACH && msg.n_handles == 1) {
			attach();
		} else {
			answer(NC_SYS_ERR_IO_ERROR, 0, NULL, 0);
		}
	}
}
