/* Device commands: devices (PCI functions and their drivers) and lsblk
 * (registered block devices); docs/drivers.md, docs/block.md. Raw block
 * access is the blk program (`run --grant blk=* blk read nvme0n1 0`). */
#include "nexacore.h"

enum { FUNCTIONS_MAX = 64, DEVICES_MAX = 16 };

static nc_sys_pci_device_t fns[FUNCTIONS_MAX];

/* A name for the common PCI classes (PCI Code and ID Assignment 1.11). */
static const char *class_name(uint64_t c)
{
	static const struct { uint32_t code, mask; const char *name; } names[] = {
		{ 0x010802, 0xffffff, "NVMe controller" }, { 0x010601, 0xffffff, "SATA controller (AHCI)" },
		{ 0x010000, 0xff0000, "storage controller" }, { 0x020000, 0xff0000, "network controller" },
		{ 0x030000, 0xff0000, "display controller" }, { 0x060000, 0xffff00, "host bridge" },
		{ 0x060100, 0xffff00, "ISA bridge" }, { 0x060400, 0xffff00, "PCI bridge" },
		{ 0x0c0500, 0xffff00, "SMBus controller" }, { 0x0c0300, 0xffff00, "USB controller" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if ((c & names[i].mask) == names[i].code)
			return names[i].name;
	return "other";
}

static shell_err_t cmd_devices(shell_t *sh, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return SHELL_ERR_USAGE;
	uint64_t n;
	nc_sys_err_t err = nc_sys_pci_device_list(fns, FUNCTIONS_MAX, &n);
	if (err)
		return shell_os_fail(sh, "PciDeviceList", err);
	shell_printf(sh, "PCI          ID         CLASS   DRIVER      PID  WHAT\n");
	for (uint64_t i = 0; i < n && i < FUNCTIONS_MAX; i++) {
		const nc_sys_pci_device_t *f = &fns[i];
		shell_printf(sh, "%04llx:%02llx:%02llx.%llu %04llx:%04llx %06llx  %-10s %4llu  %s\n",
			     (unsigned long long)(f->bdf >> 16), (unsigned long long)(f->bdf >> 8 & 0xff),
			     (unsigned long long)(f->bdf >> 3 & 31), (unsigned long long)(f->bdf & 7),
			     (unsigned long long)(f->vendor_device & 0xffff), (unsigned long long)(f->vendor_device >> 16),
			     (unsigned long long)f->class_code, f->driver[0] ? f->driver : "-",
			     (unsigned long long)f->driver_pid, class_name(f->class_code));
	}
	return SHELL_OK;
}

static shell_err_t cmd_lsblk(shell_t *sh, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return SHELL_ERR_USAGE;
	nc_sys_blk_info_t info[DEVICES_MAX];
	uint64_t n;
	nc_sys_err_t err = nc_sys_blk_list(info, DEVICES_MAX, &n);
	if (err)
		return shell_os_fail(sh, "BlkList", err);
	shell_printf(sh, "NAME         SIZE(MiB)  BLOCK     BLOCKS  RO  DRIVER PID\n");
	for (uint64_t i = 0; i < n && i < DEVICES_MAX; i++)
		shell_printf(sh, "%-12s %9llu %6llu %10llu  %-2s  %llu\n", info[i].name,
			     (unsigned long long)(info[i].block_bytes * info[i].n_blocks >> 20),
			     (unsigned long long)info[i].block_bytes, (unsigned long long)info[i].n_blocks,
			     info[i].flags & NC_SYS_BLK_READ_ONLY ? "ro" : "-", (unsigned long long)info[i].driver_pid);
	if (n == 0)
		shell_printf(sh, "(no block devices)\n");
	return SHELL_OK;
}

const shell_cmd_t shell_dev_cmds[] = {
	{ "devices", "devices", "PCI functions and their drivers", cmd_devices, false },
	{ "lsblk", "lsblk", "block devices", cmd_lsblk, false },
};
const size_t shell_n_dev_cmds = sizeof shell_dev_cmds / sizeof shell_dev_cmds[0];
