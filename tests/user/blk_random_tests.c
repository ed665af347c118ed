/* blk.random_with_driver_kills: RANDOM_OPS random reads, writes and flushes
 * of random ranges of nvme0n1, up to IN_FLIGHT at once, checked against a
 * model of the disk, while the driver is killed, made to fault (bad pointer,
 * divide by zero) or told to reset its controller at random points,
 * requests in flight or not. A killed driver must show as PEER_CLOSED on the
 * connection (never a hang: every wait has a deadline), devmgr must start it
 * again, and after reopening, every block reads as the model says: what was
 * written and acknowledged before the kill, and for a write still in flight
 * when the driver died, its old or its new content.
 *
 * The model keeps a version per block: version 0 is the fresh disk's zeros,
 * version v > 0 a pattern of (lba, v), so the model needs 4 bytes a block
 * (twice: 1 MiB, from the heap while the test runs; static arrays would be
 * part of every usertests process, and test children run in quotas of a few
 * MiB).
 * The region used starts past the blocks the other blk tests write. */
#include "ut_sys.h"
#include "drivers.h"
#include <nc/blk.h>
#include <nc/fmt.h>

enum {
	RANDOM_OPS = 10000, IN_FLIGHT = 8, MAX_BLOCKS = 64, BLOCK = 512, FIRST = 8192, LAST = 131072,
	SLOT_BYTES = MAX_BLOCKS * BLOCK, EVENT_EVERY = 400, NONE = 0xffffffffu,
};
#define WAIT_NS 60000000000ull
#define REOPEN_NS 60000000000ull

static uint32_t *version, *maybe; /* [LAST] each; maybe: the other possible version, NONE */

typedef struct {
	bool busy;
	nc_blk_req_t req;
	uint32_t v;          /* a write's new version */
} op_t;

static op_t ops[IN_FLIGHT];
static uint64_t rng = 0x6e7663656d6f6465ull;

static uint64_t next(void) { return nc_test_random(&rng); }

/* Block lba's bytes at version v. */
static void fill(uint8_t *p, uint64_t lba, uint32_t v)
{
	uint64_t s = lba * 0x9e3779b97f4a7c15ull ^ v;
	for (unsigned i = 0; i < BLOCK / 8; i++) {
		uint64_t w = v ? nc_test_random(&s) : 0;
		nc_mem_copy(p + 8 * i, &w, 8);
	}
}

static bool is_version(const uint8_t *p, uint64_t lba, uint32_t v)
{
	uint8_t want[BLOCK];
	fill(want, lba, v);
	return nc_mem_compare(p, want, BLOCK) == 0;
}

/* Check a read's blocks against the model; a block a lost write may have
 * reached settles on what it is. */
static bool check_read(const uint8_t *p, uint64_t lba, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++, p += BLOCK) {
		uint64_t b = lba + i;
		if (is_version(p, b, version[b])) {
			maybe[b] = NONE;
		} else if (maybe[b] != NONE && is_version(p, b, maybe[b])) {
			version[b] = maybe[b];
			maybe[b] = NONE;
		} else {
			return NC_FAIL("block %llu is not version %u%s", (unsigned long long)b, version[b],
				       maybe[b] != NONE ? " nor the lost write's" : "");
		}
	}
	return true;
}

static bool overlaps_busy(uint64_t lba, uint32_t n)
{
	for (int i = 0; i < IN_FLIGHT; i++)
		if (ops[i].busy && ops[i].req.op != NC_BLK_OP_FLUSH && lba < ops[i].req.lba + ops[i].req.n_blocks &&
		    ops[i].req.lba < lba + n)
			return true;
	return false;
}

/* Start one random operation in free slot i (false: its range collides
 * with one in flight; try again later). */
