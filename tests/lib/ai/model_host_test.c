#define _GNU_SOURCE
/* Model loading errors, allocation failure, tokenizer round trips, generation
 * controls, embeddings and classification on the committed tiny models.
 * Expected values are derived independently in the test (libm log-softmax,
 * the repetition-penalty rule applied by hand, substring search in decoded
 * text), never taken from the code under test's own earlier output. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nc/ai.h>
#include <nc_test.h>

#include "ref_host.h"

static uint8_t *load_copy(const char *name, size_t *len)
{
	char path[256];
	const void *img;
	snprintf(path, sizeof path, "tools/models/%s.gguf", name);
	if (!host_map_file(path, &img, len))
		return NULL;
	uint8_t *copy = malloc(*len);
	memcpy(copy, img, *len);
	host_unmap_file(img, *len);
	return copy;
}

/* Offset of the first occurrence of pat (n bytes) in buf, or -1. */
static long find_bytes(const uint8_t *buf, size_t len, const void *pat, size_t n)
{
	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(buf + i, pat, n))
			return (long)i;
	return -1;
}

static nc_ai_err_t open_image(const uint8_t *img, size_t len, nc_gguf_err_t *ge)
{
	host_alloc_state_t st = {-1, 0, 0};
	nc_ai_alloc_t a = host_alloc(&st);
	nc_ai_model_t *m;
	nc_ai_err_t e = nc_ai_model_open(img, len, &a, &m, ge);
	if (!e)
		nc_ai_model_close(m);
	return st.live_bytes == 0 ? e : NC_AI_ERR_NOMEM;  /* a leak fails the caller's check */
}

/* Copy of the F32 model with the string `from` replaced by `to` (same length)
 * at its first occurrence, or a u32 after key `from` set to v. */
#define open_patched(from, to, ge) open_patched_n(from, to, sizeof(from) - 1, ge)

static nc_ai_err_t open_patched_n(const char *from, const char *to, size_t n, nc_gguf_err_t *ge)
{
	size_t len;
	uint8_t *img = load_copy("tiny-llama-f32", &len);
	long at = img ? find_bytes(img, len, from, n) : -1;
	if (at < 0) {
		free(img);
		return NC_AI_ERR_ARG;
	}
	memcpy(img + at, to, n);
	nc_ai_err_t e = open_image(img, len, ge);
	free(img);
	return e;
}

static nc_ai_err_t open_with_u32_after(const char *key, size_t skip, uint32_t v)
{
	size_t len;
	uint8_t *img = load_copy("tiny-llama-f32", &len);
	long at = img ? find_bytes(img, len, key, strlen(key)) : -1;
	if (at < 0) {
		free(img);
		return NC_AI_ERR_ARG;
	}
	size_t p = (size_t)at + strlen(key) + skip;
	memcpy(img + p, &v, 4);
	nc_ai_err_t e = open_image(img, len, NULL);
	free(img);
	return e;
}

