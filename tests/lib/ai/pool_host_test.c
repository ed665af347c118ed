/* The host thread pool (tools/nc-ai/host_env.c: spin, then sleep) and the
 * fused matrix product ai_matmul_n (lib/ai/matmul.c).
 *   - every task of every job runs exactly once, over thousands of jobs of
 *     random sizes, back to back (workers still spinning) and after pauses
 *     longer than the spin (workers asleep), with 2 to 4 threads, and no
 *     task of a finished job runs later;
 *   - ai_matmul_n over three matrices of different types (F32, Q8_0, Q4_K)
 *     with the same input equals three ai_matmul calls bit for bit, for 1 to 3
 *     threads, 1, 5 and 32 vectors and every kernel table the CPU runs, and equals the float rows dotted in
 *     double within 1e-4 (F32 and Q8_0 rows; Q4_K rounds x to 8 bits, checked
 *     against ai_matmul);
 *   - ai_matmul_swiglu (gate Q4_K, up F32: rows of very different bytes, so
 *     the one-vector split by bytes differs from a split by rows) equals
 *     ai_matmul twice and the kernels' silu_mul bit for bit, and ai_matmul_n
 *     of the same pair equals ai_matmul, for 1 to 3 threads, 1, 5 and 64
 *     vectors (64: the AVX-512 gemm with x transposed by the pool) and
 *     every kernel table the CPU runs; 320 rows make even one vector
 *     large enough for the pool. */
#define _GNU_SOURCE
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nc_test.h>

#include "../../../lib/ai/ai_int.h"
#include "../../../tools/nc-ai/host_env.h"

enum { MAX_TASKS = 97 };

typedef struct {
	atomic_int runs[MAX_TASKS];
	size_t n_tasks;
	bool bad_n;
} count_job_t;

static void count_task(void *arg, size_t i, size_t n)
{
	count_job_t *j = arg;
	if (n != j->n_tasks || i >= n)
		j->bad_n = true;
	else
		atomic_fetch_add(&j->runs[i], 1);
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/* Jobs stay allocated until the end and are checked again there: a worker
 * that ran a task of an earlier job late (with that job's fn and arg after
 * the caller returned) would show as a count above 1. 4 threads on this
 * 2-core machine make workers late and preempted mid-job often. */
NC_TEST(host_pool, every_task_once_spinning_and_asleep)
{
	enum { JOBS = 3000 };
	uint32_t seed = 7;
	count_job_t *jobs = calloc(JOBS, sizeof *jobs);
	NC_CHECK(jobs != NULL);
	for (size_t threads = 2; threads <= 4; threads++) {
		host_pool_t *hp;
		nc_ai_pool_t pool;
		NC_CHECK(host_pool_create(threads, &hp, &pool));
		memset(jobs, 0, JOBS * sizeof *jobs);
		int bad = -1;
		for (int job = 0; job < JOBS; job++) {
			count_job_t *j = &jobs[job];
			j->n_tasks = 1 + lcg(&seed) % MAX_TASKS;
			if (job % 500 == 0) {  /* past the spin: the workers sleep */
				struct timespec ts = {0, 5000000};
				nanosleep(&ts, NULL);
			}
			pool.run(pool.ctx, count_task, j, j->n_tasks);
			bool once = !j->bad_n;
			for (size_t i = 0; i < j->n_tasks; i++)
				once &= atomic_load(&j->runs[i]) == 1;
			if (!once && bad < 0)
				bad = job;
		}
		host_pool_destroy(hp);
		for (int job = 0; job < JOBS && bad < 0; job++)  /* after the pool is gone: nothing ran late */
			for (size_t i = 0; i < jobs[job].n_tasks; i++)
				if (atomic_load(&jobs[job].runs[i]) != 1)
					bad = job;
		if (bad >= 0) {
			nc_test_note("%zu threads, job %d: a task ran %s", threads, bad, jobs[bad].bad_n ? "with bad n" : "not once");
			NC_CHECK(bad < 0);
			break;
		}
	}
	free(jobs);
}

#define N_IN 512u     /* two Q4_K super-blocks, sixteen Q8_0 blocks */
#define MAX_VEC 32u

static void random_weights(uint8_t *p, size_t n, uint32_t *s)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)lcg(s);
}

/* got against row r of m dotted with x in double. */
static bool row_matches(const ai_mat_t *m, size_t r, const float *x, float got)
{
	float row[N_IN];
	double want = 0;
	ai_mat_get_row(m, r, row);
	for (size_t i = 0; i < N_IN; i++)
		want += (double)row[i] * x[i];
	return fabs(got - want) < 1e-4 * (1 + fabs(want));
}

