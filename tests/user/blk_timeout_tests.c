/* blk.timeout_and_reset: the NVMe driver's watchdog, in the drivers boot
 * (drivers_qemu_test.sh). devmgr tells the driver to ignore its device's next
 * completions ("fault nvme0 lose N"), as if the device had lost them, with
 * the command timeout at 1 s ("timeout nvme0 1000"):
 *   - one lost completion among 4 reads in flight: the watchdog resets the
 *     controller, submits the command again, and every read gets its data;
 *   - one lost write completion: the write is submitted again and succeeds;
 *   - a read whose completion is lost twice fails with TIMED_OUT, and the
 *     window is untouched (never a wrong buffer);
 *   - the disk works after: everything written reads back, and a last write
 *     is flushed. The script then reads the three regions from the disk
 *     image on the host and compares them with the same patterns
 *     (drivers_qemu_test.sh, region_matches): the host's view agrees.
 * blk.failed_reset_restarts_driver: a controller reset that fails ("fault
 * nvme0 reset-fail": the driver leaves the controller disabled, as a dead
 * one) while a read is in the device (its completion lost, timeout 1 s):
 *   - the read fails with IO_ERROR, its window untouched;
 *   - the driver exits: the client's channel is closed (PEER_CLOSED), and
 *     the device manager's restart count goes up by one;
 *   - the device opened again (a new driver, on a function the kernel has
 *     reset) reads what was written and flushed before.
 * Every wait has a deadline: a hang fails the test. */
#include "ut_sys.h"
#include "drivers.h"
#include <nc/blk.h>

enum {
	BLOCK = 512, REGION = 4096, READS = 4, READ_BLOCKS = 16, WRITE_BLOCKS = 32,
	WINDOW = READS * READ_BLOCKS * BLOCK, UNTOUCHED = 0xee,
};
#define WAIT_NS 60000000000ull
#define RESTART_NS 30000000000ull

/* Byte i of block lba in round r (the script computes the same in Python). */
static uint8_t pattern(uint64_t lba, uint64_t i, unsigned r)
{
	return (uint8_t)(lba * 13 + i * 5 + r * 71 + (i >> 7));
}

static void fill(uint8_t *p, uint64_t lba, uint32_t n, unsigned r)
{
	for (uint64_t k = 0; k < (uint64_t)n * BLOCK; k++)
		p[k] = pattern(lba + k / BLOCK, k % BLOCK, r);
}

static bool is_round(const uint8_t *p, uint64_t lba, uint32_t n, unsigned r)
{
	for (uint64_t k = 0; k < (uint64_t)n * BLOCK; k++)
		if (p[k] != pattern(lba + k / BLOCK, k % BLOCK, r))
			return false;
	return true;
}

/* Requests reqs[0..n) submitted together and each answered once (by id,
 * within WAIT_NS): the transport error, or the first status that is not
 * OK (every answer's n_blocks must then be 0, else that of its request). */
static nc_sys_err_t run(nc_blk_t *b, const nc_blk_req_t *reqs, size_t n)
{
	nc_sys_err_t err = nc_blk_submit(b, reqs, n), first = NC_SYS_OK;
	bool seen[READS] = { false };
	for (size_t got = 0; !err && got < n;) {
		nc_blk_done_t d[NC_BLK_DONES_PER_MSG];
		size_t k = 0;
		err = nc_blk_wait(b, d, NC_BLK_DONES_PER_MSG, &k, WAIT_NS);
		for (size_t j = 0; !err && j < k; j++, got++) {
			uint64_t i = d[j].id - reqs[0].id;
			if (i >= n || seen[i] || d[j].n_blocks != (d[j].status ? 0 : reqs[i].n_blocks))
				return NC_SYS_ERR_INVALID;
			seen[i] = true;
			if (!first)
				first = d[j].status;
		}
	}
	return err ? err : first;
}

static nc_blk_req_t req(uint8_t op, uint8_t flags, uint64_t lba, uint32_t n, uint64_t offset, uint64_t id)
{
	return (nc_blk_req_t){ op, flags, 0, n, lba, offset, id };
}

static nc_sys_err_t one(nc_blk_t *b, uint8_t op, uint8_t flags, uint64_t lba, uint32_t n)
{
	nc_blk_req_t r = req(op, flags, lba, n, 0, 1);
	return run(b, &r, 1);
}

/* A read of n blocks at lba fails with want and leaves the whole window as it was. */
static bool read_fails(nc_blk_t *b, uint64_t lba, uint32_t n, nc_sys_err_t want)
{
	nc_mem_set(b->window, UNTOUCHED, WINDOW);
	NC_EXPECT_SYS(one(b, NC_BLK_OP_READ, 0, lba, n), want);
	for (unsigned k = 0; k < WINDOW; k++)
		if (b->window[k] != UNTOUCHED)
			return NC_FAIL("window byte %u changed by a read that failed", k);
	return true;
}

static bool tell(const char *cmd)
{
	char reply[64];
	if (!drv_devmgr(cmd, reply, sizeof reply))
		return NC_FAIL("devmgr: %s: %s", cmd, reply);
	return true;
}

