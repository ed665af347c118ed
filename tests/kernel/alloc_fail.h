/* Allocation-failure injection and leak tracking, in the test kernel only.
 * nexacore-test.elf is linked with --wrap for heap_alloc, heap_free,
 * pmm_alloc_frame, pmm_alloc_contig, pmm_free_frame and pmm_free_contig
 * (kernel/build.mk), so every call of those from another file goes through
 * tests/kernel/alloc_fail.c first; nexacore.elf has no such hook at all.
 *
 * Both act on one thread only, the one that called alloc_fail_arm or
 * alloc_track_start (other CPUs keep allocating normally), and count its
 * allocations the same way: one per heap_alloc (the frames the heap takes
 * for a new slab or a large block belong to that call) and one per frame
 * request from anywhere else (page tables, kernel stacks, user pages). Not
 * reentrant: at most one thread is armed or tracked at a time (the same one
 * when both). */
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

typedef struct {
	uint64_t blocks;  /* heap blocks allocated and not freed since */
	uint64_t frames;  /* frames allocated (outside the heap) and not freed since */
	bool overflow;    /* more than ALLOC_TRACK_MAX at once: the counts are incomplete */
} alloc_track_t;

enum { ALLOC_TRACK_MAX = 512 };

/* Remember what the current thread allocates from now on; a free by any
 * thread forgets it again. Blocks and frames that were allocated before
 * are not counted, whoever frees them meanwhile. */
void alloc_track_start(void);
/* Stop; what the thread allocated since alloc_track_start and is still held. */
alloc_track_t alloc_track_stop(void);

#endif
