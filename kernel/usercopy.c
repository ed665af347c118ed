/* User-memory copies (see kernel/usercopy.h): range check, then the
 * fault-tolerant copy in kernel/arch/x86_64/usercopy.S. */
#include <kernel/arch.h>
#include <kernel/usercopy.h>
#include <kernel/vm.h>

static bool range_ok(uint64_t addr, size_t len_bytes)
{
	return addr + len_bytes >= addr && addr + len_bytes <= VM_USER_TOP;
}

usercopy_err_t copy_from_user(void *dst, uint64_t user_src, size_t len_bytes)
{
	if (!range_ok(user_src, len_bytes))
		return USERCOPY_ERR_RANGE;
	return arch_copy_user(dst, (const void *)user_src, len_bytes) ? USERCOPY_ERR_FAULT : USERCOPY_OK;
}

usercopy_err_t copy_to_user(uint64_t user_dst, const void *src, size_t len_bytes)
{
	if (!range_ok(user_dst, len_bytes))
		return USERCOPY_ERR_RANGE;
	return arch_copy_user((void *)user_dst, src, len_bytes) ? USERCOPY_ERR_FAULT : USERCOPY_OK;
}