bool blk_timeout_test(void)
{
	enum { A = REGION, B = REGION + READS * READ_BLOCKS, C = B + WRITE_BLOCKS };
	char reply[64];
	nc_blk_t b;
	NC_EXPECT_SYS(nc_blk_open(&b, "nvme0n1", WINDOW), NC_SYS_OK);
	fill(b.window, A, READS * READ_BLOCKS, 1);
	NC_EXPECT_SYS(one(&b, NC_BLK_OP_WRITE, 0, A, READS * READ_BLOCKS), NC_SYS_OK);
	NC_REQUIRE(!drv_devmgr("timeout nvme0 5", reply, sizeof reply));   /* below 100 ms */
	NC_REQUIRE(!drv_devmgr("fault nvme0 lose x", reply, sizeof reply));
	if (!tell("timeout nvme0 1000") || !tell("fault nvme0 lose 1"))
		return false;
	/* one of four reads in flight loses its completion */
	nc_blk_req_t reads[READS];
	for (unsigned i = 0; i < READS; i++)
		reads[i] = req(NC_BLK_OP_READ, 0, A + i * READ_BLOCKS, READ_BLOCKS, i * READ_BLOCKS * BLOCK, 10 + i);
	nc_mem_set(b.window, UNTOUCHED, WINDOW);
	NC_EXPECT_SYS(run(&b, reads, READS), NC_SYS_OK);
	NC_REQUIRE(is_round(b.window, A, READS * READ_BLOCKS, 1));
	/* a write loses its completion */
	if (!tell("fault nvme0 lose 1"))
		return false;
	fill(b.window, B, WRITE_BLOCKS, 2);
	NC_EXPECT_SYS(one(&b, NC_BLK_OP_WRITE, NC_BLK_FUA, B, WRITE_BLOCKS), NC_SYS_OK);
	/* a read loses it twice: TIMED_OUT, and its window is left alone */
	if (!tell("fault nvme0 lose 2"))
		return false;
	if (!read_fails(&b, A, READ_BLOCKS, NC_SYS_ERR_TIMED_OUT))
		return false;
	/* the disk works after */
	if (!tell("timeout nvme0 5000"))
		return false;
	NC_EXPECT_SYS(one(&b, NC_BLK_OP_READ, 0, A, READS * READ_BLOCKS), NC_SYS_OK);
	NC_REQUIRE(is_round(b.window, A, READS * READ_BLOCKS, 1));
	NC_EXPECT_SYS(one(&b, NC_BLK_OP_READ, 0, B, WRITE_BLOCKS), NC_SYS_OK);
	NC_REQUIRE(is_round(b.window, B, WRITE_BLOCKS, 2));
	fill(b.window, C, WRITE_BLOCKS, 3);
	NC_EXPECT_SYS(one(&b, NC_BLK_OP_WRITE, 0, C, WRITE_BLOCKS), NC_SYS_OK);
	NC_EXPECT_SYS(one(&b, NC_BLK_OP_FLUSH, 0, 0, 0), NC_SYS_OK);
	nc_mem_set(b.window, UNTOUCHED, WINDOW);
	NC_EXPECT_SYS(one(&b, NC_BLK_OP_READ, 0, C, WRITE_BLOCKS), NC_SYS_OK);
	NC_REQUIRE(is_round(b.window, C, WRITE_BLOCKS, 3));
	nc_blk_close(&b);
	return true;
}

/* devmgr's restart count of nvme0, or -1. */
static int64_t restarts(void)
{
	char reply[64];
	if (!drv_devmgr("restarts nvme0", reply, sizeof reply))
		return -1;
	int64_t n = 0;
	for (const char *p = reply + 3; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (*p - '0');
	return n;
}

bool blk_failed_reset_test(void)
{
	enum { D = REGION + READS * READ_BLOCKS + 2 * WRITE_BLOCKS }; /* after blk.timeout_and_reset's regions */
	nc_blk_t b;
	NC_EXPECT_SYS(nc_blk_open(&b, "nvme0n1", WINDOW), NC_SYS_OK);
	fill(b.window, D, WRITE_BLOCKS, 4);
	NC_EXPECT_SYS(one(&b, NC_BLK_OP_WRITE, 0, D, WRITE_BLOCKS), NC_SYS_OK);
	NC_EXPECT_SYS(one(&b, NC_BLK_OP_FLUSH, 0, 0, 0), NC_SYS_OK);
	int64_t before = restarts();
	NC_REQUIRE(before >= 0);
	if (!tell("timeout nvme0 1000") || !tell("fault nvme0 lose 1") || !tell("fault nvme0 reset-fail"))
		return false;
	if (!read_fails(&b, D, WRITE_BLOCKS, NC_SYS_ERR_IO_ERROR))
		return false;
	/* the driver is going: the channel closes (a request may still be refused first) */
	nc_sys_err_t err = NC_SYS_OK;
	for (int i = 0; i < 100 && err != NC_SYS_ERR_PEER_CLOSED; i++) {
		err = one(&b, NC_BLK_OP_READ, 0, D, WRITE_BLOCKS);
		if (err != NC_SYS_ERR_PEER_CLOSED)
			nc_sys_sleep(10000000);
	}
	NC_EXPECT_SYS(err, NC_SYS_ERR_PEER_CLOSED);
	nc_blk_close(&b);
	uint64_t now = 0, deadline = 0;
	nc_sys_clock_get(&deadline);
	deadline += RESTART_NS;
	while ((err = nc_blk_open(&b, "nvme0n1", WINDOW)) != NC_SYS_OK && now < deadline) {
		nc_sys_sleep(20000000);
		nc_sys_clock_get(&now);
	}
	NC_EXPECT_SYS(err, NC_SYS_OK);
	int64_t after = restarts();
	if (after != before + 1)
		return NC_FAIL("devmgr restarted nvme0 %lld times, expected 1", (long long)(after - before));
	nc_mem_set(b.window, UNTOUCHED, WINDOW);
	NC_EXPECT_SYS(one(&b, NC_BLK_OP_READ, 0, D, WRITE_BLOCKS), NC_SYS_OK);
	NC_REQUIRE(is_round(b.window, D, WRITE_BLOCKS, 4));
	nc_blk_close(&b);
	return true;
}
