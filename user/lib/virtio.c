/* Virtio 1.x over PCI for user-space drivers (see nc/virtio.h). */
#include <nc/mem.h>
#include <nc/virtio.h>

/* PCI configuration space and the virtio vendor capability (4.1.4). */
enum {
	PCI_STATUS = 0x06, PCI_STATUS_CAP_LIST = 0x10, PCI_CAP_PTR = 0x34, PCI_CAP_VENDOR = 0x09, CAPS_MAX = 48,
	CAP_TYPE = 3, CAP_BAR = 4, CAP_OFFSET = 8, CAP_LENGTH = 12, CAP_NOTIFY_MULTIPLIER = 16,
	CFG_COMMON = 1, CFG_NOTIFY = 2, CFG_DEVICE = 4,
};

/* struct virtio_pci_common_cfg (4.1.4.3) */
enum {
	C_DEVICE_FEATURE_SELECT = 0x00, C_DEVICE_FEATURE = 0x04, C_DRIVER_FEATURE_SELECT = 0x08,
	C_DRIVER_FEATURE = 0x0c, C_MSIX_CONFIG = 0x10, C_NUM_QUEUES = 0x12, C_STATUS = 0x14,
	C_QUEUE_SELECT = 0x16, C_QUEUE_SIZE = 0x18, C_QUEUE_MSIX_VECTOR = 0x1a, C_QUEUE_ENABLE = 0x1c,
	C_QUEUE_NOTIFY_OFF = 0x1e, C_QUEUE_DESC = 0x20, C_QUEUE_DRIVER = 0x28, C_QUEUE_DEVICE = 0x30,
	COMMON_BYTES = 0x38,
};

/* device_status bits (2.1) */
enum { S_ACKNOWLEDGE = 1, S_DRIVER = 2, S_DRIVER_OK = 4, S_FEATURES_OK = 8, S_FAILED = 128 };

enum { RESET_POLLS = 1000, RESET_POLL_NS = 1000 * 1000, PAGE = 4096 };

/* The split rings' flags (2.7.6, 2.7.8) */
enum { AVAIL_F_NO_INTERRUPT = 1, USED_F_NO_NOTIFY = 1 };

static uint8_t r8(volatile uint8_t *b, unsigned off) { return b[off]; }
static uint16_t r16(volatile uint8_t *b, unsigned off) { return *(volatile uint16_t *)(b + off); }
static uint32_t r32(volatile uint8_t *b, unsigned off) { return *(volatile uint32_t *)(b + off); }
static void w8(volatile uint8_t *b, unsigned off, uint8_t x) { b[off] = x; }
static void w16(volatile uint8_t *b, unsigned off, uint16_t x) { *(volatile uint16_t *)(b + off) = x; }
static void w32(volatile uint8_t *b, unsigned off, uint32_t x) { *(volatile uint32_t *)(b + off) = x; }
static void w64(volatile uint8_t *b, unsigned off, uint64_t x)
{
	w32(b, off, (uint32_t)x);
	w32(b, off + 4, (uint32_t)(x >> 32));
}

typedef struct {
	volatile uint8_t *bars[NC_DRIVER_BARS]; /* mapped so far */
	const nc_driver_args_t *a;
} bars_t;

/* The address of [offset, offset + need) of BAR bar, mapping the BAR once. */
static nc_sys_err_t locate(bars_t *b, unsigned bar, uint64_t offset, uint64_t length, uint64_t need,
			   volatile uint8_t **out)
{
	if (bar >= NC_DRIVER_BARS || !b->a->bar_bytes[bar] || length < need || offset > b->a->bar_bytes[bar] ||
	    b->a->bar_bytes[bar] - offset < length)
		return NC_SYS_ERR_NO_DEVICE;
	if (!b->bars[bar]) {
		nc_sys_err_t err = nc_driver_map_bar(b->a, (int)bar, &b->bars[bar]);
		if (err)
			return err;
	}
	*out = b->bars[bar] + offset;
	return NC_SYS_OK;
}

static nc_sys_err_t cfg(uint64_t bdf, uint64_t off, uint64_t width, uint64_t *v)
{
	return nc_sys_pci_config_read(bdf, off, width, v);
}

