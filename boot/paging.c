/* The page tables the kernel starts on (Intel SDM Vol. 3A 4.5, 4-level paging):
 *   identity   [0, map_bytes)            2 MiB pages, RW, executable (the loader
 *                                        runs from here until the jump)
 *   direct map hhdm + [0, map_bytes)     2 MiB pages, RW, NX (hhdm: bi->hhdm_base)
 *   kernel     its PT_LOAD segments,     4 KiB pages, W only where the ELF
 *              moved by the slide        says, NX unless executable (W^X) */
#include "loader.h"
#include <nc/mem.h>

enum { PTE_P = 1, PTE_W = 2, PTE_PS = 0x80 };
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define LARGE_BYTES (2ull << 20)

static EFI_STATUS new_table(UINT64 **out)
{
	EFI_PHYSICAL_ADDRESS phys;
	EFI_STATUS s = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, LOADER_MEM_BOOT, 1,
					 &phys);
	if (EFI_ERROR(s))
		return loader_fail(s, "paging", "out of memory for page tables");
	nc_mem_set((void *)phys, 0, PAGE_BYTES);
	*out = (UINT64 *)phys;
	return EFI_SUCCESS;
}

/* The entry for virt at level (3 = PML4 .. 1 = PD) leads to the next table. */
static EFI_STATUS next_table(UINT64 *table, UINT64 virt, int level, UINT64 **out)
{
	UINT64 *e = &table[(virt >> (12 + 9 * level)) & 511];
	if (!(*e & PTE_P)) {
		UINT64 *t;
		EFI_STATUS s = new_table(&t);
		if (EFI_ERROR(s))
			return s;
		*e = (UINT64)t | PTE_P | PTE_W;
	}
	*out = (UINT64 *)(*e & PTE_ADDR);
	return EFI_SUCCESS;
}

/* Map one page (4 KiB, or 2 MiB when large) at virt. */
static EFI_STATUS map_page(UINT64 *pml4, UINT64 virt, UINT64 phys, UINT64 flags, BOOLEAN large)
{
	UINT64 *t = pml4;
	EFI_STATUS s = EFI_SUCCESS;
	for (int level = 3; level > (large ? 1 : 0) && !EFI_ERROR(s); level--)
		s = next_table(t, virt, level, &t);
	if (EFI_ERROR(s))
		return s;
	UINT64 idx = (virt >> (large ? 21 : 12)) & 511;
	t[idx] = phys | flags | PTE_P | (large ? PTE_PS : 0);
	return EFI_SUCCESS;
}

static EFI_STATUS map_kernel(UINT64 *pml4, const loader_file_t *file, const nc_boot_info_t *bi)
{
	nc_elf_image_t img;
	kernel_parse(file, &img); /* validated by kernel_place */
	UINT64 slide = bi->kernel_virt_base - img.vaddr_min;
	for (UINT32 i = 0; i < img.n_segments; i++) {
		const nc_elf_segment_t *seg = &img.segments[i];
		UINT64 flags = ((seg->flags & NC_ELF_SEG_W) ? PTE_W : 0) |
			       ((seg->flags & NC_ELF_SEG_X) ? 0 : PTE_NX);
		UINT64 first = seg->vaddr & ~(PAGE_BYTES - 1);
		for (UINT64 v = first; v < seg->vaddr + seg->mem_bytes; v += PAGE_BYTES) {
			UINT64 phys = bi->kernel_phys_base + (v - img.vaddr_min);
			EFI_STATUS s = map_page(pml4, v + slide, phys, flags, FALSE);
			if (EFI_ERROR(s))
				return s;
		}
	}
	return EFI_SUCCESS;
}

EFI_STATUS paging_build(const loader_file_t *kernel_file, const nc_boot_info_t *bi,
			UINT64 map_bytes, UINT64 *cr3)
{
	UINT64 *pml4;
	EFI_STATUS s = new_table(&pml4);
	for (UINT64 a = 0; a < map_bytes && !EFI_ERROR(s); a += LARGE_BYTES) {
		s = map_page(pml4, a, a, PTE_W, TRUE);
		if (!EFI_ERROR(s))
			s = map_page(pml4, bi->hhdm_base + a, a, PTE_W | PTE_NX, TRUE);
	}
	if (!EFI_ERROR(s))
		s = map_kernel(pml4, kernel_file, bi);
	*cr3 = (UINT64)pml4;
	return s;
}
