/* dmatest: a test driver for the NVMe controller (its manifest,
 * dmatest.manifest, declares BAR 0, one vector and a 64 KiB DMA budget),
 * loaded by usertests' drivers.dmatest. From inside a claim it checks that
 * MmioMap maps only declared BARs and never the MSI-X pages, that IrqAttach
 * binds only declared vectors and charges the binding to the driver's
 * memory quota (LIMIT when it is full), that DmaMap keeps to the budget and charges
 * its buffers to the driver's memory quota (LIMIT past it, the charge given
 * back when the buffer is gone) and reuses device addresses DmaUnmap gave
 * back, and that the IOMMU stops the device: an Identify (the controller writes 4 KiB) into a
 * buffer the driver has given back with DmaUnmap (still mapped for the
 * driver, so it can look) leaves its bytes unchanged, and that one and an
 * Identify into a device address never mapped are each reported by the
 * kernel as a DMA fault (the boot script checks the log); the same Identify
 * into a buffer the device may reach fills it. Its tests are ordered cases of
 * the test harness (tests/harness/nc_test.h), one per stage: each stops at
 * its first failed check; it prints PASS/FAIL lines (dmatest.*) and exits
 * with the number of failures. */
#include "../../../user/drivers/nvme/nvme.h"
#include <nc/mem.h>
#include <nc_test_user.h>

enum { PAGE = 4096, BUDGET = 16 * PAGE, OP_IDENTIFY = 0x06, CNS_CONTROLLER = 1, FILL = 0xab };

static const char *arg_text; /* main's argument, arg_bytes long */
static size_t arg_bytes;
static nc_driver_args_t args;
static bool parsed, started; /* args filled (t_args); the controller runs (t_start) */

/* The argument DriverLoad gives a driver: its function, BARs and vectors. */
static bool t_args(void)
{
	NC_REQUIRE(nc_driver_parse(arg_text, arg_bytes, &args));
	parsed = true;
	return true;
}

/* The MSI-X table's page in BAR 0 (from the capability, read with driver.pci). */
static uint64_t msix_table_page(void)
{
	uint64_t at = 0, id = 0, table = 0;
	nc_sys_pci_config_read(args.bdf, 0x34, 1, &at);
	for (int i = 0; i < 48 && at >= 0x40; i++) {
		nc_sys_pci_config_read(args.bdf, at, 1, &id);
		if (id == 0x11) {
			nc_sys_pci_config_read(args.bdf, at + 4, 4, &table);
			return args.bar_phys[0] + (table & ~7ull & ~(uint64_t)(PAGE - 1));
		}
		nc_sys_pci_config_read(args.bdf, at + 1, 1, &at);
	}
	return 0;
}

static bool t_mmio(void)
{
	NC_REQUIRE(parsed);
	uint64_t a, bar = args.bar_phys[0], len = args.bar_bytes[0], table = msix_table_page();
	NC_REQUIRE(nc_sys_mmio_map(bar, len, &a) == NC_SYS_OK); /* mmio_declared_bar */
	NC_REQUIRE(nc_sys_mmio_map(bar - PAGE, PAGE, &a) == NC_SYS_ERR_DENIED); /* mmio_below_the_bar */
	NC_REQUIRE(nc_sys_mmio_map(bar + len, PAGE, &a) == NC_SYS_ERR_DENIED); /* mmio_past_the_bar */
	NC_REQUIRE(nc_sys_mmio_map(bar, len + PAGE, &a) == NC_SYS_ERR_DENIED); /* mmio_across_the_end */
	NC_REQUIRE(nc_sys_mmio_map(bar + 8, PAGE, &a) == NC_SYS_ERR_INVALID); /* mmio_unaligned */
	NC_REQUIRE(nc_sys_mmio_map(bar, 0, &a) == NC_SYS_ERR_INVALID); /* mmio_empty */
	NC_REQUIRE(table && nc_sys_mmio_map(table, PAGE, &a) == NC_SYS_ERR_DENIED); /* mmio_msix_table_is_the_kernels */
	NC_REQUIRE(nc_sys_mmio_map(0xfd000000, PAGE, &a) == NC_SYS_ERR_DENIED); /* mmio_another_functions_bar */
	return true;
}

