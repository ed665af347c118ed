/* Intel VT-d DMA remapping (see kernel/iommu.h). Spec: Intel Virtualization
 * Technology for Directed I/O, rev. 3.4: DMAR table 8.1-8.3, root and context
 * entries 9.1 and 9.3 (legacy mode), second-level paging entries 9.8,
 * registers 10.4 (capability 10.4.2, extended capability 10.4.3, global
 * command/status 10.4.4-5, root table address 10.4.6, context command 10.4.7,
 * IOTLB invalidation 10.4.8, fault status/event 10.4.9-13, fault recording
 * 10.4.14). Register-based invalidation only (no queued invalidation), one
 * remapping unit (QEMU's q35 has exactly one).
 * Interrupt remapping stays off, so MSIs keep the compatibility format.
 * The unit's own scope says which functions it translates (iommu_covers).
 *
 * Each claimed function gets its own domain id and second-level table, 3 or
 * 4 levels as the unit's SAGAW allows; every other function has no context
 * entry, so its DMA faults. Tables are written with plain stores, followed
 * by clflush when the unit does not snoop them (ECAP.C = 0). */
#include <kernel/console.h>
#include <kernel/driver.h>
#include <kernel/heap.h>
#include <kernel/iommu.h>
#include <kernel/kernel.h>
#include <kernel/kmmio.h>
#include <kernel/pci.h>
#include <kernel/pmm.h>
#include <kernel/quota.h>
#include <kernel/vm.h>
#include <arch/cpu.h>
#include "x86.h"

enum {
	REG_CAP = 0x08, REG_ECAP = 0x10, REG_GCMD = 0x18, REG_GSTS = 0x1c, REG_RTADDR = 0x20,
	REG_CCMD = 0x28, REG_FSTS = 0x34, REG_FECTL = 0x38, REG_FEDATA = 0x3c, REG_FEADDR = 0x40,
	REG_FEUADDR = 0x44,
	DMAR_STRUCTS = 48, DMAR_DRHD = 0, DRHD_INCLUDE_ALL = 1, DRHD_BASE = 8, DMAR_RMRR = 1,
	DSCOPE_ENDPOINT = 1, DSCOPE_BRIDGE = 2,
	REGS_BYTES = 4096,
};
#define GCMD_TE (1u << 31)
#define GCMD_SRTP (1u << 30)
#define GCMD_WBF (1u << 27)
#define GSTS_ONE_SHOT 0x96ffffffu /* status bits that are not one-shot commands (10.4.4) */
#define CAP_RWBF (1ull << 4)
#define CAP_SAGAW(c) ((c) >> 8 & 0x1f)
#define CAP_ND(c) ((c) & 7)
#define CAP_FRO(c) (((c) >> 24 & 0x3ff) * 16)
#define CAP_NFR(c) (((c) >> 40 & 0xff) + 1)
#define CAP_DRD (1ull << 55)
#define CAP_DWD (1ull << 54)
#define ECAP_C (1ull << 0)
#define ECAP_IRO(e) (((e) >> 8 & 0x3ff) * 16)
#define CCMD_ICC (1ull << 63)
#define CCMD_GLOBAL (1ull << 61)
#define IOTLB_IVT (1ull << 63)
#define IOTLB_GLOBAL (1ull << 60)
#define IOTLB_DOMAIN (2ull << 60)
#define IOTLB_DR (1ull << 49)
#define IOTLB_DW (1ull << 48)
#define FSTS_PFO 1u
#define FSTS_PPF 2u
#define FECTL_IM (1u << 31)
#define FRCD_F (1ull << 63)
#define ENTRY_P 1ull
#define SL_R 1ull
#define SL_W 2ull
#define SL_ADDR 0x000ffffffffff000ull
#define CTX_AW_39 1ull
#define CTX_AW_48 2ull

struct iommu_domain {
	uint32_t bdf;
	uint16_t did;
	int levels;          /* 3 (39-bit) or 4 (48-bit) */
	uint64_t root_phys;  /* top second-level table */
	quota_t *quota;      /* pays for the struct and every table (object charges) */
};

