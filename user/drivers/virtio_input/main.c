/* The virtio-input driver (docs/desktop.md, "Input"; VIRTIO 1.2 section 5.8):
 * a keyboard, a mouse or a tablet. It reads what the device reports (name,
 * event types, the absolute axes' ranges), fills the event queue with
 * buffers, and forwards the device's evdev events on its event channel in
 * the input protocol (nc/input.h): first the device's description, then the
 * events, a message per report. The LED status queue is not used.
 *
 * Handles (DriverLoadDevice): 1 the claim, 2-5 the driver.* capabilities,
 * then what the loader passes: the event channel (the first channel
 * endpoint) and console.write. When the event channel's other end closes
 * (the compositor has gone), the driver resets the device and ends: a reset
 * virtio keyboard is no longer QEMU's active one, so keys go back to the PS/2
 * keyboard, the kernel console's. */
#include <nc/fmt.h>
#include <nc/input.h>
#include <nc/mem.h>
#include <nc/ulib.h>
#include <nc/virtio.h>

/* virtio_input_config (5.8.5) */
enum {
	CFG_SELECT = 0, CFG_SUBSEL = 1, CFG_SIZE = 2, CFG_U = 8, CFG_U_BYTES = 128,
	SEL_ID_NAME = 0x01, SEL_EV_BITS = 0x11, SEL_ABS_INFO = 0x12,
	ABS_MIN = 0, ABS_MAX = 4,
};
enum { EVENTQ = 0, VECTOR = 0, QUEUE_SIZE = 64, EVENT_BYTES = 8 };

typedef struct {
	nc_virtio_t dev;
	nc_virtio_queue_t q;
	volatile uint8_t *events;   /* QUEUE_SIZE buffers of EVENT_BYTES, device-written */
	uint64_t events_bus;
	uint64_t out;               /* the event channel */
	uint64_t irq;               /* where the interrupt messages arrive */
	nc_input_events_t batch;
} vin_t;

static vin_t vin;

/* Select a configuration field; its size (0: the device has nothing there). */
static uint8_t config_select(uint8_t select, uint8_t subsel)
{
	vin.dev.device[CFG_SELECT] = select;
	vin.dev.device[CFG_SUBSEL] = subsel;
	return vin.dev.device[CFG_SIZE];
}

static int32_t config_u32(unsigned off)
{
	return *(volatile int32_t *)(vin.dev.device + CFG_U + off);
}

static void describe(nc_input_device_t *d)
{
	nc_mem_set(d, 0, sizeof *d);
	d->msg = NC_INPUT_MSG_DEVICE;
	uint8_t n = config_select(SEL_ID_NAME, 0);
	for (uint8_t i = 0; i < n && i < CFG_U_BYTES && i + 1u < sizeof d->name; i++)
		d->name[i] = (char)vin.dev.device[CFG_U + i];
	d->has = (config_select(SEL_EV_BITS, NC_EV_KEY) ? NC_INPUT_HAS_KEYS : 0) |
		 (config_select(SEL_EV_BITS, NC_EV_REL) ? NC_INPUT_HAS_REL : 0);
	bool abs = config_select(SEL_EV_BITS, NC_EV_ABS) != 0;
	for (uint8_t axis = NC_ABS_X; abs && axis <= NC_ABS_Y; axis++) {
		abs = config_select(SEL_ABS_INFO, axis) >= ABS_MAX + 4;
		d->abs_min[axis] = abs ? config_u32(ABS_MIN) : 0;
		d->abs_max[axis] = abs ? config_u32(ABS_MAX) : 0;
		abs = abs && d->abs_min[axis] < d->abs_max[axis];
	}
	if (abs)
		d->has |= NC_INPUT_HAS_ABS;
	else
		nc_mem_set(d->abs_min, 0, sizeof d->abs_min + sizeof d->abs_max);
}

static nc_sys_err_t give_buffer(uint16_t i)
{
	if (i >= vin.q.size)
		return NC_SYS_ERR_INVALID;
	vin.q.desc[i].addr = vin.events_bus + (uint64_t)i * EVENT_BYTES;
	vin.q.desc[i].len = EVENT_BYTES;
	vin.q.desc[i].flags = NC_VIRTIO_DESC_F_WRITE;
	vin.q.desc[i].next = 0;
	nc_virtio_queue_offer(&vin.q, i);
	return NC_SYS_OK;
}