static uint64_t quota_used(void)
{
	uint64_t v = 0;
	nc_sys_system_info(NC_SYS_INFO_QUOTA_USED_BYTES, &v);
	return v;
}

/* What fills the driver's quota: one big mapping, single pages, then small
 * messages queued on a channel of our own, until less than a queued
 * message's charge is left. */
enum { HELD_MAX = 64 };
typedef struct {
	uint64_t big, big_bytes, held[HELD_MAX], n_held, ch[2];
	unsigned n_queued;
} filler_t;

static bool fill_quota(filler_t *f)
{
	uint64_t limit = 0;
	nc_mem_set(f, 0, sizeof *f);
	if (nc_sys_ipc_create_channel(f->ch))
		return false;
	nc_sys_system_info(NC_SYS_INFO_QUOTA_BYTES, &limit);
	uint64_t room = limit - quota_used();
	f->big_bytes = room > 64 * PAGE ? room - 32 * PAGE : 0;
	if (f->big_bytes && nc_sys_mem_map(0, f->big_bytes, NC_SYS_PROT_READ, &f->big) != NC_SYS_OK)
		f->big = f->big_bytes = 0;
	while (f->n_held < HELD_MAX && nc_sys_mem_map(0, PAGE, NC_SYS_PROT_READ, &f->held[f->n_held]) == NC_SYS_OK)
		f->n_held++;
	nc_sys_err_t err = NC_SYS_OK;
	while (f->n_queued < 2 * NC_SYS_IPC_QUEUE_MAX && !err)
		if (!(err = nc_sys_ipc_send(f->ch[f->n_queued % 2], "q", 1, NULL, 0, 0)))
			f->n_queued++;
	return f->big && f->n_held < HELD_MAX && err == NC_SYS_ERR_LIMIT;
}

static void empty_quota(filler_t *f)
{
	nc_sys_handle_close(f->ch[0]);
	nc_sys_handle_close(f->ch[1]);
	for (uint64_t i = 0; i < f->n_held; i++)
		nc_sys_mem_unmap(f->held[i], PAGE);
	if (f->big)
		nc_sys_mem_unmap(f->big, f->big_bytes);
}

/* Interrupt bindings are checked, and charged to the driver's quota: LIMIT
 * when it is full; the charge (the binding and its two message buffers)
 * stays until the claim ends. */
static bool t_irq(void)
{
	uint64_t e[2], console = 0, info_n = 0;
	nc_sys_handle_info_t info[NC_SYS_HANDLES_MAX];
	NC_REQUIRE(parsed);
	nc_sys_handle_list(0, info, NC_SYS_HANDLES_MAX, &info_n);
	for (uint64_t i = 0; i < info_n && i < NC_SYS_HANDLES_MAX && !console; i++)
		if (info[i].type == NC_SYS_HANDLE_CAP)
			console = info[i].handle;
	nc_sys_ipc_create_channel(e);
	NC_REQUIRE(nc_sys_irq_attach(1, e[0]) == NC_SYS_ERR_INVALID); /* irq_undeclared_vector */
	NC_REQUIRE(nc_sys_irq_attach(0, console) == NC_SYS_ERR_WRONG_TYPE); /* irq_not_a_channel */
	NC_REQUIRE(nc_sys_irq_attach(0, 0xdead) == NC_SYS_ERR_BAD_HANDLE); /* irq_bad_handle */
	filler_t f;
	bool full = fill_quota(&f);
	bool refused = full && nc_sys_irq_attach(0, e[0]) == NC_SYS_ERR_LIMIT;
	empty_quota(&f);
	NC_REQUIRE(refused); /* irq_attach_past_the_quota */
	uint64_t before = quota_used();
	NC_REQUIRE(nc_sys_irq_attach(0, e[0]) == NC_SYS_OK); /* irq_attach */
	uint64_t charged = quota_used() - before;
	NC_REQUIRE(charged > 2 * NC_SYS_IPC_MSG_MAX_BYTES && charged < PAGE); /* irq_attach_charged_to_the_quota */
	NC_REQUIRE(nc_sys_irq_attach(0, e[0]) == NC_SYS_ERR_BUSY); /* irq_attach_twice */
	NC_REQUIRE(quota_used() - before == charged); /* irq_attach_twice_charges_nothing */
	NC_REQUIRE(nc_sys_irq_ack(1) == NC_SYS_ERR_INVALID); /* irq_ack_undeclared */
	NC_REQUIRE(nc_sys_irq_ack(0) == NC_SYS_OK); /* irq_ack */
	return true;
}

