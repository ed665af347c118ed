/* The virtio-net driver (docs/network.md): a user-space process started by
 * the device manager with DriverLoad for a modern virtio network device
 * (Virtual I/O Device 1.2, 5.1) over nc/virtio.h. Queue 0 receives, queue 1
 * transmits, each with its own MSI-X vector (0 and 1); the link state is read
 * from the device's configuration at least once a second. Frames move between the queues' DMA buffers and the network
 * service's rings (nc/netdev.h) by copy, so the device only ever reaches
 * the driver's DMA memory: up to 256 frames in flight each way.
 *
 * The main loop is nc/nic.h's: one thread, attaching again whenever the
 * service comes back (the MAC address gives it its interface back).
 *
 * Handles (DriverLoadDevice): the claim, the driver.* capabilities, the
 * offered net.attach, then console.write and the device manager's control
 * channel, on which it reads "instance N" and answers "ready ethN". */
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/nic.h>
#include <nc/ulib.h>
#include <nc/virtio.h>

enum {
	QUEUE_ENTRIES = 256, BUF_BYTES = 2048, HDR_BYTES = 12, /* virtio_net_hdr with num_buffers */
	RX_QUEUE = 0, TX_QUEUE = 1, RX_VECTOR = 0, TX_VECTOR = 1,
	F_MAC = 5, F_STATUS = 16, STATUS_LINK_UP = 1, CFG_MAC = 0, CFG_STATUS = 6,
};
/* A queue and its buffers: descriptor i always points at buffer i. */
typedef struct {
	nc_virtio_queue_t q;
	uint8_t *bufs;
} queue_t;

static nc_virtio_t dev;
static queue_t rxq, txq;
static uint16_t tx_free[QUEUE_ENTRIES], n_tx_free;
static uint16_t rx_held[QUEUE_ENTRIES], n_rx_held; /* received, not yet in the service's ring */
static uint32_t rx_held_len[QUEUE_ENTRIES];

static bool link_up(nc_nic_t *n)
{
	(void)n;
	if (!(dev.features & 1ull << F_STATUS))
		return true;
	return *(volatile uint16_t *)(dev.device + CFG_STATUS) & STATUS_LINK_UP;
}

static void check(const char *what, nc_sys_err_t err)
{
	if (!err)
		return;
	nc_print("virtio-net: %s: %s\n", what, nc_sys_err_name(err));
	nc_sys_exit(1);
}

/* Queue index with its buffers, device-writable ones for receiving. */
static void setup_queue(queue_t *q, uint16_t index, uint16_t vector, bool device_writes)
{
	uint64_t bus, addr;
	check("setting up a queue", nc_virtio_queue_setup(&dev, &q->q, index, QUEUE_ENTRIES, vector));
	check("DMA memory for the buffers", nc_sys_dma_map((uint64_t)q->q.size * BUF_BYTES, &bus, &addr));
	q->bufs = (uint8_t *)addr;
	for (uint16_t i = 0; i < q->q.size; i++)
		q->q.desc[i] = (nc_virtio_desc_t){ .addr = bus + (uint64_t)i * BUF_BYTES, .len = BUF_BYTES,
						   .flags = device_writes ? NC_VIRTIO_DESC_F_WRITE : 0 };
}

static uint8_t *buf(const queue_t *q, uint16_t i)
{
	return q->bufs + (size_t)i * BUF_BYTES;
}

/* Hand buffer i to the device with len bytes. */
static void offer(queue_t *q, uint16_t i, uint32_t len)
{
	q->q.desc[i].len = len;
	nc_virtio_queue_offer(&q->q, i);
}

/* The next buffer the device gave back; a buffer it cannot have had ends the driver. */
static bool take(queue_t *q, uint16_t *i, uint32_t *len)
{
	if (!nc_virtio_queue_take(&q->q, i, len))
		return false;
	if (*i >= q->q.size)
		check("the device returned a buffer it was never given", NC_SYS_ERR_IO_ERROR);
	*len = *len < BUF_BYTES ? *len : BUF_BYTES;
	return true;
}

