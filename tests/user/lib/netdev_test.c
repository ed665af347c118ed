/* user/lib/netdev.c's rings on the host, over a window in memory (the
 * system calls of attaching are stubs, never called): ordinary frames;
 * large frames (nc_netdev_put_large) across the ring's end, read back
 * whole by nc_netdev_peek_frame with their MSS; a full ring; and a
 * producer that breaks the protocol (a chain with a short middle slot, a
 * chain beyond head, too many slots, no MSS): the consumer reports it and
 * never reads outside the slots. */
#include <stdlib.h>
#include <string.h>
#include "nc_test.h"
#include <nc/netdev.h>

nc_sys_err_t nc_sys_shm_create(uint64_t len, uint64_t *h) { (void)len; (void)h; return NC_SYS_ERR_UNSUPPORTED; }
nc_sys_err_t nc_sys_shm_map(uint64_t h, uint64_t off, uint64_t addr, uint64_t len, uint64_t prot, uint64_t *out)
{
	(void)h; (void)off; (void)addr; (void)len; (void)prot; (void)out;
	return NC_SYS_ERR_UNSUPPORTED;
}
nc_sys_err_t nc_sys_ipc_create_channel(void *ends) { (void)ends; return NC_SYS_ERR_UNSUPPORTED; }
nc_sys_err_t nc_sys_ipc_send(uint64_t h, const void *b, uint64_t n, const void *hs, uint64_t nh, uint64_t t)
{
	(void)h; (void)b; (void)n; (void)hs; (void)nh; (void)t;
	return NC_SYS_ERR_UNSUPPORTED;
}
nc_sys_err_t nc_sys_handle_close(uint64_t h) { (void)h; return NC_SYS_OK; }
nc_sys_err_t nc_sys_net_attach(uint64_t h) { (void)h; return NC_SYS_ERR_UNSUPPORTED; }
nc_sys_err_t nc_sys_mem_unmap(uint64_t addr, uint64_t len) { (void)addr; (void)len; return NC_SYS_OK; }

static nc_netdev_window_t *win;
static nc_netdev_side_t prod, cons;
static uint8_t big[NC_NETDEV_LARGE_MAX + 1];

static void fresh(void)
{
	free(win);
	win = calloc(1, NC_NETDEV_WINDOW_BYTES);
	nc_netdev_window_init(win);
	prod = nc_netdev_side(win, false);
	cons = nc_netdev_side(win, false);
	uint64_t seed = 77;
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)nc_test_random(&seed);
}

/* Frame f's bytes in order equal want[0..len). */
static bool same(const nc_netdev_frame_t *f, const uint8_t *want, size_t len)
{
	size_t at = 0;
	for (uint32_t k = 0; k < f->n_pieces; k++) {
		if (at + f->piece_len[k] > len || memcmp(f->piece[k], want + at, f->piece_len[k]))
			return false;
		at += f->piece_len[k];
	}
	return at == len && f->len == len;
}

NC_TEST(netdev, large_frames_cross_the_ring_end_whole)
{
	fresh();
	bool k;
	nc_netdev_frame_t f;
	/* move the counts near the end: 250 ordinary frames put and taken */
	for (int i = 0; i < 250; i++) {
		NC_CHECK_EQ(nc_netdev_put(&prod, big, 60 + i, &k), NC_NETDEV_OK);
		NC_CHECK_EQ(nc_netdev_peek_frame(&cons, &f), NC_NETDEV_OK);
		NC_CHECK(f.n_pieces == 1 && f.mss == 0 && same(&f, big, 60 + (size_t)i));
		nc_netdev_done_frame(&cons, &f, &k);
	}
	size_t sizes[] = { NC_NETDEV_LARGE_MAX, NC_NETDEV_SLOT_BYTES + 1, 3 * NC_NETDEV_SLOT_BYTES, 64294 };
	for (size_t i = 0; i < 4; i++) {
		NC_CHECK_EQ(nc_netdev_put_large(&prod, big, sizes[i], 1460, &k), NC_NETDEV_OK);
		NC_CHECK_EQ(nc_netdev_put(&prod, big + 1, 100, &k), NC_NETDEV_OK); /* an ordinary one after it */
	}
	for (size_t i = 0; i < 4; i++) {
		NC_CHECK_EQ(nc_netdev_peek_frame(&cons, &f), NC_NETDEV_OK);
		NC_CHECK_EQ(f.mss, 1460);
		NC_CHECK_EQ(f.n_pieces, (sizes[i] + NC_NETDEV_SLOT_BYTES - 1) / NC_NETDEV_SLOT_BYTES);
		NC_CHECK(same(&f, big, sizes[i]));
		const uint8_t *p;
		size_t n;
		NC_CHECK_EQ(nc_netdev_peek(&cons, &p, &n), NC_NETDEV_BAD_FRAME); /* not for the rx side's reader */
		nc_netdev_done_frame(&cons, &f, &k);
		NC_CHECK_EQ(nc_netdev_peek_frame(&cons, &f), NC_NETDEV_OK);
		NC_CHECK(f.n_pieces == 1 && f.mss == 0 && same(&f, big + 1, 100));
		nc_netdev_done_frame(&cons, &f, &k);
	}
	NC_CHECK_EQ(nc_netdev_peek_frame(&cons, &f), NC_NETDEV_EMPTY);
}

