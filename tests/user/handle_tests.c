/* Handles: HandleClose, HandleDuplicate, HandleList, ProcessList. */
#include "ut_sys.h"

static uint64_t console(void) { return ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL); }

static bool t_close(void)
{
	uint64_t h, n0, n1;
	NC_EXPECT_SYS(nc_sys_handle_list(0, NULL, 0, &n0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_duplicate(console(), NC_SYS_RIGHT_WRITE, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_list(0, NULL, 0, &n1), NC_SYS_OK);
	NC_REQUIRE(n1 == n0 + 1);
	NC_EXPECT_SYS(nc_sys_handle_close(h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_close(h), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_handle_close(0), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_handle_close(~0ull), NC_SYS_ERR_BAD_HANDLE);
	/* the slot is reused with a new value: the stale value stays invalid */
	uint64_t h2;
	NC_EXPECT_SYS(nc_sys_handle_duplicate(console(), NC_SYS_RIGHT_WRITE, &h2), NC_SYS_OK);
	NC_REQUIRE(h2 != h);
	NC_EXPECT_SYS(nc_sys_handle_close(h), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_handle_close(h2), NC_SYS_OK);
	return true;
}

static bool t_duplicate(void)
{
	uint64_t w, x;
	NC_EXPECT_SYS(nc_sys_handle_duplicate(console(), NC_SYS_RIGHT_WRITE, &w), NC_SYS_OK);
	uint64_t n;
	NC_EXPECT_SYS(nc_sys_fd_write(w, "", 0, &n), NC_SYS_OK);
	/* no RIGHT_DUPLICATE left on w */
	NC_EXPECT_SYS(nc_sys_handle_duplicate(w, NC_SYS_RIGHT_WRITE, &x), NC_SYS_ERR_DENIED);
	uint64_t wd;
	NC_EXPECT_SYS(nc_sys_handle_duplicate(console(), NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_DUPLICATE, &wd), NC_SYS_OK);
	/* rights can only shrink */
	NC_EXPECT_SYS(nc_sys_handle_duplicate(wd, NC_SYS_RIGHT_READ, &x), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_handle_duplicate(wd, 1ull << 40, &x), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_handle_duplicate(12345, 0, &x), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_handle_close(w), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_close(wd), NC_SYS_OK);
	return true;
}

static bool t_table_limit(void)
{
	static uint64_t hs[NC_SYS_HANDLES_MAX];
	uint64_t n = 0;
	nc_sys_err_t err = NC_SYS_OK;
	while (n < NC_SYS_HANDLES_MAX && !(err = nc_sys_handle_duplicate(console(), 0, &hs[n])))
		n++;
	uint64_t open;
	nc_sys_handle_list(0, NULL, 0, &open);
	for (uint64_t i = 0; i < n; i++)
		nc_sys_handle_close(hs[i]);
	NC_EXPECT_SYS(err, NC_SYS_ERR_LIMIT);
	NC_REQUIRE(open == NC_SYS_HANDLES_MAX);
	return true;
}

static bool t_handle_list(void)
{
	static nc_sys_handle_info_t info[NC_SYS_HANDLES_MAX];
	uint64_t n, pid;
	NC_EXPECT_SYS(nc_sys_handle_list(0, info, NC_SYS_HANDLES_MAX, &n), NC_SYS_OK);
	bool console_seen = false, fs_seen = false;
	for (uint64_t i = 0; i < n; i++) {
		console_seen |= info[i].type == NC_SYS_HANDLE_CONSOLE;
		fs_seen |= info[i].type == NC_SYS_HANDLE_CAP && nc_str_compare(info[i].action, "fs") == 0 &&
			   nc_str_compare(info[i].scope, "/") == 0 && info[i].state == 0;
	}
	NC_REQUIRE(console_seen && fs_seen);
	/* our own pid works as 0 does; init's needs process.inspect, which we hold */
	uint64_t n_self;
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_PID, &pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_list(pid, NULL, 0, &n_self), NC_SYS_OK);
	NC_REQUIRE(n_self == n);
	NC_EXPECT_SYS(nc_sys_handle_list(1, info, 2, &n), NC_SYS_OK);
	NC_REQUIRE(n >= 11 && info[0].type == NC_SYS_HANDLE_CONSOLE);
	NC_EXPECT_SYS(nc_sys_handle_list(999999, NULL, 0, &n), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_handle_list(1ull << 40, NULL, 0, &n), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_handle_list(0, (void *)UT_KERNEL_ADDR, 4, &n), NC_SYS_ERR_BAD_ADDRESS);
	return true;
}

static bool t_process_list(void)
{
	static nc_sys_process_info_t ps[64];
	uint64_t n, pid;
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_PID, &pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_list(ps, 64, &n), NC_SYS_OK);
	bool self = false, init = false;
	for (uint64_t i = 0; i < n && i < 64; i++) {
		if (ps[i].pid == pid)
			self = nc_str_compare(ps[i].name, "usertests") == 0 && ps[i].state == NC_SYS_PROC_RUNNING &&
			       ps[i].frames > 0 && ps[i].n_threads >= 1 && ps[i].parent_pid == 1 &&
			       ps[i].cpu_time_ns > 0 && ps[i].n_handles > 0;
		if (ps[i].pid == 1)
			init = nc_str_compare(ps[i].name, "init") == 0 && ps[i].parent_pid == 0;
	}
	NC_REQUIRE(self && init);
	uint64_t n0;
	NC_EXPECT_SYS(nc_sys_process_list(NULL, 0, &n0), NC_SYS_OK);
	NC_REQUIRE(n0 == n);
	NC_EXPECT_SYS(nc_sys_process_list((void *)UT_KERNEL_ADDR, 4, &n), NC_SYS_ERR_BAD_ADDRESS);
	return true;
}

enum { SEND_WAIT_NS = 300000000 };

typedef struct {
	uint64_t end, h;
	nc_sys_err_t err;
} sender_t;

static int send_handle_waiting(void *arg)
{
	sender_t *s = arg;
	s->err = nc_sys_ipc_send(s->end, "x", 1, &s->h, 1, SEND_WAIT_NS);
	return 0;
}

/* A send that takes handle h out of the table and then fails (here: the
 * queue stays full until the timeout) puts h back under its value. A handle
 * another thread made in h's slot meanwhile, and closed, must never get its
 * value back later (before: restoring h rewound the slot's generation, so
 * the next handle made there had the closed one's value). */
static bool t_generation_never_recurs(void)
{
	uint64_t e[2], h, meanwhile, later, code;
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	for (uint64_t i = 0; i < NC_SYS_IPC_QUEUE_MAX; i++)
		NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "f", 1, NULL, 0, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_duplicate(console(), NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_TRANSFER, &h), NC_SYS_OK);
	sender_t s = { e[0], h, NC_SYS_OK };
	nc_thread_t t;
	NC_EXPECT_SYS(nc_thread_start(&t, send_handle_waiting, &s), NC_SYS_OK);
	nc_sys_sleep(SEND_WAIT_NS / 4); /* h is out of the table now */
	NC_EXPECT_SYS(nc_sys_handle_duplicate(console(), NC_SYS_RIGHT_WRITE, &meanwhile), NC_SYS_OK);
	NC_REQUIRE((meanwhile & 0xff) == (h & 0xff)); /* h's slot, the lowest free one */
	NC_EXPECT_SYS(nc_sys_handle_close(meanwhile), NC_SYS_OK);
	NC_EXPECT_SYS(nc_thread_join(&t, &code), NC_SYS_OK);
	NC_EXPECT_SYS(s.err, NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_handle_close(h), NC_SYS_OK); /* h is back under its value */
	NC_EXPECT_SYS(nc_sys_handle_duplicate(console(), NC_SYS_RIGHT_WRITE, &later), NC_SYS_OK);
	NC_REQUIRE((later & 0xff) == (h & 0xff));
	NC_REQUIRE(later != meanwhile && later != h);
	NC_EXPECT_SYS(nc_sys_handle_close(later), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_close(e[0]), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_close(e[1]), NC_SYS_OK);
	return true;
}

const nc_test_case_t ut_handle_tests[] = {
	{ "handle.close", t_close },
	{ "handle.duplicate", t_duplicate },
	{ "handle.table_limit", t_table_limit },
	{ "handle.list", t_handle_list },
	{ "handle.process_list", t_process_list },
	{ "handle.generation_never_recurs_after_a_failed_send", t_generation_never_recurs },
	{ NULL, NULL },
};
