/* IPC channels: IpcCreateChannel, IpcSend, IpcReceive, IpcCall,
 * IpcReplyReceive; handle transfer, timeouts, back-pressure, peer close, and
 * call/reply ping-pong between threads (spread over CPUs by the scheduler)
 * and between processes. */
#include "ut_sys.h"

enum { ROUNDS = 2000 };
#define RECEIVE_LATER_NS 400000000ull

static bool t_send_receive(void)
{
	uint64_t e[2], sizes, hs[4];
	char buf[NC_SYS_IPC_MSG_MAX_BYTES + 1];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "ping", 4, NULL, 0, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "", 0, NULL, 0, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, 3, hs, 4, 0, &sizes), NC_SYS_ERR_TOO_SMALL); /* stays queued */
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, hs, 4, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE(sizes == 4 && nc_mem_compare(buf, "ping", 4) == 0);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, hs, 4, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE(sizes == 0);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, hs, 4, 0, &sizes), NC_SYS_ERR_TIMED_OUT);
	uint64_t t0, t1;
	nc_sys_clock_get(&t0);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, hs, 4, 10000000, &sizes), NC_SYS_ERR_TIMED_OUT);
	nc_sys_clock_get(&t1);
	NC_REQUIRE(t1 - t0 >= 10000000);
	/* the other direction */
	NC_EXPECT_SYS(nc_sys_ipc_send(e[1], "pong", 4, NULL, 0, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[0], buf, sizeof buf, hs, 4, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE(sizes == 4 && nc_mem_compare(buf, "pong", 4) == 0);
	/* argument errors */
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], buf, NC_SYS_IPC_MSG_MAX_BYTES + 1, NULL, 0, 0), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], buf, 1, hs, NC_SYS_IPC_MSG_MAX_HANDLES + 1, 0), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], (void *)UT_KERNEL_ADDR, 8, NULL, 0, 0), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], buf, 1, (void *)UT_KERNEL_ADDR, 1, 0), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_ipc_send(4242, buf, 1, NULL, 0, 0), NC_SYS_ERR_BAD_HANDLE);
	uint64_t con = ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL), ro;
	NC_EXPECT_SYS(nc_sys_ipc_send(con, buf, 1, NULL, 0, 0), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_ipc_receive(con, buf, 1, NULL, 0, 0, &sizes), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_handle_duplicate(e[0], NC_SYS_RIGHT_READ, &ro), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(ro, buf, 1, NULL, 0, 0), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], buf, 1, &e[0], 1, 0), NC_SYS_ERR_INVALID); /* itself */
	nc_sys_handle_close(ro);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel((void *)UT_KERNEL_ADDR), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "x", 1, NULL, 0, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], (void *)UT_KERNEL_ADDR, 8, NULL, 0, 0, &sizes), NC_SYS_ERR_BAD_ADDRESS);
	nc_sys_handle_close(e[0]);
	nc_sys_handle_close(e[1]);
	return true;
}

