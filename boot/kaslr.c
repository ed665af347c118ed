/* Where the kernel's direct map and image go (docs/kernel.md, "Address-space
 * layout randomisation"): a 1 GiB-aligned base drawn inside the direct-map
 * window [NC_BOOT_HHDM_BASE, + NC_BOOT_DIRECT_MAP_WINDOW) so that the whole
 * map fits, and a slide of the image, a multiple of its relocation table's
 * alignment, inside [NC_BOOT_KERNEL_VBASE, + NC_BOOT_KERNEL_WINDOW). Randomness: RDRAND (retried, as Intel's DRNG guide advises), else
 * the firmware's EFI_RNG_PROTOCOL, else the TSC (weak: said on the console). */
#include "loader.h"

enum { RDRAND_TRIES = 10 };
#define GIB (1ull << 30)

static BOOLEAN rdrand64(UINT64 *out)
{
	UINT32 a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c & (1u << 30)))
		return FALSE;
	for (int i = 0; i < RDRAND_TRIES; i++) {
		unsigned char ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok));
		if (ok)
			return TRUE;
	}
	return FALSE;
}

static BOOLEAN firmware_rng(UINT64 *out)
{
	EFI_GUID guid = EFI_RNG_PROTOCOL_GUID;
	EFI_RNG_PROTOCOL *rng = NULL;
	if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &guid, NULL, (void **)&rng)) || !rng)
		return FALSE;
	return !EFI_ERROR(uefi_call_wrapper(rng->GetRNG, 4, rng, NULL, sizeof *out, (UINT8 *)out));
}

static UINT64 random64(void)
{
	UINT64 r;
	if (rdrand64(&r) || firmware_rng(&r))
		return r;
	Print(L"nexacore-boot: no RDRAND or EFI RNG: the layout comes from the TSC\r\n");
	UINT32 lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((UINT64)hi << 32 | lo) * 0x9e3779b97f4a7c15ull;
}

UINT64 kaslr_direct_map_base(UINT64 map_bytes)
{
	UINT64 slots = (NC_BOOT_DIRECT_MAP_WINDOW - map_bytes) / GIB + 1;
	return NC_BOOT_HHDM_BASE + random64() % slots * GIB;
}

UINT64 kaslr_kernel_slide(UINT64 link_base, UINT64 span_bytes, UINT32 align_log2, UINT64 *positions)
{
	UINT64 room = NC_BOOT_KERNEL_VBASE + NC_BOOT_KERNEL_WINDOW - (link_base + span_bytes);
	*positions = (room >> align_log2) + 1;
	return random64() % *positions << align_log2;
}
