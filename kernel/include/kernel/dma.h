/* DMA memory of a driver's claim (docs/drivers.md): DmaMap gives the driver
 * pages, maps them in its address space and in its claim's IOMMU domain, and
 * returns the device address of the first page (the buffer is contiguous in
 * device addresses, with an unmapped device page after it, so a device
 * running past its end faults). DmaUnmap takes the pages away from the
 * device at once; the driver keeps them mapped (it may look at what the
 * device left) until MemUnmap, which frees them. Without an IOMMU the pages
 * are one physical run and the device address is the physical one.
 *
 * A buffer is a reference-counted object: the claim holds it while the
 * device may reach it, the driver's mapping while it is mapped; the pages are
 * freed with the last reference. Its pages and block are charged to the
 * claim's quota until then. */
#ifndef KERNEL_DMA_H
#define KERNEL_DMA_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/driver.h>
#include <nc/abi.h>

typedef struct kdma {
	kobj_t obj;            /* not a handle type: never in a handle table */
	struct kdma *next;     /* the claim's list (claim lock) */
	uint64_t n_pages;
	uint64_t iova;         /* device address of the first page */
	uint64_t user_va;      /* where DmaMap mapped it */
	bool contiguous;       /* one physical run from frames[0] (no IOMMU) */
	struct quota *quota;   /* pays for the pages and this block */
	uint64_t frames[];
} kdma_t;

/* DmaMap for claim d in the current process. Errors: INVALID (len 0 or
 * larger than any budget), LIMIT (past the claim's budget or its quota, or
 * the device address space or the MemMap area is used up), NO_MEMORY, BAD_ADDRESS
 * (bus_addr_out is not writable user memory). */
nc_sys_err_t dma_map(kdriver_t *d, uint64_t len_bytes, uint64_t bus_addr_out, uint64_t *addr_out);
/* DmaUnmap: the buffer DmaMap mapped at addr with len_bytes. Errors: INVALID
 * (no such buffer of d). */
nc_sys_err_t dma_unmap(kdriver_t *d, uint64_t addr, uint64_t len_bytes);
/* The claim ends: drop its references on every buffer (the IOMMU domain is
 * already gone, so the device reaches none of them). */
void dma_release_all(kdriver_t *d);

#endif
