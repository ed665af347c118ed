/* ACPI table discovery (ACPI 6.5, chapter 5): RSDP -> XSDT/RSDT -> FADT, DSDT's
 * \_S5 package for soft-off, and the locations of the MADT (SMP bring-up),
 * MCFG (PCI configuration space), DMAR (the IOMMU) and the HPET's registers
 * (IA-PC HPET Specification 1.0a, 3.2.4: the base address at table offset
 * 44). Every table's length and checksum is verified before any field is
 * read. */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
	ACPI_OK = 0,
	ACPI_ERR_NO_RSDP,      /* the loader found none */
	ACPI_ERR_RSDP,         /* bad signature or checksum */
	ACPI_ERR_ROOT_TABLE,   /* XSDT/RSDT bad */
	ACPI_ERR_NO_FADT,
	ACPI_ERR_NO_S5,        /* no parsable \_S5 package in the DSDT */
} acpi_err_t;

typedef struct {
	uint16_t pm1a_cnt_port, pm1b_cnt_port;
	uint16_t s5_slp_typa, s5_slp_typb;
	bool has_s5;
	uint64_t madt_phys;    /* 0 when absent */
	uint64_t fadt_phys;
	uint64_t mcfg_phys;    /* PCI ECAM regions; 0 when absent */
	uint64_t dmar_phys;    /* the IOMMU (VT-d); 0 when absent */
	uint64_t hpet_phys;    /* the HPET's register block (memory space); 0 when absent */
} acpi_info_t;

/* Parse from the RSDP at rsdp_phys, reading memory through the direct map. */
acpi_err_t acpi_init(uint64_t rsdp_phys, uint64_t hhdm_base, acpi_info_t *out);
const char *acpi_err_name(acpi_err_t err);

#endif
