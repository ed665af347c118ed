/* Driver system calls (docs/drivers.md): DriverLoad and DriverLoadDevice
 * verify a signed package and start its driver with exactly what the
 * manifest declares; MmioMap, DmaMap, DmaUnmap, IrqAttach and IrqAck act on
 * the caller's claim (its HANDLE_DEVICE handle) and need the matching
 * driver.* capability on the function's name. Validate, then act: a package
 * is verified completely and the device checked before anything is made. */
#include <kernel/cap.h>
#include <kernel/dma.h>
#include <kernel/driver.h>
#include <kernel/driver_keys.h>
#include <kernel/heap.h>
#include <kernel/irq.h>
#include <kernel/measure.h>
#include <kernel/privacy.h>
#include <kernel/process.h>
#include <kernel/quota.h>
#include <kernel/sys_table.h>
#include <kernel/umap.h>
#include <kernel/usercopy.h>
#include <nc/fmt.h>
#include <nc/mem.h>

/* The capabilities every driver gets on its function's name. */
static const char *const driver_actions[] = { "driver.mmio", "driver.dma", "driver.irq", "driver.pci" };

/* The caller's claim, if it also holds capability action on the function. */
static nc_sys_err_t claim_for(const char *action, kdriver_t **out)
{
	kdriver_t *d = driver_current();
	if (!d)
		return NC_SYS_ERR_DENIED;
	nc_sys_err_t err = cap_check(action, d->fn->name, nc_str_len(d->fn->name));
	if (err) {
		kobj_unref(&d->obj);
		return err;
	}
	*out = d;
	return NC_SYS_OK;
}

/* Whether the page at phys holds part of f's MSI-X table or PBA. */
static bool msix_page(const pci_fn_t *f, uint64_t page)
{
	if (!f->msix_cap)
		return false;
	uint64_t table = f->bar[f->msix_table_bar].phys + f->msix_table_offset;
	uint64_t table_end = table + (uint64_t)f->msix_vectors * 16;
	uint64_t pba = f->bar[f->msix_pba_bar].phys + f->msix_pba_offset;
	uint64_t pba_end = pba + ((uint64_t)f->msix_vectors + 63) / 64 * 8;
	return (page < table_end && table < page + VM_PAGE_BYTES) || (page < pba_end && pba < page + VM_PAGE_BYTES);
}

nc_sys_err_t sys_mmio_map(uint64_t phys, uint64_t len_bytes, uint64_t *addr_out)
{
	kdriver_t *d;
	nc_sys_err_t err = claim_for("driver.mmio", &d);
	if (err)
		return err;
	uint64_t n = (len_bytes + VM_PAGE_BYTES - 1) / VM_PAGE_BYTES;
	int bar = len_bytes && phys % VM_PAGE_BYTES == 0 ? pci_bar_holding(d->fn, phys, n * VM_PAGE_BYTES) : -1;
	if (len_bytes == 0 || phys % VM_PAGE_BYTES)
		err = NC_SYS_ERR_INVALID;
	else if (bar < 0 || !(d->bar_mask >> bar & 1))
		err = NC_SYS_ERR_DENIED;
	process_t *p = thread_current()->proc;
	uint64_t va = 0;
	if (!err)
		err = umap_reserve(p, n, &va);
	/* map runs of pages between the MSI-X table and PBA pages, which stay the kernel's */
	uint64_t mapped = 0;
	for (uint64_t i = 0; !err && i < n;) {
		if (msix_page(d->fn, phys + i * VM_PAGE_BYTES)) {
			i++;
			continue;
		}
		uint64_t run = 1;
		while (i + run < n && !msix_page(d->fn, phys + (i + run) * VM_PAGE_BYTES))
			run++;
		err = umap_map(p->vs, va + i * VM_PAGE_BYTES, run, VM_WRITE | VM_UNCACHED, NULL,
			       phys + i * VM_PAGE_BYTES, NULL);
		i += run;
		mapped += run;
	}
	if (!err && !mapped)
		err = NC_SYS_ERR_DENIED; /* only the kernel's MSI-X pages were asked for */
	kobj_unref(&d->obj);
	if (err == NC_SYS_ERR_EXISTS)
		err = NC_SYS_ERR_NO_MEMORY; /* a fresh range cannot be mapped already */
	if (!err)
		*addr_out = va;
	return err;
}

nc_sys_err_t sys_dma_map(uint64_t len_bytes, uint64_t bus_addr, uint64_t *addr_out)
{
	kdriver_t *d;
	nc_sys_err_t err = claim_for("driver.dma", &d);
	if (err)
		return err;
	err = dma_map(d, len_bytes, bus_addr, addr_out);
	kobj_unref(&d->obj);
	return err;
}

nc_sys_err_t sys_dma_unmap(uint64_t addr, uint64_t len_bytes)
{
	kdriver_t *d;
	nc_sys_err_t err = claim_for("driver.dma", &d);
	if (err)
		return err;
	err = dma_unmap(d, addr, len_bytes);
	kobj_unref(&d->obj);
	return err;
}

