/* NVMe I/O: requests to commands and completions to answers (see nvme.h).
 * NVM commands (NVM Command Set 1.0): Flush 0x00, Write 0x01, Read 0x02;
 * CDW10-11 the starting LBA, CDW12 bits 15:0 the block count minus one and
 * bit 30 Force Unit Access. Data pointers (NVMe 1.4, 4.3): PRP1 the first
 * page, PRP2 the second page or, past two pages, a PRP list page. */
#include "nvme.h"
#include <nc/mem.h>

enum { OP_FLUSH = 0x00, OP_WRITE = 0x01, OP_READ = 0x02, CDW12_FUA = 1u << 30, IRQ_WAIT_MS = 100 };
#define QUIESCE_NS 2000000000ull

static uint64_t now_ns(void)
{
	uint64_t t = 0;
	nc_sys_clock_get(&t);
	return t;
}

/* The status a request gets before it reaches the device, or OK. */
static nc_sys_err_t check(const client_t *c, const nc_blk_req_t *r)
{
	if ((r->op != NC_BLK_OP_READ && r->op != NC_BLK_OP_WRITE && r->op != NC_BLK_OP_FLUSH) ||
	    (r->flags & ~(uint8_t)NC_BLK_FUA))
		return NC_SYS_ERR_INVALID;
	if (r->op != NC_BLK_OP_READ && !c->writable)
		return NC_SYS_ERR_READ_ONLY;
	if (r->op == NC_BLK_OP_FLUSH)
		return NC_SYS_OK;
	uint64_t bytes = (uint64_t)r->n_blocks * nvme.block_bytes;
	if (r->n_blocks == 0 || bytes > nvme.max_transfer_bytes || r->offset % nvme.block_bytes ||
	    r->offset > c->window_bytes || bytes > c->window_bytes - r->offset)
		return NC_SYS_ERR_INVALID;
	if (r->lba >= nvme.n_blocks || r->n_blocks > nvme.n_blocks - r->lba)
		return NC_SYS_ERR_NO_SPACE;
	return NC_SYS_OK;
}

/* Fill s->cmd for request r in slot index i. */
static void build_command(slot_t *s, int i, const nc_blk_req_t *r)
{
	uint32_t op = r->op == NC_BLK_OP_READ ? OP_READ : r->op == NC_BLK_OP_WRITE ? OP_WRITE : OP_FLUSH;
	s->cmd = (nvme_sqe_t){ .cdw0 = op | (uint32_t)i << 16, .nsid = NVME_NSID };
	if (r->op == NC_BLK_OP_FLUSH)
		return;
	uint64_t pages = ((uint64_t)r->n_blocks * nvme.block_bytes + NVME_PAGE - 1) / NVME_PAGE;
	s->cmd.prp1 = s->buf_bus;
	if (pages == 2)
		s->cmd.prp2 = s->buf_bus + NVME_PAGE;
	else if (pages > 2) {
		for (uint64_t p = 1; p < pages; p++)
			s->prp_list[p - 1] = s->buf_bus + p * NVME_PAGE;
		s->cmd.prp2 = s->prp_list_bus;
	}
	s->cmd.cdw10 = (uint32_t)r->lba;
	s->cmd.cdw11 = (uint32_t)(r->lba >> 32);
	s->cmd.cdw12 = (r->n_blocks - 1) | ((r->flags & NC_BLK_FUA) ? CDW12_FUA : 0);
}

/* A free slot, taken for c (lock held on return). */
static int take_slot(client_t *c)
{
	for (;;) {
		nc_lock_acquire(&nvme.lock);
		for (int i = 0; i < NVME_SLOTS && !nvme.quiescing; i++)
			if (!nvme.slots[i].client) {
				nvme.slots[i].client = c;
				return i;
			}
		nc_lock_release(&nvme.lock);
		nc_sys_yield(); /* every slot is in flight, or a reset is coming: wait */
	}
}

