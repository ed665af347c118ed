/* netsvc, the network service (docs/network.md, netsvc.h). Started with
 * service.register=net (and console.write for its messages); it registers
 * SERVICE_NET, brings lwIP and the loopback interface up, starts the core
 * thread and serves requests on its port until killed.
 *
 * The core thread waits on the drivers' channels and its wake channel with
 * HandleWaitAny, up to the next lwIP timer or request deadline; the service
 * thread answers requests. Both do their work holding net_lock. */
#include <nc/mem.h>
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
#include "netsvc.h"

nc_lock_t net_lock;
uint64_t net_port;

static uint64_t wake_tx, wake_rx;      /* the core thread's wake channel */
static uint64_t core_wakes_at = UINT64_MAX; /* when the core thread's wait ends at the latest */

void net_wake_by(uint64_t deadline_ns)
{
	if (deadline_ns >= core_wakes_at)
		return;
	core_wakes_at = deadline_ns;
	uint8_t b = 0;
	(void)nc_sys_ipc_send(wake_tx, &b, 1, NULL, 0, 0); /* a full queue is a pending wake-up */
}

static void set_option(net_sock_t *s, uint64_t option, uint64_t value)
{
	if (option == NC_SYS_NET_OPT_NONBLOCK)
		s->nonblock = value;
	else if (option == NC_SYS_NET_OPT_NODELAY)
		s->nodelay = value;
	else if (option == NC_SYS_NET_OPT_TIMEOUT_NS)
		s->timeout_ns = value == NC_SYS_TIMEOUT_INFINITE ? 0 : value;
}

static void open_socket(const nc_service_msg_t *m)
{
	uint64_t kind = m->hdr.arg0;
	net_sock_t *s = kind >= NC_SYS_NET_TCP && kind <= NC_SYS_NET_ICMP_ECHO ? net_sock_new(kind) : NULL;
	if (!s) {
		net_answer(m->hdr.id, kind >= NC_SYS_NET_TCP && kind <= NC_SYS_NET_ICMP_ECHO ? NC_SYS_ERR_LIMIT
												 : NC_SYS_ERR_INVALID,
			   0, NULL, 0);
		return;
	}
	if (kind == NC_SYS_NET_TCP)
		net_tcp_open(s, m);
	else
		net_dgram_open(s, m);
	if (!s->pcb.tcp) {
		net_sock_free(s, NC_SYS_OK);
		net_answer(m->hdr.id, NC_SYS_ERR_NO_MEMORY, 0, NULL, 0);
		return;
	}
	/* CANCELLED (the caller is gone): the kernel sends the object's close notice */
	(void)nc_service_answer_object(net_port, m->hdr.id, s->id, NC_SYS_HANDLE_SOCKET,
				       NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE);
}

static void close_socket(net_sock_t *s)
{
	if (s->kind == NC_SYS_NET_TCP)
		net_tcp_close(s);
	else
		net_dgram_close(s);
}

static void dispatch(const nc_service_msg_t *m)
{
	net_sock_t *s = NULL;
	switch (m->hdr.op) {
	case NC_SYS_NET_SOCKET:
		open_socket(m);
		return;
	case NC_SYS_NET_RESOLVE:
		net_resolve_call(m);
		return;
	case NC_SYS_NET_INTERFACE_LIST:
		net_iface_list(m);
		return;
	case NC_SYS_NET_ATTACH:
		net_iface_attach(m);
		return;
	case NC_SYS_SERVICE_OP_CANCEL:
		net_cancel(m->hdr.arg0);
		return;
	case NC_SYS_SERVICE_OP_CLOSE:
		if ((s = net_sock_find(m->hdr.object)))
			close_socket(s);
		return;
	default:
		break;
	}
	s = net_sock_find(m->hdr.object);
	if (!s) { /* the kernel only forwards calls on objects this service made */
		net_answer(m->hdr.id, NC_SYS_ERR_IO_ERROR, 0, NULL, 0);
		return;
	}
	if (m->hdr.op == NC_SYS_NET_SET_OPTION)
		set_option(s, m->hdr.arg0, m->hdr.arg1);
	if (s->kind == NC_SYS_NET_TCP)
		net_tcp_call(s, m);
	else
		net_dgram_call(s, m);
}

/* Drain the wake channel. */
static void take_wakes(void)
{
	uint8_t b[16];
	uint64_t sizes;
	while (nc_sys_ipc_receive(wake_rx, b, sizeof b, NULL, 0, 0, &sizes) == NC_SYS_OK)
		;
}

static int core_main(void *arg)
{
	(void)arg;
	uint64_t handles[1 + NC_SYS_NET_INTERFACES_MAX], frame_due = UINT64_MAX;
	for (;;) {
		nc_lock_acquire(&net_lock);
		handles[0] = wake_rx;
		size_t n = 1 + net_iface_channels(handles + 1, NC_SYS_NET_INTERFACES_MAX);
		uint64_t now = net_now_ns();
		uint64_t wake = net_expire(now);
		if (frame_due < wake)
			wake = frame_due;
		uint32_t lwip_ms = sys_timeouts_sleeptime();
		if (lwip_ms != SYS_TIMEOUTS_SLEEPTIME_INFINITE && now + lwip_ms * 1000000ull < wake)
			wake = now + lwip_ms * 1000000ull;
		core_wakes_at = wake;
		nc_lock_release(&net_lock);
		uint64_t index;
		(void)nc_sys_handle_wait_any(handles, n, wake == UINT64_MAX ? NC_SYS_TIMEOUT_INFINITE
									  : wake > now ? wake - now : 0,
					     &index);
		nc_lock_acquire(&net_lock);
		take_wakes();
		net_iface_poll();
		sys_check_timeouts();
		net_expire(net_now_ns());
		netif_poll_all();
		frame_due = net_iface_round_end(net_now_ns());
		nc_lock_release(&net_lock);
	}
	return 0;
}

static nc_sys_err_t create_wake_channel(void)
{
	uint64_t ends[2];
	nc_sys_err_t err = nc_sys_ipc_create_channel(ends);
	wake_tx = ends[0];
	wake_rx = ends[1];
	return err;
}

int main(const char *arg, size_t arg_len)
{
	(void)arg;
	(void)arg_len;
	nc_sys_err_t err = nc_sys_service_register(NC_SYS_SERVICE_NET, NULL, 0, &net_port);
	if (!err)
		err = create_wake_channel();
	if (!err)
		err = net_isn_init();
	if (err) {
		nc_print("netsvc: cannot start: %s\n", nc_sys_err_name(err));
		return 1;
	}
	lwip_init();
	net_iface_init();
	nc_thread_t core;
	if ((err = nc_thread_start(&core, core_main, NULL))) {
		nc_print("netsvc: cannot start its core thread: %s\n", nc_sys_err_name(err));
		return 1;
	}
	static nc_service_msg_t m;
	for (;;) {
		err = nc_service_receive(net_port, &m, NC_SYS_TIMEOUT_INFINITE);
		if (err) {
			nc_print("netsvc: ServiceReceive: %s\n", nc_sys_err_name(err));
			return 1;
		}
		nc_lock_acquire(&net_lock);
		dispatch(&m);
		netif_poll_all();
		uint64_t flush_by = net_iface_round_end(net_now_ns());
		if (flush_by != UINT64_MAX)
			net_wake_by(flush_by);
		nc_lock_release(&net_lock);
	}
}
