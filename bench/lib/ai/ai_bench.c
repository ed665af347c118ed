/* AI engine benchmark: prompt processing and generation speed on the
 * committed tiny models and on a ~100M-parameter llama model with random
 * weights that this program writes under build/bench-ai/ (once) in F32 and
 * in Q8_0, on 1 and 2 threads. Baselines measured in the same run:
 *   - memory read bandwidth (a streaming sum over 512 MiB, 1 and 2 threads,
 *     a warm-up pass and then at least BW_MIN_S of passes: measure_bandwidth_n),
 *     re-measured right before every repetition because the machine is
 *     shared: generation reads every weight once per token, so each
 *     generated token's bytes/s is divided by the bandwidth of a 128 MiB
 *     streaming sum run just before it, and the median of these paired
 *     fractions is reported; also best speed over best bandwidth
 *     (conservative when the machine's load changes);
 *   - the portable (plain C) kernels: prompt processing with AVX2 is
 *     reported as a speed-up over them.
 * K-quants: the generated K-quant test model against the F32 file of the
 * same weights (both fit in the caches: decoding cost), and a Q4_K_M-like
 * random 100M model (Q6_K for attn_v, ffn_down and output, Q4_K elsewhere,
 * as llama.cpp's Q4_K_M mostly does) against the F32 and Q8_0 ones; each
 * pair's speed ratio is printed (same run, one thread and two). Before them,
 * the matrix-product kernels alone: each quantized type against F32 on a
 * 2048 x 2048 matrix, 1 and 4 vectors.
 * Without options (make bench) it prints issue 23's table instead: the
 * random model in F32, F16, Q8_0 and Q4_K_M on 1 and 2 threads, generation as
 * a fraction of the memory bandwidth and prompt processing as a fraction of
 * the FMA peak (a FLOP loop), both measured in the same run (bench_table),
 * then the matrix-product kernels alone.
 * One program on purpose (about 800 lines): every ratio needs its baseline
 * measured in the same process and run.
 * Usage: ai_bench [--detail | --quick | --kquant | --models]   (--detail: the
 * per-model runs above with their paired bandwidth fractions; --quick: the
 * tiny models only; --kquant: only the K-quant comparisons; --models: only
 * write the random models) */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <immintrin.h>

#include <nc/ai.h>

#include "../../../lib/ai/ai_int.h"  /* ai_matmul and the kernel tables, for the kernel comparison */
#include "../../../tools/nc-ai/host_env.h"
#include "../cpu_time.h"

#define BW_BYTES ((size_t)512 << 20)
#define BW_PAIR_BYTES ((size_t)128 << 20)
#define BIG_PATH "build/bench-ai/rand-100m-f32.gguf"
#define BIG_Q8_PATH "build/bench-ai/rand-100m-q8_0.gguf"
#define BIG_Q4KM_PATH "build/bench-ai/rand-100m-q4_k_m.gguf"
#define BIG_F16_PATH "build/bench-ai/rand-100m-f16.gguf"
#define PP_TOKENS 64
#define GEN_TOKENS 32

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- memory bandwidth ---- */

typedef struct {
	const uint64_t *buf;
	size_t n_words;
	uint64_t sums[64];
} bw_job_t;

__attribute__((target("avx2"))) static uint64_t sum_words(const uint64_t *p, size_t n)
{
	typedef uint64_t v4 __attribute__((vector_size(32)));
	v4 a = {0}, b = {0}, c = {0}, d = {0};
	for (size_t i = 0; i + 16 <= n; i += 16) {
		a += *(const v4 *)(const void *)(p + i);
		b += *(const v4 *)(const void *)(p + i + 4);
		c += *(const v4 *)(const void *)(p + i + 8);
		d += *(const v4 *)(const void *)(p + i + 12);
	}
	v4 s = a + b + c + d;
	return s[0] + s[1] + s[2] + s[3];
}

static void bw_task(void *arg, size_t i, size_t n)
{
	bw_job_t *j = arg;
	size_t per = j->n_words / n;
	j->sums[i] = sum_words(j->buf + i * per, per);
}

/* Streaming-sum bandwidth over the first `bytes` of buf, in GB/s: one pass
 * to warm up (not counted), then passes until BW_MIN_S has passed (at least
 * BW_MIN_PASSES), their bytes over their time. A single short pass is not a
 * bandwidth: a 128 MiB pass takes about 12 ms, and on the quiet machine such
 * single passes paired with generation read 1.8-2.8 GB/s while the
 * generation itself streamed 9-11 GB/s (docs/ai-engine.md, Performance).
 * The buffer should be as large as what it is compared with (a model's
 * weights): a working set that fits a cache level reads faster. *unwaited
 * (may be NULL) gets the rate over the time the calling thread did not
 * spend waiting for a CPU (bench_cpu_wait_thread). */
#define BW_MIN_S 0.25
#define BW_MIN_PASSES 3
static double measure_bandwidth_n(const nc_ai_pool_t *pool, size_t n_threads, const uint64_t *buf,
                                  size_t bytes, double *unwaited)
{
	bw_job_t j = {buf, bytes / 8, {0}};
	double t0 = 0, w0 = 0, wall = 0;
	int passes = 0;
	for (int pass = -1; pass < BW_MIN_PASSES || wall < BW_MIN_S; pass++) {
		if (pool)
			pool->run(pool->ctx, bw_task, &j, n_threads);
		else
			bw_task(&j, 0, 1);
		if (pass < 0) {  /* the warm-up pass ends here */
			t0 = now_s();
			w0 = bench_cpu_wait_thread();
		} else {
			wall = now_s() - t0;
			passes++;
		}
	}
	if (j.sums[0] == 42)
		printf(" ");  /* keep the sums alive */
	double gb = (double)bytes * passes / 1e9;
	if (unwaited)
		*unwaited = gb / (wall - (bench_cpu_wait_thread() - w0));
	return gb / wall;
}

