/* Device address (IOVA) ranges of a driver's claim (docs/drivers.md, "DMA
 * isolation"): DmaMap takes a range for each buffer and DmaUnmap gives it
 * back once the IOMMU no longer translates it (the IOTLB is invalidated and
 * drained first), so a later buffer reuses it and the claim's IOMMU tables
 * cover no more than its window. The window is a fixed run of pages, one
 * bit each; a range is the lowest run of free pages long enough (first
 * fit), so freed ranges are reused before the window's end is touched.
 *
 * An iova_space_t belongs to one claim and is used under the claim's lock;
 * nothing here sleeps, and only iova_init allocates. */
#ifndef KERNEL_IOVA_H
#define KERNEL_IOVA_H

#include <stdint.h>
#include <nc/abi.h>

struct quota;

typedef struct iova_space {
	uint64_t base;         /* device address of the window's first page */
	uint64_t n_pages;      /* the window's length */
	uint64_t *used;        /* one bit per page, set while the page is taken */
	struct quota *quota;   /* pays for used[] */
} iova_space_t;

/* A window of n_pages from device address base (page-aligned, not 0), all
 * free; the bitmap is charged to q as an object charge until iova_fini.
 * n_pages 0 makes an empty window (every iova_take fails). Errors: LIMIT (q
 * cannot take the bitmap), NO_MEMORY. */
nc_sys_err_t iova_init(iova_space_t *s, uint64_t base, uint64_t n_pages, struct quota *q);
/* Free the bitmap and give back its charge (s must be re-initialised to be
 * used again). */
void iova_fini(iova_space_t *s);
/* Take the lowest run of n_pages (> 0) free pages: its device address, or 0
 * when no run that long is free. */
uint64_t iova_take(iova_space_t *s, uint64_t n_pages);
/* Give back n_pages taken by iova_take at device address addr. */
void iova_give(iova_space_t *s, uint64_t addr, uint64_t n_pages);

#endif
