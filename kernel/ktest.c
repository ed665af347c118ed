/* In-kernel test runner (test mode): runs every NC_TEST linked into this
 * kernel (tests/harness) with output on the console, then exits QEMU with
 * KERNEL_EXIT_PASS or KERNEL_EXIT_FAIL for scripts/qemu-test. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/kernel.h>
#include "nc_test.h"

void nc_test_write(const char *s, size_t len)
{
	console_write(s, len);
}

void ktest_run(void)
{
	kprintf("ktest: running in-kernel tests\n");
	int failed = nc_test_run_all(NULL);
	arch_qemu_exit(failed ? KERNEL_EXIT_FAIL : KERNEL_EXIT_PASS);
	panic("ktest: isa-debug-exit device missing; cannot report the result");
}
