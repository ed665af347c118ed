/* Host environment for lib/ai: malloc allocator, pthreads pool, mmap. */
#define _GNU_SOURCE
#include "host_env.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
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

struct host_pool {
	pthread_t *threads;
	size_t n_workers;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	unsigned long gen;
	size_t active;
	bool quit;
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

static void *worker(void *arg)
{
	host_pool_t *p = arg;
	unsigned long seen = 0;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->quit && p->gen == seen)
			pthread_cond_wait(&p->go, &p->mu);
		if (p->quit) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		seen = p->gen;
		pthread_mutex_unlock(&p->mu);
		work(p);
		pthread_mutex_lock(&p->mu);
		if (--p->active == 0)
			pthread_cond_signal(&p->done);
		pthread_mutex_unlock(&p->mu);
	}
}

static void pool_run(void *ctx, nc_ai_task_fn fn, void *arg, size_t n_tasks)
{
	host_pool_t *p = ctx;
	pthread_mutex_lock(&p->mu);
	p->fn = fn;
	p->arg = arg;
	p->n_tasks = n_tasks;
	atomic_store(&p->next, 0);
	p->active = p->n_workers;
	p->gen++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	work(p);
	pthread_mutex_lock(&p->mu);
	while (p->active)
		pthread_cond_wait(&p->done, &p->mu);
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
	p->quit = true;
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
