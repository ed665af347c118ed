/* The file-system service's answers: one routed file call (docs/services.md) in, the reply out,
 * over a mounted lib/fs. Pure: no system calls here (main.c receives and replies), so the host
 * tests drive it directly.
 *
 * Objects are what FsOpen opens: a file (position, write and append flags) or a directory (a
 * listing cursor), named to the kernel by a 64-bit id (slot and sequence, so an id never names a
 * later object in the same slot). Errors of lib/fs become the ABI's (fsd_error); an error the call
 * does not list becomes IO_ERROR, which every routed call lists, so the kernel never has to refuse
 * a reply. Not thread-safe: one request at a time.
 *
 * Write-back: an FdWrite on a file object opened without OPEN_APPEND is copied into d->wb and
 * answered at once when the data continues what waits there for the same object (or nothing
 * waits), fits in FSD_WRITE_BACK_BYTES, ends below FSD_WRITE_BACK_MAX_OFFSET (no size limit of
 * the format is near) and the file system has room for it with a margin (statfs free blocks, so
 * NO_SPACE is still answered by the FdWrite that meets it, synchronously). lib/fs then gets
 * large writes instead of many small ones. Every other request writes what waits first
 * (fsd_serve does, fsd_flush too), so no request can see the file without it. A failure of that
 * deferred write is answered to the object's next FdWrite or FsSync (once); if the object was
 * closed meanwhile it is only in the file system's state (lib/fs stops writing after a device
 * error). */
#ifndef NC_FSD_SERVE_H
#define NC_FSD_SERVE_H

#include <nc/abi.h>
#include <nc/fs.h>

#define FSD_OBJECTS 256u
#define FSD_WRITE_BACK_BYTES (128u * 1024u)
#define FSD_WRITE_BACK_MAX_OFFSET (1ull << 30)

typedef struct {
	bool used, dir, write, append;
	uint32_t seq;
	nc_fs_node_t node;
	uint64_t pos;               /* file: the position; directory: the entry the cursor is at */
	uint64_t cookie;            /* directory: nc_fs_read_dir's cookie for entry pos */
	nc_fs_err_t deferred;       /* file: the failure of its write-back, for its next FdWrite or FsSync */
} fsd_object_t;

typedef struct {
	nc_fs_t *fs;
	fsd_object_t obj[FSD_OBJECTS];
	uint32_t next_seq;
	_Alignas(16) uint8_t out[NC_SYS_SERVICE_MSG_MAX_BYTES]; /* reply data (ABI structs) */
	uint64_t wb_object;         /* the object whose data waits in wb (wb_len > 0) */
	nc_fs_node_t wb_node;       /* its file */
	uint64_t wb_pos;            /* the file offset of wb[0] */
	size_t wb_len;
	uint8_t wb[FSD_WRITE_BACK_BYTES];
} fsd_t;

typedef struct {
	bool silent;                /* a notice (close, cancel): no reply */
	nc_sys_err_t status;
	uint64_t result;
	uint64_t object, object_type, rights; /* FsOpen: the object opened */
	const void *data;           /* reply data: points into fsd_t.out */
	size_t len;
} fsd_reply_t;

/* Serve one request (header and in_len payload bytes). fs must be mounted and stay so. */
void fsd_serve(fsd_t *d, const nc_sys_service_request_t *req, const uint8_t *payload, fsd_reply_t *r);

/* Write the data waiting in d->wb to the file system (nothing when none waits). Returns lib/fs's
 * error, also kept for the object as described above. */
nc_fs_err_t fsd_flush(fsd_t *d);

/* The ABI error for a lib/fs error, restricted to the call's error mask (NC_SYS_ERRORS_*). */
nc_sys_err_t fsd_error(nc_fs_err_t err, uint64_t allowed);

#endif