NC_TEST(ai_model, open_errors_are_typed)
{
	nc_gguf_err_t ge;
	NC_CHECK_EQ(open_patched("\x05\0\0\0\0\0\0\0llama", "\x05\0\0\0\0\0\0\0llamb", NULL), NC_AI_ERR_ARCH);
	NC_CHECK_EQ(open_patched("blk.0.attn_q.weight", "blk.0.attn_X.weight", NULL), NC_AI_ERR_MISSING_TENSOR);
	NC_CHECK_EQ(open_patched("\x04\0\0\0\0\0\0\0gpt2", "\x04\0\0\0\0\0\0\0gpt3", NULL), NC_AI_ERR_TOKENIZER);
	NC_CHECK_EQ(open_patched("GGUF\x03", "GGUF\x09", &ge), NC_AI_ERR_FORMAT);
	/* "output.weight" renamed: the output is then tied, but an unknown tensor remains */
	NC_CHECK_EQ(open_patched("\x0d\0\0\0\0\0\0\0output.weight", "\x0d\0\0\0\0\0\0\0outpux.weight", NULL),
	            NC_AI_ERR_UNSUPPORTED);
	NC_CHECK_EQ(ge, NC_GGUF_ERR_VERSION);
	/* key, then the u32 type tag (4 bytes), then the value */
	NC_CHECK_EQ(open_with_u32_after("llama.attention.head_count", 4, 3), NC_AI_ERR_HPARAM);
	NC_CHECK_EQ(open_with_u32_after("llama.block_count", 4, 0), NC_AI_ERR_HPARAM);
	NC_CHECK_EQ(open_with_u32_after("llama.rope.dimension_count", 4, 16), NC_AI_ERR_UNSUPPORTED);
	/* tensor info: name, n_dims (4), ne0 (8), ne1 (8), type (4), offset (8) */
	NC_CHECK_EQ(open_with_u32_after("blk.0.attn_q.weight", 4 + 8, 64), NC_AI_ERR_TENSOR_SHAPE);
	NC_CHECK_EQ(open_with_u32_after("blk.0.attn_q.weight", 4 + 16, NC_GGML_Q4_1), NC_AI_ERR_TENSOR_TYPE);
	size_t len;
	uint8_t *img = load_copy("tiny-llama-f32", &len);
	NC_CHECK(img != NULL);
	for (size_t cut = 0; cut < len; cut += len / 7 + 1) {
		nc_ai_err_t e = open_image(img, cut, &ge);
		NC_CHECK_EQ(e, NC_AI_ERR_FORMAT);
		NC_CHECK(ge == NC_GGUF_ERR_TRUNCATED || ge == NC_GGUF_ERR_BOUNDS);
	}
	free(img);
}

NC_TEST(ai_model, vocab_only_and_context_parameters)
{
	size_t len;
	uint8_t *img = load_copy("tiny-llama-q8_0", &len);
	NC_CHECK(img != NULL);
	host_alloc_state_t st = {-1, 0, 0};
	nc_ai_alloc_t a = host_alloc(&st);
	nc_ai_model_t *m;
	nc_ai_ctx_t *c;
	NC_CHECK_EQ(nc_ai_model_open_vocab(img, len, &a, &m, NULL), NC_AI_OK);
	NC_CHECK(nc_ai_model_is_vocab_only(m));
	int32_t ids[16];
	size_t n;
	NC_CHECK_EQ(nc_ai_tokenize(m, "Vim", 3, 0, ids, 16, &n), NC_AI_OK);
	nc_ai_ctx_params_t cp = {16, NC_AI_SIMD_AUTO, NULL};
	NC_CHECK_EQ(nc_ai_ctx_create(m, &cp, &a, &c), NC_AI_ERR_UNSUPPORTED);
	nc_ai_model_close(m);
	NC_CHECK_EQ(nc_ai_model_open(img, len, &a, &m, NULL), NC_AI_OK);
	NC_CHECK(!nc_ai_model_is_vocab_only(m));
	cp.simd = (nc_ai_simd_t)7;
	NC_CHECK_EQ(nc_ai_ctx_create(m, &cp, &a, &c), NC_AI_ERR_ARG);
	cp.simd = NC_AI_SIMD_PORTABLE;
	size_t before = st.live_bytes;
	NC_CHECK_EQ(nc_ai_ctx_create(m, &cp, &a, &c), NC_AI_OK);
	NC_CHECK_EQ(st.live_bytes - before, nc_ai_ctx_bytes(m, 16)); /* what a budget may rely on */
	NC_CHECK_STR(nc_ai_ctx_simd_name(c), "portable");
	NC_CHECK_EQ(nc_ai_ctx_size(c), 16);
	nc_ai_ctx_destroy(c);
	cp.simd = NC_AI_SIMD_AVX2;
	nc_ai_err_t e = nc_ai_ctx_create(m, &cp, &a, &c);
	NC_CHECK(e == NC_AI_OK || e == NC_AI_ERR_UNSUPPORTED);
	if (e == NC_AI_OK) {
		NC_CHECK_STR(nc_ai_ctx_simd_name(c), "avx2");
		nc_ai_ctx_destroy(c);
	}
	nc_ai_model_close(m);
	NC_CHECK_EQ(st.live_bytes, 0);
	free(img);
}

