/* Drivers (docs/drivers.md), in the drivers boot (tests/user/drivers_qemu_test.sh):
 * q35 with -device intel-iommu and an NVMe controller, init running
 * "devmgr --control usertests only:drivers.", so usertests runs as the device
 * manager's child with its control channel. PCI enumeration and
 * configuration access, package verification (every tampering case, a
 * manifest claiming a BAR the device lacks, a second driver for a claimed
 * function: each a named error, nothing started), the driver calls refused
 * without a claim, and the dmatest driver (tests/user/drivers/dmatest.c),
 * which checks MMIO, interrupts and DMA from inside a claim, including the
 * IOMMU refusing a DMA to memory the device was not given. */
#include "ut_sys.h"
#include "drivers.h"

enum { FUNCTIONS_MAX = 64, NVME_CLASS = 0x010802, PKG_MAX = 512 * 1024 };

static nc_sys_pci_device_t fns[FUNCTIONS_MAX];

/* The NVMe function, or NULL. */
static const nc_sys_pci_device_t *nvme_fn(void)
{
	uint64_t n = 0;
	if (nc_sys_pci_device_list(fns, FUNCTIONS_MAX, &n))
		return NULL;
	for (uint64_t i = 0; i < n && i < FUNCTIONS_MAX; i++)
		if (fns[i].class_code == NVME_CLASS)
			return &fns[i];
	return NULL;
}