nc_sys_err_t sys_irq_attach(uint64_t irq, uint64_t channel)
{
	kdriver_t *d;
	nc_sys_err_t err = claim_for("driver.irq", &d);
	if (err)
		return err;
	handle_ref_t r;
	err = handle_get(handle_table_current(), channel, NC_SYS_HANDLE_CHANNEL, NC_SYS_RIGHT_WRITE, &r);
	if (!err) {
		err = irq > UINT32_MAX ? NC_SYS_ERR_INVALID : irq_attach(d, (uint32_t)irq, r.obj);
		handle_put(&r);
	}
	kobj_unref(&d->obj);
	return err;
}

nc_sys_err_t sys_irq_ack(uint64_t irq)
{
	kdriver_t *d;
	nc_sys_err_t err = claim_for("driver.irq", &d);
	if (err)
		return err;
	err = irq > UINT32_MAX ? NC_SYS_ERR_INVALID : irq_ack(d, (uint32_t)irq);
	kobj_unref(&d->obj);
	return err;
}

/* ---- DriverLoad ---------------------------------------------------------- */

static nc_sys_err_t package_error(nc_drvpkg_err_t e)
{
	switch (e) {
	case NC_DRVPKG_OK: return NC_SYS_OK;
	case NC_DRVPKG_ERR_UNTRUSTED: return NC_SYS_ERR_UNTRUSTED;
	case NC_DRVPKG_ERR_SIGNATURE: return NC_SYS_ERR_BAD_SIGNATURE;
	case NC_DRVPKG_ERR_HASH: return NC_SYS_ERR_BAD_HASH;
	default: return NC_SYS_ERR_INVALID;
	}
}

/* Install in ht a capability for action on scope, derived from the caller's
 * own capability covering it (so revoking the caller's revokes the driver's).
 * Errors: DENIED (the caller holds none), INVALID, LIMIT, NO_MEMORY. */
static nc_sys_err_t grant(handle_table_t *ht, const char *action, const char *scope)
{
	size_t alen = nc_str_len(action), slen = nc_str_len(scope);
	kcap_t *parent, *child;
	nc_sys_err_t err = cap_find(action, scope, slen, &parent);
	if (err)
		return err;
	err = cap_derive(parent, action, alen, scope, slen, CAP_FOREVER, &child);
	kobj_unref(&parent->obj);
	if (err)
		return err;
	uint64_t h;
	err = handle_install(ht, &child->obj, 0, NULL, &h);
	kobj_unref(&child->obj);
	return err;
}

/* The driver's table: its claim, the driver.* capabilities on its function,
 * the capabilities the manifest offers, then the caller's handles hs[0..n). */
static nc_sys_err_t driver_handles(kdriver_t *d, const nc_drvpkg_manifest_t *m, const uint64_t *hs, uint64_t n,
				   handle_table_t **out)
{
	handle_table_t *own = handle_table_current(), *ht = handle_table_create();
	if (!ht)
		return NC_SYS_ERR_NO_MEMORY;
	uint64_t h;
	nc_sys_err_t err = handle_install(ht, &d->obj, NC_SYS_RIGHT_READ, NULL, &h);
	for (size_t i = 0; !err && i < sizeof driver_actions / sizeof driver_actions[0]; i++)
		err = grant(ht, driver_actions[i], d->fn->name);
	for (uint32_t i = 0; !err && i < m->n_offers; i++)
		err = grant(ht, m->offers[i].action, m->offers[i].scope);
	for (uint64_t i = 0; !err && i < n; i++) {
		handle_ref_t r;
		err = handle_get(own, hs[i], 0, NC_SYS_RIGHT_TRANSFER, &r);
		if (!err) {
			err = handle_install_ref(ht, &r, &h);
			handle_put(&r);
		}
	}
	if (err) {
		handle_table_destroy(ht);
		return err;
	}
	*out = ht;
	return NC_SYS_OK;
}

/* The function to drive: bdf, or with any the first free one m matches. */
static nc_sys_err_t pick_function(const nc_drvpkg_manifest_t *m, uint64_t bdf, bool any, pci_fn_t **out)
{
	if (!any) {
		*out = pci_find(bdf);
		return *out && driver_matches(*out, m) ? NC_SYS_OK : NC_SYS_ERR_NO_DEVICE;
	}
	nc_sys_err_t err = NC_SYS_ERR_NO_DEVICE;
	for (uint32_t i = 0; i < pci_count(); i++) {
		pci_fn_t *f = pci_at(i);
		if (!driver_matches(f, m))
			continue;
		*out = f;
		if (!f->driver)
			return NC_SYS_OK;
		err = NC_SYS_ERR_BUSY;
	}
	return err;
}

