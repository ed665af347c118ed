/* ABI v2 short messages: IpcCallShort and IpcReplyReceiveShort. Each
 * documented error, bytes past the length zeroed, both directions of
 * interworking with the v1 calls (a short message is an ordinary message of
 * its length on the channel), register-to-register ping-pong between threads
 * and between processes, close and kill while a short call waits, and random
 * arguments checked against a model (the system-call fuzzer, fuzz_tests.c,
 * calls these two only with handle values that cannot name a channel: a
 * short call waits without a time limit). */
#include "ut_sys.h"

enum { ROUNDS = 2000 };

/* The bytes of m as the ABI lays them out (little-endian words). */
static void short_bytes(const nc_sys_ipc_short_t *m, uint8_t out[32])
{
	const uint64_t w[4] = { m->w0, m->w1, m->w2, m->w3 };
	for (int i = 0; i < 32; i++)
		out[i] = (uint8_t)(w[i / 8] >> 8 * (i % 8));
}

/* A message of len bytes b[i] = seed + i. */
static nc_sys_ipc_short_t short_pattern(uint64_t len, uint8_t seed)
{
	uint64_t w[4] = { 0, 0, 0, 0 };
	for (uint64_t i = 0; i < len; i++)
		w[i / 8] |= (uint64_t)(uint8_t)(seed + i) << 8 * (i % 8);
	return (nc_sys_ipc_short_t){ len, w[0], w[1], w[2], w[3] };
}

/* Whether m holds len bytes seed + i and zeros after them. */
static bool short_is_pattern(const nc_sys_ipc_short_t *m, uint64_t len, uint8_t seed)
{
	uint8_t b[32];
	short_bytes(m, b);
	if (m->len != len)
		return false;
	for (uint64_t i = 0; i < 32; i++)
		if (b[i] != (i < len ? (uint8_t)(seed + i) : 0))
			return false;
	return true;
}

static bool t_errors(void)
{
	uint64_t e[2], ro, sizes, f;
	uint8_t buf[64];
	nc_sys_ipc_short_t m = short_pattern(4, 1), keep;
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_call_short(4242, &m), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_ipc_reply_receive_short(4242, &m), NC_SYS_ERR_BAD_HANDLE);
	uint64_t con = ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL);
	NC_EXPECT_SYS(nc_sys_ipc_call_short(con, &m), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_ipc_reply_receive_short(con, &m), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_handle_duplicate(e[0], NC_SYS_RIGHT_READ, &ro), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_call_short(ro, &m), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_ipc_reply_receive_short(ro, &m), NC_SYS_ERR_DENIED);
	nc_sys_handle_close(ro);
	/* lengths: 0..32, or NO_REPLY for the server side only */
	m.len = NC_SYS_IPC_SHORT_MAX_BYTES + 1;
	NC_EXPECT_SYS(nc_sys_ipc_call_short(e[0], &m), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ipc_reply_receive_short(e[0], &m), NC_SYS_ERR_INVALID);
	m.len = NC_SYS_IPC_SHORT_NO_REPLY;
	NC_EXPECT_SYS(nc_sys_ipc_call_short(e[0], &m), NC_SYS_ERR_INVALID);
	m.len = NC_SYS_IPC_SHORT_NO_REPLY - 1;
	NC_EXPECT_SYS(nc_sys_ipc_reply_receive_short(e[0], &m), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_ERR_TIMED_OUT); /* nothing sent */
	/* an answer longer than 32 bytes, or with a handle, stays queued: TOO_SMALL */
	NC_EXPECT_SYS(nc_sys_ipc_send(e[1], buf, 33, NULL, 0, 0), NC_SYS_OK);
	m = short_pattern(2, 7);
	keep = m;
	NC_EXPECT_SYS(nc_sys_ipc_call_short(e[0], &m), NC_SYS_ERR_TOO_SMALL);
	NC_REQUIRE(nc_mem_compare(&m, &keep, sizeof m) == 0); /* untouched on error */
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK); /* the request went */
	NC_REQUIRE(sizes == 2 && buf[0] == 7 && buf[1] == 8);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[0], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK); /* still there */
	NC_REQUIRE(sizes == 33);
	NC_EXPECT_SYS(nc_sys_fs_open("/hello.txt", 10, 0, &f), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "h", 1, &f, 1, 0), NC_SYS_OK);
	m.len = NC_SYS_IPC_SHORT_NO_REPLY;
	NC_EXPECT_SYS(nc_sys_ipc_reply_receive_short(e[1], &m), NC_SYS_ERR_TOO_SMALL);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, &f, 1, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE(sizes == (1 | 1ull << 32));
	nc_sys_handle_close(f);
	/* the peer gone: nothing to send to, nothing left to receive */
	NC_EXPECT_SYS(nc_sys_handle_close(e[1]), NC_SYS_OK);
	m = short_pattern(1, 0);
	NC_EXPECT_SYS(nc_sys_ipc_call_short(e[0], &m), NC_SYS_ERR_PEER_CLOSED);
	NC_EXPECT_SYS(nc_sys_ipc_reply_receive_short(e[0], &m), NC_SYS_ERR_PEER_CLOSED);
	m.len = NC_SYS_IPC_SHORT_NO_REPLY;
	NC_EXPECT_SYS(nc_sys_ipc_reply_receive_short(e[0], &m), NC_SYS_ERR_PEER_CLOSED);
	nc_sys_handle_close(e[0]);
	return true;
}

