/* Virtual memory: the kernel's own page tables (higher half, W^X, NX) and one
 * address space (vspace) per process. Layout:
 *   0x0000000000001000 .. VM_USER_TOP        user space (per process)
 *   vm_direct_base + phys                    direct map of physical memory (RW, NX); the
 *                                            loader picks vm_direct_base at random (KASLR)
 *   kstack_area() ..                         kernel stacks, each with an unmapped guard below,
 *                                            at a random page inside [VM_KSTACK_BASE, + 512 GiB)
 *   kernel_boot_info->kernel_virt_base ..    the kernel image (text RX, rodata R, data RW), at a
 *                                            random page inside [NC_BOOT_KERNEL_VBASE,
 *                                            + NC_BOOT_KERNEL_WINDOW): the loader slides it
 * Every vspace shares the kernel half (PML4 entries 256..511 are created once
 * at boot and copied), so kernel mappings look the same from every CR3. */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/spinlock.h>
#include <nc/abi.h>
#include <nc/boot_info.h>

struct quota;

#define VM_PAGE_BYTES 4096ull
#define VM_USER_BASE 0x1000ull
#define VM_USER_TOP 0x0000800000000000ull
/* No user page is mapped at or above VM_USER_MAP_TOP: the last page below
 * the canonical hole stays empty, so a syscall instruction can never sit at
 * its end and make sysret return to the non-canonical VM_USER_TOP (which
 * faults in ring 0 on Intel CPUs). */
#define VM_USER_MAP_TOP (VM_USER_TOP - 4096ull)
#define VM_KSTACK_BASE 0xffffff0000000000ull
#define VM_KSTACK_WINDOW (512ull << 30)

/* VM_FOREIGN: the frame belongs to a kernel object (a shared memory object, a
 * DMA buffer, device memory), not to the vspace: the vspace never frees it and
 * does not count it in n_frames; kernel/umap.h keeps the object alive while
 * the page is mapped. VM_UNCACHED: strong uncacheable (PCD|PWT), for device
 * registers. */
enum { VM_WRITE = 1, VM_EXEC = 2, VM_USER = 4, VM_FOREIGN = 8, VM_UNCACHED = 16 };

/* Tag in the low bits of a frame vspace_unmap/vspace_replace return: the page
 * was mapped VM_FOREIGN (hand it to umap_release_page, never to the pmm). */
#define VM_FRAME_FOREIGN 1ull

typedef enum {
	VM_OK = 0,
	VM_ERR_NO_MEMORY,    /* no frame for a page table */
	VM_ERR_LIMIT,        /* a page table would pass the vspace's quota */
	VM_ERR_WX,           /* VM_WRITE together with VM_EXEC */
	VM_ERR_RANGE,        /* address not page aligned or outside the allowed half */
	VM_ERR_EXISTS,       /* vm_map over a present page */
} vm_err_t;

typedef struct vspace {
	uint64_t pml4_phys;
	spinlock_t lock;           /* guards the page tables below the kernel half */
	uint64_t n_frames;         /* page tables + mapped user frames; guarded by lock */
	struct quota *quota;       /* every frame of n_frames is charged to it (NULL: none) */
	volatile uint64_t active_cpus; /* bit per CPU that has this CR3 loaded */
	struct umap *umaps;        /* VM_FOREIGN ranges (kernel/umap.h); guarded by umap_lock */
	spinlock_t umap_lock;      /* taken before lock, never inside it */
} vspace_t;

/* The direct map's base: the loader's bi->hhdm_base, set first thing at
 * kernel entry (kernel_main) and never changed. */
extern uint64_t vm_direct_base;
static inline void *vm_phys_to_virt(uint64_t phys) { return (void *)(vm_direct_base + phys); }
static inline uint64_t vm_virt_to_phys(const void *hhdm_ptr) { return (uint64_t)hhdm_ptr - vm_direct_base; }

/* Build the kernel page tables from bi and switch this CPU to them. */
void vm_init(const nc_boot_info_t *bi);
/* Load the kernel's CR3 on an AP (after vm_init). */
void vm_activate_kernel(void);
/* Physical address of the kernel PML4 (for the AP trampoline). */
uint64_t vm_kernel_pml4(void);
/* Map/unmap one kernel page outside the direct map (kernel stacks). The caller
 * flushes other CPUs (tlb_shootdown(NULL, ...)) after an unmap. */
vm_err_t vm_map_kernel(uint64_t va, uint64_t phys, unsigned flags);
uint64_t vm_unmap_kernel(uint64_t va);
/* Identity-map [phys, phys+4K) executable in the kernel tables (AP boot
 * only); vm_unmap_identity removes every identity mapping and its tables. */
vm_err_t vm_map_identity(uint64_t phys);
void vm_unmap_identity(void);

/* A new, empty user address space (sharing the kernel half) whose frames are
 * charged to quota (kernel/quota.h; NULL: uncharged): its PML4 now, each
 * page table when it is made. Errors: LIMIT, NO_MEMORY. */
nc_sys_err_t vspace_create(struct quota *quota, vspace_t **out);
/* Free every user frame and page table, then the vspace, and give their
 * charge back. No CPU may have it loaded (active_cpus == 0). */
void vspace_destroy(vspace_t *vs);
/* A zeroed frame for a user page of vs, charged to vs's quota: mapping it
 * with vspace_map or vspace_replace hands the charge to the vspace. 0 when
 * the charge fails (*err LIMIT) or no frame is free (*err NO_MEMORY). */
uint64_t vspace_alloc_frame(vspace_t *vs, nc_sys_err_t *err);
/* Free a user frame of vs that vspace_unmap or vspace_replace returned (after
 * the shootdown), or one from vspace_alloc_frame never mapped, with its charge. */
void vspace_free_frame(vspace_t *vs, uint64_t phys);
/* Map a (zeroed or caller-filled) frame at user va; the frame must already be
 * charged to vs's quota (vspace_alloc_frame), unless it is VM_FOREIGN (its
 * owner's charge). Page tables it makes are charged here (VM_ERR_LIMIT). On VM_ERR_EXISTS the old mapping is kept;
 * vspace_replace swaps it. flags get VM_USER added. */
vm_err_t vspace_map(vspace_t *vs, uint64_t va, uint64_t phys, unsigned flags);
/* Unmap va only if it is mapped VM_FOREIGN; true when it was. The caller
 * shoots the TLB down before the frame's owner may free it. */
bool vspace_unmap_foreign(vspace_t *vs, uint64_t va);
/* Map phys at va in one PTE write, replacing any mapping (a concurrent reader
 * sees the old or the new frame, never a hole). Returns the old frame (0:
 * none, tagged as vspace_unmap's), which the caller releases after
 * tlb_shootdown; *err as vspace_map. */
uint64_t vspace_replace(vspace_t *vs, uint64_t va, uint64_t phys, unsigned flags, vm_err_t *err);
/* Unmap va; returns the frame that was mapped (0: none), tagged
 * VM_FRAME_FOREIGN when it was mapped VM_FOREIGN. The caller releases the
 * frame (umap_release_page) only after tlb_shootdown. */
uint64_t vspace_unmap(vspace_t *vs, uint64_t va);
/* The frame mapped at va (0: none); *flags_out gets VM_* (VM_FOREIGN and
 * VM_UNCACHED included) when non-NULL. */
uint64_t vspace_lookup(vspace_t *vs, uint64_t va, unsigned *flags_out);
/* Switch this CPU to vs (NULL: the kernel tables) and track active_cpus. */
void vspace_switch(vspace_t *from, vspace_t *to);

#endif
