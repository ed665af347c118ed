/* Local APIC in xAPIC mode through the (uncached) direct map (Intel SDM Vol.
 * 3A 11.4-11.6: registers, timer, ICR). The timer is calibrated once on the
 * boot CPU against the PIT, together with the TSC, then every CPU runs it in
 * periodic mode at CLOCK_TICK_HZ. */
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/kernel.h>
#include <kernel/vm.h>
#include <arch/cpu.h>
#include "x86.h"

enum {
	REG_ID = 0x20, REG_EOI = 0xb0, REG_SVR = 0xf0, REG_ICR_LO = 0x300, REG_ICR_HI = 0x310,
	REG_LVT_TIMER = 0x320, REG_TIMER_INIT = 0x380, REG_TIMER_CUR = 0x390, REG_TIMER_DIV = 0x3e0,
	SVR_ENABLE = 0x100, LVT_PERIODIC = 1 << 17, LVT_MASKED = 1 << 16, DIV_16 = 0x3,
	APIC_BASE_X2APIC = 1 << 10, ICR_NMI = 0x400, ICR_INIT = 0x500, ICR_STARTUP = 0x600, ICR_ASSERT = 0x4000,
	ICR_PENDING = 0x1000,
};

static volatile uint32_t *regs;
static uint32_t ticks_per_period;

static uint32_t rd(uint32_t reg) { return regs[reg / 4]; }
static void wr(uint32_t reg, uint32_t v) { regs[reg / 4] = v; }

void lapic_init(void)
{
	uint64_t base = cpu_rdmsr(MSR_APIC_BASE);
	if (base & APIC_BASE_X2APIC)
		panic("lapic: the firmware left x2APIC mode on; only xAPIC is supported");
	if (!regs)
		regs = vm_phys_to_virt(base & 0xfffff000ull);
	wr(REG_SVR, SVR_ENABLE | VEC_SPURIOUS);
}

uint32_t lapic_id(void) { return rd(REG_ID) >> 24; }
void lapic_eoi(void) { wr(REG_EOI, 0); }

static uint32_t timer_elapsed(void) { return 0xffffffffu - rd(REG_TIMER_CUR); }

void lapic_calibrate(void)
{
	wr(REG_TIMER_DIV, DIV_16);
	wr(REG_LVT_TIMER, LVT_MASKED);
	wr(REG_TIMER_INIT, 0xffffffffu);
	uint32_t lapic_ticks;
	uint64_t tsc_hz = pit_measure_tsc_and(timer_elapsed, &lapic_ticks);
	wr(REG_TIMER_INIT, 0);
	/* pit_measure returns per-second rates: lapic_ticks is ticks per second too */
	ticks_per_period = lapic_ticks / CLOCK_TICK_HZ;
	clock_init(tsc_hz);
	kprintf("time: tsc %llu kHz, lapic timer %u kHz (div 16), tick %u Hz\n",
		(unsigned long long)(tsc_hz / 1000), lapic_ticks / 1000, CLOCK_TICK_HZ);
}

void lapic_timer_start(void)
{
	wr(REG_TIMER_DIV, DIV_16);
	wr(REG_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	wr(REG_TIMER_INIT, ticks_per_period);
}

static void wait_icr(void)
{
	while (rd(REG_ICR_LO) & ICR_PENDING)
		cpu_pause();
}

/* Write the ICR (icr_lo: delivery mode and vector) for apic_id and wait
 * until the APIC has sent it. */
static void send(uint32_t apic_id, uint32_t icr_lo)
{
	uint64_t f = cpu_read_flags();
	cpu_irq_disable();
	wait_icr();
	wr(REG_ICR_HI, apic_id << 24);
	wr(REG_ICR_LO, icr_lo | ICR_ASSERT);
	wait_icr();
	if (f & RFLAGS_IF)
		cpu_irq_enable();
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector) { send(apic_id, vector); }
void lapic_send_nmi(uint32_t apic_id) { send(apic_id, ICR_NMI); }

/* INIT, 10 ms, STARTUP, 200 us, STARTUP (Intel MultiProcessor Specification B.4). */
void lapic_send_init_sipi(uint32_t apic_id, uint8_t page)
{
	wr(REG_ICR_HI, apic_id << 24);
	wr(REG_ICR_LO, ICR_INIT | ICR_ASSERT);
	wait_icr();
	clock_delay_ns(10 * 1000 * 1000);
	for (int i = 0; i < 2; i++) {
		wr(REG_ICR_HI, apic_id << 24);
		wr(REG_ICR_LO, ICR_STARTUP | page);
		wait_icr();
		clock_delay_ns(200 * 1000);
	}
}

/* MSI address 0xfee00000 | destination APIC id << 12 (physical destination,
 * no redirection hint), data = the vector (fixed delivery, edge). */
void arch_msi_message(uint32_t slot, uint32_t cpu, uint64_t *addr, uint32_t *data)
{
	*addr = 0xfee00000ull | (uint64_t)cpus[cpu].apic_id << 12;
	*data = VEC_DEVICE_FIRST + slot;
}