NC_TEST(ai_model, allocation_failure_leaks_nothing)
{
	size_t len;
	uint8_t *img = load_copy("tiny-moe-f16", &len);
	NC_CHECK(img != NULL);
	long k;
	for (k = 0;; k++) {
		host_alloc_state_t st = {k, 0, 0};
		nc_ai_alloc_t a = host_alloc(&st);
		nc_ai_model_t *m = NULL;
		nc_ai_err_t e = nc_ai_model_open(img, len, &a, &m, NULL);
		if (e == NC_AI_OK) {
			nc_ai_ctx_t *c;
			nc_ai_ctx_params_t cp = {64, NC_AI_SIMD_AUTO, NULL};
			st.fail_after = st.n_allocs;
			NC_CHECK_EQ(nc_ai_ctx_create(m, &cp, &a, &c), NC_AI_ERR_NOMEM);
			st.fail_after = st.n_allocs + 1;
			NC_CHECK_EQ(nc_ai_ctx_create(m, &cp, &a, &c), NC_AI_ERR_NOMEM);
			nc_ai_model_close(m);
			NC_CHECK_EQ(st.live_bytes, 0);
			break;
		}
		NC_CHECK_EQ(e, NC_AI_ERR_NOMEM);
		NC_CHECK(m == NULL);
		NC_CHECK_EQ(st.live_bytes, 0);
	}
	nc_test_note("model open makes %ld allocations", k);
	NC_CHECK(k > 5);
	free(img);
}

typedef struct {
	test_model_t tm;
	nc_ai_ctx_t *c;
} fixture_t;

static bool setup(fixture_t *f, const char *name, uint32_t n_ctx)
{
	nc_ai_ctx_params_t cp = {n_ctx, NC_AI_SIMD_AUTO, NULL};
	return test_model_open(name, &f->tm) && nc_ai_ctx_create(f->tm.m, &cp, &f->tm.alloc, &f->c) == NC_AI_OK;
}

static void teardown(fixture_t *f)
{
	nc_ai_ctx_destroy(f->c);
	test_model_close(&f->tm);
}

NC_TEST(ai_model, tokenizer_round_trip_and_specials)
{
	fixture_t f;
	NC_CHECK(setup(&f, "tiny-llama-q8_0", 0));
	uint32_t s = 99;
	static char text[4096], back[4096];
	static int32_t ids[8192];
	for (int round = 0; round < 20; round++) {
		size_t n = (size_t)(round * 200);
		for (size_t i = 0; i < n; i++) {
			s = s * 1103515245u + 12345u;
			text[i] = (char)(round % 2 ? (s >> 16) & 0xff : 32 + (s >> 16) % 95);
		}
		size_t n_ids, len;
		NC_CHECK_EQ(nc_ai_tokenize(f.tm.m, text, n, 0, ids, 8192, &n_ids), NC_AI_OK);
		NC_CHECK_EQ(nc_ai_detokenize(f.tm.m, ids, n_ids, false, back, sizeof back, &len), NC_AI_OK);
		NC_CHECK_EQ(len, n);
		NC_CHECK(memcmp(text, back, n) == 0);
	}
	nc_ai_model_info_t h;
	nc_ai_model_get_info(f.tm.m, &h);
	size_t n;
	NC_CHECK_EQ(nc_ai_tokenize(f.tm.m, "a<|eos|>b", 9, NC_AI_TOK_SPECIAL | NC_AI_TOK_ADD_BOS, ids, 16, &n),
	            NC_AI_OK);
	NC_CHECK_EQ(n, 4);
	NC_CHECK_EQ(ids[0], h.bos_id);
	NC_CHECK_EQ(ids[2], h.eos_id);
	NC_CHECK_EQ(nc_ai_tokenize(f.tm.m, "a<|eos|>b", 9, 0, ids, 16, &n), NC_AI_OK);
	NC_CHECK(n > 3);
	for (size_t i = 0; i < n; i++)
		NC_CHECK(ids[i] != h.eos_id);
	NC_CHECK_EQ(nc_ai_tokenize(f.tm.m, "hello world", 11, 0, ids, 1, &n), NC_AI_ERR_BUFFER);
	NC_CHECK(n >= 2);
	const uint8_t *b;
	size_t bl;
	NC_CHECK_EQ(nc_ai_token_bytes(f.tm.m, h.eos_id, false, &b, &bl), NC_AI_OK);
	NC_CHECK_EQ(bl, 0);
	NC_CHECK_EQ(nc_ai_token_bytes(f.tm.m, h.eos_id, true, &b, &bl), NC_AI_OK);
	NC_CHECK_EQ(bl, 7);
	NC_CHECK_EQ(nc_ai_token_bytes(f.tm.m, (int32_t)h.n_vocab, false, &b, &bl), NC_AI_ERR_TOKEN);
	teardown(&f);
}