static double measure_bandwidth(const nc_ai_pool_t *pool, size_t n_threads, const uint64_t *buf)
{
	return measure_bandwidth_n(pool, n_threads, buf, BW_BYTES, NULL);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* ---- the random 100M model ---- */

typedef struct {
	FILE *f;
	uint64_t state;
} writer_t;

static void w_u32(writer_t *w, uint32_t v) { fwrite(&v, 4, 1, w->f); }
static void w_u64(writer_t *w, uint64_t v) { fwrite(&v, 8, 1, w->f); }
static void w_str(writer_t *w, const char *s)
{
	w_u64(w, strlen(s));
	fwrite(s, 1, strlen(s), w->f);
}
static void w_kv_u32(writer_t *w, const char *k, uint32_t v)
{
	w_str(w, k);
	w_u32(w, 4);
	w_u32(w, v);
}

enum { D = 768, L = 12, H = 12, HKV = 4, FF = 2560, V = 8192, CTX = 512 };

typedef struct {
	char name[48];
	uint64_t ne0, ne1;
} big_tensor_t;

static size_t big_tensors(big_tensor_t *t)
{
	size_t n = 0;
#define T(nm, a, b) (snprintf(t[n].name, sizeof t[n].name, "%s", nm), t[n].ne0 = a, t[n].ne1 = b, n++)
	T("token_embd.weight", D, V);
	for (int l = 0; l < L; l++) {
		char b[48];
#define TL(suffix, a, c) (snprintf(b, sizeof b, "blk.%d." suffix, l), T(b, a, c))
		TL("attn_norm.weight", D, 1);
		TL("attn_q.weight", D, D);
		TL("attn_k.weight", D, D / H * HKV);
		TL("attn_v.weight", D, D / H * HKV);
		TL("attn_output.weight", D, D);
		TL("ffn_norm.weight", D, 1);
		TL("ffn_gate.weight", D, FF);
		TL("ffn_up.weight", D, FF);
		TL("ffn_down.weight", FF, D);
	}
	T("output_norm.weight", D, 1);
	T("output.weight", D, V);
	return n;
}

/* binary16, round to nearest even (IEEE 754-2008 3.6); for Q8_0 scales. */
static uint16_t f32_to_f16(float f)
{
	uint32_t x;
	memcpy(&x, &f, 4);
	uint32_t sign = (x >> 16) & 0x8000, m = x & 0x7fffff, h, rem, half;
	int32_t e = (int32_t)((x >> 23) & 0xff) - 127 + 15;
	if (e >= 31)
		return (uint16_t)(sign | 0x7c00);
	if (e <= 0) {
		if (e < -10)
			return (uint16_t)sign;
		m |= 0x800000;
		uint32_t shift = (uint32_t)(14 - e);
		h = m >> shift;
		rem = m & ((1u << shift) - 1);
		half = 1u << (shift - 1);
	} else {
		h = (uint32_t)e << 10 | m >> 13;
		rem = m & 0x1fff;
		half = 0x1000;
	}
	if (rem > half || (rem == half && (h & 1)))
		h++;
	return (uint16_t)(sign | h);
}

/* ggml quantize_row_q8_0 (reference): d = max|x| / 127, q = round(x / d). */
static void write_q8_0_row(FILE *f, const float *x, size_t n)
{
	for (size_t b = 0; b < n / 32; b++) {
		float amax = 0;
		for (size_t i = 0; i < 32; i++)
			amax = fabsf(x[32 * b + i]) > amax ? fabsf(x[32 * b + i]) : amax;
		float d = amax / 127, id = d ? 1 / d : 0;
		uint16_t dh = f32_to_f16(d);
		int8_t q[32];
		for (size_t i = 0; i < 32; i++)
			q[i] = (int8_t)roundf(x[32 * b + i] * id);
		fwrite(&dh, 2, 1, f);
		fwrite(q, 1, 32, f);
	}
}

typedef enum { BIG_F32, BIG_Q8_0, BIG_Q4_K_M, BIG_F16 } big_kind_t;

enum { GGML_F32 = 0, GGML_F16 = 1, GGML_Q8_0 = 8, GGML_Q4_K = 12, GGML_Q6_K = 14 };

/* The ggml type of tensor t in a model of this kind (norms stay F32, as in
 * llama.cpp). */
static uint32_t big_type(const big_tensor_t *t, big_kind_t kind)
{
	if (t->ne1 == 1 || kind == BIG_F32)
		return GGML_F32;
	if (kind == BIG_Q8_0)
		return GGML_Q8_0;
	if (kind == BIG_F16)
		return GGML_F16;
	bool q6 = strstr(t->name, "attn_v") || strstr(t->name, "ffn_down") || !strcmp(t->name, "output.weight");
	return q6 ? GGML_Q6_K : GGML_Q4_K;
}

static uint64_t row_bytes(uint32_t type, uint64_t ne0)
{
	switch (type) {
	case GGML_Q8_0: return ne0 / 32 * 34;
	case GGML_Q4_K: return ne0 / 256 * 144;
	case GGML_Q6_K: return ne0 / 256 * 210;
	case GGML_F16: return ne0 * 2;
	default: return ne0 * 4;
	}
}

static uint8_t next_byte(writer_t *w)
{
	w->state ^= w->state << 13;
	w->state ^= w->state >> 7;
	w->state ^= w->state << 17;
	return (uint8_t)(w->state >> 56);
}

/* A row of random K-quant super-blocks whose weights have an RMS near 0.02
 * (like the F32 model's) and are centred on zero: Q4_K with dmin = 8 d and
 * m_j = round(sc_j * 7.5 / 8) (the mean of q * sc_j * d is 7.5 sc_j d), the
 * 6-bit values packed as ggml's get_scale_min_k4 reads them; Q6_K with
 * random int8 scales. */
static void write_kquant_row(writer_t *w, uint32_t type, uint64_t ne0)
{
	uint8_t blk[210];
	size_t bb = type == GGML_Q4_K ? 144 : 210;
	for (uint64_t b = 0; b < ne0 / 256; b++) {
		for (size_t i = 0; i < bb; i++)
			blk[i] = next_byte(w);
		if (type == GGML_Q6_K) {
			uint16_t d = f32_to_f16(1.5e-5f);
			memcpy(blk + 208, &d, 2);
		} else {
			uint8_t sc[8], m[8];
			for (int j = 0; j < 8; j++) {
				sc[j] = (uint8_t)(1 + next_byte(w) % 63);
				m[j] = (uint8_t)((sc[j] * 15 + 8) / 16);  /* round(sc * 7.5 / 8) */
			}
			uint16_t d = f32_to_f16(1.3e-4f), dmin = f32_to_f16(8 * 1.3e-4f);
			memcpy(blk, &d, 2);
			memcpy(blk + 2, &dmin, 2);
			for (int j = 0; j < 4; j++) {
				blk[4 + j] = (uint8_t)(sc[j] | (sc[j + 4] >> 4) << 6);
				blk[8 + j] = (uint8_t)(m[j] | (m[j + 4] >> 4) << 6);
				blk[12 + j] = (uint8_t)((sc[j + 4] & 15) | (m[j + 4] & 15) << 4);
			}
		}
		fwrite(blk, 1, bb, w->f);
	}
}

/* The random model as F32, Q8_0 or Q4_K_M-like. */
static int write_big_model(const char *path, big_kind_t kind)
{
	struct stat st;
	char tmp[256];
	if (stat(path, &st) == 0)
		return 0;
	mkdir("build/bench-ai", 0755);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	writer_t w = {fopen(tmp, "wb"), 0x9e3779b97f4a7c15ull};
	if (!w.f)
		return -1;
	static big_tensor_t t[4 + 9 * L];
	size_t nt = big_tensors(t);
	fwrite("GGUF", 1, 4, w.f);
	w_u32(&w, 3);
	w_u64(&w, nt);
	w_u64(&w, 12);
	w_str(&w, "general.architecture");
	w_u32(&w, 8);
	w_str(&w, "llama");
	w_kv_u32(&w, "llama.context_length", CTX);
	w_kv_u32(&w, "llama.embedding_length", D);
	w_kv_u32(&w, "llama.block_count", L);
	w_kv_u32(&w, "llama.feed_forward_length", FF);
	w_kv_u32(&w, "llama.attention.head_count", H);
	w_kv_u32(&w, "llama.attention.head_count_kv", HKV);
	w_str(&w, "tokenizer.ggml.model");
	w_u32(&w, 8);
	w_str(&w, "gpt2");
	w_str(&w, "tokenizer.ggml.pre");
	w_u32(&w, 8);
	w_str(&w, "gpt-2");
	w_str(&w, "tokenizer.ggml.tokens");
	w_u32(&w, 9);
	w_u32(&w, 8);
	w_u64(&w, V);
	for (int i = 0; i < V; i++) {
		char s[16];
		snprintf(s, sizeof s, "<%d>", i);
		w_str(&w, s);
	}
	w_kv_u32(&w, "tokenizer.ggml.bos_token_id", 1);
	w_kv_u32(&w, "tokenizer.ggml.eos_token_id", 2);
	uint64_t off = 0;
	for (size_t i = 0; i < nt; i++) {
		w_str(&w, t[i].name);
		w_u32(&w, t[i].ne1 == 1 ? 1 : 2);
		w_u64(&w, t[i].ne0);
		if (t[i].ne1 != 1)
			w_u64(&w, t[i].ne1);
		uint32_t type = big_type(&t[i], kind);
		w_u32(&w, type);
		w_u64(&w, off);
		off += (row_bytes(type, t[i].ne0) * t[i].ne1 + 31) / 32 * 32;
	}
	while (ftell(w.f) % 32)
		fputc(0, w.f);
	static float row[FF > V ? FF : V];
	for (size_t i = 0; i < nt; i++) {
		uint32_t type = big_type(&t[i], kind);
		for (uint64_t r = 0; r < t[i].ne1; r++) {
			if (type == GGML_Q4_K || type == GGML_Q6_K) {
				write_kquant_row(&w, type, t[i].ne0);
				continue;
			}
			for (uint64_t k = 0; k < t[i].ne0; k++) {
				w.state ^= w.state << 13;
				w.state ^= w.state >> 7;
				w.state ^= w.state << 17;
				row[k] = t[i].ne1 == 1 ? 1.0f : ((float)(w.state >> 40) / 16777216.0f - 0.5f) * 0.07f;
			}
			if (type == GGML_Q8_0) {
				write_q8_0_row(w.f, row, t[i].ne0);
			} else if (type == GGML_F16) {
				for (uint64_t k = 0; k < t[i].ne0; k++) {
					uint16_t hk = f32_to_f16(row[k]);
					fwrite(&hk, 2, 1, w.f);
				}
			} else
				fwrite(row, 4, t[i].ne0, w.f);
		}
		while (ftell(w.f) % 32)
			fputc(0, w.f);
	}
	fclose(w.f);
	return rename(tmp, path);
}

/* ---- model runs ---- */

typedef struct {
	double pp_tps, gen_tps;
	double pp_cpu_tps;  /* tokens per CPU-second (meaningful for one thread) */
	double bw_gbs;  /* best memory bandwidth measured between the runs */
	double bw_frac; /* median over tokens of (token bytes/s) / (bandwidth measured just before it) */
} speed_t;

static const uint64_t *g_bw_buf;

/* Best of REPS: the machine is shared, so each repetition also re-measures
 * the bandwidth baseline (same thread count) right before generating. */
#define REPS 5

static int run_model(const nc_ai_model_t *m, nc_ai_alloc_t *a, const nc_ai_pool_t *pool,
                     nc_ai_simd_t simd, speed_t *s)
{
	nc_ai_model_info_t h;
	nc_ai_model_get_info(m, &h);
	nc_ai_ctx_t *c;
	nc_ai_ctx_params_t p = {PP_TOKENS + GEN_TOKENS + 8, simd, pool};
	if (nc_ai_ctx_create(m, &p, a, &c))
		return -1;
	int32_t ids[PP_TOKENS];
	for (int i = 0; i < PP_TOKENS; i++)
		ids[i] = (int32_t)((i * 7919u + 13) % h.n_vocab);
	double best_pp = 1e9, best_gen = 1e9, best_pp_cpu = 1e9;
	size_t nt = pool ? pool->n_threads : 1;
	s->bw_gbs = 0;
	for (int rep = 0; rep < REPS; rep++) {
		double bw = measure_bandwidth(pool, nt, g_bw_buf);
		if (bw > s->bw_gbs)
			s->bw_gbs = bw;
		nc_ai_ctx_reset(c);
		double t0 = now_s(), c0 = bench_cpu_self();
		nc_ai_eval(c, ids, PP_TOKENS, NULL);
		double t1 = now_s(), c1 = bench_cpu_self();
		if (c1 - c0 < best_pp_cpu)
			best_pp_cpu = c1 - c0;
		for (int i = 0; i < GEN_TOKENS; i++)
			nc_ai_eval(c, &ids[i], 1, NULL);
		double t2 = now_s();
		if (t1 - t0 < best_pp)
			best_pp = t1 - t0;
		if (t2 - t1 < best_gen)
			best_gen = t2 - t1;
	}
	/* Paired fraction: before each generated token, a streaming sum over
	 * 128 MiB (beyond the caches) measures the bandwidth of that moment. */
	double fracs[GEN_TOKENS];
	nc_ai_ctx_reset(c);
	nc_ai_eval(c, ids, 8, NULL);
	for (int i = 0; i < GEN_TOKENS; i++) {
		double bw = measure_bandwidth_n(pool, nt, g_bw_buf, BW_PAIR_BYTES, NULL);
		double t0 = now_s();
		nc_ai_eval(c, &ids[i], 1, NULL);
		fracs[i] = (double)h.weight_bytes / (now_s() - t0) / 1e9 / bw;
	}
	qsort(fracs, GEN_TOKENS, sizeof fracs[0], cmp_double);
	s->bw_frac = fracs[GEN_TOKENS / 2];
	s->pp_tps = PP_TOKENS / best_pp;
	s->pp_cpu_tps = PP_TOKENS / best_pp_cpu;
	s->gen_tps = GEN_TOKENS / best_gen;
	nc_ai_ctx_destroy(c);
	return 0;
}

#define CACHE_BYTES (32u << 20)  /* models below this may run from the CPU caches (32 MiB of L3 here) */

/* Benchmark the model at path and print its lines; *one and *two (may be
 * NULL) receive the SIMD speeds on one and two threads (zero on failure). */
static void bench_model(const char *path, const nc_ai_pool_t *pool2, speed_t *one, speed_t *two)
{
	const void *img;
	size_t len;
	host_alloc_state_t st = {-1, 0, 0};
	nc_ai_alloc_t a = host_alloc(&st);
	nc_ai_model_t *m;
	if (!host_map_file(path, &img, &len) || nc_ai_model_open(img, len, &a, &m, NULL)) {
		printf("%s: cannot open\n", path);
		return;
	}
	nc_ai_model_info_t h;
	nc_ai_model_get_info(m, &h);
	speed_t port, s1, s2;
	run_model(m, &a, NULL, NC_AI_SIMD_PORTABLE, &port);
	run_model(m, &a, NULL, NC_AI_SIMD_AUTO, &s1);
	run_model(m, &a, pool2, NC_AI_SIMD_AUTO, &s2);
	double mb = h.weight_bytes / 1e6;
	const char *note = h.weight_bytes < CACHE_BYTES ? " (fits in cache)" : "";
	printf("%s: %.1fM params, %.1f MB read per generated token\n", path, h.n_params / 1e6, mb);
	printf("  portable 1 thread : pp %8.1f tok/s  gen %7.1f tok/s  (pp %8.1f tok per CPU-s)\n", port.pp_tps,
	       port.gen_tps, port.pp_cpu_tps);
	printf("  simd     1 thread : pp %8.1f tok per CPU-s = x%.2f of portable (CPU time)\n", s1.pp_cpu_tps,
	       s1.pp_cpu_tps / port.pp_cpu_tps);
	printf("  simd     1 thread : pp %8.1f tok/s  gen %7.1f tok/s  gen %6.2f GB/s = %3.0f%% of bandwidth "
	       "(paired median; %3.0f%% of the best %.1f GB/s)%s; pp x%.2f of portable\n", s1.pp_tps, s1.gen_tps,
	       s1.gen_tps * mb / 1e3, 100 * s1.bw_frac, 100 * s1.gen_tps * mb / 1e3 / s1.bw_gbs, s1.bw_gbs, note,
	       s1.pp_tps / port.pp_tps);
	printf("  simd     2 threads: pp %8.1f tok/s  gen %7.1f tok/s  gen %6.2f GB/s = %3.0f%% of bandwidth "
	       "(paired median; %3.0f%% of the best %.1f GB/s)%s; x%.2f pp, x%.2f gen of 1 thread\n", s2.pp_tps,
	       s2.gen_tps, s2.gen_tps * mb / 1e3, 100 * s2.bw_frac, 100 * s2.gen_tps * mb / 1e3 / s2.bw_gbs,
	       s2.bw_gbs, note, s2.pp_tps / s1.pp_tps, s2.gen_tps / s1.gen_tps);
	nc_ai_model_close(m);
	host_unmap_file(img, len);
	if (one)
		*one = s1;
	if (two)
		*two = s2;
}

/* ---- the matrix-product kernels alone ---- */

#define KERN_N 2048  /* a KERN_N x KERN_N matrix: F32 16 MiB (in L3), Q4_K 2.25 MiB */
#define KERN_REPS 20

/* Best time of KERN_REPS products of a random matrix of this type with n_vec
 * vectors (AVX2 kernels when the CPU has them), in seconds. */
static double time_matmul(nc_ggml_type_t type, size_t row_bytes, size_t n_vec, const float *x, void *xq,
                          float *y)
{
	uint8_t *w = malloc(row_bytes * KERN_N);
	if (!w)
		return 0;
	uint64_t st = 0x2545f4914f6cdd1dull;
	for (size_t i = 0; i < row_bytes * KERN_N; i++) {
		st ^= st << 13;
		st ^= st >> 7;
		st ^= st << 17;
		w[i] = (uint8_t)(st >> 56);
	}
	if (type == NC_GGML_F32)  /* small finite floats */
		for (size_t i = 0; i < (size_t)KERN_N * KERN_N; i++)
			((float *)(void *)w)[i] = (float)(w[4 * i] - 128) * 1e-4f;
	ai_mat_t m = {w, type, KERN_N, KERN_N, row_bytes};
	const ai_kernels_t *k = ai_cpu_has_avx2() ? &ai_kernels_avx2 : &ai_kernels_portable;
	double best = 1e9;
	for (int rep = 0; rep < KERN_REPS; rep++) {
		double t0 = now_s();
		ai_matmul(k, NULL, &m, x, n_vec, xq, y);
		if (now_s() - t0 < best)
			best = now_s() - t0;
	}
	free(w);
	return best;
}

/* Weights x vectors per second of each quantized type's matrix product as a
 * ratio of F32's, one thread, for 1 vector (generation) and 4 (a prompt
 * chunk's kernel call); the K-quant times include quantizing x. */
static void bench_kernels(void)
{
	static const struct {
		const char *name;
		nc_ggml_type_t type;
		size_t row_bytes;
	} t[] = {
		{"F32", NC_GGML_F32, KERN_N * 4}, {"Q8_0", NC_GGML_Q8_0, KERN_N / 32 * 34},
		{"Q2_K", NC_GGML_Q2_K, KERN_N / 256 * 84}, {"Q3_K", NC_GGML_Q3_K, KERN_N / 256 * 110},
		{"Q4_K", NC_GGML_Q4_K, KERN_N / 256 * 144}, {"Q5_K", NC_GGML_Q5_K, KERN_N / 256 * 176},
		{"Q6_K", NC_GGML_Q6_K, KERN_N / 256 * 210},
	};
	static float x[4 * KERN_N], y[4 * KERN_N];
	static float xq[AI_MATMUL_SCRATCH(KERN_N, 4) / sizeof(float)] __attribute__((aligned(64)));
	for (size_t i = 0; i < 4 * KERN_N; i++)
		x[i] = (float)(int)(i * 7919 % 2001 - 1000) / 1000.0f;
	printf("matrix-product kernels, %dx%d, one thread, best of %d (weights x vectors per ns; x of F32):\n",
	       KERN_N, KERN_N, KERN_REPS);
	for (size_t nv = 1; nv <= 4; nv += 3) {
		double f32 = 0;
		printf("  %zu vector%s:", nv, nv > 1 ? "s" : " ");
		for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
			double sec = time_matmul(t[i].type, t[i].row_bytes, nv, x, xq, y);
			if (!i)
				f32 = sec;
			printf("  %s %.1f x%.2f", t[i].name, (double)KERN_N * KERN_N * nv / sec / 1e9, f32 / sec);
		}
		printf("\n");
	}
}

