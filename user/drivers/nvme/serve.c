/* The NVMe driver's side of the block protocol (docs/block.md): the
 * registration, one thread per client, and the device manager's control
 * channel. A client leaving (its channel closed) ends its thread, which
 * waits until none of its requests is still in the device before it lets go
 * of the window those requests copy into. */
#include "nvme.h"
#include <nc/fmt.h>
#include <nc/mem.h>

/* The kernel's connect message (kernel/sys_blk.c). */
typedef struct {
	uint32_t kind, flags;
	uint64_t client_pid;
} connect_t;
enum { CONNECT_KIND = 1, CONNECT_WRITABLE = 1, WINDOW_MAX_BYTES = 256u << 20 };

static client_t clients[NVME_CLIENTS_MAX];

/* The attach message: map the window, answer with the geometry. */
static bool attach(client_t *c)
{
	nc_blk_attach_t a;
	uint64_t sizes, shm = 0, addr = 0, len = 0;
	nc_blk_info_t info = { NC_SYS_OK, c->writable ? 0 : NC_BLK_READ_ONLY, nvme.block_bytes, nvme.n_blocks,
			       nvme.max_transfer_bytes };
	nc_sys_err_t err = nc_sys_ipc_receive(c->channel, &a, sizeof a, &shm, 1, NC_SYS_TIMEOUT_INFINITE, &sizes);
	if (err)
		return false;
	if ((uint32_t)sizes != sizeof a || sizes >> 32 != 1 || a.op != NC_BLK_OP_ATTACH)
		err = NC_SYS_ERR_INVALID;
	if (!err)
		err = nc_sys_shm_size(shm, &len);
	if (!err && len > WINDOW_MAX_BYTES)
		err = NC_SYS_ERR_INVALID;
	if (!err)
		err = nc_sys_shm_map(shm, 0, 0, len, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr);
	if (shm)
		nc_sys_handle_close(shm); /* the mapping keeps the window */
	c->window = (uint8_t *)addr;
	c->window_bytes = err ? 0 : len;
	info.status = err;
	nc_sys_ipc_send(c->channel, &info, sizeof info, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
	return !err;
}

static int client_thread(void *arg)
{
	client_t *c = arg;
	if (attach(c)) {
		nc_blk_req_t reqs[NC_BLK_REQS_PER_MSG];
		uint64_t sizes;
		while (nc_sys_ipc_receive(c->channel, reqs, sizeof reqs, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes) ==
		       NC_SYS_OK) {
			size_t n = (uint32_t)sizes / sizeof reqs[0], k = 0;
			nc_blk_done_t refused[NC_BLK_REQS_PER_MSG];
			for (size_t i = 0; i < n; i++) {
				nc_sys_err_t err = nvme_submit(c, &reqs[i]);
				if (err)
					refused[k++] = (nc_blk_done_t){ reqs[i].id, err, 0 };
			}
			if (n == 0 || (uint32_t)sizes % sizeof reqs[0])
				refused[k++] = (nc_blk_done_t){ 0, NC_SYS_ERR_INVALID, 0 };
			if (k)
				nc_sys_ipc_send(c->channel, refused, k * sizeof refused[0], NULL, 0, NC_SYS_TIMEOUT_INFINITE);
		}
	}
	while (__atomic_load_n(&c->in_flight, __ATOMIC_ACQUIRE))
		nc_sys_yield();
	if (c->window)
		nc_sys_mem_unmap((uint64_t)c->window, c->window_bytes);
	nc_sys_handle_close(c->channel);
	c->window = NULL;
	__atomic_store_n(&c->channel, 0, __ATOMIC_RELEASE); /* the slot is free again */
	return 0;
}

/* Accept connections on listen (the peer of the registered endpoint) for ever. */
void nvme_serve(uint64_t listen)
{
	for (;;) {
		connect_t m;
		uint64_t h = 0, sizes;
		nc_sys_err_t err = nc_sys_ipc_receive(listen, &m, sizeof m, &h, 1, NC_SYS_TIMEOUT_INFINITE, &sizes);
		if (err) {
			nc_print("nvme: connections: %s\n", nc_sys_err_name(err));
			return;
		}
		if ((uint32_t)sizes != sizeof m || m.kind != CONNECT_KIND || sizes >> 32 != 1) {
			if (h)
				nc_sys_handle_close(h);
			continue;
		}
		client_t *c = NULL;
		for (int i = 0; i < NVME_CLIENTS_MAX && !c; i++)
			if (!__atomic_load_n(&clients[i].channel, __ATOMIC_ACQUIRE))
				c = &clients[i];
		if (c) {
			if (c->thread.tid)
				nc_thread_join(&c->thread, &sizes); /* the previous client's thread has ended */
			nc_mem_set(c, 0, sizeof *c);
			c->channel = h;
			c->writable = m.flags & CONNECT_WRITABLE;
		}
		if (!c || nc_thread_start(&c->thread, client_thread, c)) {
			nc_print("nvme: too many clients; connection from pid %llu refused\n",
				 (unsigned long long)m.client_pid);
			nc_sys_handle_close(h);
			if (c)
				c->channel = 0;
		}
	}
}

/* The decimal number s, or 0 (none, or past max). */
static uint64_t number(const char *s, uint64_t max)
{
	uint64_t v = 0;
	for (; *s >= '0' && *s <= '9' && v <= max; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	return *s || v > max ? 0 : v;
}

/* Control messages from the device manager: "reset" (reset the controller
 * with whatever is in flight, which is submitted again), "timeout MS" (the
 * command timeout, 100..600000 ms), and, to test how the driver and its
 * clients cope, "fault-null" and "fault-divide" (make this driver fault, as
 * a buggy one would), "fault-lose N" (ignore the next N I/O completions,
 * 1..1000, as if the device had lost them: the watchdog's timeout, reset
 * and TIMED_OUT) and "fault-reset-fail" (the next controller reset leaves
 * the controller disabled, as a dead one: the driver fails what was in it
 * and exits). Each answered "ok", or "error" for anything else. */
static int control_thread(void *arg)
{
	uint64_t ch = (uint64_t)arg, sizes, v = 0;
	char cmd[32];
	while (nc_sys_ipc_receive(ch, cmd, sizeof cmd - 1, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes) == NC_SYS_OK) {
		cmd[(uint32_t)sizes] = 0;
		bool ok = true;
		if (nc_str_compare(cmd, "reset") == 0) {
			nvme.reset_requested = true;
		} else if (nc_str_starts_with(cmd, "timeout ") && (v = number(cmd + 8, 600000)) >= 100) {
			nvme.timeout_ns = v * 1000000;
		} else if (nc_str_starts_with(cmd, "fault-lose ") && (v = number(cmd + 11, 1000)) != 0) {
			nc_lock_acquire(&nvme.lock);
			nvme.lose_completions = (uint32_t)v;
			nc_lock_release(&nvme.lock);
		} else if (nc_str_compare(cmd, "fault-reset-fail") == 0) {
			nc_lock_acquire(&nvme.lock);
			nvme.fail_resets = 1;
			nc_lock_release(&nvme.lock);
		} else {
			ok = nc_str_compare(cmd, "fault-null") == 0 || nc_str_compare(cmd, "fault-divide") == 0;
		}
		/* answers never wait: a device manager that does not read them loses them */
		nc_sys_ipc_send(ch, ok ? "ok" : "error", ok ? 2 : 5, NULL, 0, 0);
		if (nc_str_compare(cmd, "fault-null") == 0) {
			volatile int *volatile bad = (volatile int *)(uintptr_t)8;
			*bad = 1;
		} else if (nc_str_compare(cmd, "fault-divide") == 0) {
			volatile int zero = 0;
			cmd[0] = (char)(1 / zero);
		}
	}
	return 0;
}

void nvme_start_control(uint64_t ch)
{
	static nc_thread_t t;
	if (ch && nc_thread_start(&t, control_thread, (void *)ch))
		nc_print("nvme: no control thread\n");
}
