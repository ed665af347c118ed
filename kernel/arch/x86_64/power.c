/* Stopping the machine: halt, QEMU's isa-debug-exit, and the ACPI sleep
 * register write (ACPI 6.5, 4.8.3.2.1 PM1 Control: SLP_TYPx | SLP_EN). */
#include <kernel/arch.h>
#include "io.h"

enum { QEMU_DEBUG_EXIT_PORT = 0xf4, ACPI_SLP_EN = 1 << 13 };

void arch_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_qemu_exit(uint8_t code)
{
	/* QEMU exits with status (code << 1) | 1; without the device this is a no-op. */
	io_out32(QEMU_DEBUG_EXIT_PORT, code);
}

void arch_acpi_sleep(uint16_t pm1a_cnt_port, uint16_t pm1b_cnt_port, uint16_t slp_typa,
		     uint16_t slp_typb)
{
	io_out16(pm1a_cnt_port, (uint16_t)((slp_typa << 10) | ACPI_SLP_EN));
	if (pm1b_cnt_port)
		io_out16(pm1b_cnt_port, (uint16_t)((slp_typb << 10) | ACPI_SLP_EN));
}
