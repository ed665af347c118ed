/* Moving file bytes in IO_BULK_MAX_BYTES pieces (see nc/ulib.h): FdReadBulk and
 * FdWriteBulk, with FdRead/FdWrite of IO_MAX_BYTES when a bulk call's window
 * does not fit the caller's quota or memory (LIMIT, NO_MEMORY). */
#include <nc/ulib.h>

/* A bulk call failed for want of room for its window: the small call needs none. */
static bool window_refused(nc_sys_err_t err) { return err == NC_SYS_ERR_LIMIT || err == NC_SYS_ERR_NO_MEMORY; }

nc_sys_err_t nc_fd_read_some(uint64_t h, void *buf, size_t cap, uint64_t *got)
{
	*got = 0;
	if (cap == 0)
		return NC_SYS_OK;
	if (cap > NC_SYS_IO_MAX_BYTES) {
		nc_sys_err_t err = nc_sys_fd_read_bulk(h, buf, cap < NC_SYS_IO_BULK_MAX_BYTES ? cap : NC_SYS_IO_BULK_MAX_BYTES,
						       0, got);
		if (!window_refused(err))
			return err;
	}
	return nc_sys_fd_read(h, buf, cap < NC_SYS_IO_MAX_BYTES ? cap : NC_SYS_IO_MAX_BYTES, 0, got);
}

nc_sys_err_t nc_fd_write_whole(uint64_t h, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	for (uint64_t put; len; p += put, len -= put) {
		nc_sys_err_t err = NC_SYS_ERR_LIMIT;
		if (len > NC_SYS_IO_MAX_BYTES)
			err = nc_sys_fd_write_bulk(h, p, len < NC_SYS_IO_BULK_MAX_BYTES ? len : NC_SYS_IO_BULK_MAX_BYTES, &put);
		if (window_refused(err))
			err = nc_sys_fd_write(h, p, len < NC_SYS_IO_MAX_BYTES ? len : NC_SYS_IO_MAX_BYTES, &put);
		if (err)
			return err;
		if (put == 0)
			return NC_SYS_ERR_NO_SPACE;
	}
	return NC_SYS_OK;
}

nc_sys_err_t nc_fd_each_piece(uint64_t h, nc_sys_err_t (*fn)(void *ctx, const uint8_t *p, size_t n), void *ctx)
{
	uint8_t small[NC_SYS_IO_MAX_BYTES];
	uint8_t *big = nc_malloc(NC_SYS_IO_BULK_MAX_BYTES), *buf = big ? big : small;
	size_t cap = big ? NC_SYS_IO_BULK_MAX_BYTES : sizeof small;
	nc_sys_err_t err;
	uint64_t got;
	while ((err = nc_fd_read_some(h, buf, cap, &got)) == NC_SYS_OK && got && (err = fn(ctx, buf, got)) == NC_SYS_OK)
		;
	nc_free(big);
	return err;
}
