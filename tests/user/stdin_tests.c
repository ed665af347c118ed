/* nc_stdin_read (user/lib/stdin.c): bytes in order across messages and small
 * buffers, TIMED_OUT with nothing sent, the end of input when the sender
 * closes, and end of input at once for a program without standard input. */
#include "ut_sys.h"

/* Child with handle 1 = the read end of a channel: polls once (nothing sent
 * yet: TIMED_OUT), tells the parent on handle 2, then reads 2 bytes at a time
 * until the end; exit code = the bytes' sum * 100 + the number of reads. */
static int child_read_stdin(void)
{
	size_t n;
	uint8_t b[2];
	NC_EXPECT_CHILD(nc_stdin_read(b, sizeof b, 0, &n), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_CHILD(nc_sys_ipc_send(2, "go", 2, NULL, 0, NC_SYS_TIMEOUT_INFINITE), NC_SYS_OK);
	int sum = 0, reads = 0;
	for (;;) {
		NC_EXPECT_CHILD(nc_stdin_read(b, sizeof b, NC_SYS_TIMEOUT_INFINITE, &n), NC_SYS_OK);
		if (n == 0)
			break;
		reads++;
		for (size_t i = 0; i < n; i++)
			sum += b[i];
	}
	NC_EXPECT_CHILD(nc_stdin_read(b, sizeof b, 0, &n), NC_SYS_OK); /* still the end */
	NC_EXPECT_CHILD(n, 0);
	return sum * 100 + reads;
}

static bool t_read_in_order_to_the_end(void)
{
	static const char self[] = "usertests", arg[] = "child:read_stdin";
	uint64_t in[2], back[2], hs[2], pid, status, reaped, sizes;
	char buf[4];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(in), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(back), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_duplicate(in[1], NC_SYS_RIGHT_READ | NC_SYS_RIGHT_TRANSFER, &hs[0]), NC_SYS_OK);
	hs[1] = back[1];
	NC_EXPECT_SYS(nc_sys_process_spawn(self, sizeof self - 1, arg, sizeof arg - 1, hs, 2, &pid), NC_SYS_OK);
	nc_sys_handle_close(hs[0]);
	nc_sys_handle_close(in[1]);
	nc_sys_handle_close(back[1]);
	NC_EXPECT_SYS(nc_sys_ipc_receive(back[0], buf, sizeof buf, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes), NC_SYS_OK);
	/* 5 bytes in three messages (one empty): reads of 2, 1 (end of a message), 2 */
	NC_EXPECT_SYS(nc_sys_ipc_send(in[0], "\x01\x02\x03", 3, NULL, 0, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(in[0], "", 0, NULL, 0, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(in[0], "\x04\x05", 2, NULL, 0, 0), NC_SYS_OK);
	nc_sys_handle_close(in[0]); /* the end of input */
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	nc_sys_handle_close(back[0]);
	NC_REQUIRE(status == 15 * 100 + 3);
	return true;
}

static int child_no_stdin(void)
{
	size_t n = 99;
	uint8_t b[4];
	NC_EXPECT_CHILD(nc_stdin_read(b, sizeof b, NC_SYS_TIMEOUT_INFINITE, &n), NC_SYS_OK);
	NC_EXPECT_CHILD(n, 0);
	return 0;
}

static bool t_no_stdin_is_the_end(void)
{
	uint64_t status;
	if (!ut_spawn_with("no_stdin", NULL, 0, &status))
		return false;
	NC_REQUIRE(status == 0);
	return true;
}

const nc_test_case_t ut_stdin_tests[] = {
	{ "stdin.read_in_order_to_the_end", t_read_in_order_to_the_end },
	{ "stdin.none_is_the_end", t_no_stdin_is_the_end },
	{ NULL, NULL },
};

const nc_test_child_t ut_stdin_children[] = {
	{ "read_stdin", child_read_stdin },
	{ "no_stdin", child_no_stdin },
	{ NULL, NULL },
};
