/* Panic and power-off. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/kernel.h>
#include <nc/fmt.h>
#include <stdarg.h>

void kernel_shutdown(void)
{
	kprintf("nexacore: powering off\n");
	if (kernel_acpi.has_s5)
		arch_acpi_sleep(kernel_acpi.pm1a_cnt_port, kernel_acpi.pm1b_cnt_port,
				kernel_acpi.s5_slp_typa, kernel_acpi.s5_slp_typb);
	arch_qemu_exit(0);
	kprintf("nexacore: power-off failed; halted\n");
	arch_halt_forever();
}

static void sink(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	console_write(s, len);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kprintf("\nPANIC: ");
	nc_fmt_vprint(sink, NULL, fmt, ap);
	kprintf("\n");
	va_end(ap);
	if (kernel_test_mode)
		arch_qemu_exit(KERNEL_EXIT_FAIL);
	arch_halt_forever();
}
