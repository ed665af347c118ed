/* Kernel backtraces: follow the frame-pointer chain (the kernel is built with
 * -fno-omit-frame-pointer) and name each return address from the embedded
 * symbol table (kernel/ksyms.c). Addresses are printed as they are at run
 * time; the report's first line and the kaslr: boot line give the slide to
 * subtract for `nm`/addr2line. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/ksyms.h>
#include <kernel/kstack.h>
#include <kernel/vm.h>
#include "x86.h"

extern char __kernel_start[], __text_start[], __text_end[], __kernel_end[];

/* Frames live in the mapped part of a kernel stack or in the image (boot and
 * IST stacks); anything else ends the walk rather than fault in a panic. */
static bool frame_ok(uint64_t rbp)
{
	uint64_t area = kstack_area();
	uint64_t slot_off = (rbp - area) % (KSTACK_BYTES + KSTACK_GUARD_BYTES);
	bool on_kstack = rbp >= area && rbp < area + KSTACK_AREA_BYTES &&
			 slot_off >= KSTACK_GUARD_BYTES && slot_off + 16 <= KSTACK_BYTES + KSTACK_GUARD_BYTES;
	bool in_image = rbp >= (uint64_t)__text_start && rbp < (uint64_t)__kernel_end;
	return rbp % 8 == 0 && (on_kstack || in_image);
}

enum { MAX_FRAMES = 24 };

static void print_addr(uint64_t addr)
{
	const char *name;
	uint64_t off;
	if (ksyms_lookup(addr, &name, &off))
		kprintf("    %016llx %s+%#llx\n", (unsigned long long)addr, name, (unsigned long long)off);
	else
		kprintf("    %016llx ?\n", (unsigned long long)addr);
}

void backtrace_print(uint64_t rbp, uint64_t rip)
{
	/* the slide, so that a report alone can be read against `nm` */
	kprintf("  backtrace (kernel image slide %#llx):\n",
		(unsigned long long)((uint64_t)__kernel_start - NC_BOOT_KERNEL_VBASE));
	print_addr(rip);
	for (int i = 0; i < MAX_FRAMES; i++) {
		if (!frame_ok(rbp))
			break;
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1];
		if (ret <= (uint64_t)__text_start || ret > (uint64_t)__text_end)
			break;
		print_addr(ret - 1);
		rbp = frame[0];
	}
}

void backtrace_here(void)
{
	uint64_t rbp;
	__asm__ volatile("mov %%rbp, %0" : "=r"(rbp));
	backtrace_print(rbp, (uint64_t)__builtin_return_address(0));
}
