/* System-wide calls: AbiVersion, Random, SystemPower (docs/abi.md). */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/kernel.h>
#include <kernel/random.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>

nc_sys_err_t sys_abi_version(uint64_t *version_out)
{
	*version_out = NC_ABI_VERSION;
	return NC_SYS_OK;
}

nc_sys_err_t sys_random(uint64_t buf, uint64_t len_bytes)
{
	uint8_t k[256];
	if (len_bytes > NC_SYS_IO_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	for (uint64_t done = 0; done < len_bytes;) {
		uint64_t n = len_bytes - done < sizeof k ? len_bytes - done : sizeof k;
		random_fill(k, n);
		if (copy_to_user(buf + done, k, n))
			return NC_SYS_ERR_BAD_ADDRESS;
		done += n;
	}
	return NC_SYS_OK;
}

nc_sys_err_t sys_system_power(uint64_t mode)
{
	if (mode == NC_SYS_POWER_OFF)
		kernel_shutdown();
	if (mode == NC_SYS_POWER_REBOOT) {
		kprintf("nexacore: rebooting\n");
		arch_reboot();
	}
	return NC_SYS_ERR_INVALID;
}
