/* Large NetSend and NetRecv on the network service's loopback interface:
 * more than NET_IO_MAX_BYTES move through a window (docs/network.md,
 * docs/services.md). Pieces around both limits every byte checked, bad
 * buffers refused before anything moves, buffers unmapped while a call
 * waits, a peer that stops reading, and callers killed while their window
 * is in the service (it is given back: no frames lost). */
#include "netsvc_tests.h"

#define P(s) s, sizeof s - 1

enum {
	PAGE = 4096,
	IO = NC_SYS_NET_IO_MAX_BYTES,
	BULK = NC_SYS_IO_BULK_MAX_BYTES,
	BUF_BYTES = BULK + 2 * PAGE,          /* room for BULK + 1 bytes at an odd offset */
	KILLS = 12,                           /* more than the service keeps free window slots (8) */
	FRAMES_SLACK = 128,                   /* the service's heap may grow meanwhile; a window is 256 */
};

#define SECONDS(n) ((n) * 1000000000ull)

/* A connected pair on 127.0.0.1:port: *c connected, *a accepted. */
static bool tcp_pair(const char *addr, size_t len, uint64_t *c, uint64_t *a)
{
	uint64_t l;
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, &l), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_bind(l, addr, len), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_listen(l, 1), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_socket(NC_SYS_NET_TCP, c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_connect(*c, addr, len), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_accept(l, SECONDS(5), a), NC_SYS_OK);
	nc_sys_handle_close(l);
	return true;
}

/* Receive on s into buf until want bytes came (the stream from offset
 * *off, every byte checked) or the stream ended (want UINT64_MAX: to the
 * end); NetRecv lengths cycle through lens, from odd offsets of buf. */
static bool recv_checked(uint64_t s, uint8_t *buf, uint64_t *off, uint64_t want)
{
	static const size_t lens[] = { BULK + 1, IO + 1, IO, 100, 300000, BULK, 2 * PAGE };
	for (size_t k = 0; *off < want; k++) {
		uint8_t *at = buf + (k % 5);
		uint64_t n;
		NC_EXPECT_SYS(nc_sys_net_recv(s, at, lens[k % 7], SECONDS(10), &n), NC_SYS_OK);
		if (n == 0)
			return want == UINT64_MAX || NC_FAIL("the stream ended at %llu", (unsigned long long)*off);
		NC_REQUIRE(n <= lens[k % 7] && n <= BULK);
		for (uint64_t i = 0; i < n; i++)
			if (at[i] != nt_stream_byte(*off + i))
				return NC_FAIL("byte %llu differs", (unsigned long long)(*off + i));
		*off += n;
	}
	return *off == want || NC_FAIL("%llu bytes, want %llu", (unsigned long long)*off, (unsigned long long)want);
}

static uint8_t *send_buf;

/* The stream from offset 0 to STREAM_BYTES in NetSends of lengths around both limits. */
enum { STREAM_BYTES = 5 * BULK + 12345 };

static int send_pieces(void *arg)
{
	static const size_t lens[] = { IO, IO + 1, BULK, 65536, BULK - 1, 12345, 1, 3 * PAGE + 7 };
	uint64_t s = *(uint64_t *)arg, n;
	for (uint64_t off = 0, k = 0; off < STREAM_BYTES; k++) {
		uint64_t len = STREAM_BYTES - off < lens[k % 8] ? STREAM_BYTES - off : lens[k % 8];
		uint8_t *at = send_buf + (k % 3);
		for (uint64_t i = 0; i < len; i++)
			at[i] = nt_stream_byte(off + i);
		nc_sys_err_t err = nc_sys_net_send(s, at, len, &n);
		if (err)
			return (int)err + 1000;
		if (n != len) /* a blocking TCP send queues every byte */
			return 3000;
		off += n;
	}
	return nc_sys_net_shutdown(s, NC_SYS_NET_SHUT_SEND) ? 2000 : 0;
}

/* 5 MiB one way in pieces around NET_IO_MAX_BYTES and IO_BULK_MAX_BYTES,
 * received in pieces around them too; the first receives wait (parked with
 * their window) before anything was sent. */
