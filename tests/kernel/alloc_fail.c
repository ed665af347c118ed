/* Allocation-failure injection and leak tracking (see alloc_fail.h): the
 * --wrap targets of the test kernel's link. */
#include "alloc_fail.h"
#include <stddef.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>

void *__real_heap_alloc(size_t len_bytes);
void __real_heap_free(void *p);
uint64_t __real_pmm_alloc_frame(void);
uint64_t __real_pmm_alloc_contig(size_t n_frames);
void __real_pmm_free_frame(uint64_t phys);
void __real_pmm_free_contig(uint64_t phys, size_t n_frames);
void *__wrap_heap_alloc(size_t len_bytes);
void __wrap_heap_free(void *p);
uint64_t __wrap_pmm_alloc_frame(void);
uint64_t __wrap_pmm_alloc_contig(size_t n_frames);
void __wrap_pmm_free_frame(uint64_t phys);
void __wrap_pmm_free_contig(uint64_t phys, size_t n_frames);

/* Injection: written by the armed thread only (others only compare armed
 * with themselves), so plain variables do. */
static thread_t *volatile armed;
static uint64_t fail_at;
static bool fail_after;
static alloc_fail_report_t report;

/* Tracking: frees come from any CPU, so the table has a lock. */
typedef struct {
	uint64_t addr;      /* block address or frame physical address */
	uint64_t n_frames;  /* 0: a heap block */
} held_t;

static thread_t *volatile tracked;
static spinlock_t track_lock = SPINLOCK_INIT;
static held_t held[ALLOC_TRACK_MAX];
static uint32_t n_held;
static bool track_overflow;

/* The armed or tracked thread is inside heap_alloc: its frame requests
 * are the heap's own. */
static bool in_heap;

/* armed and tracked are NULL through early boot, before thread_current() works. */
static bool is_armed(void) { return armed && armed == thread_current(); }
static bool is_tracked(void) { return tracked && tracked == thread_current(); }

void alloc_fail_arm(uint64_t nth, bool every)
{
	fail_at = nth;
	fail_after = every;
	report = (alloc_fail_report_t){ 0, 0 };
	armed = thread_current();
}

alloc_fail_report_t alloc_fail_disarm(void)
{
	armed = NULL;
	return report;
}

void alloc_track_start(void)
{
	uint64_t f = spin_lock(&track_lock);
	n_held = 0;
	track_overflow = false;
	tracked = thread_current();
	spin_unlock(&track_lock, f);
}

alloc_track_t alloc_track_stop(void)
{
	uint64_t f = spin_lock(&track_lock);
	tracked = NULL;
	alloc_track_t t = { 0, 0, track_overflow };
	for (uint32_t i = 0; i < n_held; i++) {
		if (held[i].n_frames)
			t.frames += held[i].n_frames;
		else
			t.blocks++;
	}
	spin_unlock(&track_lock, f);
	return t;
}

static void remember(uint64_t addr, uint64_t n_frames)
{
	uint64_t f = spin_lock(&track_lock);
	if (n_held < ALLOC_TRACK_MAX)
		held[n_held++] = (held_t){ addr, n_frames };
	else
		track_overflow = true;
	spin_unlock(&track_lock, f);
}

static void forget(uint64_t addr)
{
	if (!tracked)
		return;
	uint64_t f = spin_lock(&track_lock);
	for (uint32_t i = 0; i < n_held; i++)
		if (held[i].addr == addr) {
			held[i] = held[--n_held];
			break;
		}
	spin_unlock(&track_lock, f);
}

/* Count one allocation of the armed thread; true when it must fail. */
static bool fail_this(void)
{
	uint64_t i = report.seen++;
	bool fail = fail_after ? i >= fail_at : i == fail_at;
	if (fail)
		report.failed++;
	return fail;
}

void *__wrap_heap_alloc(size_t len_bytes)
{
	bool a = is_armed(), t = is_tracked();
	if (len_bytes == 0 || (!a && !t))
		return __real_heap_alloc(len_bytes);
	if (a && fail_this())
		return NULL;
	in_heap = true;
	void *p = __real_heap_alloc(len_bytes);
	in_heap = false;
	if (p && t)
		remember((uint64_t)p, 0);
	return p;
}

void __wrap_heap_free(void *p)
{
	if (p)
		forget((uint64_t)p);
	__real_heap_free(p);
}

static uint64_t alloc_frames(size_t n_frames)
{
	bool a = is_armed(), t = is_tracked();
	if ((a || t) && in_heap)
		return __real_pmm_alloc_contig(n_frames);
	if (a && fail_this())
		return 0;
	uint64_t phys = __real_pmm_alloc_contig(n_frames);
	if (phys && t)
		remember(phys, n_frames);
	return phys;
}

uint64_t __wrap_pmm_alloc_frame(void) { return alloc_frames(1); }
uint64_t __wrap_pmm_alloc_contig(size_t n_frames) { return alloc_frames(n_frames); }

void __wrap_pmm_free_frame(uint64_t phys)
{
	forget(phys);
	__real_pmm_free_frame(phys);
}

void __wrap_pmm_free_contig(uint64_t phys, size_t n_frames)
{
	forget(phys);
	__real_pmm_free_contig(phys, n_frames);
}