/* Walk the capability list for the common, notification and device structures. */
static nc_sys_err_t find_structures(nc_virtio_t *v, const nc_driver_args_t *a)
{
	bars_t b = { .a = a };
	uint64_t status, ptr;
	nc_sys_err_t err = cfg(a->bdf, PCI_STATUS, 2, &status);
	if (err)
		return err;
	if (!(status & PCI_STATUS_CAP_LIST))
		return NC_SYS_ERR_NO_DEVICE;
	if ((err = cfg(a->bdf, PCI_CAP_PTR, 1, &ptr)))
		return err;
	for (int i = 0; i < CAPS_MAX && (ptr &= 0xfc); i++) {
		uint64_t id, next, type, bar, offset, length, mult;
		if ((err = cfg(a->bdf, ptr, 1, &id)) || (err = cfg(a->bdf, ptr + 1, 1, &next)))
			return err;
		if (id == PCI_CAP_VENDOR) {
			if ((err = cfg(a->bdf, ptr + CAP_TYPE, 1, &type)) || (err = cfg(a->bdf, ptr + CAP_BAR, 1, &bar)) ||
			    (err = cfg(a->bdf, ptr + CAP_OFFSET, 4, &offset)) ||
			    (err = cfg(a->bdf, ptr + CAP_LENGTH, 4, &length)))
				return err;
			/* the first structure of each type is the one to use (4.1.4.1) */
			if (type == CFG_COMMON && !v->common)
				err = locate(&b, (unsigned)bar, offset, length, COMMON_BYTES, &v->common);
			else if (type == CFG_DEVICE && !v->device)
				err = locate(&b, (unsigned)bar, offset, length, 1, &v->device);
			else if (type == CFG_NOTIFY && !v->notify_base &&
				 !(err = cfg(a->bdf, ptr + CAP_NOTIFY_MULTIPLIER, 4, &mult))) {
				err = locate(&b, (unsigned)bar, offset, length, 2, &v->notify_base);
				v->notify_multiplier = (uint32_t)mult;
				v->notify_bytes = length;
			}
			if (err)
				return err;
		}
		ptr = next;
	}
	return v->common && v->device && v->notify_base ? NC_SYS_OK : NC_SYS_ERR_NO_DEVICE;
}

nc_sys_err_t nc_virtio_open(nc_virtio_t *v, const nc_driver_args_t *a)
{
	nc_mem_set(v, 0, sizeof *v);
	v->bdf = a->bdf;
	nc_sys_err_t err = find_structures(v, a);
	if (err)
		return err;
	w8(v->common, C_STATUS, 0);
	for (int i = 0; r8(v->common, C_STATUS) != 0; i++) {
		if (i == RESET_POLLS)
			return NC_SYS_ERR_TIMED_OUT;
		nc_sys_sleep(RESET_POLL_NS);
	}
	w16(v->common, C_MSIX_CONFIG, NC_VIRTIO_NO_VECTOR);
	w8(v->common, C_STATUS, S_ACKNOWLEDGE);
	w8(v->common, C_STATUS, S_ACKNOWLEDGE | S_DRIVER);
	return NC_SYS_OK;
}