static void bring_up(const nc_driver_args_t *a, nc_nic_t *n)
{
	check("opening the virtio device", nc_virtio_open(&dev, a));
	check("feature negotiation", nc_virtio_negotiate(&dev, 1ull << F_MAC | 1ull << F_STATUS));
	if (!(dev.features & 1ull << F_MAC))
		check("the device has no MAC address", NC_SYS_ERR_UNSUPPORTED);
	uint64_t ends[2];
	check("making the interrupt channel", nc_sys_ipc_create_channel(ends));
	n->irq_end = ends[1];
	check("attaching the receive interrupt", nc_sys_irq_attach(RX_VECTOR, ends[0]));
	check("attaching the transmit interrupt", nc_sys_irq_attach(TX_VECTOR, ends[0]));
	setup_queue(&rxq, RX_QUEUE, RX_VECTOR, true);
	setup_queue(&txq, TX_QUEUE, TX_VECTOR, false);
	for (uint16_t i = 0; i < rxq.q.size; i++)
		offer(&rxq, i, BUF_BYTES);
	for (uint16_t i = 0; i < txq.q.size; i++)
		tx_free[n_tx_free++] = i;
	for (int i = 0; i < 6; i++)
		n->mac[i] = dev.device[CFG_MAC + i];
	nc_virtio_ready(&dev);
	nc_virtio_notify(&rxq.q);
}

/* Received frames to the service's rx ring; the buffers go back to the
 * device. Frames wait in rx_held while the ring is full. */
static bool move_rx(nc_nic_t *n)
{
	bool moved = false, kick = false;
	uint16_t i;
	uint32_t got;
	while (n_rx_held < QUEUE_ENTRIES && take(&rxq, &i, &got)) {
		rx_held[n_rx_held] = i;
		rx_held_len[n_rx_held++] = got;
	}
	uint16_t done = 0;
	for (; done < n_rx_held; done++) {
		uint16_t b = rx_held[done];
		uint32_t len = rx_held_len[done];
		bool k = false;
		if (n->attached && len > HDR_BYTES) {
			nc_netdev_err_t e = nc_netdev_put(&n->port.rx, buf(&rxq, b) + HDR_BYTES, len - HDR_BYTES, &k);
			if (e == NC_NETDEV_FULL && !nc_netdev_may_wait_room(&n->port.rx))
				e = nc_netdev_put(&n->port.rx, buf(&rxq, b) + HDR_BYTES, len - HDR_BYTES, &k);
			if (e == NC_NETDEV_FULL)
				break; /* the service kicks us when it has made room */
		}
		kick |= k;
		offer(&rxq, b, BUF_BYTES);
		moved = true;
	}
	if (done) {
		nc_mem_move(rx_held, rx_held + done, (n_rx_held - done) * sizeof rx_held[0]);
		nc_mem_move(rx_held_len, rx_held_len + done, (n_rx_held - done) * sizeof rx_held_len[0]);
		n_rx_held = (uint16_t)(n_rx_held - done);
		nc_virtio_notify(&rxq.q);
	}
	if (kick)
		nc_netdev_kick(n->port.chan);
	return moved;
}

static bool tx_room(nc_nic_t *n, const nc_netdev_frame_t *f)
{
	(void)n;
	(void)f; /* an ordinary frame: one buffer */
	return n_tx_free > 0;
}

static void tx_send(nc_nic_t *n, const nc_netdev_frame_t *f)
{
	(void)n;
	uint16_t b = tx_free[--n_tx_free];
	uint8_t *p = buf(&txq, b);
	nc_mem_set(p, 0, HDR_BYTES);
	nc_mem_copy(p + HDR_BYTES, f->piece[0], f->len);
	offer(&txq, b, (uint32_t)(HDR_BYTES + f->len));
}

/* Take the sent buffers back. */
static void reclaim_tx(void)
{
	uint16_t i;
	uint32_t len;
	while (n_tx_free < QUEUE_ENTRIES && take(&txq, &i, &len))
		tx_free[n_tx_free++] = i;
}

/* Sent buffers come back; frames from the service's tx ring to the device.
 * The transmit queue interrupts only while every buffer is with the device
 * (then only its interrupt can give one back); otherwise the buffers are
 * taken back here, on the loop's next turn. */
static bool move_tx(nc_nic_t *n)
{
	bool sent;
	reclaim_tx();
	bool moved = nc_nic_pull_tx(n, tx_room, tx_send, &sent);
	if (sent)
		nc_virtio_notify(&txq.q);
	nc_virtio_queue_interrupts(&txq.q, n_tx_free == 0);
	if (n_tx_free == 0) {
		reclaim_tx(); /* buffers that came back before the interrupts were on */
		moved |= n_tx_free > 0;
	}
	return moved;
}

int main(const char *arg, size_t arg_len)
{
	nc_driver_args_t a;
	if (!nc_driver_parse(arg, arg_len, &a)) {
		nc_print("virtio-net: not started by DriverLoad (argument \"%s\")\n", arg);
		return 1;
	}
	static nc_nic_t nic = { .name = "virtio-net", .link_up = link_up, .move_rx = move_rx, .move_tx = move_tx };
	uint64_t ctl = nc_driver_control_channel();
	unsigned instance = nc_driver_instance(ctl);
	bring_up(&a, &nic);
	nc_nic_run(&nic, a.pci, ctl, instance);
}
