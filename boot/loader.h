/* The UEFI loader's internal interface. One file per step:
 *   files.c   read \nexacore\* from the ESP the loader came from
 *   kernel.c  validate the kernel ELF (lib/elf), place its segments, slide it (lib/kreloc)
 *   paging.c  build the page tables the kernel starts on
 *   memmap.c  exit boot services and translate the memory map
 *   measure.c measured boot (BLAKE3 digests) and the development TEE's device files
 *   kaslr.c   the randomised bases of the direct map and the kernel image
 *   main.c    the sequence, GOP, RSDP, command line, the jump
 * Every step returns EFI_STATUS and prints its own error line
 * "nexacore-boot: error: ..." on the UEFI console before returning. */
#ifndef BOOT_LOADER_H
#define BOOT_LOADER_H

#include <efi.h>
#include <efilib.h>
#include <nc/boot_info.h>
#include <nc/elf.h>

/* UEFI 2.10, 7.2 AllocatePages: types 0x80000000.. are for OS loaders. We tag
 * our allocations so the kernel can tell them apart in the memory map. */
#define LOADER_MEM_KERNEL ((EFI_MEMORY_TYPE)0x80000001)
#define LOADER_MEM_BOOT ((EFI_MEMORY_TYPE)0x80000002)

#define PAGE_BYTES 4096ull

typedef struct {
	void *data;
	UINTN size_bytes;
} loader_file_t;

/* Print "nexacore-boot: error: <what>: <detail>" and return status. */
EFI_STATUS loader_fail(EFI_STATUS status, const char *what, const char *detail);

EFI_STATUS files_open_root(EFI_HANDLE image, EFI_FILE_HANDLE *root);
/* Read a whole file into fresh pages of mem_type. EFI_NOT_FOUND when absent
 * (no message: the caller decides whether that is an error). */
EFI_STATUS files_read(EFI_FILE_HANDLE root, CHAR16 *path, EFI_MEMORY_TYPE mem_type,
		      loader_file_t *out);

/* BLAKE3 of data[0..len_bytes) into out. */
void measure_bytes(uint8_t out[NC_BOOT_DIGEST_BYTES], const void *data, UINTN len_bytes);
/* Fill bi->tee from \nexacore\device.secret (made when absent) and
 * \nexacore\device.cert. Never fails the boot: problems are printed. */
void measure_tee_device(EFI_FILE_HANDLE root, nc_boot_info_t *bi);

/* Validate the kernel ELF in file, copy it into LOADER_MEM_KERNEL pages and
 * move it by a random slide (kaslr_kernel_slide, its relocation table applied):
 * bi->kernel_* describe it, *entry is its slid entry point. */
EFI_STATUS kernel_place(const loader_file_t *file, nc_boot_info_t *bi, UINT64 *entry);
/* Parse the kernel ELF: its link addresses must lie in the kernel window. */
nc_elf_err_t kernel_parse(const loader_file_t *file, nc_elf_image_t *img);

/* Page tables: identity map of [0, map_bytes), the direct map of it at
 * bi->hhdm_base, plus the kernel. */
EFI_STATUS paging_build(const loader_file_t *kernel_file, const nc_boot_info_t *bi,
			UINT64 map_bytes, UINT64 *cr3);
/* A random 1 GiB-aligned direct-map base with room for map_bytes (at most
 * NC_BOOT_DIRECT_MAP_WINDOW) inside the direct-map window. */
UINT64 kaslr_direct_map_base(UINT64 map_bytes);
/* A random slide, a multiple of 1 << align_log2, that keeps the image linked
 * at [link_base, link_base + span_bytes) inside [NC_BOOT_KERNEL_VBASE,
 * + NC_BOOT_KERNEL_WINDOW) (which must hold it); *positions gets how many
 * slides there were to pick from. */
UINT64 kaslr_kernel_slide(UINT64 link_base, UINT64 span_bytes, UINT32 align_log2, UINT64 *positions);

/* Highest physical address (exclusive) of RAM in the current memory map. */
EFI_STATUS memmap_top(UINT64 *top);
/* ExitBootServices and fill bi->regions. After success, no firmware call but
 * runtime services may be made (no printing). */
EFI_STATUS memmap_exit(EFI_HANDLE image, nc_boot_info_t *bi);

#endif
