/* The IDT (Intel SDM Vol. 3A 6.14.1, 64-bit interrupt gates): every vector
 * goes to its isr.S stub with interrupts off; the double fault, NMI and
 * machine check run on IST stacks of their own (arch/percpu.h), so a kernel
 * stack overflow is still reported and an NMI never lands on a stack the
 * kernel does not own. Only the breakpoint is
 * reachable from user mode with int3 (DPL 3). */
#include "x86.h"

extern const uint64_t isr_table[256];

static uint64_t idt[512] __attribute__((aligned(16)));

static void set_gate(unsigned vec, uint64_t handler, unsigned ist, unsigned dpl)
{
	idt[vec * 2] = (handler & 0xffff) | (uint64_t)GDT_KERNEL_CS << 16 | (uint64_t)ist << 32 |
		       (0x8eull | (uint64_t)dpl << 5) << 40 | ((handler >> 16) & 0xffff) << 48;
	idt[vec * 2 + 1] = handler >> 32;
}

static unsigned ist_of(unsigned vec)
{
	switch (vec) {
	case VEC_DOUBLE_FAULT: return IST_DOUBLE_FAULT;
	case VEC_NMI: return IST_NMI;
	case VEC_MACHINE_CHECK: return IST_MACHINE_CHECK;
	default: return 0;
	}
}

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++)
		set_gate(v, isr_table[v], ist_of(v), v == 3 ? 3 : 0);
}

void idt_load(void)
{
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } ptr = {
		sizeof idt - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" ::"m"(ptr));
}
