/* Kernel access to the boot initrd (lib/initrd over the direct map). */
#include <kernel/initrd.h>
#include <kernel/vm.h>
#include <nc/initrd.h>
#include <nc/mem.h>

static const uint8_t *archive;
static size_t archive_bytes;

void initrd_init(uint64_t phys, uint64_t size_bytes)
{
	archive = phys ? vm_phys_to_virt(phys) : NULL;
	archive_bytes = size_bytes;
}

bool initrd_lookup(const char *path, size_t path_len, const uint8_t **data, size_t *len_bytes)
{
	char name[NC_INITRD_NAME_MAX];
	if (!archive || path_len == 0 || path_len >= sizeof name)
		return false;
	nc_mem_copy(name, path, path_len);
	name[path_len] = 0;
	if (nc_str_len(name) != path_len)
		return false;
	nc_initrd_entry_t e;
	if (nc_initrd_find(archive, archive_bytes, name, &e) != NC_INITRD_OK)
		return false;
	*data = e.data;
	*len_bytes = e.size_bytes;
	return true;
}

void initrd_archive(const uint8_t **buf, size_t *len_bytes)
{
	*buf = archive;
	*len_bytes = archive_bytes;
}
