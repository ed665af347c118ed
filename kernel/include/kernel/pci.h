/* PCI functions found through ECAM (docs/drivers.md). The kernel enumerates
 * once at boot from the ACPI MCFG regions and keeps, per function, what it
 * must own itself: configuration space access, the BARs' addresses and sizes
 * (so MmioMap maps only a declared BAR) and the MSI/MSI-X capabilities (so
 * interrupt routing stays the kernel's). Which driver gets which function is
 * the user-space device manager's policy; the kernel only records the claim.
 *
 * The table is filled before the first process starts and never changes
 * afterwards except each function's driver field (guarded by pci_lock), so
 * readers need no lock for the rest. Configuration reads and writes are
 * single MMIO accesses and SMP-safe. */
#ifndef KERNEL_PCI_H
#define KERNEL_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/spinlock.h>

enum {
	PCI_FUNCTIONS_MAX = 64,  /* functions the table keeps */
	PCI_BARS = 6,
	PCI_NAME_BYTES = 13,     /* "0000:00:03.0" and a NUL */
	PCI_CFG_BYTES = 4096,    /* PCIe extended configuration space */
};

/* Offsets in the type-0 header and capability ids (PCI Local Bus 3.0, 6.1,
 * 6.7, 6.8; PCIe Base 4.0, 7.5). */
enum {
	PCI_CFG_VENDOR = 0x00, PCI_CFG_COMMAND = 0x04, PCI_CFG_STATUS = 0x06, PCI_CFG_CLASS = 0x08,
	PCI_CFG_HEADER_TYPE = 0x0e, PCI_CFG_BAR0 = 0x10, PCI_CFG_SECONDARY_BUS = 0x19, PCI_CFG_SUBORDINATE_BUS = 0x1a, PCI_CFG_ROM = 0x30, PCI_CFG_CAP_PTR = 0x34,
	PCI_CMD_IO = 1 << 0, PCI_CMD_MEMORY = 1 << 1, PCI_CMD_BUS_MASTER = 1 << 2,
	PCI_CMD_INTX_DISABLE = 1 << 10, PCI_STATUS_CAPS = 1 << 4,
	PCI_CAP_MSI = 0x05, PCI_CAP_MSIX = 0x11,
};

typedef struct {
	uint64_t phys, len_bytes;  /* len_bytes 0: no such BAR */
	bool io, mem64, prefetchable;
} pci_bar_t;

struct kdriver;

typedef struct pci_fn {
	uint32_t bdf;              /* segment << 16 | bus << 8 | device << 3 | function */
	char name[PCI_NAME_BYTES]; /* "SSSS:BB:DD.F", the scope of its driver.* capabilities */
	uint16_t vendor, device;
	uint32_t class_code;       /* class << 16 | subclass << 8 | prog-if */
	pci_bar_t bar[PCI_BARS];   /* a 64-bit BAR fills its slot; the next one is empty */
	uint8_t msi_cap, msix_cap; /* configuration offsets of the capabilities, 0: none */
	uint16_t msi_vectors;      /* 1..32 when msi_cap */
	uint16_t msix_vectors;     /* table size when msix_cap */
	uint8_t msix_table_bar, msix_pba_bar;
	uint32_t msix_table_offset, msix_pba_offset;
	volatile uint8_t *cfg;     /* its 4 KiB of ECAM space */
	volatile uint32_t *msix_table; /* kernel mapping of the MSI-X table (kernel/irq.c); irq_lock */
	struct kdriver *driver;    /* the claim (kernel/driver.h); NULL: free. pci_lock */
} pci_fn_t;

extern spinlock_t pci_lock;

/* Enumerate every function of every bus of the MCFG's regions (0: no MCFG,
 * nothing found) and size their BARs. Boot CPU, before init starts. */
void pci_init(uint64_t mcfg_phys);
/* Functions found, and the i-th of them (in bus order). */
uint32_t pci_count(void);
pci_fn_t *pci_at(uint32_t i);
/* The function with this bdf, or NULL. */
pci_fn_t *pci_find(uint64_t bdf);

/* Configuration space access: off aligned to width (1, 2 or 4), below
 * PCI_CFG_BYTES; the caller checks both. */
uint32_t pci_cfg_read(const pci_fn_t *f, uint32_t off, uint32_t width);
void pci_cfg_write(pci_fn_t *f, uint32_t off, uint32_t width, uint32_t v);
/* Whether a driver may write [off, off + width) (PciConfigWrite): not the
 * BARs, the expansion ROM BAR, the capability pointer or the MSI and MSI-X
 * capability structures, which the kernel owns. */
bool pci_cfg_driver_may_write(const pci_fn_t *f, uint32_t off, uint32_t width);
/* Reset f with a Function Level Reset, when it has one, so that nothing a
 * driver started keeps running (outstanding DMA included), and put back
 * the BARs and header registers the firmware assigned, bus mastering off.
 * False (nothing done) without FLR. Busy-waits about 100 ms; never sleeps,
 * so it may run on a dying thread's way out. */
bool pci_function_reset(pci_fn_t *f);
/* The BAR of f holding [phys, phys + len_bytes) entirely, or -1. */
int pci_bar_holding(const pci_fn_t *f, uint64_t phys, uint64_t len_bytes);

#endif
