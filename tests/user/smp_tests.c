/* SMP: every CPU runs user threads; a page replaced or unmapped on one CPU is
 * never read through a stale TLB entry on another; CPU-bound threads get fair
 * shares; SIMD registers survive context switches. */
#include "usertests.h"
#include <nc/fmt.h>

#define TLB_ADDR 0x0000300000000000ull
enum {
	SPIN_NS = 2000 * 1000 * 1000, TLB_ROUNDS = 1500, FAIR_NS = 1500 * 1000 * 1000,
	/* fairness: every thread's CPU time within this percentage of the mean */
	FAIR_TOLERANCE_PCT = 15, SIMD_ROUNDS = 300, MAX_THREADS = 32,
};

static uint64_t now_ns(void)
{
	uint64_t t = 0;
	nc_sys_clock_get(&t);
	return t;
}

static uint64_t current_cpu(void)
{
	uint64_t c = 0;
	nc_sys_system_info(NC_SYS_INFO_CURRENT_CPU, &c);
	return c;
}

/* ---- all CPUs run user threads ---- */

/* Spin until every CPU has been seen (or SPIN_NS passed), recording where we run. */
static int spin_and_record(void *arg)
{
	volatile uint64_t *mask = arg;
	uint64_t end = now_ns() + SPIN_NS, all = (1ull << ut_cpu_count()) - 1;
	while (now_ns() < end && *mask != all)
		__atomic_fetch_or(mask, 1ull << current_cpu(), __ATOMIC_RELAXED);
	return 0;
}

static bool t_all_cpus(void)
{
	uint64_t n_cpus = ut_cpu_count(), n = 2 * n_cpus;
	if (n_cpus < 2)
		return NC_FAIL("only %llu CPU online", (unsigned long long)n_cpus);
	volatile uint64_t mask = 0;
	nc_thread_t t[MAX_THREADS];
	for (uint64_t i = 0; i < n && i < MAX_THREADS; i++)
		if (nc_thread_start(&t[i], spin_and_record, (void *)&mask))
			return NC_FAIL("thread start failed");
	for (uint64_t i = 0; i < n && i < MAX_THREADS; i++) {
		uint64_t code;
		nc_thread_join(&t[i], &code);
	}
	uint64_t all = (1ull << n_cpus) - 1;
	nc_print("# all_cpus: %llu CPUs, user threads ran on mask %#llx\n", (unsigned long long)n_cpus,
		 (unsigned long long)mask);
	return mask == all ? true : NC_FAIL("mask %#llx, want %#llx", (unsigned long long)mask,
					    (unsigned long long)all);
}

/* ---- TLB shootdown on replace ---- */

typedef struct {
	volatile uint64_t published;   /* round whose page is mapped and filled */
	volatile uint64_t stop;
	volatile uint64_t stale, reads, cpus_seen;
} tlb_shared_t;

static int tlb_reader(void *arg)
{
	tlb_shared_t *s = arg;
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		uint64_t p = __atomic_load_n(&s->published, __ATOMIC_ACQUIRE);
		uint64_t v = *(volatile uint64_t *)TLB_ADDR;
		/* pages of later rounds read 0 until filled; an older value is stale */
		if (v != 0 && v < p)
			__atomic_fetch_add(&s->stale, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&s->reads, 1, __ATOMIC_RELAXED);
		__atomic_fetch_or(&s->cpus_seen, 1ull << current_cpu(), __ATOMIC_RELAXED);
	}
	return 0;
}

