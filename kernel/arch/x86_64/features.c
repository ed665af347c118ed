/* CPU feature setup, per CPU: write protection in ring 0, NX, SMEP and SMAP
 * when CPUID reports them, SSE, XSAVE with every user state component the
 * CPU offers among x87/SSE/AVX (XCR0; Intel SDM Vol. 1 13.3), and the
 * syscall MSRs (Vol. 3A 5.8.8: STAR, LSTAR, FMASK). The boot CPU's findings
 * are the system's: all CPUs of one machine report the same. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/kernel.h>
#include <kernel/thread.h>
#include <arch/cpu.h>
#include "x86.h"

bool cpu_has_smap;
static bool has_smep;
bool cpu_has_xsave;
static uint64_t xcr0;
static uint32_t xsave_bytes;

extern char syscall_entry[];

enum { XCR0_X87 = 1, XCR0_SSE = 2, XCR0_AVX = 4, FXSAVE_BYTES = 512 };

static void probe(void)
{
	uint32_t r[4];
	cpu_cpuid(0, 0, r);
	uint32_t max_leaf = r[0];
	cpu_cpuid(1, 0, r);
	cpu_has_xsave = r[2] >> 26 & 1;
	if (max_leaf >= 7) {
		cpu_cpuid(7, 0, r);
		has_smep = r[1] >> 7 & 1;
		cpu_has_smap = r[1] >> 20 & 1;
	}
	xsave_bytes = FXSAVE_BYTES;
	if (cpu_has_xsave) {
		cpu_cpuid(0xd, 0, r);
		xcr0 = XCR0_X87 | XCR0_SSE | (r[0] & XCR0_AVX);
	}
}

void cpu_features_init(bool boot_cpu)
{
	if (boot_cpu)
		probe();
	cpu_wrmsr(MSR_EFER, cpu_rdmsr(MSR_EFER) | EFER_NXE | EFER_SCE);
	cpu_write_cr0((cpu_read_cr0() | CR0_WP | CR0_MP) & ~(uint64_t)(CR0_EM | CR0_TS));
	uint64_t cr4 = cpu_read_cr4() | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	cr4 |= (has_smep ? CR4_SMEP : 0) | (cpu_has_smap ? CR4_SMAP : 0) | (cpu_has_xsave ? CR4_OSXSAVE : 0);
	cpu_write_cr4(cr4);
	if (cpu_has_xsave) {
		cpu_xsetbv(0, xcr0);
		if (boot_cpu) {
			uint32_t r[4];
			cpu_cpuid(0xd, 0, r);
			xsave_bytes = r[1]; /* size for the components enabled in XCR0 */
		}
	}
	cpu_wrmsr(MSR_STAR, (uint64_t)GDT_KERNEL_CS << 32 | (uint64_t)(GDT_USER32_CS | 3) << 48);
	cpu_wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	cpu_wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | 0x4000 /* NT */);
	if (boot_cpu)
		kprintf("cpu: smep %s, smap %s, xsave %s (xcr0 %#llx, %u bytes)\n", has_smep ? "on" : "absent",
			cpu_has_smap ? "on" : "absent", cpu_has_xsave ? "on" : "absent (fxsave)",
			(unsigned long long)xcr0, xsave_bytes);
}

bool arch_cpu_has(arch_feature_t f)
{
	switch (f) {
	case ARCH_FEATURE_SMEP: return has_smep;
	case ARCH_FEATURE_SMAP: return cpu_has_smap;
	case ARCH_FEATURE_XSAVE: return cpu_has_xsave;
	}
	return false;
}

uint32_t arch_fpu_state_bytes(void) { return xsave_bytes; }

/* A fresh thread's FPU state: x87 and SSE in their reset state (MXCSR 0x1f80,
 * FCW 0x37f; SDM Vol. 1 Table 13-1); XSTATE_BV 0 marks every other component
 * as initial. */
void arch_fpu_init_state(void *area)
{
	uint8_t *a = area;
	a[0] = 0x7f;
	a[1] = 0x03;
	a[24] = 0x80;
	a[25] = 0x1f;
}
