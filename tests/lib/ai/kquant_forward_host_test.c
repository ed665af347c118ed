/* The forward pass with K-quant weights (Q2_K, Q3_K, Q4_K, Q5_K, Q6_K mixed,
 * token_embd and output included) against the F32 forward pass of the same weights.
 * The files are written by make_kquant_model.py, which dequantizes the random
 * super-blocks itself from the ggml block definitions, so kq-f32.gguf holds
 * exactly the floats the K-quant blocks encode (see the script).
 *
 * Tolerance. The weights are bit-identical, but the K-quant kernels take the
 * activations quantized to 8 bits (ai_q8k_t: per 256 elements, step
 * d = max|x| / 127; llama.cpp does the same with its Q8_K), so each K-quant
 * matrix product computes W (x + e) with |e_i| <= d / 2, e close to uniform:
 * RMS d / sqrt(12). For a block whose max is k times its RMS that is a
 * relative RMS error of k / (127 sqrt(12)) = 0.23% k in x, and the same
 * relative RMS error in each output (sum_i w_i e_i is independent of w.x).
 * Gaussian blocks of 256 have k ~ 3: 0.7% (measured on this model's matrices
 * with Gaussian input: 0.63% to 0.73%). How much this network amplifies noise
 * in its products (random weights, attention softmax, SwiGLU) is not
 * something the analysis gives, so it is measured on the F32 model itself:
 * kq-f32-noisy.gguf has every product weight multiplied by 1 + u, u uniform
 * with RMS 1%, which perturbs each product's outputs by a relative RMS of 1%,
 * more than the 0.7% of the 8-bit activations. The K-quant logits must stay
 * within KQ_NOISE_FACTOR times the largest logit change that noise causes
 * (the margin covers comparing maxima of two noise draws over 3668 logits,
 * and activations with heavier tails than Gaussian, e.g. after SwiGLU).
 * Measured: 0.488 against 0.584 on logits up to 7.3 (portable and AVX2 give
 * the same: their integer sums are exact). What still fails: the Q4_K kernel
 * on Q5_K rows gives 12.2, truncating instead of rounding the activations
 * 0.884 (ai_kquant_test catches that one directly); the exactness of each
 * kernel against the dequantized weights is ai_kquant_test's job. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nc/ai.h>
#include <nc_test.h>

#include "ref_host.h"

#define KQ_DIR "build/ai-kquant/"
#define KQ_NOISE_FACTOR 1.5
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

/* The logits of the model at path ((N_TOK + 1) * n_vocab floats, malloc'd;
 * NULL when it fails). */
static float *logits_of(const char *path, nc_ai_simd_t simd, size_t *n_vocab)
{
	test_model_t t;
	if (!test_model_open_path(path, &t))
		return NULL;
	nc_ai_model_info_t info;
	nc_ai_model_get_info(t.m, &info);
	*n_vocab = info.n_vocab;
	float *out = calloc((N_TOK + 1) * info.n_vocab, sizeof *out);
	if (out && !run(&t, simd, out, info.n_vocab)) {
		free(out);
		out = NULL;
	}
	test_model_close(&t);
	return out;
}

/* Max abs logit difference of file a from kq-f32.gguf (negative when a run
 * failed, NaN counts as failed) and the largest F32 logit magnitude. */
static double diff_from_f32(const char *a, nc_ai_simd_t simd, double *mag)
{
	size_t na = 0, nb = 0;
	float *x = logits_of(a, simd, &na), *y = logits_of(KQ_DIR "kq-f32.gguf", simd, &nb);
	double diff = -1;
	*mag = 0;
	if (x && y && na == nb) {
		diff = 0;
		for (size_t i = 0; i < (N_TOK + 1) * na; i++) {
			double d = fabs((double)x[i] - (double)y[i]);
			if (d != d) {
				diff = -1;
				break;
			}
			diff = d > diff ? d : diff;
			*mag = fabs((double)y[i]) > *mag ? fabs((double)y[i]) : *mag;
		}
	}
	free(x);
	free(y);
	return diff;
}

static void check_simd(nc_ai_simd_t simd)
{
	double mag, mag2;
	double diff = diff_from_f32(KQ_DIR "kq-mixed.gguf", simd, &mag);
	double noise = diff_from_f32(KQ_DIR "kq-f32-noisy.gguf", simd, &mag2);
	char note[160];
	snprintf(note, sizeof note, "max logit difference %.3g; with 1%% weight noise %.3g (largest logit %.3g)",
	         diff, noise, mag);
	nc_test_note("%s", note);
	NC_CHECK(diff >= 0 && noise > 0 && diff <= KQ_NOISE_FACTOR * noise);
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
	/* every K-quant weight type loads (Q2_K, Q3_K blocks are smaller than Q4_K's: the data fits) */
	NC_CHECK_EQ(open_with_type("blk.0.attn_q.weight", NC_GGML_Q3_K, 0, NULL), NC_AI_OK);
	NC_CHECK_EQ(open_with_type("blk.0.ffn_up.weight", NC_GGML_Q2_K, 0, NULL), NC_AI_OK);
	/* types the engine does not compute with (Q4_1's data fits in Q6_K's place, Q8_K's in Q4_K's) */
	NC_CHECK_EQ(open_with_type("blk.1.attn_v.weight", NC_GGML_Q4_1, 0, NULL), NC_AI_ERR_TENSOR_TYPE);
	NC_CHECK_EQ(open_with_type("blk.0.ffn_down.weight", NC_GGML_Q5_0, 0, NULL), NC_AI_ERR_TENSOR_TYPE);
	/* a norm vector must be float, not K-quant */
	NC_CHECK_EQ(open_with_type("blk.0.attn_norm.weight", NC_GGML_Q4_K, 0, NULL), NC_AI_ERR_TENSOR_TYPE);
	NC_CHECK_EQ(open_with_type("blk.1.ffn_norm.weight", NC_GGML_Q2_K, 0, NULL), NC_AI_ERR_TENSOR_TYPE);
	NC_CHECK_EQ(open_with_type("blk.0.ffn_norm.weight", NC_GGML_Q3_K, 0, NULL), NC_AI_ERR_TENSOR_TYPE);
	NC_CHECK_EQ(open_with_type("output_norm.weight", NC_GGML_Q6_K, 0, NULL), NC_AI_ERR_TENSOR_TYPE);
	/* Q8_K's 292-byte blocks run past the tensor's data: the GGUF reader's bounds check */
	NC_CHECK_EQ(open_with_type("output.weight", NC_GGML_Q8_K, 0, &ge), NC_AI_ERR_FORMAT);
	NC_CHECK_EQ(ge, NC_GGUF_ERR_BOUNDS);
	/* truncated K-quant data */
	NC_CHECK_EQ(open_with_type("", 0, 800000, &ge), NC_AI_ERR_FORMAT);
	NC_CHECK_EQ(ge, NC_GGUF_ERR_BOUNDS);
}
