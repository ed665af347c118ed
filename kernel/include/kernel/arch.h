/* What the portable kernel needs from the architecture (kernel/arch/x86_64/). */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/boot_info.h>

struct thread;

/* COM1 serial console: init once, then polled, blocking writes ("\n" -> "\r\n"). */
void arch_serial_init(void);
void arch_serial_write(const char *s, size_t len);

/* Stop this CPU for good, interrupts off. */
void arch_halt_forever(void) __attribute__((noreturn));
/* Stop every other CPU (panic). */
void arch_halt_others(void);
/* Exit QEMU through isa-debug-exit (iobase 0xf4); returns when the device is absent. */
void arch_qemu_exit(uint8_t code);
/* Write SLP_TYP|SLP_EN to the PM1 control ports (pm1b may be 0: absent). */
void arch_acpi_sleep(uint16_t pm1a_cnt_port, uint16_t pm1b_cnt_port, uint16_t slp_typa,
		     uint16_t slp_typb);

/* Boot CPU bring-up: descriptor tables, features, local APIC, calibrated
 * timer (and the monotonic clock). After vm_init and the heap. */
void arch_boot_cpu_init(void);
/* Start the application processors from the ACPI MADT; each enters its idle
 * loop. Returns the number of CPUs online. give_up (test kernels, "smp-give-up"
 * on the command line): every AP is sent its start-up IPIs but given up on at
 * once, and must halt without touching the kernel ("smp: N of N late CPUs
 * halted"). */
unsigned arch_smp_start(uint64_t madt_phys, bool give_up);
/* Start this CPU's periodic timer interrupt. */
void arch_timer_start(void);
/* IPIs to CPU index cpu: reschedule (need_resched), TLB shootdown. */
void arch_ipi_resched(uint32_t cpu);
void arch_ipi_tlb(uint32_t cpu);
/* A non-maskable interrupt to CPU index cpu (it arrives with interrupts off
 * too): once kernel_panicking is set it halts that CPU (arch_halt_others);
 * otherwise the CPU counts it and carries on. Any context. */
void arch_ipi_nmi(uint32_t cpu);

typedef enum { ARCH_FEATURE_SMEP, ARCH_FEATURE_SMAP, ARCH_FEATURE_XSAVE } arch_feature_t;
bool arch_cpu_has(arch_feature_t f);

/* FPU/SIMD state areas (XSAVE, or FXSAVE without it), 64-byte aligned;
 * arch_switch_to saves and restores them. */
uint32_t arch_fpu_state_bytes(void);
void arch_fpu_init_state(void *area);

/* Prepare t's kernel stack so the first switch to it runs fn(arg) (kernel
 * thread) or enters user mode at entry with the given stack and rdi, rsi. */
void arch_thread_init_kernel(struct thread *t, void (*fn)(void *), void *arg);
void arch_thread_init_user(struct thread *t, uint64_t entry, uint64_t stack_top, uint64_t arg0,
			   uint64_t arg1);
/* Switch from prev (the running thread) to next: FPU state, kernel stack,
 * address space, registers. Returns when prev is switched back to. */
void arch_switch_to(struct thread *prev, struct thread *next);

/* Copy n bytes with user-fault recovery: 0, or nonzero when a page faulted. */
int arch_copy_user(void *dst, const void *src, size_t n);

/* Device interrupts (MSI/MSI-X): ARCH_IRQ_VECTORS slots, each an interrupt
 * vector of the CPUs; the trap code calls irq_dispatch(slot) (kernel/irq.h)
 * with interrupts off and acknowledges the interrupt after it returns.
 * arch_msi_message: the MSI address and data that raise slot on CPU index
 * cpu (edge-triggered, fixed delivery; PCI Local Bus 3.0 6.8.1 and Intel SDM
 * Vol. 3A 11.11). */
enum { ARCH_IRQ_VECTORS = 128 };
void arch_msi_message(uint32_t slot, uint32_t cpu, uint64_t *addr, uint32_t *data);

/* Reset the machine (chipset reset register, then the keyboard controller). */
void arch_reboot(void) __attribute__((noreturn));
/* Wall-clock seconds since 1970-01-01 UTC from the CMOS real-time clock. */
uint64_t arch_rtc_epoch_s(void);

/* Print a symbolized backtrace of the caller (kernel/arch/x86_64/backtrace.c). */
void backtrace_here(void);

#endif
