/* x86-64 per-CPU state: each CPU has its own GDT (its TSS descriptor differs),
 * TSS (rsp0 = the running thread's kernel stack top) and an IST stack for
 * double faults, so a kernel stack overflow still reaches the panic handler.
 * GDT layout is fixed by syscall/sysret (Intel SDM Vol. 2B SYSRET: user CS =
 * STAR[63:48] + 16, user SS = STAR[63:48] + 8). */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#include <stdint.h>

enum {
	GDT_KERNEL_CS = 0x08, GDT_KERNEL_DS = 0x10, GDT_USER32_CS = 0x18,
	GDT_USER_DS = 0x20, GDT_USER_CS = 0x28, GDT_TSS = 0x30, GDT_ENTRIES = 8,
	IST_STACK_BYTES = 8192,
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
	uint8_t ist_stack[IST_STACK_BYTES] __attribute__((aligned(16)));
} arch_cpu_t;

#endif