static bool t_handle_transfer(void)
{
	uint64_t e[2], f, got[4], sizes, n;
	char buf[8];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fs_open("/hello.txt", 10, 0, &f), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "file", 4, &f, 1, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read(f, buf, 1, 0, &n), NC_SYS_ERR_BAD_HANDLE); /* moved away */
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, got, 0, 0, &sizes), NC_SYS_ERR_TOO_SMALL);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, got, 4, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE((sizes & 0xffffffff) == 4 && sizes >> 32 == 1);
	uint64_t file = got[0];
	NC_EXPECT_SYS(nc_sys_fd_read(file, buf, 5, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n == 5 && nc_mem_compare(buf, "hello", 5) == 0);
	/* a handle without RIGHT_TRANSFER stays */
	uint64_t nt;
	NC_EXPECT_SYS(nc_sys_handle_duplicate(file, NC_SYS_RIGHT_READ, &nt), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "", 0, &nt, 1, 0), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_fd_read(nt, buf, 1, 0, &n), NC_SYS_OK);
	/* an endpoint travels over another channel, never over its own */
	uint64_t o[2];
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "end", 3, &e[1], 1, 0), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(o), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(o[0], "end", 3, &e[1], 1, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_receive(o[1], buf, sizeof buf, got, 4, 0, &sizes), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "hi", 2, NULL, 0, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_receive(got[0], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE(sizes == 2 && nc_mem_compare(buf, "hi", 2) == 0);
	nc_sys_handle_close(got[0]);
	nc_sys_handle_close(o[0]);
	nc_sys_handle_close(o[1]);
	nc_sys_handle_close(e[0]);
	nc_sys_handle_close(nt);
	nc_sys_handle_close(file);
	return true;
}

/* Queued endpoints stay one level deep (docs/ipc.md, "Endpoints in
 * flight"): of the two sends that would make channels A and B hold each
 * other's endpoints, the second fails, so closing every handle frees both. */
static bool endpoint_cycle_refused(void)
{
	uint64_t a[2], b[2], c[2], got[4], sizes;
	char buf[8];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(a), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(b), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(b[0], "a0", 2, &a[0], 1, 0), NC_SYS_OK);  /* B holds a0 */
	NC_EXPECT_SYS(nc_sys_ipc_send(a[1], "b1", 2, &b[1], 1, 0), NC_SYS_ERR_INVALID); /* A is in flight */
	NC_EXPECT_SYS(nc_sys_ipc_send(c[0], "b1", 2, &b[1], 1, 0), NC_SYS_ERR_INVALID); /* B holds one */
	NC_EXPECT_SYS(nc_sys_ipc_send(b[1], "k", 1, NULL, 0, 0), NC_SYS_OK); /* b1 kept its value */
	NC_EXPECT_SYS(nc_sys_ipc_receive(b[0], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(a[1], "data", 4, NULL, 0, 0), NC_SYS_OK); /* bytes still flow */
	NC_EXPECT_SYS(nc_sys_ipc_receive(b[1], buf, sizeof buf, got, 4, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE(sizes >> 32 == 1);
	NC_EXPECT_SYS(nc_sys_ipc_receive(got[0], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE(sizes == 4 && nc_mem_compare(buf, "data", 4) == 0);
	/* a0 is back in a table: the other way round works, and is then the one held */
	NC_EXPECT_SYS(nc_sys_ipc_send(a[1], "b1", 2, &b[1], 1, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(b[0], "a0", 2, &got[0], 1, 0), NC_SYS_ERR_INVALID);
	nc_sys_handle_close(got[0]);
	nc_sys_handle_close(a[1]); /* drops the queued b1 */
	nc_sys_handle_close(b[0]);
	nc_sys_handle_close(c[0]);
	nc_sys_handle_close(c[1]);
	return true;
}

static bool t_endpoint_cycles(void)
{
	uint64_t before = 0, after = 0;
	if (!endpoint_cycle_refused()) /* warm-up: the heap may grow once */
		return false;
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_FREE_FRAMES, &before), NC_SYS_OK);
	for (int i = 0; i < 500; i++)
		if (!endpoint_cycle_refused())
			return false;
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_FREE_FRAMES, &after), NC_SYS_OK);
	nc_print("# endpoint_cycles: 500 rounds, free frames %llu before, %llu after\n",
		 (unsigned long long)before, (unsigned long long)after);
	return after == before ? true : NC_FAIL("free frames %llu -> %llu", (unsigned long long)before,
						 (unsigned long long)after);
}

static bool t_backpressure_and_close(void)
{
	uint64_t e[2], sizes;
	char buf[8];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	for (uint8_t i = 0; i < NC_SYS_IPC_QUEUE_MAX; i++)
		NC_EXPECT_SYS(nc_sys_ipc_send(e[0], &i, 1, NULL, 0, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "x", 1, NULL, 0, 0), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "x", 1, NULL, 0, 5000000), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE(sizes == 1 && buf[0] == 0);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "x", 1, NULL, 0, 0), NC_SYS_OK);
	/* closing the sender: what was queued still arrives, then PEER_CLOSED */
	NC_EXPECT_SYS(nc_sys_handle_close(e[0]), NC_SYS_OK);
	for (uint8_t i = 1; i < NC_SYS_IPC_QUEUE_MAX; i++) {
		NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK);
		NC_REQUIRE(buf[0] == i);
	}
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes),
		  NC_SYS_ERR_PEER_CLOSED);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[1], "x", 1, NULL, 0, 0), NC_SYS_ERR_PEER_CLOSED);
	nc_sys_handle_close(e[1]);
	return true;
}

static volatile uint64_t closer_end;

static int closer(void *arg)
{
	(void)arg;
	nc_sys_sleep(20000000);
	nc_sys_handle_close(closer_end);
	return 0;
}

/* Limits: a full handle table refuses new channels and messages that carry
 * handles (the message stays queued); a handle without RIGHT_READ cannot
 * receive. */
