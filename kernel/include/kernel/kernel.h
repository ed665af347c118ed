/* Kernel-wide state and entry points that are not a subsystem of their own. */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdbool.h>
#include <nc/boot_info.h>
#include <kernel/acpi.h>

/* Set once by kernel_main before anything else runs; read-only afterwards. */
extern const nc_boot_info_t *kernel_boot_info;
extern acpi_info_t kernel_acpi;
extern bool kernel_test_mode;   /* "test" on the command line */

typedef enum {
	BOOT_INFO_OK = 0,
	BOOT_INFO_ERR_MAGIC,
	BOOT_INFO_ERR_VERSION,
	BOOT_INFO_ERR_SIZE,
	BOOT_INFO_ERR_REGIONS,    /* count out of range, unsorted or overlapping */
	BOOT_INFO_ERR_CMDLINE,    /* not NUL-terminated */
	BOOT_INFO_ERR_TEE,        /* device secret or certificate longer than their fields */
	BOOT_INFO_ERR_LAYOUT,     /* direct map not 1 GiB aligned or outside its window */
	BOOT_INFO_ERR_IMAGE,      /* kernel image base not where it runs, not page aligned or
				     outside [NC_BOOT_KERNEL_VBASE, + NC_BOOT_KERNEL_WINDOW) */
} boot_info_err_t;

/* The image's bounds where it runs (kernel.ld; the loader slides it: KASLR). */
extern char __kernel_start[], __kernel_end[];

boot_info_err_t boot_info_check(const nc_boot_info_t *bi);
const char *boot_info_err_name(boot_info_err_t err);
/* True when word appears as a whole space-separated word of the command line. */
bool boot_cmdline_has(const nc_boot_info_t *bi, const char *word);

/* Stop: print "PANIC: ..." and a backtrace and, in test mode, exit QEMU with failure. */
/* Enter panic state early (before printing a report): stop the other CPUs
 * and let this one use the console without its lock. */
void panic_begin(void);
/* The end of a panic whose report is printed: exit QEMU with failure in test
 * mode, else halt. */
void panic_stop(void) __attribute__((noreturn));
extern volatile bool kernel_panicking;
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Power off through ACPI S5 (or QEMU's exit device); never returns. */
void kernel_shutdown(void) __attribute__((noreturn));
/* Test mode: run the in-kernel tests (with interrupts on, all CPUs up,
 * before init) and return the number that failed. Linked into
 * nexacore-test.elf only; weak so the plain kernel sees NULL. */
int ktest_run(void) __attribute__((weak));

enum { KERNEL_EXIT_PASS = 0x10, KERNEL_EXIT_FAIL = 0x11 };

#endif
