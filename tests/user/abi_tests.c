/* The ABI as a whole (version 3, open: v1's 58 calls, v2's two short IPC
 * calls, tested in ipc_short_tests.c, and job control, jobctl_tests.c, and
 * v3's calls reserved for the open issues): the
 * version call, unknown call numbers, the calls whose
 * service is not built (UNSUPPORTED with the capability, DENIED without),
 * SystemInfo's selectors, Random and SystemPower's refusals. */
#include "ut_sys.h"

static bool t_version(void)
{
	uint64_t v = 0;
	NC_EXPECT_SYS(nc_sys_abi_version(&v), NC_SYS_OK);
	NC_REQUIRE(v == 3 && v == NC_ABI_VERSION);
	NC_REQUIRE(NC_SYS_COUNT == 111 && NC_SYS_IPC_CALL_SHORT == 58 && NC_SYS_IPC_REPLY_RECEIVE_SHORT == 59 &&
		NC_SYS_PROCESS_SUSPEND == 60 && NC_SYS_PROCESS_RESUME == 61 && NC_SYS_FD_READ_BULK == 109 &&
		NC_SYS_FD_WRITE_BULK == 110);
	return true;
}

static bool t_unknown_calls(void)
{
	static const uint64_t nums[] = { NC_SYS_COUNT, NC_SYS_COUNT + 1, 255, 1000, 0x100000000ull, 1ull << 63, ~0ull };
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
		if (ut_raw_syscall(nums[i], 0, 0, 0) != NC_SYS_ERR_UNKNOWN_CALL)
			return NC_FAIL("call number %#llx was not UNKNOWN_CALL", (unsigned long long)nums[i]);
	return true;
}

/* Every call the table marks unsupported (NC_SYS_UNSUPPORTED_CALLS), once,
 * with zero arguments: with a capability it must return UNSUPPORTED; without
 * any handle, DENIED if it needs a capability. Returns the number of the first
 * call that disagreed, or -1. */
static int unsupported_calls(bool have_caps)
{
#if NC_SYS_UNSUPPORTED_COUNT > 0 /* none since the AI service and ProcessSpawnSpec were built */
	static const uint64_t calls[][2] = NC_SYS_UNSUPPORTED_CALLS;
	for (size_t i = 0; i < NC_SYS_UNSUPPORTED_COUNT; i++) {
		nc_sys_err_t want = !have_caps && calls[i][1] ? NC_SYS_ERR_DENIED : NC_SYS_ERR_UNSUPPORTED;
		if (ut_raw_syscall(calls[i][0], 0, 0, 0) != want)
			return (int)calls[i][0];
	}
#else
	(void)have_caps;
#endif
	return -1;
}

static bool t_unsupported(void)
{
	int bad = unsupported_calls(true);
	if (bad >= 0)
		return NC_FAIL("unsupported call %d did not return UNSUPPORTED", bad);
	uint64_t status;
	if (!ut_spawn_with("abi_no_caps", NULL, 0, &status))
		return false;
	if (status)
		return NC_FAIL("child without capabilities: failed at %llu", (unsigned long long)status);
	return true;
}

/* Holds no handle at all: every call needing a capability is DENIED. */
static int child_no_caps(void)
{
	if (unsupported_calls(false) >= 0)
		return 1;
	uint64_t v;
	NC_EXPECT_CHILD(nc_sys_write_console("x", 1), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_system_power(NC_SYS_POWER_OFF), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_process_spawn("hello", 5, "", 0, NULL, 0, &v), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_process_kill(1), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_process_list(NULL, 0, &v), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_open("/hello.txt", 10, 0, &v), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_fs_stat("/hello.txt", 10, NULL), NC_SYS_ERR_DENIED);
	char b[8];
	NC_EXPECT_CHILD(nc_sys_initrd_read("hello.txt", 9, b, sizeof b, 0, &v), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_handle_list(0, NULL, 0, &v), NC_SYS_OK);
	NC_EXPECT_CHILD(v == 0, 1);
	/* calls that need no capability still work */
	NC_EXPECT_CHILD(nc_sys_abi_version(&v), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_handle_list(1, NULL, 0, &v), NC_SYS_ERR_DENIED);
	return 0;
}

static bool t_system_info(void)
{
	uint64_t up1, up2, pid, now;
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_UPTIME_NS, &up1), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_clock_get(&now), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_UPTIME_NS, &up2), NC_SYS_OK);
	NC_REQUIRE(up1 <= now && now <= up2);
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_PID, &pid), NC_SYS_OK);
	NC_REQUIRE(pid > 1); /* init is 1 */
	uint64_t wall1, wall2;
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_UPTIME_NS, &up1), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_WALL_CLOCK_NS, &wall1), NC_SYS_OK);
	nc_sys_sleep(20000000);
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_WALL_CLOCK_NS, &wall2), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_UPTIME_NS, &up2), NC_SYS_OK);
	/* QEMU's RTC is the host's clock: after 2025-01-01, and it runs with the monotonic clock */
	NC_REQUIRE(wall1 > 1735689600ull * 1000000000ull && wall2 - wall1 >= 20000000 && wall2 - wall1 <= up2 - up1);
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_WALL_CLOCK_NS + 1, &pid), NC_SYS_ERR_INVALID);
	return true;
}

static bool t_random(void)
{
	static uint8_t a[NC_SYS_IO_MAX_BYTES], b[NC_SYS_IO_MAX_BYTES];
	NC_EXPECT_SYS(nc_sys_random(a, sizeof a), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_random(b, sizeof b), NC_SYS_OK);
	NC_REQUIRE(nc_mem_compare(a, b, sizeof a) != 0);
	/* a crude sanity bound: each byte value is expected 16 times in 4096
	 * bytes; 64 or more is vanishingly unlikely from a working generator */
	uint32_t hist[256] = { 0 };
	for (size_t i = 0; i < sizeof a; i++)
		hist[a[i]]++;
	for (int v = 0; v < 256; v++)
		NC_REQUIRE(hist[v] < 64);
	NC_EXPECT_SYS(nc_sys_random(a, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_random(a, NC_SYS_IO_MAX_BYTES + 1), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_random((void *)UT_KERNEL_ADDR, 16), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_random((void *)UT_UNMAPPED_ADDR, 16), NC_SYS_ERR_BAD_ADDRESS);
	return true;
}

static bool t_system_power_invalid(void)
{
	static char big[NC_SYS_IO_MAX_BYTES + 1];
	NC_EXPECT_SYS(nc_sys_write_console(big, sizeof big), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_system_power(2), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_system_power(~0ull), NC_SYS_ERR_INVALID);
	return true;
}

const nc_test_case_t ut_abi_tests[] = {
	{ "abi.version", t_version },
	{ "abi.unknown_calls", t_unknown_calls },
	{ "abi.unsupported_and_denied", t_unsupported },
	{ "abi.system_info", t_system_info },
	{ "abi.random", t_random },
	{ "abi.system_power_invalid", t_system_power_invalid },
	{ NULL, NULL },
};

const nc_test_child_t ut_abi_children[] = {
	{ "abi_no_caps", child_no_caps },
	{ NULL, NULL },
};
