/* Shared memory objects: ShmCreate, ShmMap, ShmSize, and their handles over
 * IPC (docs/shm.md). Frame-count checks run the work in a child process, so
 * the page tables the mappings needed go away with it. */
#include "ut_sys.h"

enum { PAGE = 4096, RO_FAULT_VECTOR = 14 };

static uint64_t free_frames(void)
{
	uint64_t v = 0;
	nc_sys_system_info(NC_SYS_INFO_FREE_FRAMES, &v);
	return v;
}

static bool t_create_and_size(void)
{
	uint64_t h, n;
	NC_EXPECT_SYS(nc_sys_shm_create(0, &h), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_shm_create(NC_SYS_MAP_MAX_BYTES + 1, &h), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_shm_create(1, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_size(h, &n), NC_SYS_OK);
	NC_REQUIRE(n == PAGE);
	nc_sys_handle_info_t info[NC_SYS_HANDLES_MAX];
	NC_EXPECT_SYS(nc_sys_handle_list(0, info, NC_SYS_HANDLES_MAX, &n), NC_SYS_OK);
	bool seen = false;
	for (uint64_t i = 0; i < n && i < NC_SYS_HANDLES_MAX; i++)
		if (info[i].handle == h) {
			seen = true;
			NC_REQUIRE(info[i].type == NC_SYS_HANDLE_SHM);
			NC_REQUIRE(info[i].rights == (NC_SYS_RIGHT_MAP | NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_DUPLICATE |
						   NC_SYS_RIGHT_TRANSFER));
		}
	NC_REQUIRE(seen);
	NC_EXPECT_SYS(nc_sys_handle_close(h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_create(3 * PAGE + 1, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_size(h, &n), NC_SYS_OK);
	NC_REQUIRE(n == 4 * PAGE);
	NC_EXPECT_SYS(nc_sys_shm_size(12345, &n), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_shm_size(ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL), &n), NC_SYS_ERR_WRONG_TYPE);
	NC_EXPECT_SYS(nc_sys_handle_close(h), NC_SYS_OK);
	return true;
}

/* Two mappings of one object see the same bytes; the pages start zeroed. */
static bool t_map_shares_pages(void)
{
	uint64_t h, a, b;
	NC_EXPECT_SYS(nc_sys_shm_create(4 * PAGE, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_map(h, 0, 0, 4 * PAGE, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &a), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_map(h, 0, 2 * PAGE, 2 * PAGE, NC_SYS_PROT_READ, &b), NC_SYS_OK);
	volatile uint8_t *pa = (volatile uint8_t *)a, *pb = (volatile uint8_t *)b;
	for (uint64_t i = 0; i < 4 * PAGE; i += 512)
		NC_REQUIRE(pa[i] == 0);
	pa[2 * PAGE + 7] = 0x5a;
	pa[4 * PAGE - 1] = 0xa5;
	NC_REQUIRE(pb[7] == 0x5a && pb[2 * PAGE - 1] == 0xa5);
	/* the object outlives its handle while mapped */
	NC_EXPECT_SYS(nc_sys_handle_close(h), NC_SYS_OK);
	pa[2 * PAGE + 8] = 0x33;
	NC_REQUIRE(pb[8] == 0x33);
	NC_EXPECT_SYS(nc_sys_mem_unmap(a, 4 * PAGE), NC_SYS_OK);
	NC_REQUIRE(pb[7] == 0x5a);
	NC_EXPECT_SYS(nc_sys_mem_unmap(b, 2 * PAGE), NC_SYS_OK);
	return true;
}

static bool t_map_errors(void)
{
	uint64_t h, a, ro, m;
	const uint64_t rw = NC_SYS_PROT_READ | NC_SYS_PROT_WRITE;
	NC_EXPECT_SYS(nc_sys_shm_create(2 * PAGE, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_map(h, 0, 0, PAGE, 0, &a), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_shm_map(h, 0, 0, PAGE, NC_SYS_PROT_READ | NC_SYS_PROT_EXEC, &a), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_shm_map(h, 0, 1, PAGE, rw, &a), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_shm_map(h, 0, 2 * PAGE, PAGE, rw, &a), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_shm_map(h, 0, PAGE, PAGE + 1, rw, &a), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_shm_map(h, 0, 0, 0, rw, &a), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_shm_map(h, 0, ~0ull & ~(uint64_t)(PAGE - 1), PAGE, rw, &a), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_shm_map(h, 123, 0, PAGE, rw, &a), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_shm_map(h, UT_KERNEL_ADDR, 0, PAGE, rw, &a), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_shm_map(9999, 0, 0, PAGE, rw, &a), NC_SYS_ERR_BAD_HANDLE);
	NC_EXPECT_SYS(nc_sys_shm_map(ut_find_handle(NC_SYS_HANDLE_CONSOLE, NULL), 0, 0, PAGE, rw, &a),
		  NC_SYS_ERR_WRONG_TYPE);
	/* a fixed address over a mapped page */
	NC_EXPECT_SYS(nc_sys_mem_map(0, 3 * PAGE, rw, &m), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_map(h, m + PAGE, 0, 2 * PAGE, rw, &a), NC_SYS_ERR_EXISTS);
	NC_REQUIRE(((volatile uint8_t *)m)[PAGE] == 0); /* the old page is still there */
	NC_EXPECT_SYS(nc_sys_mem_unmap(m + PAGE, 2 * PAGE), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_map(h, m + PAGE, 0, 2 * PAGE, rw, &a), NC_SYS_OK);
	NC_REQUIRE(a == m + PAGE);
	/* a second object over the first's range */
	uint64_t h2;
	NC_EXPECT_SYS(nc_sys_shm_create(PAGE, &h2), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_map(h2, m + 2 * PAGE, 0, PAGE, rw, &a), NC_SYS_ERR_EXISTS);
	NC_EXPECT_SYS(nc_sys_mem_unmap(m, 3 * PAGE), NC_SYS_OK);
	/* rights: RIGHT_MAP alone maps read-only; no RIGHT_MAP, no mapping */
	NC_EXPECT_SYS(nc_sys_handle_duplicate(h, NC_SYS_RIGHT_MAP, &ro), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_map(ro, 0, 0, PAGE, rw, &a), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_shm_map(ro, 0, 0, PAGE, NC_SYS_PROT_READ, &a), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_mem_unmap(a, PAGE), NC_SYS_OK);
	uint64_t none;
	NC_EXPECT_SYS(nc_sys_handle_duplicate(h, NC_SYS_RIGHT_DUPLICATE, &none), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_map(none, 0, 0, PAGE, NC_SYS_PROT_READ, &a), NC_SYS_ERR_DENIED);
	NC_EXPECT_SYS(nc_sys_handle_duplicate(none, NC_SYS_RIGHT_MAP, &a), NC_SYS_ERR_DENIED);
	nc_sys_handle_close(none);
	nc_sys_handle_close(ro);
	nc_sys_handle_close(h2);
	nc_sys_handle_close(h);
	return true;
}

/* Child with handle 1 = a read-only (RIGHT_MAP) shm handle: map it and write. */
static int child_write_read_only(void)
{
	uint64_t a;
	NC_EXPECT_CHILD(nc_sys_shm_map(1, 0, 0, PAGE, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &a), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_shm_map(1, 0, 0, PAGE, NC_SYS_PROT_READ, &a), NC_SYS_OK);
	NC_EXPECT_CHILD(*(volatile uint8_t *)a, 0x77);
	*(volatile uint8_t *)a = 1; /* page fault: the mapping is read-only */
	return 0;
}

static bool t_read_only_handle_faults_on_write(void)
{
	uint64_t h, ro, a, st;
	NC_EXPECT_SYS(nc_sys_shm_create(PAGE, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_map(h, 0, 0, PAGE, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &a), NC_SYS_OK);
	*(volatile uint8_t *)a = 0x77;
	NC_EXPECT_SYS(nc_sys_handle_duplicate(h, NC_SYS_RIGHT_MAP | NC_SYS_RIGHT_TRANSFER, &ro), NC_SYS_OK);
	bool ok = ut_spawn_with("shm_write_ro", &ro, 1, &st);
	nc_sys_handle_close(ro);
	nc_sys_handle_close(h);
	if (!ok)
		return false;
	NC_REQUIRE(st == ut_fault_status(RO_FAULT_VECTOR));
	NC_REQUIRE(*(volatile uint8_t *)a == 0x77);
	NC_EXPECT_SYS(nc_sys_mem_unmap(a, PAGE), NC_SYS_OK);
	return true;
}

/* Child with handle 1 = a channel: receive an shm handle, map it, add one to
 * every byte of its first page, answer, wait for the peer to close. */
static int child_shm_peer(void)
{
	uint64_t h[1], sizes, a;
	uint8_t msg[8];
	NC_EXPECT_CHILD(nc_sys_ipc_receive(1, msg, sizeof msg, h, 1, NC_SYS_TIMEOUT_INFINITE, &sizes), NC_SYS_OK);
	NC_EXPECT_CHILD(sizes >> 32, 1);
	NC_EXPECT_CHILD(nc_sys_shm_map(h[0], 0, 0, PAGE, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &a), NC_SYS_OK);
	volatile uint8_t *p = (volatile uint8_t *)a;
	for (int i = 0; i < PAGE; i++)
		p[i] = (uint8_t)(p[i] + 1);
	NC_EXPECT_CHILD(nc_sys_ipc_send(1, "done", 4, NULL, 0, NC_SYS_TIMEOUT_INFINITE), NC_SYS_OK);
	nc_sys_ipc_receive(1, msg, sizeof msg, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes);
	return 0;
}

/* A handle sent over a channel shares the pages with another process; when
 * both sides are done every frame is back. */
static bool t_pass_over_ipc(void)
{
	static const char self[] = "usertests", arg[] = "child:shm_peer";
	uint64_t before = free_frames();
	uint64_t e[2], h, a, pid, st, reaped, sizes;
	uint8_t msg[8];
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(e), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_create(PAGE, &h), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_map(h, 0, 0, PAGE, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &a), NC_SYS_OK);
	volatile uint8_t *p = (volatile uint8_t *)a;
	for (int i = 0; i < PAGE; i++)
		p[i] = (uint8_t)i;
	NC_EXPECT_SYS(nc_sys_process_spawn(self, 9, arg, sizeof arg - 1, &e[1], 1, &pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_handle_close(e[1]), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(e[0], "shm", 3, &h, 1, NC_SYS_TIMEOUT_INFINITE), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_shm_size(h, &sizes), NC_SYS_ERR_BAD_HANDLE); /* moved */
	NC_EXPECT_SYS(nc_sys_ipc_receive(e[0], msg, sizeof msg, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes), NC_SYS_OK);
	for (int i = 0; i < PAGE; i++)
		if (p[i] != (uint8_t)(i + 1))
			return NC_FAIL("byte %d is %u after the peer's increment", i, p[i]);
	NC_EXPECT_SYS(nc_sys_handle_close(e[0]), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &st, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	NC_REQUIRE(st == 0);
	NC_EXPECT_SYS(nc_sys_mem_unmap(a, PAGE), NC_SYS_OK);
	uint64_t after = free_frames();
	/* this process keeps the page tables of the range it mapped */
	NC_REQUIRE(after + 4 >= before);
	return true;
}

/* Child: create, map, replace and unmap objects in every combination, then exit
 * with objects still mapped and handles still open. */
static int child_shm_churn(void)
{
	const uint64_t rw = NC_SYS_PROT_READ | NC_SYS_PROT_WRITE;
	for (int round = 0; round < 50; round++) {
		uint64_t h, a, b, m;
		NC_EXPECT_CHILD(nc_sys_shm_create((uint64_t)(round % 7 + 1) * PAGE, &h), NC_SYS_OK);
		NC_EXPECT_CHILD(nc_sys_shm_map(h, 0, 0, PAGE, rw, &a), NC_SYS_OK);
		NC_EXPECT_CHILD(nc_sys_shm_map(h, 0, 0, PAGE, NC_SYS_PROT_READ, &b), NC_SYS_OK);
		*(volatile uint8_t *)a = (uint8_t)round;
		NC_EXPECT_CHILD(*(volatile uint8_t *)b, (uint8_t)round);
		/* a fixed MemMap replaces a shared page with a private one */
		NC_EXPECT_CHILD(nc_sys_mem_map(a, PAGE, rw, &m), NC_SYS_OK);
		NC_EXPECT_CHILD(*(volatile uint8_t *)a, 0);
		NC_EXPECT_CHILD(*(volatile uint8_t *)b, (uint8_t)round);
		NC_EXPECT_CHILD(nc_sys_mem_unmap(a, PAGE), NC_SYS_OK);
		if (round % 2)
			NC_EXPECT_CHILD(nc_sys_mem_unmap(b, PAGE), NC_SYS_OK);
		if (round % 3)
			NC_EXPECT_CHILD(nc_sys_handle_close(h), NC_SYS_OK);
	}
	return 0;
}

/* Run child body name runs times: each must exit with 0, and afterwards the
 * free-frame count must be what it was. */
static bool children_free_everything(const char *name, int runs)
{
	uint64_t st;
	uint64_t before = free_frames();
	for (int i = 0; i < runs; i++) {
		if (!ut_run_child(name, &st))
			return false;
		if (st != 0)
			return NC_FAIL("child %s failed: status %llu", name, (unsigned long long)st);
	}
	uint64_t after = free_frames();
	return after == before ? true : NC_FAIL("free frames %llu -> %llu", (unsigned long long)before,
					       (unsigned long long)after);
}

static bool t_every_frame_comes_back(void)
{
	return children_free_everything("shm_churn", 3);
}

/* One thread maps an object at a fixed range and another unmaps that range,
 * over and over: whatever interleaving, no frame is lost or freed twice. */
static volatile uint64_t race_addr, race_stop;

static int unmapper(void *arg)
{
	(void)arg;
	while (!race_stop)
		nc_sys_mem_unmap(race_addr, 4 * PAGE);
	return 0;
}

static int child_shm_race(void)
{
	uint64_t h, m, a, code;
	NC_EXPECT_CHILD(nc_sys_shm_create(4 * PAGE, &h), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_mem_map(0, 4 * PAGE, NC_SYS_PROT_READ, &m), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_mem_unmap(m, 4 * PAGE), NC_SYS_OK);
	race_addr = m;
	nc_thread_t t;
	NC_EXPECT_CHILD(nc_thread_start(&t, unmapper, NULL), NC_SYS_OK);
	for (int i = 0; i < 2000; i++) {
		nc_sys_err_t err = nc_sys_shm_map(h, m, 0, 4 * PAGE, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &a);
		if (err != NC_SYS_OK && err != NC_SYS_ERR_EXISTS)
			return 1000 + (int)err;
	}
	race_stop = 1;
	NC_EXPECT_CHILD(nc_thread_join(&t, &code), NC_SYS_OK);
	return 0;
}

static bool t_map_unmap_race(void)
{
	return children_free_everything("shm_race", 1);
}

const nc_test_case_t ut_shm_tests[] = {
	{ "shm.create_and_size", t_create_and_size },
	{ "shm.map_shares_pages", t_map_shares_pages },
	{ "shm.map_errors", t_map_errors },
	{ "shm.read_only_handle_faults_on_write", t_read_only_handle_faults_on_write },
	{ "shm.pass_over_ipc", t_pass_over_ipc },
	{ "shm.every_frame_comes_back", t_every_frame_comes_back },
	{ "shm.map_unmap_race", t_map_unmap_race },
	{ NULL, NULL },
};

const nc_test_child_t ut_shm_children[] = {
	{ "shm_write_ro", child_write_read_only },
	{ "shm_peer", child_shm_peer },
	{ "shm_churn", child_shm_churn },
	{ "shm_race", child_shm_race },
	{ NULL, NULL },
};
