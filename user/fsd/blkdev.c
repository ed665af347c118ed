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

/* Make the connection again (the driver has gone, or the connection is in an unknown state),
 * waiting up to RECONNECT_NS for a restarted driver to register the name. */
static nc_sys_err_t reconnect(fsd_blkdev_t *b)
{
	nc_sys_err_t err;
	nc_blk_close(&b->blk);
	b->n_reconnects++;
	for (uint64_t waited = 0; (err = connect(b)) == NC_SYS_ERR_NOT_FOUND && waited < RECONNECT_NS;
	     waited += RETRY_NS)
		nc_sys_sleep(RETRY_NS);
	return err;
}

/* One request of n sectors at sector through the window (a write copies mem in first, a read
 * copies the window out to mem after); a connection whose driver has gone is made again and the
 * request sent once more, with the data copied into the new window again. */
static nc_sys_err_t transfer(fsd_blkdev_t *b, uint8_t op, uint64_t sector, uint32_t n, uint8_t *mem)
{
	size_t bytes = (size_t)n * b->blk.info.block_bytes;
	if (op == NC_BLK_OP_WRITE)
		nc_mem_copy(b->blk.window, mem, bytes);
	nc_sys_err_t err = nc_blk_io(&b->blk, op, 0, sector, n, 0);
	if (err == NC_SYS_ERR_PEER_CLOSED) {
		err = reconnect(b);
		if (!err && op == NC_BLK_OP_WRITE)
			nc_mem_copy(b->blk.window, mem, bytes);
		if (!err)
			err = nc_blk_io(&b->blk, op, 0, sector, n, 0);
	}
	if (!err && op == NC_BLK_OP_READ)
		nc_mem_copy(mem, b->blk.window, bytes);
	return err;
}

/* Read n_sectors (at most the window) at sector into mem with all their pieces in flight at once
 * (the driver serves them side by side), each at its own place in the window. A transport error
 * leaves completions unaccounted for: the connection is made again and the pieces are read one
 * by one (transfer). */
static nc_sys_err_t read_parallel(fsd_blkdev_t *b, uint64_t sector, uint64_t n_sectors, uint8_t *mem)
{
	uint64_t bs = b->blk.info.block_bytes;
	nc_blk_req_t reqs[NC_BLK_REQS_PER_MSG] = { 0 };
	size_t k = 0;
	uint64_t first_id = b->blk.next_id + 1;
	for (uint64_t done = 0; done < n_sectors && k < NC_BLK_REQS_PER_MSG; k++) {
		uint32_t n = (uint32_t)(n_sectors - done < b->piece_blocks ? n_sectors - done : b->piece_blocks);
		reqs[k] = (nc_blk_req_t){ .op = NC_BLK_OP_READ, .n_blocks = n, .lba = sector + done,
					  .offset = done * bs, .id = ++b->blk.next_id };
		done += n;
	}
	nc_sys_err_t err = nc_blk_submit(&b->blk, reqs, k), status = NC_SYS_OK;
	nc_blk_done_t got[NC_BLK_DONES_PER_MSG];
	for (size_t left = k, n = 0; !err && left; left -= n) {
		err = nc_blk_wait(&b->blk, got, left, &n, NC_SYS_TIMEOUT_INFINITE);
		for (size_t i = 0; !err && i < n; i++) {
			err = got[i].id >= first_id && got[i].id <= b->blk.next_id ? NC_SYS_OK : NC_SYS_ERR_INVALID;
			if (!status)
				status = (nc_sys_err_t)got[i].status;
		}
	}
	if (!err && !status) {
		nc_mem_copy(mem, b->blk.window, (size_t)(n_sectors * bs));
		return NC_SYS_OK;
	}
	if (!err)
		return status;
	if (err != NC_SYS_ERR_PEER_CLOSED && (err = reconnect(b)))
		return err;
	err = NC_SYS_OK; /* transfer meets the closed connection itself and makes it again */
	for (size_t i = 0; i < k && !err; i++)
		err = transfer(b, NC_BLK_OP_READ, reqs[i].lba, reqs[i].n_blocks, mem + reqs[i].offset);
	return err;
}

