/* The boot protocol between the UEFI loader (boot/) and the kernel: one
 * versioned structure, filled by the loader after ExitBootServices and handed
 * to the kernel entry point in %rdi (System V: first argument).
 *
 * State at kernel entry: long mode, CPL 0, interrupts off, paging on with the
 * loader's tables: the kernel's PT_LOAD segments at their link addresses plus
 * a random slide (kernel address-space layout randomisation; W^X, NX on
 * data), every place of lib/kreloc's table moved by it, the whole image inside
 * [NC_BOOT_KERNEL_VBASE, + NC_BOOT_KERNEL_WINDOW), all physical memory below NC_BOOT_DIRECT_MAP_MIN or the highest
 * memory-map address (whichever is larger) mapped read-write both at identity
 * and at hhdm_base + phys. hhdm_base is random (kernel address-space layout
 * randomisation): 1 GiB aligned, with the whole direct map inside
 * [NC_BOOT_HHDM_BASE, NC_BOOT_HHDM_BASE + NC_BOOT_DIRECT_MAP_WINDOW). Every pointer in this structure is a physical
 * address; the kernel reaches it at hhdm_base + phys. The kernel must build its
 * own page tables before reclaiming NC_BOOT_MEM_LOADER memory. */
#ifndef NC_BOOT_INFO_H
#define NC_BOOT_INFO_H

#include <stdint.h>

#define NC_BOOT_INFO_MAGIC 0x4f464e49544f4f42ull /* "BOOTINFO" little-endian */
#define NC_BOOT_INFO_VERSION 3u
#define NC_BOOT_HHDM_BASE 0xffff800000000000ull
#define NC_BOOT_DIRECT_MAP_WINDOW (64ull << 40) /* PML4 slots 256..383 */
#define NC_BOOT_DIRECT_MAP_MIN (4ull << 30)
#define NC_BOOT_KERNEL_VBASE 0xffffffff80000000ull /* the link address */
/* Where the slid image may lie: the top 2 GiB (-mcmodel=kernel: addresses are
 * sign-extended 32-bit numbers) but its last 2 MiB, so no end address wraps. */
#define NC_BOOT_KERNEL_WINDOW ((2ull << 30) - (2ull << 20))

enum {
	NC_BOOT_MAX_REGIONS = 512,
	NC_BOOT_CMDLINE_MAX = 256,
	NC_BOOT_DIGEST_BYTES = 32,     /* BLAKE3 */
	NC_BOOT_TEE_SECRET_MAX = 64,   /* the development TEE's device secret: 32..64 bytes */
	NC_BOOT_TEE_CERT_MAX = 128,    /* its vendor certificate */
};

typedef enum {
	NC_BOOT_MEM_USABLE = 1,       /* free RAM (includes reclaimed boot-services memory) */
	NC_BOOT_MEM_KERNEL,           /* the kernel image */
	NC_BOOT_MEM_LOADER,           /* boot info, initrd, loader page tables: free once consumed */
	NC_BOOT_MEM_ACPI_RECLAIM,     /* ACPI tables; free after they are parsed */
	NC_BOOT_MEM_ACPI_NVS,
	NC_BOOT_MEM_FIRMWARE,         /* UEFI runtime services code/data */
	NC_BOOT_MEM_RESERVED,         /* anything else: never touch */
} nc_boot_mem_type_t;

typedef struct {
	uint64_t phys_base;           /* page aligned */
	uint64_t n_pages;             /* 4 KiB pages */
	uint32_t type;                /* nc_boot_mem_type_t */
	uint32_t reserved;
} nc_boot_mem_region_t;

typedef enum {
	NC_BOOT_FB_NONE = 0,
	NC_BOOT_FB_RGBX = 1,          /* byte 0 red, 1 green, 2 blue */
	NC_BOOT_FB_BGRX = 2,          /* byte 0 blue, 1 green, 2 red */
} nc_boot_fb_format_t;

typedef struct {
	uint64_t phys_base;
	uint32_t width_px, height_px;
	uint32_t pitch_px;            /* pixels per scan line (>= width_px), 4 bytes each */
	uint32_t format;              /* nc_boot_fb_format_t */
} nc_boot_framebuffer_t;

/* Measured boot (docs/attestation.md): what the loader hashed before the
 * jump. The kernel turns them into the first entries of its measurement log. */
typedef struct {
	uint8_t kernel[NC_BOOT_DIGEST_BYTES];  /* BLAKE3 of \nexacore\kernel.elf as read */
	uint8_t initrd[NC_BOOT_DIGEST_BYTES];  /* BLAKE3 of \nexacore\initrd (of no bytes when absent) */
	uint8_t cmdline[NC_BOOT_DIGEST_BYTES]; /* BLAKE3 of cmdline[0..strlen) as passed */
} nc_boot_measurements_t;

/* The development TEE's device, standing in for fused keys: the secret from
 * \nexacore\device.secret (created with the firmware's RNG on first boot
 * when absent) and the vendor's certificate from \nexacore\device.cert. The
 * kernel takes the secret at entry and wipes both copies. */
enum { NC_BOOT_TEE_CREATED = 1 }; /* flags: the loader made the secret on this boot */
typedef struct {
	uint32_t secret_len;          /* 0: no device secret */
	uint32_t cert_len;            /* 0: no certificate */
	uint32_t flags;
	uint32_t reserved;
	uint8_t secret[NC_BOOT_TEE_SECRET_MAX];
	uint8_t cert[NC_BOOT_TEE_CERT_MAX];
} nc_boot_tee_t;

typedef struct {
	uint64_t magic;               /* NC_BOOT_INFO_MAGIC */
	uint32_t version;             /* NC_BOOT_INFO_VERSION */
	uint32_t size_bytes;          /* sizeof(nc_boot_info_t) as the loader saw it */
	uint64_t hhdm_base;           /* virtual base of the physical direct map */
	uint64_t direct_map_bytes;    /* physical bytes covered by the direct map */
	uint64_t kernel_phys_base;    /* where the lowest kernel page lives */
	uint64_t kernel_virt_base;    /* where it runs: its link address plus the slide */
	uint64_t kernel_size_bytes;
	uint64_t initrd_phys;         /* 0 when there is none */
	uint64_t initrd_size_bytes;
	uint64_t acpi_rsdp_phys;      /* 0 when the firmware gave none */
	uint64_t loader_page_tables_phys; /* CR3 at entry */
	nc_boot_framebuffer_t fb;
	uint32_t n_regions;
	uint32_t reserved;
	char cmdline[NC_BOOT_CMDLINE_MAX]; /* NUL-terminated */
	nc_boot_measurements_t measurements;
	nc_boot_tee_t tee;
	nc_boot_mem_region_t regions[NC_BOOT_MAX_REGIONS]; /* sorted by phys_base */
} nc_boot_info_t;

#endif
