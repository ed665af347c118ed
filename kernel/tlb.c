/* TLB shootdown (see kernel/tlb.h). One request at a time system-wide: the
 * initiator invalidates locally, publishes the request, sends the IPI to the
 * CPUs that may hold the mapping (those with the vspace loaded, or all for the
 * kernel half) and spins, interrupts on, until each has acknowledged. A CPU
 * that loads the vspace later gets a fresh TLB from its CR3 write. */
#include <kernel/arch.h>
#include <kernel/cpu.h>
#include <kernel/kernel.h>
#include <kernel/tlb.h>
#include <arch/cpu.h>

enum { FLUSH_ALL_PAGES = 32 };

static volatile uint32_t busy;          /* one shootdown in flight */
static struct {
	uint64_t va, n_pages;
	volatile uint32_t pending;          /* CPUs yet to acknowledge */
} req;
static uint64_t n_remote;

static void invalidate(uint64_t va, uint64_t n_pages, bool kernel)
{
	if (n_pages > FLUSH_ALL_PAGES && !kernel) {
		cpu_write_cr3(cpu_read_cr3());
		return;
	}
	for (uint64_t i = 0; i < n_pages; i++)
		cpu_invlpg(va + i * VM_PAGE_BYTES);
}

void tlb_shootdown(vspace_t *vs, uint64_t va, uint64_t n_pages)
{
	if (!irq_enabled())
		panic("tlb: shootdown with interrupts off would deadlock");
	while (__atomic_exchange_n(&busy, 1, __ATOMIC_ACQUIRE))
		cpu_pause();
	cpu_irq_disable(); /* stay on this CPU's identity while choosing targets */
	cpu_t *me = cpu_this();
	if (!vs || (vs->active_cpus >> me->index & 1))
		invalidate(va, n_pages, !vs);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint64_t targets = 0;
	uint32_t n_targets = 0;
	for (unsigned i = 0; i < cpu_count; i++)
		if (i != me->index && cpus[i].online && (!vs || (vs->active_cpus >> i & 1))) {
			targets |= 1ull << i;
			n_targets++;
		}
	req.va = va;
	req.n_pages = vs ? n_pages : n_pages | 1ull << 63;
	req.pending = n_targets;
	for (unsigned i = 0; i < cpu_count; i++)
		if (targets >> i & 1)
			arch_ipi_tlb(i);
	cpu_irq_enable();
	while (__atomic_load_n(&req.pending, __ATOMIC_ACQUIRE))
		cpu_pause();
	if (targets)
		n_remote++;
	__atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
}

void tlb_handle_ipi(void)
{
	bool kernel = req.n_pages >> 63;
	invalidate(req.va, req.n_pages & ~(1ull << 63), kernel);
	__atomic_fetch_sub(&req.pending, 1, __ATOMIC_ACQ_REL);
}

uint64_t tlb_remote_shootdowns(void) { return n_remote; }