static bool t_limits(void)
{
	static uint64_t fill[NC_SYS_HANDLES_MAX];
	uint64_t e[2], x[2], f, ro, sizes, got[4];
	char buf[8];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_duplicate(e[1], NC_SYS_RIGHT_WRITE, &ro), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_receive(ro, buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_ERR_DENIED);
	nc_sys_handle_close(ro);
	NC_EXPECT_SYS(nc_sys_fs_open("/hello.txt", 10, 0, &f), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "f", 1, &f, 1, 0), NC_SYS_OK);
	uint64_t n = 0, con = ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL);
	while (n < NC_SYS_HANDLES_MAX && nc_sys_handle_duplicate(con, 0, &fill[n]) == NC_SYS_OK)
		n++;
	nc_sys_err_t create = nc_sys_ipc_create_channel(x);
	nc_sys_err_t recv = nc_sys_ipc_receive(e[1], buf, sizeof buf, got, 4, 0, &sizes);
	nc_sys_err_t open = nc_sys_fs_open("/hello.txt", 10, 0, &f);
	for (uint64_t i = 0; i < n; i++)
		nc_sys_handle_close(fill[i]);
	NC_EXPECT_SYS(create, NC_SYS_ERR_LIMIT);
	NC_EXPECT_SYS(recv, NC_SYS_ERR_LIMIT);
	NC_EXPECT_SYS(open, NC_SYS_ERR_LIMIT);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, got, 4, 0, &sizes), NC_SYS_OK); /* still there */
	NC_REQUIRE(sizes >> 32 == 1);
	nc_sys_handle_close(got[0]);
	nc_sys_handle_close(e[0]);
	nc_sys_handle_close(e[1]);
	return true;
}

static bool t_close_wakes_peer(void)
{
	uint64_t e[2], sizes, code;
	char buf[8];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	closer_end = e[0];
	nc_thread_t t;
	NC_EXPECT_SYS(nc_thread_start(&t, closer, NULL), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes),
		  NC_SYS_ERR_PEER_CLOSED);
	NC_EXPECT_SYS(nc_thread_join(&t, &code), NC_SYS_OK);
	nc_sys_handle_close(e[1]);
	return true;
}

/* Call/reply: the server echoes each request plus one to its first byte. */
static volatile uint64_t server_end, server_cpu_mask;

static int server(void *arg)
{
	(void)arg;
	uint8_t req[16];
	uint64_t n = 0, cpu;
	nc_sys_err_t err = nc_sys_ipc_reply_receive(server_end, NULL, 0, req, sizeof req,
						    NC_SYS_TIMEOUT_INFINITE, &n);
	while (!err) {
		nc_sys_system_info(NC_SYS_INFO_CURRENT_CPU, &cpu);
		server_cpu_mask |= 1ull << cpu;
		req[0]++;
		err = nc_sys_ipc_reply_receive(server_end, req, n, req, sizeof req, NC_SYS_TIMEOUT_INFINITE, &n);
	}
	return err == NC_SYS_ERR_PEER_CLOSED ? 0 : (int)err;
}