static nc_sys_err_t start(const nc_driver_args_t *a, nc_input_device_t *d)
{
	uint64_t e[2], addr;
	nc_sys_err_t err = nc_virtio_open(&vin.dev, a);
	if (!err)
		err = nc_virtio_negotiate(&vin.dev, 0);
	if (!err && !(err = nc_sys_ipc_create_channel(e))) {
		vin.irq = e[1];
		err = nc_sys_irq_attach(VECTOR, e[0]);
	}
	if (!err)
		err = nc_virtio_queue_setup(&vin.dev, &vin.q, EVENTQ, QUEUE_SIZE, VECTOR);
	if (!err)
		err = nc_sys_dma_map((uint64_t)QUEUE_SIZE * EVENT_BYTES, &vin.events_bus, &addr);
	if (err)
		return err;
	vin.events = (volatile uint8_t *)addr;
	describe(d);
	for (uint16_t i = 0; i < vin.q.size; i++)
		give_buffer(i);
	nc_virtio_ready(&vin.dev);
	nc_virtio_notify(&vin.q);
	return NC_SYS_OK;
}

static nc_sys_err_t flush(void)
{
	if (!vin.batch.n)
		return NC_SYS_OK;
	nc_sys_err_t err = nc_sys_ipc_send(vin.out, &vin.batch, 8 + vin.batch.n * sizeof(nc_input_event_t), NULL, 0,
					   NC_SYS_TIMEOUT_INFINITE);
	vin.batch.n = 0;
	return err;
}

/* Forward what the device has written; false when the event channel is gone. */
static bool drain(void)
{
	uint16_t head;
	uint32_t len;
	bool gave = false;
	while (nc_virtio_queue_take(&vin.q, &head, &len)) {
		if (head >= vin.q.size || len < EVENT_BYTES)
			continue; /* a device bug: nothing to forward, and no buffer to give back */
		volatile uint8_t *ev = vin.events + (size_t)head * EVENT_BYTES;
		nc_input_event_t e = { *(volatile uint16_t *)ev, *(volatile uint16_t *)(ev + 2),
				       *(volatile int32_t *)(ev + 4) };
		give_buffer(head);
		gave = true;
		vin.batch.ev[vin.batch.n++] = e;
		if ((e.type == NC_EV_SYN || vin.batch.n == NC_INPUT_BATCH_MAX) && flush())
			return false;
	}
	if (gave)
		nc_virtio_notify(&vin.q);
	return true;
}

/* Wait for the event channel's other end to close (nothing is ever sent to
 * this end), then reset the device and end the driver. */
static int watch_peer(void *unused)
{
	uint8_t b[8];
	uint64_t sizes;
	while (nc_sys_ipc_receive(vin.out, b, sizeof b, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes) == NC_SYS_OK)
		;
	nc_virtio_reset(&vin.dev);
	nc_sys_exit(0);
	return 0;
}

int main(const char *arg, size_t arg_len)
{
	nc_driver_args_t a;
	if (!nc_driver_parse(arg, arg_len, &a)) {
		nc_print("virtio-input: not started by DriverLoad (argument \"%s\")\n", arg);
		return 1;
	}
	vin.out = nc_handle_find(NC_SYS_HANDLE_CHANNEL, NC_SYS_RIGHT_WRITE, 0);
	nc_input_device_t d;
	nc_sys_err_t err = vin.out ? start(&a, &d) : NC_SYS_ERR_NOT_FOUND;
	if (err) {
		nc_print("virtio-input: %s: cannot start: %s\n", a.pci, nc_sys_err_name(err));
		return 1;
	}
	vin.batch.msg = NC_INPUT_MSG_EVENTS;
	if (nc_sys_ipc_send(vin.out, &d, sizeof d, NULL, 0, NC_SYS_TIMEOUT_INFINITE))
		return 0;
	nc_print("virtio-input: %s: %s\n", a.pci, d.name);
	static nc_thread_t watcher;
	if (nc_thread_start(&watcher, watch_peer, NULL))
		return 1;
	for (;;) {
		uint32_t msg[2];
		uint64_t sizes;
		if (!drain())
			break;
		if (nc_sys_ipc_receive(vin.irq, msg, sizeof msg, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes) ||
		    nc_sys_irq_ack(VECTOR))
			break;
	}
	nc_virtio_reset(&vin.dev);
	return 0;
}
