/* lib/fs's block device (nc_fs_dev_t) over a block-service connection (nc/blk.h): sectors are
 * the device's blocks, moved through the connection's shared window in pieces of at most the
 * window and the driver's largest transfer. A read that continues the previous one reads 256 KiB
 * ahead, its pieces in flight together (writes drop what they overlap). Writes that continue each
 * other are batched (up to 128 KiB or the largest transfer) and sent as one request before the
 * next flush, before a write elsewhere, and before a read of their sectors; a batch that fails
 * makes every later write and flush fail (lib/fs then stops writing). A driver that ends (the
 * connection gives PEER_CLOSED) is looked up again (for up to 5 s while the name is not yet
 * registered again) and the request sent once more, so a restarted driver serves it; a request
 * that fails again reports failure to lib/fs. Not thread-safe. */
#ifndef NC_FSD_BLKDEV_H
#define NC_FSD_BLKDEV_H

#include <nc/blk.h>
#include <nc/fs.h>

#define FSD_READ_AHEAD_BYTES (256u * 1024u)
#define FSD_WRITE_BATCH_BYTES (128u * 1024u)

typedef struct {
	nc_blk_t blk;
	uint8_t ra[FSD_READ_AHEAD_BYTES]; /* sectors [ra_start, ra_start + ra_count) as on the device */
	uint64_t ra_start, ra_count;
	uint64_t next_sector;   /* where the last read ended */
	uint8_t wb[FSD_WRITE_BATCH_BYTES]; /* writes of sectors [wb_start, wb_start + wb_count) not yet sent */
	uint64_t wb_start, wb_count;
	bool write_failed;      /* a write or flush failed: later ones fail too */
	const char *name;       /* the device, for the lookups again */
	uint64_t window_bytes;
	uint64_t piece_blocks;  /* blocks per request */
	uint64_t n_reconnects;
} fsd_blkdev_t;

/* Connect to device name with a window of window_bytes and fill *dev for lib/fs. Errors: those
 * of nc_blk_open; INVALID when the device's block size is not one lib/fs takes (512..4096). */
nc_sys_err_t fsd_blkdev_open(fsd_blkdev_t *b, const char *name, uint64_t window_bytes, nc_fs_dev_t *dev);
void fsd_blkdev_close(fsd_blkdev_t *b);

/* Replace handle *h by a copy with rights (no RIGHT_TRANSFER: a program fsd starts with
 * SPAWN_INHERIT does not get it); *h is unchanged when the copy cannot be made. The connection's
 * channel and window are kept so. */
void fsd_keep_private(uint64_t *h, uint64_t rights);

#endif
