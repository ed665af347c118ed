/* The inbox (user/lib/inbox.c, nc/ulib.h): waiting on several channels at
 * once with HandleWaitAny. Tags and payloads of watched channels and posts,
 * handles carried, a closed peer reported once, a handle closed without
 * unwatching reported as closed (no hang), over-long messages dropped with
 * their handles closed, unwatch leaving later messages in the channel, two
 * busy channels served in turn, a waiting receiver taking a channel watched
 * while it waits, a poll that finds posts behind wake-ups, the timeout and
 * the watch limit. */
#include "ut_sys.h"

enum { MS = 1000 * 1000 };

static nc_inbox_t ib;      /* big (24 watches); kept off the stack */
static nc_inbox_msg_t msg;

/* A channel: e[0] watched (read end), e[1] the peer that sends. */
static bool channel(uint64_t e[2])
{
	return nc_sys_ipc_create_channel(e) == NC_SYS_OK;
}

static bool send_text(uint64_t peer, const char *text)
{
	return nc_sys_ipc_send(peer, text, nc_str_len(text), NULL, 0, 0) == NC_SYS_OK;
}

/* The next message is tag's text. */
static bool next_is(uint32_t tag, const char *text)
{
	NC_EXPECT_SYS(nc_inbox_receive(&ib, &msg, 2000 * MS), NC_SYS_OK);
	size_t n = nc_str_len(text);
	if (msg.closed || msg.tag != tag || msg.len != n || nc_mem_compare(msg.data, text, n))
		return NC_FAIL("got tag %u closed %d len %u, want tag %u \"%s\"", msg.tag, msg.closed, msg.len, tag,
			       text);
	return true;
}

