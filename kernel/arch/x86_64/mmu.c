/* x86-64 4-level paging (Intel SDM Vol. 3A 4.5): the kernel's tables and the
 * per-process vspaces of kernel/vm.h. Kernel-half PML4 entries (256..511) are
 * allocated once in vm_init and never change, so copying them into a new
 * vspace shares every later kernel mapping. Kernel mappings are global (G) and
 * W^X by section; the direct map is RW+NX with the local-APIC/IO page
 * uncached, except the kernel image's text and read-only data, read-only
 * there too (4 KiB pages around the image). */
#include <kernel/cpu.h>
#include <kernel/heap.h>
#include <kernel/kernel.h>
#include <kernel/pmm.h>
#include <kernel/quota.h>
#include <kernel/umap.h>
#include <kernel/vm.h>
#include <nc/mem.h>
#include <arch/cpu.h>

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_U 0x4ull
#define PTE_PWT 0x8ull
#define PTE_PCD 0x10ull
#define PTE_PS 0x80ull
#define PTE_G 0x100ull
#define PTE_FOREIGN 0x200ull /* software bit (AVL, SDM Vol. 3A 4.5): VM_FOREIGN */
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define LARGE_BYTES (2ull << 20)
#define MMIO_UC_LO 0xfec00000ull
#define MMIO_UC_HI 0x100000000ull

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[], __data_start[],
	__data_end[], __kernel_end[];

static uint64_t kernel_pml4_phys;
static spinlock_t kernel_lock = SPINLOCK_INIT; /* kernel-half tables after boot */

static uint64_t *table_virt(uint64_t entry) { return vm_phys_to_virt(entry & PTE_ADDR); }

/* The level-1 entry for va, creating tables when create is set; NULL if absent
 * or a table could not be made (*err: VM_ERR_NO_MEMORY, or VM_ERR_LIMIT when
 * vs's quota refuses it). With vs (a user vspace) new tables are user tables,
 * charged to its quota and counted in its n_frames; vs->lock held. */
static uint64_t *walk(uint64_t pml4_phys, uint64_t va, bool create, vspace_t *vs, vm_err_t *err)
{
	uint64_t *t = vm_phys_to_virt(pml4_phys);
	for (int level = 3; level > 0; level--) {
		uint64_t *e = &t[(va >> (12 + 9 * level)) & 511];
		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			if (vs && quota_charge(vs->quota, quota_frames_bytes(1))) {
				*err = VM_ERR_LIMIT;
				return NULL;
			}
			uint64_t phys = pmm_alloc_frame();
			if (!phys) {
				if (vs)
					quota_uncharge(vs->quota, quota_frames_bytes(1));
				*err = VM_ERR_NO_MEMORY;
				return NULL;
			}
			if (vs)
				vs->n_frames++;
			*e = phys | PTE_P | PTE_W | (vs ? PTE_U : 0);
		}
		if (*e & PTE_PS) {
			*err = VM_ERR_RANGE;
			return NULL;
		}
		t = table_virt(*e);
	}
	return &t[(va >> 12) & 511];
}

static uint64_t pte_flags(unsigned flags)
{
	return PTE_P | ((flags & VM_WRITE) ? PTE_W : 0) | ((flags & VM_EXEC) ? 0 : PTE_NX) |
	       ((flags & VM_USER) ? PTE_U : PTE_G) | ((flags & VM_FOREIGN) ? PTE_FOREIGN : 0) |
	       ((flags & VM_UNCACHED) ? PTE_PCD | PTE_PWT : 0);
}

/* What a vspace_unmap/replace caller gets for a present entry e. */
static uint64_t returned_frame(uint64_t e)
{
	return (e & PTE_ADDR) | ((e & PTE_FOREIGN) ? VM_FRAME_FOREIGN : 0);
}

static void map_or_panic(uint64_t va, uint64_t phys, unsigned flags)
{
	vm_err_t err;
	uint64_t *pte = walk(kernel_pml4_phys, va, true, NULL, &err);
	if (!pte)
		panic("vm: out of frames for the kernel page tables");
	*pte = phys | pte_flags(flags);
}

uint64_t vm_direct_base = NC_BOOT_HHDM_BASE;

