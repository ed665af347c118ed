/* Deliberate kernel faults, on request from the command line (test kernel
 * only): tests/boot/boot_test.sh checks that each gives a panic report with
 * registers and a symbolized backtrace, and a failing QEMU exit. */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <stddef.h>
#include <stdint.h>

void ktest_crash_if_asked(void);

static volatile int depth_limit = 1 << 30;

void ktest_crash_page_fault(void);
void __attribute__((noinline)) ktest_crash_page_fault(void)
{
	uint64_t addr = 0xdead000;
	__asm__("" : "+r"(addr));
	*(volatile uint64_t *)addr = 1;
}

static int __attribute__((noinline)) recurse(int depth)
{
	volatile char pad[256];
	pad[0] = (char)depth;
	if (depth > depth_limit)
		return 0;
	return recurse(depth + 1) + pad[0];
}

/* Runs on a kernel thread: its stack has a guard page below. */
static void overflow_thread(void *arg)
{
	(void)arg;
	recurse(0);
	thread_exit(0);
}

void ktest_crash_if_asked(void)
{
	if (boot_cmdline_has(kernel_boot_info, "crash-page-fault"))
		ktest_crash_page_fault();
	if (boot_cmdline_has(kernel_boot_info, "crash-stack-overflow")) {
		thread_t *t = thread_create_kernel(overflow_thread, NULL);
		if (t) {
			sched_enqueue(t);
			for (;;)
				sched_yield();
		}
	}
}
