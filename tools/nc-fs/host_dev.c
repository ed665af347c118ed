/* Host environment for lib/fs (see host_dev.h). */
#define _GNU_SOURCE
#include "host_dev.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static bool dev_read(void *ctx, uint64_t sector, uint32_t n, void *buf)
{
	host_dev_t *d = ctx;
	size_t len = (size_t)n * d->sector_bytes;
	d->n_reads++;
	return pread(d->fd, buf, len, (off_t)(sector * d->sector_bytes)) == (ssize_t)len;
}

static bool dev_write(void *ctx, uint64_t sector, uint32_t n, const void *buf)
{
	host_dev_t *d = ctx;
	size_t len = (size_t)n * d->sector_bytes;
	d->n_writes++;
	return pwrite(d->fd, buf, len, (off_t)(sector * d->sector_bytes)) == (ssize_t)len;
}

static bool dev_flush(void *ctx)
{
	host_dev_t *d = ctx;
	d->n_flushes++;
	return fdatasync(d->fd) == 0;
}

bool host_dev_open(host_dev_t *dev, const char *path, bool read_only, uint32_t sector_bytes)
{
	*dev = (host_dev_t){ .fd = open(path, read_only ? O_RDONLY : O_RDWR), .sector_bytes = sector_bytes };
	struct stat st;
	if (dev->fd < 0)
		return false;
	if (fstat(dev->fd, &st) != 0) {
		close(dev->fd);
		return false;
	}
	dev->n_sectors = (uint64_t)st.st_size / sector_bytes;
	return true;
}

void host_dev_close(host_dev_t *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}

void *host_fs_alloc(void *ud, void *ptr, size_t old_bytes, size_t new_bytes)
{
	host_alloc_t *a = ud;
	if (new_bytes == 0) {
		a->live_bytes -= (long long)old_bytes;
		free(ptr);
		return NULL;
	}
	if (a->fail_after >= 0 && a->n_allocs >= a->fail_after)
		return NULL;
	a->n_allocs++;
	void *p = realloc(ptr, new_bytes);
	if (p)
		a->live_bytes += (long long)new_bytes - (long long)old_bytes;
	return p;
}

uint64_t host_fs_clock(void *ud)
{
	(void)ud;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

nc_fs_config_t host_fs_config(host_dev_t *dev, host_alloc_t *alloc, uint32_t flags)
{
	return (nc_fs_config_t){
		.dev = { .ctx = dev, .sector_bytes = dev->sector_bytes, .n_sectors = dev->n_sectors,
			 .read = dev_read, .write = dev_write, .flush = dev_flush },
		.alloc = host_fs_alloc,
		.alloc_ud = alloc,
		.now_ns = host_fs_clock,
		.flags = flags,
	};
}
