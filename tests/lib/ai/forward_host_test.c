/* The forward pass against PyTorch (the tools/models reference files (NAME.ref), computed by
 * tools/models/train.py from the weights as stored in each GGUF): tokens,
 * logits at every prompt position, greedy continuations and embeddings, for
 * the dense and the MoE model in F32, F16, Q8_0 (and BF16, Q4_0), with the portable
 * kernels on one thread and the AVX2 and AVX-512 ones (when the CPU has
 * them) on two threads and three.
 *
 * Tolerances (max abs logit difference):
 *   against the variant's own reference (same weights):      1e-3
 *   quantized variant against the F32 model's reference:     F16 0.02, BF16 0.2, Q8_0 0.3
 *   (MoE Q8_0 2.5: quantization can flip which experts the router picks), Q4_0 3
 *   (measured: F16 0.005, BF16 0.04, Q8_0 0.13 (MoE 1.25), Q4_0 1.8)
 * Greedy continuations must be identical to the variant's own reference. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nc/ai.h>
#include <nc_test.h>

#include "../../../lib/ai/ai_int.h"
#include "ref_host.h"

#define OWN_TOL 1e-3
#define EMBED_TOL 1e-5

typedef struct {
	const char *name;
	const char *f32_name;   /* the F32 model of the same weights */
	double f32_tol;
} variant_t;

static const variant_t variants[] = {
	{"tiny-llama-f32", "tiny-llama-f32", OWN_TOL},
	{"tiny-llama-f16", "tiny-llama-f32", 0.02},
	{"tiny-llama-bf16", "tiny-llama-f32", 0.2},
	{"tiny-llama-q8_0", "tiny-llama-f32", 0.3},
	{"tiny-llama-q4_0", "tiny-llama-f32", 3.0},
	{"tiny-moe-f32", "tiny-moe-f32", OWN_TOL},
	{"tiny-moe-f16", "tiny-moe-f32", 0.02},
	{"tiny-moe-q8_0", "tiny-moe-f32", 2.5},
};

static double max_abs_diff(const float *a, const float *b, size_t n)
{
	double m = 0;
	for (size_t i = 0; i < n; i++) {
		double d = fabs((double)a[i] - (double)b[i]);
		if (!(d <= m))
			m = d;  /* NaN propagates as a failure */
	}
	return m;
}

/* Runs every check of one variant; returns a failure description or NULL. */
static const char *check_variant(const variant_t *v, nc_ai_simd_t simd, size_t threads, char *why,
                                 size_t why_len)
{
	char path[256];
	ref_file_t own, f32;
	test_model_t tm;
	host_pool_t *hp = NULL;
	nc_ai_pool_t pool;
	nc_ai_ctx_t *c = NULL;
	const char *fail = NULL;
	double worst_own = 0, worst_f32 = 0;
	snprintf(path, sizeof path, "tools/models/%s.ref", v->name);
	if (!ref_load(path, &own))
		return "cannot read reference";
	snprintf(path, sizeof path, "tools/models/%s.ref", v->f32_name);
	if (!ref_load(path, &f32)) {
		ref_free(&own);
		return "cannot read F32 reference";
	}
	if (!test_model_open(v->name, &tm)) {
		fail = "cannot open model";
		goto out;
	}
	if (threads > 1 && !host_pool_create(threads, &hp, &pool)) {
		fail = "no threads";
		goto out;
	}
	nc_ai_ctx_params_t cp = {0, simd, hp ? &pool : NULL};
	if (nc_ai_ctx_create(tm.m, &cp, &tm.alloc, &c) != NC_AI_OK) {
		fail = "context";
		goto out;
	}
	for (size_t i = 0; i < own.n && !fail; i++) {
		const ref_prompt_t *r = &own.p[i];
		int32_t ids[256], out[64];
		size_t n, n_out;
		if (nc_ai_tokenize(tm.m, r->text, r->text_len, 0, ids, 256, &n) || n != r->n_tokens ||
		    memcmp(ids, r->tokens, n * sizeof *ids)) {
			fail = "tokens differ from the reference tokenizer";
			break;
		}
		float *logits = malloc(n * r->n_vocab * sizeof *logits);
		nc_ai_ctx_reset(c);
		if (nc_ai_eval(c, ids, n, logits)) {
			free(logits);
			fail = "eval";
			break;
		}
		double d_own = max_abs_diff(logits, r->logits, n * r->n_vocab);
		double d_f32 = max_abs_diff(logits, f32.p[i].logits, n * r->n_vocab);
		free(logits);
		if (d_own > worst_own)
			worst_own = d_own;
		if (d_f32 > worst_f32)
			worst_f32 = d_f32;
		if (!(d_own < OWN_TOL) || !(d_f32 < v->f32_tol)) {
			snprintf(why, why_len, "prompt %zu: logits differ by %g (own), %g (vs F32)", i, d_own, d_f32);
			fail = why;
			break;
		}
		nc_ai_gen_params_t gp;
		nc_ai_gen_params_default(&gp);
		gp.temperature = 0;
		gp.repeat_penalty = 1;
		gp.stop_at_eos = false;
		gp.max_tokens = (uint32_t)r->n_greedy;
		nc_ai_stop_t stop;
		nc_ai_ctx_reset(c);
		if (nc_ai_generate(c, &gp, ids, n, out, 64, &n_out, &stop) || n_out != r->n_greedy ||
		    memcmp(out, r->greedy, n_out * sizeof *out)) {
			snprintf(why, why_len, "prompt %zu: greedy continuation differs", i);
			fail = why;
			break;
		}
		double emb[1024];
		if (nc_ai_embed(c, ids, n, emb, 1024) || r->n_embd > 1024) {
			fail = "embed";
			break;
		}
		for (size_t k = 0; k < r->n_embd; k++)
			if (!(fabs(emb[k] - r->embedding[k]) < EMBED_TOL)) {
				snprintf(why, why_len, "prompt %zu: embedding[%zu] %.9g vs %.9g", i, k, emb[k],
				         r->embedding[k]);
				fail = why;
				break;
			}
	}
	if (!fail) {
		snprintf(why, why_len, "%s: max logit difference %.3g (own reference), %.3g (F32 reference)",
		         v->name, worst_own, worst_f32);
		nc_test_note("%s", why);
	}
out:
	nc_ai_ctx_destroy(c);
	host_pool_destroy(hp);
	if (tm.m)
		test_model_close(&tm);
	ref_free(&own);
	ref_free(&f32);
	return fail;
}

