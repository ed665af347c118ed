/* The only way the kernel touches user memory: each copy checks that the
 * whole range lies in user space, then copies with an instruction whose page
 * faults are caught (a bad address gives USERCOPY_ERR_FAULT, never a kernel
 * fault). SMAP is opened only for the copy itself. May be called with
 * interrupts on or off. */
#ifndef KERNEL_USERCOPY_H
#define KERNEL_USERCOPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/arch.h>
#include <kernel/vm.h>

typedef enum {
	USERCOPY_OK = 0,
	USERCOPY_ERR_RANGE,   /* the range is not entirely below VM_USER_TOP (or wraps) */
	USERCOPY_ERR_FAULT,   /* a page of the range is unmapped or not writable */
} usercopy_err_t;

/* Inline: they are on every system call's path. arch_copy_user
 * (kernel/arch/x86_64/usercopy.S) is the fault-tolerant copy. */
static inline bool usercopy_range_ok(uint64_t addr, size_t len_bytes)
{
	return addr + len_bytes >= addr && addr + len_bytes <= VM_USER_TOP;
}

static inline usercopy_err_t copy_from_user(void *dst, uint64_t user_src, size_t len_bytes)
{
	if (!usercopy_range_ok(user_src, len_bytes))
		return USERCOPY_ERR_RANGE;
	return arch_copy_user(dst, (const void *)user_src, len_bytes) ? USERCOPY_ERR_FAULT : USERCOPY_OK;
}

static inline usercopy_err_t copy_to_user(uint64_t user_dst, const void *src, size_t len_bytes)
{
	if (!usercopy_range_ok(user_dst, len_bytes))
		return USERCOPY_ERR_RANGE;
	return arch_copy_user((void *)user_dst, src, len_bytes) ? USERCOPY_ERR_FAULT : USERCOPY_OK;
}

#endif
