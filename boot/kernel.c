/* Placing the kernel: lib/elf validates the whole file and lib/kreloc the
 * header of its relocation table first; only then are pages allocated and
 * segments copied (bss zeroed). The image is then moved by a random slide
 * (KASLR): nc_kreloc_apply checks the whole table against the copy before it
 * moves the first field, and the pages are freed if it refuses. */
#include "loader.h"
#include <nc/kreloc.h>
#include <nc/mem.h>

nc_elf_err_t kernel_parse(const loader_file_t *file, nc_elf_image_t *img)
{
	return nc_elf_parse(file->data, file->size_bytes, NC_BOOT_KERNEL_VBASE,
			    NC_BOOT_KERNEL_VBASE + NC_BOOT_KERNEL_WINDOW, img);
}

EFI_STATUS kernel_place(const loader_file_t *file, nc_boot_info_t *bi, UINT64 *entry)
{
	nc_elf_image_t img;
	UINT64 table_off, table_bytes;
	nc_elf_err_t err = kernel_parse(file, &img);
	if (!err)
		err = nc_elf_find_segment(file->data, file->size_bytes, NC_KRELOC_PT_TYPE, &table_off,
					  &table_bytes);
	if (err)
		return loader_fail(EFI_LOAD_ERROR, "\\nexacore\\kernel.elf", nc_elf_err_name(err));
	const UINT8 *table = (const UINT8 *)file->data + table_off;
	nc_kreloc_header_t h;
	nc_kreloc_err_t kerr = nc_kreloc_read_header(table, table_bytes, &h);
	if (kerr)
		return loader_fail(EFI_LOAD_ERROR, "kernel relocations", nc_kreloc_err_name(kerr));
	UINT64 span = img.vaddr_max - img.vaddr_min, positions;
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
	UINT64 slide = kaslr_kernel_slide(img.vaddr_min, span, h.align_log2, &positions);
	kerr = nc_kreloc_apply((UINT8 *)phys, span, table, table_bytes, slide);
	if (kerr) {
		uefi_call_wrapper(BS->FreePages, 2, phys, span / PAGE_BYTES);
		return loader_fail(EFI_LOAD_ERROR, "kernel relocations", nc_kreloc_err_name(kerr));
	}
	bi->kernel_phys_base = phys;
	bi->kernel_virt_base = img.vaddr_min + slide;
	bi->kernel_size_bytes = span;
	*entry = img.entry + slide;
	Print(L"nexacore-boot: kernel image at %lx, one of %ld places\r\n", bi->kernel_virt_base, positions);
	return EFI_SUCCESS;
}
