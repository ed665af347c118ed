/* In-kernel tests of what the loader handed over (run in the test image, whose
 * initrd holds tests/kernel/initrd/ and whose command line is "test"). */
#include "nc_test.h"
#include <kernel/kernel.h>
#include <kernel/kstack.h>
#include <kernel/vm.h>
#include <nc/initrd.h>
#include <nc/mem.h>

NC_TEST(boot, info_header_valid)
{
	const nc_boot_info_t *bi = kernel_boot_info;
	NC_CHECK_EQ(boot_info_check(bi), BOOT_INFO_OK);
	NC_CHECK(bi->direct_map_bytes >= NC_BOOT_DIRECT_MAP_MIN);
}

/* KASLR: the direct map sits where the loader put it (1 GiB aligned, inside
 * its window; boot_info_check refuses anything else), and the kernel stacks
 * inside theirs. */
NC_TEST(boot, layout_is_randomised_inside_its_windows)
{
	static nc_boot_info_t copy;
	const nc_boot_info_t *bi = kernel_boot_info;
	NC_CHECK_EQ(vm_direct_base, bi->hhdm_base);
	NC_CHECK(bi->hhdm_base % (1ull << 30) == 0 && bi->hhdm_base >= NC_BOOT_HHDM_BASE);
	NC_CHECK(bi->hhdm_base + bi->direct_map_bytes <= NC_BOOT_HHDM_BASE + NC_BOOT_DIRECT_MAP_WINDOW);
	nc_mem_copy(&copy, bi, sizeof copy);
	copy.hhdm_base += 2ull << 20;
	NC_CHECK_EQ(boot_info_check(&copy), BOOT_INFO_ERR_LAYOUT);
	copy.hhdm_base = NC_BOOT_HHDM_BASE + NC_BOOT_DIRECT_MAP_WINDOW;
	NC_CHECK_EQ(boot_info_check(&copy), BOOT_INFO_ERR_LAYOUT);
	uint64_t area = kstack_area();
	NC_CHECK(area % VM_PAGE_BYTES == 0 && area >= VM_KSTACK_BASE);
	NC_CHECK(area + KSTACK_AREA_BYTES <= VM_KSTACK_BASE + VM_KSTACK_WINDOW);
	uint64_t t = kstack_alloc();
	NC_CHECK(t > area && t <= area + KSTACK_AREA_BYTES);
	kstack_free(t);
	nc_test_note("kaslr: direct map %#llx, kernel stacks %#llx", (unsigned long long)bi->hhdm_base,
		     (unsigned long long)area);
}

NC_TEST(boot, memory_map_has_ram_and_kernel)
{
	const nc_boot_info_t *bi = kernel_boot_info;
	uint64_t usable_pages = 0;
	bool kernel_found = false;
	for (uint32_t i = 0; i < bi->n_regions; i++) {
		const nc_boot_mem_region_t *r = &bi->regions[i];
		if (r->type == NC_BOOT_MEM_USABLE)
			usable_pages += r->n_pages;
		if (r->type == NC_BOOT_MEM_KERNEL && r->phys_base <= bi->kernel_phys_base &&
		    bi->kernel_phys_base + bi->kernel_size_bytes <= r->phys_base + r->n_pages * 4096)
			kernel_found = true;
	}
	NC_CHECK(kernel_found);
	/* the test runner gives the guest 256 MiB; firmware keeps some of it */
	NC_CHECK(usable_pages * 4096 >= (128ull << 20));
}

/* KASLR: the image runs where boot_info says, a whole number of pages above
 * its link address, inside its window; both kinds of relocated place (an
 * address in data, R_X86_64_64, and one in an instruction, R_X86_64_32S)
 * agree with a PC-relative address, which needs no relocation; a base the
 * kernel does not run at, or outside the window, is refused. */
static const void *const relocated_pointer = (const void *)boot_info_check;

