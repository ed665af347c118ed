/* The NIC drivers' main loop (nc/nic.h). */
#include <nc/nic.h>
#include <nc/ulib.h>

#define IDLE_NS 1000000000ull

bool nc_nic_pull_tx(nc_nic_t *n, bool (*room)(nc_nic_t *n, const nc_netdev_frame_t *f),
		    void (*send)(nc_nic_t *n, const nc_netdev_frame_t *f), bool *sent)
{
	bool moved = false, kick = false;
	*sent = false;
	nc_netdev_frame_t f;
	while (n->attached) {
		bool k = false;
		nc_netdev_err_t e = nc_netdev_peek_frame(&n->port.tx, &f);
		if (e == NC_NETDEV_EMPTY)
			break;
		if (e == NC_NETDEV_BROKEN) {
			nc_print("%s: the service's transmit ring is corrupt\n", n->name);
			nc_nic_detach(n);
			return moved;
		}
		if (e == NC_NETDEV_OK && f.mss && !(n->offloads & NC_NETDEV_OFFLOAD_TSO4))
			e = NC_NETDEV_BAD_FRAME; /* never offered */
		if (e == NC_NETDEV_OK) {
			if (!room(n, &f))
				break;
			send(n, &f);
			*sent = true;
		}
		nc_netdev_done_frame(&n->port.tx, &f, &k); /* a bad frame is skipped */
		kick |= k;
		moved = true;
	}
	if (kick)
		nc_netdev_kick(n->port.chan);
	return moved;
}

void nc_nic_detach(nc_nic_t *n)
{
	nc_netdev_detach(&n->port);
	n->attached = false;
}

/* Take the interrupts and kicks that came; false when the service has gone. */
static bool take_messages(nc_nic_t *n)
{
	uint8_t b[NC_SYS_IPC_MSG_MAX_BYTES];
	uint64_t sizes;
	while (nc_sys_ipc_receive(n->irq_end, b, sizeof b, NULL, 0, 0, &sizes) == NC_SYS_OK) {
		uint32_t vector = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
		if (n->interrupt)
			n->interrupt(n, vector);
		(void)nc_sys_irq_ack(vector);
	}
	nc_sys_err_t err = NC_SYS_OK;
	while (n->attached && (err = nc_sys_ipc_receive(n->port.chan, b, sizeof b, NULL, 0, 0, &sizes)) == NC_SYS_OK)
		;
	return !n->attached || err != NC_SYS_ERR_PEER_CLOSED;
}

void nc_nic_run(nc_nic_t *n, const char *pci, uint64_t control, unsigned instance)
{
	nc_print("%s%u: %s: MAC %02x:%02x:%02x:%02x:%02x:%02x, link %s\n", n->name, instance, pci, n->mac[0],
		 n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5], n->link_up(n) ? "up" : "down");
	if (control)
		(void)nc_sys_ipc_send(control, "ready", 5, NULL, 0, 0);
	for (;;) {
		if (!n->attached)
			n->attached = nc_netdev_attach(&n->port, n->mac, 1500, n->name, n->offloads, n->link_up(n)) == NC_SYS_OK;
		if (!take_messages(n)) {
			nc_nic_detach(n);
			continue;
		}
		if (n->attached)
			nc_netdev_set_link(&n->port, n->link_up(n));
		if (n->move_rx(n) | n->move_tx(n))
			continue;
		if (n->attached && !nc_netdev_may_sleep(&n->port.tx))
			continue;
		uint64_t hs[2] = { n->irq_end, n->port.chan }, idx;
		(void)nc_sys_handle_wait_any(hs, n->attached ? 2 : 1, n->attached ? IDLE_NS : IDLE_NS / 10, &idx);
	}
}
