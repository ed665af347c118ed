/* The threaded matrix product: Y = W X for one weight matrix, or for up to
 * AI_MATMUL_MAX matrices that read the same input (the Q, K and V
 * projections; the SwiGLU gate and up, whose tasks also apply SiLU and the
 * product to their rows) in one pool run, so a layer waits on the pool four
 * times instead of seven, and K-quant products quantize their input once.
 * The transposition of x for a gemm is spread over the threads too. Rows are
 * split into tasks of about equal cost (bytes for one vector, rows
 * otherwise) and a whole number of register tiles (so tiles group rows the
 * same way for any split), several tasks per thread so a thread slowed by
 * other work leaves its rows to the others; each row is computed by one task
 * in one order, so results are bit-identical for any thread count. Products
 * too small to pay for waking the threads run on the caller's thread. */
#include "ai_int.h"

void ai_pool_run(const nc_ai_pool_t *pool, nc_ai_task_fn fn, void *arg, size_t n_tasks)
{
	if (pool && pool->run && pool->n_threads > 1 && n_tasks > 1) {
		pool->run(pool->ctx, fn, arg, n_tasks);
		return;
	}
	for (size_t i = 0; i < n_tasks; i++)
		fn(arg, i, n_tasks);
}

/* One matrix of a job: its kernels and where its rows go. */
typedef struct {
	const ai_mat_t *w;
	float *y;
	ai_gemm_fn gemm;          /* when the kernels have one for this type and enough vectors */
	ai_tile_fn tile;          /* the same, for kernels with a tile instead */
	ai_dot_kquant_fn dot_kq;  /* for K-quant weights, with the job's xq */
	size_t first_task;        /* tasks [first_task, first_task + n_tasks) are this matrix's */
	size_t n_tasks;
	size_t rows_per_task;     /* a multiple of the tile rows */
} matmul_part_t;

typedef struct {
	matmul_part_t part[AI_MATMUL_MAX];
	size_t n_parts;
	const ai_kernels_t *k;
	bool swiglu;              /* two parts of equal rows: task i does rows of both, then silu_mul */
	ai_dot_fn dot;            /* the kernels' dot for the non-K-quant types */
	size_t tile_rows, tile_vecs;
	const ai_q8k_t *xq;       /* the quantized x (when a matrix is a K-quant) */
	const float *xt;          /* the transposed x (when a matrix uses gemm) */
	const float *x;
	size_t n_vec;
} matmul_job_t;

#define KQ_ROWS_PER_CALL 16u  /* K-quant rows per kernel call: the weights stay in L1 across vector groups */

/* Rows [r0, r1) of a K-quant matrix against the quantized x. */
static void rows_kquant(const matmul_job_t *j, const matmul_part_t *p, size_t r0, size_t r1)
{
	size_t n_in = p->w->n_in, n_out = p->w->n_out, rb = p->w->row_bytes, nb = n_in / AI_QK_K;
	for (size_t r = r0; r < r1; r += KQ_ROWS_PER_CALL) {
		size_t nr = r1 - r < KQ_ROWS_PER_CALL ? r1 - r : KQ_ROWS_PER_CALL;
		for (size_t v = 0; v < j->n_vec; v += AI_DOT_MAX_VEC) {
			size_t nv = j->n_vec - v < AI_DOT_MAX_VEC ? j->n_vec - v : AI_DOT_MAX_VEC;
			p->dot_kq(p->w->type, p->w->data + r * rb, rb, nr, j->xq + v * nb, nb, nv, n_in,
			          p->y + v * n_out + r, n_out);
		}
	}
}

/* Up to AI_DOT_MAX_VEC vectors at a time from v on row r. */
static void row_dots(const matmul_job_t *j, const matmul_part_t *p, size_t r, size_t v)
{
	size_t n_in = p->w->n_in, n_out = p->w->n_out;
	float out[AI_DOT_MAX_VEC];
	for (; v < j->n_vec; v += AI_DOT_MAX_VEC) {
		size_t nv = j->n_vec - v < AI_DOT_MAX_VEC ? j->n_vec - v : AI_DOT_MAX_VEC;
		j->dot(p->w->type, p->w->data + r * p->w->row_bytes, j->x + v * n_in, n_in, nv, n_in, out);
		for (size_t k = 0; k < nv; k++)
			p->y[(v + k) * n_out + r] = out[k];
	}
}

/* Rows [r0, r1) with the float-activation kernels: whole tiles of
 * tile_rows x tile_vecs, then the vectors and rows left over one row at a
 * time. r0 is a multiple of tile_rows, so the rows group the same way
 * whatever the task split. */