static bool t_call_reply_threads(void)
{
	uint64_t e[2], code, n, cpu, client_mask = 0;
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	server_end = e[1];
	server_cpu_mask = 0;
	nc_thread_t t;
	NC_EXPECT_SYS(nc_thread_start(&t, server, NULL), NC_SYS_OK);
	for (int i = 0; i < ROUNDS; i++) {
		uint8_t req[2] = { (uint8_t)i, 0x5a }, rep[16];
		NC_EXPECT_SYS(nc_sys_ipc_call(e[0], req, 2, rep, sizeof rep, NC_SYS_TIMEOUT_INFINITE, &n), NC_SYS_OK);
		NC_REQUIRE(n == 2 && rep[0] == (uint8_t)(i + 1) && rep[1] == 0x5a);
		nc_sys_system_info(NC_SYS_INFO_CURRENT_CPU, &cpu);
		client_mask |= 1ull << cpu;
	}
	uint8_t small[1];
	NC_EXPECT_SYS(nc_sys_ipc_call(e[0], "ab", 2, small, sizeof small, 1000000000, &n), NC_SYS_ERR_TOO_SMALL);
	NC_EXPECT_SYS(nc_sys_ipc_call(e[0], "ab", NC_SYS_IPC_MSG_MAX_BYTES + 1, small, 1, 0, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_handle_close(e[0]), NC_SYS_OK);
	NC_EXPECT_SYS(nc_thread_join(&t, &code), NC_SYS_OK);
	NC_REQUIRE(code == 0);
	nc_sys_handle_close(e[1]);
	nc_print("# ipc.call_reply_threads: client CPUs %#llx, server CPUs %#llx\n",
		 (unsigned long long)client_mask, (unsigned long long)server_cpu_mask);
	return true;
}

/* Child with handle 1 = a channel endpoint: serve until the peer closes. */
static int child_echo_server(void)
{
	server_end = 1;
	return server(NULL);
}

static bool t_call_reply_processes(void)
{
	static const char self[] = "usertests", arg[] = "child:ipc_echo";
	uint64_t e[2], pid, n, st, reaped;
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_spawn(self, 9, arg, sizeof arg - 1, &e[1], 1, &pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_close(e[1]), NC_SYS_OK);
	for (int i = 0; i < ROUNDS / 4; i++) {
		uint8_t req[1] = { (uint8_t)i }, rep[4];
		NC_EXPECT_SYS(nc_sys_ipc_call(e[0], req, 1, rep, sizeof rep, NC_SYS_TIMEOUT_INFINITE, &n), NC_SYS_OK);
		NC_REQUIRE(n == 1 && rep[0] == (uint8_t)(i + 1));
	}
	NC_EXPECT_SYS(nc_sys_handle_close(e[0]), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &st, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	NC_REQUIRE(st == 0);
	return true;
}

static bool t_dead_peer_process(void)
{
	static const char self[] = "usertests", arg[] = "child:ipc_exit";
	uint64_t e[2], pid, st, reaped, n;
	char buf[4];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_spawn(self, 9, arg, sizeof arg - 1, &e[1], 1, &pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_close(e[1]), NC_SYS_OK);
	/* the child exits without answering: its end closes with it */
	NC_EXPECT_SYS(nc_sys_ipc_call(e[0], "?", 1, buf, sizeof buf, NC_SYS_TIMEOUT_INFINITE, &n), NC_SYS_ERR_PEER_CLOSED);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &st, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	nc_sys_handle_close(e[0]);
	return true;
}

static int child_exit(void) { return 0; }

/* Child with handle 1 = a channel endpoint: after a while, send one message
 * carrying a handle (an end of a channel of its own), then exit. */
static int child_send_handle_later(void)
{
	uint64_t e[2];
	nc_sys_sleep(RECEIVE_LATER_NS);
	NC_EXPECT_CHILD(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_ipc_send(1, "handle", 6, &e[0], 1, 0), NC_SYS_OK);
	return 0;
}

typedef struct {
	uint64_t end;
	nc_sys_err_t err;
} receiver_t;

static int receive_waiting(void *arg)
{
	receiver_t *r = arg;
	uint64_t sizes, hs[NC_SYS_IPC_MSG_MAX_HANDLES];
	char buf[8];
	r->err = nc_sys_ipc_receive(r->end, buf, sizeof buf, hs, NC_SYS_IPC_MSG_MAX_HANDLES,
				    10 * RECEIVE_LATER_NS, &sizes);
	return 0;
}

/* A receiver that blocked while its table had room, woken by a message with
 * a handle after sibling threads filled the table: LIMIT, and the message
 * stays queued (it was taken off the queue and dropped before). */
static bool t_receive_keeps_message_when_table_fills(void)
{
	static const char self[] = "usertests", arg[] = "child:ipc_send_later";
	uint64_t e[2], pid, st, reaped, code, extra[NC_SYS_HANDLES_MAX], n_extra = 0, sizes, hs[4];
	char buf[8];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	receiver_t r = { e[0], NC_SYS_OK };
	nc_thread_t t;
	NC_EXPECT_SYS(nc_thread_start(&t, receive_waiting, &r), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_spawn(self, 9, arg, sizeof arg - 1, &e[1], 1, &pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_close(e[1]), NC_SYS_OK);
	nc_sys_sleep(RECEIVE_LATER_NS / 4); /* the receiver waits by now */
	uint64_t con = ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL);
	while (nc_sys_handle_duplicate(con, NC_SYS_RIGHT_WRITE, &extra[n_extra]) == NC_SYS_OK)
		n_extra++;
	NC_EXPECT_SYS(nc_thread_join(&t, &code), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &st, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	for (uint64_t i = 0; i < n_extra; i++)
		nc_sys_handle_close(extra[i]);
	NC_REQUIRE(st == 0);
	NC_EXPECT_SYS(r.err, NC_SYS_ERR_LIMIT);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[0], buf, sizeof buf, hs, 4, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE(sizes == (6 | 1ull << 32) && nc_mem_compare(buf, "handle", 6) == 0);
	NC_EXPECT_SYS(nc_sys_handle_close(hs[0]), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_close(e[0]), NC_SYS_OK);
	return true;
}

const nc_test_case_t ut_ipc_tests[] = {
	{ "ipc.send_receive", t_send_receive },
	{ "ipc.handle_transfer", t_handle_transfer },
	{ "ipc.backpressure_and_close", t_backpressure_and_close },
	{ "ipc.limits", t_limits },
	{ "ipc.endpoint_cycles_refused_and_freed", t_endpoint_cycles },
	{ "ipc.close_wakes_peer", t_close_wakes_peer },
	{ "ipc.call_reply_threads", t_call_reply_threads },
	{ "ipc.call_reply_processes", t_call_reply_processes },
	{ "ipc.dead_peer_process", t_dead_peer_process },
	{ "ipc.receive_keeps_message_when_table_fills", t_receive_keeps_message_when_table_fills },
	{ NULL, NULL },
};

const nc_test_child_t ut_ipc_children[] = {
	{ "ipc_echo", child_echo_server },
	{ "ipc_exit", child_exit },
	{ "ipc_send_later", child_send_handle_later },
	{ NULL, NULL },
};
