/* I/O APIC routing of ISA interrupts (see ioapic.h). MADT entries (ACPI 6.5
 * 5.2.12): type 1 I/O APIC {id, reserved, u32 address, u32 GSI base}, type 2
 * interrupt source override {bus, source IRQ, u32 GSI, u16 flags: bits 0-1
 * polarity (3 = active low), bits 2-3 trigger (3 = level)}. */
#include <kernel/vm.h>
#include "ioapic.h"

enum {
	MADT_ENTRIES = 44, MADT_IOAPIC = 1, MADT_ISO = 2, REG_SEL = 0, REG_WIN = 0x10 / 4,
	REDIR_BASE = 0x10, RED_ACTIVE_LOW = 1 << 13, RED_LEVEL = 1 << 15,
};

static void write_reg(volatile uint32_t *base, uint32_t reg, uint32_t v)
{
	base[REG_SEL] = reg;
	base[REG_WIN] = v;
}

bool ioapic_route_isa(uint64_t madt_phys, uint8_t irq, uint8_t vector, uint32_t apic_id)
{
	if (!madt_phys)
		return false;
	const uint8_t *madt = vm_phys_to_virt(madt_phys);
	uint32_t len = *(const uint32_t *)(madt + 4);
	uint64_t ioapic_phys = 0;
	uint32_t gsi_base = 0, gsi = irq, flags = 0;
	for (uint32_t off = MADT_ENTRIES; off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1]) {
		const uint8_t *e = madt + off;
		if (e[0] == MADT_IOAPIC && e[1] >= 12 && !ioapic_phys) {
			ioapic_phys = *(const uint32_t *)(e + 4);
			gsi_base = *(const uint32_t *)(e + 8);
		} else if (e[0] == MADT_ISO && e[1] >= 10 && e[3] == irq) {
			gsi = *(const uint32_t *)(e + 4);
			flags = *(const uint16_t *)(e + 8);
		}
	}
	if (!ioapic_phys || gsi < gsi_base)
		return false;
	volatile uint32_t *base = vm_phys_to_virt(ioapic_phys);
	uint32_t low = vector;
	if ((flags & 3) == 3)
		low |= RED_ACTIVE_LOW;
	if ((flags >> 2 & 3) == 3)
		low |= RED_LEVEL;
	uint32_t pin = gsi - gsi_base;
	write_reg(base, REDIR_BASE + 2 * pin + 1, apic_id << 24);
	write_reg(base, REDIR_BASE + 2 * pin, low);
	return true;
}
