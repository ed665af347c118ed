/* PCI system calls: PciDeviceList, PciConfigRead, PciConfigWrite
 * (docs/drivers.md). Configuration access needs driver.pci on the function's
 * name ("0000:00:03.0"); writes to what the kernel owns (BARs, the ROM BAR,
 * the capability pointer, MSI and MSI-X) are refused. */
#include <kernel/cap.h>
#include <kernel/driver.h>
#include <kernel/heap.h>
#include <kernel/pci.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>
#include <nc/mem.h>

static void describe(const pci_fn_t *f, nc_sys_pci_device_t *out)
{
	nc_mem_set(out, 0, sizeof *out);
	out->bdf = f->bdf;
	out->vendor_device = f->vendor | (uint64_t)f->device << 16;
	out->class_code = f->class_code;
	uint64_t fl = spin_lock(&pci_lock);
	if (f->driver) {
		out->driver_pid = f->driver->pid;
		nc_mem_copy(out->driver, f->driver->name, sizeof out->driver - 1);
	}
	spin_unlock(&pci_lock, fl);
}

nc_sys_err_t sys_pci_device_list(uint64_t entries, uint64_t max_entries, uint64_t *n_out)
{
	uint32_t n = pci_count();
	uint64_t k = max_entries < n ? max_entries : n;
	nc_sys_pci_device_t *buf = k ? heap_alloc(k * sizeof *buf) : NULL;
	if (k && !buf)
		return NC_SYS_ERR_NO_MEMORY;
	for (uint64_t i = 0; i < k; i++)
		describe(pci_at((uint32_t)i), &buf[i]);
	nc_sys_err_t err = k && copy_to_user(entries, buf, k * sizeof *buf) ? NC_SYS_ERR_BAD_ADDRESS : NC_SYS_OK;
	heap_free(buf);
	if (!err)
		*n_out = n;
	return err;
}

/* The function bdf names, after the argument and scope checks both calls share. */
static nc_sys_err_t config_target(uint64_t bdf, uint64_t offset, uint64_t width, pci_fn_t **out)
{
	if ((width != 1 && width != 2 && width != 4) || offset >= PCI_CFG_BYTES || offset % width)
		return NC_SYS_ERR_INVALID;
	pci_fn_t *f = pci_find(bdf);
	if (!f)
		return NC_SYS_ERR_NO_DEVICE;
	nc_sys_err_t err = cap_check("driver.pci", f->name, nc_str_len(f->name));
	if (!err)
		*out = f;
	return err;
}

nc_sys_err_t sys_pci_config_read(uint64_t bdf, uint64_t offset, uint64_t width, uint64_t *value_out)
{
	pci_fn_t *f;
	nc_sys_err_t err = config_target(bdf, offset, width, &f);
	if (!err)
		*value_out = pci_cfg_read(f, (uint32_t)offset, (uint32_t)width);
	return err;
}

nc_sys_err_t sys_pci_config_write(uint64_t bdf, uint64_t offset, uint64_t width, uint64_t value)
{
	pci_fn_t *f;
	nc_sys_err_t err = config_target(bdf, offset, width, &f);
	if (err)
		return err;
	if (value >> (8 * width))
		return NC_SYS_ERR_INVALID;
	if (!pci_cfg_driver_may_write(f, (uint32_t)offset, (uint32_t)width))
		return NC_SYS_ERR_DENIED;
	pci_cfg_write(f, (uint32_t)offset, (uint32_t)width, (uint32_t)value);
	return NC_SYS_OK;
}
