/* Per-process memory quotas (ProcessSpawnSpec, ProcessQuota, SystemInfo
 * INFO_QUOTA_*): a child's quota is carved out of its parent's and comes
 * back whole when the child is reaped; a memory hog and a channel-parking
 * hog each stop at LIMIT right under their quota while the system keeps
 * its memory; shared memory is charged to its creator; bad specs get their
 * documented errors. */
#include "ut_sys.h"

enum {
	HOG_QUOTA = 8 << 20,              /* the hogs' quota */
	CHAIN_QUOTA = 40 << 20,           /* a chain of PROCESS_DEPTH_MAX small processes, and room */
	MAP_CHUNK = 64 << 10,             /* the memory hog's first steps */
	PAGE = 4096,
	PARK_ROOM = 96 << 10,             /* what the channel hog leaves itself to park messages in */
	PARK_MSG = 200,                   /* bytes per parked message */
	/* a hog ends with less than this left: a page and the page table it may
	 * need, or a channel with its spares (2.5 KiB), or a message (512) */
	TIGHT = 3 * 4096,
};

static const char self[] = "usertests";

static uint64_t info(uint64_t what)
{
	uint64_t v = 0;
	nc_sys_system_info(what, &v);
	return v;
}

static uint64_t left(void) { return info(NC_SYS_INFO_QUOTA_BYTES) - info(NC_SYS_INFO_QUOTA_USED_BYTES); }

/* Spawn usertests running child body name with quota_bytes and the
 * caller's transferable handles. */
static nc_sys_err_t spawn_quota(const char *name, uint64_t quota_bytes, uint64_t *pid)
{
	char arg[64];
	size_t len = nc_fmt_format(arg, sizeof arg, "child:%s", name);
	nc_sys_spawn_spec_t s = { (uint64_t)self, sizeof self - 1, (uint64_t)arg, len, 0, NC_SYS_SPAWN_INHERIT,
				  quota_bytes, 0, 0 };
	return nc_sys_process_spawn_spec(&s, pid);
}