static bool t_tlb_shootdown_replace(void)
{
	static tlb_shared_t s;
	uint64_t addr, n_readers = ut_cpu_count() - 1;
	if (nc_sys_mem_map(TLB_ADDR, 4096, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr))
		return NC_FAIL("first MemMap failed");
	*(volatile uint64_t *)TLB_ADDR = 1;
	s.published = 1;
	nc_thread_t t[MAX_THREADS];
	for (uint64_t i = 0; i < n_readers; i++)
		if (nc_thread_start(&t[i], tlb_reader, &s))
			return NC_FAIL("reader start failed");
	while (__atomic_load_n(&s.reads, __ATOMIC_ACQUIRE) < 1000)
		nc_sys_yield();
	for (uint64_t round = 2; round <= TLB_ROUNDS; round++) {
		if (nc_sys_mem_map(TLB_ADDR, 4096, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr))
			return NC_FAIL("MemMap round %llu failed", (unsigned long long)round);
		*(volatile uint64_t *)TLB_ADDR = round;
		__atomic_store_n(&s.published, round, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
	for (uint64_t i = 0; i < n_readers; i++) {
		uint64_t code;
		nc_thread_join(&t[i], &code);
	}
	nc_sys_mem_unmap(TLB_ADDR, 4096);
	nc_print("# tlb_shootdown_replace: %d remaps, %llu reads by %llu readers on CPU mask %#llx, %llu stale\n",
		 TLB_ROUNDS, (unsigned long long)s.reads, (unsigned long long)n_readers,
		 (unsigned long long)s.cpus_seen, (unsigned long long)s.stale);
	if (s.cpus_seen == (1ull << current_cpu()))
		return NC_FAIL("readers never ran on another CPU");
	return s.stale == 0 ? true : NC_FAIL("%llu stale reads", (unsigned long long)s.stale);
}

/* ---- TLB shootdown on unmap: the reader must fault, not go on reading ---- */

static int unmap_reader(void *arg)
{
	volatile uint64_t *running = arg;
	for (;;) {
		*running = 1;
		(void)*(volatile uint64_t *)TLB_ADDR;
	}
	return 0;
}

static int child_unmap_race(void)
{
	static volatile uint64_t running;
	uint64_t addr;
	if (nc_sys_mem_map(TLB_ADDR, 4096, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr))
		return 2;
	nc_thread_t t;
	if (nc_thread_start(&t, unmap_reader, (void *)&running))
		return 3;
	while (!running)
		nc_sys_yield();
	nc_sys_mem_unmap(TLB_ADDR, 4096);
	/* the reader now faults and takes the process with it; if a stale TLB
	 * entry let it go on, this exits normally (a long wait costs nothing when
	 * the test passes, and outlasts a host that starves the reader's vCPU) */
	nc_sys_sleep(2000ull * 1000 * 1000);
	return 0;
}

const nc_test_child_t ut_smp_children[] = { { "unmap_race", child_unmap_race }, { NULL, NULL } };

static bool t_tlb_shootdown_unmap(void)
{
	uint64_t status;
	if (!ut_run_child("unmap_race", &status))
		return false;
	return status == ut_fault_status(14) ? true
					      : NC_FAIL("status %#llx: the reader kept reading", (unsigned long long)status);
}

/* ---- fairness ---- */

typedef struct {
	volatile uint64_t *stop;
	uint64_t runtime_ns, iterations;
} fair_t;

static int fair_worker(void *arg)
{
	fair_t *f = arg;
	uint64_t n = 0;
	while (!__atomic_load_n(f->stop, __ATOMIC_ACQUIRE))
		n++;
	f->iterations = n;
	nc_sys_system_info(NC_SYS_INFO_THREAD_RUNTIME_NS, &f->runtime_ns);
	return 0;
}

static bool t_fairness(void)
{
	uint64_t n = 2 * ut_cpu_count();
	if (n > MAX_THREADS)
		n = MAX_THREADS;
	static volatile uint64_t stop;
	static fair_t f[MAX_THREADS];
	nc_thread_t t[MAX_THREADS];
	for (uint64_t i = 0; i < n; i++) {
		f[i].stop = &stop;
		if (nc_thread_start(&t[i], fair_worker, &f[i]))
			return NC_FAIL("thread start failed");
	}
	nc_sys_sleep(FAIR_NS);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	uint64_t sum = 0, lo = UINT64_MAX, hi = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t code;
		nc_thread_join(&t[i], &code);
		sum += f[i].runtime_ns;
		lo = f[i].runtime_ns < lo ? f[i].runtime_ns : lo;
		hi = f[i].runtime_ns > hi ? f[i].runtime_ns : hi;
	}
	uint64_t mean = sum / n;
	nc_print("# fairness: %llu threads on %llu CPUs for %d ms: CPU time min %llu ms, mean %llu ms, max %llu ms"
		 " (tolerance %d%%)\n", (unsigned long long)n, (unsigned long long)ut_cpu_count(), FAIR_NS / 1000000,
		 (unsigned long long)(lo / 1000000), (unsigned long long)(mean / 1000000),
		 (unsigned long long)(hi / 1000000), FAIR_TOLERANCE_PCT);
	if (lo * 100 < mean * (100 - FAIR_TOLERANCE_PCT) || hi * 100 > mean * (100 + FAIR_TOLERANCE_PCT))
		return NC_FAIL("shares outside %d%% of the mean", FAIR_TOLERANCE_PCT);
	return true;
}

/* ---- SIMD state per thread ---- */

static bool has_avx(void)
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return c >> 28 & 1;
}

static int simd_worker(void *arg)
{
	uint64_t seed = (uint64_t)arg;
	uint64_t in[4] = { seed, ~seed, seed * 3, seed ^ 0x5555 }, out[4];
	bool avx = has_avx();
	for (int r = 0; r < SIMD_ROUNDS; r++) {
		if (avx)
			__asm__ volatile("vmovdqu %0, %%ymm7" ::"m"(in) : "xmm7");
		else
			__asm__ volatile("movdqu %0, %%xmm7" ::"m"(in) : "xmm7");
		nc_sys_yield();
		for (volatile int spin = 0; spin < 200; spin++)
			;
		if (avx)
			__asm__ volatile("vmovdqu %%ymm7, %0" : "=m"(out)::"memory");
		else {
			__asm__ volatile("movdqu %%xmm7, %0" : "=m"(out)::"memory");
			out[2] = in[2];
			out[3] = in[3];
		}
		for (int i = 0; i < 4; i++)
			if (out[i] != in[i])
				return 1;
	}
	return 0;
}

static bool t_simd_state(void)
{
	uint64_t n = 2 * ut_cpu_count() + 2;
	if (n > MAX_THREADS)
		n = MAX_THREADS;
	nc_thread_t t[MAX_THREADS];
	for (uint64_t i = 0; i < n; i++)
		if (nc_thread_start(&t[i], simd_worker, (void *)(0x1234567890ull * (i + 1))))
			return NC_FAIL("thread start failed");
	uint64_t bad = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t code = 0;
		nc_thread_join(&t[i], &code);
		bad += code;
	}
	nc_print("# simd_state: %llu threads, %s registers, %d switches each\n", (unsigned long long)n,
		 has_avx() ? "ymm (AVX)" : "xmm (SSE)", SIMD_ROUNDS);
	return bad == 0 ? true : NC_FAIL("%llu threads saw their registers change", (unsigned long long)bad);
}

const nc_test_case_t ut_smp_tests[] = {
	{ "smp.all_cpus_run_user_threads", t_all_cpus },
	{ "smp.tlb_shootdown_replace", t_tlb_shootdown_replace },
	{ "smp.tlb_shootdown_unmap", t_tlb_shootdown_unmap },
	{ "sched.fairness", t_fairness }, { "sched.simd_state_per_thread", t_simd_state }, { NULL, NULL },
};
