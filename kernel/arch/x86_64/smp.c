/* Boot CPU set-up and AP start-up. The MADT (ACPI 6.5 5.2.12: header 44
 * bytes, then entries; type 0 = processor local APIC: ACPI id, APIC id,
 * flags bit 0 enabled / bit 1 online capable) lists the CPUs; each AP is
 * started with INIT-SIPI-SIPI into trampoline.S, copied to a page below 1 MiB
 * that the kernel tables identity-map only while APs start. APs start one at
 * a time, each on the stack of its idle thread.
 *
 * An AP the BSP gave up on may still start later. Each start attempt has a
 * handshake word in its trampoline page: the AP moves it from AP_WAITING to
 * AP_RUNNING before it touches its cpu_t; the BSP, giving up, moves it to
 * AP_ABANDONED first, and a late AP that finds that halts. The BSP never
 * rewrites an abandoned attempt's page (the next AP gets a fresh one) and
 * leaves the identity map in place, so a late AP never reads another AP's
 * stack or cpu_t and never runs on an unmapped trampoline. */
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
	ap_tramp_stack[], ap_tramp_entry[], ap_tramp_arg[], ap_tramp_state[];

enum { MADT_ENTRIES = 44, MADT_LAPIC = 0 };
/* An AP that TCG on a loaded host starts slowly is still worth waiting for. */
#define AP_START_TIMEOUT_NS (5ull * 1000 * 1000 * 1000)
#define LATE_AP_WAIT_NS (2ull * 1000 * 1000 * 1000)
enum { AP_WAITING, AP_RUNNING, AP_ABANDONED };
typedef enum { START_OK, START_FAILED, START_ABANDONED } start_result_t;

static unsigned late_aps_halted;

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

void ap_entry(cpu_t *c, uint32_t *state);
void ap_entry(cpu_t *c, uint32_t *state)
{
	uint32_t waiting = AP_WAITING;
	if (!__atomic_compare_exchange_n(state, &waiting, AP_RUNNING, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		__atomic_add_fetch(&late_aps_halted, 1, __ATOMIC_RELEASE);
		arch_halt_forever();
	}
	cpu_enter(c, false);
	gdt_set_kernel_stack(c, c->idle->kstack_top);
	sched_init_cpu(c->idle);
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	lapic_timer_start();
	sched_idle_loop();
}

/* Start the AP apic_id as cpus[index] through the trampoline at page; with
 * give_up, the attempt is abandoned from the start (a test of late APs). */
static start_result_t start_ap(uint64_t page, uint32_t apic_id, unsigned index, bool give_up)
{
	cpu_t *c = &cpus[index];
	c->index = index;
	c->apic_id = apic_id;
	c->idle = thread_create_idle();
	if (!c->idle)
		return START_FAILED;
	uint8_t *p = vm_phys_to_virt(page);
	uint32_t *state = (uint32_t *)(p + (ap_tramp_state - ap_trampoline));
	*(uint64_t *)(p + (ap_tramp_cr3 - ap_trampoline)) = vm_kernel_pml4();
	*(uint64_t *)(p + (ap_tramp_stack - ap_trampoline)) = c->idle->kstack_top;
	*(uint64_t *)(p + (ap_tramp_entry - ap_trampoline)) = (uint64_t)ap_entry;
	*(uint64_t *)(p + (ap_tramp_arg - ap_trampoline)) = (uint64_t)c;
	__atomic_store_n(state, give_up ? AP_ABANDONED : AP_WAITING, __ATOMIC_SEQ_CST);
	lapic_send_init_sipi(apic_id, (uint8_t)(page >> 12));
	uint64_t deadline = clock_now_ns() + AP_START_TIMEOUT_NS;
	while (!give_up && !__atomic_load_n(&c->online, __ATOMIC_ACQUIRE) && clock_now_ns() < deadline)
		cpu_pause();
	uint32_t waiting = AP_WAITING;
	if (give_up || __atomic_compare_exchange_n(state, &waiting, AP_ABANDONED, false, __ATOMIC_ACQ_REL,
						   __ATOMIC_ACQUIRE))
		return START_ABANDONED;
	while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) /* it claimed the slot: it comes online */
		cpu_pause();
	return START_OK;
}

static void prepare_trampoline(uint64_t page)
{
	uint8_t *p = vm_phys_to_virt(page);
	nc_mem_copy(p, ap_trampoline, (size_t)(ap_trampoline_end - ap_trampoline));
	*(uint32_t *)(p + (ap_tramp_gdt_base - ap_trampoline)) = (uint32_t)(page + (ap_tramp_gdt - ap_trampoline));
	*(uint32_t *)(p + (ap_tramp_far32 - ap_trampoline)) = (uint32_t)(page + (ap_tramp_pm32 - ap_trampoline));
	*(uint32_t *)(p + (ap_tramp_far64 - ap_trampoline)) = (uint32_t)(page + (ap_tramp_lm64 - ap_trampoline));
}

/* A fresh trampoline page, identity-mapped (0: none left). */
static uint64_t trampoline_page(void)
{
	uint64_t page = pmm_alloc_low();
	if (!page || vm_map_identity(page) != VM_OK)
		return 0;
	prepare_trampoline(page);
	return page;
}

/* With give_up (a test): wait until every abandoned AP has halted. */
static void wait_late_aps(unsigned abandoned)
{
	uint64_t deadline = clock_now_ns() + LATE_AP_WAIT_NS;
	while (__atomic_load_n(&late_aps_halted, __ATOMIC_ACQUIRE) < abandoned && clock_now_ns() < deadline)
		cpu_pause();
	kprintf("smp: %u of %u late CPUs halted\n", __atomic_load_n(&late_aps_halted, __ATOMIC_ACQUIRE), abandoned);
}

unsigned arch_smp_start(uint64_t madt_phys, bool give_up)
{
	cpu_count = 1;
	cpus[0].online = true;
	uint64_t page = madt_phys ? trampoline_page() : 0;
	if (!page) {
		kprintf("smp: no MADT or no low page; running on one CPU\n");
		return cpu_count;
	}
	unsigned abandoned = 0;
	const uint8_t *madt = vm_phys_to_virt(madt_phys);
	uint32_t len = *(const uint32_t *)(madt + 4);
	for (uint32_t off = MADT_ENTRIES; page && off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1]) {
		const uint8_t *e = madt + off;
		if (e[0] != MADT_LAPIC || e[1] < 8)
			continue;
		uint32_t flags = *(const uint32_t *)(e + 4);
		if (!(flags & 3) || e[3] == cpus[0].apic_id)
			continue;
		if (cpu_count == CPU_MAX)
			break;
		unsigned index = cpu_count;
		start_result_t r = start_ap(page, e[3], index, give_up);
		if (r == START_OK) {
			cpu_count = index + 1;
			continue;
		}
		kprintf("smp: CPU with APIC id %u did not start\n", e[3]);
		if (r == START_ABANDONED) {
			abandoned++;
			page = trampoline_page();
		}
	}
	if (give_up)
		wait_late_aps(abandoned);
	if (!abandoned)
		vm_unmap_identity();
	kprintf("smp: %u CPUs online\n", cpu_count);
	return cpu_count;
}