static size_t tokens_of(fixture_t *f, const char *text, int32_t *ids, size_t cap)
{
	size_t n = 0;
	nc_ai_tokenize(f->tm.m, text, strlen(text), 0, ids, cap, &n);
	return n;
}

static nc_ai_gen_params_t greedy_params(uint32_t max)
{
	nc_ai_gen_params_t p;
	nc_ai_gen_params_default(&p);
	p.temperature = 0;
	p.repeat_penalty = 1;
	p.stop_at_eos = false;
	p.max_tokens = max;
	return p;
}

static const char *PROMPT = "To delete a word, move the cursor to";

NC_TEST(ai_generate, sampling_controls)
{
	fixture_t f;
	NC_CHECK(setup(&f, "tiny-llama-f32", 0));
	int32_t ids[64], a[32], b[32], g[32];
	size_t n = tokens_of(&f, PROMPT, ids, 64), na, nb, ng;
	nc_ai_stop_t why;
	nc_ai_gen_params_t p = greedy_params(20);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, n, g, 32, &ng, &why), NC_AI_OK);
	NC_CHECK_EQ(ng, 20);
	NC_CHECK_EQ(why, NC_AI_STOP_LENGTH);
	/* same seed, same tokens; another seed, other tokens */
	nc_ai_gen_params_default(&p);
	p.max_tokens = 20;
	p.temperature = 1.5f;
	p.repeat_penalty = 1;
	p.top_k = 0;
	p.top_p = 1;
	p.seed = 7;
	nc_ai_ctx_reset(f.c);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, n, a, 32, &na, &why), NC_AI_OK);
	nc_ai_ctx_reset(f.c);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, n, b, 32, &nb, &why), NC_AI_OK);
	NC_CHECK(na == nb && !memcmp(a, b, na * sizeof *a));
	p.seed = 8;
	nc_ai_ctx_reset(f.c);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, n, b, 32, &nb, &why), NC_AI_OK);
	NC_CHECK(memcmp(a, b, 20 * sizeof *a) != 0);
	NC_CHECK(memcmp(a, g, 20 * sizeof *a) != 0);
	/* top_k = 1 and a tiny top_p both reduce sampling to greedy */
	p.top_k = 1;
	nc_ai_ctx_reset(f.c);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, n, b, 32, &nb, &why), NC_AI_OK);
	NC_CHECK(!memcmp(b, g, 20 * sizeof *b));
	p.top_k = 0;
	p.top_p = 1e-6f;
	nc_ai_ctx_reset(f.c);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, n, b, 32, &nb, &why), NC_AI_OK);
	NC_CHECK(!memcmp(b, g, 20 * sizeof *b));
	teardown(&f);
}

/* The step API gives what nc_ai_generate gives, token by token, with the stop
 * reason on the last token; then it refuses to go on. Sampled (not greedy) so
 * the random state must carry across steps. */