/* Speed of model a as a ratio of model b's (same run). */
static void print_ratio(const char *a, const char *b, const speed_t s[2][2])
{
	if (!s[1][0].gen_tps || !s[1][1].gen_tps) {
		printf("%s vs %s: not measured\n", a, b);
		return;
	}
	printf("%s vs %s (ratio of speeds): 1 thread pp x%.2f gen x%.2f; 2 threads pp x%.2f gen x%.2f\n", a, b,
	       s[0][0].pp_tps / s[1][0].pp_tps, s[0][0].gen_tps / s[1][0].gen_tps, s[0][1].pp_tps / s[1][1].pp_tps,
	       s[0][1].gen_tps / s[1][1].gen_tps);
}

/* [model][threads - 1] */
static void bench_pair(const char *a, const char *b, const nc_ai_pool_t *pool2, speed_t s[2][2])
{
	bench_model(a, pool2, &s[0][0], &s[0][1]);
	bench_model(b, pool2, &s[1][0], &s[1][1]);
	print_ratio(a, b, (const speed_t(*)[2])s);
}

/* ---- the issue-23 table: 100M model in four types, 1 and 2 threads ---- */

/* FMA peak: 12 independent chains of FMAs per thread (enough to cover the
 * latency on two FMA ports), 16 lanes (AVX-512) or 8 (AVX2), 2 FLOPs each.
 * The chains start from different values: equal ones were merged into one
 * by the compiler, which made a "peak" of a twelfth of the real one look 12
 * times faster than it ran. */
