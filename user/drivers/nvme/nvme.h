/* The NVMe driver (docs/drivers.md), a user-space process started by
 * DriverLoad. Spec: NVM Express Base 1.4: controller registers 3.1, queues
 * 4.1-4.6, admin commands 5 (Identify 5.15, Create I/O Completion/Submission
 * Queue 5.3-5.4), NVM commands (NVM Command Set 1.0: Read, Write, Flush).
 *
 * One admin queue pair, polled (used at start and on reset), and one I/O
 * queue pair whose completions raise MSI-X vector 1. Requests run through
 * NVME_SLOTS slots, each with its own bounce buffer and PRP list in DMA
 * memory: the command id is the slot index, so up to NVME_SLOTS commands
 * are in flight. Clients' data moves between their shared memory window and
 * the slot's buffer (the device only ever reaches the driver's DMA memory).
 *
 * Threads: the main thread accepts connections; one thread per client reads
 * its requests and submits them; the completion thread takes interrupts,
 * finishes commands and answers clients, and is also the watchdog (a
 * command older than the timeout, NVME_TIMEOUT_NS unless the device manager
 * sets another, resets the controller and is submitted again; one that times
 * out NVME_TIMEOUTS_MAX times fails with TIMED_OUT; if the controller does
 * not come back from a reset, what was in it fails with IO_ERROR and the
 * driver exits, so the device manager starts it again on a function the
 * kernel has reset: FLR when the claim ends); the control thread serves the
 * device manager. */
#ifndef NVME_NVME_H
#define NVME_NVME_H

#include <nc/blk.h>
#include <nc/driver.h>
#include <nc/ulib.h>

enum {
	NVME_ADMIN_ENTRIES = 32, NVME_IO_ENTRIES = 64, NVME_SLOTS = 32, NVME_CLIENTS_MAX = 16,
	NVME_PAGE = 4096, NVME_SLOT_BYTES = 128 * 1024, NVME_IO_VECTOR = 1, NVME_NSID = 1,
	NVME_SQE_BYTES = 64, NVME_CQE_BYTES = 16,
};
#define NVME_TIMEOUT_NS 5000000000ull
/* Timeouts a command gets before it fails with TIMED_OUT (each one resets
 * the controller; the command is submitted again after all but the last). */
enum { NVME_TIMEOUTS_MAX = 2 };

/* A submission queue entry (4.2) and a completion queue entry (4.6). */
typedef struct {
	uint32_t cdw0;          /* opcode 7:0, command id 31:16 */
	uint32_t nsid;
	uint64_t reserved;
	uint64_t mptr;
	uint64_t prp1, prp2;
	uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
} nvme_sqe_t;

typedef struct {
	uint32_t result;
	uint32_t reserved;
	uint16_t sq_head, sq_id;
	uint16_t cid;
	uint16_t status;        /* bit 0: phase tag; 15:1 status field */
} nvme_cqe_t;

_Static_assert(sizeof(nvme_sqe_t) == NVME_SQE_BYTES, "NVMe SQE");
_Static_assert(sizeof(nvme_cqe_t) == NVME_CQE_BYTES, "NVMe CQE");

typedef struct {
	volatile nvme_sqe_t *sq;
	volatile nvme_cqe_t *cq;
	uint64_t sq_bus, cq_bus;
	uint16_t entries, qid, sq_tail, cq_head;
	uint8_t phase;
} nvme_queue_t;

typedef struct client client_t;

/* One command: a free slot (client NULL), taken (client set) or in the
 * device's hands (submitted). */
typedef struct {
	client_t *client;
	bool submitted;
	nc_blk_req_t req;
	uint8_t *buf;           /* NVME_SLOT_BYTES of DMA memory */
	uint64_t buf_bus;
	uint64_t *prp_list;     /* one DMA page */
	uint64_t prp_list_bus;
	uint64_t submitted_ns;
	uint8_t timeouts;       /* times this command was overdue at a reset */
	nvme_sqe_t cmd;         /* kept to submit again after a reset */
} slot_t;

struct client {
	uint64_t channel;
	uint8_t *window;
	uint64_t window_bytes;
	bool writable;
	volatile uint32_t in_flight; /* slots holding its requests */
	nc_thread_t thread;
};

typedef struct {
	volatile uint8_t *regs;
	uint64_t cap;
	uint32_t doorbell_stride;
	nvme_queue_t admin, io;
	uint8_t *identify;       /* a DMA page for Identify data */
	uint64_t identify_bus;
	uint32_t block_bytes;
	uint64_t n_blocks;
	uint32_t max_transfer_bytes;
	nc_lock_t lock;          /* slots, the I/O submission queue, the clients */
	slot_t slots[NVME_SLOTS];
	uint64_t irq_channel;    /* interrupts arrive here */
	volatile bool reset_requested;  /* by the device manager */
	volatile bool quiescing;        /* a reset waits for the device to empty */
	volatile uint64_t timeout_ns;   /* a command older than this is overdue */
	volatile uint32_t lose_completions; /* fault injection: I/O completions to ignore */
	volatile uint32_t fail_resets;      /* fault injection: resets that leave the controller off */
	bool dead;                          /* a reset failed: the driver exits */
	uint64_t resets;
} nvme_t;

extern nvme_t nvme;

/* controller.c: enable the controller with an admin queue, identify it and
 * namespace 1, create the I/O queue pair. false (with a message) on failure. */
bool nvme_start(void);
/* Run one admin command (its id is set here) and poll for its completion;
 * true on a success status (a failure is printed). */
bool nvme_admin(nvme_sqe_t *cmd);
/* Disable and start again, then submit every submitted slot's command again
 * (the caller has finished those it gives up). false when the controller
 * does not come back (or fail_resets asks so: then it is left disabled).
 * The caller holds nvme.lock. */
bool nvme_reset(void);
/* Write a submission queue's tail doorbell / a completion queue's head doorbell. */
void nvme_ring_sq(nvme_queue_t *q);
void nvme_ring_cq(nvme_queue_t *q);

/* serve.c: accept connections on listen (the peer of the registered
 * endpoint) until it fails; serve the device manager's control channel ch
 * (0: none) on a thread of its own. */
void nvme_serve(uint64_t listen);
void nvme_start_control(uint64_t ch);

/* io.c */
/* Validate and start request r of client c: OK when submitted, else the
 * status to answer with at once. */
nc_sys_err_t nvme_submit(client_t *c, const nc_blk_req_t *r);
/* The completion thread (arg unused). */
int nvme_completion_thread(void *arg);

#endif
