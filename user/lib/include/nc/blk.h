/* The block protocol (docs/block.md) and its client. A client gets a channel
 * to a block driver with BlkLookup, attaches a shared memory window (one
 * message carrying the ShmCreate handle), then sends requests naming block
 * ranges and offsets in the window; the driver answers each request with a
 * completion carrying the request's id, in completion order, so many
 * requests can be in flight. Data never travels in messages.
 *
 *   attach   client -> driver: nc_blk_attach_t + 1 handle (the window, RIGHT_MAP|RIGHT_WRITE)
 *            driver -> client: nc_blk_info_t
 *   requests client -> driver: 1..NC_BLK_REQS_PER_MSG nc_blk_req_t
 *            driver -> client: 1..NC_BLK_DONES_PER_MSG nc_blk_done_t
 * Statuses (nc_sys_err_t): OK; INVALID (bad op, flags, alignment, a window
 * range outside the window, more than max_transfer_bytes); NO_SPACE (the
 * range ends past the last block); READ_ONLY (a write or flush on a
 * read-only device or connection); IO_ERROR (the device failed or timed
 * out). A driver that dies closes the channel: the client's next receive or
 * send gives PEER_CLOSED ("device gone"); BlkLookup again reaches the
 * restarted driver. */
#ifndef NC_BLK_H
#define NC_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/syscalls.h>

enum {
	NC_BLK_OP_ATTACH = 1, NC_BLK_OP_READ = 2, NC_BLK_OP_WRITE = 3, NC_BLK_OP_FLUSH = 4,
	NC_BLK_FUA = 1,                      /* write: on stable storage when it completes */
	NC_BLK_REQS_PER_MSG = 8,
	NC_BLK_DONES_PER_MSG = 16,
	NC_BLK_READ_ONLY = 1,                /* nc_blk_info_t.flags: writes refused */
};

typedef struct {
	uint32_t op;                         /* NC_BLK_OP_ATTACH */
	uint32_t reserved;
} nc_blk_attach_t;

typedef struct {
	uint32_t status;                     /* nc_sys_err_t of the attach */
	uint32_t flags;                      /* NC_BLK_READ_ONLY (device or connection) */
	uint64_t block_bytes;
	uint64_t n_blocks;
	uint64_t max_transfer_bytes;         /* largest request */
} nc_blk_info_t;

typedef struct {
	uint8_t op;                          /* NC_BLK_OP_READ, _WRITE, _FLUSH */
	uint8_t flags;                       /* NC_BLK_FUA */
	uint16_t reserved;
	uint32_t n_blocks;                   /* 1.. (0 for FLUSH) */
	uint64_t lba;
	uint64_t offset;                     /* in the window, block-aligned */
	uint64_t id;                         /* echoed in the completion */
} nc_blk_req_t;

typedef struct {
	uint64_t id;
	uint32_t status;                     /* nc_sys_err_t */
	uint32_t n_blocks;                   /* blocks transferred */
} nc_blk_done_t;

_Static_assert(sizeof(nc_blk_req_t) == 32, "block request layout");
_Static_assert(sizeof(nc_blk_done_t) == 16, "block completion layout");

/* A client connection. Not thread-safe: one thread submits and waits. */
typedef struct {
	uint64_t channel, shm;
	uint8_t *window;
	uint64_t window_bytes;
	nc_blk_info_t info;
	uint64_t next_id;
} nc_blk_t;

/* Look name up, attach a new window of window_bytes (rounded up to pages)
 * and read the device's geometry into b->info. Errors: those of BlkLookup,
 * ShmCreate, ShmMap, the attach's status, PEER_CLOSED. */
nc_sys_err_t nc_blk_open(nc_blk_t *b, const char *name, uint64_t window_bytes);
/* Close the channel and free the window. */
void nc_blk_close(nc_blk_t *b);
/* Send n requests (1..NC_BLK_REQS_PER_MSG) in one message. Errors: those of
 * IpcSend (PEER_CLOSED: the device is gone). */
nc_sys_err_t nc_blk_submit(nc_blk_t *b, const nc_blk_req_t *reqs, size_t n);
/* Receive one message of completions: *n_out (1..max) of them. Errors: those
 * of IpcReceive (PEER_CLOSED: the device is gone, TIMED_OUT). */
nc_sys_err_t nc_blk_wait(nc_blk_t *b, nc_blk_done_t *done, size_t max, size_t *n_out, uint64_t timeout_ns);
/* One request, waited for: n_blocks at lba to/from window offset offset
 * (op NC_BLK_OP_READ/WRITE/FLUSH). Returns the transport error, or else the
 * completion's status. */
nc_sys_err_t nc_blk_io(nc_blk_t *b, uint8_t op, uint8_t flags, uint64_t lba, uint32_t n_blocks, uint64_t offset);

#endif
