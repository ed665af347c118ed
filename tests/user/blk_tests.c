/* The block registry and protocol (docs/block.md), in the drivers boot
 * (drivers_qemu_test.sh) against the NVMe driver's nvme0n1: every error of
 * BlkRegister(Device), BlkLookup and BlkList, a registration served by this
 * process itself (the connect message a lookup sends), each protocol error
 * status, a read-only connection, and many requests in flight at once. The
 * driver's timeout test is in blk_timeout_tests.c, the random test with
 * driver kills in blk_random_tests.c. */
#include "ut_sys.h"
#include "drivers.h"
#include <nc/blk.h>

enum { BLOCK = 512, DISK_BLOCKS = 131072, WINDOW = 256 * 1024, CONNECT_KIND = 1, CONNECT_WRITABLE = 1 };

static bool listed(const char *name, nc_sys_blk_info_t *out)
{
	nc_sys_blk_info_t info[16];
	uint64_t n = 0;
	if (nc_sys_blk_list(info, 16, &n))
		return false;
	for (uint64_t i = 0; i < n && i < 16; i++)
		if (nc_str_compare(info[i].name, name) == 0) {
			if (out)
				*out = info[i];
			return true;
		}
	return false;
}

static bool t_list_and_lookup(void)
{
	nc_sys_blk_info_t info;
	uint64_t h, n;
	NC_REQUIRE(listed("nvme0n1", &info));
	NC_REQUIRE(info.block_bytes == BLOCK && info.n_blocks == DISK_BLOCKS && info.driver_pid && !info.flags);
	NC_EXPECT_SYS(nc_sys_blk_list(NULL, 0, &n), NC_SYS_OK);
	NC_REQUIRE(n >= 1);
	NC_EXPECT_SYS(nc_sys_blk_list((void *)UT_KERNEL_ADDR, 4, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_blk_lookup("nosuch", 6, &h), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_blk_lookup("x", 0, &h), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_blk_lookup("0123456789012345678901234567890123", 34, &h), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_blk_lookup((void *)UT_KERNEL_ADDR, 4, &h), NC_SYS_ERR_BAD_ADDRESS);
	return true;
}

/* This process serves "test0": the connect message carries the client's end. */
static bool t_register_and_connect(void)
{
	uint64_t srv[2], other[2], client, h[1], sizes, console = ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL);
	nc_sys_blk_info_t info;
	nc_mem_set(&info, 0, sizeof info);
	nc_mem_copy(info.name, "test0", 6);
	info.block_bytes = 4096;
	info.n_blocks = 10;
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(srv), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(other), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_blk_register_device(&info, console), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_blk_register_device(&info, 0xdead), NC_SYS_ERR_BAD_HANDLE);
	info.block_bytes = 1000;
	NC_EXPECT_SYS(nc_sys_blk_register_device(&info, srv[0]), NC_SYS_ERR_INVALID);
	info.block_bytes = 4096;
	info.flags = 2;
	NC_EXPECT_SYS(nc_sys_blk_register_device(&info, srv[0]), NC_SYS_ERR_INVALID);
	info.flags = NC_SYS_BLK_READ_ONLY;
	NC_EXPECT_SYS(nc_sys_blk_register("Bad!", 4, srv[0]), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_blk_register_device((void *)UT_KERNEL_ADDR, srv[0]), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_blk_register_device(&info, srv[0]), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_close(srv[0]), NC_SYS_ERR_BAD_HANDLE); /* moved to the kernel */
	nc_sys_blk_info_t got;
	uint64_t pid;
	nc_sys_system_info(NC_SYS_INFO_PID, &pid);
	NC_REQUIRE(listed("test0", &got) && got.n_blocks == 10 && got.driver_pid == pid && got.flags == NC_SYS_BLK_READ_ONLY);
	NC_EXPECT_SYS(nc_sys_blk_register("test0", 5, other[0]), NC_SYS_ERR_BUSY);
	NC_EXPECT_SYS(nc_sys_blk_lookup("test0", 5, &client), NC_SYS_OK);
	struct { uint32_t kind, flags; uint64_t pid; } m;
	NC_EXPECT_SYS(nc_sys_ipc_receive(srv[1], &m, sizeof m, h, 1, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE((uint32_t)sizes == sizeof m && sizes >> 32 == 1);
	NC_REQUIRE(m.kind == CONNECT_KIND && m.flags == CONNECT_WRITABLE && m.pid == pid);
	/* the two ends talk */
	NC_EXPECT_SYS(nc_sys_ipc_send(client, "hi", 2, NULL, 0, 0), NC_SYS_OK);
	char buf[4];
	NC_EXPECT_SYS(nc_sys_ipc_receive(h[0], buf, sizeof buf, NULL, 0, 0, &sizes), NC_SYS_OK);
	NC_REQUIRE((uint32_t)sizes == 2 && buf[0] == 'h');
	nc_sys_handle_close(h[0]);
	nc_sys_handle_close(client);
	/* the server goes: the name is gone, and free again */
	NC_EXPECT_SYS(nc_sys_handle_close(srv[1]), NC_SYS_OK);
	NC_REQUIRE(!listed("test0", NULL));
	NC_EXPECT_SYS(nc_sys_blk_lookup("test0", 5, &client), NC_SYS_ERR_NOT_FOUND);
	NC_EXPECT_SYS(nc_sys_blk_register("test0", 5, other[0]), NC_SYS_OK);
	NC_REQUIRE(listed("test0", &got) && got.n_blocks == 0 && got.block_bytes == 0);
	nc_sys_handle_close(other[1]);
	NC_REQUIRE(!listed("test0", NULL));
	return true;
}

/* Child with no capability at all. */
static int child_blk_denied(void)
{
	uint64_t e[2], h, n;
	nc_sys_blk_info_t info[1];
	NC_EXPECT_CHILD(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_blk_lookup("nvme0n1", 7, &h), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_blk_list(info, 1, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_blk_register("mine", 4, e[0]), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_blk_register_device(info, e[0]), NC_SYS_ERR_DENIED);
	return 0;
}

/* Child with blk.lookup on nvme0n1 only: a read-only connection. */
static int child_read_only(void)
{
	nc_blk_t b;
	NC_EXPECT_CHILD(nc_blk_open(&b, "nvme0n1", WINDOW), NC_SYS_OK);
	NC_EXPECT_CHILD(b.info.flags, NC_BLK_READ_ONLY);
	NC_EXPECT_CHILD(nc_blk_io(&b, NC_BLK_OP_READ, 0, 0, 1, 0), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_blk_io(&b, NC_BLK_OP_WRITE, 0, 0, 1, 0), NC_SYS_ERR_READ_ONLY);
	NC_EXPECT_CHILD(nc_blk_io(&b, NC_BLK_OP_FLUSH, 0, 0, 0, 0), NC_SYS_ERR_READ_ONLY);
	uint64_t h;
	NC_EXPECT_CHILD(nc_sys_blk_lookup("other", 5, &h), NC_SYS_ERR_DENIED);
	nc_blk_close(&b);
	return 0;
}

static bool t_denied_and_read_only(void)
{
	if (!ut_child_ok("blk_denied", NULL, 0))
		return false;
	uint64_t cap;
	NC_EXPECT_SYS(ut_attenuate("blk", "blk.lookup", "nvme0n1", NC_SYS_RIGHT_TRANSFER, 0, &cap), NC_SYS_OK);
	bool ok = ut_child_ok("blk_read_only", &cap, 1);
	nc_sys_handle_close(cap);
	return ok;
}

static bool t_protocol_errors(void)
{
	nc_blk_t b;
	NC_EXPECT_SYS(nc_blk_open(&b, "nvme0n1", WINDOW), NC_SYS_OK);
	NC_REQUIRE(b.info.block_bytes == BLOCK && b.info.n_blocks == DISK_BLOCKS && b.info.flags == 0);
	NC_REQUIRE(b.info.max_transfer_bytes == 128 * 1024 && b.window_bytes == WINDOW);
	uint32_t max = (uint32_t)(b.info.max_transfer_bytes / BLOCK);
	NC_EXPECT_SYS(nc_blk_io(&b, NC_BLK_OP_READ, 0, DISK_BLOCKS, 1, 0), NC_SYS_ERR_NO_SPACE);
	NC_EXPECT_SYS(nc_blk_io(&b, NC_BLK_OP_READ, 0, DISK_BLOCKS - 1, 2, 0), NC_SYS_ERR_NO_SPACE);
	NC_EXPECT_SYS(nc_blk_io(&b, NC_BLK_OP_WRITE, 0, ~0ull, 1, 0), NC_SYS_ERR_NO_SPACE);
	NC_EXPECT_SYS(nc_blk_io(&b, NC_BLK_OP_READ, 0, 0, 0, 0), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_blk_io(&b, NC_BLK_OP_READ, 0, 0, 1, 100), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_blk_io(&b, NC_BLK_OP_READ, 0, 0, 2, WINDOW - BLOCK), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_blk_io(&b, NC_BLK_OP_READ, 0, 0, 1, ~0ull - 511), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_blk_io(&b, NC_BLK_OP_READ, 0, 0, max + 1, 0), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_blk_io(&b, 9, 0, 0, 1, 0), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_blk_io(&b, NC_BLK_OP_WRITE, 0x80, 0, 1, 0), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_blk_io(&b, NC_BLK_OP_READ, 0, DISK_BLOCKS - max, max, 0), NC_SYS_OK);
	/* a message of no whole request */
	NC_EXPECT_SYS(nc_sys_ipc_send(b.channel, "xyz", 3, NULL, 0, 0), NC_SYS_OK);
	nc_blk_done_t d[NC_BLK_DONES_PER_MSG];
	size_t n;
	NC_EXPECT_SYS(nc_blk_wait(&b, d, NC_BLK_DONES_PER_MSG, &n, NC_SYS_TIMEOUT_INFINITE), NC_SYS_OK);
	NC_REQUIRE(n == 1 && d[0].status == NC_SYS_ERR_INVALID);
	nc_blk_close(&b);
	return true;
}

/* Byte i of block lba's content in round r. */
static uint8_t pattern(uint64_t lba, uint64_t i, unsigned r)
{
	return (uint8_t)(lba * 31 + i * 7 + r * 101 + (i >> 8));
}

/* 24 writes in flight (3 messages of 8), then 24 reads in flight; each
 * request answered once by id; every byte read back is what was written. */
static bool t_many_in_flight(void)
{
	enum { N = 24, BLOCKS = 8 };
	nc_blk_t b;
	NC_EXPECT_SYS(nc_blk_open(&b, "nvme0n1", N * BLOCKS * BLOCK), NC_SYS_OK);
	for (unsigned round = 0; round < 2; round++) {
		uint8_t op = round == 0 ? NC_BLK_OP_WRITE : NC_BLK_OP_READ;
		nc_blk_req_t r[N];
		for (unsigned i = 0; i < N; i++) {
			uint64_t lba = 1000 + i * 37;
			r[i] = (nc_blk_req_t){ op, i % 3 == 0 ? NC_BLK_FUA : 0, 0, BLOCKS, lba, i * BLOCKS * BLOCK, 500 + i };
			for (uint64_t k = 0; k < BLOCKS * BLOCK; k++)
				b.window[i * BLOCKS * BLOCK + k] = round == 0 ? pattern(lba, k, 1) : 0;
			if (round)
				r[i].flags = 0;
		}
		for (unsigned m = 0; m < N / NC_BLK_REQS_PER_MSG; m++)
			NC_EXPECT_SYS(nc_blk_submit(&b, r + m * NC_BLK_REQS_PER_MSG, NC_BLK_REQS_PER_MSG), NC_SYS_OK);
		bool seen[N] = { false };
		for (unsigned got = 0; got < N;) {
			nc_blk_done_t d[NC_BLK_DONES_PER_MSG];
			size_t n;
			NC_EXPECT_SYS(nc_blk_wait(&b, d, NC_BLK_DONES_PER_MSG, &n, 30000000000ull), NC_SYS_OK);
			for (size_t k = 0; k < n; k++) {
				uint64_t i = d[k].id - 500;
				NC_REQUIRE(i < N && !seen[i] && d[k].status == NC_SYS_OK && d[k].n_blocks == BLOCKS);
				seen[i] = true;
				got++;
			}
		}
	}
	for (unsigned i = 0; i < N; i++)
		for (uint64_t k = 0; k < BLOCKS * BLOCK; k++)
			if (b.window[i * BLOCKS * BLOCK + k] != pattern(1000 + i * 37, k, 1))
				return NC_FAIL("request %u byte %llu differs", i, (unsigned long long)k);
	NC_EXPECT_SYS(nc_blk_io(&b, NC_BLK_OP_FLUSH, 0, 0, 0, 0), NC_SYS_OK);
	nc_blk_close(&b);
	return true;
}

const nc_test_case_t ut_blk_tests[] = {
	{ "blk.list_and_lookup", t_list_and_lookup },
	{ "blk.register_and_connect", t_register_and_connect },
	{ "blk.denied_and_read_only", t_denied_and_read_only },
	{ "blk.protocol_errors", t_protocol_errors },
	{ "blk.many_in_flight", t_many_in_flight },
	{ "blk.timeout_and_reset", blk_timeout_test },
	{ "blk.failed_reset_restarts_driver", blk_failed_reset_test },
	{ "blk.random_with_driver_kills", blk_random_test },
	{ NULL, NULL },
};

const nc_test_child_t ut_blk_children[] = {
	{ "blk_denied", child_blk_denied },
	{ "blk_read_only", child_read_only },
	{ NULL, NULL },
};
