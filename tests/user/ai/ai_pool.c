/* The engine on NexaCore threads (nc/ai_pool.h) in this process: a greedy
 * generation and an embedding with no pool and with pools of 2 and 4
 * threads give the host engine's text and embedding (within 1e-5), the same
 * bits for every thread count, and the pools' threads did run tasks (a
 * wrapper around the pool's run counts the tasks that ran off the calling
 * thread's stack). */
#include "aitests.h"

#include <nc/ai.h>
#include <nc/ai_pool.h>

enum { POOL_TOKENS = 24, POOL_EMBD_MAX = 512, POOL_TEXT_MAX = 1024 };

typedef struct {
	nc_ai_pool_t inner;
	nc_ai_task_fn fn;
	void *arg;
	uintptr_t caller_sp;
	uint64_t runs, tasks_elsewhere; /* tasks_elsewhere: atomic */
} counted_pool_t;

static void counted_task(void *arg, size_t i, size_t n)
{
	counted_pool_t *c = arg;
	uint8_t here;
	uintptr_t sp = (uintptr_t)&here, d = sp > c->caller_sp ? sp - c->caller_sp : c->caller_sp - sp;
	if (d > NC_THREAD_STACK_BYTES)
		__atomic_fetch_add(&c->tasks_elsewhere, 1, __ATOMIC_RELAXED);
	c->fn(c->arg, i, n);
}

static void counted_run(void *ctx, nc_ai_task_fn fn, void *arg, size_t n_tasks)
{
	counted_pool_t *c = ctx;
	uint8_t here;
	c->fn = fn;
	c->arg = arg;
	c->caller_sp = (uintptr_t)&here;
	c->runs++;
	c->inner.run(c->inner.ctx, counted_task, c, n_tasks);
}

typedef struct {
	char text[POOL_TEXT_MAX];
	size_t text_len;
	double embd[POOL_EMBD_MAX];
	size_t n_embd;
} pool_result_t;

/* Greedy generation of AT_PROMPT and the embedding of "Vim" on pool. */
static bool run_on(const nc_ai_model_t *m, const nc_ai_pool_t *pool, pool_result_t *r)
{
	nc_ai_model_info_t h;
	nc_ai_model_get_info(m, &h);
	int32_t ids[64];
	size_t n;
	unsigned flags = h.add_bos ? NC_AI_TOK_ADD_BOS : 0;
	NC_REQUIRE(!nc_ai_tokenize(m, AT_PROMPT, sizeof AT_PROMPT - 1, flags, ids, 64, &n));
	nc_ai_ctx_params_t cp = { (uint32_t)(n + POOL_TOKENS), NC_AI_SIMD_PORTABLE, pool };
	nc_ai_ctx_t *c;
	NC_REQUIRE(!nc_ai_ctx_create(m, &cp, &nc_ai_user_alloc, &c));
	nc_ai_gen_params_t p;
	nc_ai_gen_params_default(&p);
	p.temperature = 0;
	p.max_tokens = POOL_TOKENS;
	nc_ai_gen_t g;
	bool ok = !nc_ai_gen_begin(&g, c, &p, ids, n);
	r->text_len = 0;
	for (bool stopped = false; ok && !stopped;) {
		int32_t id;
		const uint8_t *b;
		size_t len;
		nc_ai_stop_t why;
		if (nc_ai_gen_next(&g, &id, &b, &len, &stopped, &why))
			break; /* ARG: max_tokens reached */
		ok = r->text_len + len <= sizeof r->text;
		if (ok)
			nc_mem_copy(r->text + r->text_len, b, len);
		r->text_len += len;
	}
	r->n_embd = h.n_embd;
	ok = ok && h.n_embd <= POOL_EMBD_MAX && !nc_ai_tokenize(m, "Vim", 3, flags, ids, 64, &n) &&
	     !nc_ai_embed(c, ids, n, r->embd, POOL_EMBD_MAX);
	nc_ai_ctx_destroy(c);
	return ok ? true : NC_FAIL("generation or embedding failed");
}

static bool t_pool_threads_identical(void)
{
	static pool_result_t res[3];
	static const size_t threads[3] = { 1, 2, 4 };
	uint8_t *img;
	uint64_t len;
	nc_ai_model_t *m;
	NC_EXPECT_SYS(nc_file_read_all("/models/" AT_TEXT ".gguf", &img, &len), NC_SYS_OK);
	NC_REQUIRE(!nc_ai_model_open(img, len, &nc_ai_user_alloc, &m, NULL));
	bool ok = true;
	uint64_t elsewhere = 0;
	for (size_t t = 0; t < 3 && ok; t++) {
		counted_pool_t cp = { 0 };
		nc_ai_upool_t *up = NULL;
		nc_ai_pool_t iface = { &cp, threads[t], counted_run };
		if (threads[t] > 1)
			ok = nc_ai_upool_create(threads[t] - 1, true, &up, &cp.inner) == NC_SYS_OK;
		ok = ok && run_on(m, threads[t] > 1 ? &iface : NULL, &res[t]);
		if (up)
			nc_ai_upool_destroy(up);
		if (ok && threads[t] > 1 && !cp.runs)
			ok = NC_FAIL("the engine never ran a job on the %zu-thread pool", threads[t]);
		elsewhere += cp.tasks_elsewhere;
	}
	nc_ai_model_close(m);
	nc_free(img);
	if (!ok)
		return false;
	static char want[POOL_TEXT_MAX];
	static double ref[POOL_EMBD_MAX];
	size_t want_len;
	NC_REQUIRE(at_expect_text("greedy", want, sizeof want, &want_len));
	NC_REQUIRE(at_expect_numbers("embed", ref, POOL_EMBD_MAX) == res[0].n_embd);
	for (size_t t = 0; t < 3; t++) {
		const pool_result_t *r = &res[t];
		if (r->text_len != want_len || nc_mem_compare(r->text, want, want_len))
			return NC_FAIL("%zu threads: \"%.*s\", host \"%.*s\"", threads[t], (int)r->text_len, r->text,
				       (int)want_len, want);
		for (size_t i = 0; i < r->n_embd; i++) {
			double d = r->embd[i] - ref[i];
			if (d > 1e-5 || d < -1e-5)
				return NC_FAIL("%zu threads: embedding %zu differs from the host's", threads[t], i);
		}
		if (nc_mem_compare(r->embd, res[0].embd, r->n_embd * sizeof(double)))
			return NC_FAIL("%zu threads: embedding bits differ from one thread's", threads[t]);
	}
	if (!elsewhere)
		return NC_FAIL("no task ran on a pool thread");
	return true;
}

static bool t_pool_errors(void)
{
	nc_ai_upool_t *up;
	nc_ai_pool_t iface;
	NC_EXPECT_SYS(nc_ai_upool_create(0, true, &up, &iface), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_ai_upool_create(NC_AI_UPOOL_SLOTS_MAX + 1, true, &up, &iface), NC_SYS_ERR_INVALID);
	return true;
}

const nc_test_case_t at_pool_tests[] = {
	{ "pool_threads_identical", t_pool_threads_identical },
	{ "pool_errors", t_pool_errors },
	{ NULL, NULL },
};
