/* Address spaces and user copies: map/lookup/unmap, W^X and range checks,
 * destroying a vspace frees every frame, and copies from or to bad user
 * addresses fail cleanly instead of faulting the kernel. */
#include "nc_test.h"
#include <kernel/cpu.h>
#include <kernel/pmm.h>
#include <kernel/usercopy.h>
#include <kernel/vm.h>
#include <arch/cpu.h>

#define UA 0x0000000010000000ull

NC_TEST(vm, map_lookup_unmap_and_destroy_frees_all)
{
	uint64_t before = pmm_stats().free_frames;
	vspace_t *vs;
	NC_CHECK_EQ(vspace_create(NULL, &vs), NC_SYS_OK);
	uint64_t f1 = pmm_alloc_frame(), f2 = pmm_alloc_frame();
	NC_CHECK_EQ(vspace_map(vs, UA, f1, VM_WRITE), VM_OK);
	NC_CHECK_EQ(vspace_map(vs, UA, f2, 0), VM_ERR_EXISTS);
	NC_CHECK_EQ(vspace_map(vs, UA + 4096, f2, VM_WRITE | VM_EXEC), VM_ERR_WX);
	NC_CHECK_EQ(vspace_map(vs, 0xffffffff80000000ull, f2, 0), VM_ERR_RANGE);
	NC_CHECK_EQ(vspace_map(vs, UA + 5, f2, 0), VM_ERR_RANGE);
	NC_CHECK_EQ(vspace_map(vs, 0, f2, 0), VM_ERR_RANGE);
	NC_CHECK_EQ(vspace_map(vs, 0x00007fff00000000ull, f2, VM_EXEC), VM_OK);
	unsigned flags;
	NC_CHECK_EQ(vspace_lookup(vs, UA + 123, &flags), f1);
	NC_CHECK_EQ(flags, VM_USER | VM_WRITE);
	NC_CHECK_EQ(vspace_lookup(vs, 0x00007fff00000000ull, &flags), f2);
	NC_CHECK_EQ(flags, VM_USER | VM_EXEC);
	NC_CHECK_EQ(vspace_unmap(vs, UA), f1);
	NC_CHECK_EQ(vspace_lookup(vs, UA, NULL), 0);
	pmm_free_frame(f1);
	vspace_destroy(vs); /* frees f2 with the tables */
	NC_CHECK_EQ(pmm_stats().free_frames, before);
}

NC_TEST(usercopy, bad_addresses_fail_cleanly)
{
	vspace_t *vs;
	NC_CHECK_EQ(vspace_create(NULL, &vs), NC_SYS_OK);
	uint64_t rw = pmm_alloc_frame(), ro = pmm_alloc_frame();
	NC_CHECK_EQ(vspace_map(vs, UA, rw, VM_WRITE), VM_OK);
	NC_CHECK_EQ(vspace_map(vs, UA + 4096, ro, 0), VM_OK);
	*(uint64_t *)vm_phys_to_virt(ro) = 0x1122334455667788ull;
	uint64_t flags = cpu_read_flags();
	cpu_irq_disable();
	vspace_t *prev = cpu_this()->vspace;
	vspace_switch(prev, vs);
	uint64_t v = 0x55aa;
	usercopy_err_t to_rw = copy_to_user(UA + 8, &v, sizeof v);
	usercopy_err_t to_ro = copy_to_user(UA + 4096, &v, sizeof v);
	uint64_t back = 0;
	usercopy_err_t from_ro = copy_from_user(&back, UA + 4096, sizeof back);
	usercopy_err_t unmapped = copy_from_user(&v, UA + 8192, sizeof v);
	usercopy_err_t straddle = copy_from_user(&v, UA + 8192 - 4, sizeof v);
	usercopy_err_t kernel = copy_from_user(&v, 0xffffffff80000000ull, sizeof v);
	usercopy_err_t wrap = copy_from_user(&v, 0xfffffffffffffff0ull, 0x20);
	usercopy_err_t top = copy_to_user(VM_USER_TOP - 4, &v, 8);
	vspace_switch(vs, prev);
	if (flags & RFLAGS_IF)
		cpu_irq_enable();
	NC_CHECK_EQ(to_rw, USERCOPY_OK);
	NC_CHECK_EQ(*(uint64_t *)((uint8_t *)vm_phys_to_virt(rw) + 8), 0x55aa);
	NC_CHECK_EQ(to_ro, USERCOPY_ERR_FAULT);
	NC_CHECK_EQ(from_ro, USERCOPY_OK);
	NC_CHECK(back == 0x1122334455667788ull);
	NC_CHECK_EQ(unmapped, USERCOPY_ERR_FAULT);
	NC_CHECK_EQ(straddle, USERCOPY_ERR_FAULT);
	NC_CHECK_EQ(kernel, USERCOPY_ERR_RANGE);
	NC_CHECK_EQ(wrap, USERCOPY_ERR_RANGE);
	NC_CHECK_EQ(top, USERCOPY_ERR_RANGE);
	vspace_destroy(vs);
}