NC_TEST(ai_generate, step_api_equals_generate)
{
	fixture_t f;
	NC_CHECK(setup(&f, "tiny-llama-f32", 0));
	int32_t ids[64], g[32];
	size_t n = tokens_of(&f, PROMPT, ids, 64), ng;
	nc_ai_stop_t why, why_step = NC_AI_STOP_TOKEN;
	nc_ai_gen_params_t p;
	nc_ai_gen_params_default(&p);
	NC_CHECK(p.repeat_penalty == 1.0f && p.temperature == 0.8f && p.max_tokens == 64);
	p.max_tokens = 12;
	p.seed = 99;
	p.stop_at_eos = false;
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, n, g, 32, &ng, &why), NC_AI_OK);
	NC_CHECK_EQ(ng, 12);
	nc_ai_ctx_reset(f.c);
	nc_ai_gen_t gen;
	NC_CHECK_EQ(nc_ai_gen_begin(&gen, f.c, &p, ids, n), NC_AI_OK);
	bool stopped = false;
	size_t k = 0;
	while (!stopped && k < 32) {
		int32_t id;
		const uint8_t *b;
		size_t bl;
		NC_CHECK_EQ(nc_ai_gen_next(&gen, &id, &b, &bl, &stopped, &why_step), NC_AI_OK);
		NC_CHECK_EQ(id, g[k]);
		k++;
	}
	NC_CHECK_EQ(k, ng);
	NC_CHECK_EQ(why_step, NC_AI_STOP_LENGTH);
	int32_t id;
	const uint8_t *b;
	size_t bl;
	NC_CHECK_EQ(nc_ai_gen_next(&gen, &id, &b, &bl, &stopped, &why_step), NC_AI_ERR_ARG);
	/* an empty prompt on an empty context is refused before anything runs */
	nc_ai_ctx_reset(f.c);
	NC_CHECK_EQ(nc_ai_gen_begin(&gen, f.c, &p, ids, 0), NC_AI_ERR_ARG);
	teardown(&f);
}

NC_TEST(ai_generate, repetition_penalty_rule)
{
	fixture_t f;
	NC_CHECK(setup(&f, "tiny-llama-f32", 0));
	int32_t ids[64], out[4];
	size_t n = tokens_of(&f, PROMPT, ids, 64), no;
	nc_ai_model_info_t h;
	nc_ai_model_get_info(f.tm.m, &h);
	NC_CHECK_EQ(nc_ai_eval(f.c, ids, n, NULL), NC_AI_OK);
	float *l = malloc(h.n_vocab * sizeof *l);
	memcpy(l, nc_ai_ctx_logits(f.c), h.n_vocab * sizeof *l);
	const float pen = 3.0f;
	for (uint32_t t = 0; t < h.n_vocab; t++) {
		bool seen = false;
		for (size_t i = n - 4; i < n; i++)  /* the last 4 prompt tokens */
			seen |= ids[i] == (int32_t)t;
		if (seen)
			l[t] = l[t] > 0 ? l[t] / pen : l[t] * pen;
	}
	uint32_t best = 0;
	for (uint32_t t = 1; t < h.n_vocab; t++)
		if (l[t] > l[best])
			best = t;
	free(l);
	nc_ai_gen_params_t p = greedy_params(1);
	p.repeat_penalty = pen;
	p.repeat_last_n = 4;
	nc_ai_stop_t why;
	nc_ai_ctx_reset(f.c);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, n, out, 4, &no, &why), NC_AI_OK);
	NC_CHECK_EQ(out[0], best);
	teardown(&f);
}

typedef struct {
	int32_t ids[64];
	size_t n;
	char text[1024];
	size_t len;
	size_t stop_after;
} stream_t;

static bool on_token(void *ctx, int32_t id, const uint8_t *bytes, size_t len)
{
	stream_t *s = ctx;
	s->ids[s->n++] = id;
	memcpy(s->text + s->len, bytes, len);
	s->len += len;
	return s->n != s->stop_after;
}

