/* Panic and power-off. A panic stops the other CPUs first, so its report
 * is the last thing on the console. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/kernel.h>
#include <nc/fmt.h>
#include <stdarg.h>
#include <arch/cpu.h>

enum { POWER_OFF_SPINS = 50 * 1000 * 1000 };

void kernel_shutdown(void)
{
	kprintf("nexacore: powering off\n");
	arch_halt_others();
	if (kernel_acpi.has_s5)
		arch_acpi_sleep(kernel_acpi.pm1a_cnt_port, kernel_acpi.pm1b_cnt_port,
				kernel_acpi.s5_slp_typa, kernel_acpi.s5_slp_typb);
	/* the power-off may take effect a little after the port write */
	for (unsigned i = 0; i < POWER_OFF_SPINS; i++)
		cpu_pause();
	arch_qemu_exit(0);
	kprintf("nexacore: power-off failed; halted\n");
	arch_halt_forever();
}

static void sink(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	console_write(s, len);
}

volatile bool kernel_panicking;

void panic_begin(void)
{
	if (__atomic_exchange_n(&kernel_panicking, true, __ATOMIC_SEQ_CST))
		return;
	arch_halt_others();
}

void panic(const char *fmt, ...)
{
	va_list ap;
	panic_begin();
	va_start(ap, fmt);
	kprintf("\nPANIC: ");
	nc_fmt_vprint(sink, NULL, fmt, ap);
	kprintf("\n");
	va_end(ap);
	backtrace_here();
	panic_stop();
}

void panic_stop(void)
{
	if (kernel_test_mode)
		arch_qemu_exit(KERNEL_EXIT_FAIL);
	arch_halt_forever();
}