/* The PCI command register's bus master bit (offset 4, bit 2). */
static bool bus_master_on(void)
{
	uint64_t command = 0;
	return nc_sys_pci_config_read(args.bdf, 4, 2, &command) == NC_SYS_OK && (command & 4);
}

/* MSI-X on (t_irq): the controller checks it before it takes a queue's
 * vector. Bus mastering waits for the claim's first DMA buffer (nvme_start's
 * queues): until then the device reaches no memory. */
static bool t_start(void)
{
	NC_REQUIRE(parsed);
	NC_REQUIRE(!bus_master_on()); /* no_bus_mastering_before_the_first_dma_buffer */
	NC_REQUIRE(nc_driver_map_bar(&args, 0, &nvme.regs) == NC_SYS_OK);
	NC_REQUIRE(nvme_start());
	NC_REQUIRE(bus_master_on()); /* bus_mastering_with_dma_buffers */
	started = true;
	return true;
}

static bool t_budget(void)
{
	uint64_t bus, a, b;
	NC_REQUIRE(started);
	/* the queues nvme_start took: 5 pages */
	NC_REQUIRE(nc_sys_dma_map(BUDGET - 4 * PAGE, &bus, &a) == NC_SYS_ERR_LIMIT); /* dma_past_the_budget */
	NC_REQUIRE(nc_sys_dma_map(0, &bus, &a) == NC_SYS_ERR_INVALID); /* dma_empty */
	NC_REQUIRE(nc_sys_dma_map(PAGE, (uint64_t *)0x10, &a) == NC_SYS_ERR_BAD_ADDRESS); /* dma_bad_bus_pointer */
	NC_REQUIRE(nc_sys_dma_map(BUDGET - 5 * PAGE, &bus, &a) == NC_SYS_OK); /* dma_up_to_the_budget */
	NC_REQUIRE(nc_sys_dma_map(PAGE, &bus, &b) == NC_SYS_ERR_LIMIT); /* dma_budget_used_up */
	NC_REQUIRE(nc_sys_dma_unmap(a, PAGE) == NC_SYS_ERR_INVALID); /* dma_unmap_wrong_length */
	NC_REQUIRE(nc_sys_dma_unmap(a + PAGE, BUDGET - 5 * PAGE) == NC_SYS_ERR_INVALID); /* dma_unmap_wrong_address */
	NC_REQUIRE(nc_sys_dma_unmap(a, BUDGET - 5 * PAGE) == NC_SYS_OK); /* dma_unmap */
	NC_REQUIRE(nc_sys_dma_map(PAGE, &bus, &b) == NC_SYS_OK && nc_sys_dma_unmap(b, PAGE) == NC_SYS_OK); /* dma_budget_given_back */
	nc_sys_mem_unmap(a, BUDGET - 5 * PAGE);
	nc_sys_mem_unmap(b, PAGE);
	return true;
}

/* A buffer's pages and block are charged to the driver's quota while the
 * buffer exists (the device's or the driver's mapping of it), and come back
 * exactly after (a buffer of the same size before it made the page tables
 * both mappings need). Once ordinary memory has filled the quota, DmaMap
 * gives LIMIT although the budget has room. */
