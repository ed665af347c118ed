/* A driver's claim is charged to the quota it is made for (kernel/driver.h):
 * exactly its block (and, behind an IOMMU, its domain and tables), LIMIT
 * with the function left free when the quota cannot take it, and every byte
 * back when the claim ends. The test machine's ICH9 SMBus controller
 * (00:1f.3, class 0x0c0500, no BARs or vectors needed) is claimed: the
 * in-kernel tests run before any driver starts. */
#include "nc_test.h"
#include <kernel/driver.h>
#include <kernel/quota.h>

enum { SMBUS_CLASS = 0x0c0500, LIMIT_BYTES = 64 << 10 };

static pci_fn_t *smbus(void)
{
	for (uint32_t i = 0; i < pci_count(); i++)
		if (pci_at(i)->class_code == SMBUS_CLASS)
			return pci_at(i);
	return NULL;
}

NC_TEST(quota, driver_claim_charged_to_its_quota)
{
	pci_fn_t *fn = smbus();
	NC_CHECK(fn != NULL && fn->driver == NULL);
	if (!fn || fn->driver)
		return;
	nc_drvpkg_manifest_t m = { .name = "claimtest", .version = 1, .has_class = true, .class_code = SMBUS_CLASS };
	quota_t *q = quota_create_root(LIMIT_BYTES), *tight = NULL;
	NC_CHECK(q != NULL);
	uint64_t own = quota_stats(q).used_bytes;
	/* a quota with no room beyond its own struct cannot take the claim */
	NC_CHECK_EQ(quota_create_child(q, quota_heap_bytes(64), &tight), NC_SYS_OK);
	kdriver_t *d = NULL;
	NC_CHECK_EQ(driver_claim(fn, &m, tight, &d), NC_SYS_ERR_LIMIT);
	NC_CHECK(fn->driver == NULL);
	quota_release(tight);
	NC_CHECK_EQ(quota_stats(q).used_bytes, own);
	NC_CHECK_EQ(driver_claim(fn, &m, q, &d), NC_SYS_OK);
	uint64_t charged = quota_stats(q).used_bytes - own;
	if (d->domain)
		NC_CHECK(charged >= quota_heap_bytes(sizeof *d) + quota_frames_bytes(1));
	else
		NC_CHECK_EQ(charged, quota_heap_bytes(sizeof *d));
	kobj_unref(&d->obj); /* the claim ends */
	NC_CHECK(fn->driver == NULL);
	NC_CHECK_EQ(quota_stats(q).used_bytes, own);
	quota_release(q);
}
