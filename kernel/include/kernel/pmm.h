/* Physical memory: 4 KiB frames from the UEFI memory map, one bit per frame.
 * pmm_init takes the loader's USABLE regions (boot-services memory included);
 * pmm_reclaim_loader later adds the loader's own data once the kernel runs on
 * its own page tables. Frames are addressed physically; the kernel touches
 * them through the direct map (vm_phys_to_virt). All calls are SMP-safe and
 * may run with interrupts off. */
#ifndef KERNEL_PMM_H
#define KERNEL_PMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/boot_info.h>

enum { PMM_FRAME_BYTES = 4096 };

typedef struct {
	uint64_t total_frames;   /* frames ever handed to the allocator */
	uint64_t free_frames;    /* frames free right now */
} pmm_stats_t;

/* Build the allocator from bi's memory map; frames below 1 MiB are held back
 * for the SMP trampoline (pmm_alloc_low). Panics when the map has no room. */
void pmm_init(const nc_boot_info_t *bi);
/* Free the NC_BOOT_MEM_LOADER regions except [keep_phys, keep_phys+keep_bytes). */
void pmm_reclaim_loader(const nc_boot_info_t *bi, uint64_t keep_phys, uint64_t keep_bytes);

/* One zeroed frame, or 0 when none is free. */
uint64_t pmm_alloc_frame(void);
/* n_frames physically contiguous zeroed frames, or 0. */
uint64_t pmm_alloc_contig(size_t n_frames);
/* A frame below 1 MiB for real-mode code, or 0 when none was held back. */
uint64_t pmm_alloc_low(void);
/* Return frames; freeing a frame that is free panics (double free). */
void pmm_free_frame(uint64_t phys);
void pmm_free_contig(uint64_t phys, size_t n_frames);

pmm_stats_t pmm_stats(void);

#endif
