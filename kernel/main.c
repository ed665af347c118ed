/* Kernel entry (C side): check the boot info, bring up the consoles, print
 * the banner and what the loader handed over, then run the in-kernel tests
 * (test mode) or power off. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/kernel.h>
#include <nc/abi.h>
#include <nc/version.h>

const nc_boot_info_t *kernel_boot_info;
acpi_info_t kernel_acpi;
bool kernel_test_mode;

void kernel_main(uint64_t boot_info_addr);

static void print_memory(const nc_boot_info_t *bi)
{
	uint64_t usable = 0, loader = 0;
	for (uint32_t i = 0; i < bi->n_regions; i++) {
		if (bi->regions[i].type == NC_BOOT_MEM_USABLE)
			usable += bi->regions[i].n_pages;
		if (bi->regions[i].type == NC_BOOT_MEM_LOADER)
			loader += bi->regions[i].n_pages;
	}
	kprintf("memory: %u regions, %llu MiB usable, %llu KiB loader data\n", bi->n_regions,
		(unsigned long long)(usable * 4096 >> 20), (unsigned long long)(loader * 4));
	kprintf("kernel: %llu KiB at phys %#llx\n", (unsigned long long)(bi->kernel_size_bytes >> 10),
		(unsigned long long)bi->kernel_phys_base);
}

static void print_boot_info(const nc_boot_info_t *bi)
{
	print_memory(bi);
	if (bi->fb.format != NC_BOOT_FB_NONE)
		kprintf("framebuffer: %ux%u\n", bi->fb.width_px, bi->fb.height_px);
	else
		kprintf("framebuffer: none\n");
	kprintf("initrd: %llu bytes\n", (unsigned long long)bi->initrd_size_bytes);
	kprintf("cmdline: \"%s\"\n", bi->cmdline);
}

void kernel_main(uint64_t boot_info_addr)
{
	const nc_boot_info_t *bi = (const nc_boot_info_t *)boot_info_addr;
	console_init();
	boot_info_err_t err = boot_info_check(bi);
	if (err)
		panic("boot info from the loader rejected: %s", boot_info_err_name(err));
	kernel_boot_info = bi;
	kernel_test_mode = boot_cmdline_has(bi, "test");
	console_attach_framebuffer(&bi->fb, bi->hhdm_base);
	kprintf("NexaCore %s (ABI v%u)\n", NC_OS_VERSION, NC_ABI_VERSION);
	print_boot_info(bi);
	acpi_err_t aerr = acpi_init(bi->acpi_rsdp_phys, bi->hhdm_base, &kernel_acpi);
	kprintf("acpi: %s\n", acpi_err_name(aerr));
	if (kernel_test_mode && ktest_run)
		ktest_run();
	if (kernel_test_mode)
		panic("test mode requested, but this kernel has no tests (use nexacore-test.elf)");
	kernel_shutdown();
}