NC_TEST(netdev, put_large_checks_its_arguments_and_room)
{
	fresh();
	bool k;
	NC_CHECK_EQ(nc_netdev_put_large(&prod, big, NC_NETDEV_SLOT_BYTES, 1460, &k), NC_NETDEV_BAD_FRAME);
	NC_CHECK_EQ(nc_netdev_put_large(&prod, big, NC_NETDEV_LARGE_MAX + 1, 1460, &k), NC_NETDEV_BAD_FRAME);
	NC_CHECK_EQ(nc_netdev_put_large(&prod, big, 9000, 0, &k), NC_NETDEV_BAD_FRAME);
	NC_CHECK_EQ(nc_netdev_put_large(&prod, big, 9000, NC_NETDEV_FRAME_MAX + 1, &k), NC_NETDEV_BAD_FRAME);
	for (int i = 0; i < NC_NETDEV_SLOTS - 2; i++)
		NC_CHECK_EQ(nc_netdev_put(&prod, big, 60, &k), NC_NETDEV_OK);
	NC_CHECK_EQ(nc_netdev_put_large(&prod, big, 3 * NC_NETDEV_SLOT_BYTES, 1460, &k), NC_NETDEV_FULL);
	NC_CHECK_EQ(nc_netdev_put_large(&prod, big, 2 * NC_NETDEV_SLOT_BYTES, 1460, &k), NC_NETDEV_OK);
	NC_CHECK_EQ(nc_netdev_put(&prod, big, 60, &k), NC_NETDEV_FULL);
}

/* Publish n slots with the given lengths and mss by hand, as a broken producer would. */
static void publish(const uint16_t *lens, uint32_t n, uint32_t published, uint16_t mss)
{
	for (uint32_t i = 0; i < n; i++) {
		win->tx.len[(prod.own + i) % NC_NETDEV_SLOTS] = lens[i];
		win->tx.mss[(prod.own + i) % NC_NETDEV_SLOTS] = i ? 0 : mss;
	}
	prod.own += published;
	win->tx.head = prod.own;
}

NC_TEST(netdev, broken_chains_are_reported)
{
	enum { FULL = NC_NETDEV_SLOT_BYTES | NC_NETDEV_LEN_MORE };
	nc_netdev_frame_t f;
	bool k;
	fresh();
	uint16_t short_middle[] = { FULL, 100 | NC_NETDEV_LEN_MORE, 100 };
	publish(short_middle, 3, 3, 1460);
	NC_CHECK_EQ(nc_netdev_peek_frame(&cons, &f), NC_NETDEV_BAD_FRAME);
	NC_CHECK_EQ(f.n_pieces, 2u); /* skipped through the bad slot */
	nc_netdev_done_frame(&cons, &f, &k);
	NC_CHECK_EQ(nc_netdev_peek_frame(&cons, &f), NC_NETDEV_OK); /* the 100-byte slot, on its own */
	nc_netdev_done_frame(&cons, &f, &k);

	fresh();
	uint16_t beyond_head[] = { FULL, FULL, 100 };
	publish(beyond_head, 3, 2, 1460);
	NC_CHECK_EQ(nc_netdev_peek_frame(&cons, &f), NC_NETDEV_BROKEN);

	fresh();
	uint16_t no_mss[] = { FULL, 100 };
	publish(no_mss, 2, 2, 0);
	NC_CHECK_EQ(nc_netdev_peek_frame(&cons, &f), NC_NETDEV_BAD_FRAME);
	NC_CHECK_EQ(f.n_pieces, 2u);

	fresh();
	uint16_t zero_end[] = { FULL, 0 };
	publish(zero_end, 2, 2, 1460);
	NC_CHECK_EQ(nc_netdev_peek_frame(&cons, &f), NC_NETDEV_BAD_FRAME);

	fresh();
	static uint16_t endless[NC_NETDEV_SLOTS];
	for (int i = 0; i < NC_NETDEV_SLOTS; i++)
		endless[i] = FULL;
	publish(endless, NC_NETDEV_SLOTS, NC_NETDEV_SLOTS, 1460);
	NC_CHECK_EQ(nc_netdev_peek_frame(&cons, &f), NC_NETDEV_BAD_FRAME);
	NC_CHECK_EQ(f.n_pieces, (uint32_t)NC_NETDEV_LARGE_SLOTS + 1);
	for (uint32_t i = 0; i < f.n_pieces - 1; i++)
		NC_CHECK(f.piece[i] >= (uint8_t *)win + NC_NETDEV_DATA_OFFSET &&
			 f.piece[i] + f.piece_len[i] <= (uint8_t *)win + NC_NETDEV_WINDOW_BYTES);

	fresh();
	uint16_t head_too_far[] = { 60 };
	publish(head_too_far, 1, NC_NETDEV_SLOTS + 1, 0);
	NC_CHECK_EQ(nc_netdev_peek_frame(&cons, &f), NC_NETDEV_BROKEN);
}