/* v1 to short and short to v1, without a second thread: what a call sends
 * is queued for the peer, and an answer queued first is taken at once. */
static bool t_interop_queued(void)
{
	uint64_t e[2], sizes;
	uint8_t buf[64];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	/* a v1 message of 5 bytes arrives in registers, zero-padded */
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "hello", 5, NULL, 0, 0), NC_SYS_OK);
	nc_sys_ipc_short_t m = { NC_SYS_IPC_SHORT_NO_REPLY, ~0ull, ~0ull, ~0ull, ~0ull };
	NC_EXPECT_SYS(nc_sys_ipc_reply_receive_short(e[1], &m), NC_SYS_OK);
	NC_REQUIRE(m.len == 5 && m.w0 == 0x6f6c6c6568ull && m.w1 == 0 && m.w2 == 0 && m.w3 == 0);
	/* a short reply of 3 bytes (with garbage past them) is a v1 message of 3 bytes */
	m = (nc_sys_ipc_short_t){ 3, 0x1122334455667788ull, ~0ull, ~0ull, ~0ull };
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "again", 5, NULL, 0, 0), NC_SYS_OK); /* so the receive returns */
	NC_EXPECT_SYS(nc_sys_ipc_reply_receive_short(e[1], &m), NC_SYS_OK);
	NC_REQUIRE(m.len == 5 && m.w0 == 0x6e69616761ull);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[0], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE(sizes == 3 && buf[0] == 0x88 && buf[1] == 0x77 && buf[2] == 0x66);
	/* every length, both ways, 0 and 32 included */
	for (uint64_t len = 0; len <= NC_SYS_IPC_SHORT_MAX_BYTES; len++) {
		NC_EXPECT_SYS(nc_sys_ipc_send(e[1], "answer-answer-answer-answer-answ", len, NULL, 0, 0), NC_SYS_OK);
		m = short_pattern(len, (uint8_t)len);
		m.w3 |= len < 32 ? 1ull << 63 : 0; /* past the length: must not travel */
		NC_EXPECT_SYS(nc_sys_ipc_call_short(e[0], &m), NC_SYS_OK);
		NC_REQUIRE(m.len == len && (len < 8 || m.w0 == 0x2d726577736e61ull + (0x61ull << 56)));
		NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK);
		NC_REQUIRE(sizes == len);
		for (uint64_t i = 0; i < len; i++)
			NC_REQUIRE(buf[i] == (uint8_t)(len + i));
	}
	nc_sys_handle_close(e[0]);
	nc_sys_handle_close(e[1]);
	return true;
}

/* The short echo server: answers each request with its bytes plus one
 * (the same length), until the client's end closes. */
static volatile uint64_t short_server_end;

static int short_server(void *arg)
{
	(void)arg;
	nc_sys_ipc_short_t m = { .len = NC_SYS_IPC_SHORT_NO_REPLY };
	nc_sys_err_t err;
	while ((err = nc_sys_ipc_reply_receive_short(short_server_end, &m)) == NC_SYS_OK) {
		uint8_t b[32];
		short_bytes(&m, b);
		nc_sys_ipc_short_t r = short_pattern(m.len, (uint8_t)(b[0] + 1));
		if (m.len && !short_is_pattern(&m, m.len, b[0]))
			r = short_pattern(0, 0); /* not a pattern request: an empty answer tells the client */
		m = r;
	}
	return err == NC_SYS_ERR_PEER_CLOSED ? 0 : (int)err;
}

