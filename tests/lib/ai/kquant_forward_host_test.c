/* The forward pass with K-quant weights (Q4_K, Q5_K, Q6_K mixed, token_embd
 * and output included) against the F32 forward pass of the same weights.
 * Both files are written by make_kquant_model.py, which dequantizes the random
 * super-blocks itself from the ggml block definitions, so kq-f32.gguf holds
 * exactly the floats the K-quant blocks encode (see the script).
 *
 * Tolerance: the weights are bit-identical, so logits differ only by float
 * summation order (the K-quant kernels sum per sub-block, then scale; the F32
 * kernels sum element products, 8 or 16 lanes). Each dot product has at most
 * 512 terms accumulated in float, relative error of order 512 * 2^-24 = 3e-5
 * of the sum of the products' magnitudes, through 2 layers with RMSNorm; on
 * logits up to 16 in size that is of order 5e-4 at worst. Measured: 3.0e-4
 * portable, 1.6e-4 AVX2. The tolerance 2e-3 still fails on any wrongly
 * decoded weight: each weight of the Q6_K output matrix is about 0.05, and
 * the normed input elements about 1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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