static void map_direct(uint64_t map_bytes)
{
	for (uint64_t a = 0; a < map_bytes; a += LARGE_BYTES) {
		uint64_t va = vm_direct_base + a;
		uint64_t *t = vm_phys_to_virt(kernel_pml4_phys);
		for (int level = 3; level > 1; level--) {
			uint64_t *e = &t[(va >> (12 + 9 * level)) & 511];
			if (!(*e & PTE_P)) {
				uint64_t phys = pmm_alloc_frame();
				if (!phys)
					panic("vm: out of frames for the direct map");
				*e = phys | PTE_P | PTE_W;
			}
			t = table_virt(*e);
		}
		uint64_t uc = (a >= MMIO_UC_LO && a < MMIO_UC_HI) ? PTE_PCD | PTE_PWT : 0;
		t[(va >> 21) & 511] = a | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX | uc;
	}
}

/* The direct map's entry for phys as a 4 KiB PTE: its 2 MiB page is split
 * into a page table first (same flags). Boot only (vm_init). */
static uint64_t *direct_pte(uint64_t phys)
{
	uint64_t va = vm_direct_base + phys;
	uint64_t *t = vm_phys_to_virt(kernel_pml4_phys);
	for (int level = 3; level > 1; level--)
		t = table_virt(t[(va >> (12 + 9 * level)) & 511]);
	uint64_t *pde = &t[(va >> 21) & 511];
	if (*pde & PTE_PS) {
		uint64_t pt = pmm_alloc_frame();
		if (!pt)
			panic("vm: out of frames for the direct map");
		uint64_t *e = vm_phys_to_virt(pt);
		uint64_t base = *pde & PTE_ADDR & ~(LARGE_BYTES - 1);
		uint64_t keep = *pde & (PTE_W | PTE_G | PTE_NX | PTE_PCD | PTE_PWT);
		for (uint64_t k = 0; k < 512; k++)
			e[k] = (base + k * VM_PAGE_BYTES) | PTE_P | keep;
		*pde = pt | PTE_P | PTE_W;
	}
	return &table_virt(*pde)[(va >> 12) & 511];
}

/* Map the image where the loader put it (slid: KASLR), each section by its
 * permissions, and make its frames read-only in the direct map too, except
 * data and bss: the alias would otherwise let any kernel write bug rewrite
 * kernel code. */
static void map_image(const nc_boot_info_t *bi)
{
	for (uint64_t va = (uint64_t)__text_start; va < (uint64_t)__kernel_end; va += VM_PAGE_BYTES) {
		unsigned flags = 0;
		if (va < (uint64_t)__text_end)
			flags = VM_EXEC;
		else if (va >= (uint64_t)__data_start && va < (uint64_t)__data_end)
			flags = VM_WRITE;
		uint64_t phys = bi->kernel_phys_base + (va - bi->kernel_virt_base);
		map_or_panic(va, phys, flags);
		if (!(flags & VM_WRITE))
			*direct_pte(phys) &= ~PTE_W;
	}
}

void vm_init(const nc_boot_info_t *bi)
{
	kernel_pml4_phys = pmm_alloc_frame();
	if (!kernel_pml4_phys)
		panic("vm: no frame for the kernel PML4");
	uint64_t *pml4 = vm_phys_to_virt(kernel_pml4_phys);
	for (int i = 256; i < 512; i++) {
		uint64_t phys = pmm_alloc_frame();
		if (!phys)
			panic("vm: no frame for the kernel half");
		pml4[i] = phys | PTE_P | PTE_W;
	}
	uint64_t top = NC_BOOT_DIRECT_MAP_MIN;
	for (uint32_t i = 0; i < bi->n_regions; i++) {
		uint64_t end = bi->regions[i].phys_base + bi->regions[i].n_pages * VM_PAGE_BYTES;
		if (end > top)
			top = end;
	}
	map_direct((top + (1ull << 30) - 1) & ~((1ull << 30) - 1));
	map_image(bi);
	vm_activate_kernel();
}

void vm_activate_kernel(void)
{
	cpu_write_cr3(kernel_pml4_phys);
}

uint64_t vm_kernel_pml4(void) { return kernel_pml4_phys; }

vm_err_t vm_map_kernel(uint64_t va, uint64_t phys, unsigned flags)
{
	if ((flags & VM_WRITE) && (flags & VM_EXEC))
		return VM_ERR_WX;
	vm_err_t err = VM_OK;
	uint64_t f = spin_lock(&kernel_lock);
	uint64_t *pte = walk(kernel_pml4_phys, va, true, NULL, &err);
	if (pte)
		*pte = phys | pte_flags(flags & ~(unsigned)VM_USER);
	spin_unlock(&kernel_lock, f);
	return err;
}

