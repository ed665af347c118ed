/* Number conversions and dot kernels. Expected values: binary16/bfloat16
 * encodings worked out by hand from IEEE 754-2008 3.6; dot products against a
 * plain double-precision loop over the block formats as ggml documents them
 * (half-precision weights decoded by the test's own formula,
 * sign * 2^(e - bias) * (1 + m / 2^bits), not by the library's converters).
 * The AVX2 kernels (when the CPU has AVX2) must agree with the portable ones. */
#include "../../../lib/ai/ai_int.h"

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

static void make_half_rows(void)
{
	uint32_t s = 4242;
	for (size_t i = 0; i < HROWS * N; i++) {
		uint32_t sign = lcg(&s) & 1, e = 10 + lcg(&s) % 11, m = lcg(&s) & 0x3ff, mb = lcg(&s) & 0x7f;
		uint16_t h = (uint16_t)(sign << 15 | e << 10 | m), b = (uint16_t)(sign << 15 | (e + 112) << 7 | mb);
		f16_rows[2 * i] = (uint8_t)h;
		f16_rows[2 * i + 1] = (uint8_t)(h >> 8);
		bf16_rows[2 * i] = (uint8_t)b;
		bf16_rows[2 * i + 1] = (uint8_t)(b >> 8);
		f16_val[i] = (sign ? -1 : 1) * pow2((int)e - 15) * (1 + m / 1024.0);
		bf16_val[i] = (sign ? -1 : 1) * pow2((int)e - 15) * (1 + mb / 128.0);
	}
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

NC_TEST(ai_kern, half_precision_dots_match_reference)
{
	NC_CHECK(check_half(&ai_kernels_portable));
	if (ai_cpu_has_avx2())
		NC_CHECK(check_half(&ai_kernels_avx2));
	if (ai_cpu_has_avx512())
		NC_CHECK(check_half(&ai_kernels_avx512));
	float row[N];
	ai_mat_t m16 = {f16_rows, NC_GGML_F16, N, HROWS, N * 2}, mb = {bf16_rows, NC_GGML_BF16, N, HROWS, N * 2};
	ai_mat_get_row(&m16, 1, row);
	for (size_t i = 0; i < N; i++)
		NC_CHECK(row[i] == (float)f16_val[N + i]);
	ai_mat_get_row(&mb, 1, row);
	for (size_t i = 0; i < N; i++)
		NC_CHECK(row[i] == (float)bf16_val[N + i]);
}

/* Register tiles (every kernel table that has one, every type it lists):
 * tile_rows rows of N weights (float types also N - 3: a tail) against
 * tile_vecs vectors, each output against the rows' values in double (F32 as
 * stored, F16/BF16 from the format's definition, Q8_0 d * q and Q4_0
 * d * (q - 8) with the scales the rows are built with). */
#define TILE_MAX_ROWS 4
#define TILE_MAX_VECS 6

static size_t tile_rows_of(nc_ggml_type_t t, uint8_t *rows, double *val)
{
	uint32_t s = 31337;
	size_t rb = t == NC_GGML_F32 ? N * 4 : t == NC_GGML_Q8_0 ? N / AI_QK * AI_Q8_0_BYTES
	          : t == NC_GGML_Q4_0 ? N / AI_QK * AI_Q4_0_BYTES : N * 2;
	if (t == NC_GGML_F16 || t == NC_GGML_BF16) {
		nc_mem_copy(rows, t == NC_GGML_F16 ? f16_rows : bf16_rows, TILE_MAX_ROWS * rb);
		for (size_t i = 0; i < TILE_MAX_ROWS * N; i++)
			val[i] = t == NC_GGML_F16 ? f16_val[i] : bf16_val[i];
		return rb;
	}
	for (size_t r = 0; r < TILE_MAX_ROWS; r++) {
		uint8_t *row = rows + r * rb;
		for (size_t i = 0; i < N; i++) {
			size_t b = i / AI_QK, j = i % AI_QK;
			if (t == NC_GGML_F32) {
				float f = (float)((int)(lcg(&s) % 2001) - 1000) / 997.0f;
				nc_mem_copy(row + 4 * i, &f, 4);
				val[r * N + i] = f;
			} else if (t == NC_GGML_Q8_0) {
				uint8_t *blk = row + b * AI_Q8_0_BYTES;
				blk[0] = 0x00; blk[1] = 0x2c;  /* d = 0.0625 */
				blk[2 + j] = (uint8_t)lcg(&s);
				val[r * N + i] = 0.0625 * (int8_t)blk[2 + j];
			} else {
				uint8_t *blk = row + b * AI_Q4_0_BYTES;
				blk[0] = 0x00; blk[1] = 0x38;  /* d = 0.5 */
				if (j < AI_QK / 2)
					blk[2 + j] = (uint8_t)lcg(&s);
				uint8_t byte = blk[2 + j % 16];
				val[r * N + i] = 0.5 * ((j < 16 ? byte & 15 : byte >> 4) - 8);
			}
		}
	}
	return rb;
}

static bool check_tiles(const ai_kernels_t *k)
{
	static uint8_t rows[TILE_MAX_ROWS * N * 4];
	static double val[TILE_MAX_ROWS * N];
	static float x[TILE_MAX_VECS * N];
	uint32_t s = 5;
	bool ok = k->tile_rows <= TILE_MAX_ROWS && k->tile_vecs <= TILE_MAX_VECS;
	for (size_t i = 0; i < TILE_MAX_VECS * N; i++)
		x[i] = (float)((int)(lcg(&s) % 2001) - 1000) / 333.0f;
	make_half_rows();
	for (uint32_t t = 0; ok && t < 32; t++) {
		if (!(k->tile_types >> t & 1))
			continue;
		size_t rb = tile_rows_of((nc_ggml_type_t)t, rows, val);
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
	if (ai_cpu_has_avx512())
		NC_CHECK(check_tiles(&ai_kernels_avx512));
	else
		nc_test_note("CPU without AVX-512: its tile is not run here");
}