/* The driver's argument string: where its function's declared BARs are.
 *   pci=SSSS:BB:DD.F id=VVVV:DDDD barI=0xPHYS:0xLEN ... vectors=N */
static size_t driver_arg(const kdriver_t *d, char *buf, size_t cap)
{
	const pci_fn_t *f = d->fn;
	size_t n = nc_fmt_format(buf, cap, "pci=%s id=%04x:%04x", f->name, f->vendor, f->device);
	for (int i = 0; i < PCI_BARS && n < cap; i++)
		if (d->bar_mask >> i & 1)
			n += nc_fmt_format(buf + n, cap - n, " bar%d=%#llx:%#llx", i, (unsigned long long)f->bar[i].phys,
					   (unsigned long long)f->bar[i].len_bytes);
	if (n < cap)
		n += nc_fmt_format(buf + n, cap - n, " vectors=%u", d->n_vectors);
	return n < cap ? n : cap - 1;
}

/* A driver's memory quota, carved out of the caller's: DRIVER_QUOTA_BASE
 * for its program, heap and threads plus the manifest's DMA budget, or half
 * of what the caller has left when that is less. A quota of its own (not
 * the caller's shared, as ProcessSpawn gives), so a driver cannot take the
 * room of devmgr and the programs it starts. */
#define DRIVER_QUOTA_BASE (8ull << 20)
static uint64_t driver_quota(const nc_drvpkg_manifest_t *m)
{
	quota_stats_t q = quota_stats(quota_current());
	uint64_t half = (q.limit_bytes - q.used_bytes) / 2, want = DRIVER_QUOTA_BASE + m->dma_budget_bytes;
	return want < half ? want : half;
}

static nc_sys_err_t load(uint64_t package, uint64_t package_len, uint64_t bdf, bool any, const uint64_t *hs,
			 uint64_t n_handles, uint64_t *pid_out)
{
	if (package_len == 0 || package_len > NC_DRVPKG_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	uint8_t *pkg = heap_alloc(package_len);
	if (!pkg)
		return NC_SYS_ERR_NO_MEMORY;
	nc_drvpkg_manifest_t *m = heap_alloc(sizeof *m);
	nc_drvpkg_parts_t parts;
	nc_sys_err_t err = m ? NC_SYS_OK : NC_SYS_ERR_NO_MEMORY;
	if (!err && copy_from_user(pkg, package, package_len))
		err = NC_SYS_ERR_BAD_ADDRESS;
	if (!err)
		err = package_error(nc_drvpkg_verify(pkg, package_len, driver_trusted_keys, driver_trusted_key_count,
						     m, &parts));
	pci_fn_t *fn = NULL;
	if (!err)
		err = pick_function(m, bdf, any, &fn);
	if (!err)
		err = cap_check("driver.load", fn->name, nc_str_len(fn->name));
	/* the driver's quota first: the claim is charged to it */
	quota_t *q = NULL;
	if (!err)
		err = quota_create_child(quota_current(), driver_quota(m), &q);
	kdriver_t *d = NULL;
	if (!err)
		err = driver_claim(fn, m, q, &d);
	handle_table_t *ht = NULL;
	if (!err)
		err = driver_handles(d, m, hs, n_handles, &ht);
	if (!err) {
		char arg[NC_SYS_ARG_MAX + 1];
		size_t arg_len = driver_arg(d, arg, sizeof arg);
		/* the measurement log names every driver package before it runs (docs/attestation.md) */
		measure_extend_data(NC_TEE_LOG_DRIVER, m->name, nc_str_len(m->name), pkg, package_len);
		process_t *child;
		err = process_spawn_image(thread_current()->proc, m->name, parts.image, parts.image_len, arg, arg_len,
					  ht, q, kpolicy_get(thread_current()->proc->policy), &child);
		q = NULL; /* the process's now, also on error */
		if (!err) {
			d->pid = child->pid;
			*pid_out = child->pid;
		}
	}
	if (d)
		kobj_unref(&d->obj); /* the driver's handle keeps the claim, or the claim ends here */
	quota_release(q); /* NULL once a process has it */
	heap_free(m);
	heap_free(pkg);
	return err;
}

nc_sys_err_t sys_driver_load(uint64_t package, uint64_t package_len, uint64_t *pid_out)
{
	return load(package, package_len, 0, true, NULL, 0, pid_out);
}

nc_sys_err_t sys_driver_load_device(uint64_t package, uint64_t package_len, uint64_t bdf, uint64_t handles,
				    uint64_t n_handles, uint64_t *pid_out)
{
	uint64_t hs[NC_SYS_SPAWN_HANDLES_MAX];
	if (n_handles > NC_SYS_SPAWN_HANDLES_MAX)
		return NC_SYS_ERR_INVALID;
	if (copy_from_user(hs, handles, n_handles * sizeof hs[0]))
		return NC_SYS_ERR_BAD_ADDRESS;
	return load(package, package_len, bdf, false, hs, n_handles, pid_out);
}