/* One product check for kernels k, pool (NULL: one thread) and n_vec
 * vectors; false (after NC_REQUIRE recorded why) when it fails. */
typedef bool (*product_check_fn)(void *arg, const ai_kernels_t *k, const nc_ai_pool_t *pool, size_t n_vec);

/* check for every kernel table the CPU runs, 1 to 3 threads and the vector
 * counts vecs[0..2]; false at the first failure, which it names. */
static bool each_table_and_thread_count(const size_t vecs[3], product_check_fn check, void *arg)
{
	const ai_kernels_t *tables[] = {&ai_kernels_portable, &ai_kernels_avx2, &ai_kernels_avx512};
	size_t n_tables = ai_cpu_has_avx512() ? 3 : ai_cpu_has_avx2() ? 2 : 1;
	for (size_t ti = 0; ti < n_tables * 3; ti++) {
		size_t threads = 1 + ti % 3;
		host_pool_t *hp = NULL;
		nc_ai_pool_t pool;
		NC_REQUIRE(threads == 1 || host_pool_create(threads, &hp, &pool));
		bool ok = true;
		for (size_t vi = 0; vi < 3 && ok; vi++)
			if (!(ok = check(arg, tables[ti / 3], hp ? &pool : NULL, vecs[vi])))
				nc_test_note("kernel table %zu, %zu threads, %zu vectors", ti / 3, threads, vecs[vi]);
		host_pool_destroy(hp);
		if (!ok)
			return false;
	}
	return true;
}

typedef struct {
	const ai_mat_t *m;  /* three matrices */
	const uint32_t *n_out;
	const float *x;
	void *scratch;
	float *sep[3], *fused[3];
} fused_case_t;

static bool fused_check(void *arg, const ai_kernels_t *k, const nc_ai_pool_t *pool, size_t nv)
{
	fused_case_t *c = arg;
	const ai_mat_t *w[3] = {&c->m[0], &c->m[1], &c->m[2]};
	for (int i = 0; i < 3; i++)
		ai_matmul(k, NULL, &c->m[i], c->x, nv, c->scratch, c->sep[i]);
	ai_matmul_n(k, pool, w, c->fused, 3, c->x, nv, c->scratch);
	for (int i = 0; i < 3; i++)
		NC_REQUIRE(memcmp(c->sep[i], c->fused[i], nv * c->n_out[i] * sizeof(float)) == 0);
	for (int i = 0; i < 2; i++)
		for (size_t v = 0; v < nv; v++)
			for (size_t r = 0; r < c->n_out[i]; r += 5)
				NC_REQUIRE(row_matches(&c->m[i], r, c->x + v * N_IN, c->fused[i][v * c->n_out[i] + r]));
	return true;
}

NC_TEST(ai_matmul, fused_equals_separate_for_any_thread_count)
{
	static const uint32_t n_out[3] = {37, 64, 21};  /* odd counts: partial row pairs */
	static const nc_ggml_type_t types[3] = {NC_GGML_F32, NC_GGML_Q8_0, NC_GGML_Q4_K};
	static const size_t row_bytes[3] = {N_IN * 4, N_IN / AI_QK * AI_Q8_0_BYTES, N_IN / AI_QK_K * AI_Q4_K_BYTES};
	uint32_t s = 99;
	ai_mat_t m[3];
	uint8_t *data[3];
	for (int i = 0; i < 3; i++) {
		data[i] = malloc(row_bytes[i] * n_out[i]);
		NC_CHECK(data[i] != NULL);
		random_weights(data[i], row_bytes[i] * n_out[i], &s);
		m[i] = (ai_mat_t){data[i], types[i], N_IN, n_out[i], row_bytes[i]};
	}
	float *f32 = (float *)(void *)data[0];  /* small finite floats */
	for (size_t i = 0; i < (size_t)N_IN * n_out[0]; i++)
		f32[i] = (float)((int)(lcg(&s) % 2001) - 1000) / 1000.0f;
	for (size_t r = 0; r < n_out[1]; r++)  /* Q8_0 and Q4_K scales: small finite halves */
		for (size_t b = 0; b < N_IN / AI_QK; b++)
			data[1][r * row_bytes[1] + b * AI_Q8_0_BYTES + 1] = 0x24;
	for (size_t r = 0; r < n_out[2]; r++)
		for (size_t b = 0; b < N_IN / AI_QK_K; b++) {
			data[2][r * row_bytes[2] + b * AI_Q4_K_BYTES + 1] = 0x20;
			data[2][r * row_bytes[2] + b * AI_Q4_K_BYTES + 3] = 0x20;
		}
	static float x[MAX_VEC * N_IN], sep[3][MAX_VEC * 64], fused[3][MAX_VEC * 64];
	static float xq[AI_MATMUL_SCRATCH(N_IN, MAX_VEC) / sizeof(float)] __attribute__((aligned(64)));
	for (size_t i = 0; i < MAX_VEC * N_IN; i++)
		x[i] = (float)((int)(lcg(&s) % 2001) - 1000) / 500.0f;
	static const size_t vecs[] = {1, 5, MAX_VEC};
	fused_case_t c = {m, n_out, x, xq, {sep[0], sep[1], sep[2]}, {fused[0], fused[1], fused[2]}};
	bool ok = each_table_and_thread_count(vecs, fused_check, &c);
	for (int i = 0; i < 3; i++)
		free(data[i]);
	NC_CHECK(ok);
}