static void rows_float(const matmul_job_t *j, const matmul_part_t *p, size_t r0, size_t r1)
{
	size_t n_in = p->w->n_in, n_out = p->w->n_out, rb = p->w->row_bytes, R = j->tile_rows, V = j->tile_vecs;
	for (size_t r = r0; r < r1;) {
		if (!p->tile || r + R > r1) {
			row_dots(j, p, r++, 0);
			continue;
		}
		size_t v = 0;
		for (; v + V <= j->n_vec; v += V)
			p->tile(p->w->type, p->w->data + r * rb, rb, j->x + v * n_in, n_in, n_in, p->y + v * n_out + r, n_out);
		for (size_t rr = r; rr < r + R; rr++)
			row_dots(j, p, rr, v);
		r += R;
	}
}

static void run_rows(const matmul_job_t *j, const matmul_part_t *p, size_t r0, size_t r1)
{
	const ai_mat_t *w = p->w;
	if (p->gemm)
		p->gemm(w->type, w->data + r0 * w->row_bytes, w->row_bytes, r1 - r0, j->xt, AI_XT_STRIDE(j->n_vec),
		        j->n_vec, w->n_in, p->y + r0, w->n_out, 1);
	else if (p->dot_kq)
		rows_kquant(j, p, r0, r1);
	else
		rows_float(j, p, r0, r1);
}

/* part[0].y = silu(part[0].y) * part[1].y on rows [r0, r1) of every vector. */
static void silu_rows(const matmul_job_t *j, size_t r0, size_t r1)
{
	size_t n_out = j->part[0].w->n_out;
	for (size_t v = 0; v < j->n_vec; v++)
		j->k->silu_mul(j->part[0].y + v * n_out + r0, j->part[1].y + v * n_out + r0, r1 - r0);
}

static void matmul_task(void *arg, size_t i_task, size_t n_tasks)
{
	const matmul_job_t *j = arg;
	const matmul_part_t *p = &j->part[0];
	(void)n_tasks;
	while (!j->swiglu && i_task >= p->first_task + p->n_tasks)
		p++;
	size_t r0 = (i_task - p->first_task) * p->rows_per_task, r1 = r0 + p->rows_per_task;
	r1 = r1 < p->w->n_out ? r1 : p->w->n_out;
	run_rows(j, p, r0, r1);
	if (j->swiglu) {
		run_rows(j, &j->part[1], r0, r1);
		silu_rows(j, r0, r1);
	}
}

/* xt[i * xs + v] = x[v * n + i] for i in [i0, i1), zero for v in [n_vec,
 * xs); 16 elements of every vector at a time, so both sides move along whole
 * cache lines. */
static void transpose(const float *x, size_t n_vec, size_t n, size_t i0, size_t i1, float *xt)
{
	size_t xs = AI_XT_STRIDE(n_vec);
	for (; i0 < i1; i0 += 16) {
		size_t ie = i1 - i0 < 16 ? i1 : i0 + 16;
		for (size_t v = 0; v < xs; v++)
			for (size_t i = i0; i < ie; i++)
				xt[i * xs + v] = v < n_vec ? x[v * n + i] : 0.0f;
	}
}

typedef struct {
	const float *x;
	size_t n_vec, n;
	float *xt;
} transpose_job_t;

/* Task i of n: its share of the elements, in whole groups of 16. */
static void transpose_task(void *arg, size_t i, size_t n_tasks)
{
	const transpose_job_t *t = arg;
	size_t groups = (t->n + 15) / 16, per = (groups + n_tasks - 1) / n_tasks;
	size_t i0 = i * per * 16, i1 = (i + 1) * per * 16;
	if (i0 < t->n)
		transpose(t->x, t->n_vec, t->n, i0, i1 < t->n ? i1 : t->n, t->xt);
}

/* What a row of w costs in a product with n_vec vectors, relative to the
 * other rows of its job: its bytes for one vector (generation streams the
 * weights from memory: a Q6_K row costs 1.5 times a Q4_K one), else 1 (the
 * rows of a job have the same multiply-adds). */
static uint64_t row_cost(const ai_mat_t *w, size_t n_vec)
{
	return n_vec == 1 ? w->row_bytes : 1;
}

