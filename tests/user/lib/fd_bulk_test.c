/* user/lib/fd_bulk.c against a file kept in memory here (the system calls and the
 * heap are stubs): pieces of at most IO_BULK_MAX_BYTES, the 4 KiB FdRead/FdWrite
 * after a bulk call refused with LIMIT or NO_MEMORY, the stack buffer when the heap
 * has none, fn's error and NO_SPACE returned. */
#include <stdlib.h>
#include <string.h>
#include "nc_test.h"
#include <nc/ulib.h>

enum { FILE_CAP = (3 << 20) + 5 };
static struct {
	uint8_t data[FILE_CAP];
	size_t len, pos;
	nc_sys_err_t bulk_err; /* what the bulk calls answer (0: they work) */
	bool no_heap, full;
	unsigned n_bulk, n_small;
	size_t largest;
} f;

static void reset(size_t len, nc_sys_err_t bulk_err)
{
	memset(&f, 0, sizeof f);
	for (size_t i = 0; i < len; i++)
		f.data[i] = (uint8_t)(i * 7 + i / 4099);
	f.len = len;
	f.bulk_err = bulk_err;
}

static nc_sys_err_t take(void *buf, uint64_t len, uint64_t *got)
{
	*got = len < f.len - f.pos ? len : f.len - f.pos;
	memcpy(buf, f.data + f.pos, *got);
	f.pos += *got;
	f.largest = len > f.largest ? len : f.largest;
	return NC_SYS_OK;
}

static nc_sys_err_t put(const void *buf, uint64_t len, uint64_t *n)
{
	*n = f.full ? 0 : len < FILE_CAP - f.pos ? len : FILE_CAP - f.pos;
	memcpy(f.data + f.pos, buf, *n);
	f.pos += *n;
	f.len = f.pos > f.len ? f.pos : f.len;
	f.largest = len > f.largest ? len : f.largest;
	return NC_SYS_OK;
}