uint64_t vm_unmap_kernel(uint64_t va)
{
	uint64_t f = spin_lock(&kernel_lock);
	vm_err_t err;
	uint64_t *pte = walk(kernel_pml4_phys, va, false, NULL, &err);
	uint64_t phys = 0;
	if (pte && (*pte & PTE_P)) {
		phys = *pte & PTE_ADDR;
		*pte = 0;
		cpu_invlpg(va);
	}
	spin_unlock(&kernel_lock, f);
	return phys;
}

/* The identity map lives in the kernel PML4's lower half, which no vspace
 * copies; its tables are freed with the mapping. */
vm_err_t vm_map_identity(uint64_t phys)
{
	vm_err_t err = VM_OK;
	uint64_t *pte = walk(kernel_pml4_phys, phys, true, NULL, &err);
	if (!pte)
		return err;
	*pte = phys | PTE_P | PTE_W;
	return VM_OK;
}

static void free_lower_half(uint64_t pml4_phys, bool free_leaves, uint64_t *n_freed)
{
	uint64_t *pml4 = vm_phys_to_virt(pml4_phys);
	for (int i = 0; i < 256; i++) {
		if (!(pml4[i] & PTE_P))
			continue;
		uint64_t *pdpt = table_virt(pml4[i]);
		for (int j = 0; j < 512; j++) {
			if (!(pdpt[j] & PTE_P))
				continue;
			uint64_t *pd = table_virt(pdpt[j]);
			for (int k = 0; k < 512; k++) {
				if (!(pd[k] & PTE_P))
					continue;
				uint64_t *pt = table_virt(pd[k]);
				for (int l = 0; free_leaves && l < 512; l++)
					if ((pt[l] & (PTE_P | PTE_FOREIGN)) == PTE_P) {
						pmm_free_frame(pt[l] & PTE_ADDR);
						(*n_freed)++;
					}
				pmm_free_frame(pd[k] & PTE_ADDR);
				(*n_freed)++;
			}
			pmm_free_frame(pdpt[j] & PTE_ADDR);
			(*n_freed)++;
		}
		pmm_free_frame(pml4[i] & PTE_ADDR);
		(*n_freed)++;
		pml4[i] = 0;
	}
}

void vm_unmap_identity(void)
{
	uint64_t n = 0;
	free_lower_half(kernel_pml4_phys, false, &n);
	cpu_write_cr3(kernel_pml4_phys);
}

nc_sys_err_t vspace_create(struct quota *quota, vspace_t **out)
{
	nc_sys_err_t err = quota_charge(quota, quota_frames_bytes(1));
	if (err)
		return err;
	vspace_t *vs = heap_alloc(sizeof *vs);
	uint64_t pml4 = vs ? pmm_alloc_frame() : 0;
	if (!pml4) {
		heap_free(vs);
		quota_uncharge(quota, quota_frames_bytes(1));
		return NC_SYS_ERR_NO_MEMORY;
	}
	vs->pml4_phys = pml4;
	vs->n_frames = 1;
	vs->quota = quota;
	uint64_t *dst = vm_phys_to_virt(vs->pml4_phys);
	const uint64_t *src = vm_phys_to_virt(kernel_pml4_phys);
	nc_mem_copy(dst + 256, src + 256, 256 * sizeof(uint64_t));
	*out = vs;
	return NC_SYS_OK;
}

void vspace_destroy(vspace_t *vs)
{
	if (vs->active_cpus)
		panic("vm: destroying an address space that CPUs %#llx still use",
		      (unsigned long long)vs->active_cpus);
	umap_release_all(vs);
	uint64_t n = 0;
	free_lower_half(vs->pml4_phys, true, &n);
	pmm_free_frame(vs->pml4_phys);
	if (n + 1 != vs->n_frames)
		panic("vm: %llu frames counted, %llu freed", (unsigned long long)vs->n_frames,
		      (unsigned long long)(n + 1));
	quota_uncharge(vs->quota, quota_frames_bytes(vs->n_frames));
	heap_free(vs);
}

uint64_t vspace_alloc_frame(vspace_t *vs, nc_sys_err_t *err)
{
	*err = quota_charge(vs->quota, quota_frames_bytes(1));
	if (*err)
		return 0;
	uint64_t phys = pmm_alloc_frame();
	if (!phys) {
		quota_uncharge(vs->quota, quota_frames_bytes(1));
		*err = NC_SYS_ERR_NO_MEMORY;
	}
	return phys;
}

void vspace_free_frame(vspace_t *vs, uint64_t phys)
{
	pmm_free_frame(phys);
	quota_uncharge(vs->quota, quota_frames_bytes(1));
}