/* ROUNDS calls with lengths cycling through 0..32, by IpcCallShort and (every
 * third) by IpcCall, against the short server; *cpus gets the client's CPUs. */
static bool ping_pong(uint64_t end, uint64_t *cpus)
{
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t len = (uint64_t)i % 33, n, cpu;
		uint8_t seed = (uint8_t)(i * 7);
		nc_sys_ipc_short_t m = short_pattern(len, seed);
		m.w3 |= len < 32 ? 0xa5ull << 56 : 0; /* past the length: the server must see zero */
		if (i % 3 == 2) {
			uint8_t req[32], rep[32];
			short_bytes(&m, req);
			NC_EXPECT_SYS(nc_sys_ipc_call(end, req, len, rep, sizeof rep, NC_SYS_TIMEOUT_INFINITE, &n), NC_SYS_OK);
			NC_REQUIRE(n == len);
			for (uint64_t k = 0; k < len; k++)
				NC_REQUIRE(rep[k] == (uint8_t)(seed + 1 + k));
		} else {
			NC_EXPECT_SYS(nc_sys_ipc_call_short(end, &m), NC_SYS_OK);
			NC_REQUIRE(short_is_pattern(&m, len, (uint8_t)(seed + 1)));
		}
		if (nc_sys_system_info(NC_SYS_INFO_CURRENT_CPU, &cpu) == NC_SYS_OK)
			*cpus |= 1ull << cpu;
	}
	return true;
}

static bool t_call_reply_threads(void)
{
	uint64_t e[2], code, cpus = 0;
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	short_server_end = e[1];
	nc_thread_t t;
	NC_EXPECT_SYS(nc_thread_start(&t, short_server, NULL), NC_SYS_OK);
	if (!ping_pong(e[0], &cpus))
		return false;
	NC_EXPECT_SYS(nc_sys_handle_close(e[0]), NC_SYS_OK);
	NC_EXPECT_SYS(nc_thread_join(&t, &code), NC_SYS_OK);
	NC_REQUIRE(code == 0);
	nc_sys_handle_close(e[1]);
	nc_print("# ipc_short.call_reply_threads: client CPUs %#llx\n", (unsigned long long)cpus);
	return true;
}

/* Two short servers waiting on one endpoint: a request then takes the
 * buffered path (several waiters), every answer still comes back right. */
static bool t_two_servers(void)
{
	uint64_t e[2], code, cpus = 0;
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	short_server_end = e[1];
	nc_thread_t t[2];
	NC_EXPECT_SYS(nc_thread_start(&t[0], short_server, NULL), NC_SYS_OK);
	NC_EXPECT_SYS(nc_thread_start(&t[1], short_server, NULL), NC_SYS_OK);
	if (!ping_pong(e[0], &cpus))
		return false;
	NC_EXPECT_SYS(nc_sys_handle_close(e[0]), NC_SYS_OK);
	for (int i = 0; i < 2; i++) {
		NC_EXPECT_SYS(nc_thread_join(&t[i], &code), NC_SYS_OK);
		NC_REQUIRE(code == 0);
	}
	nc_sys_handle_close(e[1]);
	return true;
}

/* Child with handle 1 = a channel endpoint: the short server. */
static int child_short_server(void)
{
	short_server_end = 1;
	return short_server(NULL);
}

