/* Number conversions and dot kernels. Expected values: binary16/bfloat16
 * encodings worked out by hand from IEEE 754-2008 3.6; dot products against a
 * plain double-precision loop over the block formats as ggml documents them
 * (half-precision weights decoded by the test's own formula,
 * sign * 2^(e - bias) * (1 + m / 2^bits), not by the library's converters).
 * The AVX2 kernels (when the CPU has AVX2) must agree with the portable ones. */
#include "../../../lib/ai/ai_int.h"

#include <nc/ai_math.h>
#include <nc/mem.h>
#include <nc_test.h>

NC_TEST(ai_kern, f16_and_bf16_conversion)
{
	NC_CHECK(ai_f16_to_f32(0x3c00) == 1.0f);
	NC_CHECK(ai_f16_to_f32(0xc000) == -2.0f);
	NC_CHECK(ai_f16_to_f32(0x3555) == 0.333251953125f);
	NC_CHECK(ai_f16_to_f32(0x7bff) == 65504.0f);
	NC_CHECK(ai_f16_to_f32(0x0001) == 5.9604644775390625e-8f);  /* smallest subnormal */
	NC_CHECK(ai_f16_to_f32(0x03ff) == 6.0975551605224609375e-5f);  /* largest subnormal */
	NC_CHECK(ai_f16_to_f32(0x7c00) > 1e38f);
	float nan = ai_f16_to_f32(0x7e00);
	NC_CHECK(nan != nan);
	NC_CHECK(ai_f16_to_f32(0x8000) == 0.0f);
	NC_CHECK(ai_bf16_to_f32(0x3f80) == 1.0f);
	NC_CHECK(ai_bf16_to_f32(0xc0a0) == -5.0f);
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

#define N 96  /* three blocks */

static void make_rows(uint8_t *f32_row, uint8_t *q8_row, uint8_t *q4_row, float *x, size_t nx)
{
	uint32_t s = 12345;
	float *w = (float *)(void *)f32_row;
	for (size_t i = 0; i < N; i++)
		w[i] = (float)((int)(lcg(&s) % 2001) - 1000) / 997.0f;
	for (size_t b = 0; b < N / AI_QK; b++) {
		uint8_t *q8 = q8_row + b * AI_Q8_0_BYTES, *q4 = q4_row + b * AI_Q4_0_BYTES;
		q8[0] = 0x00; q8[1] = 0x2c;   /* d = 0.0625 */
		q4[0] = 0x00; q4[1] = 0x38;   /* d = 0.5 */
		for (size_t j = 0; j < AI_QK; j++)
			q8[2 + j] = (uint8_t)(lcg(&s) & 0xff);
		for (size_t j = 0; j < AI_QK / 2; j++)
			q4[2 + j] = (uint8_t)(lcg(&s) & 0xff);
	}
	for (size_t i = 0; i < nx * N; i++)
		x[i] = (float)((int)(lcg(&s) % 2001) - 1000) / 500.0f;
}

static double ref_dot(const uint8_t *row, int type, const float *x)
{
	double s = 0;
	for (size_t i = 0; i < N; i++) {
		size_t b = i / AI_QK, j = i % AI_QK;
		double w;
		if (type == 0) {
			w = ((const float *)(const void *)row)[i];
		} else if (type == 8) {
			w = 0.0625 * (int8_t)row[b * AI_Q8_0_BYTES + 2 + j];
		} else {
			uint8_t byte = row[b * AI_Q4_0_BYTES + 2 + j % 16];
			w = 0.5 * ((j < 16 ? byte & 15 : byte >> 4) - 8);
		}
		s += w * x[i];
	}
	return s;
}

static bool close_to(float got, double want)
{
	double d = got - want;
	return (d < 0 ? -d : d) < 1e-4 * (1 + (want < 0 ? -want : want));
}

static bool check_kernels(const ai_kernels_t *k)
{
	static uint8_t f32_row[N * 4] __attribute__((aligned(32)));
	static uint8_t q8_row[N / AI_QK * AI_Q8_0_BYTES], q4_row[N / AI_QK * AI_Q4_0_BYTES];
	static float x[AI_DOT_MAX_VEC * N];
	make_rows(f32_row, q8_row, q4_row, x, AI_DOT_MAX_VEC);
	for (size_t nv = 1; nv <= AI_DOT_MAX_VEC; nv++) {
		float out[AI_DOT_MAX_VEC];
		k->dot(NC_GGML_F32, f32_row, x, N, nv, N, out);
		for (size_t v = 0; v < nv; v++)
			if (!close_to(out[v], ref_dot(f32_row, 0, x + v * N)))
				return false;
		k->dot(NC_GGML_F32, f32_row, x, N, nv, N - 5, out);  /* a length that is not a multiple of 8 */
		for (size_t v = 0; v < nv; v++) {
			double want = 0;
			for (size_t i = 0; i < N - 5; i++)
				want += (double)((const float *)(const void *)f32_row)[i] * x[v * N + i];
			if (!close_to(out[v], want))
				return false;
		}
		k->dot(NC_GGML_Q8_0, q8_row, x, N, nv, N, out);
		for (size_t v = 0; v < nv; v++)
			if (!close_to(out[v], ref_dot(q8_row, 8, x + v * N)))
				return false;
		k->dot(NC_GGML_Q4_0, q4_row, x, N, nv, N, out);
		for (size_t v = 0; v < nv; v++)
			if (!close_to(out[v], ref_dot(q4_row, 2, x + v * N)))
				return false;
	}
	return true;
}

NC_TEST(ai_kern, portable_dots_match_reference)
{
	NC_CHECK(check_kernels(&ai_kernels_portable));
}

NC_TEST(ai_kern, avx2_dots_match_reference)
{
	if (!ai_cpu_has_avx2()) {
		nc_test_note("CPU without AVX2: only the portable kernels run here");
		return;
	}
	NC_CHECK(check_kernels(&ai_kernels_avx2));
}

NC_TEST(ai_kern, avx512_dots_match_reference)
{
	if (!ai_cpu_has_avx512()) {
		nc_test_note("CPU without AVX-512: its kernels are not run here");
		return;
	}
	NC_CHECK(check_kernels(&ai_kernels_avx512));
}

NC_TEST(ai_kern, get_row_dequantizes)
{
	static uint8_t q4[AI_Q4_0_BYTES] = {0x00, 0x3c};  /* d = 1 */
	float out[AI_QK];
	q4[2] = 0x9f;  /* element 0: 15-8 = 7; element 16: 9-8 = 1 */
	ai_mat_t m = {q4, NC_GGML_Q4_0, AI_QK, 1, AI_Q4_0_BYTES};
	ai_mat_get_row(&m, 0, out);
	NC_CHECK(out[0] == 7.0f);
	NC_CHECK(out[16] == 1.0f);
	NC_CHECK(out[1] == -8.0f);
}

/* Half-precision rows: 4 rows of N weights each as F16 and as BF16 with
 * random signs, mantissas and exponents 2^-5 .. 2^5 (normal numbers), and
 * their values from the format's definition. */
#define HROWS 4
static uint8_t f16_rows[HROWS * N * 2], bf16_rows[HROWS * N * 2];
static double f16_val[HROWS * N], bf16_val[HROWS * N];

static double pow2(int e)
{
	double p = 1;
	for (; e > 0; e--)
		p *= 2;
	for (; e < 0; e++)
		p /= 2;
	return p;
}

/* A random F16 weight and a BF16 one of the same sign and exponent at
 * f16[0..1], bf16[0..1] (little-endian), with their values. */
static void half_pair(uint32_t *s, uint8_t *f16, uint8_t *bf16, double *f16_v, double *bf16_v)
{
	uint32_t sign = lcg(s) & 1, e = 10 + lcg(s) % 11, m = lcg(s) & 0x3ff, mb = lcg(s) & 0x7f;
	uint16_t h = (uint16_t)(sign << 15 | e << 10 | m), b = (uint16_t)(sign << 15 | (e + 112) << 7 | mb);
	f16[0] = (uint8_t)h;
	f16[1] = (uint8_t)(h >> 8);
	bf16[0] = (uint8_t)b;
	bf16[1] = (uint8_t)(b >> 8);
	*f16_v = (sign ? -1 : 1) * pow2((int)e - 15) * (1 + m / 1024.0);
	*bf16_v = (sign ? -1 : 1) * pow2((int)e - 15) * (1 + mb / 128.0);
}

static void make_half_rows(void)
{
	uint32_t s = 4242;
	for (size_t i = 0; i < HROWS * N; i++)
		half_pair(&s, f16_rows + 2 * i, bf16_rows + 2 * i, &f16_val[i], &bf16_val[i]);
}

static double ref_half(const double *w, const float *x, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += w[i] * x[i];
	return s;
}

static bool check_half(const ai_kernels_t *k)
{
	static float x[AI_DOT_MAX_VEC * N];
	uint32_t s = 99;
	for (size_t i = 0; i < AI_DOT_MAX_VEC * N; i++)
		x[i] = (float)((int)(lcg(&s) % 2001) - 1000) / 500.0f;
	make_half_rows();
	bool ok = true;
	for (size_t n = N - 5; n <= N; n += 5)
		for (size_t nv = 1; nv <= AI_DOT_MAX_VEC; nv++) {
			float o16[AI_DOT_MAX_VEC], ob[AI_DOT_MAX_VEC];
			k->dot(NC_GGML_F16, f16_rows, x, N, nv, n, o16);
			k->dot(NC_GGML_BF16, bf16_rows, x, N, nv, n, ob);
			for (size_t v = 0; v < nv; v++) {
				ok &= close_to(o16[v], ref_half(f16_val, x + v * N, n));
				ok &= close_to(ob[v], ref_half(bf16_val, x + v * N, n));
			}
		}
	return ok;
}

/* check on the portable kernels and on each SIMD table the CPU runs. */
static bool on_every_table(bool (*check)(const ai_kernels_t *k))
{
	bool ok = check(&ai_kernels_portable);
	if (ai_cpu_has_avx2())
		ok &= check(&ai_kernels_avx2);
	if (ai_cpu_has_avx512())
		ok &= check(&ai_kernels_avx512);
	return ok;
}

NC_TEST(ai_kern, half_precision_dots_match_reference)
{
	NC_CHECK(on_every_table(check_half));
	float row[N];
	ai_mat_t m16 = {f16_rows, NC_GGML_F16, N, HROWS, N * 2}, mb = {bf16_rows, NC_GGML_BF16, N, HROWS, N * 2};
	ai_mat_get_row(&m16, 1, row);
	for (size_t i = 0; i < N; i++)
		NC_CHECK(row[i] == (float)f16_val[N + i]);
	ai_mat_get_row(&mb, 1, row);
	for (size_t i = 0; i < N; i++)
		NC_CHECK(row[i] == (float)bf16_val[N + i]);
}

/* Rows of n weights of type t (F32, F16, BF16, Q8_0 with d = 0.0625,
 * Q4_0 with d = 0.5; n a multiple of AI_QK) and their values in double from
 * the formats' definitions (val[r * n + i]); returns the row size in bytes.
 * K-quants (n a multiple of AI_QK_K): random super-blocks with small
 * scales, valued by the portable dequantization (kquant_test checks it
 * against its own decoder). */
static size_t typed_rows(nc_ggml_type_t t, size_t n_rows, size_t n, uint8_t *rows, double *val)
{
	uint32_t s = 31337;
	size_t rb = t == NC_GGML_F32 ? n * 4 : t == NC_GGML_Q8_0 ? n / AI_QK * AI_Q8_0_BYTES
	          : t == NC_GGML_Q4_0 ? n / AI_QK * AI_Q4_0_BYTES : n * 2;
	if (ai_type_is_kquant(t)) {
		size_t bb = ai_kquant_block_bytes(t), d_at = t == NC_GGML_Q6_K ? 208 : 0;
		static float row[1024];
		rb = n / AI_QK_K * bb;
		for (size_t i = 0; i < n_rows * rb; i++)
			rows[i] = (uint8_t)lcg(&s);
		for (size_t r = 0; r < n_rows; r++) {
			for (size_t b = 0; b < n / AI_QK_K; b++) {  /* d (and Q4_K's dmin) = 2^-10 .. 2^-9 */
				uint8_t *blk = rows + r * rb + b * bb;
				blk[d_at + 1] = (uint8_t)(0x14 + lcg(&s) % 8);
				blk[3] = t == NC_GGML_Q4_K ? (uint8_t)(0x14 + lcg(&s) % 8) : blk[3];
			}
			ai_mat_t m = {rows, t, (uint32_t)n, (uint32_t)n_rows, rb};
			ai_mat_get_row(&m, r, row);
			for (size_t i = 0; i < n; i++)
				val[r * n + i] = row[i];
		}
		return rb;
	}
	for (size_t r = 0; r < n_rows; r++) {
		uint8_t *row = rows + r * rb;
		for (size_t i = 0; i < n; i++) {
			size_t b = i / AI_QK, j = i % AI_QK;
			uint8_t other[2];
			double other_v;
			if (t == NC_GGML_F32) {
				float f = (float)((int)(lcg(&s) % 2001) - 1000) / 997.0f;
				nc_mem_copy(row + 4 * i, &f, 4);
				val[r * n + i] = f;
			} else if (t == NC_GGML_F16) {
				half_pair(&s, row + 2 * i, other, &val[r * n + i], &other_v);
			} else if (t == NC_GGML_BF16) {
				half_pair(&s, other, row + 2 * i, &other_v, &val[r * n + i]);
			} else if (t == NC_GGML_Q8_0) {
				uint8_t *blk = row + b * AI_Q8_0_BYTES;
				blk[0] = 0x00; blk[1] = 0x2c;  /* d = 0.0625 */
				blk[2 + j] = (uint8_t)lcg(&s);
				val[r * n + i] = 0.0625 * (int8_t)blk[2 + j];
			} else {
				uint8_t *blk = row + b * AI_Q4_0_BYTES;
				blk[0] = 0x00; blk[1] = 0x38;  /* d = 0.5 */
				if (j < AI_QK / 2)
					blk[2 + j] = (uint8_t)lcg(&s);
				uint8_t byte = blk[2 + j % 16];
				val[r * n + i] = 0.5 * ((j < 16 ? byte & 15 : byte >> 4) - 8);
			}
		}
	}
	return rb;
}

/* Register tiles (the AVX2 table's, every type it lists): tile_rows rows
 * of N weights (float types also N - 3: a tail) against tile_vecs vectors,
 * each output against the rows' values in double. */
#define TILE_MAX_ROWS 4
#define TILE_MAX_VECS 6

static bool check_tiles(const ai_kernels_t *k)
{
	static uint8_t rows[TILE_MAX_ROWS * N * 4];
	static double val[TILE_MAX_ROWS * N];
	static float x[TILE_MAX_VECS * N];
	uint32_t s = 5;
	bool ok = k->tile_rows <= TILE_MAX_ROWS && k->tile_vecs <= TILE_MAX_VECS;
	for (size_t i = 0; i < TILE_MAX_VECS * N; i++)
		x[i] = (float)((int)(lcg(&s) % 2001) - 1000) / 333.0f;
	for (uint32_t t = 0; ok && t < 32; t++) {
		if (!(k->tile_types >> t & 1))
			continue;
		size_t rb = typed_rows((nc_ggml_type_t)t, TILE_MAX_ROWS, N, rows, val);
		bool quant = t == NC_GGML_Q8_0 || t == NC_GGML_Q4_0;
		for (size_t n = quant ? N : N - 3; n <= N; n += 3) {
			float y[TILE_MAX_ROWS * TILE_MAX_VECS];
			k->tile((nc_ggml_type_t)t, rows, rb, x, N, n, y, k->tile_rows);
			for (size_t r = 0; r < k->tile_rows; r++)
				for (size_t v = 0; v < k->tile_vecs; v++)
					if (!close_to(y[v * k->tile_rows + r], ref_half(val + r * N, x + v * N, n))) {
						nc_test_note("%s tile, type %u, n %zu: row %zu vector %zu", k->name, t, n, r, v);
						ok = false;
					}
		}
	}
	return ok;
}

NC_TEST(ai_kern, tiles_match_reference)
{
	if (ai_cpu_has_avx2())
		NC_CHECK(check_tiles(&ai_kernels_avx2));
	else
		nc_test_note("CPU without AVX2: its tile is not run here");
}

/* The gemm kernel (AVX-512), every type it lists: GEMM_ROWS rows of GEMM_N
 * weights (float types also GEMM_N - 3; K-quants its whole super-blocks), longer
 * than one of its k-blocks,
 * against 1 to GEMM_VECS vectors given transposed with the widest stride
 * (the padding lanes hold other values, whose results must be dropped).
 * Each output against the rows' values in double; and each row's result
 * must not depend on the rows or vectors it is computed with (bit-identical
 * when the rows start elsewhere, written transposed, or with fewer
 * vectors), which makes matrix products independent of the thread split. */
#define GEMM_ROWS 29  /* tiles of 12, 4 and 1 rows */
#define GEMM_N 544  /* 17 Q8_0 blocks, 2 K-quant super-blocks and a bit */
#define GEMM_VECS 72  /* a pass of 64 and 8 more */
#define GEMM_XS AI_XT_STRIDE(GEMM_VECS)

static bool check_gemm(const ai_kernels_t *k)
{
	static uint8_t rows[GEMM_ROWS * GEMM_N * 4];
	static double val[GEMM_ROWS * GEMM_N];
	static float x[GEMM_VECS * GEMM_N], xt[GEMM_N * GEMM_XS];
	static float y[GEMM_VECS * GEMM_ROWS], y2[GEMM_VECS * GEMM_ROWS], full[GEMM_VECS * GEMM_ROWS];
	static const size_t vecs[] = {1, 8, 17, 32, 33, GEMM_VECS};
	uint32_t s = 7;
	bool ok = true;
	for (size_t i = 0; i < GEMM_VECS * GEMM_N; i++)
		x[i] = (float)((int)(lcg(&s) % 2001) - 1000) / 333.0f;
	for (size_t i = 0; i < GEMM_N; i++)
		for (size_t v = 0; v < GEMM_XS; v++)
			xt[i * GEMM_XS + v] = x[v % GEMM_VECS * GEMM_N + i];
	for (uint32_t t = 0; ok && t < 32; t++) {
		if (!(k->tile_types >> t & 1))
			continue;
		bool kq = ai_type_is_kquant((nc_ggml_type_t)t), quant = kq || t == NC_GGML_Q8_0 || t == NC_GGML_Q4_0;
		size_t n_all = kq ? GEMM_N / AI_QK_K * AI_QK_K : GEMM_N;  /* val keeps GEMM_N per row */
		size_t rb = typed_rows((nc_ggml_type_t)t, GEMM_ROWS, n_all, rows, val);
		for (size_t r = GEMM_ROWS; kq && r-- > 0;)
			for (size_t i = n_all; i-- > 0;)
				val[r * GEMM_N + i] = val[r * n_all + i];
		for (size_t n = quant ? n_all : n_all - 3; n <= n_all; n += 3)
			for (size_t vi = sizeof vecs / sizeof vecs[0]; ok && vi-- > 0;) {
				size_t nv = vecs[vi];
				k->gemm((nc_ggml_type_t)t, rows, rb, GEMM_ROWS, xt, GEMM_XS, nv, n, y, GEMM_ROWS, 1);
				k->gemm((nc_ggml_type_t)t, rows + 5 * rb, rb, GEMM_ROWS - 5, xt, GEMM_XS, nv, n, y2 + 5 * nv, 1,
				        nv);
				for (size_t r = 0; r < GEMM_ROWS; r++)
					for (size_t v = 0; v < nv; v++) {
						float got = y[v * GEMM_ROWS + r];
						bool same = r < 5 || nc_mem_compare(&got, &y2[r * nv + v], 4) == 0;
						if (nv == GEMM_VECS)  /* the first run for this n */
							full[v * GEMM_ROWS + r] = got;
						same &= nc_mem_compare(&got, &full[v * GEMM_ROWS + r], 4) == 0;
						if (!same || !close_to(got, ref_half(val + r * GEMM_N, x + v * GEMM_N, n))) {
							nc_test_note("%s gemm, type %u, n %zu, %zu vectors: row %zu vector %zu", k->name,
							             t, n, nv, r, v);
							ok = false;
						}
					}
			}
	}
	return ok;
}

NC_TEST(ai_kern, gemm_matches_reference_for_any_split)
{
	if (ai_cpu_has_avx512())
		NC_CHECK(check_gemm(&ai_kernels_avx512));
	else
		nc_test_note("CPU without AVX-512: its gemm is not run here");
}

/* The kernels' expf (softmax) against nc_ai_expf, bit for bit, on
 * float bit patterns spread over the whole range (NaNs, infinities,
 * subnormals, the overflow and underflow edges included) and on a length
 * that leaves a tail; the element after the last must stay untouched. */
#define EXPF_N 4099u

static bool check_expf(const ai_kernels_t *k)
{
	static float v[EXPF_N + 1], w[EXPF_N + 1];
	static const uint32_t special[] = {
		0x7fc00000, 0xffc00001, 0x7f800000, 0xff800000, 0x00000000, 0x80000000, 0x00000001, 0x807fffff,
		0x42b1999a /* 88.8 */, 0x42b19999, 0x42b1999b, 0xc2d00000 /* -104 */, 0xc2cfffff, 0xc2d00001,
		0x42b17218 /* log FLT_MAX */, 0xc2aeac50 /* log FLT_MIN */, 0x3f317218, 0xbf317218,
	};
	bool ok = true;
	for (uint32_t pass = 0; ok && pass < 64; pass++) {
		for (uint32_t i = 0; i <= EXPF_N; i++) {
			uint32_t u = i < sizeof special / sizeof special[0] ? special[i] : pass * 67108879u + i * 1048573u;
			if (pass % 2 && i >= sizeof special / sizeof special[0])  /* half the passes: 2^-6 <= |x| < 2^8 */
				u = (u & 0x807fffff) | (0x79u + u % 14u) << 23;
			nc_mem_copy(&v[i], &u, 4);
		}
		nc_mem_copy(w, v, sizeof v);
		k->expf(w, EXPF_N);
		ok &= nc_mem_compare(&w[EXPF_N], &v[EXPF_N], 4) == 0;
		for (uint32_t i = 0; i < EXPF_N; i++) {
			float want = nc_ai_expf(v[i]);
			if (nc_mem_compare(&want, &w[i], 4)) {
				uint32_t bits;
				nc_mem_copy(&bits, &v[i], 4);
				nc_test_note("%s expf: input bits %08x", k->name, bits);
				ok = false;
				break;
			}
		}
	}
	return ok;
}

/* silu_mul against g / (1 + nc_ai_expf(-g)) * u written out here, bit for
 * bit, on the same kind of bit patterns (u from the next ones). */
static bool check_silu(const ai_kernels_t *k)
{
	static float g[EXPF_N + 1], u[EXPF_N + 1], w[EXPF_N + 1];
	bool ok = true;
	for (uint32_t pass = 0; ok && pass < 64; pass++) {
		for (uint32_t i = 0; i <= EXPF_N; i++) {
			uint32_t a = pass * 67108879u + i * 1048573u, b = a * 2654435761u;
			if (pass % 2) {
				a = (a & 0x807fffff) | (0x79u + a % 14u) << 23;
				b = (b & 0x807fffff) | (0x76u + b % 12u) << 23;
			}
			nc_mem_copy(&g[i], &a, 4);
			nc_mem_copy(&u[i], &b, 4);
		}
		nc_mem_copy(w, g, sizeof g);
		k->silu_mul(w, u, EXPF_N);
		ok &= nc_mem_compare(&w[EXPF_N], &g[EXPF_N], 4) == 0;
		for (uint32_t i = 0; ok && i < EXPF_N; i++) {
			float want = g[i] / (1.0f + nc_ai_expf(-g[i])) * u[i];
			if (nc_mem_compare(&want, &w[i], 4)) {
				nc_test_note("%s silu_mul: g %a u %a", k->name, (double)g[i], (double)u[i]);
				ok = false;
			}
		}
	}
	return ok;
}

NC_TEST(ai_kern, expf_kernels_give_nc_ai_expf_bits)
{
	NC_CHECK(on_every_table(check_expf));
	NC_CHECK(on_every_table(check_silu));
}