static void matmul(const ai_kernels_t *k, const nc_ai_pool_t *pool, const ai_mat_t *const *w, float *const *y,
                   size_t n_mats, bool swiglu, const float *x, size_t n_vec, void *scratch)
{
	matmul_job_t j = {.n_parts = n_mats, .k = k, .swiglu = swiglu, .dot = k->dot,
	                  .tile_rows = k->tile || k->gemm ? k->tile_rows : 1, .tile_vecs = k->tile_vecs, .x = x,
	                  .n_vec = n_vec};
	uint64_t macs = 0;
	bool kquant = false, gemm = false;
	for (size_t i = 0; i < n_mats; i++) {
		matmul_part_t *p = &j.part[i];
		p->w = w[i];
		p->y = y[i];
		bool tiled = (k->tile_types >> w[i]->type & 1) && n_vec >= k->tile_vecs;
		p->gemm = tiled ? k->gemm : NULL;
		p->tile = tiled ? k->tile : NULL;
		p->dot_kq = ai_type_is_kquant(w[i]->type) && !p->gemm ? k->dot_kquant : NULL;
		kquant |= p->dot_kq != NULL;
		gemm |= p->gemm != NULL;
		macs += (uint64_t)w[i]->n_out * w[i]->n_in * n_vec;
	}
	size_t n_in = w[0]->n_in;  /* all matrices share it */
	size_t n_threads = pool && pool->n_threads > 1 ? pool->n_threads : 1;
	if (macs < AI_PARALLEL_MIN_MACS)
		n_threads = 1;  /* waking threads costs more than this product */
	if (gemm) {  /* transpose x once for every row's gemm */
		transpose_job_t t = {x, n_vec, n_in, scratch};
		ai_pool_run(n_threads > 1 ? pool : NULL, transpose_task, &t, n_threads);
		j.xt = scratch;
	}
	if (kquant) {  /* quantize x once; every row's dot uses it */
		ai_q8k_t *xq = (ai_q8k_t *)(void *)((uint8_t *)scratch + n_in * AI_XT_STRIDE(n_vec) * sizeof(float));
		k->quant_q8k(x, n_vec * n_in, xq);
		j.xq = xq;
	}
	if (n_threads == 1) {
		for (size_t i = 0; i < n_mats; i++)
			run_rows(&j, &j.part[i], 0, w[i]->n_out);
		if (swiglu)
			silu_rows(&j, 0, w[0]->n_out);
		return;
	}
	/* About n_threads * AI_TASKS_PER_THREAD tasks of equal cost (row_cost),
	 * each a multiple of tile_rows: the rows of each tile are then the same
	 * for any number of tasks, so results do not depend on the thread count. */
	uint64_t cost = 0, want = n_threads * AI_TASKS_PER_THREAD;
	for (size_t i = 0; i < n_mats; i++)
		cost += w[i]->n_out * row_cost(w[i], n_vec);
	size_t n_tasks = 0;
	for (size_t i = 0; i < (swiglu ? 1 : n_mats); i++) {  /* SwiGLU: part 0's rows, of both matrices */
		matmul_part_t *p = &j.part[i];
		uint64_t row = row_cost(w[i], n_vec) + (swiglu ? row_cost(w[1], n_vec) : 0), rows = cost / want / row + 1;
		p->rows_per_task = (size_t)(rows + j.tile_rows - 1) / j.tile_rows * j.tile_rows;
		p->first_task = n_tasks;
		p->n_tasks = (w[i]->n_out + p->rows_per_task - 1) / p->rows_per_task;
		n_tasks += p->n_tasks;
	}
	ai_pool_run(pool, matmul_task, &j, n_tasks);
}

void ai_matmul_n(const ai_kernels_t *k, const nc_ai_pool_t *pool, const ai_mat_t *const *w, float *const *y,
                 size_t n_mats, const float *x, size_t n_vec, void *scratch)
{
	matmul(k, pool, w, y, n_mats, false, x, n_vec, scratch);
}

void ai_matmul_swiglu(const ai_kernels_t *k, const nc_ai_pool_t *pool, const ai_mat_t *gate, const ai_mat_t *up,
                      const float *x, size_t n_vec, void *scratch, float *g, float *u)
{
	const ai_mat_t *w[2] = {gate, up};
	float *const y[2] = {g, u};
	matmul(k, pool, w, y, 2, true, x, n_vec, scratch);
}

void ai_matmul(const ai_kernels_t *k, const nc_ai_pool_t *pool, const ai_mat_t *w, const float *x,
               size_t n_vec, void *scratch, float *y)
{
	ai_matmul_n(k, pool, &w, &y, 1, x, n_vec, scratch);
}
