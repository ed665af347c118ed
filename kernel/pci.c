/* PCI enumeration through ECAM (see kernel/pci.h). MCFG (PCI Firmware 3.2,
 * 4.1.2): a 44-byte header, then 16-byte entries {u64 base, u16 segment, u8
 * start bus, u8 end bus, u32 reserved}; function (b, d, f) of an entry has its
 * 4 KiB at base + ((b - start) << 20 | d << 15 | f << 12). ECAM below 4 GiB
 * is reached through the direct map (q35 puts it at 0xb0000000; the
 * firmware's MTRRs make that range uncacheable); a region above is skipped.
 * BAR sizing writes all ones with decoding off (PCI Local Bus 3.0, 6.2.5.1).
 * Capability list walks are bounded, so a looping list cannot hang boot.
 * Function Level Reset: PCIe Base 4.0, 6.6.2 and 7.5.3.3-5 (the PCI Express
 * capability's Device Capabilities bit 28, Device Control bit 15). */
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/pci.h>
#include <kernel/vm.h>
#include <nc/fmt.h>

enum {
	MCFG_ENTRIES = 44, MCFG_ENTRY_BYTES = 16, CAP_WALK_MAX = 48,
	MSI_CTRL = 2, MSIX_CTRL = 2, MSIX_TABLE = 4, MSIX_PBA = 8,
	MSI_64BIT = 1 << 7, MSI_MASKABLE = 1 << 8, MSI_ENTRY_BYTES_32 = 10, MSI_ENTRY_BYTES_64 = 14,
	MSIX_ENTRY_BYTES = 12, BAR_IO = 1, BAR_TYPE_64 = 4, BAR_PREFETCH = 8,
	PCI_CAP_PCIE = 0x10, PCIE_DEVCAP = 4, PCIE_DEVCTL = 8, PCIE_DEVSTA = 10, PCIE_DEVCAP_FLR = 1 << 28,
	PCIE_DEVCTL_FLR = 1 << 15, PCIE_DEVSTA_PENDING = 1 << 5, FLR_PENDING_POLLS = 10,
};
#define FLR_POLL_NS 100000000ull /* 100 ms at least, up to 1 s, for pending transactions */
#define FLR_WAIT_NS 100000000ull /* 100 ms before the function may be touched again */
#define ECAM_LIMIT (4ull << 30)

spinlock_t pci_lock = SPINLOCK_INIT;
static pci_fn_t fns[PCI_FUNCTIONS_MAX];
static uint32_t n_fns;

uint32_t pci_count(void) { return n_fns; }
pci_fn_t *pci_at(uint32_t i) { return i < n_fns ? &fns[i] : NULL; }

pci_fn_t *pci_find(uint64_t bdf)
{
	for (uint32_t i = 0; i < n_fns; i++)
		if (fns[i].bdf == bdf)
			return &fns[i];
	return NULL;
}

uint32_t pci_cfg_read(const pci_fn_t *f, uint32_t off, uint32_t width)
{
	volatile uint8_t *p = f->cfg + off;
	return width == 1 ? *p : width == 2 ? *(volatile uint16_t *)p : *(volatile uint32_t *)p;
}

void pci_cfg_write(pci_fn_t *f, uint32_t off, uint32_t width, uint32_t v)
{
	volatile uint8_t *p = f->cfg + off;
	if (width == 1)
		*p = (uint8_t)v;
	else if (width == 2)
		*(volatile uint16_t *)p = (uint16_t)v;
	else
		*(volatile uint32_t *)p = v;
}

static bool overlaps(uint32_t off, uint32_t width, uint32_t lo, uint32_t len)
{
	return off < lo + len && lo < off + width;
}

bool pci_cfg_driver_may_write(const pci_fn_t *f, uint32_t off, uint32_t width)
{
	if (overlaps(off, width, PCI_CFG_BAR0, 4 * PCI_BARS) || overlaps(off, width, PCI_CFG_ROM, 4) ||
	    overlaps(off, width, PCI_CFG_CAP_PTR, 1))
		return false;
	if (f->msi_cap) {
		uint16_t ctrl = (uint16_t)pci_cfg_read(f, f->msi_cap + MSI_CTRL, 2);
		uint32_t len = (ctrl & MSI_64BIT ? MSI_ENTRY_BYTES_64 : MSI_ENTRY_BYTES_32) + (ctrl & MSI_MASKABLE ? 10 : 0);
		if (overlaps(off, width, f->msi_cap, len))
			return false;
	}
	return !(f->msix_cap && overlaps(off, width, f->msix_cap, MSIX_ENTRY_BYTES));
}

int pci_bar_holding(const pci_fn_t *f, uint64_t phys, uint64_t len_bytes)
{
	for (int i = 0; i < PCI_BARS; i++) {
		const pci_bar_t *b = &f->bar[i];
		if (b->len_bytes && !b->io && phys >= b->phys && len_bytes <= b->len_bytes &&
		    phys - b->phys <= b->len_bytes - len_bytes)
			return i;
	}
	return -1;
}