nc_sys_err_t nvme_submit(client_t *c, const nc_blk_req_t *r)
{
	nc_sys_err_t err = check(c, r);
	if (err)
		return err;
	int i = take_slot(c);
	slot_t *s = &nvme.slots[i];
	nc_lock_release(&nvme.lock);
	s->req = *r;
	build_command(s, i, r);
	if (r->op == NC_BLK_OP_WRITE)
		nc_mem_copy(s->buf, c->window + r->offset, (uint64_t)r->n_blocks * nvme.block_bytes);
	__atomic_add_fetch(&c->in_flight, 1, __ATOMIC_RELAXED);
	nc_lock_acquire(&nvme.lock);
	nvme_queue_t *q = &nvme.io;
	s->submitted_ns = now_ns();
	s->timeouts = 0;
	s->submitted = true;
	q->sq[q->sq_tail] = s->cmd;
	q->sq_tail = (uint16_t)((q->sq_tail + 1) % q->entries);
	nvme_ring_sq(q);
	nc_lock_release(&nvme.lock);
	return NC_SYS_OK;
}

typedef struct {
	client_t *client;
	nc_blk_done_t done;
} answer_t;

/* Finish slot s with status st: copy a read's data out when it succeeded,
 * free the slot. lock held. */
static answer_t finish(slot_t *s, nc_sys_err_t st)
{
	answer_t a = { s->client, { s->req.id, st, st ? 0 : s->req.n_blocks } };
	if (!st && s->req.op == NC_BLK_OP_READ)
		nc_mem_copy(s->client->window + s->req.offset, s->buf, (uint64_t)s->req.n_blocks * nvme.block_bytes);
	if (s->req.op == NC_BLK_OP_FLUSH)
		a.done.n_blocks = 0;
	s->client = NULL;
	s->submitted = false;
	return a;
}

/* Whether to drop this completion as if the device had lost it (the
 * device manager's "fault nvme0 lose N": the timeout test). lock held. */
static bool lose(uint16_t cid)
{
	if (!nvme.lose_completions)
		return false;
	nvme.lose_completions--;
	nc_print("nvme: fault injection: the completion of command %u is lost\n", cid);
	return true;
}

/* Take every new completion off the I/O queue. lock held. */
static size_t drain(answer_t *out)
{
	nvme_queue_t *q = &nvme.io;
	size_t n = 0;
	for (;;) {
		volatile nvme_cqe_t *e = &q->cq[q->cq_head];
		if ((e->status & 1) != q->phase)
			break;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		uint16_t cid = e->cid, st = e->status >> 1;
		if (++q->cq_head == q->entries) {
			q->cq_head = 0;
			q->phase ^= 1;
		}
		if (cid >= NVME_SLOTS || !nvme.slots[cid].submitted || lose(cid))
			continue;
		slot_t *s = &nvme.slots[cid];
		if (st)
			nc_print("nvme: command %#x for lba %llu failed: status %#x\n", s->cmd.cdw0 & 0xff,
				 (unsigned long long)s->req.lba, st);
		out[n++] = finish(s, st ? NC_SYS_ERR_IO_ERROR : NC_SYS_OK);
	}
	if (n)
		nvme_ring_cq(q);
	return n;
}

/* The watchdog. A command overdue, or a reset the device manager asks for,
 * starts a reset: new requests are held back and what is in the device may
 * finish, for at most QUIESCE_NS (QEMU 7.2's controller must not be reset
 * under running I/O: docs/drivers.md); then the controller is reset, which
 * drops every command in it. A command overdue for the NVME_TIMEOUTS_MAX-th
 * time fails with TIMED_OUT first (before the reset: its slot is not reused
 * until the reset is done, as the lock is held); the others are submitted
 * again. If the controller does not come back, they fail with IO_ERROR,
 * new requests stay held back and nvme.dead is set (the completion thread
 * then ends the driver). lock held. */
