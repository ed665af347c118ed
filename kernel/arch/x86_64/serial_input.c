/* COM1 receive interrupts (PC16550D data sheet: IER bit 0 "received data
 * available", FCR trigger level 1 byte, MCR OUT2 gates the interrupt line on
 * PCs; LSR bit 0 "data ready"). Every received byte goes to the console input
 * ring (kernel/console_input.c). */
#include <kernel/console.h>
#include <kernel/console_input.h>
#include <kernel/cpu.h>
#include <kernel/kernel.h>
#include "io.h"
#include "ioapic.h"

enum {
	COM1 = 0x3f8, REG_DATA = 0, REG_IER = 1, REG_FCR = 2, REG_MCR = 4, REG_LSR = 5,
	IER_RX = 1, FCR_ENABLE_CLEAR_TRIGGER1 = 0x07, MCR_DTR_RTS_OUT2 = 0x0b, MCR_LOOP = 0x10,
	LSR_DATA_READY = 1,
};

void serial_input_irq(void)
{
	while (io_in8(COM1 + REG_LSR) & LSR_DATA_READY)
		console_input_push(io_in8(COM1 + REG_DATA));
}

void arch_serial_loopback(bool on)
{
	io_out8(COM1 + REG_MCR, MCR_DTR_RTS_OUT2 | (on ? MCR_LOOP : 0));
}

void arch_console_input_start(void)
{
	if (!ioapic_route_isa(kernel_acpi.madt_phys, ISA_IRQ_COM1, VEC_COM1, cpus[0].apic_id)) {
		kprintf("console: no IOAPIC; no console input\n");
		return;
	}
	io_out8(COM1 + REG_FCR, FCR_ENABLE_CLEAR_TRIGGER1);
	io_out8(COM1 + REG_MCR, MCR_DTR_RTS_OUT2);
	io_out8(COM1 + REG_IER, IER_RX);
	serial_input_irq(); /* anything that arrived before the line was routed */
	ps2_keyboard_start();
}
