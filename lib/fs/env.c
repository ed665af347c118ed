/* What the embedder supplies: the block device, the allocator and the clock.
 * Every device access goes through dev_read/dev_write here, which check that the blocks lie
 * inside the file system (and so, as mount checked, inside the device) before calling the
 * embedder: nothing else in lib/fs can reach past the device. A failed device call makes the
 * file system stop writing (fs->failed), as jbd2 aborts its journal. */
#include "fs_int.h"

void *fs_alloc(nc_fs_t *fs, size_t bytes)
{
	return fs->cfg.alloc(fs->cfg.alloc_ud, NULL, 0, bytes);
}

void *fs_zalloc(nc_fs_t *fs, size_t bytes)
{
	void *p = fs_alloc(fs, bytes);
	if (p)
		nc_mem_set(p, 0, bytes);
	return p;
}

void fs_free(nc_fs_t *fs, void *p, size_t bytes)
{
	if (p)
		fs->cfg.alloc(fs->cfg.alloc_ud, p, bytes, 0);
}

uint64_t fs_now_ns(nc_fs_t *fs)
{
	return fs->cfg.now_ns(fs->cfg.clock_ud);
}

static nc_fs_err_t dev_io(nc_fs_t *fs, uint32_t blk, uint32_t n, void *buf, bool write)
{
	if (n == 0 || blk >= fs->blocks_count || n > fs->blocks_count - blk)
		return NC_FS_ERR_BAD_BLOCK;
	if (write && fs->failed)
		return fs->failed;
	uint64_t sector = (uint64_t)blk * fs->sectors_per_block;
	uint32_t n_sectors = n * fs->sectors_per_block;
	bool ok = write ? fs->cfg.dev.write(fs->cfg.dev.ctx, sector, n_sectors, buf)
			: fs->cfg.dev.read(fs->cfg.dev.ctx, sector, n_sectors, buf);
	if (!ok) {
		if (write)
			fs->failed = NC_FS_ERR_IO;
		return NC_FS_ERR_IO;
	}
	return NC_FS_OK;
}

nc_fs_err_t dev_read(nc_fs_t *fs, uint32_t blk, uint32_t n, void *buf)
{
	return dev_io(fs, blk, n, buf, false);
}

nc_fs_err_t dev_write(nc_fs_t *fs, uint32_t blk, uint32_t n, const void *buf)
{
	return dev_io(fs, blk, n, (void *)buf, true);
}

nc_fs_err_t dev_flush(nc_fs_t *fs)
{
	if (fs->failed)
		return fs->failed;
	if (!fs->cfg.dev.flush(fs->cfg.dev.ctx)) {
		fs->failed = NC_FS_ERR_IO;
		return NC_FS_ERR_IO;
	}
	return NC_FS_OK;
}
