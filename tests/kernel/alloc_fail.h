/* Allocation-failure injection, in the test kernel only. nexacore-test.elf is
 * linked with --wrap for heap_alloc, pmm_alloc_frame and pmm_alloc_contig
 * (kernel/build.mk), so every call of those from another file goes through
 * tests/kernel/alloc_fail.c first; nexacore.elf has no such hook at all.
 *
 * Only the thread that armed the injection is affected (other CPUs keep
 * allocating normally), and only its allocations are counted: one per
 * heap_alloc (the frames the heap takes for a new slab or a large block
 * belong to that call) and one per frame request from anywhere else (page
 * tables, kernel stacks, user pages). Arm, run the operation, disarm: not
 * reentrant, one armed thread at a time. */
#ifndef TESTS_KERNEL_ALLOC_FAIL_H
#define TESTS_KERNEL_ALLOC_FAIL_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
	uint64_t seen;    /* allocations the armed thread asked for */
	uint64_t failed;  /* of those, made to fail */
} alloc_fail_report_t;

/* From now on, the current thread's allocation number nth (0: the next one)
 * fails; with every, that one and every one after it fail too (running out
 * of memory for good). alloc_fail_arm(0, true) fails every allocation. */
void alloc_fail_arm(uint64_t nth, bool every);
/* Stop failing; what happened since alloc_fail_arm. */
alloc_fail_report_t alloc_fail_disarm(void);

#endif
