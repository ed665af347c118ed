/* DMA isolation (docs/drivers.md): with an IOMMU every PCI function starts
 * with no way to reach memory; a driver's claim gets a domain of its own, and
 * the device reaches exactly the pages DmaMap put in that domain, at the
 * device addresses (IOVAs) DmaMap returned. Anything else the device touches
 * is refused by the IOMMU and reported (kprintf, and counted in the claim).
 * On x86-64 this is Intel VT-d (kernel/arch/x86_64/vtd.c), found through the
 * ACPI DMAR table. Without an IOMMU (no DMAR) iommu_active is false and
 * drivers get physical addresses: DMA is then not isolated, and the kernel
 * says so at boot and in docs/drivers.md.
 *
 * A domain belongs to one claim and is used under the claim's lock; the
 * functions here take the IOMMU's own lock for the shared tables and never
 * sleep (invalidation waits spin on the hardware). */
#ifndef KERNEL_IOMMU_H
#define KERNEL_IOMMU_H

#include <stdbool.h>
#include <stdint.h>
#include <nc/abi.h>

typedef struct iommu_domain iommu_domain_t;

/* Set up translation from the DMAR table (0: none) and turn it on, so from
 * here on no device reaches memory until it is given a domain. Boot CPU,
 * after pci_init, before init starts. */
void iommu_init(uint64_t dmar_phys);
/* True when DMA remapping is on. */
bool iommu_active(void);
/* True when the IOMMU translates function bdf's DMA (it is in the unit's
 * scope); false for every function without an active IOMMU. */
bool iommu_covers(uint32_t bdf);
/* A new, empty domain attached to function bdf: the device reaches nothing
 * until iommu_map. The domain and its tables (those iommu_map makes too)
 * are charged to q as object charges until iommu_domain_destroy. Errors:
 * NO_MEMORY, LIMIT (no free domain id, or q cannot take the domain). */
nc_sys_err_t iommu_domain_create(uint32_t bdf, struct quota *q, iommu_domain_t **out);
/* Detach the function (it reaches nothing from the moment this returns) and
 * free the domain's tables. */
void iommu_domain_destroy(iommu_domain_t *d);
/* Let the device reach the frame phys at device address iova (page-aligned,
 * below iommu_iova_limit), read-write or read-only. Errors: LIMIT (the
 * domain's quota cannot take a table it needs), NO_MEMORY. */
nc_sys_err_t iommu_map(iommu_domain_t *d, uint64_t iova, uint64_t phys, bool writable);
/* Take n_pages from iova away from the device; when this returns the device
 * can no longer reach them (the IOTLB is invalidated and drained), so their
 * addresses may be mapped again. */
void iommu_unmap(iommu_domain_t *d, uint64_t iova, uint64_t n_pages);
/* The device address space's size in bytes. */
uint64_t iommu_iova_limit(const iommu_domain_t *d);
/* Faults the IOMMU has reported since boot. */
uint64_t iommu_fault_count(void);

#endif
