/* hog: a demonstration of per-process memory quotas from the shell.
 * `hog mem` maps memory until MemMap fails; `hog chan` parks messages in
 * channel queues until creating a channel or sending fails (it first maps
 * the memory it will not park in, so the quota, not the handle table, runs
 * out). Either way the failure must be LIMIT with less than TIGHT bytes of
 * the quota left: the quota stops the program long before the machine
 * runs out. It reports, holds what it got for HOLD_NS (watch it with
 * `mem`), and exits 0 when it stopped at its quota, 1 otherwise. */
#include <nc/mem.h>
#include <nc/ulib.h>

enum {
	CHUNK = 64 << 10, PAGE = 4096, PARK_ROOM = 96 << 10, PARK_MSG = 200,
	/* what may be left when a hog stops: a page and the page table it
	 * needs, or a channel and its spare buffers, or a message */
	TIGHT = 3 * PAGE,
};
#define HOLD_NS 2000000000ull

static uint64_t info(uint64_t what)
{
	uint64_t v = 0;
	nc_sys_system_info(what, &v);
	return v;
}

static uint64_t left(void) { return info(NC_SYS_INFO_QUOTA_BYTES) - info(NC_SYS_INFO_QUOTA_USED_BYTES); }

/* Map (and touch) memory, big steps first, until a map fails. */
static nc_sys_err_t take_memory(void)
{
	nc_sys_err_t err = NC_SYS_OK;
	for (uint64_t step = CHUNK; step >= PAGE; step /= 16) {
		uint64_t addr;
		while ((err = nc_sys_mem_map(0, step, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr)) == NC_SYS_OK)
			for (uint64_t off = 0; off < step; off += PAGE)
				((volatile uint8_t *)addr)[off] = 1;
	}
	return err;
}

/* Fill channel after channel until creating or sending fails. */
static nc_sys_err_t park_messages(void)
{
	static uint8_t msg[PARK_MSG];
	uint64_t addr, ends[2];
	while (left() > PARK_ROOM + 2 * CHUNK)
		if (nc_sys_mem_map(0, CHUNK, NC_SYS_PROT_READ, &addr))
			break;
	nc_sys_err_t err;
	while ((err = nc_sys_ipc_create_channel(ends)) == NC_SYS_OK)
		for (int side = 0; side < 2; side++)
			for (uint64_t i = 0; i < NC_SYS_IPC_QUEUE_MAX; i++)
				if ((err = nc_sys_ipc_send(ends[side], msg, sizeof msg, NULL, 0, 0)) != NC_SYS_OK)
					return err;
	return err;
}

int main(const char *arg, size_t arg_len)
{
	bool chan = arg_len == 4 && nc_mem_compare(arg, "chan", 4) == 0;
	if (!chan && !(arg_len == 3 && nc_mem_compare(arg, "mem", 3) == 0)) {
		nc_print("usage: hog mem | hog chan\n");
		return 2;
	}
	nc_sys_err_t err = chan ? park_messages() : take_memory();
	uint64_t used = info(NC_SYS_INFO_QUOTA_USED_BYTES), quota = info(NC_SYS_INFO_QUOTA_BYTES);
	nc_print("hog: %s stopped with %s at %llu of %llu KiB\n", chan ? "parking" : "mapping",
		 err == NC_SYS_ERR_LIMIT ? "LIMIT (its quota)" : nc_sys_err_name(err),
		 (unsigned long long)(used >> 10), (unsigned long long)(quota >> 10));
	bool at_quota = err == NC_SYS_ERR_LIMIT && quota - used < TIGHT;
	if (!at_quota)
		nc_print("hog: that is not its quota\n");
	nc_sys_sleep(HOLD_NS);
	return at_quota ? 0 : 1;
}
