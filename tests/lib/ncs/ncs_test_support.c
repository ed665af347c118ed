/* lib/ncs test support: pool allocator with power-of-two size classes over a
 * static arena (freestanding: no malloc), a fake clock and runners. */
#include "ncs_test_support.h"
#include <nc/mem.h>

#define POOL_BYTES (32u << 20)
#define CLASSES 32

static unsigned char pool[POOL_BYTES] __attribute__((aligned(16)));
static size_t pool_used;
static void *free_list[CLASSES];
static uint64_t live, fail_at;
static uint64_t clock_now, clock_step = 1;

nc_ncs_result_t nt_result;
nc_ncs_config_t nt_cfg;

static unsigned class_of(size_t n)
{
	unsigned c = 4; /* 16 bytes */
	while (((size_t)1 << c) < n)
		c++;
	return c;
}

static void *pool_alloc(void *ud, void *p, size_t old, size_t n)
{
	(void)ud;
	if (n == 0) {
		if (p) {
			unsigned c = class_of(old);
			*(void **)p = free_list[c];
			free_list[c] = p;
			live -= old;
		}
		return NULL;
	}
	if (fail_at && --fail_at == 0)
		return NULL;
	unsigned c = class_of(n);
	if (c >= CLASSES)
		return NULL;
	void *q = free_list[c];
	if (q) {
		free_list[c] = *(void **)q;
	} else {
		size_t sz = (size_t)1 << c;
		if (pool_used + sz > POOL_BYTES)
			return NULL;
		q = pool + pool_used;
		pool_used += sz;
	}
	live += n;
	if (p) {
		nc_mem_copy(q, p, old < n ? old : n);
		pool_alloc(ud, p, old, 0);
	}
	return q;
}

static uint64_t fake_clock(void *ud)
{
	(void)ud;
	clock_now += clock_step;
	return clock_now;
}

void nt_reset(void)
{
	nt_release();
	nc_mem_set(&nt_cfg, 0, sizeof nt_cfg);
	nt_cfg.alloc = pool_alloc;
	nt_cfg.clock = fake_clock;
	clock_step = 1;
	fail_at = 0;
}

void nt_release(void) { nc_ncs_result_fini(&nt_cfg, &nt_result); }

nc_ncs_err_t nt_run(const char *src)
{
	if (!nt_cfg.alloc)
		nt_reset();
	nt_release();
	return nc_ncs_run(&nt_cfg, "test.ncs", src, nc_str_len(src), &nt_result);
}

nc_ncs_err_t nt_check(const char *src)
{
	if (!nt_cfg.alloc)
		nt_reset();
	nt_release();
	return nc_ncs_check(&nt_cfg, "test.ncs", src, nc_str_len(src), &nt_result);
}

uint64_t nt_live_bytes(void) { return live; }
void nt_fail_alloc_at(uint64_t n) { fail_at = n; }
void nt_clock_step(uint64_t step) { clock_step = step; }

bool nt_contains(const char *hay, const char *needle)
{
	if (!hay)
		return false;
	for (; *hay; hay++)
		if (nc_str_starts_with(hay, needle))
			return true;
	return false;
}

bool nt_load_module(void *ud, const char *path, const char **src, size_t *len, const char **file)
{
	for (const nt_module_t *m = ud; m->path; m++)
		if (nc_str_compare(m->path, path) == 0) {
			*src = m->src;
			*len = nc_str_len(m->src);
			*file = m->path;
			return true;
		}
	return false;
}

void nt_expect_error(const char *src, nc_ncs_err_t err, const char *text)
{
	nt_reset();
	NC_CHECK_EQ(nt_run(src), err);
	NC_CHECK(nt_contains(nt_result.message, text));
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}
