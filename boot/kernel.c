/* Placing the kernel: lib/elf validates the whole file first; only then are
 * pages allocated and segments copied (bss zeroed). */
#include "loader.h"
#include <nc/elf.h>
#include <nc/mem.h>

#define KERNEL_VADDR_HI 0xfffffffffffff000ull

EFI_STATUS kernel_place(const loader_file_t *file, nc_boot_info_t *bi, UINT64 *entry)
{
	nc_elf_image_t img;
	nc_elf_err_t err = nc_elf_parse(file->data, file->size_bytes, NC_BOOT_KERNEL_VBASE,
					KERNEL_VADDR_HI, &img);
	if (err)
		return loader_fail(EFI_LOAD_ERROR, "\\nexacore\\kernel.elf", nc_elf_err_name(err));
	UINT64 span = img.vaddr_max - img.vaddr_min;
	EFI_PHYSICAL_ADDRESS phys;
	EFI_STATUS s = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, LOADER_MEM_KERNEL,
					 span / PAGE_BYTES, &phys);
	if (EFI_ERROR(s))
		return loader_fail(s, "kernel", "out of memory for the kernel image");
	nc_mem_set((void *)phys, 0, span);
	for (UINT32 i = 0; i < img.n_segments; i++) {
		const nc_elf_segment_t *seg = &img.segments[i];
		nc_mem_copy((UINT8 *)phys + (seg->vaddr - img.vaddr_min),
			    (const UINT8 *)file->data + seg->offset, seg->file_bytes);
	}
	bi->kernel_phys_base = phys;
	bi->kernel_virt_base = img.vaddr_min;
	bi->kernel_size_bytes = span;
	*entry = img.entry;
	return EFI_SUCCESS;
}
