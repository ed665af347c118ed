/* NexaCore UEFI loader (gnu-efi). Reads \nexacore\kernel.elf, \nexacore\initrd
 * and \nexacore\cmdline.txt from its own ESP, measures them (measure.c), reads
 * the development TEE's device files, fills nc_boot_info_t (see
 * boot/include/nc/boot_info.h), exits boot services and jumps to the kernel.
 * Any failure prints one "nexacore-boot: error:" line and returns to the
 * firmware; nothing is changed that the firmware cannot recover from until
 * ExitBootServices, the last step that can fail. */
#include "loader.h"
#include <nc/mem.h>

#define MSR_EFER 0xc0000080u
#define EFER_NXE (1u << 11)

EFI_STATUS loader_fail(EFI_STATUS status, const char *what, const char *detail)
{
	Print(L"nexacore-boot: error: %a: %a (status %r)\r\n", what, detail, status);
	return status;
}

static void find_rsdp(nc_boot_info_t *bi)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];
		if (!CompareGuid(&t->VendorGuid, &acpi20))
			bi->acpi_rsdp_phys = (UINT64)t->VendorTable;
		else if (!CompareGuid(&t->VendorGuid, &AcpiTableGuid) && !bi->acpi_rsdp_phys)
			bi->acpi_rsdp_phys = (UINT64)t->VendorTable;
	}
}

static void find_framebuffer(nc_boot_info_t *bi)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	if (EFI_ERROR(LibLocateProtocol(&GraphicsOutputProtocol, (void **)&gop)) || !gop->Mode)
		return;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info = gop->Mode->Info;
	UINT32 format = info->PixelFormat == PixelRedGreenBlueReserved8BitPerColor ? NC_BOOT_FB_RGBX
		      : info->PixelFormat == PixelBlueGreenRedReserved8BitPerColor ? NC_BOOT_FB_BGRX
		      : NC_BOOT_FB_NONE; /* bit-mask and blt-only modes are not supported */
	if (format == NC_BOOT_FB_NONE)
		return;
	bi->fb = (nc_boot_framebuffer_t){ gop->Mode->FrameBufferBase, info->HorizontalResolution,
					  info->VerticalResolution, info->PixelsPerScanLine, format };
}

/* Optional command line: the first line of \nexacore\cmdline.txt. */
static void read_cmdline(EFI_FILE_HANDLE root, nc_boot_info_t *bi)
{
	loader_file_t f;
	if (EFI_ERROR(files_read(root, L"\\nexacore\\cmdline.txt", EfiLoaderData, &f)))
		return;
	UINTN n = 0;
	const char *s = f.data;
	while (n < f.size_bytes && n < NC_BOOT_CMDLINE_MAX - 1 && s[n] != '\n' && s[n] != '\r')
		n++;
	nc_mem_copy(bi->cmdline, s, n);
	bi->cmdline[n] = 0;
	uefi_call_wrapper(BS->FreePages, 2, (EFI_PHYSICAL_ADDRESS)f.data,
			  EFI_SIZE_TO_PAGES(f.size_bytes ? f.size_bytes : 1));
}

static EFI_STATUS alloc_boot_info(nc_boot_info_t **out)
{
	EFI_PHYSICAL_ADDRESS phys;
	EFI_STATUS s = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, LOADER_MEM_BOOT,
					 EFI_SIZE_TO_PAGES(sizeof(nc_boot_info_t)), &phys);
	if (EFI_ERROR(s))
		return loader_fail(s, "boot info", "out of memory");
	*out = (nc_boot_info_t *)phys;
	nc_mem_set(*out, 0, sizeof(nc_boot_info_t));
	(*out)->magic = NC_BOOT_INFO_MAGIC;
	(*out)->version = NC_BOOT_INFO_VERSION;
	(*out)->size_bytes = sizeof(nc_boot_info_t);
	return EFI_SUCCESS;
}

