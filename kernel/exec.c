/* ELF64 program loading (see kernel/exec.h). lib/elf validates the whole file
 * (bounds, alignment, overlap, W^X, entry) before any page is mapped; each
 * segment page gets a fresh frame, charged to the vspace's quota, with the
 * file bytes copied in. */
#include <kernel/exec.h>
#include <nc/elf.h>
#include <nc/mem.h>

static nc_sys_err_t map_fresh(vspace_t *vs, uint64_t va, unsigned flags, uint64_t *phys_out)
{
	nc_sys_err_t err;
	uint64_t phys = vspace_alloc_frame(vs, &err);
	if (!phys)
		return err;
	vm_err_t verr = vspace_map(vs, va, phys, flags);
	if (verr != VM_OK) {
		vspace_free_frame(vs, phys);
		return verr == VM_ERR_LIMIT ? NC_SYS_ERR_LIMIT : NC_SYS_ERR_NO_MEMORY;
	}
	*phys_out = phys;
	return NC_SYS_OK;
}

static nc_sys_err_t load_segment(vspace_t *vs, const uint8_t *file, const nc_elf_segment_t *seg)
{
	unsigned flags = ((seg->flags & NC_ELF_SEG_W) ? VM_WRITE : 0) |
			 ((seg->flags & NC_ELF_SEG_X) ? VM_EXEC : 0);
	uint64_t first = seg->vaddr & ~(VM_PAGE_BYTES - 1);
	for (uint64_t va = first; va < seg->vaddr + seg->mem_bytes; va += VM_PAGE_BYTES) {
		uint64_t phys = 0;
		nc_sys_err_t err = map_fresh(vs, va, flags, &phys);
		if (err)
			return err;
		/* the part of [va, va+4K) that the file covers */
		uint64_t lo = va > seg->vaddr ? va : seg->vaddr;
		uint64_t hi = va + VM_PAGE_BYTES;
		if (hi > seg->vaddr + seg->file_bytes)
			hi = seg->vaddr + seg->file_bytes;
		if (lo < hi)
			nc_mem_copy((uint8_t *)vm_phys_to_virt(phys) + (lo - va),
				    file + seg->offset + (lo - seg->vaddr), hi - lo);
	}
	return NC_SYS_OK;
}

nc_sys_err_t exec_load(vspace_t *vs, const uint8_t *file, size_t len_bytes, uint64_t *entry)
{
	nc_elf_image_t img;
	if (nc_elf_parse(file, len_bytes, EXEC_IMAGE_LO, EXEC_IMAGE_HI, &img) != NC_ELF_OK)
		return NC_SYS_ERR_BAD_EXECUTABLE;
	for (uint32_t i = 0; i < img.n_segments; i++) {
		nc_sys_err_t err = load_segment(vs, file, &img.segments[i]);
		if (err)
			return err;
	}
	*entry = img.entry;
	return NC_SYS_OK;
}

nc_sys_err_t exec_setup_stack(vspace_t *vs, const char *arg, uint64_t arg_len, uint64_t *rsp,
			      uint64_t *arg_user)
{
	uint64_t top_phys = 0;
	for (uint64_t va = EXEC_STACK_TOP - EXEC_STACK_BYTES; va < EXEC_STACK_TOP; va += VM_PAGE_BYTES) {
		nc_sys_err_t err = map_fresh(vs, va, VM_WRITE, &top_phys);
		if (err)
			return err;
	}
	/* The argument (NUL-terminated) at the top of the last page. */
	uint64_t arg_va = (EXEC_STACK_TOP - arg_len - 1) & ~15ull;
	uint8_t *page = vm_phys_to_virt(top_phys);
	nc_mem_copy(page + (arg_va - (EXEC_STACK_TOP - VM_PAGE_BYTES)), arg, arg_len);
	*arg_user = arg_va;
	*rsp = arg_va - 16; /* 16-byte aligned, as at a System V process entry */
	return NC_SYS_OK;
}