/* Size BAR i (and i + 1 for a 64-bit one); returns how many slots it used. */
static int size_bar(pci_fn_t *f, int i)
{
	uint32_t off = PCI_CFG_BAR0 + 4 * (uint32_t)i;
	uint32_t lo = pci_cfg_read(f, off, 4);
	pci_bar_t *b = &f->bar[i];
	b->io = lo & BAR_IO;
	b->mem64 = !b->io && (lo & 6) == BAR_TYPE_64 && i + 1 < PCI_BARS;
	b->prefetchable = !b->io && (lo & BAR_PREFETCH);
	uint32_t hi = b->mem64 ? pci_cfg_read(f, off + 4, 4) : 0, hi_mask = 0;
	pci_cfg_write(f, off, 4, 0xffffffffu);
	uint32_t lo_mask = pci_cfg_read(f, off, 4) & (b->io ? ~3u : ~15u);
	pci_cfg_write(f, off, 4, lo);
	if (b->mem64) {
		pci_cfg_write(f, off + 4, 4, 0xffffffffu);
		hi_mask = pci_cfg_read(f, off + 4, 4);
		pci_cfg_write(f, off + 4, 4, hi);
	}
	/* the bits that stay zero give the size; bits the BAR cannot hold count as ones */
	uint64_t mask = (uint64_t)hi_mask << 32 | lo_mask;
	if (!b->mem64 && lo_mask)
		mask |= b->io ? 0xffffffffffff0000ull : 0xffffffff00000000ull;
	b->phys = ((uint64_t)hi << 32 | lo) & (b->io ? ~3ull : ~15ull);
	b->len_bytes = mask ? ~mask + 1 : 0;
	return b->mem64 ? 2 : 1;
}

static void size_bars(pci_fn_t *f)
{
	uint16_t cmd = (uint16_t)pci_cfg_read(f, PCI_CFG_COMMAND, 2);
	pci_cfg_write(f, PCI_CFG_COMMAND, 2, cmd & ~(PCI_CMD_IO | PCI_CMD_MEMORY));
	for (int i = 0; i < PCI_BARS;)
		i += size_bar(f, i);
	pci_cfg_write(f, PCI_CFG_COMMAND, 2, cmd);
}

/* The configuration offset of capability id of f, or 0. */
static uint8_t find_cap(const pci_fn_t *f, uint8_t id)
{
	if (!(pci_cfg_read(f, PCI_CFG_STATUS, 2) & PCI_STATUS_CAPS))
		return 0;
	uint8_t at = (uint8_t)pci_cfg_read(f, PCI_CFG_CAP_PTR, 1) & 0xfc;
	for (int n = 0; at >= 0x40 && n < CAP_WALK_MAX; n++) {
		if (pci_cfg_read(f, at, 1) == id)
			return at;
		at = (uint8_t)pci_cfg_read(f, at + 1, 1) & 0xfc;
	}
	return 0;
}

bool pci_function_reset(pci_fn_t *f)
{
	uint8_t pcie = find_cap(f, PCI_CAP_PCIE);
	if (!pcie || !(pci_cfg_read(f, pcie + PCIE_DEVCAP, 4) & PCIE_DEVCAP_FLR))
		return false;
	/* what the firmware assigned: the reset clears it (PCIe Base 4.0, 6.6.2) */
	uint32_t saved[PCI_CFG_ROM / 4 + 2];
	for (uint32_t i = 0; i < sizeof saved / sizeof saved[0]; i++)
		saved[i] = pci_cfg_read(f, 4 * i, 4);
	/* requests the device has taken end first: their completions must not
	 * meet a reset device (QEMU 7.2's NVMe frees a reset queue's requests
	 * under the block layer's feet); Transactions Pending is the spec's way
	 * to know, but emulated devices do not all report it, so wait at least
	 * the first poll */
	int polls = 0;
	do
		clock_delay_ns(FLR_POLL_NS);
	while (++polls < FLR_PENDING_POLLS && (pci_cfg_read(f, pcie + PCIE_DEVSTA, 2) & PCIE_DEVSTA_PENDING));
	pci_cfg_write(f, pcie + PCIE_DEVCTL, 2, pci_cfg_read(f, pcie + PCIE_DEVCTL, 2) | PCIE_DEVCTL_FLR);
	clock_delay_ns(FLR_WAIT_NS);
	for (uint32_t i = PCI_CFG_BAR0 / 4; i < sizeof saved / sizeof saved[0]; i++)
		pci_cfg_write(f, 4 * i, 4, saved[i]);
	pci_cfg_write(f, 0x0c, 4, saved[0x0c / 4]);
	pci_cfg_write(f, PCI_CFG_COMMAND, 2, saved[PCI_CFG_COMMAND / 4] & ~(uint32_t)PCI_CMD_BUS_MASTER);
	return true;
}