static EFI_STATUS load_files(EFI_HANDLE image, nc_boot_info_t *bi, loader_file_t *kernel,
			     UINT64 *entry)
{
	EFI_FILE_HANDLE root;
	EFI_STATUS s = files_open_root(image, &root);
	if (EFI_ERROR(s))
		return s;
	s = files_read(root, L"\\nexacore\\kernel.elf", EfiLoaderData, kernel);
	if (EFI_ERROR(s))
		return loader_fail(s, "\\nexacore\\kernel.elf", "cannot read the kernel file");
	measure_bytes(bi->measurements.kernel, kernel->data, kernel->size_bytes);
	s = kernel_place(kernel, bi, entry);
	if (EFI_ERROR(s))
		return s;
	loader_file_t initrd;
	s = files_read(root, L"\\nexacore\\initrd", LOADER_MEM_BOOT, &initrd);
	if (s == EFI_NOT_FOUND)
		Print(L"nexacore-boot: no initrd\r\n");
	else if (EFI_ERROR(s))
		return loader_fail(s, "\\nexacore\\initrd", "cannot read the initrd");
	else {
		bi->initrd_phys = (UINT64)initrd.data;
		bi->initrd_size_bytes = initrd.size_bytes;
	}
	measure_bytes(bi->measurements.initrd, (const void *)bi->initrd_phys, bi->initrd_size_bytes);
	read_cmdline(root, bi);
	measure_bytes(bi->measurements.cmdline, bi->cmdline, nc_str_len(bi->cmdline));
	measure_tee_device(root, bi);
	return EFI_SUCCESS;
}

static void __attribute__((noreturn)) enter_kernel(UINT64 cr3, UINT64 entry, UINT64 arg)
{
	UINT32 lo, hi;
	__asm__ volatile("cli; rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_EFER));
	__asm__ volatile("wrmsr" ::"a"(lo | EFER_NXE), "d"(hi), "c"(MSR_EFER));
	__asm__ volatile("mov %0, %%cr3\n\t"
			 "mov %2, %%rdi\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "jmp *%1" ::"r"(cr3), "r"(entry), "r"(arg)
			 : "rdi", "memory");
	__builtin_unreachable();
}

/* gnu-efi's crt0 calls efi_main with the System V convention: not EFIAPI. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	InitializeLib(image, systab);
	Print(L"nexacore-boot: loading \\nexacore\\kernel.elf\r\n");
	nc_boot_info_t *bi = NULL;
	loader_file_t kernel;
	UINT64 entry, top, cr3;
	EFI_STATUS s = alloc_boot_info(&bi);
	if (!EFI_ERROR(s))
		s = load_files(image, bi, &kernel, &entry);
	if (EFI_ERROR(s))
		return s;
	find_rsdp(bi);
	find_framebuffer(bi);
	s = memmap_top(&top);
	if (EFI_ERROR(s))
		return s;
	UINT64 map_bytes = top > NC_BOOT_DIRECT_MAP_MIN ? top : NC_BOOT_DIRECT_MAP_MIN;
	map_bytes = (map_bytes + (1ull << 30) - 1) & ~((1ull << 30) - 1);
	if (map_bytes > NC_BOOT_DIRECT_MAP_WINDOW)
		return loader_fail(EFI_UNSUPPORTED, "memory", "more physical memory than the direct-map window");
	bi->hhdm_base = kaslr_direct_map_base(map_bytes);
	s = paging_build(&kernel, bi, map_bytes, &cr3);
	if (EFI_ERROR(s))
		return s;
	bi->direct_map_bytes = map_bytes;
	bi->loader_page_tables_phys = cr3;
	Print(L"nexacore-boot: starting the kernel\r\n");
	s = memmap_exit(image, bi);
	if (EFI_ERROR(s))
		return s;
	enter_kernel(cr3, entry, bi->hhdm_base + (UINT64)bi);
}