#define PEAK_ITERS 4000000u

/* A function running the 12 chains with vector type T and its intrinsics. */
#define FMA_CHAINS(name, isa, T, set1, fmadd, add)                                                      \
	__attribute__((target(isa))) static float name(void)                                            \
	{                                                                                               \
		T m = set1(0.9999999f), c = set1(1e-7f), a0 = set1(1.0f), a1 = set1(1.1f), a2 = set1(1.2f), \
		  a3 = set1(1.3f), a4 = set1(1.4f), a5 = set1(1.5f), a6 = set1(1.6f), a7 = set1(1.7f),      \
		  a8 = set1(1.8f), a9 = set1(1.9f), a10 = set1(2.0f), a11 = set1(2.1f);                     \
		for (unsigned i = 0; i < PEAK_ITERS; i++) {                                              \
			a0 = fmadd(a0, m, c); a1 = fmadd(a1, m, c); a2 = fmadd(a2, m, c);                \
			a3 = fmadd(a3, m, c); a4 = fmadd(a4, m, c); a5 = fmadd(a5, m, c);                \
			a6 = fmadd(a6, m, c); a7 = fmadd(a7, m, c); a8 = fmadd(a8, m, c);                \
			a9 = fmadd(a9, m, c); a10 = fmadd(a10, m, c); a11 = fmadd(a11, m, c);            \
		}                                                                                        \
		T sum = add(add(add(add(a0, a1), add(a2, a3)), add(add(a4, a5), add(a6, a7))),           \
		            add(add(a8, a9), add(a10, a11)));                                            \
		return sum[0];                                                                           \
	}