static bool wait_for(uint64_t pid, uint64_t *status)
{
	uint64_t reaped;
	NC_EXPECT_SYS(nc_sys_process_wait(pid, status, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	NC_REQUIRE(reaped == pid);
	return true;
}

/* The child's view of its quota: as given, with something charged already. */
static int child_quota_view(void)
{
	nc_sys_quota_t q, again;
	NC_EXPECT_CHILD(nc_sys_process_quota(0, &q), NC_SYS_OK);
	NC_EXPECT_CHILD(q.limit_bytes, HOG_QUOTA);
	NC_EXPECT_CHILD(q.limit_bytes == info(NC_SYS_INFO_QUOTA_BYTES), true);
	NC_EXPECT_CHILD(q.used_bytes > 0 && q.used_bytes <= q.limit_bytes && q.peak_bytes >= q.used_bytes, true);
	NC_EXPECT_CHILD(nc_sys_process_quota(info(NC_SYS_INFO_PID), &again), NC_SYS_OK);
	NC_EXPECT_CHILD(again.limit_bytes, q.limit_bytes);
	return 0;
}

/* MemMap until it fails: big steps, then single pages. It must be LIMIT
 * (the machine has far more free memory than the quota), with less than
 * TIGHT left, and the frames must really be there (written). */
static int child_memory_hog(void)
{
	uint64_t addr, mapped = 0;
	nc_sys_err_t err;
	for (uint64_t step = MAP_CHUNK; step >= PAGE; step /= 16) {
		while ((err = nc_sys_mem_map(0, step, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr)) == NC_SYS_OK) {
			for (uint64_t off = 0; off < step; off += PAGE)
				((volatile uint8_t *)addr)[off] = 1;
			mapped += step;
		}
		NC_EXPECT_CHILD(err, NC_SYS_ERR_LIMIT);
	}
	NC_EXPECT_CHILD(left() < TIGHT, true);
	NC_EXPECT_CHILD(mapped > HOG_QUOTA / 2, true);
	NC_EXPECT_CHILD(info(NC_SYS_INFO_QUOTA_USED_BYTES) <= info(NC_SYS_INFO_QUOTA_BYTES), true);
	return 0;
}

/* Channels, each with its queues filled, until something fails: it must be
 * LIMIT from the quota (not the handle table), with less than TIGHT left.
 * The memory it does not use for parking is taken first, so the handle
 * table never fills. */
static int child_channel_hog(void)
{
	static uint8_t msg[PARK_MSG];
	uint64_t addr, ends[2], n_channels = 0;
	while (left() > PARK_ROOM + 2 * MAP_CHUNK)
		NC_EXPECT_CHILD(nc_sys_mem_map(0, MAP_CHUNK, NC_SYS_PROT_READ, &addr), NC_SYS_OK);
	nc_sys_err_t err;
	while ((err = nc_sys_ipc_create_channel(ends)) == NC_SYS_OK) {
		n_channels++;
		for (int side = 0; side < 2 && !err; side++)
			for (uint64_t i = 0; i < NC_SYS_IPC_QUEUE_MAX && !err; i++)
				err = nc_sys_ipc_send(ends[side], msg, sizeof msg, NULL, 0, 0);
		if (err)
			break;
	}
	NC_EXPECT_CHILD(err, NC_SYS_ERR_LIMIT);
	NC_EXPECT_CHILD(n_channels < NC_SYS_HANDLES_MAX / 2, true);
	NC_EXPECT_CHILD(left() < TIGHT, true);
	return 0;
}

/* A shared memory object is charged to its creator: frames and block. */
static int child_quota_shm(void)
{
	uint64_t h, used = info(NC_SYS_INFO_QUOTA_USED_BYTES);
	NC_EXPECT_CHILD(nc_sys_shm_create(2 * HOG_QUOTA, &h), NC_SYS_ERR_LIMIT);
	NC_EXPECT_CHILD(info(NC_SYS_INFO_QUOTA_USED_BYTES), used);
	NC_EXPECT_CHILD(nc_sys_shm_create(MAP_CHUNK, &h), NC_SYS_OK);
	uint64_t charged = info(NC_SYS_INFO_QUOTA_USED_BYTES) - used;
	NC_EXPECT_CHILD(charged > MAP_CHUNK && charged < MAP_CHUNK + PAGE, true);
	NC_EXPECT_CHILD(nc_sys_handle_close(h), NC_SYS_OK);
	NC_EXPECT_CHILD(info(NC_SYS_INFO_QUOTA_USED_BYTES), used);
	return 0;
}

/* Spawn one hog and check what it leaves behind: nothing charged to the
 * caller, no frame missing. */
static bool run_hog(const char *name)
{
	uint64_t used0 = info(NC_SYS_INFO_QUOTA_USED_BYTES), free0 = info(NC_SYS_INFO_FREE_FRAMES), pid, status;
	NC_EXPECT_SYS(spawn_quota(name, HOG_QUOTA, &pid), NC_SYS_OK);
	NC_REQUIRE(info(NC_SYS_INFO_QUOTA_USED_BYTES) == used0 + HOG_QUOTA);
	if (!wait_for(pid, &status))
		return false;
	if (status)
		return NC_FAIL("%s failed at its line %llu", name, (unsigned long long)status);
	NC_REQUIRE(info(NC_SYS_INFO_QUOTA_USED_BYTES) == used0);
	NC_REQUIRE(info(NC_SYS_INFO_FREE_FRAMES) == free0);
	return true;
}

static bool t_child_view(void) { return run_hog("quota_view"); }
static bool t_shm(void) { return run_hog("quota_shm"); }
static bool t_memory_hog(void) { return run_hog("quota_memory_hog"); }
static bool t_channel_hog(void) { return run_hog("quota_channel_hog"); }

/* The default (ProcessSpawn, or quota_bytes 0) shares the parent's quota:
 * the child's charges are the parent's, and a process that starts several
 * children and passes them on (devmgr, fsd, the desktop session) does not
 * give each a smaller share. Eight default children of a child with
 * HOG_QUOTA (the small program spin, with no handles) all start and
 * report its quota; reaped, they leave nothing charged. (A halving default
 * gave the eighth 1/256 of it: LIMIT.) */
enum { SHARERS = 8 };
static int child_default_shared(void)
{
	uint64_t pids[SHARERS], status, reaped, used = info(NC_SYS_INFO_QUOTA_USED_BYTES);
	nc_sys_quota_t q;
	for (int i = 0; i < SHARERS; i++) {
		NC_EXPECT_CHILD(nc_sys_process_spawn("spin", 4, "", 0, NULL, 0, &pids[i]), NC_SYS_OK);
		NC_EXPECT_CHILD(nc_sys_process_quota(pids[i], &q), NC_SYS_OK);
		NC_EXPECT_CHILD(q.limit_bytes, HOG_QUOTA);
	}
	NC_EXPECT_CHILD(info(NC_SYS_INFO_QUOTA_USED_BYTES) > used + SHARERS * 16384, true);
	for (int i = 0; i < SHARERS; i++) {
		NC_EXPECT_CHILD(nc_sys_process_kill(pids[i]), NC_SYS_OK);
		NC_EXPECT_CHILD(nc_sys_process_wait(pids[i], &status, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	}
	NC_EXPECT_CHILD(info(NC_SYS_INFO_QUOTA_USED_BYTES), used);
	return 0;
}

static bool t_default_shared(void) { return run_hog("quota_default_shared"); }

static bool t_spec_errors(void)
{
	uint64_t pid;
	static const char arg[] = "child:exit_42";
	nc_sys_spawn_spec_t s = { (uint64_t)self, sizeof self - 1, (uint64_t)arg, sizeof arg - 1, 0, 0, 0, 0, 0 };
	s.quota_bytes = left() + PAGE;
	NC_EXPECT_SYS(nc_sys_process_spawn_spec(&s, &pid), NC_SYS_ERR_LIMIT);
	s.quota_bytes = PAGE; /* cannot hold the child */
	NC_EXPECT_SYS(nc_sys_process_spawn_spec(&s, &pid), NC_SYS_ERR_LIMIT);
	s.quota_bytes = 0;
	NC_EXPECT_SYS(nc_sys_process_spawn_spec((void *)UT_KERNEL_ADDR, &pid), NC_SYS_ERR_BAD_ADDRESS);
	nc_sys_quota_t q;
	NC_EXPECT_SYS(nc_sys_process_quota(0, (void *)UT_KERNEL_ADDR), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_process_quota(999999, &q), NC_SYS_ERR_NOT_FOUND);
	/* init's: the root, which we share (init starts us with ProcessSpawn) */
	NC_EXPECT_SYS(nc_sys_process_quota(1, &q), NC_SYS_OK);
	NC_REQUIRE(q.limit_bytes == info(NC_SYS_INFO_QUOTA_BYTES));
	NC_REQUIRE(q.used_bytes == info(NC_SYS_INFO_QUOTA_USED_BYTES));
	return true;
}

/* Another process's quota needs process.inspect. */
static int child_quota_denied(void)
{
	nc_sys_quota_t q;
	NC_EXPECT_CHILD(nc_sys_process_quota(1, &q), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_process_quota(0, &q), NC_SYS_OK);
	return 0;
}

static bool t_other_needs_inspect(void)
{
	return ut_child_ok("quota_denied", NULL, 0);
}

/* A child's quota is carved out of its parent's: a grandchild cannot get
 * more than the child has left. */
static int child_nested(void)
{
	static const char arg[] = "child:exit_42";
	nc_sys_spawn_spec_t s = { (uint64_t)self, sizeof self - 1, (uint64_t)arg, sizeof arg - 1, 0, 0, 0, 0, 0 };
	uint64_t pid, reaped, status;
	s.quota_bytes = left() + PAGE;
	NC_EXPECT_CHILD(nc_sys_process_spawn_spec(&s, &pid), NC_SYS_ERR_LIMIT);
	s.quota_bytes = left() - PAGE;
	NC_EXPECT_CHILD(nc_sys_process_spawn_spec(&s, &pid), NC_SYS_OK);
	NC_EXPECT_CHILD(left() < 2 * PAGE, true);
	NC_EXPECT_CHILD(nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	NC_EXPECT_CHILD(status, 42);
	return 0;
}

static bool t_nested(void) { return run_hog("quota_nested"); }

/* The process tree is at most PROCESS_DEPTH_MAX deep (issue 24 item 6: a
 * deep enough chain overflowed the kernel stack of the recursive tree walk
 * behind ProcessList). usertests is at depth 1, so a chain started here
 * ends at level PROCESS_DEPTH_MAX - 1 (tests/user/chain.c checks the limit
 * was the depth, not the quota, and that ProcessList lists every link). */
static bool t_depth_is_bounded(void)
{
	static const char chain[] = "chain";
	nc_sys_spawn_spec_t s = { (uint64_t)chain, sizeof chain - 1, (uint64_t)"1", 1, 0, NC_SYS_SPAWN_INHERIT,
				  CHAIN_QUOTA, 0, 0 };
	uint64_t pid, status;
	NC_EXPECT_SYS(nc_sys_process_spawn_spec(&s, &pid), NC_SYS_OK);
	if (!wait_for(pid, &status))
		return false;
	if (status != NC_SYS_PROCESS_DEPTH_MAX - 1)
		return NC_FAIL("the chain ended with %llu, want level %llu", (unsigned long long)status,
			       (unsigned long long)(NC_SYS_PROCESS_DEPTH_MAX - 1));
	return true;
}

const nc_test_case_t ut_quota_tests[] = {
	{ "quota.child_view", t_child_view },
	{ "quota.shared_memory_charged_to_creator", t_shm },
	{ "quota.memory_hog_ends_at_limit", t_memory_hog },
	{ "quota.channel_parking_hog_ends_at_limit", t_channel_hog },
	{ "quota.default_shares_the_parents_quota", t_default_shared },
	{ "quota.spawn_spec_errors", t_spec_errors },
	{ "quota.other_process_needs_inspect", t_other_needs_inspect },
	{ "quota.nested_quota_carved_from_parent", t_nested },
	{ "process.depth_is_bounded", t_depth_is_bounded },
	{ NULL, NULL },
};

const nc_test_child_t ut_quota_children[] = {
	{ "quota_view", child_quota_view },
	{ "quota_shm", child_quota_shm },
	{ "quota_memory_hog", child_memory_hog },
	{ "quota_channel_hog", child_channel_hog },
	{ "quota_denied", child_quota_denied },
	{ "quota_nested", child_nested },
	{ "quota_default_shared", child_default_shared },
	{ NULL, NULL },
};
