/* x86-64 per-CPU state: each CPU has its own GDT (its TSS descriptor differs),
 * TSS (rsp0 = the running thread's kernel stack top) and IST stacks (SDM Vol.
 * 3A 6.14.5): one for double faults, so a kernel stack overflow still reaches
 * the panic handler, and one each for NMI and machine checks, which can
 * arrive anywhere, even in the instructions of the system-call entry that
 * still run on the user's stack.
 * GDT layout is fixed by syscall/sysret (Intel SDM Vol. 2B SYSRET: user CS =
 * STAR[63:48] + 16, user SS = STAR[63:48] + 8). */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#include <stdint.h>

enum {
	GDT_KERNEL_CS = 0x08, GDT_KERNEL_DS = 0x10, GDT_USER32_CS = 0x18,
	GDT_USER_DS = 0x20, GDT_USER_CS = 0x28, GDT_TSS = 0x30, GDT_ENTRIES = 8,
	IST_STACK_BYTES = 8192,
	/* IST numbers (1-based, as IDT gates name them) */
	IST_DOUBLE_FAULT = 1, IST_NMI = 2, IST_MACHINE_CHECK = 3, IST_COUNT = 3,
};

typedef struct __attribute__((packed)) {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} arch_tss_t;

typedef struct {
	uint64_t gdt[GDT_ENTRIES];
	arch_tss_t tss;
	uint8_t ist_stack[IST_COUNT][IST_STACK_BYTES] __attribute__((aligned(16)));
	uint64_t nmi_count;      /* NMIs taken (trap.c; written without GS, see there) */
	uint64_t nmi_frame;      /* where the last NMI's trap frame was */
} arch_cpu_t;

#endif