FMA_CHAINS(fma_chains_512, "avx512f", __m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps)
FMA_CHAINS(fma_chains_256, "avx2,fma", __m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps)

static float g_fma_sink;

static void fma_task(void *arg, size_t i, size_t n)
{
	(void)i;
	(void)n;
	g_fma_sink += *(const bool *)arg ? fma_chains_512() : fma_chains_256();
}

/* Best of 3 FMA-loop rates on n_threads threads, in GFLOP/s of wall time;
 * *per_cpu_s (may be NULL; one thread) gets the best rate per CPU-second, the
 * peak the prompt's CPU-time rate is compared with (wall time counts what
 * other programs take of the core). */
static double measure_peak(const nc_ai_pool_t *pool, size_t n_threads, bool avx512, double *per_cpu_s)
{
	double best = 0, best_cpu = 0, gflop = (double)PEAK_ITERS * 12 * (avx512 ? 16 : 8) * 2 * n_threads / 1e9;
	for (int rep = 0; rep < 3; rep++) {
		double t0 = now_s(), c0 = bench_cpu_self();
		if (pool)
			pool->run(pool->ctx, fma_task, &avx512, n_threads);
		else
			fma_task(&avx512, 0, 1);
		double wall = gflop / (now_s() - t0), cpu = gflop / (bench_cpu_self() - c0);
		best = wall > best ? wall : best;
		best_cpu = cpu > best_cpu ? cpu : best_cpu;
	}
	if (per_cpu_s)
		*per_cpu_s = best_cpu;
	return best;
}

