/* Host environment for lib/fs: an image file as the block device, a counting malloc allocator
 * (with an optional failure after N allocations, for tests) and the wall clock. Shared by nc-fs
 * and the host tests. */
#ifndef NC_FS_HOST_DEV_H
#define NC_FS_HOST_DEV_H

#include <nc/fs.h>

typedef struct {
	int fd;
	uint32_t sector_bytes;
	uint64_t n_sectors;
	uint64_t n_reads, n_writes, n_flushes;
} host_dev_t;

typedef struct {
	long long fail_after;       /* < 0: never fail; else the allocation number that fails */
	long long n_allocs;
	long long live_bytes;
} host_alloc_t;

/* Open path (read-write unless read_only) as a device of sector_bytes sectors. Returns false
 * (errno set) when it cannot. */
bool host_dev_open(host_dev_t *dev, const char *path, bool read_only, uint32_t sector_bytes);
void host_dev_close(host_dev_t *dev);

/* A config for dev and alloc (which must outlive the mount), with the wall clock. */
nc_fs_config_t host_fs_config(host_dev_t *dev, host_alloc_t *alloc, uint32_t flags);

void *host_fs_alloc(void *ud, void *ptr, size_t old_bytes, size_t new_bytes);
uint64_t host_fs_clock(void *ud);

#endif