static bool t_call_reply_processes(void)
{
	static const char self[] = "usertests", arg[] = "child:ipc_short_echo";
	uint64_t e[2], pid, st, reaped, cpus = 0;
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_spawn(self, sizeof self - 1, arg, sizeof arg - 1, &e[1], 1, &pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_close(e[1]), NC_SYS_OK);
	if (!ping_pong(e[0], &cpus))
		return false;
	NC_EXPECT_SYS(nc_sys_handle_close(e[0]), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &st, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	NC_REQUIRE(st == 0);
	return true;
}

/* A v1 server (IpcReplyReceive) answering short calls: each request comes
 * as an ordinary message, the answer goes back into registers. */
static volatile uint64_t v1_server_end;

static int v1_server(void *arg)
{
	(void)arg;
	uint8_t req[64];
	uint64_t n = 0;
	nc_sys_err_t err = nc_sys_ipc_reply_receive(v1_server_end, NULL, 0, req, sizeof req,
						    NC_SYS_TIMEOUT_INFINITE, &n);
	while (!err) {
		for (uint64_t i = 0; i < n; i++)
			req[i]++;
		err = nc_sys_ipc_reply_receive(v1_server_end, req, n, req, sizeof req, NC_SYS_TIMEOUT_INFINITE, &n);
	}
	return err == NC_SYS_ERR_PEER_CLOSED ? 0 : (int)err;
}

static bool t_short_client_v1_server(void)
{
	uint64_t e[2], code;
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	v1_server_end = e[1];
	nc_thread_t t;
	NC_EXPECT_SYS(nc_thread_start(&t, v1_server, NULL), NC_SYS_OK);
	for (int i = 0; i < ROUNDS / 4; i++) {
		uint64_t len = (uint64_t)i % 33;
		nc_sys_ipc_short_t m = short_pattern(len, (uint8_t)i);
		NC_EXPECT_SYS(nc_sys_ipc_call_short(e[0], &m), NC_SYS_OK);
		NC_REQUIRE(short_is_pattern(&m, len, (uint8_t)(i + 1)));
	}
	NC_EXPECT_SYS(nc_sys_handle_close(e[0]), NC_SYS_OK);
	NC_EXPECT_SYS(nc_thread_join(&t, &code), NC_SYS_OK);
	NC_REQUIRE(code == 0);
	nc_sys_handle_close(e[1]);
	return true;
}

/* A thread waiting in either short call wakes with PEER_CLOSED when the
 * other end closes. */
static volatile uint64_t waiter_end;
static volatile nc_sys_err_t waiter_err;

static int call_waiter(void *arg)
{
	nc_sys_ipc_short_t m = short_pattern(8, 3);
	if (arg)
		m.len = NC_SYS_IPC_SHORT_NO_REPLY;
	waiter_err = arg ? nc_sys_ipc_reply_receive_short(waiter_end, &m) : nc_sys_ipc_call_short(waiter_end, &m);
	return 0;
}

static bool t_close_wakes_waiter(void)
{
	for (uintptr_t server_side = 0; server_side < 2; server_side++) {
		uint64_t e[2], code, sizes;
		uint8_t buf[8];
		NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
		waiter_end = e[0];
		waiter_err = NC_SYS_OK;
		nc_thread_t t;
		NC_EXPECT_SYS(nc_thread_start(&t, call_waiter, (void *)server_side), NC_SYS_OK);
		if (!server_side) /* the request arrives before the close */
			NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], buf, sizeof buf, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes),
				  NC_SYS_OK);
		nc_sys_sleep(20000000);
		NC_EXPECT_SYS(nc_sys_handle_close(e[1]), NC_SYS_OK);
		NC_EXPECT_SYS(nc_thread_join(&t, &code), NC_SYS_OK);
		NC_REQUIRE(waiter_err == NC_SYS_ERR_PEER_CLOSED);
		nc_sys_handle_close(e[0]);
	}
	return true;
}

/* Child with handle 1 = a channel endpoint nobody answers: waits for ever. */
static int child_short_wait(void)
{
	nc_sys_ipc_short_t m = short_pattern(8, 9);
	nc_sys_ipc_call_short(1, &m);
	return 1;
}

static bool t_kill_while_waiting(void)
{
	static const char self[] = "usertests", arg[] = "child:ipc_short_wait";
	uint64_t e[2], pid, st, reaped, sizes;
	uint8_t buf[8];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_spawn(self, sizeof self - 1, arg, sizeof arg - 1, &e[1], 1, &pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_close(e[1]), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[0], buf, sizeof buf, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes), NC_SYS_OK);
	NC_REQUIRE(sizes == 8 && buf[0] == 9); /* the child now waits for the answer */
	NC_EXPECT_SYS(nc_sys_process_kill(pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &st, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	NC_REQUIRE(st == NC_SYS_EXIT_KILLED);
	/* its end closed with it */
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "x", 1, NULL, 0, 0), NC_SYS_ERR_PEER_CLOSED);
	nc_sys_handle_close(e[0]);
	return true;
}

/* Random lengths, words and answers on one channel, one thread (so no call
 * can wait: an answer is queued before each call). Each result is checked
 * against what was queued; the free-frame count is the same afterwards
 * (within one frame, see t_random). */
enum { RANDOM_CALLS = 20000 };

