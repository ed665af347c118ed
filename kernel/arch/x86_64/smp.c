/* Boot CPU set-up and AP start-up. The MADT (ACPI 6.5 5.2.12: header 44
 * bytes, then entries; type 0 = processor local APIC: ACPI id, APIC id,
 * flags bit 0 enabled / bit 1 online capable) lists the CPUs; each AP is
 * started with INIT-SIPI-SIPI into trampoline.S, copied to a page below 1 MiB
 * that the kernel tables identity-map only while APs start. APs start one at
 * a time, each on the stack of its idle thread. */
#include <kernel/arch.h>
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/kernel.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/vm.h>
#include <nc/mem.h>
#include <arch/cpu.h>
#include "x86.h"

extern const char ap_trampoline[], ap_trampoline_end[], ap_tramp_pm32[], ap_tramp_lm64[],
	ap_tramp_gdt[], ap_tramp_gdt_base[], ap_tramp_far32[], ap_tramp_far64[], ap_tramp_cr3[],
	ap_tramp_stack[], ap_tramp_entry[], ap_tramp_arg[];

enum { MADT_ENTRIES = 44, MADT_LAPIC = 0, AP_START_TIMEOUT_NS = 1000 * 1000 * 1000 };

static void cpu_enter(cpu_t *c, bool boot)
{
	c->self = c;
	gdt_load(c);
	idt_load();
	cpu_wrmsr(MSR_GS_BASE, (uint64_t)c);
	cpu_wrmsr(MSR_KERNEL_GS_BASE, 0);
	cpu_features_init(boot);
	lapic_init();
}

void arch_boot_cpu_init(void)
{
	cpu_t *c = &cpus[0];
	c->index = 0;
	idt_init();
	pic_disable();
	cpu_enter(c, true);
	c->apic_id = lapic_id();
	lapic_calibrate();
}

void arch_timer_start(void) { lapic_timer_start(); }

void arch_ipi_resched(uint32_t cpu) { lapic_send_ipi(cpus[cpu].apic_id, VEC_IPI_RESCHED); }
void arch_ipi_tlb(uint32_t cpu) { lapic_send_ipi(cpus[cpu].apic_id, VEC_IPI_TLB); }

void arch_ipi_nmi(uint32_t cpu) { lapic_send_nmi(cpus[cpu].apic_id); }

/* NMIs reach CPUs spinning with interrupts off too; the NMI handler halts a
 * CPU once kernel_panicking is set. */
void arch_halt_others(void)
{
	uint32_t self = lapic_id();
	for (unsigned i = 0; i < cpu_count; i++)
		if (cpus[i].online && cpus[i].apic_id != self)
			lapic_send_nmi(cpus[i].apic_id);
}

void ap_entry(cpu_t *c);
void ap_entry(cpu_t *c)
{
	cpu_enter(c, false);
	gdt_set_kernel_stack(c, c->idle->kstack_top);
	sched_init_cpu(c->idle);
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	lapic_timer_start();
	sched_idle_loop();
}

static bool start_ap(uint64_t page, uint32_t apic_id, unsigned index)
{
	cpu_t *c = &cpus[index];
	c->index = index;
	c->apic_id = apic_id;
	c->idle = thread_create_idle();
	if (!c->idle)
		return false;
	uint8_t *p = vm_phys_to_virt(page);
	*(uint64_t *)(p + (ap_tramp_cr3 - ap_trampoline)) = vm_kernel_pml4();
	*(uint64_t *)(p + (ap_tramp_stack - ap_trampoline)) = c->idle->kstack_top;
	*(uint64_t *)(p + (ap_tramp_entry - ap_trampoline)) = (uint64_t)ap_entry;
	*(uint64_t *)(p + (ap_tramp_arg - ap_trampoline)) = (uint64_t)c;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	lapic_send_init_sipi(apic_id, (uint8_t)(page >> 12));
	uint64_t deadline = clock_now_ns() + AP_START_TIMEOUT_NS;
	while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE) && clock_now_ns() < deadline)
		cpu_pause();
	return c->online;
}

static void prepare_trampoline(uint64_t page)
{
	uint8_t *p = vm_phys_to_virt(page);
	nc_mem_copy(p, ap_trampoline, (size_t)(ap_trampoline_end - ap_trampoline));
	*(uint32_t *)(p + (ap_tramp_gdt_base - ap_trampoline)) = (uint32_t)(page + (ap_tramp_gdt - ap_trampoline));
	*(uint32_t *)(p + (ap_tramp_far32 - ap_trampoline)) = (uint32_t)(page + (ap_tramp_pm32 - ap_trampoline));
	*(uint32_t *)(p + (ap_tramp_far64 - ap_trampoline)) = (uint32_t)(page + (ap_tramp_lm64 - ap_trampoline));
}

unsigned arch_smp_start(uint64_t madt_phys)
{
	cpu_count = 1;
	cpus[0].online = true;
	uint64_t page = pmm_alloc_low();
	if (!madt_phys || !page || vm_map_identity(page) != VM_OK) {
		kprintf("smp: no MADT or no low page; running on one CPU\n");
		return cpu_count;
	}
	prepare_trampoline(page);
	const uint8_t *madt = vm_phys_to_virt(madt_phys);
	uint32_t len = *(const uint32_t *)(madt + 4);
	for (uint32_t off = MADT_ENTRIES; off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1]) {
		const uint8_t *e = madt + off;
		if (e[0] != MADT_LAPIC || e[1] < 8)
			continue;
		uint32_t flags = *(const uint32_t *)(e + 4);
		if (!(flags & 3) || e[3] == cpus[0].apic_id)
			continue;
		if (cpu_count == CPU_MAX)
			break;
		unsigned index = cpu_count;
		if (start_ap(page, e[3], index))
			cpu_count = index + 1;
		else
			kprintf("smp: CPU with APIC id %u did not start\n", e[3]);
	}
	vm_unmap_identity();
	kprintf("smp: %u CPUs online\n", cpu_count);
	return cpu_count;
}
