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
	const ai_kernels_t *tables[] = {&ai_kernels_portable, &ai_kernels_avx2, &ai_kernels_avx512};
	size_t n_tables = ai_cpu_has_avx512() ? 3 : ai_cpu_has_avx2() ? 2 : 1;
	const ai_mat_t *w[3] = {&m[0], &m[1], &m[2]};
	float *const y[3] = {fused[0], fused[1], fused[2]};
	static const size_t vecs[] = {1, 5, MAX_VEC};
	for (size_t ti = 0; ti < n_tables * 3; ti++) {
		const ai_kernels_t *k = tables[ti / 3];
		size_t threads = 1 + ti % 3;
		host_pool_t *hp = NULL;
		nc_ai_pool_t pool;
		NC_CHECK(threads == 1 || host_pool_create(threads, &hp, &pool));
		for (size_t vi = 0; vi < 3; vi++) {
			size_t nv = vecs[vi];
			for (int i = 0; i < 3; i++)
				ai_matmul(k, NULL, &m[i], x, nv, xq, sep[i]);
			ai_matmul_n(k, hp ? &pool : NULL, w, y, 3, x, nv, xq);
			for (int i = 0; i < 3; i++)
				NC_CHECK(memcmp(sep[i], fused[i], nv * n_out[i] * sizeof(float)) == 0);
			for (int i = 0; i < 2; i++)
				for (size_t v = 0; v < nv; v++)
					for (size_t r = 0; r < n_out[i]; r += 5)
						NC_CHECK(row_matches(&m[i], r, x + v * N_IN, fused[i][v * n_out[i] + r]));
		}
		host_pool_destroy(hp);
	}
	for (int i = 0; i < 3; i++)
		free(data[i]);
}

#define SW_ROWS 320u
#define SW_VEC 64u

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
	const ai_mat_t *pair[2] = {&gate, &up};
	size_t n = (size_t)SW_ROWS * SW_VEC;
	float *g_ref = out, *u_ref = out + n, *g = out + 2 * n, *u = out + 3 * n;
	const ai_kernels_t *tables[] = {&ai_kernels_portable, &ai_kernels_avx2, &ai_kernels_avx512};
	size_t n_tables = ai_cpu_has_avx512() ? 3 : ai_cpu_has_avx2() ? 2 : 1;
	static const size_t vecs[] = {1, 5, SW_VEC};
	for (size_t ti = 0; ti < n_tables * 3; ti++) {
		const ai_kernels_t *k = tables[ti / 3];
		size_t threads = 1 + ti % 3;
		host_pool_t *hp = NULL;
		nc_ai_pool_t pool;
		NC_CHECK(threads == 1 || host_pool_create(threads, &hp, &pool));
		for (size_t vi = 0; vi < 3; vi++) {
			size_t nv = vecs[vi];
			ai_matmul(k, NULL, &gate, x, nv, scratch, g_ref);
			ai_matmul(k, NULL, &up, x, nv, scratch, u_ref);
			float *const y[2] = {g, u};
			ai_matmul_n(k, hp ? &pool : NULL, pair, y, 2, x, nv, scratch);
			NC_CHECK(memcmp(g, g_ref, nv * SW_ROWS * sizeof(float)) == 0);
			NC_CHECK(memcmp(u, u_ref, nv * SW_ROWS * sizeof(float)) == 0);
			k->silu_mul(g_ref, u_ref, nv * SW_ROWS);
			ai_matmul_swiglu(k, hp ? &pool : NULL, &gate, &up, x, nv, scratch, g, u);
			if (memcmp(g, g_ref, nv * SW_ROWS * sizeof(float)) || memcmp(u, u_ref, nv * SW_ROWS * sizeof(float))) {
				nc_test_note("table %zu, %zu threads, %zu vectors: differs", ti / 3, threads, nv);
				NC_CHECK(false);
			}
		}
		host_pool_destroy(hp);
	}
	free(gq);
	free(uf);
	free(x);
	free(out);
	free(scratch);
}
