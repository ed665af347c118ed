/* Kernel mappings of device registers (see kernel/kmmio.h). */
#include <stddef.h>
#include <kernel/kmmio.h>
#include <kernel/spinlock.h>
#include <kernel/vm.h>

#define KMMIO_BASE 0xfffffe0000000000ull
#define KMMIO_BYTES (1ull << 30)

static spinlock_t lock = SPINLOCK_INIT;
static uint64_t next = KMMIO_BASE;

volatile void *kmmio_map(uint64_t phys, uint64_t len_bytes)
{
	uint64_t first = phys & ~(VM_PAGE_BYTES - 1);
	uint64_t n = (phys + len_bytes - first + VM_PAGE_BYTES - 1) / VM_PAGE_BYTES;
	uint64_t f = spin_lock(&lock);
	uint64_t va = next;
	bool room = len_bytes && n <= (KMMIO_BASE + KMMIO_BYTES - va) / VM_PAGE_BYTES;
	if (room)
		next += n * VM_PAGE_BYTES;
	spin_unlock(&lock, f);
	if (!room)
		return NULL;
	for (uint64_t i = 0; i < n; i++)
		if (vm_map_kernel(va + i * VM_PAGE_BYTES, first + i * VM_PAGE_BYTES, VM_WRITE | VM_UNCACHED) != VM_OK)
			return NULL; /* the pages mapped so far stay: the window is never reused */
	return (volatile void *)(va + (phys - first));
}