enum { QUOTA_BUF = 4 * PAGE };
static bool t_quota(void)
{
	uint64_t bus, a;
	NC_REQUIRE(started);
	bool ok = nc_sys_dma_map(QUOTA_BUF, &bus, &a) == NC_SYS_OK && nc_sys_dma_unmap(a, QUOTA_BUF) == NC_SYS_OK;
	nc_sys_mem_unmap(a, QUOTA_BUF);
	uint64_t before = quota_used();
	ok = ok && nc_sys_dma_map(QUOTA_BUF, &bus, &a) == NC_SYS_OK;
	uint64_t charged = quota_used() - before;
	NC_REQUIRE(ok && charged > QUOTA_BUF && charged < QUOTA_BUF + PAGE); /* dma_charged_to_the_quota */
	ok = ok && nc_sys_dma_unmap(a, QUOTA_BUF) == NC_SYS_OK;
	NC_REQUIRE(ok && quota_used() - before == charged); /* dma_charged_while_the_driver_maps_it */
	nc_sys_mem_unmap(a, QUOTA_BUF);
	NC_REQUIRE(ok && quota_used() == before); /* dma_charge_given_back */
	filler_t f;
	bool full = fill_quota(&f);
	bool past = full && nc_sys_dma_map(2 * PAGE, &bus, &a) == NC_SYS_ERR_LIMIT;
	empty_quota(&f);
	NC_REQUIRE(past); /* dma_past_the_quota */
	ok = nc_sys_dma_map(2 * PAGE, &bus, &a) == NC_SYS_OK && nc_sys_dma_unmap(a, 2 * PAGE) == NC_SYS_OK;
	nc_sys_mem_unmap(a, 2 * PAGE);
	NC_REQUIRE(ok); /* dma_within_the_quota_again */
	return true;
}

/* Device addresses come back (kernel/iova.h): a buffer DmaUnmap gave back
 * lends its address to the next buffer of its size, and mapping and
 * unmapping far more than the claim's window (WINDOW_FACTOR times the
 * budget; CYCLES here take about 20 windows' worth), with one or two
 * buffers of 1..4 pages alive at a time, never runs out of addresses and
 * stays inside one window's span, so the IOMMU tables stay as they are. */
enum { WINDOW_FACTOR = 4, CYCLES = 400 };
static bool t_reuse(void)
{
	uint64_t bus = 0, a = 0, again = 0, b = 0;
	NC_REQUIRE(started);
	bool ok = nc_sys_dma_map(PAGE, &bus, &a) == NC_SYS_OK && nc_sys_dma_unmap(a, PAGE) == NC_SYS_OK;
	ok = ok && nc_sys_dma_map(PAGE, &again, &b) == NC_SYS_OK;
	NC_REQUIRE(ok && again == bus); /* dma_address_reused */
	nc_sys_mem_unmap(a, PAGE);
	ok = ok && nc_sys_dma_unmap(b, PAGE) == NC_SYS_OK && nc_sys_mem_unmap(b, PAGE) == NC_SYS_OK;
	uint64_t low = bus, high = bus, prev = 0, prev_bytes = 0, device_pages = 0;
	for (unsigned i = 0; ok && i < CYCLES; i++) {
		uint64_t bytes = (1 + i % 4) * PAGE;
		ok = nc_sys_dma_map(bytes, &bus, &a) == NC_SYS_OK;
		if (ok && prev)
			ok = nc_sys_dma_unmap(prev, prev_bytes) == NC_SYS_OK && nc_sys_mem_unmap(prev, prev_bytes) == NC_SYS_OK;
		low = bus < low ? bus : low;
		high = bus + bytes > high ? bus + bytes : high;
		prev = ok ? a : 0;
		prev_bytes = bytes;
		device_pages += bytes / PAGE + 1;
	}
	if (prev)
		ok = ok && nc_sys_dma_unmap(prev, prev_bytes) == NC_SYS_OK && nc_sys_mem_unmap(prev, prev_bytes) == NC_SYS_OK;
	NC_REQUIRE(ok && device_pages > 10 * WINDOW_FACTOR * BUDGET / PAGE); /* dma_map_unmap_past_the_window */
	NC_REQUIRE(ok && high - low <= WINDOW_FACTOR * BUDGET); /* dma_addresses_stay_in_the_window */
	return true;
}