static volatile uint8_t *regs;
static uint64_t cap, ecap;
static uint64_t root_phys;      /* the root table: 256 entries of 16 bytes, one per bus */
static spinlock_t lock = SPINLOCK_INIT;
static int levels;
static uint64_t did_used[1024 / 64];
static uint32_t n_dids;
static uint64_t n_faults;
static bool active;

bool iommu_active(void) { return active; }
uint64_t iommu_fault_count(void) { return __atomic_load_n(&n_faults, __ATOMIC_RELAXED); }

static uint32_t rd32(uint32_t r) { return *(volatile uint32_t *)(regs + r); }
static uint64_t rd64(uint32_t r) { return *(volatile uint64_t *)(regs + r); }
static void wr32(uint32_t r, uint32_t v) { *(volatile uint32_t *)(regs + r) = v; }
static void wr64(uint32_t r, uint64_t v) { *(volatile uint64_t *)(regs + r) = v; }

static void flush_line(const void *p)
{
	if (!(ecap & ECAP_C))
		__asm__ volatile("clflush (%0)" ::"r"(p) : "memory");
}

static void flush_write_buffer(void)
{
	if (!(cap & CAP_RWBF))
		return;
	wr32(REG_GCMD, (rd32(REG_GSTS) & GSTS_ONE_SHOT) | GCMD_WBF);
	while (rd32(REG_GSTS) & GCMD_WBF)
		cpu_pause();
}

/* Set one global command bit and wait for its status bit (10.4.4: write the
 * current persistent status with the one bit changed). */
static void global_command(uint32_t bit)
{
	wr32(REG_GCMD, (rd32(REG_GSTS) & GSTS_ONE_SHOT) | bit);
	while (!(rd32(REG_GSTS) & bit))
		cpu_pause();
}

static void invalidate_context_cache(void)
{
	wr64(REG_CCMD, CCMD_ICC | CCMD_GLOBAL);
	while (rd64(REG_CCMD) & CCMD_ICC)
		cpu_pause();
}

/* IOTLB invalidation (global, or of one domain), drained so that no request
 * translated before it is still in flight when it completes. */
static void invalidate_iotlb(uint64_t granularity, uint16_t did)
{
	uint32_t r = ECAP_IRO(ecap) + 8;
	uint64_t drain = ((cap & CAP_DRD) ? IOTLB_DR : 0) | ((cap & CAP_DWD) ? IOTLB_DW : 0);
	wr64(r, IOTLB_IVT | granularity | drain | (uint64_t)did << 32);
	while (rd64(r) & IOTLB_IVT)
		cpu_pause();
}

static const char *const fault_reasons[] = {
	[1] = "no root entry", [2] = "no context entry", [3] = "bad context entry",
	[4] = "address beyond the domain", [5] = "no writable mapping",
	[6] = "no readable mapping", [7] = "bad table pointer", [8] = "bad root pointer",
	[0xa] = "bad second-level entry", [0xb] = "reserved bits set",
};

/* Report and clear every recorded fault (10.4.14); called from the fault
 * event interrupt. The claim of the faulting function counts it. */
void vtd_fault_irq(void);
void vtd_fault_irq(void)
{
	uint32_t fro = (uint32_t)CAP_FRO(cap);
	for (uint32_t i = 0; i < CAP_NFR(cap); i++) {
		uint64_t hi = rd64(fro + 16 * i + 8), lo = rd64(fro + 16 * i);
		if (!(hi & FRCD_F))
			continue;
		uint32_t sid = (uint32_t)(hi & 0xffff), reason = (uint32_t)(hi >> 32 & 0xff);
		bool read = hi >> 62 & 1;
		const char *why = reason < sizeof fault_reasons / sizeof fault_reasons[0] && fault_reasons[reason]
					  ? fault_reasons[reason] : "other";
		pci_fn_t *f = pci_find(sid);
		kprintf("iommu: DMA fault: device %02x:%02x.%u %s address %#llx refused (reason %#x: %s)\n",
			sid >> 8, sid >> 3 & 31, sid & 7, read ? "read of" : "write to",
			(unsigned long long)(lo & ~0xfffull), reason, why);
		__atomic_add_fetch(&n_faults, 1, __ATOMIC_RELAXED);
		uint64_t fl = spin_lock(&pci_lock);
		if (f && f->driver)
			f->driver->dma_faults++;
		spin_unlock(&pci_lock, fl);
		wr64(fro + 16 * i + 8, FRCD_F); /* write 1 to clear */
	}
	wr32(REG_FSTS, FSTS_PFO | FSTS_PPF);
}

