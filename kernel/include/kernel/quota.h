/* Per-process memory quotas (docs/kernel.md, "Memory quotas"). Every process
 * has a quota: a limit in bytes and the bytes charged to it. A charge that
 * would take the bytes charged past the limit fails with LIMIT and charges
 * nothing, so no process holds more kernel-made memory than its quota.
 *
 * What is charged, and to whom:
 *   - a process's user pages and page tables (vspace), its threads (struct,
 *     kernel stack, FPU area, spare message buffer), its process struct and
 *     handle table: to the process;
 *   - kernel objects a call makes (channels, capabilities, open files,
 *     token-table slots, shared memory): to the caller;
 *   - a driver's claim, its IOMMU domain and tables and its DMA buffers:
 *     to the driver's quota, which DriverLoad makes before the claim;
 *   - a message waiting in a channel queue: to its sender, until it leaves
 *     the queue;
 *   - a child's quota, when it is given one (ProcessSpawnSpec quota_bytes):
 *     its whole limit, to the parent (carved out, as seL4 untyped memory
 *     and Genode RAM quotas are), until the child is reaped and everything
 *     charged to the child is gone. So the quotas of all live processes
 *     never add up to more than init's. A child without one (ProcessSpawn,
 *     quota_bytes 0) shares its parent's quota (as a Linux cgroup's
 *     members do): both charge the same quota.
 * Buffers a call frees before it returns are not charged.
 *
 * Using it from a subsystem: the charge comes first, the allocation second
 * (so nothing is allocated past the quota), and a failed allocation takes
 * the charge back. For a heap object, quota_alloc_object does both:
 *   quota_t *q = quota_current();
 *   obj = quota_alloc_object(q, sizeof *obj, &err);   (LIMIT, NO_MEMORY)
 *   obj->quota = q;                  ... when obj dies:
 *   quota_free_object(obj->quota, obj, sizeof *obj);
 * For frames (DMA buffers, shared memory): quota_charge_object(q,
 * quota_frames_bytes(n)) before pmm_alloc_contig, quota_uncharge_object
 * after pmm_free_contig. An object that can outlive the process (it can be
 * passed on or stay queued) uses these _object calls, which also hold a
 * reference on q, so q lives until the matching uncharge. Memory released
 * before the process is reaped (its pages, threads) uses quota_charge.
 *
 * A NULL quota is the kernel's own memory (kernel threads, boot objects):
 * charging it always succeeds and counts nothing.
 * SMP-safe and lock-free: any context, interrupts on or off, spinlocks held
 * or not; nothing here sleeps. */
#ifndef KERNEL_QUOTA_H
#define KERNEL_QUOTA_H

#include <stddef.h>
#include <stdint.h>
#include <nc/abi.h>

typedef struct quota quota_t;

typedef struct {
	uint64_t limit_bytes, used_bytes, peak_bytes;
} quota_stats_t;

/* Charge bytes to q. Errors: LIMIT (nothing charged). */
nc_sys_err_t quota_charge(quota_t *q, uint64_t bytes);
/* Give back bytes charged with quota_charge. */
void quota_uncharge(quota_t *q, uint64_t bytes);
/* Charge bytes for an object that may outlive q's process, and take a
 * reference on q. Errors: LIMIT (nothing charged, no reference taken). */
nc_sys_err_t quota_charge_object(quota_t *q, uint64_t bytes);
/* Give back a quota_charge_object charge and drop its reference (q may be
 * freed here; when it is, its parent gets the carved-out limit back). */
void quota_uncharge_object(quota_t *q, uint64_t bytes);

/* A zeroed heap block of len_bytes charged to q as an object (charge, then
 * heap_alloc). NULL with *err LIMIT or NO_MEMORY (nothing charged then). */
void *quota_alloc_object(quota_t *q, size_t len_bytes, nc_sys_err_t *err);
/* Free a block from quota_alloc_object (NULL is ignored) and give its
 * charge back. */
void quota_free_object(quota_t *q, void *p, size_t len_bytes);

/* Bytes to charge for n_frames frames, and for a kernel heap block of
 * len_bytes (its size class: what the heap really takes). */
static inline uint64_t quota_frames_bytes(uint64_t n_frames) { return n_frames * 4096; }
uint64_t quota_heap_bytes(size_t len_bytes);

/* The current thread's process's quota; NULL for kernel threads. */
quota_t *quota_current(void);

/* The root quota (init's) with limit_bytes; NULL when out of memory. */
quota_t *quota_create_root(uint64_t limit_bytes);
/* A child quota of parent with limit_bytes, charged whole to parent. The
 * new quota starts with its own struct charged to it. Errors: LIMIT
 * (parent has less left than limit_bytes, or limit_bytes cannot hold the
 * struct), NO_MEMORY. */
nc_sys_err_t quota_create_child(quota_t *parent, uint64_t limit_bytes, quota_t **out);
/* q again, for one more process to charge (a child that shares its
 * parent's quota): takes a reference, dropped by quota_release. */
quota_t *quota_share(quota_t *q);
/* Drop a process's reference (from quota_create_* or quota_share). */
void quota_release(quota_t *q);
/* A snapshot of q (all 0 for NULL). */
quota_stats_t quota_stats(const quota_t *q);

#endif