static size_t watch(answer_t *out)
{
	static uint64_t asked_ns;
	uint64_t now = now_ns(), timeout = nvme.timeout_ns;
	bool overdue = false, busy = false;
	for (int i = 0; i < NVME_SLOTS; i++)
		if (nvme.slots[i].submitted) {
			bool late = now - nvme.slots[i].submitted_ns > timeout;
			overdue |= late;
			busy |= !late;
		}
	if ((nvme.reset_requested || overdue) && !nvme.quiescing) {
		if (overdue)
			nc_print("nvme: a command is overdue: resetting the controller\n");
		nvme.quiescing = true;
		asked_ns = now;
	}
	if (!nvme.quiescing || (busy && now - asked_ns <= QUIESCE_NS))
		return 0;
	size_t n = 0;
	for (int i = 0; i < NVME_SLOTS; i++) {
		slot_t *s = &nvme.slots[i];
		if (s->submitted && now - s->submitted_ns > timeout && ++s->timeouts == NVME_TIMEOUTS_MAX) {
			nc_print("nvme: command %#x for lba %llu timed out %u times: it fails\n", s->cmd.cdw0 & 0xff,
				 (unsigned long long)s->req.lba, s->timeouts);
			out[n++] = finish(s, NC_SYS_ERR_TIMED_OUT);
		}
	}
	bool back = nvme_reset();
	nvme.reset_requested = false;
	nvme.quiescing = !back;
	nvme.dead = !back;
	for (int i = 0; i < NVME_SLOTS && !back; i++)
		if (nvme.slots[i].submitted)
			out[n++] = finish(&nvme.slots[i], NC_SYS_ERR_IO_ERROR);
	return n;
}

/* Send the answers, one message per client (several if more than fit). */
static void answer_all(answer_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!a[i].client)
			continue;
		client_t *c = a[i].client;
		nc_blk_done_t batch[NC_BLK_DONES_PER_MSG];
		size_t k = 0;
		for (size_t j = i; j < n; j++)
			if (a[j].client == c) {
				batch[k++] = a[j].done;
				a[j].client = NULL;
				if (k == NC_BLK_DONES_PER_MSG) {
					nc_sys_ipc_send(c->channel, batch, k * sizeof batch[0], NULL, 0, NC_SYS_TIMEOUT_INFINITE);
					__atomic_sub_fetch(&c->in_flight, k, __ATOMIC_RELEASE);
					k = 0;
				}
			}
		if (k) {
			/* a client that left makes this fail: its thread waits for in_flight */
			nc_sys_ipc_send(c->channel, batch, k * sizeof batch[0], NULL, 0, NC_SYS_TIMEOUT_INFINITE);
			__atomic_sub_fetch(&c->in_flight, k, __ATOMIC_RELEASE);
		}
	}
}

int nvme_completion_thread(void *arg)
{
	(void)arg;
	static answer_t answers[2 * NVME_SLOTS];
	for (;;) {
		uint32_t msg[2];
		uint64_t sizes;
		nc_sys_err_t err = nc_sys_ipc_receive(nvme.irq_channel, msg, sizeof msg, NULL, 0,
						      IRQ_WAIT_MS * 1000000ull, &sizes);
		if (err && err != NC_SYS_ERR_TIMED_OUT) {
			nc_print("nvme: interrupt channel: %s\n", nc_sys_err_name(err));
			return 1;
		}
		nc_lock_acquire(&nvme.lock);
		size_t n = drain(answers);
		n += watch(answers + n);
		nc_lock_release(&nvme.lock);
		answer_all(answers, n);
		if (nvme.dead) {
			/* clients have their IO_ERROR answers; their channels close
			 * with this process, and the device manager starts a new one */
			nc_print("nvme: the controller did not come back from a reset: the driver exits\n");
			nc_sys_exit(2);
		}
		if (!err)
			nc_sys_irq_ack(NVME_IO_VECTOR);
	}
}