/* What the remapping unit translates (8.3.1): every function (INCLUDE_PCI_ALL),
 * or the functions its device scopes list: endpoints, and the buses below
 * listed bridges. Only one-step paths are understood (QEMU's q35 lists each
 * function on bus 0 that way); a function outside is not isolated. */
static bool include_all;
static uint32_t scoped_bdf[PCI_FUNCTIONS_MAX], n_scoped;
static struct { uint8_t first, last; } scoped_bus[8];
static uint32_t n_scoped_buses;

static void add_scope(const uint8_t *e, uint8_t len)
{
	if (len < 8 || (e[0] != DSCOPE_ENDPOINT && e[0] != DSCOPE_BRIDGE))
		return;
	if (len != 8) {
		kprintf("iommu: a device scope with a path of %u steps; its device is not isolated\n", (len - 6) / 2);
		return;
	}
	uint32_t bdf = (uint32_t)e[5] << 8 | (uint32_t)e[6] << 3 | e[7];
	if (e[0] == DSCOPE_ENDPOINT && n_scoped < PCI_FUNCTIONS_MAX) {
		scoped_bdf[n_scoped++] = bdf;
	} else if (e[0] == DSCOPE_BRIDGE && n_scoped_buses < sizeof scoped_bus / sizeof scoped_bus[0]) {
		pci_fn_t *f = pci_find(bdf);
		if (f) {
			scoped_bus[n_scoped_buses].first = (uint8_t)pci_cfg_read(f, PCI_CFG_SECONDARY_BUS, 1);
			scoped_bus[n_scoped_buses++].last = (uint8_t)pci_cfg_read(f, PCI_CFG_SUBORDINATE_BUS, 1);
		}
	}
}

bool iommu_covers(uint32_t bdf)
{
	if (!active || bdf >> 16)
		return false;
	if (include_all)
		return true;
	for (uint32_t i = 0; i < n_scoped; i++)
		if (scoped_bdf[i] == bdf)
			return true;
	for (uint32_t i = 0; i < n_scoped_buses; i++)
		if ((bdf >> 8) >= scoped_bus[i].first && (bdf >> 8) <= scoped_bus[i].last)
			return true;
	return false;
}

/* The register base of the first remapping unit of segment 0, or 0; its
 * scope is recorded. Further units and reserved regions are only reported. */
static uint64_t find_unit(uint64_t dmar_phys)
{
	const uint8_t *t = vm_phys_to_virt(dmar_phys);
	uint32_t len = *(const uint32_t *)(t + 4);
	uint64_t base = 0;
	for (uint32_t off = DMAR_STRUCTS; off + 4 <= len;) {
		uint16_t type = *(const uint16_t *)(t + off), slen = *(const uint16_t *)(t + off + 2);
		if (slen < 4 || off + slen > len)
			break;
		if (type == DMAR_DRHD && slen >= 16 && !base && *(const uint16_t *)(t + off + 6) == 0) {
			base = *(const uint64_t *)(t + off + DRHD_BASE);
			include_all = t[off + 4] & DRHD_INCLUDE_ALL;
			for (uint32_t s = 16; s + 2 <= slen && t[off + s + 1] >= 2 && s + t[off + s + 1] <= slen;
			     s += t[off + s + 1])
				add_scope(t + off + s, t[off + s + 1]);
		} else if (type == DMAR_DRHD) {
			kprintf("iommu: a second remapping unit; its devices are not isolated\n");
		} else if (type == DMAR_RMRR) {
			kprintf("iommu: a reserved memory region for a device; not mapped\n");
		}
		off += slen;
	}
	return base;
}

