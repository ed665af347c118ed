/* Helpers of the driver and block tests (see drivers.h). */
#include "drivers.h"
#include "ut_sys.h"
#include <nc/drvpkg.h>

bool drv_devmgr(const char *cmd, char *reply, size_t cap)
{
	static uint64_t control;
	if (!control)
		control = ut_find_handle(NC_SYS_HANDLE_CHANNEL, NULL);
	uint64_t sizes;
	reply[0] = 0;
	if (!control || nc_sys_ipc_send(control, cmd, nc_str_len(cmd), NULL, 0, NC_SYS_TIMEOUT_INFINITE) ||
	    nc_sys_ipc_receive(control, reply, cap - 1, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes))
		return false;
	reply[(uint32_t)sizes] = 0;
	return nc_str_starts_with(reply, "ok");
}

size_t drv_manifest_offset(const uint8_t *pkg, size_t len)
{
	nc_drvpkg_parts_t parts;
	return nc_drvpkg_parse(pkg, len, &parts) ? 0 : (size_t)(parts.manifest - pkg);
}

size_t drv_image_len(const uint8_t *pkg, size_t len)
{
	nc_drvpkg_parts_t parts;
	return nc_drvpkg_parse(pkg, len, &parts) ? 0 : parts.image_len;
}
