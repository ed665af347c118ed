/* The I/O APIC (Intel 82093AA data sheet 3.2: IOREGSEL/IOWIN, redirection
 * table at registers 0x10 + 2n) and the device interrupt vectors it feeds.
 * Private to kernel/arch/x86_64. */
#ifndef ARCH_X86_64_IOAPIC_H
#define ARCH_X86_64_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

enum { VEC_COM1 = 0x24, ISA_IRQ_COM1 = 4, VEC_KEYBOARD = 0x25, ISA_IRQ_KEYBOARD = 1 };

/* Find the IOAPIC and the ISA overrides in the MADT at madt_phys; route ISA
 * irq to vector on the CPU with apic_id (edge/high unless the MADT overrides).
 * False when the MADT has no IOAPIC. */
bool ioapic_route_isa(uint64_t madt_phys, uint8_t irq, uint8_t vector, uint32_t apic_id);
/* Interrupt handler for VEC_COM1 (trap.c), before the EOI. */
void serial_input_irq(void);
/* The PS/2 keyboard (ps2_keyboard.c): route IRQ 1, and its handler for
 * VEC_KEYBOARD (trap.c), before the EOI. Keys go to the console input ring. */
void ps2_keyboard_start(void);
void ps2_keyboard_irq(void);

#endif