NC_TEST(ai_generate, streaming_stops_and_cancel)
{
	fixture_t f;
	NC_CHECK(setup(&f, "tiny-moe-f32", 0));
	int32_t ids[64], g[32], out[32];
	size_t n = tokens_of(&f, PROMPT, ids, 64), ng, no;
	nc_ai_stop_t why;
	nc_ai_gen_params_t p = greedy_params(24);
	stream_t s = {{0}, 0, {0}, 0, 0};
	p.on_token = on_token;
	p.cb_ctx = &s;
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, n, g, 32, &ng, &why), NC_AI_OK);
	NC_CHECK_EQ(s.n, ng);
	NC_CHECK(!memcmp(s.ids, g, ng * sizeof *g));
	char dec[1024];
	size_t dl;
	NC_CHECK_EQ(nc_ai_detokenize(f.tm.m, g, ng, false, dec, sizeof dec, &dl), NC_AI_OK);
	NC_CHECK(dl == s.len && !memcmp(dec, s.text, dl));
	/* a stop token: generation ends at its first occurrence, keeping it */
	p.on_token = NULL;
	int32_t stop_tok = g[5];
	size_t first = 0;
	while (g[first] != stop_tok)
		first++;
	p.stop_tokens = &stop_tok;
	p.n_stop_tokens = 1;
	nc_ai_ctx_reset(f.c);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, n, out, 32, &no, &why), NC_AI_OK);
	NC_CHECK_EQ(why, NC_AI_STOP_TOKEN);
	NC_CHECK_EQ(no, first + 1);
	/* a stop string spanning a token boundary: ends at the token completing it */
	p.n_stop_tokens = 0;
	size_t off = 0, k;
	for (k = 0; k < 3; k++) {
		const uint8_t *b;
		size_t bl;
		nc_ai_token_bytes(f.tm.m, g[k], false, &b, &bl);
		off += bl;
	}
	char stop[8] = {0};
	NC_CHECK(off >= 2 && dl >= off + 2);
	memcpy(stop, dec + off - 2, 4);  /* two bytes before the boundary after token 3, two after */
	const char *stops[] = {stop};
	p.stop_strings = stops;
	p.n_stop_strings = 1;
	size_t want = 0, acc = 0;
	for (want = 0; want < ng; want++) {
		const uint8_t *b;
		size_t bl;
		nc_ai_token_bytes(f.tm.m, g[want], false, &b, &bl);
		acc += bl;
		if (acc >= 4 && memmem(dec, acc, stop, 4))
			break;
	}
	nc_ai_ctx_reset(f.c);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, n, out, 32, &no, &why), NC_AI_OK);
	NC_CHECK_EQ(why, NC_AI_STOP_STRING);
	NC_CHECK_EQ(no, want + 1);
	/* the callback cancels after two tokens; a raised flag cancels at once */
	p.n_stop_strings = 0;
	p.on_token = on_token;
	s.n = s.len = 0;
	s.stop_after = 2;
	nc_ai_ctx_reset(f.c);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, n, out, 32, &no, &why), NC_AI_ERR_CANCELLED);
	NC_CHECK_EQ(no, 2);
	volatile int flag = 1;
	p.on_token = NULL;
	p.cancel = &flag;
	nc_ai_ctx_reset(f.c);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, n, out, 32, &no, &why), NC_AI_ERR_CANCELLED);
	NC_CHECK_EQ(no, 0);
	teardown(&f);
}

NC_TEST(ai_generate, context_limits)
{
	fixture_t f;
	NC_CHECK(setup(&f, "tiny-llama-q4_0", 16));
	int32_t ids[64], out[32];
	size_t n = tokens_of(&f, PROMPT, ids, 64), no;
	NC_CHECK(n > 10);
	nc_ai_stop_t why;
	nc_ai_gen_params_t p = greedy_params(20);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, 10, out, 32, &no, &why), NC_AI_OK);
	NC_CHECK_EQ(why, NC_AI_STOP_CONTEXT);
	NC_CHECK_EQ(no, 7);  /* positions 10..15 are filled, the 7th token has no room left */
	NC_CHECK_EQ(nc_ai_ctx_used(f.c), 16);
	nc_ai_ctx_reset(f.c);
	int32_t longer[17];
	for (size_t i = 0; i < 17; i++)
		longer[i] = ids[i % n];
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, longer, 17, out, 32, &no, &why), NC_AI_ERR_CONTEXT_FULL);
	NC_CHECK_EQ(nc_ai_ctx_used(f.c), 0);
	int32_t bad = 100000;
	NC_CHECK_EQ(nc_ai_eval(f.c, &bad, 1, NULL), NC_AI_ERR_TOKEN);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, ids, 4, out, 8, &no, &why), NC_AI_ERR_BUFFER);
	NC_CHECK_EQ(nc_ai_generate(f.c, &p, NULL, 0, out, 32, &no, &why), NC_AI_ERR_ARG);
	teardown(&f);
}

static double log_softmax_at(const float *l, size_t V, int32_t id)
{
	double mx = l[0], s = 0;
	for (size_t i = 1; i < V; i++)
		mx = l[i] > mx ? l[i] : mx;
	for (size_t i = 0; i < V; i++)
		s += exp((double)l[i] - mx);
	return (double)l[id] - mx - log(s);
}

