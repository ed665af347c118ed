/* kbench: kernel micro-benchmarks in user space, run by init in the bench
 * image (bench/kernel/kernel_bench.sh boots it on one CPU, once under plain
 * TCG and once under -icount, where rdtsc counts guest instructions).
 *   baseline         an empty non-inlined function call
 *   null_syscall     SystemInfo(CPU_COUNT): entry, dispatch, return
 *   yield_alone      Yield with no other runnable thread (no switch)
 *   context_switch   two threads yielding to each other: one Yield plus one
 *                    thread switch per count
 * Each figure is the median of ROUNDS rounds of N operations, per operation. */
#include <nc/ulib.h>

enum { N = 20000, ROUNDS = 7 };

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
}

static void __attribute__((noinline)) empty_call(void) { __asm__ volatile("" ::: "memory"); }

static uint64_t median(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static uint64_t per_op_baseline(void)
{
	uint64_t t0 = rdtsc();
	for (int i = 0; i < N; i++)
		empty_call();
	return (rdtsc() - t0) / N;
}

static uint64_t per_op_null_syscall(void)
{
	uint64_t v, t0 = rdtsc();
	for (int i = 0; i < N; i++)
		nc_sys_system_info(NC_SYS_INFO_CPU_COUNT, &v);
	return (rdtsc() - t0) / N;
}

static uint64_t per_op_yield_alone(void)
{
	uint64_t t0 = rdtsc();
	for (int i = 0; i < N; i++)
		nc_sys_yield();
	return (rdtsc() - t0) / N;
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
	uint64_t t0 = rdtsc();
	for (int i = 0; i < N; i++)
		nc_sys_yield();
	uint64_t dt = rdtsc() - t0;
	uint64_t code;
	nc_thread_join(&t, &code);
	return dt / N;
}

static void report(const char *name, uint64_t (*fn)(void), uint64_t baseline)
{
	uint64_t v[ROUNDS];
	for (int r = 0; r < ROUNDS; r++)
		v[r] = fn();
	uint64_t m = median(v, ROUNDS);
	uint64_t ratio10 = baseline ? m * 10 / baseline : 0;
	nc_print("bench kernel.%s: %llu per op (%llu.%llu x baseline)\n", name, (unsigned long long)m,
		 (unsigned long long)(ratio10 / 10), (unsigned long long)(ratio10 % 10));
}

int main(const char *arg, size_t arg_len)
{
	uint64_t cpus = 0;
	nc_sys_system_info(NC_SYS_INFO_CPU_COUNT, &cpus);
	if (cpus != 1)
		nc_print("kbench: %llu CPUs online; context_switch assumes 1\n", (unsigned long long)cpus);
	uint64_t b[ROUNDS];
	for (int r = 0; r < ROUNDS; r++)
		b[r] = per_op_baseline();
	uint64_t baseline = median(b, ROUNDS);
	nc_print("bench kernel.baseline_function_call: %llu per op\n", (unsigned long long)baseline);
	report("null_syscall", per_op_null_syscall, baseline);
	report("yield_alone", per_op_yield_alone, baseline);
	report("context_switch", per_op_context_switch, baseline);
	return 0;
}
