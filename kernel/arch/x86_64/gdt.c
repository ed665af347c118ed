/* Per-CPU GDT and TSS (Intel SDM Vol. 3A 3.4.5 segment descriptors, 7.2.3
 * 64-bit TSS descriptor). Layout in kernel/arch/x86_64/include/arch/percpu.h. */
#include <kernel/cpu.h>
#include "x86.h"

static uint64_t code_desc(unsigned dpl) { return 0x00209a0000000000ull | (uint64_t)dpl << 45; }
static uint64_t data_desc(unsigned dpl) { return 0x0000920000000000ull | (uint64_t)dpl << 45; }

void gdt_load(cpu_t *c)
{
	arch_cpu_t *a = &c->arch;
	a->gdt[0] = 0;
	a->gdt[GDT_KERNEL_CS / 8] = code_desc(0);
	a->gdt[GDT_KERNEL_DS / 8] = data_desc(0);
	a->gdt[GDT_USER32_CS / 8] = 0x00cffa000000ffffull; /* placeholder for STAR's 32-bit slot */
	a->gdt[GDT_USER_DS / 8] = data_desc(3);
	a->gdt[GDT_USER_CS / 8] = code_desc(3);
	uint64_t base = (uint64_t)&a->tss, limit = sizeof a->tss - 1;
	a->gdt[GDT_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 |
			      ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	a->gdt[GDT_TSS / 8 + 1] = base >> 32;
	a->tss.iomap_base = sizeof a->tss;
	for (int i = 0; i < IST_COUNT; i++)
		a->tss.ist[i] = (uint64_t)(a->ist_stack[i] + IST_STACK_BYTES);
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } ptr = {
		sizeof a->gdt - 1, (uint64_t)a->gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "mov %1, %%ds\n\tmov %1, %%es\n\tmov %1, %%ss\n\t"
			 "xor %%eax, %%eax\n\tmov %%ax, %%fs\n\tmov %%ax, %%gs\n\t"
			 "pushq %2\n\tlea 1f(%%rip), %%rax\n\tpushq %%rax\n\tlretq\n1:\n\t"
			 "ltr %w3"
			 :: "m"(ptr), "r"((uint64_t)GDT_KERNEL_DS), "i"(GDT_KERNEL_CS), "r"((uint64_t)GDT_TSS)
			 : "rax", "memory");
}