NC_TEST(ai_embed, normalised_and_deterministic)
{
	fixture_t f;
	NC_CHECK(setup(&f, "tiny-moe-q8_0", 0));
	int32_t ids[64];
	size_t n = tokens_of(&f, PROMPT, ids, 64);
	double a[128], b[128], norm = 0;
	NC_CHECK_EQ(nc_ai_embed(f.c, ids, n, a, 128), NC_AI_OK);
	NC_CHECK_EQ(nc_ai_embed(f.c, ids, n, b, 128), NC_AI_OK);
	for (int i = 0; i < 128; i++)
		norm += a[i] * a[i];
	NC_CHECK(fabs(norm - 1) < 1e-12);
	NC_CHECK(!memcmp(a, b, sizeof a));
	NC_CHECK_EQ(nc_ai_embed(f.c, ids, n, a, 127), NC_AI_ERR_BUFFER);
	teardown(&f);
}

NC_TEST(ai_classify, scores_are_label_log_likelihoods)
{
	fixture_t f;
	NC_CHECK(setup(&f, "tiny-llama-f32", 0));
	const char *text = "The first steps in";
	const char *labels[] = {" zebra", " Vim", " the editor"};
	double scores[3];
	size_t best;
	NC_CHECK_EQ(nc_ai_classify(f.c, text, strlen(text), labels, 3, scores, &best), NC_AI_OK);
	NC_CHECK_EQ(best, 1);
	nc_ai_model_info_t h;
	nc_ai_model_get_info(f.tm.m, &h);
	for (int i = 0; i < 3; i++) {
		int32_t ids[64];
		size_t nt = tokens_of(&f, text, ids, 64);
		size_t nl = tokens_of(&f, labels[i], ids + nt, 64 - nt);
		float *all = malloc((nt + nl) * h.n_vocab * sizeof *all);
		nc_ai_ctx_reset(f.c);
		NC_CHECK_EQ(nc_ai_eval(f.c, ids, nt + nl, all), NC_AI_OK);
		double want = 0;
		for (size_t k = 0; k < nl; k++)
			want += log_softmax_at(all + (nt - 1 + k) * h.n_vocab, h.n_vocab, ids[nt + k]);
		free(all);
		NC_CHECK(fabs(want - scores[i]) < 1e-3);
	}
	const char *none[] = {""};
	NC_CHECK_EQ(nc_ai_classify(f.c, text, strlen(text), none, 1, scores, &best), NC_AI_ERR_ARG);
	teardown(&f);
}

static bool same_logits_with_two_threads(const char *model)
{
	fixture_t f;
	if (!setup(&f, model, 0))
		return false;
	host_pool_t *hp;
	nc_ai_pool_t pool;
	nc_ai_ctx_t *c2 = NULL;
	bool same = false;
	if (host_pool_create(2, &hp, &pool)) {
		nc_ai_ctx_params_t cp = {0, NC_AI_SIMD_AUTO, &pool};
		int32_t ids[64];
		size_t n = tokens_of(&f, PROMPT, ids, 64);
		nc_ai_model_info_t h;
		nc_ai_model_get_info(f.tm.m, &h);
		float *a = malloc(n * h.n_vocab * sizeof *a), *b = malloc(n * h.n_vocab * sizeof *b);
		same = nc_ai_ctx_create(f.tm.m, &cp, &f.tm.alloc, &c2) == NC_AI_OK &&
		       nc_ai_eval(f.c, ids, n, a) == NC_AI_OK && nc_ai_eval(c2, ids, n, b) == NC_AI_OK &&
		       !memcmp(a, b, n * h.n_vocab * sizeof *a);
		free(a);
		free(b);
		nc_ai_ctx_destroy(c2);
		host_pool_destroy(hp);
	}
	teardown(&f);
	return same;
}

NC_TEST(ai_threads, two_threads_give_identical_logits)
{
	NC_CHECK(same_logits_with_two_threads("tiny-moe-q8_0"));
	NC_CHECK(same_logits_with_two_threads("tiny-llama-f32"));
}