/* Send the batched writes to the device. A failure is remembered: every later write and flush
 * fails, so lib/fs stops writing (the batch's writes were reported done). */
static bool write_batch(fsd_blkdev_t *b)
{
	uint32_t n = (uint32_t)b->wb_count;
	b->wb_count = 0;
	if (n && transfer(b, NC_BLK_OP_WRITE, b->wb_start, n, b->wb))
		b->write_failed = true;
	return !b->write_failed;
}

/* Sectors [start, start + count) meet [sector, sector + n). */
static bool overlap(uint64_t start, uint64_t count, uint64_t sector, uint64_t n)
{
	return sector < start + count && start < sector + n;
}

/* Move n_sectors between mem and the device at sector, in pieces. A read of sectors still in the
 * write batch sends the batch first (a failure there does not fail the read); a read that fits
 * the window has its pieces in flight together. */
static bool move(fsd_blkdev_t *b, uint8_t op, uint64_t sector, uint64_t n_sectors, uint8_t *mem)
{
	bool ok = true;
	if (op == NC_BLK_OP_READ && overlap(b->wb_start, b->wb_count, sector, n_sectors))
		write_batch(b);
	uint64_t pieces = (n_sectors + b->piece_blocks - 1) / b->piece_blocks;
	if (op == NC_BLK_OP_READ && pieces > 1 && pieces <= NC_BLK_REQS_PER_MSG &&
	    n_sectors * b->blk.info.block_bytes <= b->blk.window_bytes)
		return read_parallel(b, sector, n_sectors, mem) == NC_SYS_OK;
	for (uint64_t done = 0; ok && done < n_sectors;) {
		uint32_t n = (uint32_t)(n_sectors - done < b->piece_blocks ? n_sectors - done : b->piece_blocks);
		ok = transfer(b, op, sector + done, n, mem + done * b->blk.info.block_bytes) == NC_SYS_OK;
		done += n;
	}
	if (!ok && op == NC_BLK_OP_WRITE)
		b->write_failed = true;
	return ok;
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
		return move(b, NC_BLK_OP_READ, sector, n_sectors, buf);
	uint64_t count = b->blk.info.n_blocks - sector < cap ? b->blk.info.n_blocks - sector : cap;
	b->ra_count = 0;
	if (!move(b, NC_BLK_OP_READ, sector, count, b->ra))
		return false;
	b->ra_start = sector;
	b->ra_count = count;
	nc_mem_copy(buf, b->ra, (size_t)n_sectors * bs);
	return true;
}

/* A write that continues the batch joins it while the batch fits one request; any other write
 * sends the batch first. Writes are not durable before dev_flush anyway, and lib/fs orders
 * everything that matters with flushes, so batching keeps its guarantees. */
static bool dev_write(void *ctx, uint64_t sector, uint32_t n_sectors, const void *buf)
{
	fsd_blkdev_t *b = ctx;
	uint64_t bs = b->blk.info.block_bytes, max = FSD_WRITE_BATCH_BYTES / bs;
	if (max > b->piece_blocks)
		max = b->piece_blocks;
	if (b->write_failed)
		return false;
	if (overlap(b->ra_start, b->ra_count, sector, n_sectors))
		b->ra_count = 0; /* the read-ahead never shows what was there before a write */
	bool joins = b->wb_count && sector == b->wb_start + b->wb_count && b->wb_count + n_sectors <= max;
	if (!joins && !write_batch(b))
		return false;
	if (n_sectors > max)
		return move(b, NC_BLK_OP_WRITE, sector, n_sectors, (uint8_t *)buf);
	if (!b->wb_count)
		b->wb_start = sector;
	nc_mem_copy(b->wb + b->wb_count * bs, buf, (size_t)n_sectors * bs);
	b->wb_count += n_sectors;
	return true;
}

static bool dev_flush(void *ctx)
{
	fsd_blkdev_t *b = ctx;
	if (!write_batch(b))
		return false;
	if (transfer(b, NC_BLK_OP_FLUSH, 0, 0, NULL) == NC_SYS_OK)
		return true;
	b->write_failed = true;
	return false;
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
