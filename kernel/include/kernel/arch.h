/* What the portable kernel needs from the architecture (kernel/arch/x86_64/). */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <stddef.h>
#include <stdint.h>

/* COM1 serial console: init once, then polled, blocking writes ("\n" -> "\r\n"). */
void arch_serial_init(void);
void arch_serial_write(const char *s, size_t len);

/* Stop this CPU for good, interrupts off. */
void arch_halt_forever(void) __attribute__((noreturn));
/* Exit QEMU through isa-debug-exit (iobase 0xf4); returns when the device is absent. */
void arch_qemu_exit(uint8_t code);
/* Write SLP_TYP|SLP_EN to the PM1 control ports (pm1b may be 0: absent). */
void arch_acpi_sleep(uint16_t pm1a_cnt_port, uint16_t pm1b_cnt_port, uint16_t slp_typa,
		     uint16_t slp_typb);

#endif
