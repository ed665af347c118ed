/* Machine reset: the chipset reset control register at port 0xcf9 (Intel
 * ICH9 data sheet 13.7.5: SYS_RST | RST_CPU = 0x06, a hard reset; QEMU q35
 * implements it), then the keyboard controller's pulse-reset command 0xfe
 * on port 0x64 as a fallback. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <arch/cpu.h>
#include "io.h"

enum { RST_CNT = 0xcf9, RST_HARD = 0x06, KBC_CMD = 0x64, KBC_PULSE_RESET = 0xfe, SPINS = 10000000 };

void arch_reboot(void)
{
	arch_halt_others();
	io_out8(RST_CNT, RST_HARD);
	for (int i = 0; i < SPINS; i++)
		cpu_pause();
	io_out8(KBC_CMD, KBC_PULSE_RESET);
	for (int i = 0; i < SPINS; i++)
		cpu_pause();
	kprintf("nexacore: reset failed; halted\n");
	arch_halt_forever();
}
