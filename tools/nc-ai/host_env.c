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

/* The pool's threads live as long as the pool. After a job a worker spins
 * (PAUSE) for up to SPIN_NS waiting for the next one, then sleeps on a
 * condition variable, so jobs that follow each other closely start without
 * a system call and an idle pool costs nothing. The spin is short on
 * purpose: on a machine whose cores other programs also use, a spinning
 * thread takes time from the one doing the work (with 200 us of spin,
 * generation on two threads ran at a third of the speed of sleeping
 * workers). The caller runs tasks too, then waits for the workers the same
 * way. Sleeping is announced through
 * counters read after the job is published (all sequentially consistent):
 * either the waker sees the sleeper and signals under the mutex, or the
 * sleeper sees the new job before it waits. */
#define SPIN_NS 5000  /* 5 us: see docs/ai-engine.md, Threads */

struct host_pool {
	pthread_t *threads;
	size_t n_workers;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	atomic_ulong gen;          /* job number: a worker runs each new one once */
	atomic_size_t active;      /* workers not finished with the current job */
	atomic_size_t sleepers;    /* workers waiting on go */
	atomic_bool caller_sleeps; /* the caller waits on done */
	atomic_bool quit;
	nc_ai_task_fn fn;
	void *arg;
	size_t n_tasks;
	atomic_size_t next;
};

static void work(host_pool_t *p)
{
	size_t i;
	while ((i = atomic_fetch_add(&p->next, 1)) < p->n_tasks)
		p->fn(p->arg, i, p->n_tasks);
}

static uint64_t clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Spin until done(p, arg) holds or SPIN_NS pass; true when it holds. */
static bool spin_until(host_pool_t *p, bool (*done)(host_pool_t *, unsigned long), unsigned long arg)
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

static bool job_after(host_pool_t *p, unsigned long seen)
{
	return atomic_load(&p->gen) != seen || atomic_load(&p->quit);
}

static bool workers_done(host_pool_t *p, unsigned long unused)
{
	(void)unused;
	return atomic_load(&p->active) == 0;
}

static void *worker(void *arg)
{
	host_pool_t *p = arg;
	unsigned long seen = 0;
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
		if (atomic_fetch_sub(&p->active, 1) == 1 && atomic_load(&p->caller_sleeps)) {
			pthread_mutex_lock(&p->mu);
			pthread_cond_signal(&p->done);
			pthread_mutex_unlock(&p->mu);
		}
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

static void pool_run(void *ctx, nc_ai_task_fn fn, void *arg, size_t n_tasks)
{
	host_pool_t *p = ctx;
	p->fn = fn;
	p->arg = arg;
	p->n_tasks = n_tasks;
	atomic_store(&p->next, 0);
	atomic_store(&p->active, p->n_workers);
	atomic_fetch_add(&p->gen, 1);  /* publishes the job */
	wake_workers(p);
	work(p);
	if (spin_until(p, workers_done, 0))
		return;
	pthread_mutex_lock(&p->mu);
	atomic_store(&p->caller_sleeps, true);
	while (!workers_done(p, 0))
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
