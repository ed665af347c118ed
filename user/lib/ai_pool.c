/* lib/ai's thread pool on NexaCore threads (nc/ai_pool.h).
 *
 * A job is one 64-bit word, n_tasks in the high half and the next unclaimed
 * task in the low half; the caller and the slots claim tasks by
 * compare-and-swap and count the tasks they finish, and the caller returns
 * when the count reaches n_tasks. fn and arg are read after a successful
 * claim (they cannot change before the claimed task is finished), so a slot
 * still holding the word of an earlier job never runs a task of the wrong
 * job (the host pool's protocol, tools/nc-ai/host_env.c).
 *
 * Sleeping: a waiting slot spins while the last job was published less
 * than SPIN_TSC time-stamp-counter ticks ago (else for SPIN_ROUNDS pauses),
 * then sets its `asleep` flag, checks once more and receives on its own
 * channel. The spin is long while jobs keep coming on purpose: the kernel
 * puts a thread woken by an IPC message on the sender's CPU (docs/kernel.md,
 * Scheduling: `wake_here`), so a slot woken for each job ran its tasks on
 * the caller's CPU, taking turns with it: transcription in QEMU took 1.7
 * times as long on two threads as on one (bench/user/ai, 11 rounds). A slot
 * still spinning when the next job comes stays on its own CPU; a slot of
 * a pool nobody is using (a service worker between requests) sleeps at
 * once, leaving the CPU to other threads. A waker
 * (a new job, nc_ai_upool_wake, destroy) that turns a slot's flag from set
 * to clear sends it one byte; the slot that finds its flag cleared by
 * someone else takes that byte, so bytes never pile up in a channel. Flags,
 * the generation and the kick are sequentially consistent: either the waker
 * sees the flag or the slot sees the news before it sleeps. (One channel per
 * slot: with several threads waiting on one endpoint, timed waits were seen
 * to stall, user/services/ai/sched.c.)
 *
 * The caller waits for tasks other slots claimed by spinning, then yielding
 * its CPU between checks: a claimed task is short (a part of one matrix
 * product). */
#include <nc/ai_pool.h>
#include <nc/ulib.h>

#define SPIN_ROUNDS 4096      /* pauses before a waiting caller yields, or an unused slot sleeps */
#define SPIN_TSC (1ull << 25) /* about 13 ms at 2.6 GHz: how long after a job slots keep spinning */

typedef struct {
	uint64_t tx, rx;       /* the slot's wake channel */
	uint32_t asleep, kick; /* atomics: waiting on rx; nc_ai_upool_wake was called */
	uint64_t seen;         /* the last job generation the slot looked at */
	nc_thread_t thread;
	bool started;
	struct nc_ai_upool *pool;
} slot_t;

struct nc_ai_upool {
	uint64_t job;      /* atomic: n_tasks << 32 | next task to claim */
	uint64_t gen;      /* atomic: job number */
	uint64_t finished; /* atomic: tasks of the current job finished */
	uint64_t last_tsc; /* atomic: time stamp counter when the last job was published */
	uint32_t busy;     /* atomic: a job is in progress */
	uint32_t quit;     /* atomic: destroy was called */
	nc_ai_task_fn fn;
	void *arg;
	size_t n_slots;
	slot_t slots[NC_AI_UPOOL_SLOTS_MAX];
};

static uint64_t load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

