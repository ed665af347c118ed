/* Shared by the kernel micro-benchmarks (kbench, ipcbench): a serialised
 * rdtsc (cycles under plain TCG, guest instructions under -icount shift=0),
 * the empty-function-call baseline and the report line
 * "bench kernel.NAME: V per op (R x baseline)", V the median of
 * KBENCH_ROUNDS runs of fn (each returns its per-operation figure). */
#ifndef BENCH_KERNEL_KBENCH_UTIL_H
#define BENCH_KERNEL_KBENCH_UTIL_H

#include <stdint.h>

enum { KBENCH_ROUNDS = 7 };

static inline uint64_t kbench_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
}

/* Median of v[0..n) (sorts v). */
uint64_t kbench_median(uint64_t *v, int n);
/* The baseline: median per-call cost of an empty non-inlined function over
 * n_ops calls; also printed as "bench kernel.baseline_function_call". */
uint64_t kbench_baseline(int n_ops);
void kbench_report(const char *name, uint64_t (*fn)(void), uint64_t baseline);

#endif
