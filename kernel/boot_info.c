/* Checks on the loader's nc_boot_info_t before the kernel trusts it. */
#include <kernel/kernel.h>
#include <nc/mem.h>

boot_info_err_t boot_info_check(const nc_boot_info_t *bi)
{
	if (bi->magic != NC_BOOT_INFO_MAGIC)
		return BOOT_INFO_ERR_MAGIC;
	if (bi->version != NC_BOOT_INFO_VERSION)
		return BOOT_INFO_ERR_VERSION;
	if (bi->size_bytes != sizeof(nc_boot_info_t))
		return BOOT_INFO_ERR_SIZE;
	if (bi->n_regions == 0 || bi->n_regions > NC_BOOT_MAX_REGIONS)
		return BOOT_INFO_ERR_REGIONS;
	for (uint32_t i = 1; i < bi->n_regions; i++) {
		const nc_boot_mem_region_t *a = &bi->regions[i - 1], *b = &bi->regions[i];
		if (a->phys_base + a->n_pages * 4096 > b->phys_base)
			return BOOT_INFO_ERR_REGIONS;
	}
	if (nc_str_len_max(bi->cmdline, NC_BOOT_CMDLINE_MAX) == NC_BOOT_CMDLINE_MAX)
		return BOOT_INFO_ERR_CMDLINE;
	if (bi->tee.secret_len > NC_BOOT_TEE_SECRET_MAX || bi->tee.cert_len > NC_BOOT_TEE_CERT_MAX)
		return BOOT_INFO_ERR_TEE;
	if (bi->hhdm_base % (1ull << 30) || bi->hhdm_base < NC_BOOT_HHDM_BASE ||
	    bi->direct_map_bytes > NC_BOOT_DIRECT_MAP_WINDOW ||
	    bi->hhdm_base - NC_BOOT_HHDM_BASE > NC_BOOT_DIRECT_MAP_WINDOW - bi->direct_map_bytes)
		return BOOT_INFO_ERR_LAYOUT;
	if (bi->kernel_virt_base != (uint64_t)__kernel_start || bi->kernel_virt_base % 4096 ||
	    bi->kernel_virt_base < NC_BOOT_KERNEL_VBASE || bi->kernel_size_bytes > NC_BOOT_KERNEL_WINDOW ||
	    bi->kernel_virt_base - NC_BOOT_KERNEL_VBASE > NC_BOOT_KERNEL_WINDOW - bi->kernel_size_bytes)
		return BOOT_INFO_ERR_IMAGE;
	return BOOT_INFO_OK;
}

const char *boot_info_err_name(boot_info_err_t err)
{
	switch (err) {
	case BOOT_INFO_OK: return "ok";
	case BOOT_INFO_ERR_MAGIC: return "bad magic";
	case BOOT_INFO_ERR_VERSION: return "unsupported boot-info version";
	case BOOT_INFO_ERR_SIZE: return "boot-info size mismatch";
	case BOOT_INFO_ERR_REGIONS: return "bad memory map";
	case BOOT_INFO_ERR_CMDLINE: return "command line not terminated";
	case BOOT_INFO_ERR_TEE: return "TEE device data too long";
	case BOOT_INFO_ERR_LAYOUT: return "direct map outside its window";
	case BOOT_INFO_ERR_IMAGE: return "kernel image base wrong or outside its window";
	}
	return "unknown boot-info error";
}

bool boot_cmdline_has(const nc_boot_info_t *bi, const char *word)
{
	size_t wlen = nc_str_len(word);
	const char *s = bi->cmdline;
	while (*s) {
		while (*s == ' ')
			s++;
		size_t n = 0;
		while (s[n] && s[n] != ' ')
			n++;
		if (n == wlen && nc_mem_compare(s, word, n) == 0)
			return true;
		s += n;
	}
	return false;
}
