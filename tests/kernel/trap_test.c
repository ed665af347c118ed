/* Entry hardening (issue 24, item 7): interrupt entry clears RFLAGS.AC (a
 * user who sets AC must not run interrupt handlers with SMAP off); NMI and
 * #MC have stacks of their own (IST), like #DF; the kernel image's text and
 * read-only data are read-only through the direct map too; sysret is never
 * asked to return to a non-canonical rip. The AC check wraps
 * tlb_handle_ipi (--wrap in kernel/build.mk) to look at RFLAGS inside a
 * real interrupt handler, raised by a TLB IPI the CPU sends itself. */
#include "nc_test.h"
#include <kernel/arch.h>
#include <kernel/clock.h>
#include <kernel/cpu.h>
#include <kernel/kernel.h>
#include <kernel/vm.h>
#include <arch/cpu.h>
#include <arch/frame.h>

void __real_tlb_handle_ipi(void);
void __wrap_tlb_handle_ipi(void);

/* The IPI this CPU sent itself: its handler records RFLAGS instead of
 * acknowledging a shootdown (none is in flight while the test runs). */
static volatile int probe_cpu = -1;
static volatile uint64_t probe_flags;
static volatile bool probe_seen;

void __wrap_tlb_handle_ipi(void)
{
	if (probe_cpu == (int)cpu_this()->index) {
		probe_flags = cpu_read_flags();
		probe_seen = true;
		probe_cpu = -1;
		return;
	}
	__real_tlb_handle_ipi();
}

enum { PROBE_WAIT_NS = 1000000000 };

NC_TEST(trap, interrupt_entry_clears_ac)
{
	if (!arch_cpu_has(ARCH_FEATURE_SMAP)) {
		nc_test_note("trap: no SMAP, AC means nothing to the kernel");
		return;
	}
	uint64_t f = cpu_read_flags();
	cpu_irq_disable();
	probe_seen = false;
	probe_cpu = (int)cpu_this()->index;
	arch_ipi_tlb(cpu_this()->index);
	cpu_user_access_begin(); /* AC set, as a user could leave it */
	cpu_irq_enable();        /* the IPI arrives here */
	uint64_t end = clock_now_ns() + PROBE_WAIT_NS;
	while (!probe_seen && clock_now_ns() < end)
		cpu_pause();
	uint64_t after = cpu_read_flags();
	cpu_user_access_end();
	if (!(f & RFLAGS_IF))
		cpu_irq_disable();
	probe_cpu = -1;
	NC_CHECK(probe_seen);
	NC_CHECK(after & RFLAGS_AC); /* iretq gave the interrupted code its AC back */
	NC_CHECK_EQ(probe_flags & RFLAGS_AC, 0);
}

/* The IST field (bits 32..34) of IDT gate vec on this CPU. */
static unsigned gate_ist(unsigned vec)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} idtr;
	__asm__ volatile("sidt %0" : "=m"(idtr));
	const uint64_t *gate = (const uint64_t *)idtr.base + 2 * vec;
	return (unsigned)(gate[0] >> 32) & 7;
}

enum { VEC_NMI = 2, VEC_DF = 8, VEC_MC = 18 };

NC_TEST(trap, nmi_and_machine_check_have_stacks_of_their_own)
{
	unsigned df = gate_ist(VEC_DF), nmi = gate_ist(VEC_NMI), mc = gate_ist(VEC_MC);
	NC_CHECK(df != 0 && nmi != 0 && mc != 0);
	NC_CHECK(nmi != df && mc != df && nmi != mc);
	const arch_tss_t *tss = &cpu_this()->arch.tss;
	NC_CHECK(tss->ist[df - 1] != 0 && tss->ist[nmi - 1] != 0 && tss->ist[mc - 1] != 0);
	NC_CHECK(tss->ist[nmi - 1] != tss->ist[df - 1] && tss->ist[mc - 1] != tss->ist[nmi - 1]);
}

extern char __text_start[], __rodata_start[], __data_start[];

/* A write of one byte through the direct map: 0, or nonzero when it faulted
 * (arch_copy_user's fault recovery; the byte written is the one there). */
static int poke_alias(const void *kernel_va)
{
	uint64_t phys = kernel_boot_info->kernel_phys_base + ((uint64_t)kernel_va - kernel_boot_info->kernel_virt_base);
	uint8_t *alias = vm_phys_to_virt(phys);
	uint8_t same = *(volatile uint8_t *)kernel_va;
	return arch_copy_user(alias, &same, 1);
}

NC_TEST(vm, kernel_image_read_only_through_the_direct_map)
{
	static volatile uint8_t data_byte = 1;
	NC_CHECK(poke_alias(__text_start + 64) != 0);
	NC_CHECK(poke_alias((const void *)poke_alias) != 0);
	NC_CHECK(poke_alias(__rodata_start) != 0);
	NC_CHECK_EQ(poke_alias((const void *)&data_byte), 0); /* data stays writable */
}

/* The same through the image's own (slid, KASLR) mapping: text and rodata
 * are read-only where the kernel runs them, data is writable. */
static int poke_image(const void *kernel_va)
{
	uint8_t same = *(volatile const uint8_t *)kernel_va;
	return arch_copy_user((void *)kernel_va, &same, 1);
}

NC_TEST(vm, slid_kernel_image_keeps_its_permissions)
{
	static volatile uint8_t data_byte = 1;
	NC_CHECK(poke_image(__text_start + 64) != 0);
	NC_CHECK(poke_image((const void *)poke_image) != 0);
	NC_CHECK(poke_image(__rodata_start) != 0);
	NC_CHECK_EQ(poke_image((const void *)&data_byte), 0);
}

NC_TEST(trap, sysret_only_to_canonical_user_addresses)
{
	trap_frame_t f = { 0 };
	f.rip = VM_USER_MAP_TOP - 2;
	NC_CHECK(frame_sysret_ok(&f));
	f.rip = VM_USER_TOP - 1;
	NC_CHECK(frame_sysret_ok(&f));
	f.rip = VM_USER_TOP;
	NC_CHECK(!frame_sysret_ok(&f));
	f.rip = 0xffffffff80000000ull;
	NC_CHECK(!frame_sysret_ok(&f));
}

NC_TEST(trap, nmi_runs_on_its_own_stack_and_returns)
{
	uint64_t f = cpu_read_flags();
	cpu_irq_disable(); /* stay on this CPU; an NMI comes all the same */
	cpu_t *c = cpu_this();
	uint64_t n0 = c->arch.nmi_count, end = clock_now_ns() + PROBE_WAIT_NS;
	arch_ipi_nmi(c->index);
	while (c->arch.nmi_count == n0 && clock_now_ns() < end)
		cpu_pause();
	uint64_t frame = c->arch.nmi_frame;
	const uint8_t *stack = c->arch.ist_stack[IST_NMI - 1];
	if (f & RFLAGS_IF)
		cpu_irq_enable();
	NC_CHECK_EQ(c->arch.nmi_count, n0 + 1);
	NC_CHECK(frame >= (uint64_t)stack && frame < (uint64_t)stack + IST_STACK_BYTES);
}
