/* Driver claims (see kernel/driver.h): made for a verified manifest and one
 * PCI function, ended when the claim's last handle closes. The order of the
 * ending matters: the device first loses bus mastering and its interrupts,
 * then its IOMMU domain (from then on it reaches no memory), and only then
 * are its DMA pages let go, so no page is freed while the device may still
 * write it. */
#include <kernel/dma.h>
#include <kernel/driver.h>
#include <kernel/heap.h>
#include <kernel/iommu.h>
#include <kernel/irq.h>
#include <kernel/quota.h>
#include <kernel/vm.h>
#include <kernel/console.h>
#include <nc/mem.h>

#define IOVA_BASE (1ull << 20) /* device addresses start at 1 MiB: 0 stays invalid */

static void end_claim(kobj_t *o)
{
	kdriver_t *d = (kdriver_t *)o;
	pci_fn_t *fn = d->fn;
	pci_cfg_write(fn, PCI_CFG_COMMAND, 2, pci_cfg_read(fn, PCI_CFG_COMMAND, 2) & ~(uint32_t)PCI_CMD_BUS_MASTER);
	irq_release_all(d);
	/* commands the driver left in the device must not run on under the next claim */
	if (!pci_function_reset(fn))
		kprintf("driver: %s has no function level reset: the next driver must reset it\n", fn->name);
	if (d->domain)
		iommu_domain_destroy(d->domain);
	iova_fini(&d->iova);
	dma_release_all(d);
	uint64_t f = spin_lock(&pci_lock);
	fn->driver = NULL;
	spin_unlock(&pci_lock, f);
	quota_free_object(d->quota, d, sizeof *d);
}

bool driver_matches(const pci_fn_t *fn, const nc_drvpkg_manifest_t *m)
{
	return (!m->has_vendor || m->vendor == fn->vendor) && (!m->has_device || m->device == fn->device) &&
	       (!m->has_class || m->class_code == fn->class_code);
}

/* Whether fn has everything m declares: each BAR (a memory BAR), and the
 * vectors (MSI-X entries, or one MSI vector). */
static bool has_declared(const pci_fn_t *fn, const nc_drvpkg_manifest_t *m)
{
	for (uint8_t i = 0; i < m->n_bars; i++) {
		const pci_bar_t *b = &fn->bar[m->bars[i]];
		if (!b->len_bytes || b->io)
			return false;
	}
	uint32_t vectors = fn->msix_cap ? fn->msix_vectors : fn->msi_cap ? 1 : 0;
	return m->irq_vectors <= vectors;
}

/* The pages of d's device address window (d has a domain). */
static uint64_t window_pages(const kdriver_t *d)
{
	uint64_t n = DRIVER_IOVA_WINDOW_FACTOR * ((d->dma_budget_bytes + VM_PAGE_BYTES - 1) / VM_PAGE_BYTES);
	uint64_t room = (iommu_iova_limit(d->domain) - IOVA_BASE) / VM_PAGE_BYTES;
	return n < room ? n : room;
}

nc_sys_err_t driver_claim(pci_fn_t *fn, const nc_drvpkg_manifest_t *m, quota_t *q, kdriver_t **out)
{
	if (!driver_matches(fn, m) || !has_declared(fn, m))
		return NC_SYS_ERR_NO_DEVICE;
	nc_sys_err_t err;
	kdriver_t *d = quota_alloc_object(q, sizeof *d, &err);
	if (!d)
		return err;
	d->quota = q;
	d->obj.type = NC_SYS_HANDLE_DEVICE;
	d->obj.refs = 1;
	d->obj.destroy = end_claim;
	d->fn = fn;
	nc_mem_copy(d->name, m->name, nc_str_len_max(m->name, sizeof d->name - 1));
	for (uint8_t i = 0; i < m->n_bars; i++)
		d->bar_mask |= (uint8_t)(1u << m->bars[i]);
	d->n_vectors = m->irq_vectors;
	d->dma_budget_bytes = m->dma_budget_bytes;
	err = iommu_covers(fn->bdf) ? iommu_domain_create(fn->bdf, q, &d->domain) : NC_SYS_OK;
	if (!err && d->domain)
		err = iova_init(&d->iova, IOVA_BASE, window_pages(d), q);
	if (err) {
		if (d->domain)
			iommu_domain_destroy(d->domain);
		quota_free_object(q, d, sizeof *d);
		return err;
	}
	uint64_t f = spin_lock(&pci_lock);
	bool free = !fn->driver;
	if (free)
		fn->driver = d;
	spin_unlock(&pci_lock, f);
	if (!free) {
		if (d->domain)
			iommu_domain_destroy(d->domain);
		iova_fini(&d->iova);
		quota_free_object(q, d, sizeof *d);
		return NC_SYS_ERR_BUSY;
	}
	/* the driver finds decoding on; bus mastering waits for its first
	 * DMA buffer (driver_start_mastering), so a driver can stop a device
	 * an earlier claim left running before the device reaches memory */
	pci_cfg_write(fn, PCI_CFG_COMMAND, 2, pci_cfg_read(fn, PCI_CFG_COMMAND, 2) | PCI_CMD_MEMORY);
	*out = d;
	return NC_SYS_OK;
}

void driver_start_mastering(kdriver_t *d)
{
	uint64_t f = spin_lock(&d->lock);
	if (!d->mastering) {
		pci_cfg_write(d->fn, PCI_CFG_COMMAND, 2,
			      pci_cfg_read(d->fn, PCI_CFG_COMMAND, 2) | PCI_CMD_BUS_MASTER);
		d->mastering = true;
	}
	spin_unlock(&d->lock, f);
}

kdriver_t *driver_current(void)
{
	handle_table_t *ht = handle_table_current();
	for (uint32_t i = 0; i < NC_SYS_HANDLES_MAX; i++) {
		handle_ref_t r;
		uint64_t h;
		if (!handle_slot_ref(ht, i, &r, &h))
			continue;
		kobj_t *o = r.obj;
		bool device = o->type == NC_SYS_HANDLE_DEVICE;
		if (device)
			kobj_ref(o);
		handle_put(&r);
		if (device)
			return (kdriver_t *)o;
	}
	return NULL;
}