static bool start_op(nc_blk_t *b, int i, uint64_t id, nc_sys_err_t *err)
{
	uint64_t r = next();
	uint32_t n = (uint32_t)(next() % MAX_BLOCKS) + 1;
	uint64_t lba = FIRST + next() % (LAST - FIRST - n);
	uint8_t op = r % 100 < 47 ? NC_BLK_OP_WRITE : r % 100 < 95 ? NC_BLK_OP_READ : NC_BLK_OP_FLUSH;
	if (op != NC_BLK_OP_FLUSH && overlaps_busy(lba, n))
		return false;
	op_t *o = &ops[i];
	o->req = (nc_blk_req_t){ op, (r >> 32) % 8 == 0 ? NC_BLK_FUA : 0, 0, op == NC_BLK_OP_FLUSH ? 0 : n,
				 op == NC_BLK_OP_FLUSH ? 0 : lba, (uint64_t)i * SLOT_BYTES, id };
	if (op != NC_BLK_OP_WRITE)
		o->req.flags = 0;
	if (op == NC_BLK_OP_WRITE) {
		static uint32_t last_version;
		o->v = ++last_version;
		for (uint32_t k = 0; k < n; k++)
			fill(b->window + o->req.offset + k * BLOCK, lba + k, o->v);
	}
	o->busy = true;
	*err = nc_blk_submit(b, &o->req, 1);
	return true;
}

static bool finish_op(nc_blk_t *b, const nc_blk_done_t *d)
{
	int i = -1;
	for (int k = 0; k < IN_FLIGHT; k++)
		if (ops[k].busy && ops[k].req.id == d->id)
			i = k;
	if (i < 0)
		return NC_FAIL("a completion for unknown request %llu", (unsigned long long)d->id);
	op_t *o = &ops[i];
	o->busy = false;
	if (d->status != NC_SYS_OK)
		return NC_FAIL("request %llu (op %u, lba %llu, %u blocks) failed: %s", (unsigned long long)d->id,
			       o->req.op, (unsigned long long)o->req.lba, o->req.n_blocks, nc_sys_err_name(d->status));
	if (o->req.op == NC_BLK_OP_WRITE)
		for (uint32_t k = 0; k < o->req.n_blocks; k++) {
			version[o->req.lba + k] = o->v;
			maybe[o->req.lba + k] = NONE;
		}
	if (o->req.op == NC_BLK_OP_READ)
		return check_read(b->window + o->req.offset, o->req.lba, o->req.n_blocks);
	return true;
}

static nc_blk_req_t lost[IN_FLIGHT];
static unsigned n_lost;

/* The driver is gone: writes in flight may or may not have landed. */
static void lose_in_flight(void)
{
	n_lost = 0;
	for (int i = 0; i < IN_FLIGHT; i++) {
		if (ops[i].busy && ops[i].req.op == NC_BLK_OP_WRITE) {
			for (uint32_t k = 0; k < ops[i].req.n_blocks; k++)
				maybe[ops[i].req.lba + k] = ops[i].v;
			lost[n_lost++] = ops[i].req;
		}
		ops[i].busy = false;
	}
}

/* Right after reopening: the blocks lost writes may have reached read as
 * their old or their new content, and from then on the model knows which. */
static bool settle_lost(nc_blk_t *b)
{
	for (unsigned i = 0; i < n_lost; i++) {
		NC_EXPECT_SYS(nc_blk_io(b, NC_BLK_OP_READ, 0, lost[i].lba, lost[i].n_blocks, 0), NC_SYS_OK);
		if (!check_read(b->window, lost[i].lba, lost[i].n_blocks))
			return false;
	}
	n_lost = 0;
	return true;
}

static nc_sys_err_t reopen(nc_blk_t *b)
{
	uint64_t deadline = 0, now = 0;
	nc_sys_clock_get(&deadline);
	deadline += REOPEN_NS;
	nc_sys_err_t err;
	while ((err = nc_blk_open(b, "nvme0n1", IN_FLIGHT * SLOT_BYTES)) != NC_SYS_OK) {
		nc_sys_clock_get(&now);
		if (now > deadline)
			return err;
		nc_sys_sleep(20000000);
	}
	return NC_SYS_OK;
}

static const char *const events[] = { "kill nvme0", "kill nvme0", "kill nvme0", "fault nvme0 null",
				      "fault nvme0 divide", "reset nvme0" };

