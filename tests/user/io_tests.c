/* Console I/O through handles (FdRead with timeouts, FdWrite) and the
 * non-blocking child wait a shell needs (ProcessWait with a timeout). The
 * test image has no console input, so reads time out; the receive interrupt
 * path itself is tested in the kernel (tests/kernel/console_input_test.c). */
#include "ut_sys.h"

static uint64_t console(void) { return ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL); }

static bool t_write(void)
{
	static char big[NC_SYS_IO_MAX_BYTES + 1];
	uint64_t n, ro;
	NC_EXPECT_SYS(nc_sys_fd_write(console(), "io.write: hello\n", 16, &n), NC_SYS_OK);
	NC_REQUIRE(n == 16);
	NC_EXPECT_SYS(nc_sys_fd_write(console(), big, sizeof big, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_fd_write(console(), (void *)UT_KERNEL_ADDR, 4, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_fd_write(777, "x", 1, &n), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_handle_duplicate(console(), NC_SYS_RIGHT_READ, &ro), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_write(ro, "x", 1, &n), NC_SYS_ERR_DENIED);
	nc_sys_handle_close(ro);
	return true;
}

static bool t_read_timeouts(void)
{
	char buf[16];
	uint64_t n, t0, t1, wo, ends[2];
	NC_EXPECT_SYS(nc_sys_fd_read(console(), buf, sizeof buf, 0, &n), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_clock_get(&t0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read(console(), buf, sizeof buf, 20000000, &n), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_clock_get(&t1), NC_SYS_OK);
	NC_REQUIRE(t1 - t0 >= 20000000);
	NC_EXPECT_SYS(nc_sys_fd_read(console(), buf, 0, 0, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_handle_duplicate(console(), NC_SYS_RIGHT_WRITE, &wo), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read(wo, buf, sizeof buf, 0, &n), NC_SYS_ERR_DENIED);
	nc_sys_handle_close(wo);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(ends), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_fd_read(ends[0], buf, sizeof buf, 0, &n), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_fd_write(ends[0], buf, 1, &n), NC_SYS_ERR_WRONG_TYPE);
	nc_sys_handle_close(ends[0]);
	nc_sys_handle_close(ends[1]);
	return true;
}

static int child_sleep_200ms(void)
{
	nc_sys_sleep(200000000);
	return 7;
}

static bool t_wait_timeout(void)
{
	static const char self[] = "usertests", arg[] = "child:io_sleep";
	uint64_t pid, st = 0, reaped, t0, t1;
	NC_EXPECT_SYS(nc_sys_process_spawn(self, sizeof self - 1, arg, sizeof arg - 1, NULL, 0, &pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &st, 0, &reaped), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_clock_get(&t0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_wait(0, &st, 10000000, &reaped), NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_clock_get(&t1), NC_SYS_OK);
	NC_REQUIRE(t1 - t0 >= 10000000);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &st, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	NC_REQUIRE(reaped == pid && st == 7);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &st, 0, &reaped), NC_SYS_ERR_NO_CHILD);
	return true;
}

const nc_test_case_t ut_io_tests[] = {
	{ "io.console_write", t_write },
	{ "io.console_read_timeouts", t_read_timeouts },
	{ "io.wait_timeout", t_wait_timeout },
	{ NULL, NULL },
};

const nc_test_child_t ut_io_children[] = {
	{ "io_sleep", child_sleep_200ms },
	{ NULL, NULL },
};
