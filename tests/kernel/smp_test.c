/* SMP bring-up and scheduling inside the kernel: every CPU QEMU was started
 * with came online with a distinct APIC id, kernel threads run on several CPUs
 * and are reaped, and a kernel-half unmap reaches the other CPUs.
 *
 * The expected CPU count comes from QEMU itself (fw_cfg, below), not from the
 * kernel's own MADT walk, and every test boot has at least two CPUs, so none
 * of these checks can pass by finding a single CPU. */
#include "nc_test.h"
#include <kernel/arch.h>
#include <kernel/cpu.h>
#include <kernel/kstack.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/tlb.h>
#include <arch/cpu.h>
#include "../../kernel/arch/x86_64/io.h"

enum { N_THREADS = 12 };

/* QEMU's firmware configuration device, legacy I/O interface (QEMU
 * docs/specs/fw_cfg.rst): a 16-bit item selector at 0x510, its bytes at
 * 0x511. Item 0 is the signature "QEMU", item 5 the number of boot CPUs
 * (-smp), 16-bit little endian. */
enum { FW_CFG_SELECT = 0x510, FW_CFG_DATA = 0x511, FW_CFG_SIGNATURE = 0, FW_CFG_NB_CPUS = 5 };

static uint32_t fw_cfg_read(uint16_t item, unsigned n_bytes)
{
	uint32_t v = 0;
	io_out16(FW_CFG_SELECT, item);
	for (unsigned i = 0; i < n_bytes; i++)
		v |= (uint32_t)io_in8(FW_CFG_DATA) << (8 * i);
	return v;
}

/* The CPU count QEMU was started with; 0 when there is no fw_cfg device. */
static unsigned qemu_cpu_count(void)
{
	if (fw_cfg_read(FW_CFG_SIGNATURE, 4) != 0x554d4551) /* "QEMU" */
		return 0;
	return fw_cfg_read(FW_CFG_NB_CPUS, 2);
}

NC_TEST(smp, every_qemu_cpu_online)
{
	unsigned want = qemu_cpu_count();
	nc_test_note("smp: %u CPUs online, QEMU started %u", cpu_count, want);
	NC_CHECK(want >= 2); /* the SMP tests need a boot with -smp 2 or more */
	NC_CHECK_EQ(cpu_count, want < CPU_MAX ? want : CPU_MAX);
}

NC_TEST(smp, cpus_online_with_distinct_apic_ids)
{
	NC_CHECK(cpu_count >= 2);
	for (unsigned i = 0; i < cpu_count; i++) {
		NC_CHECK(cpus[i].online);
		NC_CHECK_EQ(cpus[i].index, i);
		for (unsigned j = i + 1; j < cpu_count; j++)
			NC_CHECK(cpus[i].apic_id != cpus[j].apic_id);
	}
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

/* Start N_THREADS kernel threads and reap them all; false if one could not
 * be made (the ones made are still reaped). */
static bool run_workers(void)
{
	thread_t *t[N_THREADS];
	int n = 0;
	done = cpu_mask = 0;
	for (; n < N_THREADS; n++) {
		t[n] = thread_create_kernel(worker, NULL);
		if (!t[n])
			break;
		sched_enqueue(t[n]);
	}
	while (done < (uint64_t)n)
		sched_yield();
	for (int i = 0; i < n; i++) {
		while (t[i]->state != THREAD_DEAD)
			sched_yield();
		thread_destroy(t[i]);
	}
	return n == N_THREADS;
}

/* The first round makes what stays once made: the page tables its kernel
 * stacks need (the stack area starts at a random page since KASLR, so a
 * round may need a table no stack used before: a boot failed with one frame
 * missing) and heap pages; the second must give back every frame it took. */
NC_TEST(smp, kernel_threads_spread_and_reaped)
{
	NC_CHECK(run_workers());
	uint64_t before = pmm_stats().free_frames;
	NC_CHECK(run_workers());
	nc_test_note("smp: kernel threads ran on CPU mask %#llx", (unsigned long long)cpu_mask);
	NC_CHECK_EQ(pmm_stats().free_frames, before);
	NC_CHECK(cpu_count >= 2);
	NC_CHECK(cpu_mask != 0 && (cpu_mask & (cpu_mask - 1)) != 0); /* two CPUs or more */
}

NC_TEST(smp, kernel_unmap_shoots_down_other_cpus)
{
	uint64_t before = tlb_remote_shootdowns();
	uint64_t top = kstack_alloc();
	NC_CHECK(top != 0);
	kstack_free(top);
	NC_CHECK(cpu_count >= 2);
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
