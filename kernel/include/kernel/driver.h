/* Driver instances (docs/drivers.md): the claim a user-space driver holds on
 * one PCI function, made by DriverLoad after its package verified, and reached
 * through a HANDLE_DEVICE handle that only the driver process holds (it has
 * neither RIGHT_DUPLICATE nor RIGHT_TRANSFER). The claim carries exactly what
 * the manifest declared: the BARs MmioMap may map, the interrupt vectors
 * IrqAttach may bind, the DMA budget. When its handle closes (the driver
 * exits, is killed or faults) the claim ends: bus mastering is turned off,
 * interrupts are masked and unbound, the IOMMU domain is torn down (the
 * device reaches no memory any more) and the DMA memory is released.
 *
 * Device addresses: behind an IOMMU the claim's buffers live in a window of
 * DRIVER_IOVA_WINDOW_FACTOR times its DMA budget (kernel/iova.h), so its
 * IOMMU tables stay bounded however often buffers come and go.
 *
 * Memory: the claim, its IOMMU domain and tables, the window's bitmap, its
 * DMA buffers and interrupt bindings are charged to the claim's quota (the driver's own, which DriverLoad makes
 * before the claim) as object charges, so they count against the driver
 * even while they outlive it (docs/kernel.md, "Memory quotas").
 *
 * Locking: the claim's lock guards its DMA list, interrupt bindings and budget;
 * pci_lock guards pci_fn_t.driver. Nothing here sleeps with a lock held. */
#ifndef KERNEL_DRIVER_H
#define KERNEL_DRIVER_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/handle.h>
#include <kernel/iova.h>
#include <kernel/pci.h>
#include <kernel/spinlock.h>
#include <nc/drvpkg.h>

struct iommu_domain;
struct kdma;
struct irq_binding;
struct quota;

enum { DRIVER_NAME_BYTES = 32, DRIVER_VECTORS_MAX = NC_DRVPKG_VECTORS_MAX };
/* The device address window is this many times the DMA budget: room for the
 * budget in one-page buffers, each with its unmapped guard page, twice over
 * (a driver that fragments its window past that gets LIMIT). */
enum { DRIVER_IOVA_WINDOW_FACTOR = 4 };

typedef struct kdriver {
	kobj_t obj;                       /* NC_SYS_HANDLE_DEVICE */
	pci_fn_t *fn;
	char name[DRIVER_NAME_BYTES];     /* the manifest's name */
	uint32_t pid;                     /* the driver process (0 until it is started) */
	uint8_t bar_mask;                 /* BARs MmioMap may map */
	uint16_t n_vectors;               /* vectors IrqAttach may bind */
	uint64_t dma_budget_bytes;
	spinlock_t lock;
	uint64_t dma_used_bytes;          /* lock */
	iova_space_t iova;                /* lock: device addresses (with an IOMMU) */
	struct kdma *dma;                 /* lock: buffers the device can reach */
	struct irq_binding *irq[DRIVER_VECTORS_MAX]; /* lock */
	struct iommu_domain *domain;      /* NULL: no IOMMU, bus addresses are physical */
	uint64_t dma_faults;              /* faults the IOMMU reported for the function */
	bool mastering;                   /* lock: bus mastering turned on (at the first DmaMap) */
	struct quota *quota;              /* pays for the claim, its domain and its buffers */
} kdriver_t;

/* Whether fn is a function manifest m may drive (vendor, device, class). */
bool driver_matches(const pci_fn_t *fn, const nc_drvpkg_manifest_t *m);
/* Claim fn for a driver with manifest m, charged to q (the caller gets the
 * one reference; the claim's IOMMU domain is made, memory decoding turned on;
 * bus mastering stays off until driver_start_mastering). Errors: NO_DEVICE (fn does not match m or lacks a
 * declared BAR or vector), BUSY (claimed already), NO_MEMORY, LIMIT (no
 * IOMMU domain id, or q cannot take the claim). */
nc_sys_err_t driver_claim(pci_fn_t *fn, const nc_drvpkg_manifest_t *m, struct quota *q, kdriver_t **out);
/* Turn on d's bus mastering if it is not on yet: at the claim's first DMA
 * buffer, so until the driver has memory for the device, the device (which
 * an earlier driver may have left running over its rings: not every function
 * has a function level reset) reaches no memory at all, with or without an
 * IOMMU. */
void driver_start_mastering(kdriver_t *d);
/* The caller's claim (its first HANDLE_DEVICE handle), with a reference the
 * caller drops with kobj_unref; NULL when it holds none. */
kdriver_t *driver_current(void);

#endif
