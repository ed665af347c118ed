/* The NVMe driver's start (see nvme.h): map BAR 0, bring the controller up,
 * take its I/O interrupt, register namespace 1 as block device nvme<N>n1
 * (N from the device manager's "instance N", 0 without one) and serve.
 * Handles (DriverLoadDevice): the claim, the driver.* capabilities,
 * blk.register, then what the device manager passes: console.write and a
 * control channel (the first channel endpoint in the table), on which the
 * driver says "ready nvme<N>n1" once the device is registered. */
#include "nvme.h"
#include <nc/fmt.h>
#include <nc/mem.h>

static bool alloc_slots(void)
{
	uint64_t per = NVME_SLOT_BYTES + NVME_PAGE, bus, addr;
	nc_sys_err_t err = nc_sys_dma_map(NVME_SLOTS * per, &bus, &addr);
	if (err) {
		nc_print("nvme: no DMA memory for the request buffers: %s\n", nc_sys_err_name(err));
		return false;
	}
	for (int i = 0; i < NVME_SLOTS; i++) {
		slot_t *s = &nvme.slots[i];
		s->buf = (uint8_t *)(addr + i * per);
		s->buf_bus = bus + i * per;
		s->prp_list = (uint64_t *)(addr + i * per + NVME_SLOT_BYTES);
		s->prp_list_bus = bus + i * per + NVME_SLOT_BYTES;
	}
	return true;
}

static bool take_interrupts(void)
{
	uint64_t e[2];
	nc_sys_err_t err = nc_sys_ipc_create_channel(e);
	if (!err)
		err = nc_sys_irq_attach(NVME_IO_VECTOR, e[0]);
	if (err) {
		nc_print("nvme: cannot attach interrupt vector %u: %s\n", NVME_IO_VECTOR, nc_sys_err_name(err));
		return false;
	}
	nvme.irq_channel = e[1];
	return true;
}

int main(const char *arg, size_t arg_len)
{
	nc_driver_args_t a;
	if (!nc_driver_parse(arg, arg_len, &a)) {
		nc_print("nvme: not started by DriverLoad (argument \"%s\")\n", arg);
		return 1;
	}
	nc_sys_err_t err = nc_driver_map_bar(&a, 0, &nvme.regs);
	if (err) {
		nc_print("nvme: %s: cannot map BAR 0: %s\n", a.pci, nc_sys_err_name(err));
		return 1;
	}
	uint64_t ctl = nc_driver_control_channel();
	nvme.timeout_ns = NVME_TIMEOUT_NS;
	/* MSI-X on before the I/O completion queue names its vector (the device checks) */
	if (!alloc_slots() || !take_interrupts() || !nvme_start())
		return 1;
	nc_sys_blk_info_t info;
	nc_mem_set(&info, 0, sizeof info);
	nc_fmt_format(info.name, sizeof info.name, "nvme%un1", nc_driver_instance(ctl));
	info.block_bytes = nvme.block_bytes;
	info.n_blocks = nvme.n_blocks;
	uint64_t reg[2];
	err = nc_sys_ipc_create_channel(reg);
	if (!err)
		err = nc_sys_blk_register_device(&info, reg[0]);
	if (err) {
		nc_print("nvme: cannot register %s: %s\n", info.name, nc_sys_err_name(err));
		return 1;
	}
	nc_thread_t completions;
	if (nc_thread_start(&completions, nvme_completion_thread, NULL))
		return 1;
	if (ctl) {
		char ready[48];
		size_t n = nc_fmt_format(ready, sizeof ready, "ready %s", info.name);
		nc_sys_ipc_send(ctl, ready, n, NULL, 0, 0);
	}
	nvme_start_control(ctl);
	nc_print("nvme: %s: %s, %llu blocks of %u bytes, transfers up to %u KiB\n", a.pci, info.name,
		 (unsigned long long)nvme.n_blocks, nvme.block_bytes, nvme.max_transfer_bytes / 1024);
	nvme_serve(reg[1]);
	return 1;
}
