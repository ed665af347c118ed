/* Run state: the embedder's allocator behind exact live-byte accounting, and the
 * one place errors are recorded (first error wins; later ones are consequences).
 * Script memory (ncs_mem_*_tracked) counts against limits.max_alloc_bytes once
 * st->counting is set; compile-time data (AST, bytecode) is untracked. */
#include "value.h"
#include <nc/fmt.h>
#include <nc/mem.h>
#include <stdarg.h>

void *ncs_mem_alloc(ncs_state_t *st, size_t n)
{
	void *p = st->cfg->alloc(st->cfg->alloc_ud, NULL, 0, n);
	if (!p)
		ncs_fail(st, NC_NCS_ERR_NOMEM, UINT32_MAX, "out of memory");
	return p;
}

void *ncs_mem_realloc(ncs_state_t *st, void *p, size_t old, size_t n)
{
	void *q = st->cfg->alloc(st->cfg->alloc_ud, p, old, n);
	if (!q)
		ncs_fail(st, NC_NCS_ERR_NOMEM, UINT32_MAX, "out of memory");
	return q;
}

void ncs_mem_free(ncs_state_t *st, void *p, size_t n)
{
	if (p)
		st->cfg->alloc(st->cfg->alloc_ud, p, n, 0);
}

static bool admit(ncs_state_t *st, size_t old, size_t n)
{
	uint64_t lim = st->cfg->limits.max_alloc_bytes;
	uint64_t next = st->live_bytes - old + n;
	if (st->counting && lim && n > old && next > lim) {
		ncs_fail(st, NC_NCS_ERR_LIMIT_ALLOC, UINT32_MAX,
			 "live memory would reach %llu bytes, limit is %llu",
			 (unsigned long long)next, (unsigned long long)lim);
		return false;
	}
	return true;
}

static void account(ncs_state_t *st, size_t old, size_t n)
{
	st->live_bytes = st->live_bytes - old + n;
	if (st->live_bytes > st->peak_bytes)
		st->peak_bytes = st->live_bytes;
}

void *ncs_mem_alloc_tracked(ncs_state_t *st, size_t n)
{
	if (!admit(st, 0, n))
		return NULL;
	void *p = ncs_mem_alloc(st, n);
	if (p)
		account(st, 0, n);
	return p;
}

void *ncs_mem_realloc_tracked(ncs_state_t *st, void *p, size_t old, size_t n)
{
	if (!admit(st, old, n))
		return NULL;
	void *q = ncs_mem_realloc(st, p, old, n);
	if (q)
		account(st, old, n);
	return q;
}

void ncs_mem_free_tracked(ncs_state_t *st, void *p, size_t n)
{
	if (p) {
		ncs_mem_free(st, p, n);
		account(st, n, 0);
	}
}

nc_ncs_err_t ncs_vfail(ncs_state_t *st, nc_ncs_err_t err, uint32_t off, const char *fmt, va_list ap)
{
	if (st->err == NC_NCS_OK) {
		st->err = err;
		st->err_off = off;
		nc_fmt_vformat(st->msg, sizeof st->msg, fmt, ap);
	}
	return st->err;
}

nc_ncs_err_t ncs_fail(ncs_state_t *st, nc_ncs_err_t err, uint32_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ncs_vfail(st, err, off, fmt, ap);
	va_end(ap);
	return st->err;
}

size_t ncs_format_int(int64_t v, char *buf)
{
	char tmp[24];
	size_t n = 0, len = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[len++] = '-';
	while (n)
		buf[len++] = tmp[--n];
	buf[len] = 0;
	return len;
}

void *ncs_arena_alloc(ncs_arena_t *ar, size_t n)
{
	enum { CHUNK = 16384 };
	n = (n + 15) & ~(size_t)15;
	if (!ar->head || ar->used + n > ar->cap) {
		size_t cap = n > CHUNK ? n : CHUNK;
		size_t hdr = 16;
		ncs_arena_chunk_t *c = ncs_mem_alloc(ar->st, hdr + cap);
		if (!c)
			return NULL;
		*(ncs_arena_chunk_t **)c = ar->head;
		*((size_t *)c + 1) = hdr + cap;
		ar->head = c;
		ar->used = 0;
		ar->cap = cap;
	}
	char *p = (char *)ar->head + 16 + ar->used;
	ar->used += n;
	nc_mem_set(p, 0, n);
	return p;
}

void ncs_arena_free(ncs_arena_t *ar)
{
	ncs_arena_chunk_t *c = ar->head;
	while (c) {
		ncs_arena_chunk_t *next = *(ncs_arena_chunk_t **)c;
		ncs_mem_free(ar->st, c, *((size_t *)c + 1));
		c = next;
	}
	ar->head = NULL;
	ar->used = ar->cap = 0;
}
