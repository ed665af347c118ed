/* Kernel stacks with guard pages (see kernel/kstack.h): slot i spans
 * [area + i * slot, + slot); its low KSTACK_GUARD_BYTES stay unmapped. */
#include <kernel/kstack.h>
#include <kernel/pmm.h>
#include <kernel/random.h>
#include <kernel/spinlock.h>
#include <kernel/tlb.h>
#include <kernel/vm.h>

#define SLOT_BYTES (KSTACK_BYTES + KSTACK_GUARD_BYTES)

static uint64_t used[KSTACK_SLOTS / 64];
static uint64_t area = VM_KSTACK_BASE;

void kstack_place(void)
{
	uint64_t r;
	random_fill(&r, sizeof r);
	area = VM_KSTACK_BASE + r % ((VM_KSTACK_WINDOW - KSTACK_AREA_BYTES) / VM_PAGE_BYTES) * VM_PAGE_BYTES;
}

uint64_t kstack_area(void) { return area; }
static spinlock_t lock = SPINLOCK_INIT;

static int64_t take_slot(void)
{
	uint64_t f = spin_lock(&lock);
	for (uint64_t w = 0; w < KSTACK_SLOTS / 64; w++)
		if (~used[w]) {
			uint64_t b = (uint64_t)__builtin_ctzll(~used[w]);
			used[w] |= 1ull << b;
			spin_unlock(&lock, f);
			return (int64_t)(w * 64 + b);
		}
	spin_unlock(&lock, f);
	return -1;
}

static void release_slot(uint64_t slot)
{
	uint64_t f = spin_lock(&lock);
	used[slot / 64] &= ~(1ull << (slot % 64));
	spin_unlock(&lock, f);
}

static void unmap_stack(uint64_t base, uint64_t n_pages)
{
	for (uint64_t i = 0; i < n_pages; i++) {
		uint64_t phys = vm_unmap_kernel(base + i * VM_PAGE_BYTES);
		if (phys)
			pmm_free_frame(phys);
	}
}

uint64_t kstack_alloc(void)
{
	int64_t slot = take_slot();
	if (slot < 0)
		return 0;
	uint64_t base = area + (uint64_t)slot * SLOT_BYTES + KSTACK_GUARD_BYTES;
	for (uint64_t off = 0; off < KSTACK_BYTES; off += VM_PAGE_BYTES) {
		uint64_t phys = pmm_alloc_frame();
		if (!phys || vm_map_kernel(base + off, phys, VM_WRITE) != VM_OK) {
			if (phys)
				pmm_free_frame(phys);
			unmap_stack(base, off / VM_PAGE_BYTES);
			release_slot((uint64_t)slot);
			return 0;
		}
	}
	return base + KSTACK_BYTES;
}

void kstack_free(uint64_t top)
{
	uint64_t base = top - KSTACK_BYTES;
	uint64_t slot = (base - KSTACK_GUARD_BYTES - area) / SLOT_BYTES;
	uint64_t phys[KSTACK_BYTES / VM_PAGE_BYTES];
	for (uint64_t i = 0; i < KSTACK_BYTES / VM_PAGE_BYTES; i++)
		phys[i] = vm_unmap_kernel(base + i * VM_PAGE_BYTES);
	tlb_shootdown(NULL, base, KSTACK_BYTES / VM_PAGE_BYTES);
	for (uint64_t i = 0; i < KSTACK_BYTES / VM_PAGE_BYTES; i++)
		if (phys[i])
			pmm_free_frame(phys[i]);
	release_slot(slot);
}
