/* SMP bring-up and scheduling inside the kernel: every CPU came online with
 * a distinct APIC id, kernel threads run on several CPUs and are reaped, and
 * a kernel-half unmap reaches the other CPUs. */
#include "nc_test.h"
#include <kernel/arch.h>
#include <kernel/cpu.h>
#include <kernel/kstack.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/tlb.h>
#include <arch/cpu.h>

enum { N_THREADS = 12 };

NC_TEST(smp, cpus_online_with_distinct_apic_ids)
{
	NC_CHECK(cpu_count >= 1 && cpu_count <= CPU_MAX);
	for (unsigned i = 0; i < cpu_count; i++) {
		NC_CHECK(cpus[i].online);
		NC_CHECK_EQ(cpus[i].index, i);
		for (unsigned j = i + 1; j < cpu_count; j++)
			NC_CHECK(cpus[i].apic_id != cpus[j].apic_id);
	}
	nc_test_note("smp: %u CPUs", cpu_count);
}

static volatile uint64_t done, cpu_mask;

static void worker(void *arg)
{
	(void)arg;
	uint64_t end = cpus[0].ticks + 20;
	while (cpus[0].ticks < end)
		cpu_pause();
	__atomic_fetch_or(&cpu_mask, 1ull << cpu_this()->index, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&done, 1, __ATOMIC_SEQ_CST);
	thread_exit(0);
}

NC_TEST(smp, kernel_threads_spread_and_reaped)
{
	uint64_t before = pmm_stats().free_frames;
	thread_t *t[N_THREADS];
	done = cpu_mask = 0;
	for (int i = 0; i < N_THREADS; i++) {
		t[i] = thread_create_kernel(worker, NULL);
		NC_CHECK(t[i] != NULL);
		sched_enqueue(t[i]);
	}
	while (done < N_THREADS)
		sched_yield();
	for (int i = 0; i < N_THREADS; i++) {
		while (t[i]->state != THREAD_DEAD)
			sched_yield();
		thread_destroy(t[i]);
	}
	nc_test_note("smp: kernel threads ran on CPU mask %#llx", (unsigned long long)cpu_mask);
	if (cpu_count > 1)
		NC_CHECK(cpu_mask != (1ull << cpu_this()->index));
	NC_CHECK_EQ(pmm_stats().free_frames, before);
}

NC_TEST(smp, kernel_unmap_shoots_down_other_cpus)
{
	uint64_t before = tlb_remote_shootdowns();
	uint64_t top = kstack_alloc();
	NC_CHECK(top != 0);
	kstack_free(top);
	if (cpu_count > 1)
		NC_CHECK(tlb_remote_shootdowns() > before);
}

/* Protection features the CPU reports are switched on, on every CPU
 * (checked here on the boot CPU; APs run the same cpu_features_init). */
NC_TEST(cpu, smep_smap_xsave_enabled_when_present)
{
	uint64_t cr4 = cpu_read_cr4();
	NC_CHECK(!arch_cpu_has(ARCH_FEATURE_SMEP) || (cr4 & CR4_SMEP));
	NC_CHECK(!arch_cpu_has(ARCH_FEATURE_SMAP) || (cr4 & CR4_SMAP));
	NC_CHECK(!arch_cpu_has(ARCH_FEATURE_XSAVE) || (cr4 & CR4_OSXSAVE));
	NC_CHECK(cpu_rdmsr(MSR_EFER) & EFER_NXE);
	NC_CHECK(cpu_read_cr0() & CR0_WP);
	nc_test_note("cpu: smep %d smap %d xsave %d", arch_cpu_has(ARCH_FEATURE_SMEP),
		     arch_cpu_has(ARCH_FEATURE_SMAP), arch_cpu_has(ARCH_FEATURE_XSAVE));
}
