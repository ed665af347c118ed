/* x86-64 instructions the kernel uses, as inline functions (Intel SDM Vol. 2).
 * Everything here is valid at CPL 0 only. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdbool.h>
#include <stdint.h>

enum {
	MSR_EFER = 0xc0000080, MSR_STAR = 0xc0000081, MSR_LSTAR = 0xc0000082,
	MSR_FMASK = 0xc0000084, MSR_FS_BASE = 0xc0000100, MSR_GS_BASE = 0xc0000101,
	MSR_KERNEL_GS_BASE = 0xc0000102, MSR_APIC_BASE = 0x1b,
};
enum { EFER_SCE = 1 << 0, EFER_LME = 1 << 8, EFER_NXE = 1 << 11 };
enum {
	CR0_WP = 1 << 16, CR0_MP = 1 << 1, CR0_EM = 1 << 2, CR0_TS = 1 << 3,
	CR4_PAE = 1 << 5, CR4_PGE = 1 << 7, CR4_OSFXSR = 1 << 9, CR4_OSXMMEXCPT = 1 << 10,
	CR4_OSXSAVE = 1 << 18, CR4_SMEP = 1 << 20, CR4_SMAP = 1 << 21,
};
enum { RFLAGS_IF = 1 << 9, RFLAGS_AC = 1 << 18, RFLAGS_DF = 1 << 10, RFLAGS_TF = 1 << 8 };

static inline uint64_t cpu_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}
static inline void cpu_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline uint64_t cpu_read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t cpu_read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t cpu_read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint64_t cpu_read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void cpu_write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" ::"r"(v) : "memory"); }
static inline void cpu_write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
static inline void cpu_write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }
static inline void cpu_invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" ::"r"(va) : "memory"); }
static inline uint64_t cpu_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}
static inline void cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static inline void cpu_xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ volatile("xsetbv" ::"c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline void cpu_pause(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void cpu_halt(void) { __asm__ volatile("hlt" ::: "memory"); }
/* sti; hlt: the interrupt shadow makes the pair atomic (SDM Vol. 2B STI). */
static inline void cpu_enable_and_halt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline void cpu_irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void cpu_irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline uint64_t cpu_read_flags(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; popq %0" : "=r"(f)::"memory");
	return f;
}
/* The interrupt state as portable kernel code sees it (an opaque flags
 * word): irq_save turns interrupts off and returns the state before,
 * irq_restore turns them back on if that state had them on, irq_off(f) is
 * state f with interrupts off (to hand on when the caller turns them on
 * itself), irq_enabled_in(f) / irq_enabled() tell. */
static inline uint64_t irq_save(void)
{
	uint64_t f = cpu_read_flags();
	cpu_irq_disable();
	return f;
}
static inline bool irq_enabled_in(uint64_t f) { return f & RFLAGS_IF; }
static inline void irq_restore(uint64_t f)
{
	if (irq_enabled_in(f))
		cpu_irq_enable();
}
static inline uint64_t irq_off(uint64_t f) { return f & ~(uint64_t)RFLAGS_IF; }
static inline bool irq_enabled(void) { return irq_enabled_in(cpu_read_flags()); }
/* SMAP: stac/clac bracket deliberate user accesses (SDM Vol. 3A 4.6.1). */
extern bool cpu_has_smap;
static inline void cpu_user_access_begin(void) { if (cpu_has_smap) __asm__ volatile("stac" ::: "memory", "cc"); }
static inline void cpu_user_access_end(void) { if (cpu_has_smap) __asm__ volatile("clac" ::: "memory", "cc"); }

#endif
