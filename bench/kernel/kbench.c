/* kbench: kernel micro-benchmarks in user space, run by init in the bench
 * image (bench/kernel/kernel_bench.sh boots it on one CPU, once under plain
 * TCG and once under -icount, where rdtsc counts guest instructions).
 *   baseline         an empty non-inlined function call
 *   null_syscall     SystemInfo(CPU_COUNT): entry, dispatch, return
 *   yield_alone      Yield with no other runnable thread (no switch)
 *   context_switch   two threads yielding to each other: one Yield plus one
 *                    thread switch per count
 * Each figure is the median of KBENCH_ROUNDS rounds of N operations, per operation. */
#include <nc/ulib.h>
#include "kbench_util.h"

enum { N = 20000 };

static uint64_t per_op_null_syscall(void)
{
	uint64_t v, t0 = kbench_rdtsc();
	for (int i = 0; i < N; i++)
		nc_sys_system_info(NC_SYS_INFO_CPU_COUNT, &v);
	return (kbench_rdtsc() - t0) / N;
}

static uint64_t per_op_yield_alone(void)
{
	uint64_t t0 = kbench_rdtsc();
	for (int i = 0; i < N; i++)
		nc_sys_yield();
	return (kbench_rdtsc() - t0) / N;
}

static volatile uint64_t go;

static int yielder(void *arg)
{
	(void)arg;
	while (!go)
		nc_sys_yield();
	for (int i = 0; i < N; i++)
		nc_sys_yield();
	return 0;
}

static uint64_t per_op_context_switch(void)
{
	nc_thread_t t;
	go = 0;
	if (nc_thread_start(&t, yielder, NULL))
		return 0;
	nc_sys_yield(); /* let it reach its loop */
	go = 1;
	uint64_t t0 = kbench_rdtsc();
	for (int i = 0; i < N; i++)
		nc_sys_yield();
	uint64_t dt = kbench_rdtsc() - t0;
	uint64_t code;
	nc_thread_join(&t, &code);
	return dt / N;
}

int main(const char *arg, size_t arg_len)
{
	uint64_t cpus = 0;
	nc_sys_system_info(NC_SYS_INFO_CPU_COUNT, &cpus);
	if (cpus != 1)
		nc_print("kbench: %llu CPUs online; context_switch assumes 1\n", (unsigned long long)cpus);
	uint64_t baseline = kbench_baseline(N);
	kbench_report("null_syscall", per_op_null_syscall, baseline);
	kbench_report("yield_alone", per_op_yield_alone, baseline);
	kbench_report("context_switch", per_op_context_switch, baseline);
	return 0;
}
