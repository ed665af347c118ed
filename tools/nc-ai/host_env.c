/* Host environment for lib/ai: malloc allocator, pthreads pool, mmap. */
#define _GNU_SOURCE
#include "host_env.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void *alloc_fn(void *ctx, size_t size, size_t align)
{
	host_alloc_state_t *st = ctx;
	if (st->fail_after >= 0 && st->n_allocs >= st->fail_after)
		return NULL;
	st->n_allocs++;
	if (align < sizeof(void *))
		align = sizeof(void *);
	size_t rounded = (size + align - 1) / align * align;
	void *p = aligned_alloc(align, rounded ? rounded : align);
	if (p)
		st->live_bytes += size;
	return p;
}

static void free_fn(void *ctx, void *p, size_t size)
{
	host_alloc_state_t *st = ctx;
	st->live_bytes -= size;
	free(p);
}

nc_ai_alloc_t host_alloc(host_alloc_state_t *st)
{
	nc_ai_alloc_t a = {st, alloc_fn, free_fn};
	return a;
}

/* The pool's threads live as long as the pool. A job is one 64-bit word,
 * n_tasks in the high half and the next unclaimed task in the low half;
 * the caller and the workers claim tasks by compare-and-swap on it and count
 * the tasks they finish. The caller returns when every task is finished, not
 * when every worker has looked at the job: a worker the system has not
 * scheduled yet (the other core busy with other programs) costs the caller
 * nothing, the caller runs the tasks itself, and only a task a worker has
 * claimed is waited for. A claim depends on the word alone, and fn and arg
 * are read after it (they cannot change before the claimed task is
 * finished), so a worker still holding the word of an earlier job can never
 * run a task of the wrong job.
 * After a job a worker spins (PAUSE) for up to SPIN_NS waiting for the next
 * one, then sleeps on a condition variable, so jobs that follow each other
 * closely start without a system call and an idle pool costs nothing. The
 * spin is short on purpose: on a machine whose cores other programs also
 * use, a spinning thread takes time from the one doing the work. The caller
 * waits for claimed tasks the same way. Sleeping is announced through
 * counters read after the job is published (all sequentially consistent):
 * either the waker sees the sleeper and signals under the mutex, or the
 * sleeper sees the new job before it waits. */
#define SPIN_NS 5000  /* 5 us: see docs/ai-engine.md, Threads */

struct host_pool {
	pthread_t *threads;
	size_t n_workers;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	atomic_uint_least64_t job; /* n_tasks << 32 | next task to claim */
	atomic_ulong gen;          /* job number: wakes the workers */
	atomic_size_t finished;    /* tasks of the current job finished */
	atomic_size_t sleepers;    /* workers waiting on go */
	atomic_bool caller_sleeps; /* the caller waits on done */
	atomic_bool quit;
	nc_ai_task_fn fn;
	void *arg;
};

/* Claim and run tasks of the current job until none is left. */
static void work(host_pool_t *p)
{
	uint64_t w = atomic_load(&p->job);
	while ((uint32_t)w < (uint32_t)(w >> 32)) {
		if (!atomic_compare_exchange_weak(&p->job, &w, w + 1))
			continue;  /* w now holds the current word */
		size_t n = (size_t)(w >> 32);
		p->fn(p->arg, (uint32_t)w, n);
		if (atomic_fetch_add(&p->finished, 1) + 1 == n && atomic_load(&p->caller_sleeps)) {
			pthread_mutex_lock(&p->mu);
			pthread_cond_signal(&p->done);
			pthread_mutex_unlock(&p->mu);
		}
		w = atomic_load(&p->job);
	}
}

static uint64_t clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Spin until done(p, arg) holds or SPIN_NS pass; true when it holds. */
static bool spin_until(host_pool_t *p, bool (*done)(host_pool_t *, size_t), size_t arg)
{
	uint64_t t0 = clock_ns();
	for (unsigned i = 1;; i++) {
		if (done(p, arg))
			return true;
		__builtin_ia32_pause();
		if (i % 64 == 0 && clock_ns() - t0 > SPIN_NS)
			return false;
	}
}

static bool job_after(host_pool_t *p, size_t seen)
{
	return atomic_load(&p->gen) != seen || atomic_load(&p->quit);
}

static bool tasks_finished(host_pool_t *p, size_t n_tasks)
{
	return atomic_load(&p->finished) == n_tasks;
}

static void *worker(void *arg)
{
	host_pool_t *p = arg;
	size_t seen = 0;
	for (;;) {
		if (!spin_until(p, job_after, seen)) {
			pthread_mutex_lock(&p->mu);
			atomic_fetch_add(&p->sleepers, 1);
			while (!job_after(p, seen))
				pthread_cond_wait(&p->go, &p->mu);
			atomic_fetch_sub(&p->sleepers, 1);
			pthread_mutex_unlock(&p->mu);
		}
		if (atomic_load(&p->quit))
			return NULL;
		seen = atomic_load(&p->gen);
		work(p);
	}
}

static void wake_workers(host_pool_t *p)
{
	if (atomic_load(&p->sleepers)) {
		pthread_mutex_lock(&p->mu);
		pthread_cond_broadcast(&p->go);
		pthread_mutex_unlock(&p->mu);
	}
}

/* n_tasks fits the job word's 32 bits (nc_ai_pool_t's contract). */
static void pool_run(void *ctx, nc_ai_task_fn fn, void *arg, size_t n_tasks)
{
	host_pool_t *p = ctx;
	p->fn = fn;
	p->arg = arg;
	atomic_store(&p->finished, 0);
	atomic_store(&p->job, (uint64_t)n_tasks << 32);  /* publishes the job */
	atomic_fetch_add(&p->gen, 1);
	wake_workers(p);
	work(p);
	if (spin_until(p, tasks_finished, n_tasks))
		return;
	pthread_mutex_lock(&p->mu);
	atomic_store(&p->caller_sleeps, true);
	while (!tasks_finished(p, n_tasks))
		pthread_cond_wait(&p->done, &p->mu);
	atomic_store(&p->caller_sleeps, false);
	pthread_mutex_unlock(&p->mu);
}

bool host_pool_create(size_t n_threads, host_pool_t **out, nc_ai_pool_t *iface)
{
	host_pool_t *p = calloc(1, sizeof *p);
	if (!p || n_threads == 0)
		goto fail;
	p->n_workers = n_threads - 1;
	p->threads = calloc(p->n_workers ? p->n_workers : 1, sizeof *p->threads);
	if (!p->threads)
		goto fail;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	for (size_t i = 0; i < p->n_workers; i++)
		if (pthread_create(&p->threads[i], NULL, worker, p)) {
			p->n_workers = i;
			host_pool_destroy(p);
			return false;
		}
	*out = p;
	iface->ctx = p;
	iface->n_threads = n_threads;
	iface->run = pool_run;
	return true;
fail:
	if (p)
		free(p->threads);
	free(p);
	return false;
}

void host_pool_destroy(host_pool_t *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	atomic_store(&p->quit, true);
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	for (size_t i = 0; i < p->n_workers; i++)
		pthread_join(p->threads[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->go);
	pthread_cond_destroy(&p->done);
	free(p->threads);
	free(p);
}

bool host_map_file(const char *path, const void **data, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0)
		return false;
	if (fstat(fd, &st) != 0 || st.st_size == 0) {
		close(fd);
		return false;
	}
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return false;
	*data = p;
	*len = (size_t)st.st_size;
	return true;
}

void host_unmap_file(const void *data, size_t len)
{
	munmap((void *)data, len);
}