static bool t_messages(void)
{
	uint64_t a[2], b[2];
	NC_REQUIRE(nc_inbox_init(&ib) == NC_SYS_OK && channel(a) && channel(b));
	NC_REQUIRE(nc_inbox_watch(&ib, a[0], 1) == NC_SYS_OK && nc_inbox_watch(&ib, b[0], 2) == NC_SYS_OK);
	NC_EXPECT_SYS(nc_inbox_receive(&ib, &msg, 10 * MS), NC_SYS_ERR_TIMED_OUT); /* timeout */
	NC_REQUIRE(send_text(b[1], "from b") && next_is(2, "from b"));
	NC_REQUIRE(nc_inbox_post(&ib, 7, "posted", 6) == NC_SYS_OK && next_is(7, "posted"));
	/* a handle travels with its message */
	uint64_t c[2];
	NC_REQUIRE(channel(c));
	NC_REQUIRE(nc_sys_ipc_send(a[1], "h", 1, &c[1], 1, 0) == NC_SYS_OK && next_is(1, "h"));
	NC_REQUIRE(msg.n_handles == 1);
	NC_REQUIRE(send_text(msg.handles[0], "via") && nc_sys_ipc_receive(c[0], msg.data, 8, NULL, 0, 0, &(uint64_t){0}) == NC_SYS_OK);
	/* longer than the protocol allows: dropped, its handle closed */
	static uint8_t big[NC_INBOX_MSG_MAX_BYTES + 1];
	uint64_t d[2], sizes;
	NC_REQUIRE(channel(d));
	NC_REQUIRE(nc_sys_ipc_send(a[1], big, sizeof big, &d[1], 1, 0) == NC_SYS_OK && send_text(a[1], "after"));
	NC_REQUIRE(next_is(1, "after"));
	NC_EXPECT_SYS(nc_sys_ipc_receive(d[0], big, sizeof big, NULL, 0, 0, &sizes), NC_SYS_ERR_PEER_CLOSED);
	/* a closed peer: reported once, then the channel is no longer watched */
	nc_sys_handle_close(a[1]);
	NC_EXPECT_SYS(nc_inbox_receive(&ib, &msg, 2000 * MS), NC_SYS_OK);
	NC_REQUIRE(msg.closed && msg.tag == 1);
	NC_EXPECT_SYS(nc_inbox_receive(&ib, &msg, 10 * MS), NC_SYS_ERR_TIMED_OUT);
	/* unwatched: its messages stay in the channel */
	nc_inbox_unwatch(&ib, 2);
	NC_REQUIRE(send_text(b[1], "kept"));
	NC_EXPECT_SYS(nc_inbox_receive(&ib, &msg, 10 * MS), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_ipc_receive(b[0], msg.data, sizeof msg.data, NULL, 0, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE(sizes == 4);
	uint64_t close[] = { a[0], b[0], b[1], c[0], c[1], d[0] };
	for (size_t i = 0; i < sizeof close / sizeof close[0]; i++)
		nc_sys_handle_close(close[i]);
	return true;
}

/* A handle the program closed while it was watched: a closed message, not a
 * receiver spinning or waiting forever. */
static bool t_closed_handle(void)
{
	uint64_t a[2];
	NC_REQUIRE(nc_inbox_init(&ib) == NC_SYS_OK && channel(a) && nc_inbox_watch(&ib, a[0], 3) == NC_SYS_OK);
	nc_sys_handle_close(a[0]);
	NC_EXPECT_SYS(nc_inbox_receive(&ib, &msg, 2000 * MS), NC_SYS_OK);
	NC_REQUIRE(msg.closed && msg.tag == 3);
	NC_EXPECT_SYS(nc_inbox_receive(&ib, &msg, 10 * MS), NC_SYS_ERR_TIMED_OUT);
	nc_sys_handle_close(a[1]);
	return true;
}

/* Two channels with 8 messages queued each: the first 8 received alternate. */
static bool t_fair(void)
{
	uint64_t a[2], b[2];
	NC_REQUIRE(nc_inbox_init(&ib) == NC_SYS_OK && channel(a) && channel(b));
	NC_REQUIRE(nc_inbox_watch(&ib, a[0], 1) == NC_SYS_OK && nc_inbox_watch(&ib, b[0], 2) == NC_SYS_OK);
	for (int i = 0; i < 8; i++)
		NC_REQUIRE(send_text(a[1], "a") && send_text(b[1], "b"));
	int from[3] = { 0, 0, 0 };
	for (int i = 0; i < 8; i++) {
		NC_EXPECT_SYS(nc_inbox_receive(&ib, &msg, 2000 * MS), NC_SYS_OK);
		from[msg.tag]++;
	}
	NC_REQUIRE(from[1] == 4 && from[2] == 4);
	uint64_t close[] = { a[0], a[1], b[0], b[1] };
	for (size_t i = 0; i < 4; i++)
		nc_sys_handle_close(close[i]);
	return true;
}

static volatile int waiter_state; /* 1 waiting, 2 got tag 9's "late" */

static int waiter(void *arg)
{
	(void)arg;
	waiter_state = 1;
	nc_inbox_msg_t *m = nc_malloc(sizeof *m);
	if (m && nc_inbox_receive(&ib, m, NC_SYS_TIMEOUT_INFINITE) == NC_SYS_OK && m->tag == 9 && m->len == 4 &&
	    !nc_mem_compare(m->data, "late", 4))
		waiter_state = 2;
	nc_free(m);
	return 0;
}

/* A receiver already waiting takes a message of a channel watched after it
 * began to wait. */
static bool t_watch_while_waiting(void)
{
	uint64_t a[2], code;
	nc_thread_t t;
	NC_REQUIRE(nc_inbox_init(&ib) == NC_SYS_OK && channel(a));
	waiter_state = 0;
	NC_REQUIRE(nc_thread_start(&t, waiter, NULL) == NC_SYS_OK);
	for (int i = 0; i < 200 && waiter_state == 0; i++)
		nc_sys_sleep(MS);
	nc_sys_sleep(20 * MS); /* well inside its wait */
	NC_REQUIRE(nc_inbox_watch(&ib, a[0], 9) == NC_SYS_OK && send_text(a[1], "late"));
	for (int i = 0; i < 2000 && waiter_state != 2; i++)
		nc_sys_sleep(MS);
	bool got = waiter_state == 2;
	if (!got)
		nc_inbox_post(&ib, 0, "", 0); /* let it end */
	nc_thread_join(&t, &code);
	NC_REQUIRE(got);
	nc_sys_handle_close(a[0]);
	nc_sys_handle_close(a[1]);
	return true;
}

/* A poll (timeout 0) gives a post queued behind the wake-ups that watching
 * leaves in the inbox channel when no receiver waits. */
static bool t_poll(void)
{
	uint64_t a[2];
	NC_REQUIRE(nc_inbox_init(&ib) == NC_SYS_OK && channel(a));
	NC_REQUIRE(nc_inbox_watch(&ib, a[0], 1) == NC_SYS_OK && nc_inbox_watch(&ib, a[0], 2) == NC_SYS_OK);
	NC_REQUIRE(nc_inbox_post(&ib, 5, "p", 1) == NC_SYS_OK);
	NC_EXPECT_SYS(nc_inbox_receive(&ib, &msg, 0), NC_SYS_OK);
	NC_REQUIRE(msg.tag == 5 && msg.len == 1 && !msg.closed);
	NC_EXPECT_SYS(nc_inbox_receive(&ib, &msg, 0), NC_SYS_ERR_TIMED_OUT);
	nc_sys_handle_close(a[0]);
	nc_sys_handle_close(a[1]);
	return true;
}

static bool t_limit(void)
{
	uint64_t a[2];
	NC_REQUIRE(nc_inbox_init(&ib) == NC_SYS_OK && channel(a));
	for (uint32_t i = 0; i < NC_INBOX_WATCH_MAX; i++)
		NC_REQUIRE(nc_inbox_watch(&ib, a[0], i) == NC_SYS_OK);
	NC_EXPECT_SYS(nc_inbox_watch(&ib, a[0], 99), NC_SYS_ERR_LIMIT);
	nc_sys_handle_close(a[0]);
	nc_sys_handle_close(a[1]);
	return true;
}

const nc_test_case_t ut_inbox_tests[] = {
	{ "inbox.messages_handles_closed_unwatched", t_messages },
	{ "inbox.handle_closed_while_watched", t_closed_handle },
	{ "inbox.busy_channels_take_turns", t_fair },
	{ "inbox.watch_while_waiting", t_watch_while_waiting },
	{ "inbox.poll_sees_posts_behind_wakes", t_poll },
	{ "inbox.watch_limit", t_limit },
	{ NULL, NULL },
};