void iommu_init(uint64_t dmar_phys)
{
	uint64_t base = dmar_phys ? find_unit(dmar_phys) : 0;
	active = base != 0; /* for iommu_covers below; cleared again if set-up fails */
	if (!base) {
		kprintf("iommu: none (no DMAR remapping unit): DMA from drivers is NOT isolated\n");
		return;
	}
	regs = kmmio_map(base, REGS_BYTES);
	root_phys = pmm_alloc_frame();
	if (!regs || !root_phys)
		panic("iommu: no memory for the registers or the root table");
	cap = rd64(REG_CAP);
	ecap = rd64(REG_ECAP);
	levels = (CAP_SAGAW(cap) & 2) ? 3 : (CAP_SAGAW(cap) & 4) ? 4 : 0;
	if (!levels)
		panic("iommu: the unit supports neither 3- nor 4-level tables (SAGAW %#llx)",
		      (unsigned long long)CAP_SAGAW(cap));
	n_dids = 1u << (4 + 2 * CAP_ND(cap));
	if (n_dids > 1024)
		n_dids = 1024;
	did_used[0] = 1; /* domain id 0 is reserved when caching mode is on; never used */
	/* fault events go to the boot CPU as an ordinary MSI */
	wr32(REG_FEDATA, VEC_IOMMU_FAULT);
	wr32(REG_FEADDR, 0xfee00000u | cpus[0].apic_id << 12);
	wr32(REG_FEUADDR, 0);
	wr32(REG_FECTL, 0);
	flush_line(vm_phys_to_virt(root_phys));
	wr64(REG_RTADDR, root_phys);
	global_command(GCMD_SRTP);
	invalidate_context_cache();
	invalidate_iotlb(IOTLB_GLOBAL, 0);
	global_command(GCMD_TE);
	kprintf("iommu: VT-d at %#llx on, %d-level tables, %u domain ids: devices reach only what DmaMap gives them\n",
		(unsigned long long)base, levels, n_dids);
	for (uint32_t i = 0; i < pci_count(); i++)
		if (!iommu_covers(pci_at(i)->bdf))
			kprintf("iommu: %s is outside the unit's scope: its DMA is not isolated\n", pci_at(i)->name);
}

/* The context entry (two u64) of bdf, making its bus's table when make is
 * set; NULL if absent or out of memory. lock held. */
static uint64_t *context_entry(uint32_t bdf, bool make)
{
	uint64_t *root = vm_phys_to_virt(root_phys);
	uint64_t *re = &root[2 * (bdf >> 8 & 0xff)];
	if (!(re[0] & ENTRY_P)) {
		if (!make)
			return NULL;
		uint64_t t = pmm_alloc_frame();
		if (!t)
			return NULL;
		re[1] = 0;
		re[0] = t | ENTRY_P;
		flush_line(re);
	}
	uint64_t *ctx = vm_phys_to_virt(re[0] & SL_ADDR);
	return &ctx[2 * (bdf & 0xff)];
}

/* A second-level table frame charged to q; 0 with *err LIMIT or NO_MEMORY. */
static uint64_t table_alloc(quota_t *q, nc_sys_err_t *err)
{
	*err = quota_charge_object(q, quota_frames_bytes(1));
	uint64_t t = *err ? 0 : pmm_alloc_frame();
	if (!*err && !t) {
		quota_uncharge_object(q, quota_frames_bytes(1));
		*err = NC_SYS_ERR_NO_MEMORY;
	}
	return t;
}

static void table_free(quota_t *q, uint64_t t)
{
	pmm_free_frame(t);
	quota_uncharge_object(q, quota_frames_bytes(1));
}

