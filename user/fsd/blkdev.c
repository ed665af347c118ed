/* lib/fs's block device over the block service (blkdev.h). */
#include "blkdev.h"

#include <nc/mem.h>

#define RECONNECT_NS 5000000000ull
#define RETRY_NS 50000000ull

void fsd_keep_private(uint64_t *h, uint64_t rights)
{
	uint64_t kept;
	if (nc_sys_handle_duplicate(*h, rights, &kept) == NC_SYS_OK) {
		nc_sys_handle_close(*h);
		*h = kept;
	}
}

static nc_sys_err_t connect(fsd_blkdev_t *b)
{
	nc_sys_err_t err = nc_blk_open(&b->blk, b->name, b->window_bytes);
	if (err)
		return err;
	fsd_keep_private(&b->blk.channel, NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE);
	fsd_keep_private(&b->blk.shm, NC_SYS_RIGHT_MAP | NC_SYS_RIGHT_WRITE);
	uint64_t bs = b->blk.info.block_bytes, max = b->blk.info.max_transfer_bytes;
	if (bs != 512 && bs != 1024 && bs != 2048 && bs != 4096) {
		nc_blk_close(&b->blk);
		return NC_SYS_ERR_INVALID;
	}
	if (max == 0 || max > b->blk.window_bytes)
		max = b->blk.window_bytes;
	b->piece_blocks = max / bs;
	return b->piece_blocks ? NC_SYS_OK : NC_SYS_ERR_INVALID;
}

/* One request; a connection whose driver has gone is made again (waiting up to RECONNECT_NS for
 * the restarted driver to register the name) and the request sent once more. */
static nc_sys_err_t io(fsd_blkdev_t *b, uint8_t op, uint64_t lba, uint32_t n)
{
	nc_sys_err_t err = nc_blk_io(&b->blk, op, 0, lba, n, 0);
	if (err != NC_SYS_ERR_PEER_CLOSED)
		return err;
	nc_blk_close(&b->blk);
	b->n_reconnects++;
	for (uint64_t waited = 0; (err = connect(b)) == NC_SYS_ERR_NOT_FOUND && waited < RECONNECT_NS;
	     waited += RETRY_NS)
		nc_sys_sleep(RETRY_NS);
	return err ? err : nc_blk_io(&b->blk, op, 0, lba, n, 0);
}

/* Move n_sectors at sector into buf straight from the device, in pieces. */
static bool read_direct(fsd_blkdev_t *b, uint64_t sector, uint64_t n_sectors, uint8_t *p)
{
	for (uint64_t done = 0; done < n_sectors;) {
		uint32_t n = (uint32_t)(n_sectors - done < b->piece_blocks ? n_sectors - done : b->piece_blocks);
		if (io(b, NC_BLK_OP_READ, sector + done, n))
			return false;
		nc_mem_copy(p + done * b->blk.info.block_bytes, b->blk.window, (size_t)n * b->blk.info.block_bytes);
		done += n;
	}
	return true;
}

/* A read that continues the previous one (a sequential stream) is served from the read-ahead
 * buffer, which is refilled with the FSD_READ_AHEAD_BYTES that start at it. */
static bool dev_read(void *ctx, uint64_t sector, uint32_t n_sectors, void *buf)
{
	fsd_blkdev_t *b = ctx;
	uint64_t bs = b->blk.info.block_bytes, cap = FSD_READ_AHEAD_BYTES / bs;
	bool sequential = sector == b->next_sector;
	b->next_sector = sector + n_sectors;
	if (sector >= b->ra_start && sector + n_sectors <= b->ra_start + b->ra_count) {
		nc_mem_copy(buf, b->ra + (sector - b->ra_start) * bs, (size_t)n_sectors * bs);
		return true;
	}
	if (!sequential || n_sectors >= cap)
		return read_direct(b, sector, n_sectors, buf);
	uint64_t count = b->blk.info.n_blocks - sector < cap ? b->blk.info.n_blocks - sector : cap;
	b->ra_count = 0;
	if (!read_direct(b, sector, count, b->ra))
		return false;
	b->ra_start = sector;
	b->ra_count = count;
	nc_mem_copy(buf, b->ra, (size_t)n_sectors * bs);
	return true;
}

static bool dev_write(void *ctx, uint64_t sector, uint32_t n_sectors, const void *buf)
{
	fsd_blkdev_t *b = ctx;
	const uint8_t *p = buf;
	if (sector < b->ra_start + b->ra_count && b->ra_start < sector + n_sectors)
		b->ra_count = 0; /* the read-ahead never shows what was there before a write */
	for (uint64_t done = 0; done < n_sectors;) {
		uint32_t n = (uint32_t)(n_sectors - done < b->piece_blocks ? n_sectors - done : b->piece_blocks);
		nc_mem_copy(b->blk.window, p + done * b->blk.info.block_bytes, (size_t)n * b->blk.info.block_bytes);
		if (io(b, NC_BLK_OP_WRITE, sector + done, n))
			return false;
		done += n;
	}
	return true;
}

static bool dev_flush(void *ctx)
{
	return io(ctx, NC_BLK_OP_FLUSH, 0, 0) == NC_SYS_OK;
}

nc_sys_err_t fsd_blkdev_open(fsd_blkdev_t *b, const char *name, uint64_t window_bytes, nc_fs_dev_t *dev)
{
	nc_mem_set(b, 0, sizeof *b);
	b->name = name;
	b->window_bytes = window_bytes;
	nc_sys_err_t err = connect(b);
	if (err)
		return err;
	*dev = (nc_fs_dev_t){ .ctx = b, .sector_bytes = (uint32_t)b->blk.info.block_bytes,
			      .n_sectors = b->blk.info.n_blocks, .read = dev_read, .write = dev_write,
			      .flush = dev_flush };
	return NC_SYS_OK;
}

void fsd_blkdev_close(fsd_blkdev_t *b)
{
	nc_blk_close(&b->blk);
}