/* What one pool job costs the caller: jobs of n_threads empty tasks, back
 * to back (the workers still spinning) and each after IDLE_US of the
 * caller's own work (the workers asleep by then: a wake-up per job). Best of
 * 3, microseconds per job. Generation waits on the pool about 4 times per
 * layer per token. */
#define JOB_COUNT 20000
#define IDLE_US 50.0

static void empty_task(void *arg, size_t i, size_t n)
{
	(void)arg;
	(void)i;
	(void)n;
}

static void measure_job_cost(const nc_ai_pool_t *pool, double *back_to_back_us, double *after_idle_us)
{
	*back_to_back_us = *after_idle_us = 1e9;
	for (int rep = 0; rep < 3; rep++) {
		double t0 = now_s();
		for (int i = 0; i < JOB_COUNT; i++)
			pool->run(pool->ctx, empty_task, NULL, pool->n_threads);
		double us = (now_s() - t0) * 1e6 / JOB_COUNT, in_jobs = 0;
		*back_to_back_us = us < *back_to_back_us ? us : *back_to_back_us;
		for (int i = 0; i < JOB_COUNT / 10; i++) {
			double b0 = now_s();
			while (now_s() - b0 < IDLE_US * 1e-6)
				;
			t0 = now_s();
			pool->run(pool->ctx, empty_task, NULL, pool->n_threads);
			in_jobs += now_s() - t0;
		}
		us = in_jobs * 1e6 / (JOB_COUNT / 10);
		*after_idle_us = us < *after_idle_us ? us : *after_idle_us;
	}
}

#define LAYER_MACS ((double)L * (2.0 * D * D + 2.0 * D * (D / H * HKV) + 3.0 * D * FF))  /* per token */
#define TABLE_PP 128
#define TABLE_TG 64
#define TABLE_REPS 3
#define TABLE_TYPES 4

/* A tg run against the bandwidth on the same threads measured right before
 * and right after it (the mean of the two), as measured and without the
 * calling thread's run-queue wait (the time other programs held its CPU:
 * what is left is its work and its waits for the other threads). */
typedef struct {
	double of_bw;          /* tg bytes/s over the bandwidth */
	double wait;           /* share of our threads' time spent waiting for a CPU */
	double tok_s_unwaited; /* tg tokens over the calling thread's time without its wait */
	double of_bw_unwaited; /* the same over the bandwidth without its wait */
} tg_meas_t;

typedef struct {
	const char *path, *type;
	const void *img;
	size_t len;
	nc_ai_model_t *m;
	nc_ai_model_info_t h;
	double pp[2][TABLE_REPS], tg[2][TABLE_REPS];  /* tok/s per thread count and run */
	double pp_cpu[TABLE_REPS];                     /* 1 thread: prompt tokens per CPU-second */
	tg_meas_t tg_m[2][TABLE_REPS];
} table_model_t;

static double median3(const double *v)
{
	double a = v[0], b = v[1], c = v[2];
	return a > b ? (b > c ? b : a > c ? c : a) : (a > c ? a : b > c ? c : b);
}

/* One pp run (TABLE_PP tokens in one call) and one tg run (TABLE_TG one at a
 * time, measured into *m), each from an empty context, as llama-bench and
 * nc-ai bench do. */
