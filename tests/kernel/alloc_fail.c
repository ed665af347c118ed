/* Allocation-failure injection (see alloc_fail.h): the --wrap targets of the
 * test kernel's link. */
#include "alloc_fail.h"
#include <stddef.h>
#include <kernel/thread.h>

void *__real_heap_alloc(size_t len_bytes);
uint64_t __real_pmm_alloc_frame(void);
uint64_t __real_pmm_alloc_contig(size_t n_frames);
void *__wrap_heap_alloc(size_t len_bytes);
uint64_t __wrap_pmm_alloc_frame(void);
uint64_t __wrap_pmm_alloc_contig(size_t n_frames);

/* Written by the armed thread only (and read by others only to see that they
 * are not it), so plain variables do. */
static thread_t *volatile armed;
static uint64_t fail_at;
static bool fail_after;
static bool in_heap;  /* the armed thread is inside heap_alloc */
static alloc_fail_report_t report;

void alloc_fail_arm(uint64_t nth, bool every)
{
	fail_at = nth;
	fail_after = every;
	in_heap = false;
	report = (alloc_fail_report_t){ 0, 0 };
	armed = thread_current();
}

alloc_fail_report_t alloc_fail_disarm(void)
{
	armed = NULL;
	return report;
}

/* armed is NULL through early boot, before thread_current() works. */
static bool mine(void)
{
	return armed && armed == thread_current();
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
	if (len_bytes == 0 || !mine())
		return __real_heap_alloc(len_bytes);
	if (fail_this())
		return NULL;
	in_heap = true;
	void *p = __real_heap_alloc(len_bytes);
	in_heap = false;
	return p;
}

uint64_t __wrap_pmm_alloc_frame(void)
{
	if (mine() && !in_heap && fail_this())
		return 0;
	return __real_pmm_alloc_frame();
}

uint64_t __wrap_pmm_alloc_contig(size_t n_frames)
{
	if (mine() && !in_heap && fail_this())
		return 0;
	return __real_pmm_alloc_contig(n_frames);
}
