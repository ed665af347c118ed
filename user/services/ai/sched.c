/* Jobs and workers (aisvc.h). Every admitted job sits in one table until it
 * is done. A worker takes a turn of the job whose calling process has had
 * the fewest turns so far (ties: the one queued first), runs it (job.c) and
 * puts it back, so a process with many requests gets no more of the CPUs
 * than one with a single request, and a long generation yields every
 * AISVC_SLICE_TOKENS tokens. Parked jobs (a full stream channel, or no KV
 * memory yet) are retried every AISVC_PARK_NS. The workers are the slots of
 * the engine's thread pool (nc/ai_pool.h, aisvc_pool): a worker without a
 * job of its own waits in its slot, where it helps with the matrix products
 * of the jobs other workers run, so a lone request uses every CPU and
 * several requests get a worker each; admission wakes the waiting workers
 * through their slots (one channel per worker: with several threads waiting
 * on one endpoint, timed waits were seen to stall on two CPUs). One lock
 * guards the table. */
#include "aisvc.h"

#include <nc/ai_pool.h>
#include <nc/mem.h>

typedef struct {
	uint64_t pid, turns;
} usage_t;

static aisvc_job_t *jobs[AISVC_JOBS_MAX];
static bool running[AISVC_JOBS_MAX];
static uint64_t seq[AISVC_JOBS_MAX], next_seq;
static usage_t usage[AISVC_JOBS_MAX];
static nc_lock_t lock;
static uint64_t svc_port, ctx_used;
static size_t n_workers_started;
static nc_thread_t workers[AISVC_WORKERS_MAX];
static nc_ai_upool_t *upool;
nc_ai_pool_t aisvc_pool;

bool aisvc_ctx_charge(size_t bytes, bool *never)
{
	*never = bytes > AISVC_CTX_BUDGET;
	nc_lock_acquire(&lock);
	bool ok = !*never && ctx_used + bytes <= AISVC_CTX_BUDGET;
	if (ok)
		ctx_used += bytes;
	nc_lock_release(&lock);
	return ok;
}

void aisvc_ctx_uncharge(size_t bytes)
{
	nc_lock_acquire(&lock);
	ctx_used -= bytes;
	nc_lock_release(&lock);
}

/* The usage entry of pid, made if needed at the lowest count of the others
 * (a newcomer neither waits for nor overtakes the others). Lock held. */
static usage_t *usage_of(uint64_t pid)
{
	usage_t *free_slot = NULL;
	uint64_t low = UINT64_MAX;
	for (size_t i = 0; i < AISVC_JOBS_MAX; i++) {
		if (usage[i].pid == pid)
			return &usage[i];
		if (!usage[i].pid && !free_slot)
			free_slot = &usage[i];
		else if (usage[i].pid && usage[i].turns < low)
			low = usage[i].turns;
	}
	free_slot->pid = pid; /* a slot per job suffices: pids with jobs <= jobs */
	free_slot->turns = low == UINT64_MAX ? 0 : low;
	return free_slot;
}

/* Forget usage entries of processes without jobs. Lock held. */
static void usage_sweep(void)
{
	for (size_t i = 0; i < AISVC_JOBS_MAX; i++) {
		bool used = false;
		for (size_t k = 0; k < AISVC_JOBS_MAX && !used; k++)
			used = jobs[k] && jobs[k]->pid == usage[i].pid;
		if (!used)
			usage[i].pid = 0;
	}
}

nc_sys_err_t aisvc_sched_admit(aisvc_job_t *j)
{
	nc_lock_acquire(&lock);
	size_t mine = 0, slot = AISVC_JOBS_MAX;
	for (size_t i = 0; i < AISVC_JOBS_MAX; i++) {
		if (!jobs[i] && slot == AISVC_JOBS_MAX)
			slot = i;
		mine += jobs[i] && jobs[i]->pid == j->pid;
	}
	nc_sys_err_t err = slot == AISVC_JOBS_MAX || mine >= AISVC_JOBS_PER_PID ? NC_SYS_ERR_LIMIT : NC_SYS_OK;
	if (!err) {
		jobs[slot] = j;
		running[slot] = false;
		seq[slot] = next_seq++;
		usage_of(j->pid);
	}
	nc_lock_release(&lock);
	for (size_t w = 0; !err && w < n_workers_started; w++)
		nc_ai_upool_wake(upool, w);
	return err;
}

void aisvc_sched_cancel(uint64_t id)
{
	nc_lock_acquire(&lock);
	for (size_t i = 0; i < AISVC_JOBS_MAX; i++)
		if (jobs[i] && jobs[i]->id == id)
			jobs[i]->cancelled = true;
	nc_lock_release(&lock);
}

/* The next job to run (marked running), or -1; *parked_left tells whether
 * parked jobs wait. Lock held. */
static int pick(uint64_t now, bool *parked_left)
{
	int best = -1;
	uint64_t best_turns = 0;
	*parked_left = false;
	for (int i = 0; i < AISVC_JOBS_MAX; i++) {
		aisvc_job_t *j = jobs[i];
		if (!j || running[i])
			continue;
		if (j->parked && now < j->retry_at_ns) {
			*parked_left = true;
			continue;
		}
		uint64_t turns = usage_of(j->pid)->turns;
		if (best < 0 || turns < best_turns || (turns == best_turns && seq[i] < seq[best])) {
			best = i;
			best_turns = turns;
		}
	}
	if (best >= 0)
		running[best] = true;
	return best;
}

static int worker(void *arg)
{
	size_t me = (size_t)arg;
	for (;;) {
		bool parked;
		nc_lock_acquire(&lock);
		int i = pick(nc_clock_ns(), &parked);
		nc_lock_release(&lock);
		if (i < 0) {
			nc_ai_upool_idle(upool, me, parked ? AISVC_PARK_NS : NC_SYS_TIMEOUT_INFINITE);
			continue;
		}
		aisvc_job_t *j = jobs[i];
		aisvc_run_t r = aisvc_job_run(j, svc_port);
		nc_lock_acquire(&lock);
		usage_of(j->pid)->turns++;
		running[i] = false;
		if (r == AISVC_RUN_DONE) {
			jobs[i] = NULL;
			usage_sweep();
		} else {
			uint64_t now = nc_clock_ns();
			seq[i] = next_seq++;
			if (r == AISVC_RUN_PARKED && !j->parked)
				j->parked_since_ns = now;
			j->retry_at_ns = now + AISVC_PARK_NS;
			j->parked = r == AISVC_RUN_PARKED;
		}
		nc_lock_release(&lock);
		if (r == AISVC_RUN_DONE)
			nc_free(j);
	}
	return 0;
}

bool aisvc_sched_start(size_t n_workers, uint64_t port)
{
	svc_port = port;
	if (n_workers > AISVC_WORKERS_MAX)
		n_workers = AISVC_WORKERS_MAX;
	if (nc_ai_upool_create(n_workers, false, &upool, &aisvc_pool) != NC_SYS_OK)
		return false;
	while (n_workers_started < n_workers &&
	       nc_thread_start(&workers[n_workers_started], worker, (void *)n_workers_started) == NC_SYS_OK)
		n_workers_started++;
	return n_workers_started > 0;
}