static int table_run(table_model_t *t, nc_ai_alloc_t *a, const nc_ai_pool_t *pool, double *pp, double *pp_cpu,
                     double *tg, tg_meas_t *m)
{
	nc_ai_ctx_params_t p = {TABLE_PP, NC_AI_SIMD_AUTO, pool};
	nc_ai_ctx_t *c;
	if (nc_ai_ctx_create(t->m, &p, a, &c))
		return -1;
	int32_t ids[TABLE_PP];
	for (int i = 0; i < TABLE_PP; i++)
		ids[i] = (int32_t)((i * 7919u + 13) % t->h.n_vocab);
	double t0 = now_s(), c0 = bench_cpu_self();
	nc_ai_eval(c, ids, TABLE_PP, NULL);
	*pp = TABLE_PP / (now_s() - t0);
	*pp_cpu = TABLE_PP / (bench_cpu_self() - c0);
	nc_ai_ctx_reset(c);
	size_t n_threads = pool ? pool->n_threads : 1;
	size_t bw_bytes = t->h.weight_bytes < BW_BYTES ? (size_t)t->h.weight_bytes : BW_BYTES;  /* the weights' size */
	double bw_u[2], bw[2] = {measure_bandwidth_n(pool, n_threads, g_bw_buf, bw_bytes, &bw_u[0])};
	double w0 = bench_cpu_wait_self(), wt0 = bench_cpu_wait_thread();
	t0 = now_s();
	for (int i = 0; i < TABLE_TG; i++)
		nc_ai_eval(c, &ids[i], 1, NULL);
	double wall = now_s() - t0, wall_u = wall - (bench_cpu_wait_thread() - wt0);
	m->wait = (bench_cpu_wait_self() - w0) / (wall * (double)n_threads);
	bw[1] = measure_bandwidth_n(pool, n_threads, g_bw_buf, bw_bytes, &bw_u[1]);
	double gb = TABLE_TG * (double)t->h.weight_bytes / 1e9;
	*tg = TABLE_TG / wall;
	m->of_bw = gb / wall / ((bw[0] + bw[1]) / 2);
	m->tok_s_unwaited = TABLE_TG / wall_u;
	m->of_bw_unwaited = gb / wall_u / ((bw_u[0] + bw_u[1]) / 2);
	nc_ai_ctx_destroy(c);
	return 0;
}

/* The table of issue 23: for the 100M model in F32, F16, Q8_0 and Q4_K_M on
 * 1 and 2 threads, generation (tg64) against the memory bandwidth and prompt
 * processing (pp128) against the FMA peak, both measured in this run; every
 * cell is the median of TABLE_REPS runs, the runs interleaved over all cells
 * (after one warm-up round) so a change of the machine's load spreads over
 * all of them. FLOPs of a prompt token: 2 per weight of the layers'
 * matrices (LAYER_MACS); the output matrix is left out (a prompt computes
 * logits for one token per chunk, as llama.cpp does), and attention's own
 * products (about 1.5% more at 128 positions) too.
 * On one thread the prompt is also timed in CPU seconds, which other
 * programs on the machine do not stretch. Generation is paired with the
 * bandwidth measured around each run (tg_meas_t) on a buffer of the size of
 * the model's weights (what a token streams), also without the calling
 * thread's run-queue wait, and the share of our threads' time spent waiting
 * for a CPU says how much of a row the load decided. */
