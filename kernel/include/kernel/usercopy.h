/* The only way the kernel touches user memory: each copy checks that the
 * whole range lies in user space, then copies with an instruction whose page
 * faults are caught (a bad address gives USERCOPY_ERR_FAULT, never a kernel
 * fault). SMAP is opened only for the copy itself. May be called with
 * interrupts on or off. */
#ifndef KERNEL_USERCOPY_H
#define KERNEL_USERCOPY_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
	USERCOPY_OK = 0,
	USERCOPY_ERR_RANGE,   /* the range is not entirely below VM_USER_TOP (or wraps) */
	USERCOPY_ERR_FAULT,   /* a page of the range is unmapped or not writable */
} usercopy_err_t;

usercopy_err_t copy_from_user(void *dst, uint64_t user_src, size_t len_bytes);
usercopy_err_t copy_to_user(uint64_t user_dst, const void *src, size_t len_bytes);

#endif