static void read_caps(pci_fn_t *f)
{
	if (!(pci_cfg_read(f, PCI_CFG_STATUS, 2) & PCI_STATUS_CAPS))
		return;
	uint8_t at = (uint8_t)pci_cfg_read(f, PCI_CFG_CAP_PTR, 1) & 0xfc;
	for (int n = 0; at >= 0x40 && n < CAP_WALK_MAX; n++) {
		uint8_t id = (uint8_t)pci_cfg_read(f, at, 1);
		if (id == PCI_CAP_MSI && !f->msi_cap) {
			f->msi_cap = at;
			f->msi_vectors = (uint16_t)(1u << ((pci_cfg_read(f, at + MSI_CTRL, 2) >> 1) & 7));
		} else if (id == PCI_CAP_MSIX && !f->msix_cap) {
			uint32_t table = pci_cfg_read(f, at + MSIX_TABLE, 4), pba = pci_cfg_read(f, at + MSIX_PBA, 4);
			f->msix_cap = at;
			f->msix_vectors = (uint16_t)((pci_cfg_read(f, at + MSIX_CTRL, 2) & 0x7ff) + 1);
			f->msix_table_bar = table & 7;
			f->msix_table_offset = table & ~7u;
			f->msix_pba_bar = pba & 7;
			f->msix_pba_offset = pba & ~7u;
		}
		at = (uint8_t)pci_cfg_read(f, at + 1, 1) & 0xfc;
	}
}

static void add_function(volatile uint8_t *cfg, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	if (n_fns == PCI_FUNCTIONS_MAX) {
		kprintf("pci: more than %u functions; %04x:%02x:%02x.%u and later ignored\n",
			PCI_FUNCTIONS_MAX, seg, bus, dev, fn);
		return;
	}
	pci_fn_t *f = &fns[n_fns++];
	f->cfg = cfg;
	f->bdf = (uint32_t)seg << 16 | (uint32_t)bus << 8 | (uint32_t)dev << 3 | fn;
	nc_fmt_format(f->name, sizeof f->name, "%04x:%02x:%02x.%u", seg, bus, dev, fn);
	uint32_t id = pci_cfg_read(f, PCI_CFG_VENDOR, 4);
	f->vendor = (uint16_t)id;
	f->device = (uint16_t)(id >> 16);
	f->class_code = pci_cfg_read(f, PCI_CFG_CLASS, 4) >> 8;
	if ((pci_cfg_read(f, PCI_CFG_HEADER_TYPE, 1) & 0x7f) == 0)
		size_bars(f);
	read_caps(f);
}

static void scan_region(uint64_t base, uint16_t seg, uint8_t start, uint8_t end)
{
	for (uint32_t bus = start; bus <= end; bus++)
		for (uint8_t dev = 0; dev < 32; dev++)
			for (uint8_t fn = 0; fn < 8; fn++) {
				uint64_t phys = base + ((bus - start) << 20 | (uint32_t)dev << 15 | (uint32_t)fn << 12);
				volatile uint8_t *cfg = vm_phys_to_virt(phys);
				if (*(volatile uint16_t *)cfg == 0xffff) {
					if (fn == 0)
						break; /* no device: no other function either */
					continue;
				}
				add_function(cfg, seg, (uint8_t)bus, dev, fn);
				if (fn == 0 && !(cfg[PCI_CFG_HEADER_TYPE] & 0x80))
					break; /* single-function device */
			}
}

void pci_init(uint64_t mcfg_phys)
{
	if (!mcfg_phys) {
		kprintf("pci: no MCFG table: no PCI functions\n");
		return;
	}
	const uint8_t *t = vm_phys_to_virt(mcfg_phys);
	uint32_t len = *(const uint32_t *)(t + 4);
	for (uint32_t off = MCFG_ENTRIES; off + MCFG_ENTRY_BYTES <= len; off += MCFG_ENTRY_BYTES) {
		uint64_t base = *(const uint64_t *)(t + off);
		uint16_t seg = *(const uint16_t *)(t + off + 8);
		uint8_t start = t[off + 10], end = t[off + 11];
		if (end < start || base + ((uint64_t)(end - start) + 1) * (1u << 20) > ECAM_LIMIT) {
			kprintf("pci: ECAM region at %#llx (buses %u-%u) is not below 4 GiB; skipped\n",
				(unsigned long long)base, start, end);
			continue;
		}
		scan_region(base, seg, start, end);
	}
	kprintf("pci: %u functions\n", n_fns);
	for (uint32_t i = 0; i < n_fns; i++)
		kprintf("pci: %s %04x:%04x class %06x%s\n", fns[i].name, fns[i].vendor, fns[i].device,
			fns[i].class_code, fns[i].msix_cap ? " msi-x" : fns[i].msi_cap ? " msi" : "");
}