static void bench_table(const nc_ai_pool_t *pool2)
{
	static table_model_t t[TABLE_TYPES];
	static const char *const paths[TABLE_TYPES] = {BIG_PATH, BIG_F16_PATH, BIG_Q8_PATH, BIG_Q4KM_PATH};
	static const char *const types[TABLE_TYPES] = {"F32", "F16", "Q8_0", "Q4_K_M"};
	static const big_kind_t kinds[TABLE_TYPES] = {BIG_F32, BIG_F16, BIG_Q8_0, BIG_Q4_K_M};
	host_alloc_state_t st = {-1, 0, 0};
	nc_ai_alloc_t a = host_alloc(&st);
	bool avx512 = ai_cpu_has_avx512();
	double bw[2] = {measure_bandwidth(NULL, 1, g_bw_buf), measure_bandwidth(pool2, 2, g_bw_buf)};
	double peak_cpu, peak[2] = {measure_peak(NULL, 1, avx512, &peak_cpu), measure_peak(pool2, 2, avx512, NULL)};
	double job_us, job_idle_us;
	measure_job_cost(pool2, &job_us, &job_idle_us);
	for (size_t i = 0; i < TABLE_TYPES; i++) {
		t[i].path = paths[i];
		t[i].type = types[i];
	}
	for (size_t i = 0; i < TABLE_TYPES; i++)
		if (write_big_model(t[i].path, kinds[i]) || !host_map_file(t[i].path, &t[i].img, &t[i].len) ||
		    nc_ai_model_open(t[i].img, t[i].len, &a, &t[i].m, NULL)) {
			printf("%s: cannot write or open\n", t[i].path);
			return;
		}
	for (size_t i = 0; i < TABLE_TYPES; i++)
		nc_ai_model_get_info(t[i].m, &t[i].h);
	for (int rep = -1; rep < TABLE_REPS; rep++)  /* rep -1: warm-up (page faults, caches) */
		for (size_t th = 0; th < 2; th++)
			for (size_t i = 0; i < TABLE_TYPES; i++) {
				double pp, pp_cpu, tg;
				tg_meas_t tg_m;
				if (table_run(&t[i], &a, th ? pool2 : NULL, &pp, &pp_cpu, &tg, &tg_m))
					return;
				if (rep >= 0) {
					t[i].pp[th][rep] = pp;
					t[i].tg[th][rep] = tg;
					t[i].tg_m[th][rep] = tg_m;
					if (!th)
						t[i].pp_cpu[rep] = pp_cpu;
				}
			}
	printf("baselines measured in this run: memory read bandwidth %.1f GB/s (1 thread), %.1f GB/s (2 threads); "
	       "FMA peak (%s) %.0f GFLOP/s (1 thread; %.0f per CPU-second), %.0f GFLOP/s (2 threads); "
	       "a pool job (2 threads) %.2f us back to back, %.2f us after %.0f us idle\n", bw[0], bw[1],
	       avx512 ? "AVX-512" : "AVX2", peak[0], peak_cpu, peak[1], job_us, job_idle_us, IDLE_US);
	printf("random %.0fM-parameter llama (n_embd %d, %d layers, n_ff %d), kernels %s; median of %d interleaved runs\n",
	       t[0].h.n_params / 1e6, D, L, FF, avx512 ? "avx512" : "avx2", TABLE_REPS);
	printf("| type | threads | tg%d tok/s | tg GB/s | of bandwidth | waited for a CPU | tg tok/s, wait removed | "
	       "of bandwidth, wait removed | pp%d tok/s | pp GFLOP/s | of FMA peak | of peak in CPU time |\n", TABLE_TG,
	       TABLE_PP);
	printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (size_t i = 0; i < TABLE_TYPES; i++)
		for (size_t th = 0; th < 2; th++) {
			double tg = median3(t[i].tg[th]), pp = median3(t[i].pp[th]), v[4][TABLE_REPS];
			for (int r = 0; r < TABLE_REPS; r++) {
				const tg_meas_t *m = &t[i].tg_m[th][r];
				v[0][r] = m->of_bw, v[1][r] = m->wait, v[2][r] = m->tok_s_unwaited, v[3][r] = m->of_bw_unwaited;
			}
			double flops = 2.0 * LAYER_MACS / 1e9;
			char cpu[32] = "-";  /* CPU time: one thread only (two would count the pool's waits) */
			if (!th)
				snprintf(cpu, sizeof cpu, "%.0f%%", 100 * median3(t[i].pp_cpu) * flops / peak_cpu);
			printf("| %s | %zu | %.1f | %.1f | %.0f%% | %.0f%% | %.1f | %.0f%% | %.1f | %.1f | %.0f%% | %s |\n", t[i].type,
			       th + 1, tg, tg * t[i].h.weight_bytes / 1e9, 100 * median3(v[0]), 100 * median3(v[1]), median3(v[2]),
			       100 * median3(v[3]), pp, pp * flops, 100 * pp * flops / peak[th], cpu);
		}
	for (size_t i = 0; i < TABLE_TYPES; i++) {
		nc_ai_model_close(t[i].m);
		host_unmap_file(t[i].img, t[i].len);
	}
}

int main(int argc, char **argv)
{
	bool quick = argc > 1 && !strcmp(argv[1], "--quick");
	bool kquant = argc > 1 && !strcmp(argv[1], "--kquant");
	bool detail = argc > 1 && !strcmp(argv[1], "--detail");
	if (argc > 1 && !strcmp(argv[1], "--models"))  /* only write the random models */
		return write_big_model(BIG_PATH, BIG_F32) || write_big_model(BIG_F16_PATH, BIG_F16) ||
		       write_big_model(BIG_Q8_PATH, BIG_Q8_0) || write_big_model(BIG_Q4KM_PATH, BIG_Q4_K_M);
	host_pool_t *hp;
	nc_ai_pool_t pool;
	if (!host_pool_create(2, &hp, &pool))
		return 1;
	uint64_t *buf = aligned_alloc(64, BW_BYTES);
	if (!buf)
		return 1;
	for (size_t i = 0; i < BW_BYTES / 8; i++)
		buf[i] = i;
	g_bw_buf = buf;
	if (!quick && !kquant && !detail) {  /* make bench: the table and the kernels alone */
		bench_table(&pool);
		bench_kernels();
		free(buf);
		host_pool_destroy(hp);
		return 0;
	}
	printf("baseline: memory read bandwidth, re-measured before each run (streaming sum over 512 MiB)\n");
	printf("(pp: %d-token prompt; gen: %d tokens one at a time; best of %d)\n", PP_TOKENS, GEN_TOKENS, REPS);
	static const char *const tiny[] = {
		"tools/models/tiny-llama-f32.gguf", "tools/models/tiny-llama-q8_0.gguf",
		"tools/models/tiny-llama-q4_0.gguf", "tools/models/tiny-moe-f32.gguf",
		"tools/models/tiny-moe-q8_0.gguf",
	};
	for (size_t i = 0; !kquant && i < sizeof tiny / sizeof tiny[0]; i++)
		bench_model(tiny[i], &pool, NULL, NULL);
	bench_kernels();
	/* the same random weights as K-quants and as F32 (tests/lib/ai/make_kquant_model.py) */
	speed_t kq[2][2], big[3][2];
	bench_pair("build/ai-kquant/kq-mixed.gguf", "build/ai-kquant/kq-f32.gguf", &pool, kq);
	static const char *const big_paths[] = {BIG_Q4KM_PATH, BIG_PATH, BIG_Q8_PATH};
	static const big_kind_t big_kinds[] = {BIG_Q4_K_M, BIG_F32, BIG_Q8_0};
	memset(big, 0, sizeof big);
	for (size_t i = 0; !quick && i < 3; i++) {
		if (write_big_model(big_paths[i], big_kinds[i]))
			printf("cannot write %s\n", big_paths[i]);
		else
			bench_model(big_paths[i], &pool, &big[i][0], &big[i][1]);
	}
	for (size_t i = 1; !quick && i < 3; i++) {
		speed_t pair[2][2] = {{big[0][0], big[0][1]}, {big[i][0], big[i][1]}};
		print_ratio(BIG_Q4KM_PATH, big_paths[i], (const speed_t(*)[2])pair);
	}
	free(buf);
	host_pool_destroy(hp);
	return 0;
}