static bool random_ops(void)
{
	nc_blk_t b;
	for (uint64_t i = 0; i < LAST; i++)
		maybe[i] = NONE;
	NC_EXPECT_SYS(reopen(&b), NC_SYS_OK);
	unsigned done = 0, issued = 0, deaths = 0, resets = 0;
	uint64_t id = 1;
	while (done < RANDOM_OPS) {
		nc_sys_err_t err = NC_SYS_OK;
		if (issued < RANDOM_OPS && next() % EVENT_EVERY == 0) {
			const char *ev = events[next() % (sizeof events / sizeof events[0])];
			char reply[64], gone[64];
			/* a driver that a kill just before has not let go yet ends
			 * before it can take a fault or reset: devmgr says so */
			nc_fmt_format(gone, sizeof gone, "error %s", nc_sys_err_name(NC_SYS_ERR_PEER_CLOSED));
			if (!drv_devmgr(ev, reply, sizeof reply) && (ev[0] == 'k' || nc_str_compare(reply, gone)))
				return NC_FAIL("devmgr: %s: %s", ev, reply);
			resets += ev[0] == 'r';
		}
		int free_slot = -1;
		for (int i = 0; i < IN_FLIGHT && free_slot < 0; i++)
			if (!ops[i].busy)
				free_slot = i;
		bool started = issued < RANDOM_OPS && free_slot >= 0 && start_op(&b, free_slot, id, &err);
		if (started) {
			issued++;
			id++;
		}
		bool any_busy = false;
		for (int i = 0; i < IN_FLIGHT; i++)
			any_busy |= ops[i].busy;
		if (!err && !started && any_busy) {
			nc_blk_done_t d[NC_BLK_DONES_PER_MSG];
			size_t n = 0;
			err = nc_blk_wait(&b, d, NC_BLK_DONES_PER_MSG, &n, WAIT_NS);
			for (size_t k = 0; !err && k < n; k++) {
				if (!finish_op(&b, &d[k]))
					return false;
				done++;
			}
		}
		if (err == NC_SYS_ERR_PEER_CLOSED) {
			/* the driver died: everything in flight is lost, count it as done */
			for (int i = 0; i < IN_FLIGHT; i++)
				done += ops[i].busy;
			lose_in_flight();
			nc_blk_close(&b);
			deaths++;
			NC_EXPECT_SYS(reopen(&b), NC_SYS_OK);
			if (!settle_lost(&b))
				return false;
		} else if (err) {
			return NC_FAIL("after %u operations: %s (never a hang: the wait has a deadline)", done,
				       nc_sys_err_name(err));
		}
	}
	/* everything written is there: read the blocks the model knows and the
	 * ones a lost write may have reached */
	unsigned checked = 0;
	for (uint64_t lba = FIRST; lba < LAST;) {
		if (!version[lba] && maybe[lba] == NONE) {
			lba++;
			continue;
		}
		uint32_t n = LAST - lba < MAX_BLOCKS ? (uint32_t)(LAST - lba) : MAX_BLOCKS;
		nc_sys_err_t err = nc_blk_io(&b, NC_BLK_OP_READ, 0, lba, n, 0);
		if (err == NC_SYS_ERR_PEER_CLOSED) {
			/* a kill asked for near the end lands now: the device comes back */
			nc_blk_close(&b);
			deaths++;
			NC_EXPECT_SYS(reopen(&b), NC_SYS_OK);
			continue;
		}
		NC_EXPECT_SYS(err, NC_SYS_OK);
		if (!check_read(b.window, lba, n))
			return false;
		checked += n;
		lba += n;
	}
	nc_blk_close(&b);
	char reply[64];
	drv_devmgr("restarts nvme0", reply, sizeof reply);
	nc_print("# blk.random_with_driver_kills: %u operations, the driver died %u times (devmgr: %s), %u resets, "
		 "%u blocks checked at the end\n", done, deaths, reply, resets, checked);
	NC_REQUIRE(deaths >= 3);
	return true;
}

bool blk_random_test(void)
{
	version = nc_malloc(2 * LAST * sizeof *version);
	if (!version)
		return NC_FAIL("no memory for the model of %u blocks", LAST);
	nc_mem_set(version, 0, LAST * sizeof *version);
	maybe = version + LAST;
	bool ok = random_ops();
	nc_free(version);
	version = maybe = NULL;
	return ok;
}
