/* Virtio 1.x devices over PCI, for user-space drivers (docs/drivers.md;
 * "Virtual I/O Device (VIRTIO) Version 1.2", sections 2, 3 and 4.1). The
 * modern PCI transport only: the device's vendor capabilities (read with
 * PciConfigRead) locate the common, notification and device-specific
 * configuration structures in a memory BAR the driver's manifest declares;
 * split virtqueues live in one DmaMap buffer each, their interrupts are
 * MSI-X vectors taken with IrqAttach.
 *
 * Start-up, as the specification orders it: nc_virtio_open (finds and maps
 * the structures, resets the device, ACKNOWLEDGE | DRIVER),
 * nc_virtio_negotiate (VERSION_1 and ACCESS_PLATFORM when offered, plus what
 * the driver asks; FEATURES_OK), nc_virtio_queue_setup for each queue, then
 * nc_virtio_ready (DRIVER_OK). Not thread-safe: one thread per device. */
#ifndef NC_VIRTIO_H
#define NC_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>
#include <nc/driver.h>

enum {
	NC_VIRTIO_VENDOR = 0x1af4,
	NC_VIRTIO_F_VERSION_1 = 32, NC_VIRTIO_F_ACCESS_PLATFORM = 33,
	NC_VIRTIO_DESC_F_WRITE = 2,
	NC_VIRTIO_NO_VECTOR = 0xffff,
	NC_VIRTIO_QUEUE_MAX = 256,
};

typedef struct {
	uint64_t addr;              /* guest (bus) address of the buffer */
	uint32_t len;
	uint16_t flags;             /* NC_VIRTIO_DESC_F_* */
	uint16_t next;
} nc_virtio_desc_t;

typedef struct {
	uint16_t size;              /* entries (a power of two) */
	uint16_t index;             /* the queue's number */
	volatile nc_virtio_desc_t *desc;
	volatile uint16_t *avail;   /* flags, idx, ring[size] */
	volatile uint16_t *used;    /* flags, idx, then {u32 id, u32 len}[size] */
	uint64_t desc_bus;          /* bus address of desc (avail and used follow in the same buffer) */
	uint16_t last_used;         /* used ring entries taken so far */
	volatile uint16_t *notify;  /* this queue's notification register */
} nc_virtio_queue_t;

typedef struct {
	uint64_t bdf;
	volatile uint8_t *common;   /* virtio_pci_common_cfg */
	volatile uint8_t *device;   /* the device-specific configuration */
	volatile uint8_t *notify_base;
	uint32_t notify_multiplier;
	uint64_t notify_bytes;      /* length of the notification structure */
	uint64_t features;          /* negotiated */
} nc_virtio_t;

/* Find the device's virtio structures (all in BARs the manifest declared,
 * else NO_DEVICE), map them, reset the device and set ACKNOWLEDGE | DRIVER.
 * Errors: NO_DEVICE (not a modern virtio device, or a structure outside the
 * declared BARs or too small), TIMED_OUT (the reset did not finish), those of
 * PciConfigRead and MmioMap. */
nc_sys_err_t nc_virtio_open(nc_virtio_t *v, const nc_driver_args_t *a);
/* Accept VERSION_1, ACCESS_PLATFORM when offered (the device then goes
 * through the IOMMU), and the bits of wanted the device offers; set
 * FEATURES_OK and check the device kept it. UNSUPPORTED: no VERSION_1, or
 * the device refused the set (the device is then marked FAILED). */
nc_sys_err_t nc_virtio_negotiate(nc_virtio_t *v, uint64_t wanted);
/* Set up queue index with at most max_size entries (the device's size if
 * smaller; a power of two), its rings in a new DmaMap buffer, its
 * interrupts on MSI-X vector (NC_VIRTIO_NO_VECTOR: none). Errors: NO_DEVICE
 * (no such queue), INVALID (max_size 0 or above NC_VIRTIO_QUEUE_MAX),
 * LIMIT (the device refused the vector), those of DmaMap. */
nc_sys_err_t nc_virtio_queue_setup(nc_virtio_t *v, nc_virtio_queue_t *q, uint16_t index, uint16_t max_size,
				   uint16_t vector);
/* Set DRIVER_OK: the device may use its queues. */
void nc_virtio_ready(nc_virtio_t *v);
/* Mark the device FAILED (it stops using the queues). */
void nc_virtio_fail(nc_virtio_t *v);
/* Reset the device (status 0): it forgets the queues and features, as at
 * start; a driver that ends on purpose leaves its device so. */
void nc_virtio_reset(nc_virtio_t *v);

/* Put descriptor head (already filled) in the available ring; the device
 * sees it after nc_virtio_notify. */
void nc_virtio_queue_offer(nc_virtio_queue_t *q, uint16_t head);
/* Tell the device new entries are available, unless it has said it needs
 * no notification (the used ring's NO_NOTIFY flag: it is working through
 * the queue and looks at it again before it stops, 2.7.10). */
void nc_virtio_notify(nc_virtio_queue_t *q);
/* Ask the device to interrupt (on) or not (the available ring's
 * NO_INTERRUPT flag, 2.7.7: a hint, an interrupt may still come) when it
 * returns entries of q. A driver that turns them on must look at the used
 * ring again afterwards: an entry may have come before. */
void nc_virtio_queue_interrupts(nc_virtio_queue_t *q, bool on);
/* The next used entry: true with its descriptor head and written length,
 * false when the device has returned nothing new. */
bool nc_virtio_queue_take(nc_virtio_queue_t *q, uint16_t *head, uint32_t *len);

#endif