static bool identify_into(uint64_t bus)
{
	nvme_sqe_t c = { .cdw0 = OP_IDENTIFY, .prp1 = bus, .cdw10 = CNS_CONTROLLER };
	return nvme_admin(&c);
}

static bool all(const uint8_t *p, uint8_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static bool t_iommu(void)
{
	uint64_t bus, a;
	NC_REQUIRE(started);
	NC_REQUIRE(nc_sys_dma_map(PAGE, &bus, &a) == NC_SYS_OK); /* iommu_buffer */
	uint8_t *p = (uint8_t *)a;
	nc_mem_set(p, FILL, PAGE);
	NC_REQUIRE(identify_into(bus) && p[0] == 0x36 && p[1] == 0x1b); /* iommu_device_reaches_its_buffer */
	nc_mem_set(p, FILL, PAGE);
	NC_REQUIRE(nc_sys_dma_unmap(a, PAGE) == NC_SYS_OK); /* iommu_dma_unmap */
	nc_print("# dmatest: two DMA faults follow (device %s writing to %#llx and to 0x7000000000)\n", args.pci,
		 (unsigned long long)bus);
	/* QEMU's controller completes these Identifies with a success status
	 * although the IOMMU refused its writes: the bytes and the kernel's fault
	 * reports (checked by drivers_qemu_test.sh) tell what happened */
	identify_into(bus);
	NC_REQUIRE(all(p, FILL, PAGE)); /* iommu_given_back_buffer_unchanged */
	/* a second fault of the same device while the first is still recorded
	 * may be collapsed into it (VT-d fault recording), so give the kernel time to
	 * take the first record */
	nc_sys_sleep(200000000);
	identify_into(0x7000000000ull);
	nc_mem_set(nvme.identify, 0, PAGE);
	bool works = identify_into(nvme.identify_bus) && nvme.identify[0] == 0x36;
	/* the given-back address now names a new buffer: DMA to it reaches
	 * that one only, never the pages it named before */
	uint64_t again = 0, b = 0;
	bool ok = nc_sys_dma_map(PAGE, &again, &b) == NC_SYS_OK && again == bus;
	if (ok)
		nc_mem_set((void *)b, FILL, PAGE);
	bool reused_ok = ok && identify_into(bus) && ((uint8_t *)b)[0] == 0x36 && all(p, FILL, PAGE);
	if (b) {
		nc_sys_dma_unmap(b, PAGE);
		nc_sys_mem_unmap(b, PAGE);
	}
	nc_sys_mem_unmap(a, PAGE);
	NC_REQUIRE(works); /* iommu_controller_still_works */
	NC_REQUIRE(reused_ok); /* iommu_reused_address_reaches_the_new_buffer_only */
	return true;
}

static const nc_test_case_t cases[] = {
	{ "args", t_args },
	{ "mmio", t_mmio },
	{ "irq", t_irq },
	{ "start", t_start },
	{ "dma_budget", t_budget },
	{ "dma_quota", t_quota },
	{ "dma_reuse", t_reuse },
	{ "iommu", t_iommu },
	{ NULL, NULL },
};

int main(const char *arg, size_t arg_len)
{
	static const nc_test_case_t *const tables[] = { cases };
	static const nc_test_plan_t plan = { NULL, NULL, NULL };
	arg_text = arg;
	arg_bytes = arg_len;
	return nc_test_run_cases("dmatest", tables, 1, &plan);
}
