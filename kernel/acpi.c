/* ACPI tables (see kernel/acpi.h). MCFG (PCI Firmware Specification 3.2,
 * 4.1.2) and DMAR (Intel VT-d 3.4, 8.1) are only located here; kernel/pci.c
 * and arch/x86_64/vtd.c read them. Offsets: ACPI 6.5 5.2.5.3 (RSDP), 5.2.6
 * (SDT header, 36 bytes), 5.2.9 (FADT: DSDT at 40, PM1a_CNT_BLK at 64,
 * PM1b_CNT_BLK at 68, X_DSDT at 140). The \_S5 object is found the way most
 * small kernels do it, by its AML encoding: NameOp "_S5_" PackageOp PkgLength
 * NumElements then SLP_TYPa and SLP_TYPb (20.2.5.4, 20.2.3 data objects). */
#include <kernel/acpi.h>
#include <nc/mem.h>

static uint64_t hhdm;

static const uint8_t *phys_ptr(uint64_t phys) { return (const uint8_t *)(hhdm + phys); }

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static bool checksum_ok(const uint8_t *p, uint32_t len)
{
	uint8_t sum = 0;
	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum == 0;
}

enum { SDT_HEADER = 36, MAX_TABLE_BYTES = 1 << 24, HPET_SPACE = 40, HPET_BASE = 44 };

/* A table header at phys with a sane length and a good checksum, or NULL. */
static const uint8_t *table_at(uint64_t phys, uint32_t *len)
{
	if (!phys)
		return NULL;
	const uint8_t *t = phys_ptr(phys);
	*len = rd32(t + 4);
	if (*len < SDT_HEADER || *len > MAX_TABLE_BYTES || !checksum_ok(t, *len))
		return NULL;
	return t;
}

/* One AML data object as an integer: BytePrefix, ZeroOp, OneOp or a raw byte. */
static const uint8_t *aml_small_int(const uint8_t *p, const uint8_t *end, uint16_t *v)
{
	if (p >= end)
		return NULL;
	if (*p == 0x0a && p + 1 < end) {
		*v = p[1];
		return p + 2;
	}
	*v = *p;
	return p + 1;
}

static bool find_s5(const uint8_t *dsdt, uint32_t len, acpi_info_t *out)
{
	const uint8_t *end = dsdt + len;
	for (const uint8_t *p = dsdt + SDT_HEADER; p + 8 < end; p++) {
		if (nc_mem_compare(p, "_S5_", 4) != 0 || p[4] != 0x12)
			continue;
		const uint8_t *q = p + 5;
		q += 1 + (*q >> 6); /* PkgLength: lead byte bits 7:6 count the extra bytes */
		q++;                /* NumElements */
		q = aml_small_int(q, end, &out->s5_slp_typa);
		if (q)
			q = aml_small_int(q, end, &out->s5_slp_typb);
		return q != NULL;
	}
	return false;
}

static acpi_err_t parse_fadt(const uint8_t *fadt, uint32_t len, acpi_info_t *out)
{
	if (len < 76)
		return ACPI_ERR_NO_FADT;
	out->pm1a_cnt_port = (uint16_t)rd32(fadt + 64);
	out->pm1b_cnt_port = (uint16_t)rd32(fadt + 68);
	uint64_t dsdt_phys = len >= 148 && rd64(fadt + 140) ? rd64(fadt + 140) : rd32(fadt + 40);
	uint32_t dlen;
	const uint8_t *dsdt = table_at(dsdt_phys, &dlen);
	out->has_s5 = dsdt && find_s5(dsdt, dlen, out);
	return out->has_s5 ? ACPI_OK : ACPI_ERR_NO_S5;
}

acpi_err_t acpi_init(uint64_t rsdp_phys, uint64_t hhdm_base, acpi_info_t *out)
{
	hhdm = hhdm_base;
	nc_mem_set(out, 0, sizeof *out);
	if (!rsdp_phys)
		return ACPI_ERR_NO_RSDP;
	const uint8_t *rsdp = phys_ptr(rsdp_phys);
	if (nc_mem_compare(rsdp, "RSD PTR ", 8) != 0 || !checksum_ok(rsdp, 20))
		return ACPI_ERR_RSDP;
	bool xsdt = rsdp[15] >= 2 && checksum_ok(rsdp, 36) && rd64(rsdp + 24);
	uint32_t len, entry = xsdt ? 8 : 4;
	const uint8_t *root = table_at(xsdt ? rd64(rsdp + 24) : rd32(rsdp + 16), &len);
	if (!root)
		return ACPI_ERR_ROOT_TABLE;
	acpi_err_t err = ACPI_ERR_NO_FADT;
	for (uint32_t off = SDT_HEADER; off + entry <= len; off += entry) {
		uint64_t phys = entry == 8 ? rd64(root + off) : rd32(root + off);
		uint32_t tlen;
		const uint8_t *t = table_at(phys, &tlen);
		if (!t)
			continue;
		if (nc_mem_compare(t, "APIC", 4) == 0)
			out->madt_phys = phys;
		if (nc_mem_compare(t, "MCFG", 4) == 0)
			out->mcfg_phys = phys;
		if (nc_mem_compare(t, "DMAR", 4) == 0)
			out->dmar_phys = phys;
		/* the base address's Generic Address Structure at 40: space 0 is memory */
		if (nc_mem_compare(t, "HPET", 4) == 0 && tlen >= HPET_BASE + 8 && t[HPET_SPACE] == 0)
			out->hpet_phys = rd64(t + HPET_BASE);
		if (nc_mem_compare(t, "FACP", 4) == 0) {
			out->fadt_phys = phys;
			err = parse_fadt(t, tlen, out);
		}
	}
	return err;
}

const char *acpi_err_name(acpi_err_t err)
{
	switch (err) {
	case ACPI_OK: return "ok";
	case ACPI_ERR_NO_RSDP: return "no RSDP from the loader";
	case ACPI_ERR_RSDP: return "bad RSDP";
	case ACPI_ERR_ROOT_TABLE: return "bad XSDT/RSDT";
	case ACPI_ERR_NO_FADT: return "no FADT";
	case ACPI_ERR_NO_S5: return "no \\_S5 package in the DSDT";
	}
	return "unknown ACPI error";
}
