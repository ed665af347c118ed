/* NVMe controller bring-up and reset (see nvme.h). Registers (NVMe 1.4,
 * 3.1): CAP 0x00 (MQES 15:0, TO 31:24 in 500 ms, DSTRD 35:32), CC 0x14 (EN,
 * CSS, MPS, IOSQES 19:16, IOCQES 23:20), CSTS 0x1c (RDY, CFS), AQA 0x24,
 * ASQ 0x28, ACQ 0x30, doorbells from 0x1000 with a stride of 4 << DSTRD
 * (SQ y tail at 2y, CQ y head at 2y + 1). Admin commands are polled. */
#include "nvme.h"
#include <nc/mem.h>

enum {
	REG_CAP = 0x00, REG_CC = 0x14, REG_CSTS = 0x1c, REG_AQA = 0x24, REG_ASQ = 0x28, REG_ACQ = 0x30,
	REG_DOORBELLS = 0x1000, CC_EN = 1, CC_IOSQES = 6 << 16, CC_IOCQES = 4 << 20, CSTS_RDY = 1, CSTS_CFS = 2,
	OP_CREATE_IO_SQ = 0x01, OP_CREATE_IO_CQ = 0x05, OP_IDENTIFY = 0x06, OP_SET_FEATURES = 0x09,
	FEATURE_QUEUES = 0x07, CNS_NAMESPACE = 0, CNS_CONTROLLER = 1, QUEUE_CONTIGUOUS = 1, CQ_IRQ_ENABLED = 2,
	ID_MDTS = 77, NS_FLBAS = 26, NS_LBAF = 128,
};
#define ADMIN_TIMEOUT_NS 5000000000ull

nvme_t nvme;

static uint32_t rd32(uint32_t r) { return *(volatile uint32_t *)(nvme.regs + r); }
static uint64_t rd64(uint32_t r) { return *(volatile uint64_t *)(nvme.regs + r); }
static void wr32(uint32_t r, uint32_t v) { *(volatile uint32_t *)(nvme.regs + r) = v; }
static void wr64(uint32_t r, uint64_t v) { *(volatile uint64_t *)(nvme.regs + r) = v; }

static uint64_t now_ns(void)
{
	uint64_t t = 0;
	nc_sys_clock_get(&t);
	return t;
}

void nvme_ring_sq(nvme_queue_t *q)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the entry before the doorbell */
	wr32(REG_DOORBELLS + 2 * q->qid * nvme.doorbell_stride, q->sq_tail);
}

void nvme_ring_cq(nvme_queue_t *q)
{
	wr32(REG_DOORBELLS + (2 * q->qid + 1) * nvme.doorbell_stride, q->cq_head);
}

/* Wait until CSTS.RDY is ready (CAP.TO bounds it). */
static bool wait_ready(bool ready)
{
	uint64_t deadline = now_ns() + ((nvme.cap >> 24 & 0xff) + 1) * 500000000ull;
	while ((rd32(REG_CSTS) & CSTS_RDY) != (ready ? CSTS_RDY : 0u)) {
		if (rd32(REG_CSTS) & CSTS_CFS || now_ns() > deadline)
			return false;
		nc_sys_yield();
	}
	return true;
}

static void reset_queue(nvme_queue_t *q)
{
	nc_mem_set((void *)q->cq, 0, q->entries * sizeof *q->cq);
	q->sq_tail = q->cq_head = 0;
	q->phase = 1;
}