static bool user_va_ok(uint64_t va)
{
	return va >= VM_USER_BASE && va < VM_USER_MAP_TOP && va % VM_PAGE_BYTES == 0;
}

vm_err_t vspace_map(vspace_t *vs, uint64_t va, uint64_t phys, unsigned flags)
{
	if ((flags & VM_WRITE) && (flags & VM_EXEC))
		return VM_ERR_WX;
	if (!user_va_ok(va))
		return VM_ERR_RANGE;
	vm_err_t err = VM_OK;
	uint64_t f = spin_lock(&vs->lock);
	uint64_t *pte = walk(vs->pml4_phys, va, true, vs, &err);
	if (pte && (*pte & PTE_P))
		err = VM_ERR_EXISTS;
	if (err == VM_OK) {
		*pte = phys | pte_flags(flags | VM_USER);
		if (!(flags & VM_FOREIGN))
			vs->n_frames++;
	}
	spin_unlock(&vs->lock, f);
	return err;
}

uint64_t vspace_unmap(vspace_t *vs, uint64_t va)
{
	if (!user_va_ok(va))
		return 0;
	vm_err_t err;
	uint64_t f = spin_lock(&vs->lock);
	uint64_t *pte = walk(vs->pml4_phys, va, false, vs, &err);
	uint64_t phys = 0;
	if (pte && (*pte & PTE_P)) {
		phys = returned_frame(*pte);
		*pte = 0;
		if (!(phys & VM_FRAME_FOREIGN))
			vs->n_frames--;
	}
	spin_unlock(&vs->lock, f);
	return phys;
}

bool vspace_unmap_foreign(vspace_t *vs, uint64_t va)
{
	if (!user_va_ok(va))
		return false;
	vm_err_t err;
	uint64_t f = spin_lock(&vs->lock);
	uint64_t *pte = walk(vs->pml4_phys, va, false, vs, &err);
	bool foreign = pte && (*pte & (PTE_P | PTE_FOREIGN)) == (PTE_P | PTE_FOREIGN);
	if (foreign)
		*pte = 0;
	spin_unlock(&vs->lock, f);
	return foreign;
}

uint64_t vspace_replace(vspace_t *vs, uint64_t va, uint64_t phys, unsigned flags, vm_err_t *err)
{
	*err = (flags & VM_WRITE) && (flags & VM_EXEC) ? VM_ERR_WX : user_va_ok(va) ? VM_OK : VM_ERR_RANGE;
	if (*err)
		return 0;
	uint64_t f = spin_lock(&vs->lock);
	uint64_t *pte = walk(vs->pml4_phys, va, true, vs, err);
	uint64_t old = 0;
	if (pte) {
		old = (*pte & PTE_P) ? returned_frame(*pte) : 0;
		__atomic_store_n(pte, phys | pte_flags(flags | VM_USER), __ATOMIC_RELEASE);
		if (!(flags & VM_FOREIGN))
			vs->n_frames++;
		if (old && !(old & VM_FRAME_FOREIGN))
			vs->n_frames--;
	}
	spin_unlock(&vs->lock, f);
	return old;
}

uint64_t vspace_lookup(vspace_t *vs, uint64_t va, unsigned *flags_out)
{
	if (va < VM_USER_BASE || va >= VM_USER_TOP)
		return 0;
	vm_err_t err;
	uint64_t f = spin_lock(&vs->lock);
	uint64_t *pte = walk(vs->pml4_phys, va & ~(VM_PAGE_BYTES - 1), false, vs, &err);
	uint64_t e = pte ? *pte : 0;
	spin_unlock(&vs->lock, f);
	if (!(e & PTE_P))
		return 0;
	if (flags_out)
		*flags_out = VM_USER | ((e & PTE_W) ? VM_WRITE : 0) | ((e & PTE_NX) ? 0 : VM_EXEC) |
			     ((e & PTE_FOREIGN) ? VM_FOREIGN : 0) | ((e & PTE_PCD) ? VM_UNCACHED : 0);
	return e & PTE_ADDR;
}

void vspace_switch(vspace_t *from, vspace_t *to)
{
	uint64_t bit = 1ull << cpu_this()->index;
	if (from == to)
		return;
	if (to)
		__atomic_fetch_or(&to->active_cpus, bit, __ATOMIC_SEQ_CST);
	cpu_write_cr3(to ? to->pml4_phys : kernel_pml4_phys);
	if (from)
		__atomic_fetch_and(&from->active_cpus, ~bit, __ATOMIC_SEQ_CST);
	cpu_this()->vspace = to;
}
