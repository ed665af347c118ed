/* Shared benchmark helpers (see kbench_util.h). */
#include <nc/ulib.h>
#include "kbench_util.h"

static void __attribute__((noinline)) empty_call(void) { __asm__ volatile("" ::: "memory"); }

uint64_t kbench_median(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

uint64_t kbench_baseline(int n_ops)
{
	uint64_t v[KBENCH_ROUNDS];
	for (int r = 0; r < KBENCH_ROUNDS; r++) {
		uint64_t t0 = kbench_rdtsc();
		for (int i = 0; i < n_ops; i++)
			empty_call();
		v[r] = (kbench_rdtsc() - t0) / (uint64_t)n_ops;
	}
	uint64_t b = kbench_median(v, KBENCH_ROUNDS);
	nc_print("bench kernel.baseline_function_call: %llu per op\n", (unsigned long long)b);
	return b;
}

void kbench_report(const char *name, uint64_t (*fn)(void), uint64_t baseline)
{
	uint64_t v[KBENCH_ROUNDS];
	for (int r = 0; r < KBENCH_ROUNDS; r++)
		v[r] = fn();
	uint64_t m = kbench_median(v, KBENCH_ROUNDS);
	uint64_t ratio10 = baseline ? m * 10 / baseline : 0;
	nc_print("bench kernel.%s: %llu per op (%llu.%llu x baseline)\n", name, (unsigned long long)m,
		 (unsigned long long)(ratio10 / 10), (unsigned long long)(ratio10 % 10));
}