nc_sys_err_t nc_virtio_negotiate(nc_virtio_t *v, uint64_t wanted)
{
	uint64_t offered = 0;
	for (uint32_t half = 0; half < 2; half++) {
		w32(v->common, C_DEVICE_FEATURE_SELECT, half);
		offered |= (uint64_t)r32(v->common, C_DEVICE_FEATURE) << (32 * half);
	}
	if (!(offered >> NC_VIRTIO_F_VERSION_1 & 1)) {
		nc_virtio_fail(v);
		return NC_SYS_ERR_UNSUPPORTED;
	}
	uint64_t take = (wanted | 1ull << NC_VIRTIO_F_VERSION_1 | 1ull << NC_VIRTIO_F_ACCESS_PLATFORM) & offered;
	for (uint32_t half = 0; half < 2; half++) {
		w32(v->common, C_DRIVER_FEATURE_SELECT, half);
		w32(v->common, C_DRIVER_FEATURE, (uint32_t)(take >> (32 * half)));
	}
	w8(v->common, C_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
	if (!(r8(v->common, C_STATUS) & S_FEATURES_OK)) {
		nc_virtio_fail(v);
		return NC_SYS_ERR_UNSUPPORTED;
	}
	v->features = take;
	return NC_SYS_OK;
}

nc_sys_err_t nc_virtio_queue_setup(nc_virtio_t *v, nc_virtio_queue_t *q, uint16_t index, uint16_t max_size,
				   uint16_t vector)
{
	if (!max_size || max_size > NC_VIRTIO_QUEUE_MAX)
		return NC_SYS_ERR_INVALID;
	if (index >= r16(v->common, C_NUM_QUEUES))
		return NC_SYS_ERR_NO_DEVICE;
	w16(v->common, C_QUEUE_SELECT, index);
	uint16_t size = r16(v->common, C_QUEUE_SIZE);
	if (!size)
		return NC_SYS_ERR_NO_DEVICE;
	if (size > max_size)
		size = max_size;
	while (size & (size - 1)) /* a power of two (2.7.10) */
		size &= (uint16_t)(size - 1);
	/* descriptors (16-byte aligned), the available ring, the used ring (4-byte aligned) */
	uint64_t avail_off = 16ull * size, used_off = (avail_off + 6 + 2ull * size + 3) & ~3ull;
	uint64_t bytes = (used_off + 6 + 8ull * size + PAGE - 1) & ~(uint64_t)(PAGE - 1), bus, addr;
	nc_sys_err_t err = nc_sys_dma_map(bytes, &bus, &addr);
	if (err)
		return err;
	nc_mem_set(q, 0, sizeof *q);
	q->size = size;
	q->index = index;
	q->desc = (volatile nc_virtio_desc_t *)addr;
	q->avail = (volatile uint16_t *)(addr + avail_off);
	q->used = (volatile uint16_t *)(addr + used_off);
	q->desc_bus = bus;
	w16(v->common, C_QUEUE_SIZE, size);
	w16(v->common, C_QUEUE_MSIX_VECTOR, vector);
	if (r16(v->common, C_QUEUE_MSIX_VECTOR) != vector)
		return NC_SYS_ERR_LIMIT;
	w64(v->common, C_QUEUE_DESC, bus);
	w64(v->common, C_QUEUE_DRIVER, bus + avail_off);
	w64(v->common, C_QUEUE_DEVICE, bus + used_off);
	uint64_t notify_off = (uint64_t)r16(v->common, C_QUEUE_NOTIFY_OFF) * v->notify_multiplier;
	if (notify_off + 2 > v->notify_bytes)
		return NC_SYS_ERR_NO_DEVICE;
	q->notify = (volatile uint16_t *)(v->notify_base + notify_off);
	w16(v->common, C_QUEUE_ENABLE, 1);
	return NC_SYS_OK;
}

void nc_virtio_ready(nc_virtio_t *v)
{
	w8(v->common, C_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

void nc_virtio_reset(nc_virtio_t *v)
{
	w8(v->common, C_STATUS, 0);
}

void nc_virtio_fail(nc_virtio_t *v)
{
	w8(v->common, C_STATUS, (uint8_t)(r8(v->common, C_STATUS) | S_FAILED));
}

void nc_virtio_queue_offer(nc_virtio_queue_t *q, uint16_t head)
{
	uint16_t idx = q->avail[1];
	q->avail[2 + (idx & (q->size - 1))] = head;
	__atomic_thread_fence(__ATOMIC_RELEASE); /* the entry before the index (2.7.13) */
	q->avail[1] = (uint16_t)(idx + 1);
}

void nc_virtio_notify(nc_virtio_queue_t *q)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the index before the flag and the notification (2.7.13.4) */
	if (!(q->used[0] & USED_F_NO_NOTIFY))
		*q->notify = q->index;
}

void nc_virtio_queue_interrupts(nc_virtio_queue_t *q, bool on)
{
	q->avail[0] = on ? 0 : AVAIL_F_NO_INTERRUPT;
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the flag before the caller looks at the used ring again */
}

bool nc_virtio_queue_take(nc_virtio_queue_t *q, uint16_t *head, uint32_t *len)
{
	if (q->used[1] == q->last_used)
		return false;
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* the index before the entry */
	volatile uint32_t *e = (volatile uint32_t *)(q->used + 2) + 2 * (q->last_used & (q->size - 1));
	*head = (uint16_t)e[0];
	*len = e[1];
	q->last_used++;
	return true;
}