#define SW_ROWS 320u
#define SW_VEC 64u

typedef struct {
	const ai_mat_t *gate, *up;
	const float *x;
	void *scratch;
	float *ref, *got;  /* each 2 * SW_ROWS * SW_VEC floats: g then u */
} swiglu_case_t;

static bool swiglu_check(void *arg, const ai_kernels_t *k, const nc_ai_pool_t *pool, size_t nv)
{
	swiglu_case_t *c = arg;
	size_t n = nv * SW_ROWS;
	float *g_ref = c->ref, *u_ref = c->ref + n, *g = c->got, *u = c->got + n;
	const ai_mat_t *pair[2] = {c->gate, c->up};
	float *const y[2] = {g, u};
	ai_matmul(k, NULL, c->gate, c->x, nv, c->scratch, g_ref);
	ai_matmul(k, NULL, c->up, c->x, nv, c->scratch, u_ref);
	ai_matmul_n(k, pool, pair, y, 2, c->x, nv, c->scratch);
	NC_REQUIRE(memcmp(g, g_ref, n * sizeof(float)) == 0 && memcmp(u, u_ref, n * sizeof(float)) == 0);
	k->silu_mul(g_ref, u_ref, n);
	ai_matmul_swiglu(k, pool, c->gate, c->up, c->x, nv, c->scratch, g, u);
	NC_REQUIRE(memcmp(g, g_ref, n * sizeof(float)) == 0 && memcmp(u, u_ref, n * sizeof(float)) == 0);
	return true;
}

NC_TEST(ai_matmul, swiglu_equals_separate_for_any_thread_count)
{
	uint32_t s = 5;
	size_t qb = N_IN / AI_QK_K * AI_Q4_K_BYTES;
	uint8_t *gq = malloc(qb * SW_ROWS);
	float *uf = malloc(sizeof(float) * N_IN * SW_ROWS), *x = malloc(sizeof(float) * N_IN * SW_VEC);
	float *out = malloc(sizeof(float) * SW_ROWS * SW_VEC * 4);
	void *scratch = aligned_alloc(64, AI_MATMUL_SCRATCH(N_IN, SW_VEC));
	NC_CHECK(gq && uf && x && out && scratch);
	random_weights(gq, qb * SW_ROWS, &s);
	for (size_t r = 0; r < SW_ROWS; r++)  /* small finite Q4_K scales */
		for (size_t b = 0; b < N_IN / AI_QK_K; b++) {
			gq[r * qb + b * AI_Q4_K_BYTES + 1] = 0x20;
			gq[r * qb + b * AI_Q4_K_BYTES + 3] = 0x20;
		}
	for (size_t i = 0; i < (size_t)N_IN * SW_ROWS; i++)
		uf[i] = (float)((int)(lcg(&s) % 2001) - 1000) / 1000.0f;
	for (size_t i = 0; i < (size_t)N_IN * SW_VEC; i++)
		x[i] = (float)((int)(lcg(&s) % 2001) - 1000) / 500.0f;
	ai_mat_t gate = {gq, NC_GGML_Q4_K, N_IN, SW_ROWS, qb};
	ai_mat_t up = {(const uint8_t *)uf, NC_GGML_F32, N_IN, SW_ROWS, N_IN * 4};
	swiglu_case_t c = {&gate, &up, x, scratch, out, out + 2 * (size_t)SW_ROWS * SW_VEC};
	static const size_t vecs[] = {1, 5, SW_VEC};
	bool ok = each_table_and_thread_count(vecs, swiglu_check, &c);
	free(gq);
	free(uf);
	free(x);
	free(out);
	free(scratch);
	NC_CHECK(ok);
}
