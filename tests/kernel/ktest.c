/* In-kernel test runner (test mode): runs every NC_TEST linked into this
 * kernel (tests/harness) with output on the console and returns the number of
 * failures; kernel_main then runs the user tests through init and reports.
 * With "crash-page-fault" or "crash-stack-overflow" on the command line it
 * then faults on purpose, so tests/boot can check the panic report. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/kernel.h>
#include "nc_test.h"

/* tests/kernel/crash.c: deliberate kernel faults for the panic tests. */
void ktest_crash_if_asked(void);

void nc_test_write(const char *s, size_t len)
{
	console_write(s, len);
}

int ktest_run(void)
{
	kprintf("ktest: running in-kernel tests\n");
	int failed = nc_test_run_all(NULL);
	ktest_crash_if_asked();
	return failed;
}