NC_TEST(boot, kernel_image_slid_inside_its_window)
{
	static nc_boot_info_t copy;
	const nc_boot_info_t *bi = kernel_boot_info;
	uint64_t base = bi->kernel_virt_base, pc_relative;
	NC_CHECK_EQ(base, (uint64_t)__kernel_start);
	NC_CHECK(base % VM_PAGE_BYTES == 0 && base >= NC_BOOT_KERNEL_VBASE);
	NC_CHECK(base + bi->kernel_size_bytes <= NC_BOOT_KERNEL_VBASE + NC_BOOT_KERNEL_WINDOW);
	uint64_t data = (uint64_t)&kernel_boot_info;
	NC_CHECK(data >= base && data < base + bi->kernel_size_bytes);
	__asm__("lea boot_info_check(%%rip), %0" : "=r"(pc_relative));
	NC_CHECK_EQ((uint64_t)relocated_pointer, pc_relative);
	NC_CHECK_EQ((uint64_t)boot_info_check, pc_relative);
	nc_mem_copy(&copy, bi, sizeof copy);
	NC_CHECK_EQ(boot_info_check(&copy), BOOT_INFO_OK);
	uint64_t bad[] = { base + VM_PAGE_BYTES, base - VM_PAGE_BYTES, base + 8,
			   NC_BOOT_KERNEL_VBASE + NC_BOOT_KERNEL_WINDOW, NC_BOOT_KERNEL_VBASE - (2ull << 20), 0 };
	for (unsigned i = 0; i < sizeof bad / sizeof *bad; i++) {
		copy.kernel_virt_base = bad[i];
		NC_CHECK_EQ(boot_info_check(&copy), BOOT_INFO_ERR_IMAGE);
	}
	copy.kernel_virt_base = base;
	copy.kernel_size_bytes = NC_BOOT_KERNEL_WINDOW - (base - NC_BOOT_KERNEL_VBASE) + VM_PAGE_BYTES;
	NC_CHECK_EQ(boot_info_check(&copy), BOOT_INFO_ERR_IMAGE);
	nc_test_note("kaslr: kernel image %#llx (slide %#llx)", (unsigned long long)base,
		     (unsigned long long)(base - NC_BOOT_KERNEL_VBASE));
}

NC_TEST(boot, initrd_holds_fixture)
{
	const nc_boot_info_t *bi = kernel_boot_info;
	NC_CHECK(bi->initrd_phys != 0);
	nc_initrd_entry_t e;
	const uint8_t *buf = (const uint8_t *)(bi->hhdm_base + bi->initrd_phys);
	NC_CHECK_EQ(nc_initrd_find(buf, bi->initrd_size_bytes, "hello.txt", &e), NC_INITRD_OK);
	NC_CHECK_EQ(e.size_bytes, 22);
	NC_CHECK(nc_mem_compare(e.data, "hello from the initrd\n", 22) == 0);
}

NC_TEST(boot, cmdline_and_framebuffer)
{
	const nc_boot_info_t *bi = kernel_boot_info;
	NC_CHECK(boot_cmdline_has(bi, "test"));
	NC_CHECK(!boot_cmdline_has(bi, "tes"));
	NC_CHECK(bi->fb.format == NC_BOOT_FB_RGBX || bi->fb.format == NC_BOOT_FB_BGRX);
	NC_CHECK(bi->fb.width_px >= 640 && bi->fb.pitch_px >= bi->fb.width_px);
}

NC_TEST(acpi, fadt_s5_and_madt_found)
{
	acpi_info_t info;
	NC_CHECK_EQ(acpi_init(kernel_boot_info->acpi_rsdp_phys, kernel_boot_info->hhdm_base, &info),
		    ACPI_OK);
	NC_CHECK(info.has_s5);
	NC_CHECK(info.pm1a_cnt_port != 0);
	NC_CHECK(info.madt_phys != 0);
	NC_CHECK_EQ(acpi_init(0, kernel_boot_info->hhdm_base, &info), ACPI_ERR_NO_RSDP);
}