static bool run_all(nc_ai_simd_t simd, size_t threads)
{
	char why[256];
	bool ok = true;
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		const char *f = check_variant(&variants[i], simd, threads, why, sizeof why);
		if (f) {
			nc_test_note("%s (simd %d, %zu threads): %s", variants[i].name, (int)simd, threads, f);
			ok = false;
		}
	}
	return ok;
}

NC_TEST(ai_forward, matches_pytorch_portable_1_thread)
{
	NC_CHECK(run_all(NC_AI_SIMD_PORTABLE, 1));
}

NC_TEST(ai_forward, matches_pytorch_auto_simd_2_threads)
{
	NC_CHECK(run_all(NC_AI_SIMD_AUTO, 2));
}

/* The AUTO run above takes AVX-512 where the CPU has it: AVX2 separately. */
NC_TEST(ai_forward, matches_pytorch_avx2_3_threads)
{
	if (ai_cpu_has_avx2())
		NC_CHECK(run_all(NC_AI_SIMD_AVX2, 3));
}

/* The dense model writes recognisable text: greedy output of a prompt from
 * the corpus contains common English words (checked on the reference
 * continuation too, so the model, not only our engine, is judged). */
NC_TEST(ai_forward, dense_model_writes_words)
{
	test_model_t tm;
	NC_CHECK(test_model_open("tiny-llama-f32", &tm));
	nc_ai_ctx_t *c;
	nc_ai_ctx_params_t cp = {0, NC_AI_SIMD_AUTO, NULL};
	NC_CHECK_EQ(nc_ai_ctx_create(tm.m, &cp, &tm.alloc, &c), NC_AI_OK);
	const char *prompt = "When you start Vim for the first time, the";
	int32_t ids[64], out[80];
	size_t n, n_out;
	NC_CHECK_EQ(nc_ai_tokenize(tm.m, prompt, strlen(prompt), 0, ids, 64, &n), NC_AI_OK);
	nc_ai_gen_params_t gp;
	nc_ai_gen_params_default(&gp);
	gp.temperature = 0;
	gp.repeat_penalty = 1;
	gp.max_tokens = 80;
	nc_ai_stop_t stop;
	NC_CHECK_EQ(nc_ai_generate(c, &gp, ids, n, out, 80, &n_out, &stop), NC_AI_OK);
	char text[2048];
	size_t len;
	NC_CHECK_EQ(nc_ai_detokenize(tm.m, out, n_out, false, text, sizeof text - 1, &len), NC_AI_OK);
	text[len] = 0;
	nc_test_note("continuation: %s", text);
	static const char *const words[] = {" the ", " to ", " you ", " is ", " a ", " of ", " and "};
	int found = 0;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		found += strstr(text, words[i]) != NULL;
	NC_CHECK(found >= 2);
	nc_ai_ctx_destroy(c);
	test_model_close(&tm);
}