/* A prompt longer than one 32-token chunk, evaluated in one call, must give
 * the logits of evaluating it one token at a time (the KV-cache path the
 * PyTorch greedy tests check); only summation order differs. */
static double batch_vs_single(const char *model, nc_ai_simd_t simd)
{
	test_model_t tm;
	nc_ai_ctx_t *c;
	double worst = 1e9;
	nc_ai_ctx_params_t cp = {0, simd, NULL};
	if (!test_model_open(model, &tm))
		return worst;
	if (nc_ai_ctx_create(tm.m, &cp, &tm.alloc, &c) == NC_AI_OK) {
		const char *text = "When you start Vim for the first time, the screen shows the text of the file "
		                   "and the cursor. To delete a word, move the cursor to it and type dw; to undo, "
		                   "type u. Use :set to change an option. The help file explains every "
		                   "command; type :help and press Enter to read it.";
		int32_t ids[256];
		size_t n = 0;
		nc_ai_model_info_t h;
		nc_ai_model_get_info(tm.m, &h);
		nc_ai_tokenize(tm.m, text, strlen(text), 0, ids, 256, &n);
		float *all = malloc(n * h.n_vocab * sizeof *all);
		if (n > 2 * 32 && nc_ai_eval(c, ids, n, all) == NC_AI_OK) {  /* three chunks */
			nc_ai_ctx_reset(c);
			worst = 0;
			for (size_t i = 0; i < n; i++) {
				nc_ai_eval(c, &ids[i], 1, NULL);
				const float *l = nc_ai_ctx_logits(c);
				for (uint32_t v = 0; v < h.n_vocab; v++) {
					double d = fabs((double)l[v] - all[i * h.n_vocab + v]);
					worst = d > worst ? d : worst;
				}
			}
		}
		free(all);
		nc_ai_ctx_destroy(c);
	}
	test_model_close(&tm);
	return worst;
}

NC_TEST(ai_forward_paths, long_prompt_batched_equals_token_by_token)
{
	static const char *const models[] = {"tiny-llama-f32", "tiny-llama-q4_0", "tiny-moe-q8_0"};
	for (size_t i = 0; i < 3; i++) {
		NC_CHECK(batch_vs_single(models[i], NC_AI_SIMD_PORTABLE) < 1e-4);
		NC_CHECK(batch_vs_single(models[i], NC_AI_SIMD_AUTO) < 1e-4);
	}
}

/* F16 and BF16 weight matrices are computed on in place: opening such a model
 * allocates less than a tenth of the file (tokenizer tables, the F32 copies of
 * the n_embd-float norms, the layer array), where F32 copies of the matrices
 * would take twice the file; the bytes read per token are the stored ones
 * (2 per weight: about the file size, well under the F32 file's). */
NC_TEST(ai_model, half_precision_weights_stay_in_place)
{
	static const char *const names[] = {"tiny-llama-f16", "tiny-llama-bf16", "tiny-moe-f16"};
	size_t f32_len;
	uint8_t *f32 = load_copy("tiny-llama-f32", &f32_len);
	NC_CHECK(f32 != NULL);
	free(f32);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t len;
		uint8_t *img = load_copy(names[i], &len);
		NC_CHECK(img != NULL);
		host_alloc_state_t st = {-1, 0, 0};
		nc_ai_alloc_t a = host_alloc(&st);
		nc_ai_model_t *m;
		NC_CHECK_EQ(nc_ai_model_open(img, len, &a, &m, NULL), NC_AI_OK);
		nc_ai_model_info_t h;
		nc_ai_model_get_info(m, &h);
		nc_test_note("%s: file %zu bytes, model allocations %zu bytes, %llu weight bytes per token", names[i],
		             len, st.live_bytes, (unsigned long long)h.weight_bytes);
		NC_CHECK(st.live_bytes < len / 10);
		NC_CHECK(h.weight_bytes < len);
		if (i < 2)
			NC_CHECK(h.weight_bytes > f32_len / 2 - f32_len / 8 && h.weight_bytes < f32_len / 2);
		nc_ai_model_close(m);
		NC_CHECK_EQ(st.live_bytes, 0);
		free(img);
	}
}
