/* Kernel entry (C side): check and keep the boot info, start the measurement
 * log and the TEE device from it (docs/attestation.md), bring up memory (frame
 * allocator, own page tables, heap), the boot CPU (traps, features, timer),
 * the other CPUs, then start init from the initrd. In test mode the in-kernel
 * tests run first, and init's exit status decides the verdict; otherwise the
 * machine powers off when init ends. */
#include <kernel/arch.h>
#include <kernel/cap.h>
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/console_input.h>
#include <kernel/cpu.h>
#include <kernel/initrd.h>
#include <kernel/iommu.h>
#include <kernel/kernel.h>
#include <kernel/kstack.h>
#include <kernel/measure.h>
#include <kernel/pci.h>
#include <kernel/pmm.h>
#include <kernel/process.h>
#include <kernel/random.h>
#include <kernel/sched.h>
#include <kernel/tee.h>
#include <kernel/vm.h>
#include <nc/abi.h>
#include <nc/mem.h>
#include <nc/version.h>
#include <arch/cpu.h>

const nc_boot_info_t *kernel_boot_info;
acpi_info_t kernel_acpi;
bool kernel_test_mode;

static nc_boot_info_t boot_info_copy; /* the loader's copy is reclaimed */
static int ktest_failures;

extern char boot_stack_top[];

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

static void init_memory(const nc_boot_info_t *bi)
{
	pmm_init(bi);
	vm_init(bi);
	pmm_reclaim_loader(bi, bi->initrd_phys, bi->initrd_size_bytes);
	initrd_init(bi->initrd_phys, bi->initrd_size_bytes);
	pmm_stats_t s = pmm_stats();
	kprintf("pmm: %llu frames, %llu free\n", (unsigned long long)s.total_frames,
		(unsigned long long)s.free_frames);
}

static void on_init_exit(uint64_t status)
{
	kprintf("nexacore: init exited with status %#llx\n", (unsigned long long)status);
	if (kernel_test_mode) {
		bool pass = ktest_failures == 0 && status == 0;
		kprintf("nexacore: test run %s\n", pass ? "passed" : "failed");
		arch_qemu_exit(pass ? KERNEL_EXIT_PASS : KERNEL_EXIT_FAIL);
		panic("test mode: isa-debug-exit device missing; cannot report the result");
	}
	kernel_shutdown();
}

static void start_init(void)
{
	static const char manifest[] = "init.manifest";
	process_t *init;
	process_init_exited = on_init_exit;
	handle_table_t *roots = cap_root_table();
	if (!roots)
		panic("no memory for init's capabilities");
	/* init's quota: every frame free now (the root of every later quota) */
	uint64_t quota_bytes = pmm_stats().free_frames * PMM_FRAME_BYTES;
	nc_sys_err_t err = process_spawn(NULL, "init", manifest, sizeof manifest - 1, roots, quota_bytes, NULL, &init);
	if (err)
		panic("cannot start init from the initrd: %s", nc_sys_err_name(err));
}

void kernel_main(uint64_t boot_info_addr)
{
	const nc_boot_info_t *bi = (const nc_boot_info_t *)boot_info_addr;
	vm_direct_base = bi->hhdm_base; /* before any vm_phys_to_virt */
	console_init();
	boot_info_err_t err = boot_info_check(bi);
	if (err)
		panic("boot info from the loader rejected: %s", boot_info_err_name(err));
	nc_mem_copy(&boot_info_copy, bi, sizeof boot_info_copy);
	measure_init(&boot_info_copy);
	tee_init(&boot_info_copy.tee, &((nc_boot_info_t *)boot_info_addr)->tee);
	bi = kernel_boot_info = &boot_info_copy;
	kernel_test_mode = boot_cmdline_has(bi, "test");
	console_attach_framebuffer(&bi->fb, bi->hhdm_base);
	kprintf("NexaCore %s (ABI v%u)\n", NC_OS_VERSION, NC_ABI_VERSION);
	print_boot_info(bi);
	init_memory(bi);
	acpi_err_t aerr = acpi_init(bi->acpi_rsdp_phys, bi->hhdm_base, &kernel_acpi);
	kprintf("acpi: %s\n", acpi_err_name(aerr));
	pci_init(kernel_acpi.mcfg_phys);
	iommu_init(kernel_acpi.dmar_phys);
	arch_boot_cpu_init();
	if (!random_init())
		kprintf("random: no RDSEED/RDRAND; CSPRNG seeded from TSC jitter only\n");
	clock_wall_init();
	kstack_place();
	kprintf("kaslr: direct map at %#llx, kernel stacks at %#llx, kernel image at %#llx (slide %#llx)\n",
		(unsigned long long)vm_direct_base, (unsigned long long)kstack_area(),
		(unsigned long long)bi->kernel_virt_base,
		(unsigned long long)(bi->kernel_virt_base - NC_BOOT_KERNEL_VBASE));
	cap_token_init();
	sched_init_cpu(thread_adopt_boot((uint64_t)boot_stack_top));
	arch_smp_start(kernel_acpi.madt_phys, kernel_test_mode && boot_cmdline_has(bi, "smp-give-up"));
	arch_timer_start();
	arch_console_input_start();
	cpu_irq_enable();
	if (kernel_test_mode && !ktest_run)
		panic("test mode requested, but this kernel has no tests (use nexacore-test.elf)");
	/* "no-ktests": a test boot of its own for user-space tests (the drivers
	 * boot); the test image's main boot runs the in-kernel tests */
	if (kernel_test_mode && !boot_cmdline_has(bi, "no-ktests"))
		ktest_failures = ktest_run();
	start_init();
	sched_idle_loop();
}
