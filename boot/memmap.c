/* The memory map: sized before exit (for the direct map), then taken for real
 * at ExitBootServices (UEFI 2.10, 7.4: retry once with a fresh map key when
 * the map changed in between) and translated to nc_boot_mem_region_t. */
#include "loader.h"
#include <nc/mem.h>

static UINT32 region_type(UINT32 efi_type)
{
	switch (efi_type) {
	case EfiConventionalMemory:
	case EfiBootServicesCode:
	case EfiBootServicesData:
	case EfiLoaderCode:
	case EfiLoaderData:
		return NC_BOOT_MEM_USABLE;
	case EfiACPIReclaimMemory: return NC_BOOT_MEM_ACPI_RECLAIM;
	case EfiACPIMemoryNVS: return NC_BOOT_MEM_ACPI_NVS;
	case EfiRuntimeServicesCode:
	case EfiRuntimeServicesData:
		return NC_BOOT_MEM_FIRMWARE;
	case (UINT32)LOADER_MEM_KERNEL: return NC_BOOT_MEM_KERNEL;
	case (UINT32)LOADER_MEM_BOOT: return NC_BOOT_MEM_LOADER;
	default: return NC_BOOT_MEM_RESERVED;
	}
}

typedef struct {
	UINT8 *buf;
	UINTN size, key, desc_size;
	UINT32 desc_version;
} raw_map_t;

/* Fetch the map into m->buf (allocated with slack on first use). */
static EFI_STATUS get_map(raw_map_t *m, UINTN cap)
{
	m->size = cap;
	return uefi_call_wrapper(BS->GetMemoryMap, 5, &m->size, (EFI_MEMORY_DESCRIPTOR *)m->buf,
				 &m->key, &m->desc_size, &m->desc_version);
}

static EFI_STATUS alloc_map(raw_map_t *m, UINTN *cap)
{
	m->buf = NULL;
	EFI_STATUS s = get_map(m, 0);
	if (s != EFI_BUFFER_TOO_SMALL)
		return loader_fail(s, "memory map", "GetMemoryMap failed");
	*cap = m->size + 16 * m->desc_size;
	m->buf = AllocatePool(*cap);
	if (!m->buf)
		return loader_fail(EFI_OUT_OF_RESOURCES, "memory map", "out of memory");
	return EFI_SUCCESS;
}

EFI_STATUS memmap_top(UINT64 *top)
{
	raw_map_t m;
	UINTN cap;
	EFI_STATUS s = alloc_map(&m, &cap);
	if (!EFI_ERROR(s))
		s = get_map(&m, cap);
	if (EFI_ERROR(s))
		return loader_fail(s, "memory map", "GetMemoryMap failed");
	*top = 0;
	for (UINTN off = 0; off < m.size; off += m.desc_size) {
		EFI_MEMORY_DESCRIPTOR *d = (EFI_MEMORY_DESCRIPTOR *)(m.buf + off);
		UINT64 end = d->PhysicalStart + d->NumberOfPages * PAGE_BYTES;
		if (region_type(d->Type) != NC_BOOT_MEM_RESERVED && end > *top)
			*top = end;
	}
	FreePool(m.buf);
	return EFI_SUCCESS;
}

/* Insert keeping regions sorted, merging with a touching neighbour of the same type. */
static void add_region(nc_boot_info_t *bi, UINT64 base, UINT64 pages, UINT32 type)
{
	UINT32 i = bi->n_regions;
	while (i > 0 && bi->regions[i - 1].phys_base > base)
		i--;
	nc_boot_mem_region_t *prev = i > 0 ? &bi->regions[i - 1] : NULL;
	if (prev && prev->type == type && prev->phys_base + prev->n_pages * PAGE_BYTES == base) {
		prev->n_pages += pages;
		return;
	}
	if (bi->n_regions == NC_BOOT_MAX_REGIONS)
		return; /* cannot happen with UEFI maps of sane size; the region is lost, not corrupted */
	nc_mem_move(&bi->regions[i + 1], &bi->regions[i],
		    (bi->n_regions - i) * sizeof(nc_boot_mem_region_t));
	bi->regions[i] = (nc_boot_mem_region_t){ base, pages, type, 0 };
	bi->n_regions++;
}

EFI_STATUS memmap_exit(EFI_HANDLE image, nc_boot_info_t *bi)
{
	raw_map_t m;
	UINTN cap;
	EFI_STATUS s = alloc_map(&m, &cap);
	if (EFI_ERROR(s))
		return s;
	for (int attempt = 0; attempt < 2; attempt++) {
		s = get_map(&m, cap);
		if (EFI_ERROR(s))
			return loader_fail(s, "memory map", "GetMemoryMap failed");
		s = uefi_call_wrapper(BS->ExitBootServices, 2, image, m.key);
		if (!EFI_ERROR(s))
			break;
	}
	if (EFI_ERROR(s))
		return loader_fail(s, "ExitBootServices", "the memory map kept changing");
	bi->n_regions = 0;
	for (UINTN off = 0; off < m.size; off += m.desc_size) {
		EFI_MEMORY_DESCRIPTOR *d = (EFI_MEMORY_DESCRIPTOR *)(m.buf + off);
		add_region(bi, d->PhysicalStart, d->NumberOfPages, region_type(d->Type));
	}
	return EFI_SUCCESS;
}