static bool t_pci_list(void)
{
	uint64_t n = 0, n2 = 0;
	NC_EXPECT_SYS(nc_sys_pci_device_list(NULL, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n >= 4 && n <= FUNCTIONS_MAX); /* q35: host bridge, VGA, NVMe, ISA, SATA, SMBus */
	NC_EXPECT_SYS(nc_sys_pci_device_list(fns, 2, &n2), NC_SYS_OK);
	NC_REQUIRE(n2 == n);
	NC_EXPECT_SYS(nc_sys_pci_device_list((void *)UT_KERNEL_ADDR, 2, &n2), NC_SYS_ERR_BAD_ADDRESS);
	const nc_sys_pci_device_t *f = nvme_fn();
	NC_REQUIRE(f != NULL);
	NC_REQUIRE(f->vendor_device == (0x1b36 | 0x0010ull << 16));
	NC_REQUIRE(f->driver_pid != 0 && nc_str_compare(f->driver, "nvme") == 0);
	NC_REQUIRE(fns[0].bdf == 0 && fns[0].driver_pid == 0); /* the host bridge: no driver */
	return true;
}

static bool t_pci_config(void)
{
	const nc_sys_pci_device_t *f = nvme_fn();
	NC_REQUIRE(f != NULL);
	uint64_t v;
	NC_EXPECT_SYS(nc_sys_pci_config_read(f->bdf, 0, 4, &v), NC_SYS_OK);
	NC_REQUIRE(v == f->vendor_device);
	NC_EXPECT_SYS(nc_sys_pci_config_read(f->bdf, 0, 2, &v), NC_SYS_OK);
	NC_REQUIRE(v == 0x1b36);
	NC_EXPECT_SYS(nc_sys_pci_config_read(f->bdf, 0x0a, 1, &v), NC_SYS_OK);
	NC_REQUIRE(v == 0x08); /* subclass: NVM controller */
	NC_EXPECT_SYS(nc_sys_pci_config_read(f->bdf, 1, 2, &v), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_pci_config_read(f->bdf, 0, 3, &v), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_pci_config_read(f->bdf, 4096, 4, &v), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_pci_config_read(0xffffff, 0, 4, &v), NC_SYS_ERR_NO_DEVICE);
	/* the BARs, the ROM BAR, the capability pointer and MSI-X stay the kernel's */
	NC_EXPECT_SYS(nc_sys_pci_config_write(f->bdf, 0x10, 4, 0), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_pci_config_write(f->bdf, 0x12, 2, 0), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_pci_config_write(f->bdf, 0x30, 4, 0), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_pci_config_write(f->bdf, 0x34, 1, 0), NC_SYS_ERR_DENIED);
	uint64_t cap = 0, id = 0;
	NC_EXPECT_SYS(nc_sys_pci_config_read(f->bdf, 0x34, 1, &cap), NC_SYS_OK);
	for (int i = 0; i < 48 && cap >= 0x40 && id != 0x11; i++) {
		NC_EXPECT_SYS(nc_sys_pci_config_read(f->bdf, cap, 1, &id), NC_SYS_OK);
		if (id != 0x11)
			NC_EXPECT_SYS(nc_sys_pci_config_read(f->bdf, cap + 1, 1, &cap), NC_SYS_OK);
	}
	NC_REQUIRE(id == 0x11);
	NC_EXPECT_SYS(nc_sys_pci_config_write(f->bdf, cap + 2, 2, 0), NC_SYS_ERR_DENIED);
	/* an ordinary register: the cache line size */
	NC_EXPECT_SYS(nc_sys_pci_config_write(f->bdf, 0x0c, 1, 0x10), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_pci_config_read(f->bdf, 0x0c, 1, &v), NC_SYS_OK);
	NC_REQUIRE(v == 0x10);
	NC_EXPECT_SYS(nc_sys_pci_config_write(f->bdf, 0x0c, 1, 0x100), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_pci_config_write(0xffffff, 0x0c, 1, 0), NC_SYS_ERR_NO_DEVICE);
	return true;
}

/* Child with driver.pci on another function only, and driver.list. */
static int child_pci_scope(void)
{
	const nc_sys_pci_device_t *f = nvme_fn();
	uint64_t v;
	NC_EXPECT_CHILD(f != NULL, true);
	NC_EXPECT_CHILD(nc_sys_pci_config_read(f->bdf, 0, 4, &v), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_pci_config_read(0, 0, 4, &v), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_pci_config_write(f->bdf, 0x0c, 1, 0), NC_SYS_ERR_DENIED);
	return 0;
}

static bool t_pci_scope(void)
{
	uint64_t caps[2], st;
	NC_EXPECT_SYS(ut_attenuate("driver", "driver.pci", "0000:00:00.0", NC_SYS_RIGHT_TRANSFER, 0, &caps[0]), NC_SYS_OK);
	NC_EXPECT_SYS(ut_attenuate("driver", "driver.list", "*", NC_SYS_RIGHT_TRANSFER, 0, &caps[1]), NC_SYS_OK);
	bool ok = ut_spawn_with("drivers_pci_scope", caps, 2, &st);
	nc_sys_handle_close(caps[0]);
	nc_sys_handle_close(caps[1]);
	if (!ok)
		return false;
	return st == 0 ? true : NC_FAIL("child failed at line %llu", (unsigned long long)st);
}

/* ---- packages ----------------------------------------------------------- */

/* Read initrd file name into buf (PKG_MAX bytes); its length, 0 on failure. */
static uint64_t read_package(const char *name, uint8_t *buf)
{
	uint64_t done = 0, n;
	while (nc_sys_initrd_read(name, nc_str_len(name), buf + done, PKG_MAX - done, done, &n) == NC_SYS_OK && n)
		done += n;
	return done;
}

/* The process's children: none may appear when a load is refused. */
static bool no_child(void)
{
	uint64_t st, pid;
	return nc_sys_process_wait(0, &st, 0, &pid) == NC_SYS_ERR_NO_CHILD;
}

/* Run body with two PKG_MAX-byte package buffers from the heap: static ones
 * would be part of every usertests process, and test children run in quotas
 * of a few MiB. */
static bool with_packages(bool (*body)(uint8_t *pkg, uint8_t *bad))
{
	uint8_t *pkg = nc_malloc(2 * PKG_MAX);
	if (!pkg)
		return NC_FAIL("no memory for two %u-byte packages", PKG_MAX);
	bool ok = body(pkg, pkg + PKG_MAX);
	nc_free(pkg);
	return ok;
}

static bool load_refusals(uint8_t *pkg, uint8_t *bad)
{
	const nc_sys_pci_device_t *f = nvme_fn();
	NC_REQUIRE(f != NULL);
	uint64_t driver = f->driver_pid, n = read_package("nvme.pkg", pkg), pid = 0;
	NC_REQUIRE(n > 4096);
	NC_REQUIRE(no_child());
	/* the function is claimed by devmgr's driver: a second one is refused */
	NC_EXPECT_SYS(nc_sys_driver_load_device(pkg, n, f->bdf, NULL, 0, &pid), NC_SYS_ERR_BUSY);
	NC_EXPECT_SYS(nc_sys_driver_load(pkg, n, &pid), NC_SYS_ERR_BUSY);
	/* a function the manifest does not match, and one that does not exist */
	NC_EXPECT_SYS(nc_sys_driver_load_device(pkg, n, 0, NULL, 0, &pid), NC_SYS_ERR_NO_DEVICE);
	NC_EXPECT_SYS(nc_sys_driver_load_device(pkg, n, 0xffffff, NULL, 0, &pid), NC_SYS_ERR_NO_DEVICE);
	/* tampering: a manifest byte (its version), an image byte, a signature byte */
	size_t man = drv_manifest_offset(pkg, n), img = n - drv_image_len(pkg, n);
	NC_REQUIRE(man > 0 && img > man);
	nc_mem_copy(bad, pkg, n);
	bad[man + 6] ^= 1;
	NC_EXPECT_SYS(nc_sys_driver_load_device(bad, n, f->bdf, NULL, 0, &pid), NC_SYS_ERR_BAD_SIGNATURE);
	nc_mem_copy(bad, pkg, n);
	bad[img + 1000] ^= 0x40;
	NC_EXPECT_SYS(nc_sys_driver_load_device(bad, n, f->bdf, NULL, 0, &pid), NC_SYS_ERR_BAD_HASH);
	nc_mem_copy(bad, pkg, n);
	bad[img - 10] ^= 1; /* the last bytes of the signature */
	NC_EXPECT_SYS(nc_sys_driver_load_device(bad, n, f->bdf, NULL, 0, &pid), NC_SYS_ERR_BAD_SIGNATURE);
	NC_EXPECT_SYS(nc_sys_driver_load_device(pkg, n - 1, f->bdf, NULL, 0, &pid), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_driver_load_device(pkg, 0, f->bdf, NULL, 0, &pid), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_driver_load_device((void *)UT_KERNEL_ADDR, n, f->bdf, NULL, 0, &pid), NC_SYS_ERR_BAD_ADDRESS);
	/* signed by a key the kernel does not trust */
	uint64_t un = read_package("untrusted.tpkg", bad);
	NC_REQUIRE(un > 4096);
	NC_EXPECT_SYS(nc_sys_driver_load_device(bad, un, f->bdf, NULL, 0, &pid), NC_SYS_ERR_UNTRUSTED);
	/* a trusted manifest claiming BAR 5, which the controller lacks */
	un = read_package("badbar.tpkg", bad);
	NC_REQUIRE(un > 4096);
	NC_EXPECT_SYS(nc_sys_driver_load_device(bad, un, f->bdf, NULL, 0, &pid), NC_SYS_ERR_NO_DEVICE);
	/* nothing was started or changed */
	NC_REQUIRE(no_child());
	NC_REQUIRE(nvme_fn() && nvme_fn()->driver_pid == driver);
	return true;
}

static bool t_load_refusals(void) { return with_packages(load_refusals); }

/* Child without driver.load: DENIED before anything is looked at. */
static int child_no_load(void)
{
	uint8_t pkg[10] = { 0 };
	uint64_t pid;
	NC_EXPECT_CHILD(nc_sys_driver_load(pkg, 10, &pid), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_driver_load_device(pkg, 10, 0, NULL, 0, &pid), NC_SYS_ERR_DENIED);
	return 0;
}

static bool t_load_denied(void)
{
	return ut_child_ok("drivers_no_load", NULL, 0);
}

/* Without a claim (no HANDLE_DEVICE), the driver calls are refused even with
 * every driver.* capability. */
static bool t_no_claim(void)
{
	uint64_t addr, bus, e[2];
	const nc_sys_pci_device_t *f = nvme_fn();
	NC_REQUIRE(f != NULL);
	NC_EXPECT_SYS(nc_sys_mmio_map(0xfe000000, 4096, &addr), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_dma_map(4096, &bus, &addr), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_dma_unmap(0x100000000000ull, 4096), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_irq_attach(0, e[0]), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_irq_ack(0), NC_SYS_ERR_DENIED);
	nc_sys_handle_close(e[0]);
	nc_sys_handle_close(e[1]);
	return true;
}

/* The dmatest driver on the NVMe function: devmgr stops nvme0 (the function
 * is free), a trusted package whose image is no ELF file is refused
 * (BAD_EXECUTABLE: verified and claimed, then nothing started and the
 * function free again), this process loads dmatest.tpkg with
 * DriverLoadDevice, dmatest prints its own PASS/FAIL lines and exits with
 * its failure count, then devmgr starts nvme0 again. */
static bool dmatest(uint8_t *pkg, uint8_t *bad)
{
	const nc_sys_pci_device_t *f = nvme_fn();
	NC_REQUIRE(f != NULL);
	uint64_t bdf = f->bdf, n = read_package("dmatest.tpkg", pkg), nb = read_package("badelf.tpkg", bad);
	uint64_t pid, st, reaped, console;
	NC_REQUIRE(n > 4096 && nb > 0);
	char reply[64];
	if (!drv_devmgr("stop nvme0", reply, sizeof reply))
		return NC_FAIL("devmgr: stop nvme0: %s", reply);
	nc_sys_err_t bad_err = nc_sys_driver_load_device(bad, nb, bdf, NULL, 0, &pid);
	bool refused = bad_err == NC_SYS_ERR_BAD_EXECUTABLE && no_child() && nvme_fn() && nvme_fn()->driver_pid == 0;
	NC_EXPECT_SYS(ut_attenuate("console", "console.write", "*", NC_SYS_RIGHT_TRANSFER, 0, &console), NC_SYS_OK);
	nc_sys_err_t err = nc_sys_driver_load_device(pkg, n, bdf, &console, 1, &pid);
	nc_sys_handle_close(console);
	bool ran = !err && nc_sys_process_wait(pid, &st, NC_SYS_TIMEOUT_INFINITE, &reaped) == NC_SYS_OK;
	bool back = drv_devmgr("start nvme0", reply, sizeof reply);
	if (!refused)
		return NC_FAIL("badelf.tpkg: %s (BAD_EXECUTABLE, no child and the function free expected)",
			       nc_sys_err_name(bad_err));
	if (err)
		return NC_FAIL("DriverLoadDevice of dmatest: %s (devmgr said %s)", nc_sys_err_name(err), reply);
	NC_REQUIRE(ran && back);
	return st == 0 ? true : NC_FAIL("dmatest exited with status %#llx", (unsigned long long)st);
}

static bool t_dmatest(void) { return with_packages(dmatest); }

const nc_test_case_t ut_driver_tests[] = {
	{ "drivers.pci_list", t_pci_list },
	{ "drivers.pci_config", t_pci_config },
	{ "drivers.pci_scope", t_pci_scope },
	{ "drivers.load_refusals", t_load_refusals },
	{ "drivers.load_denied", t_load_denied },
	{ "drivers.no_claim", t_no_claim },
	{ "drivers.dmatest", t_dmatest },
	{ NULL, NULL },
};

const nc_test_child_t ut_driver_children[] = {
	{ "drivers_pci_scope", child_pci_scope },
	{ "drivers_no_load", child_no_load },
	{ NULL, NULL },
};