bool nvme_admin(nvme_sqe_t *cmd)
{
	nvme_queue_t *q = &nvme.admin;
	cmd->cdw0 |= (uint32_t)q->sq_tail << 16;
	q->sq[q->sq_tail] = *cmd;
	q->sq_tail = (uint16_t)((q->sq_tail + 1) % q->entries);
	nvme_ring_sq(q);
	uint64_t deadline = now_ns() + ADMIN_TIMEOUT_NS;
	volatile nvme_cqe_t *e = &q->cq[q->cq_head];
	while ((e->status & 1) != q->phase) {
		if (now_ns() > deadline) {
			nc_print("nvme: admin command %#x timed out\n", cmd->cdw0 & 0xff);
			return false;
		}
		nc_sys_yield();
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	uint16_t status = e->status >> 1;
	if (++q->cq_head == q->entries) {
		q->cq_head = 0;
		q->phase ^= 1;
	}
	nvme_ring_cq(q);
	if (status)
		nc_print("nvme: admin command %#x failed: status %#x\n", cmd->cdw0 & 0xff, status);
	return status == 0;
}

static bool identify(uint32_t cns, uint32_t nsid)
{
	nvme_sqe_t c = { .cdw0 = OP_IDENTIFY, .nsid = nsid, .prp1 = nvme.identify_bus, .cdw10 = cns };
	return nvme_admin(&c);
}

static bool create_io_queues(void)
{
	nvme_queue_t *q = &nvme.io;
	uint32_t size = (uint32_t)(q->entries - 1) << 16 | q->qid;
	nvme_sqe_t queues = { .cdw0 = OP_SET_FEATURES, .cdw10 = FEATURE_QUEUES, .cdw11 = 0 };
	nvme_sqe_t cq = { .cdw0 = OP_CREATE_IO_CQ, .prp1 = q->cq_bus, .cdw10 = size,
			  .cdw11 = (uint32_t)NVME_IO_VECTOR << 16 | CQ_IRQ_ENABLED | QUEUE_CONTIGUOUS };
	nvme_sqe_t sq = { .cdw0 = OP_CREATE_IO_SQ, .prp1 = q->sq_bus, .cdw10 = size,
			  .cdw11 = (uint32_t)q->qid << 16 | QUEUE_CONTIGUOUS };
	return nvme_admin(&queues) && nvme_admin(&cq) && nvme_admin(&sq);
}

/* Disable, then enable with the admin queue (3.5.1 initialization steps). */
static bool enable(void)
{
	wr32(REG_CC, 0);
	if (!wait_ready(false)) {
		nc_print("nvme: the controller does not stop\n");
		return false;
	}
	reset_queue(&nvme.admin);
	reset_queue(&nvme.io);
	wr32(REG_AQA, (uint32_t)(nvme.admin.entries - 1) << 16 | (uint32_t)(nvme.admin.entries - 1));
	wr64(REG_ASQ, nvme.admin.sq_bus);
	wr64(REG_ACQ, nvme.admin.cq_bus);
	wr32(REG_CC, CC_EN | CC_IOSQES | CC_IOCQES); /* NVM command set, 4 KiB pages, round robin */
	if (!wait_ready(true)) {
		nc_print("nvme: the controller does not become ready (CSTS %#x)\n", rd32(REG_CSTS));
		return false;
	}
	return create_io_queues();
}

/* Queue memory: admin SQ and CQ, I/O SQ and CQ, the Identify page. */
static bool alloc_queues(void)
{
	uint64_t bus, addr;
	if (nc_sys_dma_map(5 * NVME_PAGE, &bus, &addr)) {
		nc_print("nvme: no DMA memory for the queues\n");
		return false;
	}
	nvme.admin = (nvme_queue_t){ (nvme_sqe_t *)addr, (nvme_cqe_t *)(addr + NVME_PAGE), bus, bus + NVME_PAGE,
				     NVME_ADMIN_ENTRIES, 0, 0, 0, 1 };
	nvme.io = (nvme_queue_t){ (nvme_sqe_t *)(addr + 2 * NVME_PAGE), (nvme_cqe_t *)(addr + 3 * NVME_PAGE),
				  bus + 2 * NVME_PAGE, bus + 3 * NVME_PAGE, NVME_IO_ENTRIES, 1, 0, 0, 1 };
	nvme.identify = (uint8_t *)(addr + 4 * NVME_PAGE);
	nvme.identify_bus = bus + 4 * NVME_PAGE;
	return true;
}

static bool read_geometry(void)
{
	if (!identify(CNS_CONTROLLER, 0))
		return false;
	uint8_t mdts = nvme.identify[ID_MDTS];
	uint64_t max = mdts ? (uint64_t)NVME_PAGE << mdts : NVME_SLOT_BYTES;
	nvme.max_transfer_bytes = (uint32_t)(max < NVME_SLOT_BYTES ? max : NVME_SLOT_BYTES);
	if (!identify(CNS_NAMESPACE, NVME_NSID))
		return false;
	uint64_t nsze;
	nc_mem_copy(&nsze, nvme.identify, sizeof nsze);
	uint8_t lbaf = nvme.identify[NS_FLBAS] & 0xf;
	uint8_t lbads = nvme.identify[NS_LBAF + 4 * lbaf + 2];
	if (!nsze || lbads < 9 || lbads > 12) {
		nc_print("nvme: namespace 1: %llu blocks of 2^%u bytes not supported\n", (unsigned long long)nsze, lbads);
		return false;
	}
	nvme.n_blocks = nsze;
	nvme.block_bytes = 1u << lbads;
	return true;
}

bool nvme_start(void)
{
	nvme.cap = rd64(REG_CAP);
	nvme.doorbell_stride = 4u << (nvme.cap >> 32 & 0xf);
	if ((nvme.cap & 0xffff) + 1 < NVME_IO_ENTRIES) {
		nc_print("nvme: queues of %llu entries are too short\n", (unsigned long long)(nvme.cap & 0xffff) + 1);
		return false;
	}
	return alloc_queues() && enable() && read_geometry();
}

bool nvme_reset(void)
{
	nvme.resets++;
	if (nvme.fail_resets) {
		nvme.fail_resets--;
		wr32(REG_CC, 0);
		nc_print("nvme: fault injection: the controller is left disabled\n");
		return false;
	}
	if (!enable())
		return false;
	for (int i = 0; i < NVME_SLOTS; i++)
		if (nvme.slots[i].submitted) {
			nvme_queue_t *q = &nvme.io;
			q->sq[q->sq_tail] = nvme.slots[i].cmd;
			q->sq_tail = (uint16_t)((q->sq_tail + 1) % q->entries);
			nvme.slots[i].submitted_ns = now_ns();
		}
	nvme_ring_sq(&nvme.io);
	return true;
}