/* Claim and run tasks of the current job until none is left. */
static void work(nc_ai_upool_t *p)
{
	uint64_t w = load(&p->job);
	while ((uint32_t)w < (uint32_t)(w >> 32)) {
		if (!__atomic_compare_exchange_n(&p->job, &w, w + 1, true, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			continue; /* w now holds the current word */
		p->fn(p->arg, (uint32_t)w, (size_t)(w >> 32));
		__atomic_fetch_add(&p->finished, 1, __ATOMIC_SEQ_CST);
		w = load(&p->job);
	}
}

static void wake(slot_t *s)
{
	if (__atomic_exchange_n(&s->asleep, 0, __ATOMIC_SEQ_CST)) {
		uint8_t b = 1;
		nc_sys_ipc_send(s->tx, &b, 1, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
	}
}

static bool news(nc_ai_upool_t *p, slot_t *s)
{
	return load(&p->gen) != s->seen || __atomic_load_n(&s->kick, __ATOMIC_SEQ_CST) ||
	       __atomic_load_n(&p->quit, __ATOMIC_SEQ_CST);
}

void nc_ai_upool_idle(nc_ai_upool_t *p, size_t slot, uint64_t timeout_ns)
{
	slot_t *s = &p->slots[slot];
	bool any = false;
	for (unsigned i = 1; !(any = news(p, s)); i++) {
		if (i % SPIN_ROUNDS == 0) {
			if (__builtin_ia32_rdtsc() - load(&p->last_tsc) > SPIN_TSC)
				break;
			nc_sys_yield(); /* other threads of this CPU run; this one stays on it */
		}
		__builtin_ia32_pause();
	}
	if (!any) {
		__atomic_store_n(&s->asleep, 1, __ATOMIC_SEQ_CST);
		uint8_t b[8];
		uint64_t sizes;
		bool got = !news(p, s) && !nc_sys_ipc_receive(s->rx, b, sizeof b, NULL, 0, timeout_ns, &sizes);
		if (!__atomic_exchange_n(&s->asleep, 0, __ATOMIC_SEQ_CST) && !got) /* a waker's byte is on its way */
			nc_sys_ipc_receive(s->rx, b, sizeof b, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes);
	}
	__atomic_store_n(&s->kick, 0, __ATOMIC_SEQ_CST);
	s->seen = load(&p->gen);
	work(p);
}

void nc_ai_upool_wake(nc_ai_upool_t *p, size_t slot)
{
	__atomic_store_n(&p->slots[slot].kick, 1, __ATOMIC_SEQ_CST);
	wake(&p->slots[slot]);
}

/* nc_ai_pool_t.run: n_tasks fits the job word's 32 bits (its contract). */
static void run(void *ctx, nc_ai_task_fn fn, void *arg, size_t n_tasks)
{
	nc_ai_upool_t *p = ctx;
	if (__atomic_exchange_n(&p->busy, 1, __ATOMIC_ACQUIRE)) { /* another thread's job: run alone */
		for (size_t i = 0; i < n_tasks; i++)
			fn(arg, i, n_tasks);
		return;
	}
	p->fn = fn;
	p->arg = arg;
	__atomic_store_n(&p->finished, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&p->last_tsc, __builtin_ia32_rdtsc(), __ATOMIC_SEQ_CST);
	__atomic_store_n(&p->job, (uint64_t)n_tasks << 32, __ATOMIC_SEQ_CST); /* publishes the job */
	__atomic_fetch_add(&p->gen, 1, __ATOMIC_SEQ_CST);
	for (size_t i = 0; i < p->n_slots; i++)
		wake(&p->slots[i]);
	work(p);
	for (unsigned i = 0; load(&p->finished) != n_tasks; i++) {
		if (i < SPIN_ROUNDS)
			__builtin_ia32_pause();
		else
			nc_sys_yield();
	}
	__atomic_store_n(&p->busy, 0, __ATOMIC_RELEASE);
}

/* A started slot's thread: helps until destroy. */
static int slot_thread(void *arg)
{
	slot_t *s = arg;
	nc_ai_upool_t *p = s->pool;
	while (!__atomic_load_n(&p->quit, __ATOMIC_SEQ_CST))
		nc_ai_upool_idle(p, (size_t)(s - p->slots), NC_SYS_TIMEOUT_INFINITE);
	return 0;
}

nc_sys_err_t nc_ai_upool_create(size_t n_slots, bool start_threads, nc_ai_upool_t **out, nc_ai_pool_t *iface)
{
	if (n_slots == 0 || n_slots > NC_AI_UPOOL_SLOTS_MAX)
		return NC_SYS_ERR_INVALID;
	nc_ai_upool_t *p = nc_malloc(sizeof *p); /* zeroed */
	if (!p)
		return NC_SYS_ERR_NO_MEMORY;
	nc_sys_err_t err = NC_SYS_OK;
	for (; p->n_slots < n_slots && !err; p->n_slots++) {
		slot_t *s = &p->slots[p->n_slots];
		uint64_t ends[2];
		err = nc_sys_ipc_create_channel(ends);
		if (err)
			break;
		s->tx = ends[0];
		s->rx = ends[1];
		s->pool = p;
		if (start_threads) {
			err = nc_thread_start(&s->thread, slot_thread, s);
			s->started = !err;
		}
	}
	if (err) {
		nc_ai_upool_destroy(p);
		return err;
	}
	*out = p;
	iface->ctx = p;
	iface->n_threads = start_threads ? n_slots + 1 : n_slots;
	iface->run = run;
	return NC_SYS_OK;
}

void nc_ai_upool_destroy(nc_ai_upool_t *p)
{
	__atomic_store_n(&p->quit, 1, __ATOMIC_SEQ_CST);
	for (size_t i = 0; i < p->n_slots; i++)
		wake(&p->slots[i]);
	for (size_t i = 0; i < p->n_slots; i++) {
		slot_t *s = &p->slots[i];
		uint64_t code;
		if (s->started)
			nc_thread_join(&s->thread, &code);
		nc_sys_handle_close(s->tx);
		nc_sys_handle_close(s->rx);
	}
	nc_free(p);
}
