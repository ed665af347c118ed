/* The forward pass with K-quant weights (Q4_K, Q5_K, Q6_K mixed, token_embd
 * and output included) against the F32 forward pass of the same weights.
 * Both files are written by make_kquant_model.py, which dequantizes the random
 * super-blocks itself from the ggml block definitions, so kq-f32.gguf holds
 * exactly the floats the K-quant blocks encode (see the script).
 *
 * Tolerance: the weights are bit-identical, so logits differ only by float
 * summation order (the portable K-quant kernels sum per sub-block, then
 * scale; the AVX2 ones decode each group to floats and use FMA like the F32
 * kernels). Each dot product has at most
 * 512 terms accumulated in float, relative error of order 512 * 2^-24 = 3e-5
 * of the sum of the products' magnitudes, through 2 layers with RMSNorm; on
 * logits up to 16 in size that is of order 5e-4 at worst. Measured: 3.0e-4
 * portable, 4.8e-6 AVX2. The tolerance 2e-3 still fails on any wrongly
 * decoded weight: each weight of the Q6_K output matrix is about 0.05, and
 * the normed input elements about 1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nc/ai.h>
#include <nc_test.h>

#include "ref_host.h"

#define KQ_DIR "build/ai-kquant/"
#define KQ_TOL 2e-3
#define N_TOK 13

static const int32_t prompt[N_TOK] = {116, 104, 101, 32, 256, 99, 258, 259, 10, 97, 98, 99, 255};

/* Logits at every prompt position (one batch), then after one more token
 * evaluated alone (the single-vector kernels): (N_TOK + 1) * n_vocab floats. */
static bool run(const test_model_t *t, nc_ai_simd_t simd, float *out, size_t n_vocab)
{
	nc_ai_ctx_t *c;
	nc_ai_ctx_params_t cp = {16, simd, NULL};
	if (nc_ai_ctx_create(t->m, &cp, &t->alloc, &c) != NC_AI_OK)
		return false;
	int32_t next = 42;
	bool ok = nc_ai_eval(c, prompt, N_TOK, out) == NC_AI_OK && nc_ai_eval(c, &next, 1, NULL) == NC_AI_OK;
	if (ok)
		for (size_t i = 0; i < n_vocab; i++)
			out[N_TOK * n_vocab + i] = nc_ai_ctx_logits(c)[i];
	nc_ai_ctx_destroy(c);
	return ok;
}

/* Max abs logit difference between the two files (negative when a run
 * failed) and the largest F32 logit magnitude. */
static double compare(nc_ai_simd_t simd, double *mag)
{
	test_model_t kq, f32;
	double diff = -1;
	*mag = 0;
	bool open_kq = test_model_open_path(KQ_DIR "kq-mixed.gguf", &kq);
	bool open_f32 = test_model_open_path(KQ_DIR "kq-f32.gguf", &f32);
	if (open_kq && open_f32) {
		nc_ai_model_info_t info;
		nc_ai_model_get_info(kq.m, &info);
		size_t n_vocab = info.n_vocab, n = (N_TOK + 1) * n_vocab;
		float *a = calloc(n, sizeof *a), *b = calloc(n, sizeof *b);
		if (a && b && run(&kq, simd, a, n_vocab) && run(&f32, simd, b, n_vocab)) {
			diff = 0;
			for (size_t i = 0; i < n; i++) {
				double d = fabs((double)a[i] - (double)b[i]);
				if (!(d <= diff))
					diff = d;  /* NaN fails */
				if (fabs((double)b[i]) > *mag)
					*mag = fabs((double)b[i]);
			}
		}
		free(a);
		free(b);
	}
	if (open_kq)
		test_model_close(&kq);
	if (open_f32)
		test_model_close(&f32);
	return diff;
}

static void check_simd(nc_ai_simd_t simd)
{
	double mag, diff = compare(simd, &mag);
	char note[128];
	snprintf(note, sizeof note, "max logit difference %.3g (largest logit %.3g)", diff, mag);
	nc_test_note("%s", note);
	NC_CHECK(diff >= 0 && diff <= KQ_TOL);
	NC_CHECK(mag > 0.5 && mag < 50);  /* the logits are not degenerate */
}