nc_sys_err_t nc_sys_fd_read_bulk(uint64_t h, void *buf, uint64_t len, uint64_t timeout_ns, uint64_t *got)
{
	f.n_bulk++;
	if (len == 0 || len > NC_SYS_IO_BULK_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	return f.bulk_err ? f.bulk_err : take(buf, len, got);
}

nc_sys_err_t nc_sys_fd_read(uint64_t h, void *buf, uint64_t len, uint64_t timeout_ns, uint64_t *got)
{
	f.n_small++;
	return len == 0 || len > NC_SYS_IO_MAX_BYTES ? NC_SYS_ERR_INVALID : take(buf, len, got);
}

nc_sys_err_t nc_sys_fd_write_bulk(uint64_t h, const void *buf, uint64_t len, uint64_t *n)
{
	f.n_bulk++;
	if (len > NC_SYS_IO_BULK_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	return f.bulk_err ? f.bulk_err : put(buf, len, n);
}

nc_sys_err_t nc_sys_fd_write(uint64_t h, const void *buf, uint64_t len, uint64_t *n)
{
	f.n_small++;
	return len > NC_SYS_IO_MAX_BYTES ? NC_SYS_ERR_INVALID : put(buf, len, n);
}

void *nc_malloc(size_t len) { return f.no_heap ? NULL : calloc(1, len); }
void nc_free(void *p) { free(p); }

static uint8_t seen[FILE_CAP];
static size_t n_seen;

static nc_sys_err_t collect(void *ctx, const uint8_t *p, size_t n)
{
	memcpy(seen + n_seen, p, n);
	n_seen += n;
	return ctx ? *(nc_sys_err_t *)ctx : NC_SYS_OK;
}

/* each_piece over the whole file: every byte once, in order. */
static bool read_whole(void)
{
	n_seen = 0;
	return nc_fd_each_piece(3, collect, NULL) == NC_SYS_OK && n_seen == f.len && !memcmp(seen, f.data, f.len);
}

NC_TEST(fd_bulk, reads_in_pieces_of_at_most_one_mib)
{
	reset(FILE_CAP, NC_SYS_OK);
	NC_CHECK(read_whole());
	NC_CHECK_EQ(f.largest, (size_t)NC_SYS_IO_BULK_MAX_BYTES);
	NC_CHECK_EQ(f.n_bulk, 5u); /* 1 + 1 + 1 MiB, 5 bytes, the end */
	NC_CHECK_EQ(f.n_small, 0u);
}

NC_TEST(fd_bulk, a_refused_window_falls_back_to_4k)
{
	nc_sys_err_t refusals[] = { NC_SYS_ERR_LIMIT, NC_SYS_ERR_NO_MEMORY };
	for (size_t i = 0; i < 2; i++) {
		reset(FILE_CAP, refusals[i]);
		NC_CHECK(read_whole());
		NC_CHECK_EQ(f.n_bulk, f.n_small); /* each 4 KiB read came after a refused bulk call */
		NC_CHECK_EQ(f.n_small, (unsigned)(FILE_CAP / NC_SYS_IO_MAX_BYTES + 2));
	}
}

NC_TEST(fd_bulk, other_errors_are_returned)
{
	reset(FILE_CAP, NC_SYS_ERR_IO_ERROR);
	n_seen = 0;
	NC_CHECK_EQ(nc_fd_each_piece(3, collect, NULL), NC_SYS_ERR_IO_ERROR);
	NC_CHECK_EQ(f.n_small, 0u);
	NC_CHECK_EQ(n_seen, (size_t)0);
}

NC_TEST(fd_bulk, without_heap_reads_into_4k_on_the_stack)
{
	reset(FILE_CAP, NC_SYS_OK);
	f.no_heap = true;
	NC_CHECK(read_whole());
	NC_CHECK_EQ(f.n_bulk, 0u);
	NC_CHECK_EQ(f.largest, (size_t)NC_SYS_IO_MAX_BYTES);
}

NC_TEST(fd_bulk, fn_error_stops_the_reading)
{
	reset(FILE_CAP, NC_SYS_OK);
	nc_sys_err_t stop = NC_SYS_ERR_NO_SPACE;
	n_seen = 0;
	NC_CHECK_EQ(nc_fd_each_piece(3, collect, &stop), NC_SYS_ERR_NO_SPACE);
	NC_CHECK_EQ(n_seen, (size_t)NC_SYS_IO_BULK_MAX_BYTES);
	NC_CHECK_EQ(f.n_bulk, 1u);
}

NC_TEST(fd_bulk, read_some_small_cap_uses_fd_read)
{
	reset(100, NC_SYS_OK);
	uint8_t b[64];
	uint64_t got;
	NC_CHECK_EQ(nc_fd_read_some(3, b, sizeof b, &got), NC_SYS_OK);
	NC_CHECK_EQ(got, 64u);
	NC_CHECK_EQ(f.n_bulk, 0u);
	NC_CHECK_EQ(nc_fd_read_some(3, b, 0, &got), NC_SYS_OK);
	NC_CHECK_EQ(got, 0u);
	NC_CHECK_EQ(f.n_small, 1u);
}

static uint8_t src[FILE_CAP];

NC_TEST(fd_bulk, writes_whole_in_bulk_or_4k_pieces)
{
	for (size_t i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)(i * 13 + 1);
	nc_sys_err_t modes[] = { NC_SYS_OK, NC_SYS_ERR_LIMIT };
	for (size_t m = 0; m < 2; m++) {
		reset(0, modes[m]);
		NC_CHECK_EQ(nc_fd_write_whole(3, src, sizeof src), NC_SYS_OK);
		NC_CHECK_EQ(f.len, sizeof src);
		NC_CHECK(!memcmp(f.data, src, sizeof src));
		NC_CHECK_EQ(f.n_small, m ? (unsigned)(sizeof src / NC_SYS_IO_MAX_BYTES + 1) : 1u); /* the 5-byte tail */
	}
	reset(0, NC_SYS_OK);
	NC_CHECK_EQ(nc_fd_write_whole(3, src, 0), NC_SYS_OK);
	NC_CHECK_EQ(f.n_bulk + f.n_small, 0u);
	f.full = true;
	NC_CHECK_EQ(nc_fd_write_whole(3, src, 5000), NC_SYS_ERR_NO_SPACE);
}
