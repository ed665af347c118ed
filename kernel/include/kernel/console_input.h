/* Console input and the console object. Bytes arriving on COM1 raise an
 * interrupt (routed through the IOAPIC, kernel/arch/x86_64/serial_input.c);
 * the handler appends them to one CONSOLE_INPUT_BYTES ring (bytes arriving
 * while it is full are dropped and counted), and readers take them through
 * FdRead on a console handle. Every process that holds a console handle shares
 * the one ring: the shell and its foreground child decide among themselves who
 * reads. SMP-safe. */
#ifndef KERNEL_CONSOLE_INPUT_H
#define KERNEL_CONSOLE_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/handle.h>
#include <nc/abi.h>

enum { CONSOLE_INPUT_BYTES = 1024 };

/* The console as a kernel object (static: never freed). */
kobj_t *console_object(void);
/* Interrupt context: queue one received byte and wake readers. */
void console_input_push(uint8_t byte);
/* Take up to len_bytes queued bytes into buf, waiting until at least one is
 * there or clock_now_ns() reaches deadline_ns (UINT64_MAX: never; a deadline
 * in the past only polls). Errors: TIMED_OUT (nothing arrived), INVALID
 * (the caller's process is being killed). */
nc_sys_err_t console_input_read(uint8_t *buf, size_t len_bytes, uint64_t deadline_ns, size_t *n_out);
/* Bytes dropped because the ring was full, since boot. */
uint64_t console_input_dropped(void);
/* Arch: route COM1's receive interrupt to the boot CPU and enable it. */
void arch_console_input_start(void);
/* Arch, for the in-kernel test: switch the UART's loopback mode (transmitted
 * bytes come back as received ones, through the receive interrupt, and do not
 * reach the serial line). The caller keeps the console quiet meanwhile. */
void arch_serial_loopback(bool on);

#endif