NC_TEST(ai_kquant_forward, matches_f32_of_same_weights_portable)
{
	check_simd(NC_AI_SIMD_PORTABLE);
}

NC_TEST(ai_kquant_forward, matches_f32_of_same_weights_auto)
{
	check_simd(NC_AI_SIMD_AUTO);
}

/* kq-mixed.gguf copied, with the ggml type of tensor `name` set to type; the
 * tensor info is: name (u64 length + bytes), n_dims (u32), ne (u64 each), type. */
static nc_ai_err_t open_with_type(const char *name, uint32_t type, size_t cut, nc_gguf_err_t *ge)
{
	const void *map;
	size_t len;
	if (!host_map_file(KQ_DIR "kq-mixed.gguf", &map, &len))
		return NC_AI_ERR_ARG;
	uint8_t *img = malloc(len);
	if (!img) {
		host_unmap_file(map, len);
		return NC_AI_ERR_NOMEM;
	}
	memcpy(img, map, len);
	host_unmap_file(map, len);
	size_t nl = strlen(name);
	for (size_t i = 8; name[0] && i + nl + 8 < len; i++) {
		uint64_t l;
		memcpy(&l, img + i - 8, 8);
		if (l == nl && memcmp(img + i, name, nl) == 0) {
			uint32_t n_dims;
			memcpy(&n_dims, img + i + nl, 4);
			memcpy(img + i + nl + 4 + 8 * n_dims, &type, 4);
			break;
		}
	}
	host_alloc_state_t st = {.fail_after = -1};
	nc_ai_alloc_t a = host_alloc(&st);
	nc_ai_model_t *m = NULL;
	nc_ai_err_t e = nc_ai_model_open(img, cut ? cut : len, &a, &m, ge);
	if (m)
		nc_ai_model_close(m);
	free(img);
	return e;
}

NC_TEST(ai_kquant_forward, other_types_keep_their_typed_errors)
{
	nc_gguf_err_t ge = NC_GGUF_OK;
	NC_CHECK_EQ(open_with_type("blk.0.attn_q.weight", NC_GGML_Q4_K, 0, NULL), NC_AI_OK);  /* unchanged */
	/* Q2_K and Q3_K blocks are smaller than Q4_K's: the data fits, the loader refuses */
	NC_CHECK_EQ(open_with_type("blk.0.attn_q.weight", NC_GGML_Q3_K, 0, NULL), NC_AI_ERR_TENSOR_TYPE);
	NC_CHECK_EQ(open_with_type("blk.0.ffn_up.weight", NC_GGML_Q2_K, 0, NULL), NC_AI_ERR_TENSOR_TYPE);
	NC_CHECK_EQ(open_with_type("blk.1.attn_v.weight", NC_GGML_Q4_1, 0, NULL), NC_AI_ERR_TENSOR_TYPE);
	/* a norm vector must be float, not K-quant */
	NC_CHECK_EQ(open_with_type("blk.0.attn_norm.weight", NC_GGML_Q4_K, 0, NULL), NC_AI_ERR_TENSOR_TYPE);
	NC_CHECK_EQ(open_with_type("output_norm.weight", NC_GGML_Q6_K, 0, NULL), NC_AI_ERR_TENSOR_TYPE);
	/* Q8_K's 292-byte blocks run past the tensor's data: the GGUF reader's bounds check */
	NC_CHECK_EQ(open_with_type("output.weight", NC_GGML_Q8_K, 0, &ge), NC_AI_ERR_FORMAT);
	NC_CHECK_EQ(ge, NC_GGUF_ERR_BOUNDS);
	/* truncated K-quant data */
	NC_CHECK_EQ(open_with_type("", 0, 800000, &ge), NC_AI_ERR_FORMAT);
	NC_CHECK_EQ(ge, NC_GGUF_ERR_BOUNDS);
}