static bool bulk_stream(uint8_t *buf)
{
	uint64_t c, a, code, off = 0;
	if (!tcp_pair(P("127.0.0.1:7020"), &c, &a))
		return false;
	nc_thread_t t;
	NC_EXPECT_SYS(nc_thread_start(&t, send_pieces, &c), NC_SYS_OK);
	bool ok = recv_checked(a, buf, &off, UINT64_MAX);
	NC_EXPECT_SYS(nc_thread_join(&t, &code), NC_SYS_OK);
	nc_sys_handle_close(a);
	nc_sys_handle_close(c);
	if (!ok)
		return false;
	NC_REQUIRE(code == 0);
	return off == STREAM_BYTES || NC_FAIL("%llu bytes arrived", (unsigned long long)off);
}

/* Buffers the caller cannot read (NetSend) or write (NetRecv) give
 * BAD_ADDRESS and move nothing; lengths beyond IO_BULK_MAX_BYTES are
 * INVALID for NetSend and cut to it for NetRecv (bulk_stream). */
static bool bulk_bad_buffers(uint8_t *buf)
{
	uint64_t c, a, n, idx, ro, holed;
	if (!tcp_pair(P("127.0.0.1:7021"), &c, &a))
		return false;
	NC_EXPECT_SYS(nc_sys_mem_map(0, 3 * PAGE, NC_SYS_PROT_READ, &ro), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_mem_map(0, 3 * PAGE, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &holed), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_mem_unmap(holed + 2 * PAGE, PAGE), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_send(c, buf, BULK + 1, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_net_send(c, (void *)UT_KERNEL_ADDR, IO + 1, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_net_send(c, (void *)(holed + 100), 2 * PAGE, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_net_send(c, (void *)UT_UNMAPPED_ADDR, BULK, &n), NC_SYS_ERR_BAD_ADDRESS);
	for (uint64_t i = 0; i < 16; i++)
		buf[i] = nt_stream_byte(i);
	NC_EXPECT_SYS(nc_sys_net_send(c, buf, 16, &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(&a, 1, SECONDS(5), &idx), NC_SYS_OK); /* the 16 bytes are there */
	NC_EXPECT_SYS(nc_sys_net_recv(a, (void *)ro, 3 * PAGE, 0, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_net_recv(a, (void *)(holed + 100), 2 * PAGE, 0, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_net_recv(a, (void *)UT_KERNEL_ADDR, IO + 1, 0, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_net_recv(a, (void *)(holed + PAGE), IO + 1, 0, &n), NC_SYS_ERR_BAD_ADDRESS);
	uint64_t off = 0;
	bool ok = recv_checked(a, buf, &off, 16); /* the bad sends sent nothing, the bad receives took nothing */
	nc_sys_mem_unmap(ro, 3 * PAGE);
	nc_sys_mem_unmap(holed, 2 * PAGE);
	nc_sys_handle_close(a);
	nc_sys_handle_close(c);
	return ok;
}

typedef struct {
	uint64_t s, addr, len;
	nc_sys_err_t err;
	uint64_t n;
} call_t;

static int recv_thread(void *arg)
{
	call_t *k = arg;
	k->err = nc_sys_net_recv(k->s, (void *)k->addr, k->len, SECONDS(20), &k->n);
	return 0;
}

static int send_thread(void *arg)
{
	call_t *k = arg;
	k->err = nc_sys_net_send(k->s, (const void *)k->addr, k->len, &k->n);
	return 0;
}

/* Buffers unmapped while the call waits in the service: a NetSend's bytes
 * were copied when it was made, so all of them arrive; a NetRecv's copy to
 * the gone buffer fails with BAD_ADDRESS (the bytes it took are lost, as an
 * FdReadBulk's would be), and the connection goes on. */
static bool bulk_unmapped_mid_call(uint8_t *buf)
{
	uint64_t c, a, code, n, addr;
	if (!tcp_pair(P("127.0.0.1:7022"), &c, &a))
		return false;
	/* a 1 MiB send to a peer not reading yet waits for room; its buffer goes meanwhile */
	NC_EXPECT_SYS(nc_sys_mem_map(0, BULK, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr), NC_SYS_OK);
	for (uint64_t i = 0; i < BULK; i++)
		((uint8_t *)addr)[i] = nt_stream_byte(i);
	call_t k = { .s = c, .addr = addr, .len = BULK };
	nc_thread_t t;
	uint64_t idx;
	NC_EXPECT_SYS(nc_thread_start(&t, send_thread, &k), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_wait_any(&a, 1, SECONDS(10), &idx), NC_SYS_OK); /* the send is in */
	NC_EXPECT_SYS(nc_sys_mem_unmap(addr, BULK), NC_SYS_OK);
	uint64_t off = 0;
	bool ok = recv_checked(a, buf, &off, BULK);
	NC_EXPECT_SYS(nc_thread_join(&t, &code), NC_SYS_OK);
	if (!ok)
		return false;
	NC_EXPECT_SYS(k.err, NC_SYS_OK);
	NC_REQUIRE(k.n == BULK);
	/* a receive waiting for data; its buffer goes before the data comes */
	NC_EXPECT_SYS(nc_sys_mem_map(0, 4 * PAGE, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr), NC_SYS_OK);
	k = (call_t){ .s = a, .addr = addr, .len = 4 * PAGE };
	NC_EXPECT_SYS(nc_thread_start(&t, recv_thread, &k), NC_SYS_OK);
	nc_sys_sleep(200000000);
	NC_EXPECT_SYS(nc_sys_mem_unmap(addr, 4 * PAGE), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_send(c, "lost", 4, &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_thread_join(&t, &code), NC_SYS_OK);
	NC_EXPECT_SYS(k.err, NC_SYS_ERR_BAD_ADDRESS);
	while (nc_sys_net_recv(a, buf, IO + 1, 100000000, &n) == NC_SYS_OK && n) /* what it did not take */
		;
	for (uint64_t i = 0; i < 100; i++)
		buf[i] = nt_stream_byte(i);
	NC_EXPECT_SYS(nc_sys_net_send(c, buf, 100, &n), NC_SYS_OK);
	off = 0;
	ok = recv_checked(a, buf, &off, 100);
	nc_sys_handle_close(a);
	nc_sys_handle_close(c);
	return ok;
}

/* A peer that stops reading: a 1 MiB send with a timeout (or non-blocking)
 * returns the count it queued, short of the whole; the reader then gets
 * exactly the bytes counted, in order, and the end of the stream. */
static bool bulk_peer_stops_reading(uint8_t *buf)
{
	uint64_t c, a, n, sent = 0;
	if (!tcp_pair(P("127.0.0.1:7023"), &c, &a))
		return false;
	for (uint64_t i = 0; i < BULK; i++)
		send_buf[i] = nt_stream_byte(i);
	NC_EXPECT_SYS(nc_sys_net_set_option(c, NC_SYS_NET_OPT_TIMEOUT_NS, 300000000), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_send(c, send_buf, BULK, &n), NC_SYS_OK);
	NC_REQUIRE(n > IO && n < BULK); /* the window and the send buffer hold 256 KiB */
	sent = n;
	for (uint64_t i = 0; i < BULK; i++)
		send_buf[i] = nt_stream_byte(sent + i);
	NC_EXPECT_SYS(nc_sys_net_set_option(c, NC_SYS_NET_OPT_NONBLOCK, 1), NC_SYS_OK);
	nc_sys_err_t err = nc_sys_net_send(c, send_buf, BULK, &n);
	NC_REQUIRE(err == NC_SYS_ERR_TIMED_OUT || (err == NC_SYS_OK && n < BULK));
	sent += err ? 0 : n;
	NC_EXPECT_SYS(nc_sys_net_shutdown(c, NC_SYS_NET_SHUT_SEND), NC_SYS_OK);
	uint64_t off = 0;
	bool ok = recv_checked(a, buf, &off, UINT64_MAX);
	nc_sys_handle_close(a);
	nc_sys_handle_close(c);
	return ok && (off == sent || NC_FAIL("%llu bytes arrived, %llu counted sent", (unsigned long long)off,
					      (unsigned long long)sent));
}

/* Handle 1: a TCP socket nobody sends on; 2: net.recv; 3: net.send. Says
 * "r" on the socket, then waits in a 1 MiB NetRecv until killed. */
static int child_bulk_recv(void)
{
	uint64_t buf, n;
	NC_EXPECT_CHILD(nc_sys_mem_map(0, BULK, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &buf), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_send(1, "r", 1, &n), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_net_recv(1, (void *)buf, BULK, NC_SYS_TIMEOUT_INFINITE, &n), NC_SYS_OK);
	return 1;
}

/* Callers killed while the service holds their 1 MiB windows (parked
 * receives), more of them than it keeps free slots: the service answers
 * the cancelled requests, so each window is unmapped and freed (the free
 * frames come back) and the socket still works. */
static bool bulk_callers_killed(uint8_t *buf)
{
	uint64_t c, a, n, hs[3], before = 0, after = 0;
	char r;
	if (!tcp_pair(P("127.0.0.1:7024"), &c, &a))
		return false;
	hs[0] = a;
	NC_EXPECT_SYS(ut_attenuate("net", "net.recv", "*", NC_SYS_RIGHTS_ALL, 0, &hs[1]), NC_SYS_OK);
	NC_EXPECT_SYS(ut_attenuate("net", "net.send", "*", NC_SYS_RIGHTS_ALL, 0, &hs[2]), NC_SYS_OK);
	nc_sys_system_info(NC_SYS_INFO_FREE_FRAMES, &before);
	for (int i = 0; i < KILLS; i++) {
		uint64_t pid, status, reaped;
		NC_EXPECT_SYS(ut_spawn_child("netsvc_bulk_recv", hs, 3, &pid), NC_SYS_OK);
		NC_EXPECT_SYS(nc_sys_net_recv(c, &r, 1, SECONDS(20), &n), NC_SYS_OK);
		NC_REQUIRE(n == 1 && r == 'r');
		nc_sys_sleep(100000000); /* the child is in its NetRecv by now */
		NC_EXPECT_SYS(nc_sys_process_kill(pid), NC_SYS_OK);
		NC_EXPECT_SYS(nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	}
	nc_sys_sleep(100000000);
	nc_sys_system_info(NC_SYS_INFO_FREE_FRAMES, &after);
	nc_sys_handle_close(hs[1]);
	nc_sys_handle_close(hs[2]);
	for (uint64_t i = 0; i < 8; i++)
		buf[i] = nt_stream_byte(i);
	NC_EXPECT_SYS(nc_sys_net_send(c, buf, 8, &n), NC_SYS_OK);
	uint64_t off = 0;
	bool ok = recv_checked(a, buf, &off, 8);
	nc_sys_handle_close(a);
	nc_sys_handle_close(c);
	return ok && (after + FRAMES_SLACK >= before ||
		      NC_FAIL("free frames %llu before %d killed receives, %llu after", (unsigned long long)before,
			      KILLS, (unsigned long long)after));
}

static bool t_bulk(void)
{
	uint64_t pid;
	uint8_t *buf = nc_malloc(BUF_BYTES);
	send_buf = nc_malloc(BUF_BYTES);
	if (!buf || !send_buf) {
		nc_free(buf);
		nc_free(send_buf);
		return NC_FAIL("no memory");
	}
	bool ok = nt_start_netsvc(&pid);
	if (ok) {
		ok = bulk_stream(buf) && bulk_bad_buffers(buf) && bulk_unmapped_mid_call(buf) &&
		     bulk_peer_stops_reading(buf) && bulk_callers_killed(buf);
		ok = nt_stop_netsvc(pid) && ok;
	}
	nc_free(buf);
	nc_free(send_buf);
	return ok;
}

const nc_test_case_t ut_netsvc_bulk_tests[] = {
	{ "netsvc.bulk", t_bulk },
	{ NULL, NULL },
};

const nc_test_child_t ut_netsvc_bulk_children[] = {
	{ "netsvc_bulk_recv", child_bulk_recv },
	{ NULL, NULL },
};