static bool random_call(uint64_t e[2], uint64_t *s)
{
	uint8_t answer[40], got[256];
	uint64_t answer_len = nc_test_random(s) % 41, sizes, r = nc_test_random(s);
	for (uint64_t i = 0; i < answer_len; i++)
		answer[i] = (uint8_t)nc_test_random(s);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[1], answer, answer_len, NULL, 0, 0), NC_SYS_OK);
	nc_sys_ipc_short_t m = { r % 3 == 0 ? nc_test_random(s) : nc_test_random(s) % 40, nc_test_random(s), nc_test_random(s),
				 nc_test_random(s), nc_test_random(s) };
	bool server = r & 8;
	if (server && r % 5 == 0)
		m.len = NC_SYS_IPC_SHORT_NO_REPLY;
	nc_sys_ipc_short_t sent = m;
	bool sends = m.len <= NC_SYS_IPC_SHORT_MAX_BYTES, valid = sends || (server && m.len == NC_SYS_IPC_SHORT_NO_REPLY);
	nc_sys_err_t err = server ? nc_sys_ipc_reply_receive_short(e[0], &m) : nc_sys_ipc_call_short(e[0], &m);
	if (!valid)
		NC_REQUIRE(err == NC_SYS_ERR_INVALID);
	else if (answer_len > NC_SYS_IPC_SHORT_MAX_BYTES)
		NC_REQUIRE(err == NC_SYS_ERR_TOO_SMALL);
	else {
		NC_REQUIRE(err == NC_SYS_OK);
		uint8_t b[32];
		short_bytes(&m, b);
		NC_REQUIRE(m.len == answer_len);
		for (uint64_t i = 0; i < 32; i++)
			NC_REQUIRE(b[i] == (i < answer_len ? answer[i] : 0));
	}
	if (valid && sends) { /* the request went out as len bytes */
		uint8_t want[32];
		short_bytes(&sent, want);
		NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], got, sizeof got, NULL, 0, 0, &sizes), NC_SYS_OK);
		NC_REQUIRE(sizes == sent.len && nc_mem_compare(got, want, sent.len) == 0);
	}
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[1], got, sizeof got, NULL, 0, 0, &sizes), NC_SYS_ERR_TIMED_OUT);
	/* an answer not taken is still queued */
	nc_sys_err_t left = nc_sys_ipc_receive(e[0], got, sizeof got, NULL, 0, 0, &sizes);
	NC_REQUIRE(left == (err == NC_SYS_OK ? NC_SYS_ERR_TIMED_OUT : NC_SYS_OK));
	return true;
}

/* n random calls on a new channel, closed afterwards. */
static bool random_calls(int n, uint64_t *s)
{
	uint64_t e[2];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	for (int i = 0; i < n; i++)
		if (!random_call(e, s))
			return false;
	nc_sys_handle_close(e[0]);
	nc_sys_handle_close(e[1]);
	return true;
}

static bool t_random(void)
{
	uint64_t before, after, s = 0x53686f7274ull; /* "Short" */
	if (!random_calls(100, &s)) /* warm-up: the heap may grow once */
		return false;
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_FREE_FRAMES, &before), NC_SYS_OK);
	if (!random_calls(RANDOM_CALLS, &s))
		return false;
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_FREE_FRAMES, &after), NC_SYS_OK);
	nc_print("# ipc_short.random: %d calls, free frames %llu before, %llu after\n", RANDOM_CALLS,
		 (unsigned long long)before, (unsigned long long)after);
	/* Within one frame: the one message buffer a thread keeps for its next
	 * message (kernel/channel.h) changes identity as the calls go, and may
	 * end in another heap slab than it began in, beside longer-lived blocks
	 * of its size class. A leak of one buffer in a thousand calls would be
	 * 20 blocks, 3 frames. */
	NC_REQUIRE(after + 1 >= before && after <= before + 1);
	return true;
}

const nc_test_case_t ut_ipc_short_tests[] = {
	{ "ipc_short.errors", t_errors },
	{ "ipc_short.interop_queued", t_interop_queued },
	{ "ipc_short.call_reply_threads", t_call_reply_threads },
	{ "ipc_short.call_reply_processes", t_call_reply_processes },
	{ "ipc_short.two_servers_one_endpoint", t_two_servers },
	{ "ipc_short.short_client_v1_server", t_short_client_v1_server },
	{ "ipc_short.close_wakes_waiter", t_close_wakes_waiter },
	{ "ipc_short.kill_while_waiting", t_kill_while_waiting },
	{ "ipc_short.random_against_model", t_random },
	{ NULL, NULL },
};

const nc_test_child_t ut_ipc_short_children[] = {
	{ "ipc_short_echo", child_short_server },
	{ "ipc_short_wait", child_short_wait },
	{ NULL, NULL },
};