nc_sys_err_t iommu_domain_create(uint32_t bdf, quota_t *q, iommu_domain_t **out)
{
	nc_sys_err_t err;
	iommu_domain_t *d = quota_alloc_object(q, sizeof *d, &err);
	uint64_t top = d ? table_alloc(q, &err) : 0;
	if (!top) {
		quota_free_object(q, d, sizeof *d);
		return err;
	}
	d->quota = q;
	d->bdf = bdf;
	d->levels = levels;
	d->root_phys = top;
	flush_line(vm_phys_to_virt(top));
	uint64_t f = spin_lock(&lock);
	uint32_t did = 1;
	while (did < n_dids && (did_used[did / 64] >> (did % 64) & 1))
		did++;
	uint64_t *ce = did < n_dids ? context_entry(bdf, true) : NULL;
	if (ce) {
		did_used[did / 64] |= 1ull << (did % 64);
		d->did = (uint16_t)did;
		ce[1] = (levels == 3 ? CTX_AW_39 : CTX_AW_48) | (uint64_t)did << 8;
		__atomic_store_n(&ce[0], top | ENTRY_P, __ATOMIC_RELEASE); /* translation type 00 */
		flush_line(ce);
		flush_write_buffer();
		invalidate_context_cache();
		invalidate_iotlb(IOTLB_GLOBAL, 0);
	}
	spin_unlock(&lock, f);
	if (!ce) {
		table_free(q, top);
		quota_free_object(q, d, sizeof *d);
		return did < n_dids ? NC_SYS_ERR_NO_MEMORY : NC_SYS_ERR_LIMIT;
	}
	*out = d;
	return NC_SYS_OK;
}

static void free_tables(quota_t *q, uint64_t table, int level)
{
	uint64_t *t = vm_phys_to_virt(table);
	for (int i = 0; level > 1 && i < 512; i++)
		if (t[i] & (SL_R | SL_W))
			free_tables(q, t[i] & SL_ADDR, level - 1);
	table_free(q, table);
}

void iommu_domain_destroy(iommu_domain_t *d)
{
	uint64_t f = spin_lock(&lock);
	uint64_t *ce = context_entry(d->bdf, false);
	if (ce) {
		__atomic_store_n(&ce[0], 0, __ATOMIC_RELEASE);
		ce[1] = 0;
		flush_line(ce);
		flush_write_buffer();
		invalidate_context_cache();
		invalidate_iotlb(IOTLB_DOMAIN, d->did);
	}
	did_used[d->did / 64] &= ~(1ull << (d->did % 64));
	spin_unlock(&lock, f);
	free_tables(d->quota, d->root_phys, d->levels);
	quota_free_object(d->quota, d, sizeof *d);
}

/* The leaf entry for iova, making tables when err is not NULL (charged to
 * the domain's quota); NULL if absent, or with *err LIMIT or NO_MEMORY. */
static uint64_t *walk(iommu_domain_t *d, uint64_t iova, nc_sys_err_t *err)
{
	uint64_t *t = vm_phys_to_virt(d->root_phys);
	for (int level = d->levels; level > 1; level--) {
		uint64_t *e = &t[(iova >> (12 + 9 * (level - 1))) & 511];
		if (!(*e & (SL_R | SL_W))) {
			uint64_t next = err ? table_alloc(d->quota, err) : 0;
			if (!next)
				return NULL;
			flush_line(vm_phys_to_virt(next));
			*e = next | SL_R | SL_W;
			flush_line(e);
		}
		t = vm_phys_to_virt(*e & SL_ADDR);
	}
	return &t[(iova >> 12) & 511];
}

uint64_t iommu_iova_limit(const iommu_domain_t *d)
{
	return 1ull << (12 + 9 * d->levels);
}

nc_sys_err_t iommu_map(iommu_domain_t *d, uint64_t iova, uint64_t phys, bool writable)
{
	nc_sys_err_t err;
	uint64_t *e = walk(d, iova, &err);
	if (!e)
		return err;
	*e = phys | SL_R | (writable ? SL_W : 0);
	flush_line(e);
	flush_write_buffer();
	return NC_SYS_OK;
}

void iommu_unmap(iommu_domain_t *d, uint64_t iova, uint64_t n_pages)
{
	for (uint64_t i = 0; i < n_pages; i++) {
		uint64_t *e = walk(d, iova + i * VM_PAGE_BYTES, NULL);
		if (e) {
			*e = 0;
			flush_line(e);
		}
	}
	uint64_t f = spin_lock(&lock);
	flush_write_buffer();
	invalidate_iotlb(IOTLB_DOMAIN, d->did);
	spin_unlock(&lock, f);
}
